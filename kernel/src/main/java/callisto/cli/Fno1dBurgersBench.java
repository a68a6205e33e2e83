package callisto.cli;

import callisto.fft.Complex;
import callisto.fft.FFT;
import callisto.pde.Burgers;
import callisto.tensor.DType;
import callisto.tensor.Generator;
import callisto.tensor.GradMode;
import callisto.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code fno1d_burgers} reference workload of ../shared/bench/pytorch/fno1d_burgers.py on Callisto tensors,
 * same data, layout, initialization laws and training: FNO-1D (Linear(2, 64); 4 × [spectral conv with 16 modes
 * + 1×1 conv], GELU after the first three; Linear(64, 128), GELU, Linear(128, 1)) trained with Adam from the optimizer library (lr 1e-3,
 * batch 32, reshuffled every epoch) on the mean relative L2 error, float32.
 */
final class Fno1dBurgersBench {
    static final int N = 256, MODES = 16, WIDTH = 64, BATCH = 32, TRAIN = 512;

    /** Training seconds per epoch, the last batch loss and the test relative L2 (mean over the 128 test samples). */
    record Result(double secondsPerEpoch, double finalLoss, double testRelL2, int params) {
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
        List<Tensor> params = model(new Generator(seed));
        double[] out = train(params, epochs, aTrain, uTrain, new Generator(seed + 1));
        double test;
        try (var off = GradMode.noGrad()) {
            test = relL2(forward(params, aTest), uTest).mean().item();
        }
        int count = params.stream().mapToInt(Tensor::numel).sum();
        return new Result(out[0] / epochs, out[1], test, count);
    }

    /** {seconds of training, last loss}. */
    private static double[] train(List<Tensor> params, int epochs, Tensor a, Tensor u, Generator g) {
        var adam = callisto.optim.Optimizers.adam(MlpAdamBench.named(params), 1e-3);
        double seconds = 0, loss = Double.NaN;
        for (int ep = 0; ep < epochs; ep++) {
            long t0 = System.nanoTime();
            Tensor perm = Tensor.ofInts(g.permutation(TRAIN)).to(DType.INT64);
            for (int i = 0; i < TRAIN; i += BATCH) {
                Tensor idx = perm.narrow(0, i, BATCH);
                adam.zeroGrad();
                Tensor l = relL2(forward(params, a.indexSelect(0, idx)), u.indexSelect(0, idx)).mean();
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

    /**
     * fc0 (W, b), then per layer the spectral weight [64, 64, 16, 2] and the 1×1 conv (W [64, 64], b), then fc1,
     * fc2; Linear and Conv1d weights uniform on ±1/√fan_in as PyTorch's defaults, spectral weights
     * (1/(64·64))·U[0, 1) in both the real and the imaginary part.
     */
    private static List<Tensor> model(Generator g) {
        var p = new ArrayList<Tensor>();
        linear(p, g, 2, WIDTH);
        for (int l = 0; l < 4; l++) {
            p.add(param(g.uniform(0, 1.0 / (WIDTH * WIDTH), WIDTH, WIDTH, MODES, 2)));
            double bound = 1 / Math.sqrt(WIDTH);
            p.add(param(g.uniform(-bound, bound, WIDTH, WIDTH)));
            p.add(param(g.uniform(-bound, bound, WIDTH, 1)));
        }
        linear(p, g, WIDTH, 128);
        linear(p, g, 128, 1);
        return p;
    }

    private static void linear(List<Tensor> p, Generator g, int in, int out) {
        double bound = 1 / Math.sqrt(in);
        p.add(param(g.uniform(-bound, bound, in, out)));
        p.add(param(g.uniform(-bound, bound, out)));
    }

    private static Tensor param(Tensor t) {
        return t.to(DType.FLOAT32).requiresGrad(true);
    }

    static Tensor forward(List<Tensor> p, Tensor a) {
        int b = a.size(0);
        Tensor grid = Tensor.linspace(0, 1 - 1.0 / N, N).to(DType.FLOAT32).expand(b, N);
        Tensor x = Tensor.stack(List.of(a, grid), -1).matmul(p.get(0)).add(p.get(1)).permute(0, 2, 1); // [b, 64, n]
        for (int l = 0; l < 4; l++) {
            Tensor w = p.get(2 + 3 * l), conv = p.get(3 + 3 * l), bias = p.get(4 + 3 * l);
            Tensor modes = Complex.einsum("bim,iom->bom", FFT.lowModes(FFT.rfft(x), MODES), w);
            Tensor spectral = FFT.irfft(FFT.padModes(modes, N / 2 + 1), N);
            x = spectral.add(conv.matmul(x).add(bias));
            if (l < 3) x = x.gelu();
        }
        Tensor h = x.permute(0, 2, 1).matmul(p.get(14)).add(p.get(15)).gelu();
        return h.matmul(p.get(16)).add(p.get(17)).squeeze(-1);
    }

    public static void main(String[] args) throws IOException {
        int epochs = args.length > 0 ? Integer.parseInt(args[0]) : 25;
        Result r = run(epochs, 1);
        System.out.printf(java.util.Locale.ROOT, "fno1d_burgers: %.3f s/epoch, final loss %.5f, test rel L2 %.4f after %d epochs, %d params%n",
                r.secondsPerEpoch(), r.finalLoss(), r.testRelL2(), epochs, r.params());
    }
}
