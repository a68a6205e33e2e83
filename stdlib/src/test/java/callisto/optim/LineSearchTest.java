package callisto.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The strong Wolfe search on its own: on 2-D Rosenbrock from many points along -∇f, from first trial steps
 * both far too long and far too short, the accepted step satisfies both conditions, re-checked here from
 * the function itself; and the cubic interpolant's minimiser on an exact cubic.
 */
class LineSearchTest {
    static double f(double[] x) {
        return 100 * Math.pow(x[1] - x[0] * x[0], 2) + Math.pow(1 - x[0], 2);
    }

    static double[] g(double[] x) {
        double r = x[1] - x[0] * x[0];
        return new double[] {-400 * x[0] * r - 2 * (1 - x[0]), 200 * r};
    }

    static double[] along(double[] x, double t, double[] d) {
        return new double[] {x[0] + t * d[0], x[1] + t * d[1]};
    }

    @Test
    void acceptedStepSatisfiesStrongWolfe() {
        double c1 = 1e-4, c2 = 0.9;
        int checked = 0;
        for (double x0 = -2; x0 <= 2; x0 += 0.5) {
            for (double x1 = -1; x1 <= 3; x1 += 0.5) {
                double[] x = {x0, x1}, g0 = g(x);
                double[] d = {-g0[0], -g0[1]};
                double gtd = LineSearch.dot(g0, d);
                if (gtd > -1e-12) continue;
                for (double t0 : new double[] {1e-6, 1e-3, 1, 10}) {
                    LineSearch.Result r = LineSearch.strongWolfe(t -> {
                        double[] p = along(x, t, d);
                        return new LineSearch.Evaluation(f(p), g(p));
                    }, d, t0, f(x), g0, gtd, c1, c2, 1e-14, 50);
                    assertTrue(r.satisfied(), "from " + x0 + ", " + x1 + " t0 " + t0);
                    double[] p = along(x, r.t(), d);
                    assertEquals(f(p), r.f(), 0);
                    assertTrue(f(p) <= f(x) + c1 * r.t() * gtd, "sufficient decrease at " + x0 + ", " + x1);
                    assertTrue(Math.abs(LineSearch.dot(g(p), d)) <= c2 * Math.abs(gtd), "curvature at " + x0 + ", " + x1);
                    assertTrue(r.evaluations() <= 50);
                    checked++;
                }
            }
        }
        assertTrue(checked > 200);
    }

    @Test
    void tightCurvatureFindsTheLineMinimum() {
        // f(t) along d is the quadratic (t - 2)²: c2 = 1e-6 forces t to the exact minimiser 2.
        LineSearch.Result r = LineSearch.strongWolfe(t -> new LineSearch.Evaluation((t - 2) * (t - 2), new double[] {2 * (t - 2)}),
                new double[] {1}, 0.1, 4, new double[] {-4}, -4, 1e-7, 1e-6, 1e-14, 50);
        assertTrue(r.satisfied());
        assertEquals(2, r.t(), 1e-5);
    }

    @Test
    void cubicInterpolationIsExactOnCubics() {
        // p(x) = x³ - 3x has its local minimum at 1; samples at 0 and 3 determine it.
        double m = LineSearch.cubicInterpolate(0, 0, -3, 3, 18, 24);
        assertEquals(1, m, 1e-12);
        double mSwapped = LineSearch.cubicInterpolate(3, 18, 24, 0, 0, -3);
        assertEquals(1, mSwapped, 1e-12);
    }

    @Test
    void ascentDirectionIsRejected() {
        var e = assertThrows(IllegalArgumentException.class, () -> LineSearch.strongWolfe(t -> null, new double[] {1}, 1, 0,
                new double[] {1}, 1));
        assertTrue(e.getMessage().contains("gtd = 1.0"), e.getMessage());
    }
}
