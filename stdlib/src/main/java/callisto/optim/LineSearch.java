package callisto.optim;

/**
 * Line searches along a descent direction, on flat {@code double[]} vectors.
 *
 * <p>{@link #strongWolfe} follows Nocedal and Wright, <i>Numerical Optimization</i> (2nd ed.), Algorithm 3.5
 * (grow the step until an interval is known to hold an acceptable one) and Algorithm 3.6 (zoom: shrink that
 * interval), choosing every new trial by the cubic interpolation of their section 3.5 (eq. 3.59), until the
 * step satisfies the strong Wolfe conditions
 * <pre>
 *   f(x + t d) &lt;= f(x) + c1 t gᵀd          (sufficient decrease)
 *   |∇f(x + t d)ᵀ d| &lt;= c2 |gᵀd|           (curvature)
 * </pre>
 * It is used by {@link Lbfgs} and usable on its own.
 */
public final class LineSearch {
    private LineSearch() {
    }

    /** The objective restricted to the search line: the value and full gradient at {@code x + t d}. */
    @FunctionalInterface
    public interface LineFunction {
        /** f and ∇f at {@code x + t d}; the returned gradient array belongs to the caller afterwards. */
        Evaluation at(double t);
    }

    /** A value of the objective and its gradient at the same point. */
    public record Evaluation(double f, double[] g) {
    }

    /**
     * What a line search accepted.
     *
     * @param t           the step taken along d
     * @param f           the objective at that step
     * @param g           the gradient at that step
     * @param evaluations calls made to the line function
     * @param satisfied   true when the step meets both strong Wolfe conditions; false when the search stopped
     *                    early (evaluation cap reached, or the interval became shorter than
     *                    {@code toleranceChange}) and returned the best sufficiently-decreasing step seen (which may
     *                    be t = 0, the starting point)
     */
    public record Result(double t, double f, double[] g, int evaluations, boolean satisfied) {
    }

    /**
     * {@link #strongWolfe(LineFunction, double[], double, double, double[], double, double, double, double, int)}
     * with c1 = 1e-4, c2 = 0.9 (the usual quasi-Newton choice), toleranceChange = 1e-9 and at most 25 evaluations.
     */
    public static Result strongWolfe(LineFunction phi, double[] d, double t, double f, double[] g, double gtd) {
        return strongWolfe(phi, d, t, f, g, gtd, 1e-4, 0.9, 1e-9, 25);
    }

    /**
     * A step along {@code d} satisfying the strong Wolfe conditions.
     *
     * <p>Bracketing phase: trial steps grow until one of them fails sufficient decrease, does not improve on the
     * previous trial, or has a non-negative slope; the interval between it and the previous trial then contains an
     * acceptable step. Each growth takes the minimiser of the cubic through the last two trials, kept within
     * {@code [t + (t - tPrev), t + 10 (t - tPrev)]} (at least doubling, at most multiplying by eleven the distance
     * from the previous trial); without a real minimiser it takes the far end. Zoom phase: the trial is the
     * cubic's minimiser on the interval, kept at least 10% of the interval's length away from either end (the
     * midpoint when the cubic has no real minimiser there), and replaces one end so that the kept end
     * {@code lo} always has the lowest value seen among steps with sufficient decrease and a slope pointing
     * into the interval. A non-finite f counts as a failure of sufficient decrease, so an overlong first trial
     * is safe.
     *
     * @param phi             f and ∇f along the line
     * @param d               the search direction (a descent direction: {@code gtd < 0})
     * @param t               the first trial step, &gt; 0
     * @param f               f at t = 0
     * @param g               ∇f at t = 0 (not modified)
     * @param gtd             gᵀd, negative
     * @param c1              sufficient-decrease constant, 0 &lt; c1 &lt; c2
     * @param c2              curvature constant, c1 &lt; c2 &lt; 1
     * @param toleranceChange the search gives up once the interval's length times max |d| is below this
     * @param maxEvaluations  most calls to {@code phi}, &gt;= 1
     */
    public static Result strongWolfe(LineFunction phi, double[] d, double t, double f, double[] g, double gtd,
                                     double c1, double c2, double toleranceChange, int maxEvaluations) {
        if (d.length != g.length) {
            throw new IllegalArgumentException("LineSearch.strongWolfe: d has " + d.length + " entries and g has " + g.length
                    + "; expected equal lengths");
        }
        if (!(gtd < 0)) {
            throw new IllegalArgumentException("LineSearch.strongWolfe: gtd = " + gtd + "; expected a descent direction (gtd < 0)");
        }
        if (!(t > 0) || Double.isInfinite(t)) {
            throw new IllegalArgumentException("LineSearch.strongWolfe: t = " + t + "; expected a finite first step > 0");
        }
        if (!(c1 > 0 && c1 < c2 && c2 < 1)) {
            throw new IllegalArgumentException("LineSearch.strongWolfe: c1 = " + c1 + ", c2 = " + c2 + "; expected 0 < c1 < c2 < 1");
        }
        if (!(toleranceChange >= 0)) {
            throw new IllegalArgumentException("LineSearch.strongWolfe: toleranceChange = " + toleranceChange + "; expected >= 0");
        }
        if (maxEvaluations < 1) {
            throw new IllegalArgumentException("LineSearch.strongWolfe: maxEvaluations = " + maxEvaluations + "; expected >= 1");
        }
        return new Search(phi, d, f, gtd, c1, c2, toleranceChange, maxEvaluations).run(t, g);
    }

    /** One trial: the step, f, ∇f and the slope ∇fᵀd there. */
    private record Trial(double t, double f, double[] g, double slope) {
    }

    /** The state of one search: the fixed data at t = 0 and the evaluation count. */
    private static final class Search {
        private final LineFunction phi;
        private final double[] d;
        private final double f0, slope0, c1, c2, toleranceChange, dScale;
        private final int maxEvaluations;
        private int evaluations;

        Search(LineFunction phi, double[] d, double f0, double slope0, double c1, double c2, double toleranceChange,
               int maxEvaluations) {
            this.phi = phi;
            this.d = d;
            this.f0 = f0;
            this.slope0 = slope0;
            this.c1 = c1;
            this.c2 = c2;
            this.toleranceChange = toleranceChange;
            this.maxEvaluations = maxEvaluations;
            this.dScale = maxAbs(d);
        }

        private Trial evaluate(double t) {
            Evaluation e = phi.at(t);
            evaluations++;
            return new Trial(t, e.f(), e.g(), dot(e.g(), d));
        }

        /** False for a NaN f, so a NaN counts as too long a step. */
        private boolean decreasesEnough(Trial p) {
            return p.f() <= f0 + c1 * p.t() * slope0;
        }

        private boolean flatEnough(Trial p) {
            return Math.abs(p.slope()) <= -c2 * slope0;
        }

        private Result accept(Trial p, boolean satisfied) {
            return new Result(p.t(), p.f(), p.g(), evaluations, satisfied);
        }

        Result run(double t, double[] g0) {
            Trial previous = new Trial(0, f0, g0.clone(), slope0);
            Trial current = evaluate(t);
            while (true) {
                if (!decreasesEnough(current) || (previous.t() > 0 && current.f() >= previous.f())) {
                    return zoom(previous, current);
                }
                if (flatEnough(current)) return accept(current, true);
                if (current.slope() >= 0) return zoom(current, previous);
                // current decreases enough, improves on previous and still slopes down: a longer step may do better.
                if (evaluations >= maxEvaluations) return accept(current, false);
                double advance = current.t() - previous.t();
                double near = current.t() + advance, far = current.t() + 10 * advance;
                double next = cubicMinimizer(previous.t(), previous.f(), previous.slope(),
                        current.t(), current.f(), current.slope());
                next = Double.isNaN(next) ? far : Math.min(Math.max(next, near), far);
                previous = current;
                current = evaluate(next);
            }
        }

        /**
         * Algorithm 3.6: {@code lo} has sufficient decrease and the lowest f seen so far, and its slope points towards
         * {@code hi}; the interval between them contains a strong Wolfe step.
         */
        private Result zoom(Trial lo, Trial hi) {
            while (true) {
                if (evaluations >= maxEvaluations) return accept(lo, false);
                double a = Math.min(lo.t(), hi.t()), b = Math.max(lo.t(), hi.t()), width = b - a;
                if (width * dScale < toleranceChange || !(width > 0)) return accept(lo, false);
                Trial trial = evaluate(cubicInterpolate(lo.t(), lo.f(), lo.slope(), hi.t(), hi.f(), hi.slope(),
                        a + 0.1 * width, b - 0.1 * width));
                if (!decreasesEnough(trial) || trial.f() >= lo.f()) {
                    hi = trial;
                } else {
                    if (flatEnough(trial)) return accept(trial, true);
                    // The new low point's slope must point into the remaining interval; if it points away from
                    // hi, the acceptable step lies between trial and the old lo.
                    if (trial.slope() * (hi.t() - lo.t()) >= 0) hi = lo;
                    lo = trial;
                }
            }
        }
    }

    /**
     * The minimiser of the cubic matching (x1, f1, g1) and (x2, f2, g2) (values and slopes at two points), clamped
     * to [lo, hi]; the midpoint of [lo, hi] when the cubic has no real local minimiser.
     */
    static double cubicInterpolate(double x1, double f1, double g1, double x2, double f2, double g2, double lo, double hi) {
        double m = cubicMinimizer(x1, f1, g1, x2, f2, g2);
        if (Double.isNaN(m)) return 0.5 * (lo + hi);
        return Math.min(Math.max(m, lo), hi);
    }

    /** {@link #cubicInterpolate(double, double, double, double, double, double, double, double)} on [x1, x2]. */
    static double cubicInterpolate(double x1, double f1, double g1, double x2, double f2, double g2) {
        return cubicInterpolate(x1, f1, g1, x2, f2, g2, Math.min(x1, x2), Math.max(x1, x2));
    }

    /**
     * Nocedal and Wright eq. 3.59: with d1 = g1 + g2 - 3 (f1 - f2) / (x1 - x2) and
     * d2 = sign(x2 - x1) √(d1² - g1 g2), the local minimiser is x2 - (x2 - x1) (g2 + d2 - d1) / (g2 - g1 + 2 d2).
     * NaN when d1² &lt; g1 g2 (no real stationary point), the denominator vanishes, or an input is not finite.
     */
    private static double cubicMinimizer(double x1, double f1, double g1, double x2, double f2, double g2) {
        double d1 = g1 + g2 - 3 * (f1 - f2) / (x1 - x2);
        double disc = d1 * d1 - g1 * g2;
        if (!(disc >= 0)) return Double.NaN;
        double d2 = Math.copySign(Math.sqrt(disc), x2 - x1);
        double den = g2 - g1 + 2 * d2;
        if (den == 0) return Double.NaN;
        double m = x2 - (x2 - x1) * (g2 + d2 - d1) / den;
        return Double.isFinite(m) ? m : Double.NaN;
    }

    /** Σ a_i b_i, summed left to right (deterministic). */
    static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) s += a[i] * b[i];
        return s;
    }

    static double maxAbs(double[] v) {
        double m = 0;
        for (double e : v) m = Math.max(m, Math.abs(e));
        return m;
    }
}
