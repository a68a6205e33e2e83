package callisto.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import callisto.tensor.DType;
import callisto.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * L-BFGS against independent references: the extended Rosenbrock function in 100 dimensions (from
 * x0 = [-1.2, 1, -1.2, 1, ...], minimum 0 at all ones), quadratics against their solution A⁻¹b, and the first
 * iterates against a dense BFGS inverse-Hessian construction written here (the two-loop recursion's result
 * without the recursion).
 */
class LbfgsTest {
    /** Σ 100 (x_{i+1} - x_i²)² + (1 - x_i)², the chained form. */
    static Tensor rosenbrock(Tensor x) {
        int n = x.numel();
        Tensor head = x.slice(0, 0, n - 1), tail = x.slice(0, 1, n);
        return tail.sub(head.pow(2)).pow(2).mul(100).add(head.rsub(1).pow(2)).sum();
    }

    static double[] rosenbrockGrad(double[] x) {
        int n = x.length;
        double[] g = new double[n];
        for (int i = 0; i < n - 1; i++) {
            double r = x[i + 1] - x[i] * x[i];
            g[i] += -400 * x[i] * r - 2 * (1 - x[i]);
            g[i + 1] += 200 * r;
        }
        return g;
    }

    static Tensor rosenbrockStart(int n) {
        double[] x0 = new double[n];
        for (int i = 0; i < n; i++) x0[i] = i % 2 == 0 ? -1.2 : 1;
        return Tensor.of(x0, n);
    }

    static double norm(double[] v) {
        double s = 0;
        for (double e : v) s += e * e;
        return Math.sqrt(s);
    }

    @Test
    void rosenbrock100Converges() {
        var opts = Lbfgs.Options.defaults().withStrongWolfe(true).withMaxIter(600).withMaxEval(2000)
                .withToleranceGrad(1e-9).withToleranceChange(1e-14);
        Lbfgs.Result r = Lbfgs.minimize(LbfgsTest::rosenbrock, rosenbrockStart(100), opts);
        double[] x = r.x().toArray();
        double gn = norm(rosenbrockGrad(x));
        assertTrue(r.iterations() <= 600, "iterations " + r.iterations());
        assertTrue(gn < 1e-5, "gradient norm " + gn + " after " + r.iterations());
        assertTrue(r.f() < 1e-8, "f " + r.f());
        assertEquals(rosenbrock(r.x()).item(), r.f(), 0);
        for (double v : x) assertEquals(1, v, 1e-5);
        assertTrue(r.converged());
    }

    @Test
    void closureStepsOnRosenbrockAcrossCalls() {
        Tensor x = rosenbrockStart(2).requiresGrad(true);
        var params = new LinkedHashMap<String, Tensor>();
        params.put("x", x);
        var lbfgs = new Lbfgs(params, Lbfgs.Options.defaults().withStrongWolfe(true).withToleranceChange(1e-15).withToleranceGrad(1e-10));
        Tensor first = null;
        for (int s = 0; s < 10; s++) {
            Tensor loss = lbfgs.step(() -> {
                x.zeroGrad();
                Tensor l = rosenbrock(x);
                l.backward();
                return l;
            });
            if (s == 0) first = loss;
        }
        assertEquals(24.2, first.item(), 1e-12); // 100 (1 - 1.44)² + 2.2² at (-1.2, 1)
        assertEquals(1, x.get(0), 1e-6);
        assertEquals(1, x.get(1), 1e-6);
        assertTrue(lbfgs.iterations() > 20, "the history carried over steps of 20 iterations");
    }

    /** SPD A = MᵀM + n I and b, seeded. */
    static double[][] spd(int n, Random rnd) {
        double[][] m = new double[n][n], a = new double[n][n];
        for (double[] row : m) for (int j = 0; j < n; j++) row[j] = rnd.nextGaussian();
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double s = i == j ? n : 0;
                for (int k = 0; k < n; k++) s += m[k][i] * m[k][j];
                a[i][j] = s;
            }
        }
        return a;
    }

    static double[] gaussSolve(double[][] a0, double[] b0) {
        int n = b0.length;
        double[][] a = new double[n][];
        for (int i = 0; i < n; i++) a[i] = a0[i].clone();
        double[] b = b0.clone();
        for (int c = 0; c < n; c++) {
            for (int r = c + 1; r < n; r++) {
                double f = a[r][c] / a[c][c];
                for (int k = c; k < n; k++) a[r][k] -= f * a[c][k];
                b[r] -= f * b[c];
            }
        }
        double[] x = new double[n];
        for (int r = n - 1; r >= 0; r--) {
            double s = b[r];
            for (int k = r + 1; k < n; k++) s -= a[r][k] * x[k];
            x[r] = s / a[r][r];
        }
        return x;
    }

    @Test
    void quadraticConvergesInFewIterations() {
        int n = 12;
        Random rnd = new Random(7);
        double[][] a = spd(n, rnd);
        double[] b = new double[n];
        for (int i = 0; i < n; i++) b[i] = rnd.nextGaussian();
        Tensor at = Tensor.of(a), bt = Tensor.of(b, n);
        var opts = Lbfgs.Options.defaults().withStrongWolfe(true).withMaxIter(100).withToleranceGrad(1e-10).withToleranceChange(0);
        Lbfgs.Result r = Lbfgs.minimize(x -> at.matmul(x).dot(x).mul(0.5).sub(bt.dot(x)), Tensor.zeros(n), opts);
        double[] want = gaussSolve(a, b);
        double[] got = r.x().toArray();
        for (int i = 0; i < n; i++) assertEquals(want[i], got[i], 1e-9);
        assertTrue(r.converged());
        assertTrue(r.iterations() <= 2 * n, "iterations " + r.iterations());
        // A diagonal quadratic with one scale needs a single exact line search.
        Lbfgs.Result iso = Lbfgs.minimize(x -> x.sub(3).pow(2).sum().mul(2.5), Tensor.zeros(5), opts);
        assertTrue(iso.iterations() <= 2, "iterations " + iso.iterations());
        for (double v : iso.x().toArray()) assertEquals(3, v, 1e-10);
    }

    @Test
    void firstIteratesMatchDenseBfgsConstruction() {
        int n = 7;
        Random rnd = new Random(11);
        double[][] a = spd(n, rnd);
        double[] b = new double[n];
        for (int i = 0; i < n; i++) b[i] = rnd.nextGaussian();
        // Parameters split over two tensors, to exercise the flat vector: w [2, 2] then v [3].
        double[] x0 = new double[n];
        for (int i = 0; i < n; i++) x0[i] = rnd.nextGaussian();
        Tensor w = Tensor.of(java.util.Arrays.copyOfRange(x0, 0, 4), 2, 2).requiresGrad(true);
        Tensor v = Tensor.of(java.util.Arrays.copyOfRange(x0, 4, 7), 3).requiresGrad(true);
        var params = new LinkedHashMap<String, Tensor>();
        params.put("w", w);
        params.put("v", v);
        Tensor at = Tensor.of(a), bt = Tensor.of(b, n);
        int history = 3, steps = 6;
        var lbfgs = new Lbfgs(params, Lbfgs.Options.defaults().withLr(0.5).withMaxIter(1).withHistorySize(history)
                .withToleranceChange(0).withToleranceGrad(0));

        double[] x = x0.clone();
        var ss = new java.util.ArrayList<double[]>();
        var ys = new java.util.ArrayList<double[]>();
        double[] gPrev = null, sPrev = null;
        for (int k = 0; k < steps; k++) {
            lbfgs.step(() -> {
                w.zeroGrad();
                v.zeroGrad();
                Tensor flat = Tensor.cat(java.util.List.of(w.reshape(4), v), 0);
                Tensor l = at.matmul(flat).dot(flat).mul(0.5).sub(bt.dot(flat));
                l.backward();
                return l;
            });
            // Reference: g = A x - b; H built densely from the last `history` pairs.
            double[] g = new double[n];
            for (int i = 0; i < n; i++) {
                double s = -b[i];
                for (int j = 0; j < n; j++) s += a[i][j] * x[j];
                g[i] = s;
            }
            double[] d = new double[n];
            double t;
            if (k == 0) {
                double l1 = 0;
                for (double e : g) l1 += Math.abs(e);
                for (int i = 0; i < n; i++) d[i] = -g[i];
                t = Math.min(1, 1 / l1) * 0.5;
            } else {
                double[] y = new double[n];
                for (int i = 0; i < n; i++) y[i] = g[i] - gPrev[i];
                ss.add(sPrev);
                ys.add(y);
                if (ss.size() > history) {
                    ss.removeFirst();
                    ys.removeFirst();
                }
                double[] sl = ss.getLast(), yl = ys.getLast();
                double gamma = dotp(sl, yl) / dotp(yl, yl);
                double[][] h = new double[n][n];
                for (int i = 0; i < n; i++) h[i][i] = gamma;
                for (int p = 0; p < ss.size(); p++) h = bfgsUpdate(h, ss.get(p), ys.get(p));
                for (int i = 0; i < n; i++) {
                    double s = 0;
                    for (int j = 0; j < n; j++) s -= h[i][j] * g[j];
                    d[i] = s;
                }
                t = 0.5;
            }
            sPrev = new double[n];
            for (int i = 0; i < n; i++) {
                sPrev[i] = t * d[i];
                x[i] += sPrev[i];
            }
            gPrev = g;
            double[] got = new double[n];
            System.arraycopy(w.toArray(), 0, got, 0, 4);
            System.arraycopy(v.toArray(), 0, got, 4, 3);
            for (int i = 0; i < n; i++) assertEquals(x[i], got[i], 1e-10 * (1 + Math.abs(x[i])), "step " + k + " entry " + i);
        }
        assertEquals(steps, lbfgs.iterations());
        assertEquals(steps, lbfgs.evaluations());
    }

    static double dotp(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) s += a[i] * b[i];
        return s;
    }

    /** H⁺ = (I - ρ s yᵀ) H (I - ρ y sᵀ) + ρ s sᵀ. */
    static double[][] bfgsUpdate(double[][] h, double[] s, double[] y) {
        int n = s.length;
        double rho = 1 / dotp(s, y);
        double[][] v = new double[n][n];
        for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) v[i][j] = (i == j ? 1 : 0) - rho * y[i] * s[j];
        double[][] hv = new double[n][n], out = new double[n][n];
        for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) {
            double acc = 0;
            for (int k = 0; k < n; k++) acc += h[i][k] * v[k][j];
            hv[i][j] = acc;
        }
        for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) {
            double acc = 0;
            for (int k = 0; k < n; k++) acc += v[k][i] * hv[k][j];
            out[i][j] = acc + rho * s[i] * s[j];
        }
        return out;
    }

    @Test
    void float32ParametersStayFloat32() {
        Tensor x = Tensor.ofFloats(-1.2f, 1f, 0.5f).requiresGrad(true);
        var params = new LinkedHashMap<String, Tensor>();
        params.put("x", x);
        var lbfgs = new Lbfgs(params, Lbfgs.Options.defaults().withStrongWolfe(true).withMaxIter(200).withToleranceGrad(1e-4));
        lbfgs.step(() -> {
            x.zeroGrad();
            Tensor l = rosenbrock(x);
            l.backward();
            return l;
        });
        assertEquals(DType.FLOAT32, x.dtype());
        for (double e : x.toArray()) assertEquals(1, e, 1e-3);
        Lbfgs.Result r = Lbfgs.minimize(LbfgsTest::rosenbrock, rosenbrockStart(6).to(DType.FLOAT32),
                Lbfgs.Options.defaults().withStrongWolfe(true).withMaxIter(300).withToleranceGrad(1e-4));
        assertEquals(DType.FLOAT32, r.x().dtype());
        for (double e : r.x().toArray()) assertEquals(1, e, 1e-3);
    }

    @Test
    void badInputNamesTheArgument() {
        var e = assertThrows(IllegalArgumentException.class, () -> Lbfgs.Options.defaults().withLr(-1));
        assertTrue(e.getMessage().contains("lr = -1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Lbfgs.minimize(x -> x.sum(), Tensor.ofInts(1, 2), Lbfgs.Options.defaults()));
        assertTrue(e.getMessage().contains("x0"), e.getMessage());
        var params = new LinkedHashMap<String, Tensor>();
        params.put("w", Tensor.zeros(3));
        e = assertThrows(IllegalArgumentException.class, () -> new Lbfgs(params, Lbfgs.Options.defaults()));
        assertTrue(e.getMessage().contains("'w'"), e.getMessage());
    }
}
