package callisto.optim;

import callisto.runtime.Cancellation;
import callisto.tensor.Autograd;
import callisto.tensor.DType;
import callisto.tensor.GradMode;
import callisto.tensor.Tensor;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Limited-memory BFGS (Nocedal and Wright, <i>Numerical Optimization</i>, 2nd ed., Algorithms 7.4 and 7.5), with
 * the calling convention of {@code torch.optim.LBFGS}: a closure that recomputes the loss and its gradients.
 *
 * <p>All named parameters form one flat vector, in the map's order. Each {@link #step(Supplier)} runs up to
 * {@code maxIter} iterations, calling the closure (which zeroes the gradients, computes the loss, calls
 * {@code backward()} and returns the loss) whenever it needs f and ∇f. The curvature pairs, the pending step and
 * the iteration count survive between steps, so successive steps continue one run.
 *
 * <p>One iteration, at x with gradient g:
 * <ol>
 *   <li>If the previous iteration moved by s and its start had gradient g', the pair (s, y = g - g') enters the
 *       history, unless {@code sᵀy <= 1e-10 ‖s‖₂ ‖y‖₂}: a pair without clearly positive curvature would make the
 *       inverse Hessian estimate indefinite, so it is skipped. The oldest pair leaves once there are
 *       {@code historySize}.</li>
 *   <li>The direction is d = -H g by the two-loop recursion (Algorithm 7.4) over the stored pairs, with the
 *       initial matrix H₀ = γ I, γ = sᵀy / yᵀy of the newest stored pair (1 before any). The very first iteration
 *       of the optimizer uses d = -g.</li>
 *   <li>If gᵀd &gt; -toleranceChange the direction can no longer decrease f measurably and the run stops
 *       (converged).</li>
 *   <li>The first trial step is {@code lr}, except on the very first iteration where it is
 *       {@code min(1, 1/‖g‖₁)·lr}, because -g carries the scale of the gradient rather than of x. With
 *       {@code strongWolfe} on, {@link LineSearch#strongWolfe} (c1 = 1e-4, c2 = 0.9, interval tolerance
 *       {@code toleranceChange}, at most 25 evaluations per search and never more than this step has left of
 *       {@code maxEval}) picks the step from there; otherwise the trial step is taken as is and f, ∇f
 *       are evaluated at the new point only when another iteration of this step follows.</li>
 *   <li>The run stops (converged) when max |s| &lt;= toleranceChange, max |∇f| &lt;= toleranceGrad or
 *       |f_new - f| &lt; toleranceChange (the last two only where f, ∇f were evaluated at the new point), else
 *       (budget) at {@code maxIter} iterations or {@code maxEval} evaluations in this step. A step also returns
 *       at once when the gradient at its start already meets toleranceGrad. A line search that could not improve
 *       on its start returns t = 0, so s = 0 ends the run.</li>
 * </ol>
 *
 * <p>Vector arithmetic is in double precision whatever the parameters' dtype; parameters keep their dtype (float32
 * parameters are written back rounded, and s is measured between the rounded points).
 *
 * <pre>{@code
 * var lbfgs = new Lbfgs(model.namedParameters(), Lbfgs.Options.defaults().withStrongWolfe(true));
 * for (int epoch = 0; epoch < 10; epoch++) {
 *     lbfgs.step(() -> { model.zeroGrad(); Tensor loss = lossOf(model); loss.backward(); return loss; });
 * }
 * }</pre>
 */
public final class Lbfgs {
    /**
     * Settings (the same meaning as torch.optim.LBFGS's arguments).
     *
     * @param lr              the first trial step of every iteration (scaled on the very first one, see above);
     *                        the fixed step when {@code strongWolfe} is off
     * @param maxIter         most iterations per {@link #step} (for {@link #minimize}: in all)
     * @param maxEval         most function evaluations per step (line-search evaluations included)
     * @param toleranceGrad   converged when max |∇f| is at most this
     * @param toleranceChange converged when max |s| is at most this or |Δf| is below it; also the line search's
     *                        interval tolerance
     * @param historySize     how many (s, y) pairs the inverse Hessian estimate keeps
     * @param strongWolfe     pick each step by {@link LineSearch#strongWolfe}; else take the fixed step {@code lr}
     */
    public record Options(double lr, int maxIter, int maxEval, double toleranceGrad, double toleranceChange,
                          int historySize, boolean strongWolfe) {
        public Options {
            if (!(lr > 0) || Double.isInfinite(lr)) throw bad("lr", lr, "a finite value > 0");
            if (maxIter < 1) throw bad("maxIter", maxIter, ">= 1");
            if (maxEval < 1) throw bad("maxEval", maxEval, ">= 1");
            if (!(toleranceGrad >= 0)) throw bad("toleranceGrad", toleranceGrad, ">= 0");
            if (!(toleranceChange >= 0)) throw bad("toleranceChange", toleranceChange, ">= 0");
            if (historySize < 1) throw bad("historySize", historySize, ">= 1");
        }

        private static IllegalArgumentException bad(String name, Object value, String expected) {
            return new IllegalArgumentException("Lbfgs.Options: " + name + " = " + value + "; expected " + expected);
        }

        /** lr 1, 20 iterations, 25 evaluations, toleranceGrad 1e-7, toleranceChange 1e-9, history 100, no line search. */
        public static Options defaults() {
            return new Options(1, 20, 25, 1e-7, 1e-9, 100, false);
        }

        public Options withLr(double v) {
            return new Options(v, maxIter, maxEval, toleranceGrad, toleranceChange, historySize, strongWolfe);
        }

        /** Sets maxIter, and maxEval to maxIter·5/4 (the customary allowance for line-search evaluations). */
        public Options withMaxIter(int v) {
            return new Options(lr, v, Math.max(1, v * 5 / 4), toleranceGrad, toleranceChange, historySize, strongWolfe);
        }

        public Options withMaxEval(int v) {
            return new Options(lr, maxIter, v, toleranceGrad, toleranceChange, historySize, strongWolfe);
        }

        public Options withToleranceGrad(double v) {
            return new Options(lr, maxIter, maxEval, v, toleranceChange, historySize, strongWolfe);
        }

        public Options withToleranceChange(double v) {
            return new Options(lr, maxIter, maxEval, toleranceGrad, v, historySize, strongWolfe);
        }

        public Options withHistorySize(int v) {
            return new Options(lr, maxIter, maxEval, toleranceGrad, toleranceChange, v, strongWolfe);
        }

        public Options withStrongWolfe(boolean v) {
            return new Options(lr, maxIter, maxEval, toleranceGrad, toleranceChange, historySize, v);
        }
    }

    /**
     * The outcome of {@link #minimize}.
     *
     * @param x           the last iterate (dtype and shape of x0)
     * @param f           f(x)
     * @param iterations  iterations taken
     * @param evaluations function (and gradient) evaluations
     * @param converged   whether a tolerance stopped the run (gradient, step, change in f or directional
     *                    derivative) rather than the iteration or evaluation budget
     */
    public record Result(Tensor x, double f, int iterations, int evaluations, boolean converged) {
    }

    /** The flat problem: its current point, and f with ∇f there. */
    private interface Problem {
        /** A fresh copy of the current point. */
        double[] point();

        /** Moves to {@code x} (rounded to the problem's dtype). */
        void point(double[] x);

        /** f and ∇f at the current point. */
        LineSearch.Evaluation evaluate();
    }

    private static final double CURVATURE_EPS = 1e-10;
    private static final double C1 = 1e-4, C2 = 0.9;
    // Per search: when f differences sink into rounding noise near a minimum, sufficient decrease can no longer be
    // verified and the zoom would otherwise spend the whole step's budget shrinking towards t = 0.
    private static final int LINE_SEARCH_EVALUATIONS = 25;

    private final Options options;
    private final Problem problem;
    private Supplier<Tensor> closure;
    private Tensor firstLoss;

    // Curvature pairs, oldest first, with ρ = 1 / sᵀy.
    private final ArrayDeque<double[]> sHistory = new ArrayDeque<>(), yHistory = new ArrayDeque<>();
    private final ArrayDeque<Double> rhoHistory = new ArrayDeque<>();
    private double gamma = 1;
    // The last move and the gradient where it started: half of a pair, completed by the next gradient.
    private double[] pendingStep, pendingGrad;
    private int iterations, evaluations;
    private boolean lastConverged;

    /** An optimizer over {@code parameters} (floating-point leaves that require grad; their order fixes the flat vector). */
    public Lbfgs(Map<String, Tensor> parameters, Options options) {
        if (parameters.isEmpty()) throw new IllegalArgumentException("Lbfgs: parameters is empty; expected at least one tensor");
        for (var e : parameters.entrySet()) {
            Tensor p = e.getValue();
            if (!p.dtype().isFloatingPoint() || !p.requiresGrad() || !p.isLeaf()) {
                throw new IllegalArgumentException("Lbfgs: parameter '" + e.getKey() + "' is a " + p.dtype()
                        + (p.requiresGrad() ? (p.isLeaf() ? "" : " non-leaf") : " that does not require grad")
                        + " tensor; expected a floating-point leaf with requiresGrad");
            }
        }
        this.options = options;
        this.problem = new Parameters(new LinkedHashMap<>(parameters));
    }

    private Lbfgs(Problem problem, Options options) {
        this.options = options;
        this.problem = problem;
    }

    /**
     * One optimizer step (up to {@code maxIter} iterations and {@code maxEval} closure calls); returns the loss
     * the closure gave on its first call, i.e. at the point the step started from.
     */
    public Tensor step(Supplier<Tensor> closure) {
        this.closure = closure;
        this.firstLoss = null;
        try {
            iterate();
            return firstLoss;
        } finally {
            this.closure = null;
        }
    }

    /** Iterations taken over all steps. */
    public int iterations() {
        return iterations;
    }

    /** Closure (function) evaluations over all steps. */
    public int evaluations() {
        return evaluations;
    }

    /**
     * Minimises a scalar {@code f} from {@code x0} (any shape, float32 or float64): {@code options.maxIter()}
     * bounds the iterations in all and {@code options.maxEval()} the evaluations.
     */
    public static Result minimize(Function<Tensor, Tensor> f, Tensor x0, Options options) {
        if (!x0.dtype().isFloatingPoint()) {
            throw new IllegalArgumentException("Lbfgs.minimize: x0 is " + x0.dtype() + " of shape " + Arrays.toString(x0.shape())
                    + "; expected float32 or float64");
        }
        var problem = new FunctionProblem(f, x0);
        var lbfgs = new Lbfgs(problem, options);
        lbfgs.iterate();
        return new Result(problem.tensor(problem.x), problem.value(), lbfgs.iterations, lbfgs.evaluations, lbfgs.lastConverged);
    }

    /** Algorithm 7.5, for at most maxIter iterations and maxEval evaluations from the current point. */
    private void iterate() {
        lastConverged = false;
        int stepEvaluations = 0;
        double[] x = problem.point();
        LineSearch.Evaluation here = evaluate();
        stepEvaluations++;
        if (maxAbs(here.g()) <= options.toleranceGrad()) {
            lastConverged = true;
            return;
        }
        for (int k = 1; ; k++) {
            Cancellation.check();
            double[] g = here.g();
            double f = here.f();
            if (pendingStep != null) remember(pendingStep, subtract(g, pendingGrad));
            boolean first = iterations == 0;
            iterations++;
            double[] d = first ? scaled(g, -1) : direction(g);
            double gtd = LineSearch.dot(g, d);
            if (gtd > -options.toleranceChange()) {
                lastConverged = true;
                return;
            }
            double t = first ? Math.min(1, 1 / sumAbs(g)) * options.lr() : options.lr();

            double[] next;
            boolean evaluatedThere;
            if (options.strongWolfe()) {
                double[] from = x;
                int budget = Math.max(1, Math.min(LINE_SEARCH_EVALUATIONS, options.maxEval() - stepEvaluations));
                LineSearch.Result ls = LineSearch.strongWolfe(s -> {
                    problem.point(along(from, s, d));
                    return evaluate();
                }, d, t, f, g, gtd, C1, C2, options.toleranceChange(), budget);
                stepEvaluations += ls.evaluations();
                next = along(x, ls.t(), d);
                problem.point(next);
                here = new LineSearch.Evaluation(ls.f(), ls.g());
                evaluatedThere = true;
            } else {
                next = along(x, t, d);
                problem.point(next);
                evaluatedThere = k < options.maxIter() && stepEvaluations < options.maxEval();
                if (evaluatedThere) {
                    here = evaluate();
                    stepEvaluations++;
                }
            }
            // Measured between the points actually stored, so float32 rounding does not corrupt the pair.
            double[] stored = problem.point();
            pendingStep = subtract(stored, x);
            pendingGrad = g;
            x = stored;

            // Tolerances before budgets: a point that meets a tolerance has converged even if the budget ran out
            // on the way there. Without a fresh evaluation only the step size can be judged.
            if (maxAbs(pendingStep) <= options.toleranceChange() || evaluatedThere && (maxAbs(here.g()) <= options.toleranceGrad()
                    || Math.abs(here.f() - f) < options.toleranceChange())) {
                lastConverged = true;
                return;
            }
            if (k >= options.maxIter() || stepEvaluations >= options.maxEval()) return;
        }
    }

    private LineSearch.Evaluation evaluate() {
        evaluations++;
        return problem.evaluate();
    }

    /** Stores (s, y) when sᵀy is clearly positive; the newest pair sets γ. */
    private void remember(double[] s, double[] y) {
        double sy = LineSearch.dot(s, y), yy = LineSearch.dot(y, y);
        if (!(sy > CURVATURE_EPS * Math.sqrt(LineSearch.dot(s, s) * yy))) return;
        if (sHistory.size() == options.historySize()) {
            sHistory.removeFirst();
            yHistory.removeFirst();
            rhoHistory.removeFirst();
        }
        sHistory.addLast(s);
        yHistory.addLast(y);
        rhoHistory.addLast(1 / sy);
        gamma = sy / yy;
    }

    /** Algorithm 7.4: -H g, H the inverse Hessian estimate from γ I and the stored pairs (newest first, then back). */
    private double[] direction(double[] g) {
        int m = sHistory.size();
        double[] q = g.clone(), alpha = new double[m];
        Iterator<double[]> s = sHistory.descendingIterator(), y = yHistory.descendingIterator();
        Iterator<Double> rho = rhoHistory.descendingIterator();
        for (int i = m - 1; i >= 0; i--) {
            double[] si = s.next(), yi = y.next();
            alpha[i] = rho.next() * LineSearch.dot(si, q);
            addScaled(q, -alpha[i], yi);
        }
        double[] r = scaled(q, gamma);
        s = sHistory.iterator();
        y = yHistory.iterator();
        rho = rhoHistory.iterator();
        for (int i = 0; i < m; i++) {
            double[] si = s.next(), yi = y.next();
            double beta = rho.next() * LineSearch.dot(yi, r);
            addScaled(r, alpha[i] - beta, si);
        }
        for (int i = 0; i < r.length; i++) r[i] = -r[i];
        return r;
    }

    /** The named parameters as the flat problem; f and ∇f come from the closure, ∇f from the parameters' grads. */
    private final class Parameters implements Problem {
        private final List<String> names;
        private final List<Tensor> tensors;
        private final int size;

        Parameters(LinkedHashMap<String, Tensor> parameters) {
            this.names = List.copyOf(parameters.keySet());
            this.tensors = List.copyOf(parameters.values());
            int n = 0;
            for (Tensor p : tensors) n += p.numel();
            this.size = n;
        }

        public double[] point() {
            double[] x = new double[size];
            int at = 0;
            for (Tensor p : tensors) {
                double[] v = p.contiguous().toArray();
                System.arraycopy(v, 0, x, at, v.length);
                at += v.length;
            }
            return x;
        }

        public void point(double[] x) {
            int at = 0;
            try (var off = GradMode.noGrad()) {
                for (Tensor p : tensors) {
                    p.copy_(Tensor.of(Arrays.copyOfRange(x, at, at + p.numel()), p.shape()).to(p.dtype()));
                    at += p.numel();
                }
            }
        }

        public LineSearch.Evaluation evaluate() {
            Tensor loss;
            try (var on = GradMode.enableGrad()) {
                loss = closure.get();
            }
            if (loss == null || loss.numel() != 1 || !loss.dtype().isFloatingPoint()) {
                throw new IllegalArgumentException("Lbfgs.step: the closure returned " + (loss == null ? "null"
                        : loss.dtype() + " of shape " + Arrays.toString(loss.shape())) + "; expected a floating-point scalar loss");
            }
            if (firstLoss == null) firstLoss = loss;
            double[] g = new double[size];
            int at = 0;
            for (int i = 0; i < tensors.size(); i++) {
                Tensor p = tensors.get(i), grad = p.grad();
                if (grad != null) {
                    double[] v = grad.contiguous().toArray();
                    System.arraycopy(v, 0, g, at, v.length);
                }
                at += p.numel();
            }
            return new LineSearch.Evaluation(loss.item(), g);
        }

        @Override
        public String toString() {
            return "Lbfgs parameters " + names;
        }
    }

    /** A function of one tensor as the flat problem; ∇f by {@link Autograd#grad}. */
    private static final class FunctionProblem implements Problem {
        private final Function<Tensor, Tensor> f;
        private final int[] shape;
        private final DType dtype;
        double[] x;
        private double[] evaluatedAt;
        private double fEvaluated;

        FunctionProblem(Function<Tensor, Tensor> f, Tensor x0) {
            this.f = f;
            this.shape = x0.shape();
            this.dtype = x0.dtype();
            this.x = x0.detach().contiguous().toArray();
        }

        Tensor tensor(double[] v) {
            return Tensor.of(v, shape).to(dtype);
        }

        public double[] point() {
            return x.clone();
        }

        public void point(double[] v) {
            x = dtype == DType.FLOAT32 ? roundToFloat(v) : v.clone();
        }

        public LineSearch.Evaluation evaluate() {
            Tensor at = tensor(x).requiresGrad(true);
            double fx;
            double[] g;
            try (var on = GradMode.enableGrad()) {
                Tensor y = check(f.apply(at));
                fx = y.item();
                g = Autograd.grad(y, at, false).contiguous().toArray();
            }
            evaluatedAt = x.clone();
            fEvaluated = fx;
            return new LineSearch.Evaluation(fx, g);
        }

        /** f at the current point; evaluated afresh (without a gradient) when the last evaluation was elsewhere. */
        double value() {
            if (evaluatedAt != null && Arrays.equals(evaluatedAt, x)) return fEvaluated;
            try (var off = GradMode.noGrad()) {
                return check(f.apply(tensor(x))).item();
            }
        }

        private static Tensor check(Tensor y) {
            if (y == null || y.numel() != 1 || !y.dtype().isFloatingPoint()) {
                throw new IllegalArgumentException("Lbfgs.minimize: f returned " + (y == null ? "null"
                        : y.dtype() + " of shape " + Arrays.toString(y.shape())) + "; expected a floating-point scalar");
            }
            return y;
        }
    }

    private static double[] roundToFloat(double[] v) {
        double[] r = new double[v.length];
        for (int i = 0; i < v.length; i++) r[i] = (float) v[i];
        return r;
    }

    /** x + t d, written out so a trial point and the accepted point have the same bits for the same t. */
    private static double[] along(double[] x, double t, double[] d) {
        double[] r = new double[x.length];
        for (int i = 0; i < x.length; i++) r[i] = x[i] + t * d[i];
        return r;
    }

    private static double[] subtract(double[] a, double[] b) {
        double[] r = new double[a.length];
        for (int i = 0; i < a.length; i++) r[i] = a[i] - b[i];
        return r;
    }

    private static void addScaled(double[] acc, double a, double[] v) {
        for (int i = 0; i < acc.length; i++) acc[i] += a * v[i];
    }

    private static double[] scaled(double[] v, double a) {
        double[] r = new double[v.length];
        for (int i = 0; i < v.length; i++) r[i] = a * v[i];
        return r;
    }

    private static double maxAbs(double[] v) {
        return LineSearch.maxAbs(v);
    }

    private static double sumAbs(double[] v) {
        double s = 0;
        for (double e : v) s += Math.abs(e);
        return s;
    }
}
