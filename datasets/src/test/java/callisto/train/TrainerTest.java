package callisto.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import callisto.datasets.Metrics;
import callisto.nn.Dropout;
import callisto.nn.Linear;
import callisto.nn.Module;
import callisto.nn.Scores;
import callisto.nn.Sequential;
import callisto.nn.Tanh;
import callisto.optim.Optimizer;
import callisto.optim.Optimizers;
import callisto.runtime.Cancellation;
import callisto.tensor.DType;
import callisto.tensor.Generator;
import callisto.tensor.Tensor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CancellationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainerTest {
    static final int N = 96, D = 3;
    static final double NOISE = 0.1;
    static final double[] W = {1.5, -2.0, 0.5};
    static final double B = 0.3;

    /** y = x·W + B + NOISE·ε, float64, so the optimum's mean squared error is about NOISE² (1 - (D+1)/N). */
    static Tensor[] regression(long seed, int n) {
        var g = new Generator(seed);
        double[] xs = g.randn(n, D).toArray(), eps = g.randn(n).toArray(), ys = new double[n];
        for (int i = 0; i < n; i++) {
            double s = B + NOISE * eps[i];
            for (int j = 0; j < D; j++) s += xs[i * D + j] * W[j];
            ys[i] = s;
        }
        return new Tensor[] {Tensor.of(xs, n, D), Tensor.of(ys, n, 1)};
    }

    static Sequential mlp(long seed) {
        var g = new Generator(seed);
        return new Sequential(new Linear(D, 8, true, DType.FLOAT64, g), new Tanh(), new Linear(8, 1, true, DType.FLOAT64, g));
    }

    static Trainer.Builder builder(Module model, Optimizer opt, Tensor[] data) {
        return Trainer.builder(model, opt, Scores::mse).data(data[0], data[1]).batchSize(16).epochs(4).display(false);
    }

    static double[] weights(Module m) {
        var out = new ArrayList<Double>();
        for (Tensor p : m.parameters()) for (double v : p.toArray()) out.add(v);
        return out.stream().mapToDouble(Double::doubleValue).toArray();
    }

    static long[] bits(double[] a) {
        return Arrays.stream(a).mapToLong(Double::doubleToRawLongBits).toArray();
    }

    /** Mean squared error by a plain loop, independent of the tensor code. */
    static double mse(double[] p, double[] t) {
        double s = 0;
        for (int i = 0; i < p.length; i++) s += (p[i] - t[i]) * (p[i] - t[i]);
        return s / p.length;
    }

    @Test
    void linearRegressionFitsToTheNoiseLevel() {
        Tensor[] data = regression(1, 256);
        var model = new Linear(D, 1, true, DType.FLOAT64, new Generator(2));
        var trainer = Trainer.builder(model, Optimizers.adam(model.namedParameters(), 0.05), Scores::mse)
                .data(data[0], data[1]).batchSize(32).epochs(60).shuffle(new Generator(3)).display(false).build();
        Metrics log = trainer.fit();
        double floor = NOISE * NOISE;
        double trainMse = trainer.evaluate(data[0], data[1]).get("loss");
        assertTrue(trainMse < 1.3 * floor, "train mse " + trainMse + " vs noise floor " + floor);
        double[] w = model.parameters().get(0).toArray();
        for (int j = 0; j < D; j++) assertEquals(W[j], w[j], 5 * NOISE / Math.sqrt(256), "weight " + j);
        assertEquals(B, model.parameters().get(1).item(), 5 * NOISE / Math.sqrt(256));
        assertEquals(60 * 8, log.column("loss").length);
        assertEquals(60 * 8, trainer.step());
        assertEquals(60, trainer.epoch());
        // the logged epoch loss is the sample-weighted mean of that epoch's batch losses
        double[] loss = log.column("loss"), epochLoss = log.column("epoch_loss");
        double mean = 0;
        for (int i = 8 * 59; i < 8 * 60; i++) mean += loss[i] / 8;
        assertEquals(mean, epochLoss[8 * 60 - 1], 1e-12);
        assertTrue(Double.isNaN(epochLoss[0]));
    }

    @Test
    void tinyMlpFitsAndEvaluateMatchesANaiveLoop() {
        Tensor[] data = regression(4, 192), val = regression(5, 64);
        var model = mlp(6);
        var trainer = Trainer.builder(model, Optimizers.adam(model.namedParameters(), 0.02), Scores::mse)
                .data(data[0], data[1]).validation(val[0], val[1]).batchSize(24).epochs(80).shuffle(new Generator(7))
                .metric("mae", (p, t) -> Scores.mae(p, t).item()).display(false).build();
        Metrics log = trainer.fit();
        var scores = trainer.evaluate(val[0], val[1]);
        model.eval();
        double[] pred = model.call(val[0]).toArray(), target = val[1].toArray();
        model.train();
        double mae = 0;
        for (int i = 0; i < pred.length; i++) mae += Math.abs(pred[i] - target[i]) / pred.length;
        assertEquals(mse(pred, target), scores.get("loss"), 1e-12);
        assertEquals(mae, scores.get("mae"), 1e-12);
        assertTrue(scores.get("loss") < 3 * NOISE * NOISE, "validation mse " + scores.get("loss"));
        assertEquals(scores.get("loss"), log.last("val_loss"), 1e-12);
        assertEquals(List.of("loss", "epoch", "epoch_loss", "val_loss", "val_mae"), log.names());
    }

    @Test
    void sameSeedsGiveIdenticalBitsAndAnotherShuffleSeedDoesNot() {
        Tensor[] data = regression(8, N);
        double[][] runs = new double[3][];
        long[] shuffleSeeds = {11, 11, 12};
        for (int r = 0; r < 3; r++) {
            var model = mlp(9);
            builder(model, Optimizers.adam(model.namedParameters(), 0.01), data).shuffle(new Generator(shuffleSeeds[r])).build().fit();
            runs[r] = weights(model);
        }
        assertArrayEquals(bits(runs[0]), bits(runs[1]));
        assertFalse(Arrays.equals(bits(runs[0]), bits(runs[2])));
    }

    /** Records the sample ids (column 0 of the input) of every training batch, then applies a linear layer. */
    static final class Recording extends Module {
        final List<int[]> batches = new ArrayList<>();
        final List<Boolean> modes = new ArrayList<>();
        final Linear linear;

        Recording(long seed) {
            linear = registerModule("linear", new Linear(2, 1, true, DType.FLOAT64, new Generator(seed)));
        }

        @Override
        public Tensor forward(Tensor x) {
            if (isTraining()) {
                double[] v = x.toArray();
                int[] ids = new int[x.size(0)];
                for (int i = 0; i < ids.length; i++) ids[i] = (int) v[2 * i];
                batches.add(ids);
            }
            modes.add(isTraining());
            return linear.call(x);
        }
    }

    static Tensor[] idData(int n) {
        double[] xs = new double[2 * n], ys = new double[n];
        for (int i = 0; i < n; i++) {
            xs[2 * i] = i;
            xs[2 * i + 1] = Math.sin(i);
            ys[i] = Math.cos(i);
        }
        return new Tensor[] {Tensor.of(xs, n, 2), Tensor.of(ys, n, 1)};
    }

    @Test
    void batchOrderIsTheGeneratorsPermutationEachEpoch() {
        int n = 10, epochs = 3;
        Tensor[] data = idData(n);
        var model = new Recording(1);
        var steps = new ArrayList<Long>();
        Trainer.builder(model, Optimizers.sgd(model.namedParameters(), 1e-3), Scores::mse).data(data[0], data[1])
                .batchSize(4).epochs(epochs).shuffle(new Generator(42)).display(false)
                .callback(new Callback() {
                    @Override
                    public boolean onBatchEnd(long step, double loss) {
                        steps.add(step);
                        return false;
                    }
                }).build().fit();
        var reference = new Generator(42);
        assertEquals(3 * epochs, model.batches.size());
        for (int e = 0; e < epochs; e++) {
            int[] perm = reference.permutation(n);
            assertArrayEquals(Arrays.copyOfRange(perm, 0, 4), model.batches.get(3 * e));
            assertArrayEquals(Arrays.copyOfRange(perm, 4, 8), model.batches.get(3 * e + 1));
            assertArrayEquals(Arrays.copyOfRange(perm, 8, 10), model.batches.get(3 * e + 2));
        }
        assertEquals(List.of(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L), steps);
    }

    @Test
    void withoutAGeneratorSamplesGoInOrder() {
        Tensor[] data = idData(7);
        var model = new Recording(1);
        Trainer.builder(model, Optimizers.sgd(model.namedParameters(), 1e-3), Scores::mse).data(data[0], data[1])
                .batchSize(3).epochs(2).display(false).build().fit();
        assertEquals(6, model.batches.size());
        for (int e = 0; e < 2; e++) {
            assertArrayEquals(new int[] {0, 1, 2}, model.batches.get(3 * e));
            assertArrayEquals(new int[] {3, 4, 5}, model.batches.get(3 * e + 1));
            assertArrayEquals(new int[] {6}, model.batches.get(3 * e + 2));
        }
    }

    @Test
    void callbacksRunInOrderAndCanStopEarly() {
        Tensor[] data = regression(13, 32);
        var model = mlp(14);
        var events = new ArrayList<String>();
        class Rec implements Callback {
            final String name;
            final int stopAfterEpoch;

            Rec(String name, int stopAfterEpoch) {
                this.name = name;
                this.stopAfterEpoch = stopAfterEpoch;
            }

            @Override
            public boolean onBatchEnd(long step, double loss) {
                events.add(name + ".batch" + step);
                return false;
            }

            @Override
            public boolean onEpochEnd(int epoch, Metrics metrics) {
                events.add(name + ".epoch" + epoch + "@" + metrics.size());
                return epoch == stopAfterEpoch;
            }
        }
        var trainer = builder(model, Optimizers.sgd(model.namedParameters(), 0.01), data).batchSize(16).epochs(10)
                .callback(new Rec("a", -1)).callback(new Rec("b", 1)).build();
        trainer.fit();
        assertEquals(List.of("a.batch0", "b.batch0", "a.batch1", "b.batch1", "a.epoch0@2", "b.epoch0@2",
                "a.batch2", "b.batch2", "a.batch3", "b.batch3", "a.epoch1@4", "b.epoch1@4"), events);
        assertEquals(2, trainer.epoch());
        assertEquals(4, trainer.step());
    }

    @Test
    void earlyStoppingWaitsForPatience() {
        Tensor[] data = regression(15, 32), val = regression(16, 16);
        var model = mlp(17);
        // a minDelta no improvement can meet: the first epoch sets the best, then `patience` epochs fail to beat it
        var trainer = builder(model, Optimizers.sgd(model.namedParameters(), 0.01), data).validation(val[0], val[1]).epochs(20)
                .callback(Callback.earlyStopping("val_loss", 3, 1e9)).build();
        Metrics log = trainer.fit();
        assertEquals(4, trainer.epoch());
        assertEquals(4, Arrays.stream(log.column("val_loss")).filter(v -> !Double.isNaN(v)).count());
        // with a real criterion it runs while the validation loss keeps falling
        var model2 = mlp(17);
        var trainer2 = builder(model2, Optimizers.sgd(model2.namedParameters(), 0.01), data).validation(val[0], val[1]).epochs(5)
                .callback(Callback.earlyStopping("val_loss", 1, 0)).build();
        double[] v = Arrays.stream(trainer2.fit().column("val_loss")).filter(x -> !Double.isNaN(x)).toArray();
        for (int i = 1; i < v.length - 1; i++) assertTrue(v[i] < v[i - 1], "val_loss " + Arrays.toString(v));
        assertThrows(IllegalArgumentException.class, () -> Callback.earlyStopping("val_loss", -1, 0));
    }

    @Test
    void validationRunsInEvalModeWithoutDroppingUnits() {
        Tensor[] data = regression(18, 48), val = regression(19, 20);
        var g = new Generator(20);
        var model = new Sequential(new Linear(D, 16, true, DType.FLOAT64, g), new Tanh(), new Dropout(0.5, new Generator(21)),
                new Linear(16, 1, true, DType.FLOAT64, g));
        var checked = new ArrayList<Integer>();
        var modesDuringBatches = new ArrayList<Boolean>();
        var trainer = builder(model, Optimizers.adam(model.namedParameters(), 0.01), data).validation(val[0], val[1]).epochs(3)
                .metric("mse", (p, t) -> mse(p.toArray(), t.toArray()))
                .callback(new Callback() {
                    @Override
                    public boolean onBatchEnd(long step, double loss) {
                        modesDuringBatches.add(model.isTraining());
                        return false;
                    }

                    @Override
                    public boolean onEpochEnd(int epoch, Metrics metrics) {
                        assertTrue(model.isTraining(), "the model is back in training mode after validation");
                        model.eval();
                        double[] evalPred = model.call(val[0]).toArray();
                        model.train();
                        double[] trainPred = model.call(val[0]).toArray();
                        double expected = mse(evalPred, val[1].toArray());
                        assertEquals(expected, metrics.last("val_mse"), 0);
                        assertEquals(expected, metrics.last("val_loss"), 1e-12);
                        assertNotEquals(expected, mse(trainPred, val[1].toArray()), 1e-9, "dropout changes train-mode output");
                        assertEquals(epoch, (int) metrics.last("epoch"));
                        checked.add(epoch);
                        return false;
                    }
                }).build();
        Metrics log = trainer.fit();
        assertEquals(List.of(0, 1, 2), checked);
        assertTrue(modesDuringBatches.stream().allMatch(b -> b));
        long[] steps = log.steps();
        double[] valMse = log.column("val_mse");
        for (int i = 0; i < steps.length; i++) assertEquals(steps[i] % 3 == 2, !Double.isNaN(valMse[i]), "row " + i);
    }

    /** An MLP with a Dropout layer, whose masks come from their own generator. */
    static Sequential dropoutMlp(long seed, long dropoutSeed) {
        var g = new Generator(seed);
        return new Sequential(new Linear(D, 8, true, DType.FLOAT64, g), new Tanh(), new Dropout(0.25, new Generator(dropoutSeed)),
                new Linear(8, 1, true, DType.FLOAT64, g));
    }

    @Test
    void resumingFromACheckpointEqualsUninterruptedTraining(@TempDir Path dir) {
        Tensor[] data = regression(22, 40), val = regression(23, 12);
        var full = dropoutMlp(24, 31);
        var fullTrainer = builder(full, Optimizers.adam(full.namedParameters(), 0.01), data).batchSize(16).epochs(6)
                .validation(val[0], val[1]).shuffle(new Generator(25)).build();
        Metrics fullLog = fullTrainer.fit();

        Path ckpt = dir.resolve("ckpt");
        var first = dropoutMlp(24, 31);
        var interrupted = builder(first, Optimizers.adam(first.namedParameters(), 0.01), data).batchSize(16).epochs(6)
                .validation(val[0], val[1]).shuffle(new Generator(25)).checkpoint(ckpt, 2)
                .callback(new Callback() {
                    @Override
                    public boolean onBatchEnd(long step, double loss) {
                        if (step == 13) throw new IllegalStateException("crash in epoch 4");
                        return false;
                    }
                }).build();
        assertThrows(IllegalStateException.class, interrupted::fit);

        // other initial weights, dropout seed and shuffle seed: all three must come from the checkpoint
        var resumedModel = dropoutMlp(99, 98);
        var resumed = builder(resumedModel, Optimizers.adam(resumedModel.namedParameters(), 0.01), data).batchSize(16).epochs(6)
                .validation(val[0], val[1]).shuffle(new Generator(97)).checkpoint(ckpt, 2).build().resumeFrom(ckpt);
        assertEquals(4, resumed.epoch());
        assertEquals(12, resumed.step());
        Metrics resumedLog = resumed.fit();
        assertArrayEquals(bits(weights(full)), bits(weights(resumedModel)));
        assertArrayEquals(fullLog.steps(), resumedLog.steps());
        for (String m : fullLog.names()) assertArrayEquals(bits(fullLog.column(m)), bits(resumedLog.column(m)), m);
        assertEquals(6, resumed.epoch());

        // without the checkpoint's generator states the runs part: the test above can fail
        var reseeded = dropoutMlp(24, 98);
        builder(reseeded, Optimizers.adam(reseeded.namedParameters(), 0.01), data).batchSize(16).epochs(6)
                .validation(val[0], val[1]).shuffle(new Generator(25)).build().fit();
        assertFalse(Arrays.equals(bits(weights(full)), bits(weights(reseeded))));
    }

    @Test
    void resumeChecksTheCheckpoint(@TempDir Path dir) {
        Tensor[] data = regression(26, 20);
        var model = mlp(27);
        assertThrows(IllegalArgumentException.class,
                () -> builder(model, Optimizers.sgd(model.namedParameters(), 0.01), data).build().resumeFrom(dir));
        builder(model, Optimizers.sgd(model.namedParameters(), 0.01), data).epochs(1).checkpoint(dir, 1).build().fit();
        var e = assertThrows(IllegalArgumentException.class,
                () -> builder(model, Optimizers.sgd(model.namedParameters(), 0.01), data).batchSize(8).build().resumeFrom(dir));
        assertTrue(e.getMessage().contains("batches of 16"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> builder(model, Optimizers.sgd(model.namedParameters(), 0.01), data).shuffle(new Generator(1)).build().resumeFrom(dir));
        assertTrue(e.getMessage().contains("rng.shuffle"), e.getMessage());
        var g = new Generator(27);
        var withDropout = new Sequential(new Linear(D, 8, true, DType.FLOAT64, g), new Tanh(), new Linear(8, 1, true, DType.FLOAT64, g),
                new Dropout(0.1, new Generator(28)));
        e = assertThrows(IllegalArgumentException.class,
                () -> builder(withDropout, Optimizers.sgd(withDropout.namedParameters(), 0.01), data).build().resumeFrom(dir));
        assertTrue(e.getMessage().contains("rng.model.3.generator"), e.getMessage());
    }

    @Test
    void cancellationStopsBetweenBatchesAndKeepsTheLastWeights() {
        Tensor[] data = regression(28, 64);
        var model = mlp(29);
        var token = new Cancellation.Token();
        double[][] afterCancel = new double[1][];
        var trainer = builder(model, Optimizers.sgd(model.namedParameters(), 0.01), data).epochs(5)
                .callback(new Callback() {
                    @Override
                    public boolean onBatchEnd(long step, double loss) {
                        if (step == 2) {
                            token.cancel();
                            afterCancel[0] = weights(model);
                        }
                        return false;
                    }
                }).build();
        Cancellation.bind(token);
        try {
            assertThrows(CancellationException.class, trainer::fit);
        } finally {
            Cancellation.bind(null);
        }
        assertEquals(3, trainer.step());
        assertArrayEquals(bits(afterCancel[0]), bits(weights(model)));

        var cancelled = new Cancellation.Token();
        cancelled.cancel();
        double[] before = weights(model);
        Cancellation.bind(cancelled);
        try {
            assertThrows(CancellationException.class, trainer::fit);
        } finally {
            Cancellation.bind(null);
        }
        assertArrayEquals(bits(before), bits(weights(model)));
    }

    @Test
    void badArgumentsAreNamed() {
        Tensor[] data = regression(30, 10);
        var model = mlp(31);
        var opt = Optimizers.sgd(model.namedParameters(), 0.01);
        var e = assertThrows(IllegalArgumentException.class, () -> Trainer.builder(model, opt, Scores::mse).batchSize(0));
        assertTrue(e.getMessage().contains("batchSize 0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Trainer.builder(model, opt, Scores::mse).data(data[0], data[1].narrow(0, 0, 9)));
        assertTrue(e.getMessage().contains("x has 10 samples") && e.getMessage().contains("y has 9"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Trainer.builder(model, opt, Scores::mse).validation(data[0].narrow(0, 0, 4), data[1]));
        assertTrue(e.getMessage().startsWith("Trainer.validation"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Trainer.builder(model, opt, Scores::mse).data(data[0], data[1]).epochs(1).build());
        assertTrue(e.getMessage().contains("batch size"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Trainer.builder(model, opt, Scores::mse).epochs(-1));
        assertTrue(e.getMessage().contains("epochs -1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Trainer.builder(null, opt, Scores::mse));
        assertTrue(e.getMessage().contains("model is null"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Trainer.builder(model, opt, Scores::mse).checkpoint(Path.of("x"), 0));
        assertTrue(e.getMessage().contains("everyEpochs 0"), e.getMessage());
        var trainer = builder(model, opt, data).build();
        e = assertThrows(IllegalArgumentException.class, () -> trainer.evaluate(data[0], data[1].narrow(0, 0, 3)));
        assertTrue(e.getMessage().startsWith("Trainer.evaluate"), e.getMessage());
        var bad = Trainer.builder(model, opt, (p, t) -> p.sub(t)).data(data[0], data[1]).batchSize(4).epochs(1).display(false).build();
        var s = assertThrows(IllegalStateException.class, bad::fit);
        assertTrue(s.getMessage().contains("expected a scalar"), s.getMessage());
    }

    @Test
    void float32ModelsTrainAndPredictKeepsTheDtype() {
        Tensor[] data = regression(32, 128);
        Tensor x = data[0].to(DType.FLOAT32), y = data[1].to(DType.FLOAT32);
        var model = new Linear(D, 1, true, DType.FLOAT32, new Generator(33));
        var trainer = Trainer.builder(model, Optimizers.adam(model.namedParameters(), 0.05), Scores::mse)
                .data(x, y).batchSize(16).epochs(40).shuffle(new Generator(34)).display(false).build();
        trainer.fit();
        Tensor pred = trainer.predict(x);
        assertEquals(DType.FLOAT32, pred.dtype());
        assertArrayEquals(new int[] {128, 1}, pred.shape());
        assertTrue(model.isTraining(), "predict restores training mode");
        float[] p = pred.toFloatArray(), t = y.toFloatArray();
        double s = 0;
        for (int i = 0; i < p.length; i++) s += ((double) p[i] - t[i]) * ((double) p[i] - t[i]) / p.length;
        assertTrue(s < 1.3 * NOISE * NOISE, "float32 mse " + s);
        // predictions in batches equal one full forward pass
        model.eval();
        assertArrayEquals(model.call(x).toFloatArray(), p);
        model.train();
    }
}
