package callisto.cli;

import callisto.tensor.DType;
import callisto.tensor.Generator;
import callisto.tensor.GradMode;
import callisto.tensor.Losses;
import callisto.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code mlp_adam} reference workload of ../shared/bench/pytorch/mlp_adam.py on Callisto tensors: an MLP
 * 2→256→256→256→1 (tanh, float32, PyTorch's default Linear init) trained with Adam (lr 1e-3) on batches of 1024
 * drawn with replacement from 65536 points of f(x, y) = sin(πx) cos(πy) + 0.5 exp(-5((x-0.3)² + (y+0.2)²)).
 * The Adam is the optimizer library's ({@code Optimizers.adam}, PyTorch's update and defaults).
 */
final class MlpAdamBench {
    static final int BATCH = 1024, TRAIN = 65536;

    record Result(double secondsPerStep, double finalLoss, double testMse) {
    }

    private MlpAdamBench() {
    }

    static Result run(int steps) {
        var data = new Generator(0);
        float[] xs = data.uniform(-1, 1, TRAIN, 2).toFloatArray();
        float[] ys = target(xs);
        train(model(new Generator(123)), 20, xs, ys, new Generator(123)); // warm-up on a throw-away model
        List<Tensor> params = model(new Generator(1));
        long t0 = System.nanoTime();
        double loss = train(params, steps, xs, ys, new Generator(1));
        double perStep = (System.nanoTime() - t0) / 1e9 / steps;
        float[] grid = new float[64 * 64 * 2];
        for (int i = 0; i < 64; i++) {
            for (int j = 0; j < 64; j++) {
                grid[(i * 64 + j) * 2] = -1 + 2f * i / 63;
                grid[(i * 64 + j) * 2 + 1] = -1 + 2f * j / 63;
            }
        }
        double test;
        try (var off = GradMode.noGrad()) {
            test = Losses.mse(forward(params, Tensor.of(grid, 64 * 64, 2)), Tensor.of(target(grid), 64 * 64, 1)).item();
        }
        return new Result(perStep, loss, test);
    }

    private static float[] target(float[] xy) {
        float[] y = new float[xy.length / 2];
        for (int i = 0; i < y.length; i++) {
            double a = xy[2 * i], b = xy[2 * i + 1];
            y[i] = (float) (Math.sin(Math.PI * a) * Math.cos(Math.PI * b) + 0.5 * Math.exp(-5 * ((a - 0.3) * (a - 0.3) + (b + 0.2) * (b + 0.2))));
        }
        return y;
    }

    /** Weights [in, out] and biases [out], uniform on ±1/√in as torch.nn.Linear's default. */
    private static List<Tensor> model(Generator g) {
        int[] widths = {2, 256, 256, 256, 1};
        var params = new ArrayList<Tensor>();
        for (int l = 0; l + 1 < widths.length; l++) {
            double bound = 1 / Math.sqrt(widths[l]);
            params.add(g.uniform(-bound, bound, widths[l], widths[l + 1]).to(DType.FLOAT32).requiresGrad(true));
            params.add(g.uniform(-bound, bound, widths[l + 1]).to(DType.FLOAT32).requiresGrad(true));
        }
        return params;
    }

    private static Tensor forward(List<Tensor> p, Tensor x) {
        for (int l = 0; l < p.size(); l += 2) {
            x = x.matmul(p.get(l)).add(p.get(l + 1));
            if (l + 2 < p.size()) x = x.tanh();
        }
        return x;
    }

    private static double train(List<Tensor> params, int steps, float[] xs, float[] ys, Generator g) {
        var adam = callisto.optim.Optimizers.adam(named(params), 1e-3);
        Tensor loss = null;
        float[] xb = new float[BATCH * 2], yb = new float[BATCH];
        for (int step = 1; step <= steps; step++) {
            long[] idx = g.randint(0, TRAIN, BATCH).toLongArray();
            for (int i = 0; i < BATCH; i++) {
                int r = (int) idx[i];
                xb[2 * i] = xs[2 * r];
                xb[2 * i + 1] = xs[2 * r + 1];
                yb[i] = ys[r];
            }
            adam.zeroGrad();
            loss = Losses.mse(forward(params, Tensor.of(xb, BATCH, 2)), Tensor.of(yb, BATCH, 1));
            loss.backward();
            adam.step();
        }
        return loss.item();
    }

    public static void main(String[] args) {
        int steps = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        for (int r = 0; r < 3; r++) {
            Result res = run(steps);
            System.out.printf(java.util.Locale.ROOT, "mlp_adam: %.3f ms/step, final loss %.5f, test mse %.5f%n",
                    res.secondsPerStep() * 1e3, res.finalLoss(), res.testMse());
        }
    }

    /** The parameters by position as named tensors ("p0", "p1", ...), as the optimizers take them. */
    static java.util.Map<String, Tensor> named(List<Tensor> params) {
        var m = new java.util.LinkedHashMap<String, Tensor>();
        for (int i = 0; i < params.size(); i++) m.put("p" + i, params.get(i));
        return m;
    }
}
