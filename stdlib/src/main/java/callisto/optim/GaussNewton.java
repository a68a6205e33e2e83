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
 * <p>The closure evaluates the residuals [B] from the current parameters (it need not call backward). For other
 * losses, {@link #step(Supplier, Loss, Tensor)} takes a closure computing the model's outputs and a {@link Loss}:
 * the curvature is then the generalized Gauss-Newton matrix {@code JᵀHJ} (H the loss Hessian in the outputs),
 * factored as {@code KᵀK} so that the same batch-sized solve applies (see {@link #crossEntropyDirection}).
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
     * @param loss        the batch loss before the step (½‖r‖² for least squares, the {@link Loss} summed otherwise)
     * @param newLoss     the loss after it (equal to loss when rejected)
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

    /**
     * The loss a {@link #step(Supplier, Loss, Tensor) model step} minimises over the closure's outputs, summed
     * over the batch (not averaged: λ is measured against the summed curvature).
     */
    public enum Loss {
        /** {@code ½ Σ (output - target)²} over outputs of any shape and targets of the same shape. */
        MSE,
        /**
         * {@code Σᵢ -log softmax(zᵢ)[yᵢ]} over logits z [B, C] and class indices y [B] (an integer tensor). Its
         * curvature is the generalized Gauss-Newton matrix {@code Jᵀ H J}, J the Jacobian of the logits and H
         * block diagonal with {@code diag(pᵢ) - pᵢpᵢᵀ} per sample.
         */
        SOFTMAX_CROSS_ENTROPY
    }

    /** One damped Gauss-Newton step on the residuals the closure computes: minimises {@code ½‖r‖²}. */
    public Step step(Supplier<Tensor> residuals) {
        return step(residuals, null, null);
    }

    /**
     * One damped generalized Gauss-Newton step on {@code loss(outputs(), targets)}, the closure computing the
     * model's outputs for the batch from the current parameters. With {@link Loss#MSE} this is the least-squares
     * step on {@code outputs - targets}; with {@link Loss#SOFTMAX_CROSS_ENTROPY} the step solves
     * {@code (JᵀHJ + λI) d = -Jᵀg} at batch size through {@link #crossEntropyDirection}.
     */
    public Step step(Supplier<Tensor> outputs, Loss loss, Tensor targets) {
        if ((loss == null) != (targets == null)) {
            throw new IllegalArgumentException("GaussNewton.step: loss = " + loss + ", targets " + (targets == null ? "null" : "given")
                    + "; expected both or neither");
        }
        if (loss != null) checkTargets(loss, targets);
        Cancellation.check();
        steps++;
        Tensor out;
        try (var on = GradMode.enableGrad()) {
            out = outputs.get();
            checkOutputs(loss, out, targets);
        }
        // The linearisation as a least-squares problem: loss L, "whitened" residuals w and Jacobian K with the
        // gradient Kᵀw and the Gauss-Newton model L - ½‖w‖² + ½‖w + Ks‖² (for least squares w = r, K = J).
        Tensor k, w;
        double crossEntropy = Double.NaN;
        if (loss == Loss.SOFTMAX_CROSS_ENTROPY) {
            int b = out.size(0), c = out.size(1);
            Tensor j = Functional.perSampleJacobian(out.reshape(b * c), params).to(DType.FLOAT64);
            Tensor z = out.detach().to(DType.FLOAT64);
            Tensor[] kw = whitenCrossEntropy(j, z, targets);
            k = kw[0];
            w = kw[1];
            crossEntropy = crossEntropySum(z, targets);
        } else {
            Tensor r = loss == null ? out : out.sub(targets.to(out.dtype())).reshape(out.numel());
            k = Functional.perSampleJacobian(r, params).to(DType.FLOAT64);
            w = r.detach().to(DType.FLOAT64);
        }
        double[] wv = w.toArray();
        double half = halfSquaredNorm(wv);
        double value = loss == Loss.SOFTMAX_CROSS_ENTROPY ? crossEntropy : half;
        double[] d = direction(k, w, lambda).toArray();
        double[] grad = k.transpose().matmul(w).toArray();

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
            for (int t = 0; t <= options.maxBacktracks(); t++) {
                Cancellation.check();
                double[] trial = new double[size];
                for (int i = 0; i < size; i++) trial[i] = theta[i] + alpha * p[i];
                point(trial);
                double trialLoss = lossAt(outputs, loss, targets);
                evals++;
                if (trialLoss <= value + options.armijo() * alpha * slope) {
                    double[] s = new double[size];
                    for (int i = 0; i < size; i++) s[i] = alpha * p[i];
                    double[] ks = k.matmul(Tensor.of(s, size)).toArray();
                    double model = 0;
                    for (int i = 0; i < ks.length; i++) model += 0.5 * (wv[i] + ks[i]) * (wv[i] + ks[i]);
                    double predicted = half - model, gain = predicted > 0 ? (value - trialLoss) / predicted : 0;
                    if (gain > 0.75) lambda = Math.max(options.lambdaMin(), lambda / options.lambdaDown());
                    else if (gain < 0.25) lambda = Math.min(options.lambdaMax(), lambda * options.lambdaUp());
                    previousStep = s;
                    return new Step(value, trialLoss, alpha, usedLambda, evals, true);
                }
                alpha *= options.backtrack();
            }
            point(theta);
        }
        lambda = Math.min(options.lambdaMax(), lambda * options.lambdaUp());
        previousStep = null;
        return new Step(value, value, 0, usedLambda, evals, false);
    }

    /**
     * The damped generalized Gauss-Newton direction {@code -(JᵀHJ + λI)⁻¹ Jᵀg} of the summed softmax
     * cross-entropy, for the Jacobian J [B·C, P] of the logits z [B, C] (row {@code i·C + c} is d z[i, c] / dθ),
     * class indices y [B], H = blockdiag(diag(pᵢ) - pᵢpᵢᵀ) and g = p - onehot(y). Float64 out.
     *
     * <p>Per sample {@code diag(p) - ppᵀ = AAᵀ} with {@code A = diag(√p) - p√pᵀ} (because Σp = 1), and
     * {@code g = A (g / √p)} (because Σg = 0), so {@code JᵀHJ = KᵀK} and {@code Jᵀg = Kᵀw} with
     * {@code K = AᵀJ} (rows {@code √p_c (J_c - Σₖ pₖJₖ)}) and {@code w = (p - y) / √p}: the least-squares
     * {@link #direction} on (K, w), a B·C × B·C Cholesky solve when B·C &lt;= P.
     */
    public static Tensor crossEntropyDirection(Tensor j, Tensor logits, Tensor targets, double lambda) {
        if (logits.dim() != 2) {
            throw new IllegalArgumentException("GaussNewton.crossEntropyDirection: logits have shape " + Arrays.toString(logits.shape())
                    + "; expected [B, C]");
        }
        checkTargets(Loss.SOFTMAX_CROSS_ENTROPY, targets);
        if (targets.size(0) != logits.size(0)) {
            throw new IllegalArgumentException("GaussNewton.crossEntropyDirection: targets have shape " + Arrays.toString(targets.shape())
                    + ", logits " + Arrays.toString(logits.shape()) + "; expected targets [" + logits.size(0) + "]");
        }
        if (j.dim() != 2 || j.size(0) != logits.numel()) {
            throw new IllegalArgumentException("GaussNewton.crossEntropyDirection: J has shape " + Arrays.toString(j.shape()) + ", logits "
                    + Arrays.toString(logits.shape()) + "; expected J [" + logits.numel() + ", P]");
        }
        Tensor[] kw = whitenCrossEntropy(j.to(DType.FLOAT64), logits.to(DType.FLOAT64), targets);
        return direction(kw[0], kw[1], lambda);
    }

    /** K = AᵀJ and w = (p - y)/√p for the cross-entropy GGN (see {@link #crossEntropyDirection}). */
    private static Tensor[] whitenCrossEntropy(Tensor j, Tensor logits, Tensor targets) {
        int b = logits.size(0), c = logits.size(1), n = j.size(1);
        double[] prob = logits.softmax(1).contiguous().toArray();
        long[] y = targets.toLongArray();
        double[] jv = j.contiguous().toArray();
        double[] k = new double[b * c * n], w = new double[b * c], mean = new double[n];
        for (int i = 0; i < b; i++) {
            if (y[i] < 0 || y[i] >= c) {
                throw new IllegalArgumentException("GaussNewton: target[" + i + "] = " + y[i] + " is not a class in [0, " + c + ")");
            }
            Arrays.fill(mean, 0);
            for (int a = 0; a < c; a++) {
                double pa = prob[i * c + a];
                int row = (i * c + a) * n;
                for (int q = 0; q < n; q++) mean[q] += pa * jv[row + q];
            }
            for (int a = 0; a < c; a++) {
                // p underflowing to 0 would make w infinite; a floor this small leaves every product Kᵀw exact to rounding.
                double pa = Math.max(prob[i * c + a], 1e-300), root = Math.sqrt(pa);
                w[i * c + a] = (prob[i * c + a] - (y[i] == a ? 1 : 0)) / root;
                int row = (i * c + a) * n;
                for (int q = 0; q < n; q++) k[row + q] = root * (jv[row + q] - mean[q]);
            }
        }
        return new Tensor[] {Tensor.of(k, b * c, n), Tensor.of(w, b * c)};
    }

    private static double crossEntropySum(Tensor logits, Tensor targets) {
        int b = logits.size(0), c = logits.size(1);
        double[] lp = logits.to(DType.FLOAT64).logSoftmax(1).contiguous().toArray();
        long[] y = targets.toLongArray();
        double s = 0;
        for (int i = 0; i < b; i++) s -= lp[i * c + (int) y[i]];
        return s;
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

    private static void checkTargets(Loss loss, Tensor targets) {
        if (loss == Loss.SOFTMAX_CROSS_ENTROPY && (targets.dim() != 1 || targets.dtype().isFloatingPoint() || targets.dtype() == DType.BOOL)) {
            throw new IllegalArgumentException("GaussNewton: cross-entropy targets are " + targets.dtype() + " of shape "
                    + Arrays.toString(targets.shape()) + "; expected integer class indices [B]");
        }
    }

    private static void checkOutputs(Loss loss, Tensor out, Tensor targets) {
        if (out == null || !out.dtype().isFloatingPoint()) {
            throw new IllegalArgumentException("GaussNewton.step: the closure returned " + (out == null ? "null" : out.dtype() + " of shape "
                    + Arrays.toString(out.shape())) + "; expected a floating-point tensor");
        }
        if (loss == null && out.dim() != 1) {
            throw new IllegalArgumentException("GaussNewton.step: the closure returned residuals of shape " + Arrays.toString(out.shape())
                    + "; expected [B]");
        }
        if (loss == Loss.MSE && !Arrays.equals(out.shape(), targets.shape())) {
            throw new IllegalArgumentException("GaussNewton.step: outputs have shape " + Arrays.toString(out.shape()) + ", targets "
                    + Arrays.toString(targets.shape()) + "; expected the same shape");
        }
        if (loss == Loss.SOFTMAX_CROSS_ENTROPY && (out.dim() != 2 || out.size(0) != targets.size(0))) {
            throw new IllegalArgumentException("GaussNewton.step: logits have shape " + Arrays.toString(out.shape()) + ", targets "
                    + Arrays.toString(targets.shape()) + "; expected logits [" + targets.size(0) + ", C]");
        }
    }

    private static double lossAt(Supplier<Tensor> outputs, Loss loss, Tensor targets) {
        try (var off = GradMode.noGrad()) {
            Tensor out = outputs.get();
            checkOutputs(loss, out, targets);
            if (loss == Loss.SOFTMAX_CROSS_ENTROPY) return crossEntropySum(out, targets);
            Tensor r = loss == null ? out : out.sub(targets.to(out.dtype()));
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
