package callisto.cli;

import callisto.optim.Lbfgs;
import callisto.tensor.Autograd;
import callisto.tensor.DType;
import callisto.tensor.GradMode;
import callisto.tensor.Tensor;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;

/**
 * The {@code lbfgs_rosenbrock} reference workload (issue 7) of bench/pytorch/lbfgs_rosenbrock.py on Callisto
 * tensors: {@link Lbfgs} with the strong-Wolfe line search on the 100-dimensional extended Rosenbrock function
 * f(x) = Σ_{i=1}^{99} 100 (x_{i+1} - x_i²)² + (1 - x_i)², float64, from x0 = (-1.2, 1, -1.2, 1, ...), with
 * toleranceGrad 1e-9, toleranceChange 1e-14 and 600 iterations (750 evaluations) in one step.
 *
 * <p>f and ∇f come from autograd (tensor ops, then backward or {@link Autograd#grad}), as on the PyTorch side, so
 * the time includes the graph's overhead. Two forms are measured: the closure form of {@code torch.optim.LBFGS}
 * ({@link Lbfgs#step} on a named parameter) and the functional {@link Lbfgs#minimize}. Each time is one whole
 * optimisation, the median (and min) of 15 runs after 3 warm-up runs.
 */
final class LbfgsBench {
    static final int N = 100, MAX_ITER = 600, WARMUP = 3, RUNS = 15;

    /** How the optimizer is driven. */
    enum Form { CLOSURE, MINIMIZE }

    /**
     * One configuration's outcome.
     *
     * @param iterations  L-BFGS iterations of the (last) run
     * @param evaluations f and ∇f evaluations of the (last) run
     * @param f           f at the final point
     * @param maxAbsGrad  max |∇f| at the final point
     * @param msMedian    milliseconds per optimisation, median over the runs
     * @param msMin       the fastest run
     * @param iterationsMin fewest iterations of any timed run (equal to iterationsMax when every run took the
     *                      same path; Simd.sum's lane reduction can change bits once the JIT compiles it)
     * @param iterationsMax most iterations of any timed run
     */
    record Result(int iterations, int evaluations, double f, double maxAbsGrad, double msMedian, double msMin,
                  int iterationsMin, int iterationsMax) {
    }

    private LbfgsBench() {
    }

    static Result run(Form form, int history) {
        var options = Lbfgs.Options.defaults().withMaxIter(MAX_ITER).withToleranceGrad(1e-9).withToleranceChange(1e-14)
                .withHistorySize(history).withStrongWolfe(true);
        for (int r = 0; r < WARMUP; r++) solve(form, options);
        double[] ms = new double[RUNS];
        Solved last = null;
        int itMin = Integer.MAX_VALUE, itMax = 0;
        for (int r = 0; r < RUNS; r++) {
            last = solve(form, options);
            ms[r] = last.ms;
            itMin = Math.min(itMin, last.iterations);
            itMax = Math.max(itMax, last.iterations);
        }
        double[] fg = valueAndMaxAbsGrad(last.x);
        double[] sorted = ms.clone();
        Arrays.sort(sorted);
        return new Result(last.iterations, last.evaluations, fg[0], fg[1], sorted[RUNS / 2], sorted[0],
                itMin, itMax);
    }

    private record Solved(Tensor x, int iterations, int evaluations, double ms) {
    }

    private static Solved solve(Form form, Lbfgs.Options options) {
        if (form == Form.MINIMIZE) {
            Tensor x0 = start();
            long t0 = System.nanoTime();
            Lbfgs.Result r = Lbfgs.minimize(LbfgsBench::rosenbrock, x0, options);
            double ms = (System.nanoTime() - t0) / 1e6;
            return new Solved(r.x(), r.iterations(), r.evaluations(), ms);
        }
        Tensor x = start().requiresGrad(true);
        var params = new LinkedHashMap<String, Tensor>();
        params.put("x", x);
        long t0 = System.nanoTime();
        var lbfgs = new Lbfgs(params, options);
        lbfgs.step(() -> {
            x.zeroGrad();
            Tensor loss = rosenbrock(x);
            loss.backward();
            return loss;
        });
        double ms = (System.nanoTime() - t0) / 1e6;
        return new Solved(x.detach(), lbfgs.iterations(), lbfgs.evaluations(), ms);
    }

    /** The same tensor expression as the PyTorch side: (100 (b - a²)² + (1 - a)²).sum() with a = x[:-1], b = x[1:]. */
    static Tensor rosenbrock(Tensor x) {
        Tensor a = x.slice(0, 0, -1), b = x.slice(0, 1, x.shape()[0]);
        return b.sub(a.mul(a)).pow(2).mul(100).add(a.rsub(1).pow(2)).sum();
    }

    /** x0 = (-1.2, 1, -1.2, 1, ...), float64. */
    static Tensor start() {
        double[] v = new double[N];
        for (int i = 0; i < N; i++) v[i] = i % 2 == 0 ? -1.2 : 1;
        return Tensor.of(v, N).to(DType.FLOAT64);
    }

    /** f(x) and max |∇f(x)|, by autograd. */
    private static double[] valueAndMaxAbsGrad(Tensor x) {
        Tensor at = x.detach().requiresGrad(true);
        try (var on = GradMode.enableGrad()) {
            Tensor f = rosenbrock(at);
            double maxAbs = 0;
            for (double g : Autograd.grad(f, at, false).contiguous().toArray()) maxAbs = Math.max(maxAbs, Math.abs(g));
            return new double[] {f.item(), maxAbs};
        }
    }

    public static void main(String[] args) {
        System.out.println("| lbfgs_rosenbrock, n = 100, float64 | history | iterations (range over runs) | evaluations | final f"
                + " | max abs grad | ms median | ms min |");
        System.out.println("| --- | --- | --- | --- | --- | --- | --- | --- |");
        for (int history : new int[] {100, 10}) {
            for (Form form : Form.values()) {
                Result r = run(form, history);
                System.out.printf(Locale.ROOT, "| Callisto %s | %d | %d (%d-%d) | %d | %.3e | %.3e | %.1f | %.1f |%n",
                        form == Form.CLOSURE ? "Lbfgs.step (closure)" : "Lbfgs.minimize", history, r.iterations(),
                        r.iterationsMin(), r.iterationsMax(),
                        r.evaluations(), r.f(), r.maxAbsGrad(), r.msMedian(), r.msMin());
            }
        }
    }
}
