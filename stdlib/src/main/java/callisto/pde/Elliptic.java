package callisto.pde;

import callisto.runtime.Cancellation;
import callisto.sparse.CsrMatrix;
import callisto.sparse.Preconditioner;
import callisto.sparse.SolveResult;
import callisto.sparse.Solvers;
import callisto.tensor.DType;
import callisto.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;

/**
 * Second-order finite differences on the unit square with u = 0 on the boundary, for fields given on the
 * n×n nodes x_j = j/(n−1) (boundary nodes included, [batch, n, n] or [n, n]):
 * {@link #darcy} −∇·(a∇u) = f (face coefficients by harmonic mean, which suits piecewise-constant a),
 * {@link #poisson} −Δu = f and {@link #helmholtz} −Δu − k²u = f. Symmetric positive definite systems are solved
 * by conjugate gradients with an incomplete-Cholesky preconditioner, Helmholtz by GMRES; all to a relative
 * residual of 1e-10, in float64, the result in f's dtype.
 */
public final class Elliptic {
    private static final double TOL = 1e-10;

    private Elliptic() {
    }

    /** −∇·(a∇u) = f with u = 0 on the boundary; a > 0 and f on the nodes, [batch, n, n] or [n, n]. */
    public static Tensor darcy(Tensor a, Tensor f) {
        check("darcy", f);
        check("darcy", a);
        if (!Arrays.equals(a.shape(), f.shape())) {
            throw new IllegalArgumentException("darcy: a has shape " + Arrays.toString(a.shape()) + " and f " + Arrays.toString(f.shape()) + "; expected the same");
        }
        if (!(a.min().item() > 0)) throw new IllegalArgumentException("darcy: the coefficient a must be positive everywhere; its minimum is " + a.min().item());
        return perSample(f, a, (fi, ai) -> solve("darcy", operator(ai, 0), fi, true));
    }

    /** −Δu = f with u = 0 on the boundary. */
    public static Tensor poisson(Tensor f) {
        check("poisson", f);
        return perSample(f, null, (fi, ai) -> solve("poisson", operator(ones(fi), 0), fi, true));
    }

    /** −Δu − k²u = f with u = 0 on the boundary (indefinite once k² passes the lowest eigenvalue 2π²). */
    public static Tensor helmholtz(Tensor f, double k) {
        check("helmholtz", f);
        if (!Double.isFinite(k)) throw new IllegalArgumentException("helmholtz: k must be finite, got " + k);
        return perSample(f, null, (fi, ai) -> solve("helmholtz", operator(ones(fi), -k * k), fi, false));
    }

    private interface Solve {
        Tensor apply(double[][] f, double[][] a);
    }

    private static Tensor perSample(Tensor f, Tensor a, Solve solve) {
        boolean batched = f.dim() == 3;
        Tensor fb = batched ? f : f.unsqueeze(0), ab = a == null ? null : batched ? a : a.unsqueeze(0);
        var out = new ArrayList<Tensor>();
        for (int b = 0; b < fb.size(0); b++) {
            Cancellation.check();
            out.add(solve.apply(grid(fb.select(0, b)), ab == null ? null : grid(ab.select(0, b))));
        }
        Tensor u = Tensor.stack(out, 0).to(f.dtype());
        return batched ? u : u.select(0, 0);
    }

    /** The 5-point operator on the interior nodes, row-major, plus {@code shift} on the diagonal. */
    static CsrMatrix operator(double[][] a, double shift) {
        int n = a.length, m = n - 2;
        double h2 = 1.0 / ((n - 1.0) * (n - 1.0));
        var rows = new int[5 * m * m];
        var cols = new int[5 * m * m];
        var vals = new double[5 * m * m];
        int nnz = 0;
        for (int i = 1; i <= m; i++) {
            for (int j = 1; j <= m; j++) {
                int row = (i - 1) * m + (j - 1);
                double n_ = face(a[i][j], a[i - 1][j]), s = face(a[i][j], a[i + 1][j]);
                double w = face(a[i][j], a[i][j - 1]), e = face(a[i][j], a[i][j + 1]);
                rows[nnz] = row;
                cols[nnz] = row;
                vals[nnz++] = (n_ + s + w + e) / h2 + shift;
                int[][] nb = {{i - 1, j}, {i + 1, j}, {i, j - 1}, {i, j + 1}};
                double[] c = {n_, s, w, e};
                for (int q = 0; q < 4; q++) {
                    int ni = nb[q][0], nj = nb[q][1];
                    if (ni < 1 || ni > m || nj < 1 || nj > m) continue; // a boundary node: u = 0 there
                    rows[nnz] = row;
                    cols[nnz] = (ni - 1) * m + (nj - 1);
                    vals[nnz++] = -c[q] / h2;
                }
            }
        }
        return CsrMatrix.fromCoo(Arrays.copyOf(rows, nnz), Arrays.copyOf(cols, nnz), Tensor.of(Arrays.copyOf(vals, nnz)), m * m, m * m);
    }

    /** The harmonic mean of the two nodes' coefficients: exact flux continuity for a jump between them. */
    private static double face(double a, double b) {
        return 2 * a * b / (a + b);
    }

    private static Tensor solve(String fn, CsrMatrix op, double[][] f, boolean spd) {
        int n = f.length, m = n - 2;
        double[] rhs = new double[m * m];
        for (int i = 1; i <= m; i++) for (int j = 1; j <= m; j++) rhs[(i - 1) * m + (j - 1)] = f[i][j];
        Tensor b = Tensor.of(rhs);
        SolveResult r = spd ? Solvers.pcg(op, b, Preconditioner.ic0(op), TOL, 20 * m * m + 100)
                : Solvers.gmres(op, b, Math.min(m * m, 200), TOL, 50 * m * m + 1000);
        if (!r.converged()) {
            throw new ArithmeticException(fn + ": the solver stopped after " + r.iterations() + " iterations at relative residual "
                    + r.residualNorm() / Math.max(1e-300, r.residualHistory()[0]));
        }
        double[] x = r.solution().toArray(), u = new double[n * n];
        for (int i = 1; i <= m; i++) for (int j = 1; j <= m; j++) u[i * n + j] = x[(i - 1) * m + (j - 1)];
        return Tensor.of(u, n, n);
    }

    private static double[][] grid(Tensor t) {
        int n = t.size(0);
        double[] v = t.to(DType.FLOAT64).contiguous().toArray();
        double[][] g = new double[n][];
        for (int i = 0; i < n; i++) g[i] = Arrays.copyOfRange(v, i * n, (i + 1) * n);
        return g;
    }

    private static double[][] ones(double[][] like) {
        double[][] g = new double[like.length][like.length];
        for (double[] row : g) Arrays.fill(row, 1);
        return g;
    }

    private static void check(String fn, Tensor t) {
        if (!t.dtype().isFloatingPoint() || t.dim() < 2 || t.dim() > 3 || t.size(-1) != t.size(-2) || t.size(-1) < 3) {
            throw new IllegalArgumentException(fn + ": expected a floating-point field on n×n nodes (n >= 3), [batch, n, n] or [n, n]; got "
                    + t.dtype() + " of shape " + Arrays.toString(t.shape()));
        }
    }
}
