package callisto.sparse;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import callisto.runtime.Cancellation;
import callisto.tensor.DType;
import callisto.tensor.GradCheck;
import callisto.tensor.Tensor;
import java.util.ArrayList;
import java.util.SplittableRandom;
import java.util.concurrent.CancellationException;
import org.junit.jupiter.api.Test;

class SolversTest {
    /** The 5-point Laplacian (times h²) on an m x m interior grid with Dirichlet boundaries, plus an optional upwind drift. */
    static CsrMatrix poisson2d(int m, double drift) {
        var r = new ArrayList<Integer>();
        var c = new ArrayList<Integer>();
        var v = new ArrayList<Double>();
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < m; j++) {
                int p = i * m + j;
                r.add(p); c.add(p); v.add(4.0 + drift);
                if (i > 0) { r.add(p); c.add(p - m); v.add(-1.0 - drift); }
                if (i < m - 1) { r.add(p); c.add(p + m); v.add(-1.0); }
                if (j > 0) { r.add(p); c.add(p - 1); v.add(-1.0); }
                if (j < m - 1) { r.add(p); c.add(p + 1); v.add(-1.0); }
            }
        }
        return CsrMatrix.fromCoo(r.stream().mapToInt(Integer::intValue).toArray(), c.stream().mapToInt(Integer::intValue).toArray(),
                Tensor.of(v.stream().mapToDouble(Double::doubleValue).toArray()), m * m, m * m);
    }

    /** Gaussian elimination with partial pivoting on a copy. */
    static double[] denseSolve(double[][] a0, double[] b0) {
        int n = b0.length;
        double[][] a = new double[n][];
        for (int i = 0; i < n; i++) a[i] = a0[i].clone();
        double[] b = b0.clone();
        for (int c = 0; c < n; c++) {
            int p = c;
            for (int i = c + 1; i < n; i++) if (Math.abs(a[i][c]) > Math.abs(a[p][c])) p = i;
            double[] t = a[c]; a[c] = a[p]; a[p] = t;
            double tb = b[c]; b[c] = b[p]; b[p] = tb;
            for (int i = c + 1; i < n; i++) {
                double f = a[i][c] / a[c][c];
                for (int j = c; j < n; j++) a[i][j] -= f * a[c][j];
                b[i] -= f * b[c];
            }
        }
        double[] x = new double[n];
        for (int i = n - 1; i >= 0; i--) {
            double s = b[i];
            for (int j = i + 1; j < n; j++) s -= a[i][j] * x[j];
            x[i] = s / a[i][i];
        }
        return x;
    }

    static double[][] dense(CsrMatrix a) {
        double[] d = a.toDense().toArray();
        double[][] out = new double[a.rows()][a.cols()];
        for (int i = 0; i < a.rows(); i++) System.arraycopy(d, i * a.cols(), out[i], 0, a.cols());
        return out;
    }

    static double relativeResidual(double[][] a, double[] x, double[] b) {
        double r = 0, bb = 0;
        for (int i = 0; i < b.length; i++) {
            double s = b[i];
            for (int j = 0; j < x.length; j++) s -= a[i][j] * x[j];
            r += s * s;
            bb += b[i] * b[i];
        }
        return Math.sqrt(r / bb);
    }

    static Tensor randomVector(int n, long seed) {
        return Tensor.of(new SplittableRandom(seed).doubles(n, -1, 1).toArray());
    }

    @Test
    void cgSolvesPoissonLikeADenseSolve() {
        CsrMatrix a = poisson2d(12, 0);
        Tensor b = randomVector(144, 1);
        SolveResult res = Solvers.cg(a, b, 1e-10, 1000);
        assertTrue(res.converged());
        assertEquals(res.iterations() + 1, res.residualHistory().length);
        double[][] d = dense(a);
        assertTrue(relativeResidual(d, res.solution().toArray(), b.toArray()) <= 1.01e-10);
        assertArrayEquals(denseSolve(d, b.toArray()), res.solution().toArray(), 1e-8);
        // the history's last entry is the recursively updated residual; it tracks the true one
        assertEquals(res.residualNorm() / Math.sqrt(b.pow(2).sum().item()), relativeResidual(d, res.solution().toArray(), b.toArray()), 1e-11);
    }

    @Test
    void cgIterationsGrowLikeTheSquareRootOfTheConditionNumber() {
        double tol = 1e-8;
        int[] sizes = {8, 16, 32, 64};
        double[] logIters = new double[sizes.length], logRootKappa = new double[sizes.length];
        for (int s = 0; s < sizes.length; s++) {
            int m = sizes[s];
            double h = Math.PI / (m + 1);
            // the eigenvalues are 4 - 2cos(jπh) - 2cos(kπh), j, k = 1..m
            double kappa = (4 - 4 * Math.cos(m * h)) / (4 - 4 * Math.cos(h));
            SolveResult res = Solvers.cg(poisson2d(m, 0), randomVector(m * m, 7), tol, 10_000);
            assertTrue(res.converged());
            // the classical bound: ||e||_A shrinks by 2((√κ-1)/(√κ+1))^k, which needs about ½√κ ln(2/tol) iterations
            assertTrue(res.iterations() <= Math.ceil(0.5 * Math.sqrt(kappa) * Math.log(2 * Math.sqrt(kappa) / tol)),
                    m + ": " + res.iterations() + " iterations, κ = " + kappa);
            logIters[s] = Math.log(res.iterations());
            logRootKappa[s] = Math.log(Math.sqrt(kappa));
        }
        double slope = (logIters[sizes.length - 1] - logIters[1]) / (logRootKappa[sizes.length - 1] - logRootKappa[1]);
        assertTrue(slope > 0.8 && slope < 1.2, "iterations ~ κ^(" + slope / 2 + "), expected ~ κ^0.5");
    }

    @Test
    void incompleteCholeskyBeatsJacobi() {
        CsrMatrix a = poisson2d(32, 0);
        Tensor b = randomVector(1024, 3);
        SolveResult jacobi = Solvers.pcg(a, b, Preconditioner.jacobi(a), 1e-8, 5000);
        SolveResult ic0 = Solvers.pcg(a, b, Preconditioner.ic0(a), 1e-8, 5000);
        assertTrue(jacobi.converged() && ic0.converged());
        assertTrue(ic0.iterations() < 0.7 * jacobi.iterations(), "IC(0) " + ic0.iterations() + ", Jacobi " + jacobi.iterations());
        double[][] d = dense(a);
        assertTrue(relativeResidual(d, ic0.solution().toArray(), b.toArray()) < 1e-7);
    }

    @Test
    void ic0IsExactCholeskyForATridiagonalMatrix() {
        // no fill-in exists for a tridiagonal matrix, so IC(0) is its Cholesky factor and PCG converges in one step
        int n = 50;
        int[] r = new int[3 * n - 2], c = new int[3 * n - 2];
        double[] v = new double[3 * n - 2];
        int k = 0;
        for (int i = 0; i < n; i++) {
            r[k] = i; c[k] = i; v[k++] = 2;
            if (i > 0) { r[k] = i; c[k] = i - 1; v[k++] = -1; }
            if (i < n - 1) { r[k] = i; c[k] = i + 1; v[k++] = -1; }
        }
        CsrMatrix a = CsrMatrix.fromCoo(r, c, Tensor.of(v), n, n);
        SolveResult res = Solvers.pcg(a, randomVector(n, 4), Preconditioner.ic0(a), 1e-12, 10);
        assertTrue(res.converged());
        assertEquals(1, res.iterations());
    }

    @Test
    void operatorFormMatchesMatrixForm() {
        CsrMatrix a = poisson2d(10, 0);
        Tensor b = randomVector(100, 5);
        SolveResult m = Solvers.pcg(a, b, Preconditioner.jacobi(a), 1e-9, 500);
        SolveResult op = Solvers.pcg(a::matmul, b, Preconditioner.jacobi(a)::apply, 1e-9, 500);
        assertEquals(m.iterations(), op.iterations());
        assertArrayEquals(m.solution().toArray(), op.solution().toArray(), 0);
        SolveResult f32 = Solvers.cg(a.withValues(a.values().to(DType.FLOAT32))::matmul, b.to(DType.FLOAT32), 1e-4, 500);
        assertEquals(DType.FLOAT32, f32.solution().dtype());
        assertArrayEquals(m.solution().toArray(), f32.solution().toArray(), 1e-3);
    }

    @Test
    void gmresSolvesANonsymmetricSystem() {
        CsrMatrix a = poisson2d(10, 1.5);
        Tensor b = randomVector(100, 6);
        double[] expected = denseSolve(dense(a), b.toArray());
        for (int restart : new int[] {5, 20, 200}) {
            SolveResult res = Solvers.gmres(a, b, restart, 1e-10, 2000);
            assertTrue(res.converged(), "restart " + restart);
            assertTrue(relativeResidual(dense(a), res.solution().toArray(), b.toArray()) <= 1.01e-10);
            assertArrayEquals(expected, res.solution().toArray(), 1e-8);
            for (int i = 1; i < res.residualHistory().length; i++) {
                assertTrue(res.residualHistory()[i] <= res.residualHistory()[i - 1] * (1 + 1e-12), "GMRES residuals never grow");
            }
        }
        SolveResult capped = Solvers.gmres(a, b, 5, 1e-14, 7);
        assertFalse(capped.converged());
        assertEquals(7, capped.iterations());
    }

    @Test
    void tridiagonalSolveBatchedAndDifferentiable() {
        var random = new SplittableRandom(8);
        int batch = 3, n = 6;
        double[] dl = random.doubles(batch * (n - 1), -1, 1).toArray(), du = random.doubles(batch * (n - 1), -1, 1).toArray();
        double[] d = random.doubles(batch * n, 2.5, 3.5).toArray(), b = random.doubles(batch * n, -1, 1).toArray();
        Tensor x = Solvers.tridiagonalSolve(Tensor.of(dl, batch, n - 1), Tensor.of(d, batch, n), Tensor.of(du, batch, n - 1), Tensor.of(b, batch, n));
        double[] got = x.toArray();
        for (int s = 0; s < batch; s++) {
            double[][] a = new double[n][n];
            for (int i = 0; i < n; i++) {
                a[i][i] = d[s * n + i];
                if (i > 0) a[i][i - 1] = dl[s * (n - 1) + i - 1];
                if (i < n - 1) a[i][i + 1] = du[s * (n - 1) + i];
            }
            double[] expected = denseSolve(a, java.util.Arrays.copyOfRange(b, s * n, s * n + n));
            assertArrayEquals(expected, java.util.Arrays.copyOfRange(got, s * n, s * n + n), 1e-13);
        }
        Tensor l = Tensor.of(dl, batch, n - 1).narrow(0, 0, 2), u = Tensor.of(du, batch, n - 1).narrow(0, 0, 2);
        Tensor dd = Tensor.of(d, batch, n).narrow(0, 0, 2), bb = Tensor.of(b, batch, n).narrow(0, 0, 2);
        GradCheck.gradcheck(in -> Solvers.tridiagonalSolve(in[0], in[1], in[2], in[3]), l.contiguous(), dd.contiguous(), u.contiguous(), bb.contiguous());
        GradCheck.gradgradcheck(in -> Solvers.tridiagonalSolve(in[0], in[1], in[2], in[3]), l.contiguous(), dd.contiguous(), u.contiguous(), bb.contiguous());
    }

    @Test
    void tridiagonalZeroPivotIsReported() {
        var e = assertThrows(IllegalArgumentException.class, () -> Solvers.tridiagonalSolve(Tensor.of(1, 1), Tensor.of(1, 1, 1),
                Tensor.of(1, 1), Tensor.of(1, 2, 3)));
        assertTrue(e.getMessage().contains("row 1") && e.getMessage().contains("system 0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Solvers.tridiagonalSolve(Tensor.of(1.0), Tensor.of(1, 1, 1), Tensor.of(1, 1), Tensor.of(1, 2, 3)));
        assertTrue(e.getMessage().contains("lower") && e.getMessage().contains("[2]"), e.getMessage());
    }

    @Test
    void bandedSolveWithPivoting() {
        var random = new SplittableRandom(11);
        int n = 12, lower = 2, upper = 1, k = 2;
        double[][] a = new double[n][n];
        double[] ab = new double[(lower + upper + 1) * n];
        for (int i = 0; i < n; i++) {
            for (int j = Math.max(0, i - lower); j <= Math.min(n - 1, i + upper); j++) {
                // a tiny diagonal forces row swaps
                a[i][j] = i == j ? 1e-3 * random.nextDouble(-1, 1) : random.nextDouble(-1, 1);
                ab[(upper + i - j) * n + j] = a[i][j];
            }
        }
        double[] b = random.doubles(n * k, -1, 1).toArray();
        double[] got = Solvers.bandedSolve(Tensor.of(ab, lower + upper + 1, n), lower, upper, Tensor.of(b, n, k)).toArray();
        for (int j = 0; j < k; j++) {
            double[] col = new double[n];
            for (int i = 0; i < n; i++) col[i] = b[i * k + j];
            double[] expected = denseSolve(a, col);
            for (int i = 0; i < n; i++) assertEquals(expected[i], got[i * k + j], 1e-9 * (1 + Math.abs(expected[i])));
        }
        // derivatives in the band (slots outside the matrix get zero) and the right-hand side, to second order
        int m = 5, l = 1, u = 2;
        double[] small = random.doubles((l + u + 1) * m, -1, 1).toArray();
        for (int j = 0; j < m; j++) small[u * m + j] += 4; // the diagonal row: well conditioned
        Tensor abSmall = Tensor.of(small, l + u + 1, m);
        GradCheck.gradcheck(in -> Solvers.bandedSolve(in[0], l, u, in[1]), abSmall, Tensor.of(random.doubles(m * 2, -1, 1).toArray(), m, 2));
        GradCheck.gradgradcheck(in -> Solvers.bandedSolve(in[0], l, u, in[1]), abSmall, Tensor.of(random.doubles(m, -1, 1).toArray()));
        var e = assertThrows(IllegalArgumentException.class, () -> Solvers.bandedSolve(Tensor.zeros(3, 4), 1, 2, Tensor.zeros(4)));
        assertTrue(e.getMessage().contains("bandedSolve") && e.getMessage().contains("[3, 4]"), e.getMessage());
    }

    @Test
    void interruptionStopsTheLoop() {
        var token = new Cancellation.Token();
        token.cancel();
        Cancellation.bind(token);
        try {
            CsrMatrix a = poisson2d(8, 0);
            assertThrows(CancellationException.class, () -> Solvers.cg(a, randomVector(64, 1), 1e-10, 100));
            assertThrows(CancellationException.class, () -> Solvers.gmres(a, randomVector(64, 1), 10, 1e-10, 100));
        } finally {
            Cancellation.bind(null);
        }
    }
}
