package callisto.train;

import callisto.datasets.Metrics;
import callisto.datasets.SafeTensors;
import callisto.display.Display;
import callisto.display.Live;
import callisto.display.Progress;
import callisto.nn.Module;
import callisto.optim.Optimizer;
import callisto.runtime.Cancellation;
import callisto.tensor.DType;
import callisto.tensor.Generator;
import callisto.tensor.GradMode;
import callisto.tensor.Tensor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.stream.Stream;

/**
 * A small training loop in the spirit of Keras' {@code fit} and PyTorch Lightning: minibatches (reshuffled each
 * epoch by a seeded {@link Generator}), zeroGrad / backward / step, per-step and per-epoch logging into a
 * {@link Metrics}, validation in evaluation mode, callbacks, early stopping, checkpoints and exact resumption.
 *
 * <pre>{@code
 * var trainer = Trainer.builder(model, Optimizers.adam(model.namedParameters(), 1e-3), Scores::mse)
 *         .data(x, y).batchSize(32).epochs(20).shuffle(new Generator(0))
 *         .validation(xVal, yVal).metric("mae", (p, t) -> Scores.mae(p, t).item())
 *         .checkpoint(Path.of("ckpt"), 5)
 *         .build();
 * Metrics log = trainer.fit();
 * }</pre>
 *
 * <p>The log has one row per optimizer step with {@code loss} (the batch loss); the last step of each epoch also
 * holds {@code epoch}, {@code epoch_loss} (the sample-weighted mean of the epoch's batch losses) and, with
 * validation data, {@code val_loss} and {@code val_<metric>} for each named metric. Named metrics are evaluated
 * only on validation data during fit (and on any data by {@link #evaluate}).
 *
 * <p>Each batch checks {@link Cancellation} first, so interrupting a notebook cell stops training between batches;
 * the model keeps the weights of the last completed step. Runs are deterministic: the same seeds give the same bits.
 */
public final class Trainer {
    private final Module model;
    private final Optimizer optimizer;
    private final BiFunction<Tensor, Tensor, Tensor> loss;
    private final Tensor x, y, xVal, yVal;
    private final int batchSize, epochs;
    private final Generator shuffle;
    private final LinkedHashMap<String, BiFunction<Tensor, Tensor, Double>> metrics;
    private final List<Callback> callbacks;
    private final Path checkpointDir;
    private final int checkpointEvery;
    private final boolean progress, livePlot;
    private final int samples;
    private Metrics log = new Metrics("train");
    private int epoch;
    private long step;
    private volatile boolean stopRequested;

    private Trainer(Builder b) {
        model = b.model;
        optimizer = b.optimizer;
        loss = b.loss;
        x = b.x;
        y = b.y;
        xVal = b.xVal;
        yVal = b.yVal;
        batchSize = b.batchSize;
        epochs = b.epochs;
        shuffle = b.shuffle;
        metrics = new LinkedHashMap<>(b.metrics);
        callbacks = List.copyOf(b.callbacks);
        checkpointDir = b.checkpointDir;
        checkpointEvery = b.checkpointEvery;
        progress = b.progress;
        livePlot = b.livePlot;
        samples = x.size(0);
    }

    /** A builder for training {@code model} with {@code optimizer} (over its parameters) to minimise {@code loss}. */
    public static Builder builder(Module model, Optimizer optimizer, BiFunction<Tensor, Tensor, Tensor> loss) {
        return new Builder(model, optimizer, loss);
    }

    /** The number of completed epochs (restored by {@link #resumeFrom}). */
    public int epoch() {
        return epoch;
    }

    /** The number of optimizer steps taken so far, over all epochs. */
    public long step() {
        return step;
    }

    /** The log of this trainer's run so far (restored by {@link #resumeFrom}). */
    public Metrics metrics() {
        return log;
    }

    /** The number of batches per epoch (the last one may be smaller than the batch size). */
    public int batchesPerEpoch() {
        return (samples + batchSize - 1) / batchSize;
    }

    /** Asks a running {@link #fit()} to stop after the current batch, from any thread (a callback, a button). */
    public void stop() {
        stopRequested = true;
    }

    /**
     * Trains until {@code epochs} epochs are complete in total (so after {@link #resumeFrom} it runs the remaining
     * ones), or a callback or {@link #stop()} stops it; returns the log. The model is left in training mode.
     * Throws {@link java.util.concurrent.CancellationException} when the cell is interrupted. An epoch cut short
     * (by a stop, an interruption or an exception) does not count: calling fit again starts it over, with the next
     * permutation; to continue exactly as an uninterrupted run would, use {@link #resumeFrom} on a fresh trainer.
     */
    public Metrics fit() {
        stopRequested = false;
        Live curve = null;
        // one bar for the whole run, as a notebook user expects; the epoch and the losses ride on it
        Progress bar = progress && epoch < epochs ? Progress.bar((long) (epochs - epoch) * batchesPerEpoch(), "train") : null;
        try {
            while (epoch < epochs && !stopRequested) {
                if (bar != null) bar.set("epoch", (epoch + 1) + "/" + epochs);
                if (!runEpoch(bar)) break;
                if (bar != null) {
                    bar.set("epoch_loss", log.last("epoch_loss"));
                    if (xVal != null) bar.set("val_loss", log.last("val_loss"));
                }
                // made at the first epoch end, so closing it never draws an empty log (a plot of nothing throws)
                if (progress && livePlot && curve == null) curve = Display.live(this::lossPlot);
                if (curve != null) curve.refresh();
                boolean stop = false;
                for (Callback c : callbacks) stop |= c.onEpochEnd(epoch - 1, log);
                if (checkpointDir != null && epoch % checkpointEvery == 0) saveCheckpoint();
                if (stop) stopRequested = true;
            }
        } finally {
            model.train();
            if (bar != null) bar.close();
            if (curve != null) curve.close();
        }
        return log;
    }

    /** The loss against step, on a log axis unless a loss reached zero or below (a log axis cannot show it). */
    private Object lossPlot() {
        boolean positive = Arrays.stream(log.column("loss")).allMatch(v -> v > 0 || Double.isNaN(v));
        return positive ? log.semilogy("loss") : log.plot("loss");
    }

    /** One epoch; returns false when it was cut short by a stop request. */
    private boolean runEpoch(Progress bar) {
        model.train();
        int[] order = shuffle == null ? null : shuffle.permutation(samples);
        int batches = batchesPerEpoch();
        double weighted = 0;
        for (int b = 0; b < batches; b++) {
            Cancellation.check();
            int start = b * batchSize, n = Math.min(batchSize, samples - start);
            Tensor xb, yb;
            if (order == null) {
                xb = x.narrow(0, start, n);
                yb = y.narrow(0, start, n);
            } else {
                Tensor index = Tensor.ofInts(Arrays.copyOfRange(order, start, start + n));
                xb = x.indexSelect(0, index);
                yb = y.indexSelect(0, index);
            }
            optimizer.zeroGrad();
            Tensor l = scalarLoss("fit", model.call(xb), yb);
            l.backward();
            optimizer.step();
            double value = l.item();
            weighted += value * n;
            log.log(step, "loss", value);
            boolean stop = false;
            for (Callback c : callbacks) stop |= c.onBatchEnd(step, value);
            step++;
            if (bar != null) bar.set("loss", value).step();
            if (stop) stopRequested = true;
            if (stopRequested) return false;
        }
        var row = new LinkedHashMap<String, Object>();
        row.put("epoch", epoch);
        row.put("epoch_loss", weighted / samples);
        if (xVal != null) {
            for (var e : evaluate("fit", xVal, yVal).entrySet()) row.put("val_" + e.getKey(), e.getValue());
        }
        log.log(step - 1, row);
        epoch++;
        return true;
    }

    private Tensor scalarLoss(String op, Tensor pred, Tensor target) {
        Tensor l = loss.apply(pred, target);
        if (l == null || l.numel() != 1) {
            throw new IllegalStateException("Trainer." + op + ": the loss returned "
                    + (l == null ? "null" : "a tensor of shape " + Arrays.toString(l.shape())) + "; expected a scalar");
        }
        return l;
    }

    /**
     * The loss (under {@code "loss"}) and each named metric on {@code x}, {@code y}, computed in evaluation mode
     * without gradients on the predictions for all samples (predicted in batches of the batch size); the model's
     * mode is restored afterwards.
     */
    public Map<String, Double> evaluate(Tensor x, Tensor y) {
        checkPair("evaluate", "x", x, "y", y);
        return evaluate("evaluate", x, y);
    }

    private Map<String, Double> evaluate(String op, Tensor x, Tensor y) {
        Tensor pred = predict(op, x);
        try (var off = GradMode.noGrad()) {
            var out = new LinkedHashMap<String, Double>();
            out.put("loss", scalarLoss(op, pred, y).item());
            for (var e : metrics.entrySet()) out.put(e.getKey(), e.getValue().apply(pred, y));
            return out;
        }
    }

    /**
     * The model's outputs for {@code x} (samples along dimension 0), in evaluation mode without gradients, run in
     * batches of the batch size and concatenated; the model's mode is restored afterwards.
     */
    public Tensor predict(Tensor x) {
        if (x == null || x.dim() == 0) {
            throw new IllegalArgumentException("Trainer.predict: x is " + (x == null ? "null" : "a scalar") + "; expected the sample dimension first");
        }
        return predict("predict", x);
    }

    private Tensor predict(String op, Tensor x) {
        boolean wasTraining = model.isTraining();
        model.eval();
        try (var off = GradMode.noGrad()) {
            int n = x.size(0);
            var parts = new ArrayList<Tensor>();
            for (int start = 0; start < n; start += batchSize) parts.add(model.call(x.narrow(0, start, Math.min(batchSize, n - start))));
            if (parts.isEmpty()) throw new IllegalArgumentException("Trainer." + op + ": x has no samples");
            return parts.size() == 1 ? parts.get(0) : Tensor.cat(parts, 0);
        } finally {
            model.train(wasTraining);
        }
    }

    // ---- checkpoints

    private static final String MODEL = "model.safetensors", OPTIMIZER = "optimizer.safetensors", TRAINER = "trainer.safetensors";

    /**
     * Writes the checkpoint of the current epoch as {@code <dir>/epoch-NNNNNN/} (model state dict, optimizer state,
     * and the trainer's counters and log), first into a temporary folder that is then renamed, so a crash leaves
     * either a whole checkpoint or none.
     */
    private void saveCheckpoint() {
        try {
            Files.createDirectories(checkpointDir);
            String name = String.format("epoch-%06d", epoch);
            Path tmp = Files.createTempDirectory(checkpointDir, name + ".tmp");
            SafeTensors.write(tmp.resolve(MODEL), model.stateDict());
            SafeTensors.write(tmp.resolve(OPTIMIZER), optimizer.state());
            var t = new LinkedHashMap<String, Tensor>();
            t.put("epoch", Tensor.ofLongs(epoch));
            t.put("step", Tensor.ofLongs(step));
            t.put("samples", Tensor.ofLongs(samples));
            t.put("batch_size", Tensor.ofLongs(batchSize));
            if (shuffle != null) t.put("rng.shuffle", shuffle.getState());
            for (var g : model.namedGenerators().entrySet()) t.put("rng.model." + g.getKey(), g.getValue().getState());
            t.put("log.step", Tensor.ofLongs(log.steps()));
            var names = log.names();
            for (String m : names) t.put("log." + m, Tensor.of(log.column(m)));
            SafeTensors.write(tmp.resolve(TRAINER), t, Map.of("log.names", String.join("\n", names)));
            Path target = checkpointDir.resolve(name);
            if (Files.exists(target)) deleteTree(target);
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("Trainer: could not write a checkpoint into " + checkpointDir, e);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted((a, b) -> b.compareTo(a)).toList()) Files.delete(p);
        }
    }

    /**
     * Restores the latest complete checkpoint in {@code dir} (written by a trainer with the same model, optimizer,
     * data size and batch size): the model's parameters and buffers, the optimizer state, the epoch and step
     * counters, the log, and the positions of the shuffling generator and of the model's own generators (Dropout's,
     * see {@link callisto.nn.Module#namedGenerators()}); returns this, so {@link #fit()} continues with the next epoch
     * and gives exactly the weights of an uninterrupted run.
     */
    public Trainer resumeFrom(Path dir) {
        if (dir == null) throw new IllegalArgumentException("Trainer.resumeFrom: dir is null");
        Path latest;
        try (Stream<Path> entries = Files.isDirectory(dir) ? Files.list(dir) : Stream.empty()) {
            latest = entries.filter(p -> p.getFileName().toString().matches("epoch-\\d{6}") && Files.isDirectory(p))
                    .max(Path::compareTo).orElse(null);
        } catch (IOException e) {
            throw new UncheckedIOException("Trainer.resumeFrom: could not list " + dir, e);
        }
        if (latest == null) throw new IllegalArgumentException("Trainer.resumeFrom: no checkpoint (epoch-NNNNNN folder) in " + dir);
        try {
            Map<String, Tensor> t = SafeTensors.read(latest.resolve(TRAINER));
            long savedSamples = (long) t.get("samples").item(), savedBatch = (long) t.get("batch_size").item();
            if (savedSamples != samples || savedBatch != batchSize) {
                throw new IllegalArgumentException("Trainer.resumeFrom: checkpoint " + latest + " was written for " + savedSamples
                        + " samples in batches of " + savedBatch + ", but this trainer has " + samples + " in batches of " + batchSize);
            }
            restoreGenerators(latest, t);
            model.loadStateDict(SafeTensors.read(latest.resolve(MODEL)));
            optimizer.loadState(SafeTensors.read(latest.resolve(OPTIMIZER)));
            epoch = (int) t.get("epoch").item();
            step = (long) t.get("step").item();
            log = restoreLog(t, SafeTensors.metadata(latest.resolve(TRAINER)).getOrDefault("log.names", ""));
        } catch (IOException e) {
            throw new UncheckedIOException("Trainer.resumeFrom: could not read checkpoint " + latest, e);
        }
        return this;
    }

    /** Checks that the checkpoint has exactly this trainer's generators before moving any of them. */
    private void restoreGenerators(Path checkpoint, Map<String, Tensor> t) {
        var want = new java.util.TreeSet<String>();
        if (shuffle != null) want.add("rng.shuffle");
        var modelGenerators = model.namedGenerators();
        for (String name : modelGenerators.keySet()) want.add("rng.model." + name);
        var saved = new java.util.TreeSet<String>();
        for (String key : t.keySet()) if (key.startsWith("rng.")) saved.add(key);
        if (!saved.equals(want)) {
            throw new IllegalArgumentException("Trainer.resumeFrom: checkpoint " + checkpoint + " holds the generators " + saved
                    + " but this trainer and its model have " + want + " (a shuffle generator given to one and not the other,"
                    + " or a model with other Dropout layers)");
        }
        if (shuffle != null) shuffle.setState(t.get("rng.shuffle"));
        for (var g : modelGenerators.entrySet()) g.getValue().setState(t.get("rng.model." + g.getKey()));
    }

    private static Metrics restoreLog(Map<String, Tensor> t, String joinedNames) {
        var restored = new Metrics("train");
        long[] steps = t.get("log.step").to(DType.INT64).toLongArray();
        List<String> names = joinedNames.isEmpty() ? List.of() : List.of(joinedNames.split("\n"));
        var columns = new ArrayList<double[]>();
        for (String m : names) columns.add(t.get("log." + m).toArray());
        for (int r = 0; r < steps.length; r++) {
            var row = new LinkedHashMap<String, Object>();
            for (int c = 0; c < names.size(); c++) if (!Double.isNaN(columns.get(c)[r])) row.put(names.get(c), columns.get(c)[r]);
            restored.log(steps[r], row);
        }
        return restored;
    }

    private static void checkPair(String op, String xName, Tensor x, String yName, Tensor y) {
        if (x == null || y == null) throw new IllegalArgumentException("Trainer." + op + ": " + (x == null ? xName : yName) + " is null");
        if (x.dim() == 0 || y.dim() == 0) {
            throw new IllegalArgumentException("Trainer." + op + ": " + (x.dim() == 0 ? xName : yName)
                    + " is a scalar; expected the sample dimension first");
        }
        if (x.size(0) != y.size(0)) {
            throw new IllegalArgumentException("Trainer." + op + ": " + xName + " has " + x.size(0) + " samples (shape "
                    + Arrays.toString(x.shape()) + ") but " + yName + " has " + y.size(0) + " (shape " + Arrays.toString(y.shape()) + ")");
        }
        if (x.size(0) == 0) throw new IllegalArgumentException("Trainer." + op + ": " + xName + " has no samples");
    }

    /** Configures a {@link Trainer}; {@link #data}, {@link #batchSize} and {@link #epochs} are required. */
    public static final class Builder {
        private final Module model;
        private final Optimizer optimizer;
        private final BiFunction<Tensor, Tensor, Tensor> loss;
        private Tensor x, y, xVal, yVal;
        private int batchSize = -1, epochs = -1;
        private Generator shuffle;
        private final LinkedHashMap<String, BiFunction<Tensor, Tensor, Double>> metrics = new LinkedHashMap<>();
        private final List<Callback> callbacks = new ArrayList<>();
        private Path checkpointDir;
        private int checkpointEvery;
        private boolean progress = true, livePlot = true;

        private Builder(Module model, Optimizer optimizer, BiFunction<Tensor, Tensor, Tensor> loss) {
            if (model == null) throw new IllegalArgumentException("Trainer.builder: model is null");
            if (optimizer == null) throw new IllegalArgumentException("Trainer.builder: optimizer is null");
            if (loss == null) throw new IllegalArgumentException("Trainer.builder: loss is null");
            this.model = model;
            this.optimizer = optimizer;
            this.loss = loss;
        }

        /** The training inputs and targets, samples along dimension 0 of both. */
        public Builder data(Tensor x, Tensor y) {
            checkPair("data", "x", x, "y", y);
            this.x = x.detach();
            this.y = y.detach();
            return this;
        }

        /** Validation inputs and targets, evaluated at the end of each epoch. */
        public Builder validation(Tensor x, Tensor y) {
            checkPair("validation", "x", x, "y", y);
            xVal = x.detach();
            yVal = y.detach();
            return this;
        }

        /** Samples per optimizer step (the last batch of an epoch takes what is left). */
        public Builder batchSize(int batchSize) {
            if (batchSize < 1) throw new IllegalArgumentException("Trainer.batchSize: batchSize " + batchSize + " must be >= 1");
            this.batchSize = batchSize;
            return this;
        }

        /** The total number of epochs {@link Trainer#fit()} trains to. */
        public Builder epochs(int epochs) {
            if (epochs < 0) throw new IllegalArgumentException("Trainer.epochs: epochs " + epochs + " must be >= 0");
            this.epochs = epochs;
            return this;
        }

        /** Reshuffles the samples each epoch by {@code generator.permutation(n)}; without it, samples go in order. */
        public Builder shuffle(Generator generator) {
            if (generator == null) throw new IllegalArgumentException("Trainer.shuffle: generator is null");
            shuffle = generator;
            return this;
        }

        /** A metric (prediction, target) to a number, logged as {@code val_<name>} and returned by evaluate. */
        public Builder metric(String name, BiFunction<Tensor, Tensor, Double> metric) {
            if (name == null || name.isEmpty() || name.equals("loss")) {
                throw new IllegalArgumentException("Trainer.metric: name '" + name + "' must be non-empty and not 'loss'");
            }
            if (metric == null) throw new IllegalArgumentException("Trainer.metric: metric '" + name + "' is null");
            if (metrics.containsKey(name)) throw new IllegalArgumentException("Trainer.metric: metric '" + name + "' is already added");
            metrics.put(name, metric);
            return this;
        }

        /** Adds a callback; callbacks run in the order added. */
        public Builder callback(Callback callback) {
            if (callback == null) throw new IllegalArgumentException("Trainer.callback: callback is null");
            callbacks.add(callback);
            return this;
        }

        /** Writes a checkpoint into {@code dir} after every {@code everyEpochs}-th epoch (see {@link Trainer#resumeFrom}). */
        public Builder checkpoint(Path dir, int everyEpochs) {
            if (dir == null) throw new IllegalArgumentException("Trainer.checkpoint: dir is null");
            if (everyEpochs < 1) throw new IllegalArgumentException("Trainer.checkpoint: everyEpochs " + everyEpochs + " must be >= 1");
            checkpointDir = dir;
            checkpointEvery = everyEpochs;
            return this;
        }

        /**
         * Shows a progress bar over the whole run (the epoch, the batch loss, the epoch's mean loss and the validation
         * loss beside it) and a live loss plot; both on by default, false shows nothing.
         */
        public Builder display(boolean on) {
            progress = on;
            return this;
        }

        /** Whether the live loss plot is shown along with the progress bars (default true). */
        public Builder livePlot(boolean on) {
            livePlot = on;
            return this;
        }

        /** The trainer; throws if data, batch size or epochs are missing. */
        public Trainer build() {
            if (x == null) throw new IllegalArgumentException("Trainer.build: no training data; call data(x, y)");
            if (batchSize < 0) throw new IllegalArgumentException("Trainer.build: no batch size; call batchSize(n)");
            if (epochs < 0) throw new IllegalArgumentException("Trainer.build: no epoch count; call epochs(n)");
            return new Trainer(this);
        }
    }
}
