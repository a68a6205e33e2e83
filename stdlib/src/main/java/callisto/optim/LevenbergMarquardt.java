package callisto.optim;

import callisto.linalg.Linalg;
import callisto.runtime.Cancellation;
import callisto.tensor.DType;
import callisto.tensor.Functional;
import callisto.tensor.GradMode;
import callisto.tensor.Tensor;

import java.util.function.Function;

/**
 * Levenberg–Marquardt for nonlinear least squares {@code min ½‖r(x)‖²}, with the full Jacobian and a P×P solve
 * per iteration (Madsen, Nielsen and Tingleff, <i>Methods for Non-Linear Least Squares Problems</i>, Alg. 3.16).
 *
 * <p>Each iteration solves {@code (JᵀJ + μD) h = -Jᵀr}, with D = I (Levenberg) or D = diag(JᵀJ) (Marquardt's
 * scaling, invariant to rescaling the variables), and accepts h when the gain ratio
 * {@code ρ = (F(x) - F(x + h)) / (½ hᵀ(μDh - Jᵀr))} is positive. Nielsen's damping update: on acceptance
 * {@code μ ← μ·max(1/3, 1 - (2ρ - 1)³)} and ν ← 2; on rejection {@code μ ← μ·ν}, ν ← 2ν. The initial μ is
 * τ·max diag(JᵀJ) (τ itself with Marquardt scaling).
 *
 * <p>The Jacobian comes from reverse mode ({@link Functional#jacobian}, one pass per residual); arithmetic is in
 * float64, the residual function sees tensors of x0's dtype and shape.
 */
public final class LevenbergMarquardt {
    private LevenbergMarquardt() {
    }

    /**
     * Settings.
     *
     * @param maxIter           most iterations (accepted or rejected)
     * @param tau               initial damping scale τ &gt; 0 (1e-6 for a good start, up to 1 for a poor one)
     * @param gradTol           stop when max |Jᵀr| &lt;= gradTol
     * @param stepTol           stop when ‖h‖ &lt;= stepTol·(‖x‖ + stepTol)
     * @param marquardtScaling  damp with diag(JᵀJ) instead of I
     */
    public record Options(int maxIter, double tau, double gradTol, double stepTol, boolean marquardtScaling) {
        public Options {
            if (maxIter < 1) throw new IllegalArgumentException("LevenbergMarquardt.Options: maxIter = " + maxIter + "; expected >= 1");
            if (!(tau > 0)) throw new IllegalArgumentException("LevenbergMarquardt.Options: tau = " + tau + "; expected > 0");
            if (!(gradTol >= 0)) throw new IllegalArgumentException("LevenbergMarquardt.Options: gradTol = " + gradTol + "; expected >= 0");
            if (!(stepTol >= 0)) throw new IllegalArgumentException("LevenbergMarquardt.Options: stepTol = " + stepTol + "; expected >= 0");
        }

        /** 200 iterations, τ = 1e-3, gradTol 1e-12, stepTol 1e-14, Levenberg damping (D = I). */
        public static Options defaults() {
            return new Options(200, 1e-3, 1e-12, 1e-14, false);
        }

        public Options withMaxIter(int v) {
            return new Options(v, tau, gradTol, stepTol, marquardtScaling);
        }

        public Options withTau(double v) {
            return new Options(maxIter, v, gradTol, stepTol, marquardtScaling);
        }

        public Options withGradTol(double v) {
            return new Options(maxIter, tau, v, stepTol, marquardtScaling);
        }

        public Options withStepTol(double v) {
            return new Options(maxIter, tau, gradTol, v, marquardtScaling);
        }

        public Options withMarquardtScaling(boolean v) {
            return new Options(maxIter, tau, gradTol, stepTol, v);
        }
    }

    /**
     * The outcome.
     *
     * @param x           the solution (x0's dtype and shape)
     * @param cost        ½‖r(x)‖²
     * @param iterations  iterations taken
     * @param evaluations residual evaluations (each Jacobian counts one)
     * @param converged   whether the gradient or step tolerance stopped it (else maxIter did)
     */
    public record Result(Tensor x, double cost, int iterations, int evaluations, boolean converged) {
    }

    /** Minimises ½‖r(x)‖² from x0; {@code residuals} returns a tensor of any shape (flattened). */
    public static Result minimize(Function<Tensor, Tensor> residuals, Tensor x0, Options options) {
        if (!x0.dtype().isFloatingPoint()) {
            throw new IllegalArgumentException("LevenbergMarquardt.minimize: x0 is " + x0.dtype() + "; expected FLOAT32 or FLOAT64");
        }
        int[] shape = x0.shape();
        DType dtype = x0.dtype();
        int n = x0.numel();
        double[] x = x0.detach().contiguous().toArray();
        double[] r = residualsAt(residuals, x, shape, dtype);
        int evals = 1;
        double cost = halfSquaredNorm(r);
        Tensor jac = jacobianAt(residuals, x, shape, dtype, r.length);
        Tensor a = jac.transpose().matmul(jac);
        double[] g = jac.transpose().matmul(Tensor.of(r, r.length)).toArray();
        double[] diag = diagonal(a.toArray(), n);
        double maxDiag = 0;
        for (double v : diag) maxDiag = Math.max(maxDiag, v);
        double mu = options.marquardtScaling() ? options.tau() : options.tau() * Math.max(maxDiag, Double.MIN_NORMAL);
        double nu = 2;
        boolean found = maxAbs(g) <= options.gradTol();
        int k = 0;
        while (!found && k < options.maxIter()) {
            Cancellation.check();
            k++;
            double[] damping = new double[n];
            for (int i = 0; i < n; i++) damping[i] = options.marquardtScaling() ? Math.max(diag[i], 1e-300) : 1;
            double[] h = solveDamped(a, g, mu, damping);
            if (norm(h) <= options.stepTol() * (norm(x) + options.stepTol())) {
                found = true;
                break;
            }
            double[] xNew = new double[n];
            for (int i = 0; i < n; i++) xNew[i] = x[i] + h[i];
            if (dtype == DType.FLOAT32) for (int i = 0; i < n; i++) xNew[i] = (float) xNew[i];
            double[] rNew = residualsAt(residuals, xNew, shape, dtype);
            evals++;
            double costNew = halfSquaredNorm(rNew);
            double predicted = 0;
            for (int i = 0; i < n; i++) predicted += 0.5 * h[i] * (mu * damping[i] * h[i] - g[i]);
            double rho = predicted > 0 ? (cost - costNew) / predicted : -1;
            if (rho > 0 && Double.isFinite(costNew)) {
                x = xNew;
                r = rNew;
                cost = costNew;
                jac = jacobianAt(residuals, x, shape, dtype, r.length);
                evals++;
                a = jac.transpose().matmul(jac);
                g = jac.transpose().matmul(Tensor.of(r, r.length)).toArray();
                diag = diagonal(a.toArray(), n);
                found = maxAbs(g) <= options.gradTol();
                double c = 2 * rho - 1;
                mu *= Math.max(1.0 / 3, 1 - c * c * c);
                nu = 2;
            } else {
                mu *= nu;
                nu *= 2;
                if (!Double.isFinite(mu)) break;
            }
        }
        return new Result(Tensor.of(x, shape).to(dtype), cost, k, evals, found);
    }

    /** h with (A + μ diag(damping)) h = -g. */
    private static double[] solveDamped(Tensor a, double[] g, double mu, double[] damping) {
        int n = g.length;
        double[] m = a.toArray();
        for (int i = 0; i < n; i++) m[i * n + i] += mu * damping[i];
        double[] rhs = new double[n];
        for (int i = 0; i < n; i++) rhs[i] = -g[i];
        return Linalg.solve(Tensor.of(m, n, n), Tensor.of(rhs, n)).toArray();
    }

    private static double[] residualsAt(Function<Tensor, Tensor> residuals, double[] x, int[] shape, DType dtype) {
        try (var off = GradMode.noGrad()) {
            Tensor r = residuals.apply(Tensor.of(x, shape).to(dtype));
            if (r == null || !r.dtype().isFloatingPoint()) {
                throw new IllegalArgumentException("LevenbergMarquardt.minimize: residuals returned " + (r == null ? "null" : r.dtype())
                        + "; expected a floating-point tensor");
            }
            return r.contiguous().toArray();
        }
    }

    private static Tensor jacobianAt(Function<Tensor, Tensor> residuals, double[] x, int[] shape, DType dtype, int m) {
        try (var on = GradMode.enableGrad()) {
            Tensor j = Functional.jacobian(residuals::apply, Tensor.of(x, shape).to(dtype)).to(DType.FLOAT64).detach();
            if (j.size(0) != m) {
                throw new IllegalStateException("LevenbergMarquardt.minimize: residuals changed length from " + m + " to " + j.size(0));
            }
            return j;
        }
    }

    private static double[] diagonal(double[] a, int n) {
        double[] d = new double[n];
        for (int i = 0; i < n; i++) d[i] = a[i * n + i];
        return d;
    }

    private static double halfSquaredNorm(double[] r) {
        double s = 0;
        for (double v : r) s += v * v;
        return 0.5 * s;
    }

    private static double norm(double[] v) {
        return Math.sqrt(2 * halfSquaredNorm(v));
    }

    private static double maxAbs(double[] v) {
        double m = 0;
        for (double e : v) m = Math.max(m, Math.abs(e));
        return m;
    }
}
