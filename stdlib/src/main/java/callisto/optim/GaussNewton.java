package callisto.optim;

import callisto.linalg.Linalg;
import callisto.runtime.Cancellation;
import callisto.tensor.DType;
import callisto.tensor.Functional;
import callisto.tensor.GradMode;
import callisto.tensor.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Exact Gauss-Newton (EGN, Korbit et al. 2024) for least squares and small-batch training: minimises
 * {@code L(θ) = ½ Σᵢ rᵢ(θ)²} over the residuals of a batch of B samples.
 *
 * <p>Each {@link #step} forms the per-sample Jacobian J [B, P] (one reverse pass per residual, by
 * {@link Functional#perSampleJacobian}) and the damped Gauss-Newton direction
 * {@code d = -(JᵀJ + λI)⁻¹ Jᵀr}. When B &lt;= P it uses the Duncan–Guttman (Woodbury) identity
 * {@code d = -Jᵀ (JJᵀ + λI)⁻¹ r}, a B×B Cholesky solve instead of a P×P one; when B &gt; P it solves the P×P
 * normal equations directly (both are the same vector). The step {@code s = α p}, with
 * {@code p = d + β s_prev} (momentum β; p falls back to d when that is not a descent direction), takes the
 * first α in {@code lr, lr·ρ, lr·ρ², ...} meeting Armijo's condition {@code L(θ + αp) <= L(θ) + c α ∇Lᵀp}.
 *
 * <p>Damping follows Levenberg–Marquardt's gain ratio {@code q = (L(θ) - L(θ + s)) / (L(θ) - m(s))}, with the
 * Gauss-Newton model {@code m(s) = ½‖r + Js‖²}: q &gt; 3/4 divides λ by {@code lambdaDown}, q &lt; 1/4 multiplies it
 * by {@code lambdaUp}; when no trial step passes Armijo the step is rejected (parameters unchanged) and λ is
 * multiplied by {@code lambdaUp}. λ stays within [lambdaMin, lambdaMax].
 *
 * <p>The closure evaluates the residuals [B] from the current parameters (it need not call backward).
 */
public final class GaussNewton {
    /**
     * Settings.
     *
     * @param lr             first trial step α
     * @param lambda         initial damping λ &gt; 0
     * @param lambdaUp       factor on λ after a poor or rejected step (&gt; 1)
     * @param lambdaDown     divisor of λ after a good step (&gt; 1)
     * @param lambdaMin      smallest λ (&gt; 0: the B×B system stays positive definite)
     * @param lambdaMax      largest λ
     * @param momentum       β in [0, 1)
     * @param armijo         Armijo constant c in (0, 1)
     * @param backtrack      step shrink factor ρ in (0, 1)
     * @param maxBacktracks  trial steps after the first before rejecting
     */
    public record Options(double lr, double lambda, double lambdaUp, double lambdaDown, double lambdaMin, double lambdaMax,
                          double momentum, double armijo, double backtrack, int maxBacktracks) {
        public Options {
            if (!(lr > 0)) throw new IllegalArgumentException("GaussNewton.Options: lr = " + lr + "; expected > 0");
            if (!(lambdaMin > 0) || !(lambdaMax >= lambdaMin)) {
                throw new IllegalArgumentException("GaussNewton.Options: lambdaMin = " + lambdaMin + ", lambdaMax = " + lambdaMax
                        + "; expected 0 < lambdaMin <= lambdaMax");
            }
            if (!(lambda >= lambdaMin && lambda <= lambdaMax)) {
                throw new IllegalArgumentException("GaussNewton.Options: lambda = " + lambda + "; expected within [" + lambdaMin + ", " + lambdaMax + "]");
            }
            if (!(lambdaUp > 1)) throw new IllegalArgumentException("GaussNewton.Options: lambdaUp = " + lambdaUp + "; expected > 1");
            if (!(lambdaDown > 1)) throw new IllegalArgumentException("GaussNewton.Options: lambdaDown = " + lambdaDown + "; expected > 1");
            if (!(momentum >= 0 && momentum < 1)) throw new IllegalArgumentException("GaussNewton.Options: momentum = " + momentum + "; expected in [0, 1)");
            if (!(armijo > 0 && armijo < 1)) throw new IllegalArgumentException("GaussNewton.Options: armijo = " + armijo + "; expected in (0, 1)");
            if (!(backtrack > 0 && backtrack < 1)) throw new IllegalArgumentException("GaussNewton.Options: backtrack = " + backtrack + "; expected in (0, 1)");
            if (maxBacktracks < 0) throw new IllegalArgumentException("GaussNewton.Options: maxBacktracks = " + maxBacktracks + "; expected >= 0");
        }

        /** lr 1, λ 1e-3 (adapted by ×2 / ÷3 within [1e-12, 1e12]), no momentum, Armijo 1e-4, halving up to 20 times. */
        public static Options defaults() {
            return new Options(1, 1e-3, 2, 3, 1e-12, 1e12, 0, 1e-4, 0.5, 20);
        }

        public Options withLr(double v) {
            return new Options(v, lambda, lambdaUp, lambdaDown, lambdaMin, lambdaMax, momentum, armijo, backtrack, maxBacktracks);
        }

        public Options withLambda(double v) {
            return new Options(lr, v, lambdaUp, lambdaDown, lambdaMin, lambdaMax, momentum, armijo, backtrack, maxBacktracks);
        }

        public Options withMomentum(double v) {
            return new Options(lr, lambda, lambdaUp, lambdaDown, lambdaMin, lambdaMax, v, armijo, backtrack, maxBacktracks);
        }
    }

    /**
     * What one step did.
     *
     * @param loss        ½‖r‖² before the step
     * @param newLoss     ½‖r‖² after it (equal to loss when rejected)
     * @param stepSize    the accepted α (0 when rejected)
     * @param lambda      the damping the step used
     * @param evaluations residual evaluations, the Jacobian's included
     * @param accepted    whether the parameters moved
     */
    public record Step(double loss, double newLoss, double stepSize, double lambda, int evaluations, boolean accepted) {
    }

    private final Options options;
    private final List<String> names;
    private final List<Tensor> params;
    private final int size;
    private double lambda;
    private double[] previousStep;
    private int steps;

    /** An optimizer over {@code parameters} (floating-point leaves requiring grad; their order fixes the columns of J). */
    public GaussNewton(Map<String, Tensor> parameters, Options options) {
        if (parameters.isEmpty()) throw new IllegalArgumentException("GaussNewton: parameters is empty; expected at least one tensor");
        for (var e : parameters.entrySet()) {
            Tensor p = e.getValue();
            if (!p.dtype().isFloatingPoint() || !p.requiresGrad()) {
                throw new IllegalArgumentException("GaussNewton: parameter '" + e.getKey() + "' is a " + p.dtype()
                        + (p.requiresGrad() ? "" : " that does not require grad") + "; expected a floating-point leaf with requiresGrad");
            }
        }
        this.options = options;
        this.names = List.copyOf(parameters.keySet());
        this.params = List.copyOf(parameters.values());
        int s = 0;
        for (Tensor p : params) s += p.numel();
        this.size = s;
        this.lambda = options.lambda();
    }

    /** The damping the next step will use. */
    public double lambda() {
        return lambda;
    }

    /** Steps taken. */
    public int steps() {
        return steps;
    }

    /** One damped Gauss-Newton step on the residuals the closure computes. */
    public Step step(Supplier<Tensor> residuals) {
        Cancellation.check();
        steps++;
        Tensor r;
        try (var on = GradMode.enableGrad()) {
            r = residuals.get();
            checkResiduals(r);
        }
        double[] rv = r.detach().contiguous().toArray();
        Tensor j = Functional.perSampleJacobian(r, params).to(DType.FLOAT64);
        Tensor r64 = r.detach().to(DType.FLOAT64);
        double loss = halfSquaredNorm(rv);
        double[] d = direction(j, r64, lambda).toArray();
        double[] grad = j.transpose().matmul(r64).toArray();

        double[] p = d;
        if (options.momentum() > 0 && previousStep != null) {
            double[] withMomentum = new double[size];
            for (int i = 0; i < size; i++) withMomentum[i] = d[i] + options.momentum() * previousStep[i];
            if (LineSearch.dot(grad, withMomentum) < 0) p = withMomentum;
        }
        double slope = LineSearch.dot(grad, p);
        double[] theta = point();
        int evals = 1;
        double alpha = options.lr();
        double usedLambda = lambda;
        if (slope < 0) {
            for (int k = 0; k <= options.maxBacktracks(); k++) {
                Cancellation.check();
                double[] trial = new double[size];
                for (int i = 0; i < size; i++) trial[i] = theta[i] + alpha * p[i];
                point(trial);
                double trialLoss = lossAt(residuals);
                evals++;
                if (trialLoss <= loss + options.armijo() * alpha * slope) {
                    double[] s = new double[size];
                    for (int i = 0; i < size; i++) s[i] = alpha * p[i];
                    double[] js = j.matmul(Tensor.of(s, size)).toArray();
                    double model = 0;
                    for (int i = 0; i < js.length; i++) model += 0.5 * (rv[i] + js[i]) * (rv[i] + js[i]);
                    double predicted = loss - model, gain = predicted > 0 ? (loss - trialLoss) / predicted : 0;
                    if (gain > 0.75) lambda = Math.max(options.lambdaMin(), lambda / options.lambdaDown());
                    else if (gain < 0.25) lambda = Math.min(options.lambdaMax(), lambda * options.lambdaUp());
                    previousStep = s;
                    return new Step(loss, trialLoss, alpha, usedLambda, evals, true);
                }
                alpha *= options.backtrack();
            }
            point(theta);
        }
        lambda = Math.min(options.lambdaMax(), lambda * options.lambdaUp());
        previousStep = null;
        return new Step(loss, loss, 0, usedLambda, evals, false);
    }

    /**
     * The damped Gauss-Newton direction {@code -(JᵀJ + λI)⁻¹ Jᵀr} for J [B, P], r [B], λ &gt; 0: through the B×B
     * system {@code -Jᵀ (JJᵀ + λI)⁻¹ r} when B &lt;= P, else the P×P one. Float64 in, float64 out.
     */
    public static Tensor direction(Tensor j, Tensor r, double lambda) {
        checkSystem("direction", j, r, lambda);
        return j.size(0) <= j.size(1) ? duncanGuttman(j, r, lambda) : normalEquations(j, r, lambda);
    }

    /** {@code -Jᵀ (JJᵀ + λI)⁻¹ r} by a B×B Cholesky factorisation (the Duncan–Guttman form of the damped GN step). */
    public static Tensor duncanGuttman(Tensor j, Tensor r, double lambda) {
        checkSystem("duncanGuttman", j, r, lambda);
        int b = j.size(0);
        Tensor k = j.matmul(j.transpose()).add(Tensor.eye(j.dtype(), b).mul(lambda));
        Tensor z = Linalg.choleskySolve(r.reshape(b, 1), Linalg.cholesky(k));
        return j.transpose().matmul(z).reshape(j.size(1)).neg();
    }

    /** {@code -(JᵀJ + λI)⁻¹ Jᵀr} by a P×P Cholesky factorisation. */
    public static Tensor normalEquations(Tensor j, Tensor r, double lambda) {
        checkSystem("normalEquations", j, r, lambda);
        int p = j.size(1);
        Tensor a = j.transpose().matmul(j).add(Tensor.eye(j.dtype(), p).mul(lambda));
        Tensor g = j.transpose().matmul(r.reshape(j.size(0), 1));
        return Linalg.choleskySolve(g, Linalg.cholesky(a)).reshape(p).neg();
    }

    private static void checkSystem(String fn, Tensor j, Tensor r, double lambda) {
        if (j.dim() != 2) throw new IllegalArgumentException("GaussNewton." + fn + ": J has shape " + Arrays.toString(j.shape()) + "; expected [B, P]");
        if (r.dim() != 1 || r.size(0) != j.size(0)) {
            throw new IllegalArgumentException("GaussNewton." + fn + ": r has shape " + Arrays.toString(r.shape()) + ", J "
                    + Arrays.toString(j.shape()) + "; expected r [" + j.size(0) + "]");
        }
        if (!(lambda > 0)) throw new IllegalArgumentException("GaussNewton." + fn + ": lambda = " + lambda + "; expected > 0");
    }

    private void checkResiduals(Tensor r) {
        if (r == null || r.dim() != 1 || !r.dtype().isFloatingPoint()) {
            throw new IllegalArgumentException("GaussNewton.step: the closure returned " + (r == null ? "null" : r.dtype() + " of shape "
                    + Arrays.toString(r.shape())) + "; expected floating-point residuals [B]");
        }
    }

    private double lossAt(Supplier<Tensor> residuals) {
        try (var off = GradMode.noGrad()) {
            Tensor r = residuals.get();
            checkResiduals(r);
            return halfSquaredNorm(r.contiguous().toArray());
        }
    }

    private static double halfSquaredNorm(double[] r) {
        double s = 0;
        for (double v : r) s += v * v;
        return 0.5 * s;
    }

    private double[] point() {
        double[] x = new double[size];
        int at = 0;
        for (Tensor p : params) {
            double[] v = p.contiguous().toArray();
            System.arraycopy(v, 0, x, at, v.length);
            at += v.length;
        }
        return x;
    }

    private void point(double[] x) {
        int at = 0;
        try (var off = GradMode.noGrad()) {
            for (Tensor p : params) {
                p.copy_(Tensor.of(Arrays.copyOfRange(x, at, at + p.numel()), p.shape()).to(p.dtype()));
                at += p.numel();
            }
        }
    }

    @Override
    public String toString() {
        return "GaussNewton(" + new ArrayList<>(names) + ", P = " + size + ", lambda = " + lambda + ")";
    }
}
