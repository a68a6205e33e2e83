package callisto.cli;

import callisto.operators.FNO;
import callisto.optim.Optimizers;
import callisto.pde.Burgers;
import callisto.tensor.DType;
import callisto.tensor.Generator;
import callisto.tensor.GradMode;
import callisto.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Path;

/**
 * The {@code fno1d_burgers} reference workload of ../shared/bench/pytorch/fno1d_burgers.py on the stdlib's
 * {@link FNO}, same data, layout, initialization laws and training: FNO-1D (lifting of (a, x) to 64 channels; 4 ×
 * [spectral conv with 16 modes + 1×1 conv], GELU after the first three; 64 → 128, GELU, → 1) trained with Adam
 * from the optimizer library (lr 1e-3, batch 32, reshuffled every epoch) on the mean relative L2 error, float32.
 */
final class Fno1dBurgersBench {
    static final int N = 256, MODES = 16, WIDTH = 64, BATCH = 32, TRAIN = 512;

    /** Training seconds per epoch, the last batch loss and the test relative L2 (mean over the 128 test samples). */
    record Result(double secondsPerEpoch, double finalLoss, double testRelL2, long params) {
    }

    private Fno1dBurgersBench() {
    }

    static Path dataDir() throws IOException {
        return Burgers.findBenchData().orElseThrow(() -> new IOException(
                "fno1d_burgers: no burgers_a.f32 under shared/bench/data here or above (set CALLISTO_SHARED to the shared folder)"));
    }

    static Result run(int epochs, long seed) throws IOException {
        var data = Burgers.readBenchData(dataDir());
        Tensor aTrain = data.a().narrow(0, 0, TRAIN).contiguous(), uTrain = data.u().narrow(0, 0, TRAIN).contiguous();
        Tensor aTest = data.a().narrow(0, TRAIN, 128).contiguous(), uTest = data.u().narrow(0, TRAIN, 128).contiguous();
        train(model(new Generator(99)), 1, aTrain, uTrain, new Generator(98)); // warm-up on a throw-away model
        FNO fno = model(new Generator(seed));
        double[] out = train(fno, epochs, aTrain, uTrain, new Generator(seed + 1));
        double test;
        try (var off = GradMode.noGrad()) {
            test = relL2(forward(fno, aTest), uTest).mean().item();
        }
        return new Result(out[0] / epochs, out[1], test, fno.numParameters());
    }

    /** {seconds of training, last loss}. */
    private static double[] train(FNO fno, int epochs, Tensor a, Tensor u, Generator g) {
        var adam = Optimizers.adam(fno.namedParameters(), 1e-3);
        double seconds = 0, loss = Double.NaN;
        for (int ep = 0; ep < epochs; ep++) {
            long t0 = System.nanoTime();
            Tensor perm = Tensor.ofInts(g.permutation(TRAIN)).to(DType.INT64);
            for (int i = 0; i < TRAIN; i += BATCH) {
                Tensor idx = perm.narrow(0, i, BATCH);
                adam.zeroGrad();
                Tensor l = relL2(forward(fno, a.indexSelect(0, idx)), u.indexSelect(0, idx)).mean();
                l.backward();
                adam.step();
                loss = l.item();
            }
            seconds += (System.nanoTime() - t0) / 1e9;
        }
        return new double[] {seconds, loss};
    }

    private static Tensor relL2(Tensor pred, Tensor y) {
        return pred.sub(y).norm(1, false).div(y.norm(1, false));
    }

    private static FNO model(Generator g) {
        return FNO.of1d(1, 1, MODES, WIDTH, 4, DType.FLOAT32, g);
    }

    /** [b, n] ↦ [b, n]: the FNO takes and gives one channel. */
    static Tensor forward(FNO fno, Tensor a) {
        return fno.forward(a.unsqueeze(1)).squeeze(1);
    }

    public static void main(String[] args) throws IOException {
        int epochs = args.length > 0 ? Integer.parseInt(args[0]) : 25;
        Result r = run(epochs, 1);
        System.out.printf(java.util.Locale.ROOT, "fno1d_burgers: %.3f s/epoch, final loss %.5f, test rel L2 %.4f after %d epochs, %d params%n",
                r.secondsPerEpoch(), r.finalLoss(), r.testRelL2(), epochs, r.params());
    }
}
