package callisto.optim;

import callisto.runtime.Cancellation;
import callisto.tensor.Autograd;
import callisto.tensor.DType;
import callisto.tensor.GradMode;
import callisto.tensor.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Limited-memory BFGS with PyTorch's {@code torch.optim.LBFGS} semantics.
 *
 * <p>All named parameters form one flat vector (in the map's order). Each {@link #step(Supplier)} runs up to
 * {@code maxIter} quasi-Newton iterations, calling the closure (which zeroes the gradients, computes the loss,
 * calls {@code backward()} and returns the loss) whenever it needs f and ∇f; the curvature history survives
 * between steps. The direction comes from the two-loop recursion over the last {@code historySize} pairs
 * (s, y), scaled by {@code sᵀy / yᵀy}; a pair with {@code sᵀy <= 1e-10} is skipped so the inverse Hessian
 * estimate stays positive definite. The step length is {@code lr} (the first iteration takes
 * {@code min(1, 1/‖g‖₁)·lr}), or what {@link LineSearch#strongWolfe} accepts starting from it.
 *
 * <p>Vector arithmetic is in double precision whatever the parameters' dtype; parameters keep their dtype
 * (float32 parameters are written back rounded).
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
     * Settings, as torch.optim.LBFGS's arguments.
     *
     * @param lr              step length (the line search's first trial step)
     * @param maxIter         most iterations per {@link #step} (for {@link #minimize}: in all)
     * @param maxEval         most function evaluations per step (PyTorch's default: maxIter·5/4)
     * @param toleranceGrad   stop when max |∇f| is at most this
     * @param toleranceChange stop when max |t·d| or |Δf| falls below this
     * @param historySize     how many (s, y) pairs the inverse Hessian estimate keeps
     * @param strongWolfe     search the step by {@link LineSearch#strongWolfe} (PyTorch's
     *                        {@code line_search_fn="strong_wolfe"}); else take the fixed step {@code lr}
     */
    public record Options(double lr, int maxIter, int maxEval, double toleranceGrad, double toleranceChange,
                          int historySize, boolean strongWolfe) {
        public Options {
            if (!(lr > 0)) throw new IllegalArgumentException("Lbfgs.Options: lr = " + lr + "; expected > 0");
            if (maxIter < 1) throw new IllegalArgumentException("Lbfgs.Options: maxIter = " + maxIter + "; expected >= 1");
            if (maxEval < 1) throw new IllegalArgumentException("Lbfgs.Options: maxEval = " + maxEval + "; expected >= 1");
            if (!(toleranceGrad >= 0)) throw new IllegalArgumentException("Lbfgs.Options: toleranceGrad = " + toleranceGrad + "; expected >= 0");
            if (!(toleranceChange >= 0)) {
                throw new IllegalArgumentException("Lbfgs.Options: toleranceChange = " + toleranceChange + "; expected >= 0");
            }
            if (historySize < 1) throw new IllegalArgumentException("Lbfgs.Options: historySize = " + historySize + "; expected >= 1");
        }

        /** PyTorch's defaults: lr 1, 20 iterations, 25 evaluations, tolerances 1e-7 and 1e-9, history 100, no line search. */
        public static Options defaults() {
            return new Options(1, 20, 25, 1e-7, 1e-9, 100, false);
        }

        public Options withLr(double v) {
            return new Options(v, maxIter, maxEval, toleranceGrad, toleranceChange, historySize, strongWolfe);
        }

        /** Sets maxIter, and maxEval to PyTorch's default for it (maxIter·5/4). */
        public Options withMaxIter(int v) {
            return new Options(lr, v, Math.max(1, v + v / 4), toleranceGrad, toleranceChange, historySize, strongWolfe);
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
     * @param iterations  quasi-Newton iterations taken
     * @param evaluations function (and gradient) evaluations
     * @param converged   whether a tolerance stopped the run (gradient, step or change in f) rather than the
     *                    iteration or evaluation budget
     */
    public record Result(Tensor x, double f, int iterations, int evaluations, boolean converged) {
    }

    /** f and ∇f of the flat problem, and reading and writing its point. */
    private interface Problem {
        double[] point();

        void point(double[] x);

        LineSearch.Evaluation evaluate();
    }

    private final Options options;
    private final Problem problem;
    private Supplier<Tensor> closure;
    private Tensor lastLoss;

    // State carried between steps, as PyTorch's optimizer state.
    private double[] d, prevFlatGrad;
    private double t, hDiag = 1, prevLoss;
    private final List<double[]> oldDirs = new ArrayList<>(), oldStps = new ArrayList<>();
    private final List<Double> ro = new ArrayList<>();
    private int nIter, funcEvals;
    private boolean lastConverged;

    /** An optimizer over {@code parameters} (leaves that require grad; their order fixes the flat vector). */
    public Lbfgs(Map<String, Tensor> parameters, Options options) {
        if (parameters.isEmpty()) throw new IllegalArgumentException("Lbfgs: parameters is empty; expected at least one tensor");
        for (var e : parameters.entrySet()) {
            Tensor p = e.getValue();
            if (!p.dtype().isFloatingPoint() || !p.requiresGrad()) {
                throw new IllegalArgumentException("Lbfgs: parameter '" + e.getKey() + "' is a " + p.dtype()
                        + (p.requiresGrad() ? "" : " that does not require grad") + "; expected a floating-point leaf with requiresGrad");
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
     * One optimizer step (up to {@code maxIter} iterations); returns the loss the closure gave on its first call,
     * as PyTorch does.
     */
    public Tensor step(Supplier<Tensor> closure) {
        if (closure == null) throw new IllegalArgumentException("Lbfgs.step: closure is null; expected a loss closure");
        this.closure = closure;
        this.lastLoss = null;
        try {
            run();
        } finally {
            this.closure = null;
        }
        return lastLoss;
    }

    /** Quasi-Newton iterations taken over all steps. */
    public int iterations() {
        return nIter;
    }

    /** Closure (function) evaluations over all steps. */
    public int evaluations() {
        return funcEvals;
    }

    /**
     * Minimises a scalar {@code f} from {@code x0} (any shape, float32 or float64): {@code options.maxIter()}
     * bounds the iterations in all and {@code options.maxEval()} the evaluations.
     */
    public static Result minimize(Function<Tensor, Tensor> f, Tensor x0, Options options) {
        if (!x0.dtype().isFloatingPoint()) {
            throw new IllegalArgumentException("Lbfgs.minimize: x0 is " + x0.dtype() + "; expected FLOAT32 or FLOAT64");
        }
        var problem = new FunctionProblem(f, x0);
        var lbfgs = new Lbfgs(problem, options);
        lbfgs.run();
        double fx = problem.evaluatedAt == problem.x ? problem.fx : problem.value();
        return new Result(problem.tensor(problem.x), fx, lbfgs.nIter, lbfgs.funcEvals, lbfgs.lastConverged);
    }

    /** PyTorch's LBFGS.step loop. */
    private void run() {
        LineSearch.Evaluation ev = problem.evaluate();
        double loss = ev.f();
        double[] flatGrad = ev.g();
        int currentEvals = 1;
        funcEvals++;
        lastConverged = maxAbs(flatGrad) <= options.toleranceGrad();
        if (lastConverged) return;

        int n = 0;
        while (n < options.maxIter()) {
            Cancellation.check();
            n++;
            nIter++;
            if (nIter == 1) {
                d = scaled(flatGrad, -1);
                oldDirs.clear();
                oldStps.clear();
                ro.clear();
                hDiag = 1;
            } else {
                updateHistory(flatGrad);
                d = direction(flatGrad);
            }
            prevFlatGrad = flatGrad.clone();
            prevLoss = loss;
            t = nIter == 1 ? Math.min(1, 1 / sumAbs(flatGrad)) * options.lr() : options.lr();
            double gtd = LineSearch.dot(flatGrad, d);
            if (gtd > -options.toleranceChange()) {
                lastConverged = true;
                break;
            }
            int lsEvals;
            boolean optCond = false;
            double[] x = problem.point();
            if (options.strongWolfe()) {
                double[] dir = d;
                LineSearch.Result ls = LineSearch.strongWolfe(s -> {
                    problem.point(axpy(x, s, dir));
                    return problem.evaluate();
                }, d, t, loss, flatGrad, gtd, 1e-4, 0.9, options.toleranceChange(), 25);
                t = ls.t();
                loss = ls.f();
                flatGrad = ls.g();
                problem.point(axpy(x, t, d));
                lsEvals = ls.evaluations();
                optCond = maxAbs(flatGrad) <= options.toleranceGrad();
            } else {
                problem.point(axpy(x, t, d));
                lsEvals = 0;
                if (n != options.maxIter()) {
                    ev = problem.evaluate();
                    loss = ev.f();
                    flatGrad = ev.g();
                    optCond = maxAbs(flatGrad) <= options.toleranceGrad();
                    lsEvals = 1;
                }
            }
            currentEvals += lsEvals;
            funcEvals += lsEvals;
            if (n == options.maxIter() || currentEvals >= options.maxEval()) break;
            if (optCond || maxAbs(d) * Math.abs(t) <= options.toleranceChange() || Math.abs(loss - prevLoss) < options.toleranceChange()) {
                lastConverged = true;
                break;
            }
        }
    }

    /** Adds the pair (s, y) from the last step when it has positive curvature. */
    private void updateHistory(double[] flatGrad) {
        double[] y = new double[flatGrad.length], s = new double[flatGrad.length];
        for (int i = 0; i < y.length; i++) {
            y[i] = flatGrad[i] - prevFlatGrad[i];
            s[i] = d[i] * t;
        }
        double ys = LineSearch.dot(y, s);
        if (ys > 1e-10) {
            if (oldDirs.size() == options.historySize()) {
                oldDirs.removeFirst();
                oldStps.removeFirst();
                ro.removeFirst();
            }
            oldDirs.add(y);
            oldStps.add(s);
            ro.add(1 / ys);
            hDiag = ys / LineSearch.dot(y, y);
        }
    }

    /** The two-loop recursion: -H g for the inverse Hessian estimate H. */
    private double[] direction(double[] flatGrad) {
        int m = oldDirs.size();
        double[] al = new double[m];
        double[] q = scaled(flatGrad, -1);
        for (int i = m - 1; i >= 0; i--) {
            al[i] = LineSearch.dot(oldStps.get(i), q) * ro.get(i);
            addScaled(q, -al[i], oldDirs.get(i));
        }
        for (int k = 0; k < q.length; k++) q[k] *= hDiag;
        for (int i = 0; i < m; i++) {
            double be = LineSearch.dot(oldDirs.get(i), q) * ro.get(i);
            addScaled(q, al[i] - be, oldStps.get(i));
        }
        return q;
    }

    /** The named parameters as the flat problem; f and ∇f come from the closure. */
    private final class Parameters implements Problem {
        private final List<String> names;
        private final List<Tensor> tensors;
        private final int size;

        Parameters(LinkedHashMap<String, Tensor> parameters) {
            names = List.copyOf(parameters.keySet());
            tensors = List.copyOf(parameters.values());
            int s = 0;
            for (Tensor p : tensors) s += p.numel();
            size = s;
        }

        @Override
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

        @Override
        public void point(double[] x) {
            int at = 0;
            try (var off = GradMode.noGrad()) {
                for (Tensor p : tensors) {
                    double[] v = Arrays.copyOfRange(x, at, at + p.numel());
                    p.copy_(Tensor.of(v, p.shape()).to(p.dtype()));
                    at += v.length;
                }
            }
        }

        @Override
        public LineSearch.Evaluation evaluate() {
            Tensor loss;
            try (var on = GradMode.enableGrad()) {
                loss = closure.get();
            }
            if (loss == null || loss.numel() != 1) {
                throw new IllegalArgumentException("Lbfgs.step: the closure returned " + (loss == null ? "null" : "a tensor of shape "
                        + Arrays.toString(loss.shape())) + "; expected the scalar loss");
            }
            if (lastLoss == null) lastLoss = loss;
            double[] g = new double[size];
            int at = 0;
            for (int k = 0; k < tensors.size(); k++) {
                Tensor p = tensors.get(k), grad = p.grad();
                if (grad != null) {
                    if (!Arrays.equals(grad.shape(), p.shape())) {
                        throw new IllegalStateException("Lbfgs.step: the gradient of '" + names.get(k) + "' has shape "
                                + Arrays.toString(grad.shape()) + ", the parameter " + Arrays.toString(p.shape()));
                    }
                    System.arraycopy(grad.contiguous().toArray(), 0, g, at, p.numel());
                }
                at += p.numel();
            }
            return new LineSearch.Evaluation(loss.item(), g);
        }
    }

    /** A function of one tensor as the flat problem. */
    private static final class FunctionProblem implements Problem {
        private final Function<Tensor, Tensor> f;
        private final int[] shape;
        private final DType dtype;
        double[] x;
        double fx = Double.NaN;
        double[] evaluatedAt;

        FunctionProblem(Function<Tensor, Tensor> f, Tensor x0) {
            this.f = f;
            this.shape = x0.shape();
            this.dtype = x0.dtype();
            this.x = x0.detach().contiguous().toArray();
        }

        Tensor tensor(double[] v) {
            return Tensor.of(v, shape).to(dtype);
        }

        @Override
        public double[] point() {
            return x.clone();
        }

        @Override
        public void point(double[] v) {
            x = dtype == DType.FLOAT32 ? roundToFloat(v) : v.clone();
        }

        @Override
        public LineSearch.Evaluation evaluate() {
            Tensor in = tensor(x).requiresGrad(true);
            Tensor out;
            double[] g;
            try (var on = GradMode.enableGrad()) {
                out = f.apply(in);
                if (out.numel() != 1) {
                    throw new IllegalArgumentException("Lbfgs.minimize: f returned shape " + Arrays.toString(out.shape()) + "; expected a scalar");
                }
                Tensor grad = out.requiresGrad() ? Autograd.grad(List.of(out), List.of(in), null, false, false, true).getFirst() : null;
                g = grad == null ? new double[x.length] : grad.contiguous().toArray();
            }
            fx = out.item();
            evaluatedAt = x;
            return new LineSearch.Evaluation(fx, g);
        }

        /** f at the current point, without a gradient (the final report when the last evaluation was elsewhere). */
        double value() {
            try (var off = GradMode.noGrad()) {
                return f.apply(tensor(x)).item();
            }
        }
    }

    private static double[] roundToFloat(double[] v) {
        double[] r = new double[v.length];
        for (int i = 0; i < v.length; i++) r[i] = (float) v[i];
        return r;
    }

    private static double[] axpy(double[] x, double a, double[] y) {
        double[] r = new double[x.length];
        for (int i = 0; i < r.length; i++) r[i] = x[i] + a * y[i];
        return r;
    }

    private static void addScaled(double[] acc, double a, double[] v) {
        for (int i = 0; i < acc.length; i++) acc[i] += a * v[i];
    }

    private static double[] scaled(double[] v, double a) {
        double[] r = new double[v.length];
        for (int i = 0; i < r.length; i++) r[i] = a * v[i];
        return r;
    }

    private static double maxAbs(double[] v) {
        double m = 0;
        for (double e : v) m = Math.max(m, Math.abs(e));
        return m;
    }

    private static double sumAbs(double[] v) {
        double s = 0;
        for (double e : v) s += Math.abs(e);
        return s;
    }
}
