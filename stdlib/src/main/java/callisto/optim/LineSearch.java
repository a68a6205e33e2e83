package callisto.optim;

/**
 * Line searches along a descent direction, on flat {@code double[]} vectors.
 *
 * <p>{@link #strongWolfe} is PyTorch's {@code _strong_wolfe} (Nocedal and Wright, <i>Numerical Optimization</i>,
 * Algorithms 3.5 and 3.6): a bracketing phase that extrapolates by safeguarded cubic interpolation, then a zoom
 * phase that shrinks the bracket by cubic interpolation until the step satisfies the strong Wolfe conditions
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
        /** f and ∇f at {@code x + t d}; the returned gradient array is owned by the caller afterwards. */
        Evaluation at(double t);
    }

    /** A value and gradient of the objective. */
    public record Evaluation(double f, double[] g) {
    }

    /**
     * The outcome of a line search.
     *
     * @param t           the accepted step
     * @param f           the objective at the accepted step
     * @param g           its gradient there
     * @param evaluations how many times the line function was called
     * @param satisfied   whether the accepted step satisfies both strong Wolfe conditions (false when the search
     *                    ran out of evaluations or the bracket shrank below {@code toleranceChange})
     */
    public record Result(double t, double f, double[] g, int evaluations, boolean satisfied) {
    }

    /** {@link #strongWolfe(LineFunction, double[], double, double, double[], double, double, double, double, int)} with PyTorch's defaults c1 = 1e-4, c2 = 0.9, toleranceChange = 1e-9, 25 evaluations. */
    public static Result strongWolfe(LineFunction phi, double[] d, double t, double f, double[] g, double gtd) {
        return strongWolfe(phi, d, t, f, g, gtd, 1e-4, 0.9, 1e-9, 25);
    }

    /**
     * A step along {@code d} satisfying the strong Wolfe conditions.
     *
     * @param phi             f and ∇f along the line
     * @param d               the search direction (a descent direction: {@code gtd < 0})
     * @param t               the first trial step
     * @param f               f at t = 0
     * @param g               ∇f at t = 0 (not modified)
     * @param gtd             gᵀd, negative
     * @param c1              sufficient-decrease constant, 0 &lt; c1 &lt; c2
     * @param c2              curvature constant, c1 &lt; c2 &lt; 1
     * @param toleranceChange the search stops once the bracket is shorter than this (in max-norm of t·d)
     * @param maxEvaluations  most calls to {@code phi}
     */
    public static Result strongWolfe(LineFunction phi, double[] d, double t, double f, double[] g, double gtd,
                                     double c1, double c2, double toleranceChange, int maxEvaluations) {
        if (!(gtd < 0)) throw new IllegalArgumentException("strongWolfe: gtd = " + gtd + "; expected a descent direction (gtd < 0)");
        if (g.length != d.length) {
            throw new IllegalArgumentException("strongWolfe: g has length " + g.length + ", d " + d.length + "; expected equal lengths");
        }
        if (!(t > 0)) throw new IllegalArgumentException("strongWolfe: t = " + t + "; expected a positive first step");
        if (!(0 < c1 && c1 < c2 && c2 < 1)) {
            throw new IllegalArgumentException("strongWolfe: c1 = " + c1 + ", c2 = " + c2 + "; expected 0 < c1 < c2 < 1");
        }
        if (maxEvaluations < 1) throw new IllegalArgumentException("strongWolfe: maxEvaluations = " + maxEvaluations + "; expected >= 1");
        double dNorm = 0;
        for (double v : d) dNorm = Math.max(dNorm, Math.abs(v));

        Evaluation e = phi.at(t);
        double fNew = e.f();
        double[] gNew = e.g();
        int evals = 1;
        double gtdNew = dot(gNew, d);
        double tPrev = 0, fPrev = f, gtdPrev = gtd;
        double[] gPrev = g;
        boolean done = false;
        int iter = 0;
        double[] bt = null, bf = null, bgtd = null;
        double[][] bg = null;

        // Bracketing: extrapolate until an interval is known to hold acceptable steps.
        while (iter < maxEvaluations) {
            callisto.runtime.Cancellation.check();
            boolean overshot = fNew > f + c1 * t * gtd || (iter > 1 && fNew >= fPrev);
            if (!overshot && Math.abs(gtdNew) <= -c2 * gtd) {
                bt = new double[] {t, t};
                bf = new double[] {fNew, fNew};
                bg = new double[][] {gNew, gNew};
                bgtd = new double[] {gtdNew, gtdNew};
                done = true;
                break;
            }
            if (overshot || gtdNew >= 0) {
                bt = new double[] {tPrev, t};
                bf = new double[] {fPrev, fNew};
                bg = new double[][] {gPrev, gNew};
                bgtd = new double[] {gtdPrev, gtdNew};
                break;
            }
            double minStep = t + 0.01 * (t - tPrev), maxStep = t * 10;
            double tmp = t;
            t = cubicInterpolate(tPrev, fPrev, gtdPrev, t, fNew, gtdNew, minStep, maxStep);
            tPrev = tmp;
            fPrev = fNew;
            gPrev = gNew;
            gtdPrev = gtdNew;
            e = phi.at(t);
            fNew = e.f();
            gNew = e.g();
            evals++;
            gtdNew = dot(gNew, d);
            iter++;
        }
        if (iter == maxEvaluations) {
            bt = new double[] {0, t};
            bf = new double[] {f, fNew};
            bg = new double[][] {g, gNew};
            bgtd = new double[] {gtd, gtdNew};
        }

        // Zoom: shrink the bracket [low, high] (low has the smaller f) by cubic interpolation.
        boolean insufficientProgress = false;
        int low = bf[0] <= bf[1] ? 0 : 1, high = 1 - low;
        while (!done && iter < maxEvaluations) {
            callisto.runtime.Cancellation.check();
            if (Math.abs(bt[1] - bt[0]) * dNorm < toleranceChange) break;
            t = cubicInterpolate(bt[0], bf[0], bgtd[0], bt[1], bf[1], bgtd[1]);
            double hi = Math.max(bt[0], bt[1]), lo = Math.min(bt[0], bt[1]);
            double eps = 0.1 * (hi - lo);
            // Keep the trial point away from the ends, else the bracket shrinks too slowly.
            if (Math.min(hi - t, t - lo) < eps) {
                if (insufficientProgress || t >= hi || t <= lo) {
                    t = Math.abs(t - hi) < Math.abs(t - lo) ? hi - eps : lo + eps;
                    insufficientProgress = false;
                } else {
                    insufficientProgress = true;
                }
            } else {
                insufficientProgress = false;
            }
            e = phi.at(t);
            fNew = e.f();
            gNew = e.g();
            evals++;
            gtdNew = dot(gNew, d);
            iter++;
            if (fNew > f + c1 * t * gtd || fNew >= bf[low]) {
                bt[high] = t;
                bf[high] = fNew;
                bg[high] = gNew;
                bgtd[high] = gtdNew;
                low = bf[0] <= bf[1] ? 0 : 1;
                high = 1 - low;
            } else {
                if (Math.abs(gtdNew) <= -c2 * gtd) {
                    done = true;
                } else if (gtdNew * (bt[high] - bt[low]) >= 0) {
                    bt[high] = bt[low];
                    bf[high] = bf[low];
                    bg[high] = bg[low];
                    bgtd[high] = bgtd[low];
                }
                bt[low] = t;
                bf[low] = fNew;
                bg[low] = gNew;
                bgtd[low] = gtdNew;
            }
        }
        double tBest = bt[low], fBest = bf[low], gtdBest = bgtd[low];
        boolean satisfied = fBest <= f + c1 * tBest * gtd && Math.abs(gtdBest) <= -c2 * gtd && tBest > 0;
        double[] gBest = bg[low] == g ? g.clone() : bg[low];
        return new Result(tBest, fBest, gBest, evals, satisfied);
    }

    /**
     * The minimiser of the cubic matching (x1, f1, g1) and (x2, f2, g2), clamped to [lo, hi]; the midpoint when the
     * cubic has no real minimiser.
     */
    static double cubicInterpolate(double x1, double f1, double g1, double x2, double f2, double g2, double lo, double hi) {
        double d1 = g1 + g2 - 3 * (f1 - f2) / (x1 - x2);
        double d2Square = d1 * d1 - g1 * g2;
        if (d2Square >= 0) {
            double d2 = Math.sqrt(d2Square);
            double minPos = x1 <= x2
                    ? x2 - (x2 - x1) * ((g2 + d2 - d1) / (g2 - g1 + 2 * d2))
                    : x1 - (x1 - x2) * ((g1 + d2 - d1) / (g1 - g2 + 2 * d2));
            return Math.min(Math.max(minPos, lo), hi);
        }
        return (lo + hi) / 2;
    }

    static double cubicInterpolate(double x1, double f1, double g1, double x2, double f2, double g2) {
        return cubicInterpolate(x1, f1, g1, x2, f2, g2, Math.min(x1, x2), Math.max(x1, x2));
    }

    static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) s += a[i] * b[i];
        return s;
    }
}
