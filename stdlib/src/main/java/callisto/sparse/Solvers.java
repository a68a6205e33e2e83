package callisto.sparse;

import callisto.runtime.Cancellation;
import callisto.tensor.CustomFunction;
import callisto.tensor.GradMode;
import callisto.tensor.Tensor;
import java.util.Arrays;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Linear solves: Krylov methods for a {@link CsrMatrix} or any linear operator ({@link #cg}, {@link #pcg},
 * {@link #gmres}), and direct ones for tridiagonal and banded matrices.
 *
 * <p>The iterative solves stop when {@code ||b - A x|| <= tol · ||b||} (2-norms) or after {@code maxIter}
 * iterations, and return a {@link SolveResult}; they run in float64 and return the solution in b's dtype. They
 * check {@link Cancellation} each iteration, so an interrupted notebook cell stops them. They are not recorded
 * for autograd. {@link #tridiagonalSolve} and {@link #bandedSolve} are differentiable to any order.
 */
public final class Solvers {
    private Solvers() {
    }

    /** {@code y = A x} on arrays. */
    private interface LinearMap {
        void apply(double[] x, double[] y);
    }

    private static LinearMap map(String fn, CsrMatrix a, Tensor b) {
        if (a.rows() != a.cols()) throw new IllegalArgumentException(fn + ": A is " + a.rows() + " x " + a.cols() + "; expected a square matrix");
        checkRhs(fn, b, a.rows());
        Pattern p = a.pattern;
        double[] v = a.values().toArray();
        return (x, y) -> {
            for (int r = 0; r < p.rows; r++) {
                double s = 0;
                for (int e = p.rowPtr[r]; e < p.rowPtr[r + 1]; e++) s += v[e] * x[p.colIdx[e]];
                y[r] = s;
            }
        };
    }

    private static LinearMap map(String fn, UnaryOperator<Tensor> a, Tensor b) {
        checkRhs(fn, b, b.numel());
        int n = b.numel();
        return (x, y) -> {
            Tensor out;
            try (var off = GradMode.noGrad()) {
                out = a.apply(SparseKernels.tensor(x, b.dtype(), n));
            }
            if (out.dim() != 1 || out.size(0) != n) {
                throw new IllegalArgumentException(fn + ": the operator returned shape " + Arrays.toString(out.shape()) + "; expected [" + n + "]");
            }
            System.arraycopy(out.toArray(), 0, y, 0, n);
        };
    }

    private static void checkRhs(String fn, Tensor b, int n) {
        if (b.dim() != 1 || b.size(0) != n || !IndexOps.isFloat(b)) {
            throw new IllegalArgumentException(fn + ": b has shape " + Arrays.toString(b.shape()) + " and dtype " + b.dtype().pythonName()
                    + "; expected a float vector [" + n + "]");
        }
    }

    private static void checkLimits(String fn, double tol, int maxIter) {
        if (!(tol >= 0)) throw new IllegalArgumentException(fn + ": tol is " + tol + "; expected a number >= 0");
        if (maxIter < 0) throw new IllegalArgumentException(fn + ": maxIter is " + maxIter + "; expected >= 0");
    }

    /** Conjugate gradients for a symmetric positive definite A, from x = 0. */
    public static SolveResult cg(CsrMatrix a, Tensor b, double tol, int maxIter) {
        return conjugateGradient("cg", map("cg", a, b), null, b, tol, maxIter);
    }

    /** Conjugate gradients for a symmetric positive definite operator {@code x -> A x} on vectors shaped like b. */
    public static SolveResult cg(UnaryOperator<Tensor> a, Tensor b, double tol, int maxIter) {
        return conjugateGradient("cg", map("cg", a, b), null, b, tol, maxIter);
    }

    /** Preconditioned conjugate gradients with {@code m} ({@link Preconditioner#jacobi}, {@link Preconditioner#ic0}). */
    public static SolveResult pcg(CsrMatrix a, Tensor b, Preconditioner m, double tol, int maxIter) {
        return conjugateGradient("pcg", map("pcg", a, b), arrays("pcg", m, b), b, tol, maxIter);
    }

    /**
     * Preconditioned conjugate gradients for an operator; {@code m} applies M⁻¹ (symmetric positive definite)
     * to a residual.
     */
    public static SolveResult pcg(UnaryOperator<Tensor> a, Tensor b, UnaryOperator<Tensor> m, double tol, int maxIter) {
        return conjugateGradient("pcg", map("pcg", a, b), arrays("pcg", m, b), b, tol, maxIter);
    }

    private static Preconditioner.ArrayMap arrays(String fn, UnaryOperator<Tensor> m, Tensor b) {
        if (m instanceof Preconditioner p) {
            if (p.n != b.numel()) throw new IllegalArgumentException(fn + ": the preconditioner is for size " + p.n + ", b has " + b.numel());
            return p.map;
        }
        LinearMap general = map(fn, m, b);
        return general::apply;
    }

    private static SolveResult conjugateGradient(String fn, LinearMap a, Preconditioner.ArrayMap m, Tensor rhs, double tol, int maxIter) {
        checkLimits(fn, tol, maxIter);
        int n = rhs.numel();
        double[] b = rhs.toArray(), x = new double[n], r = b.clone(), z = m == null ? r : new double[n], q = new double[n];
        double bNorm = norm(b), target = tol * bNorm;
        double[] history = new double[maxIter + 1];
        history[0] = bNorm;
        if (bNorm <= target) return result(x, rhs, 0, history, true);
        if (m != null) m.apply(r, z);
        double[] d = z.clone();
        double rz = dot(r, z);
        for (int it = 1; it <= maxIter; it++) {
            Cancellation.check();
            a.apply(d, q);
            double dq = dot(d, q);
            if (!(dq > 0)) {
                throw new IllegalArgumentException(fn + ": dᵀ A d = " + dq + " at iteration " + it + "; A must be symmetric positive definite");
            }
            double alpha = rz / dq;
            for (int i = 0; i < n; i++) {
                x[i] += alpha * d[i];
                r[i] -= alpha * q[i];
            }
            double rNorm = norm(r);
            history[it] = rNorm;
            if (rNorm <= target) return result(x, rhs, it, history, true);
            if (m != null) m.apply(r, z);
            double rzNext = dot(r, z), beta = rzNext / rz;
            rz = rzNext;
            for (int i = 0; i < n; i++) d[i] = z[i] + beta * d[i];
        }
        return result(x, rhs, maxIter, history, false);
    }

    /** Restarted GMRES(restart) for a general square A, from x = 0. */
    public static SolveResult gmres(CsrMatrix a, Tensor b, int restart, double tol, int maxIter) {
        return gmres("gmres", map("gmres", a, b), b, restart, tol, maxIter);
    }

    /** Restarted GMRES(restart) for a general linear operator on vectors shaped like b. */
    public static SolveResult gmres(UnaryOperator<Tensor> a, Tensor b, int restart, double tol, int maxIter) {
        return gmres("gmres", map("gmres", a, b), b, restart, tol, maxIter);
    }

    /**
     * Arnoldi with modified Gram–Schmidt and Givens rotations; each restart recomputes the true residual. An
     * iteration is one Arnoldi step (one product with A).
     */
    private static SolveResult gmres(String fn, LinearMap a, Tensor rhs, int restart, double tol, int maxIter) {
        checkLimits(fn, tol, maxIter);
        if (restart < 1) throw new IllegalArgumentException(fn + ": restart is " + restart + "; expected >= 1");
        int n = rhs.numel(), m = Math.min(restart, Math.max(n, 1));
        double[] b = rhs.toArray(), x = new double[n], r = new double[n], w = new double[n];
        double bNorm = norm(b), target = tol * bNorm;
        double[] history = new double[maxIter + 1];
        history[0] = bNorm;
        if (bNorm <= target) return result(x, rhs, 0, history, true);
        double[][] v = new double[m + 1][n], h = new double[m + 1][m];
        double[] cs = new double[m], sn = new double[m], g = new double[m + 1], y = new double[m];
        int it = 0;
        while (true) {
            a.apply(x, r);
            for (int i = 0; i < n; i++) r[i] = b[i] - r[i];
            double beta = norm(r);
            if (beta <= target) return result(x, rhs, it, Arrays.copyOf(history, it + 1), true);
            if (it >= maxIter) return result(x, rhs, it, Arrays.copyOf(history, it + 1), false);
            for (int i = 0; i < n; i++) v[0][i] = r[i] / beta;
            Arrays.fill(g, 0);
            g[0] = beta;
            int j = 0;
            for (; j < m && it < maxIter; j++) {
                Cancellation.check();
                it++;
                a.apply(v[j], w);
                for (int k = 0; k <= j; k++) {
                    double hk = dot(w, v[k]);
                    h[k][j] = hk;
                    for (int i = 0; i < n; i++) w[i] -= hk * v[k][i];
                }
                double wn = norm(w);
                h[j + 1][j] = wn;
                if (wn > 0) for (int i = 0; i < n; i++) v[j + 1][i] = w[i] / wn;
                for (int k = 0; k < j; k++) { // earlier rotations on the new column
                    double t = cs[k] * h[k][j] + sn[k] * h[k + 1][j];
                    h[k + 1][j] = -sn[k] * h[k][j] + cs[k] * h[k + 1][j];
                    h[k][j] = t;
                }
                double den = Math.hypot(h[j][j], h[j + 1][j]);
                cs[j] = den == 0 ? 1 : h[j][j] / den;
                sn[j] = den == 0 ? 0 : h[j + 1][j] / den;
                h[j][j] = den;
                h[j + 1][j] = 0;
                g[j + 1] = -sn[j] * g[j];
                g[j] = cs[j] * g[j];
                history[it] = Math.abs(g[j + 1]);
                if (history[it] <= target || wn == 0) {
                    j++;
                    break;
                }
            }
            for (int k = j - 1; k >= 0; k--) { // back substitution for the least-squares coefficients
                double s = g[k];
                for (int l = k + 1; l < j; l++) s -= h[k][l] * y[l];
                y[k] = h[k][k] == 0 ? 0 : s / h[k][k];
            }
            for (int k = 0; k < j; k++) for (int i = 0; i < n; i++) x[i] += y[k] * v[k][i];
            // the next pass starts from the true residual, which decides convergence
        }
    }

    /**
     * Solves tridiagonal systems by Thomas's algorithm (no pivoting), batched over leading dimensions:
     * {@code diag} [..., n], {@code lower} and {@code upper} [..., n - 1] (A[i + 1, i] and A[i, i + 1], as LAPACK's
     * {@code gtsv}), {@code rhs} [..., n]. Differentiable in all four, to any order. A zero pivot (possible unless
     * A is, for example, diagonally dominant or symmetric positive definite) is an error naming the system and row.
     */
    public static Tensor tridiagonalSolve(Tensor lower, Tensor diag, Tensor upper, Tensor rhs) {
        String fn = "tridiagonalSolve";
        if (diag.dim() < 1 || !IndexOps.isFloat(diag)) {
            throw new IllegalArgumentException(fn + ": diag has shape " + Arrays.toString(diag.shape()) + " and dtype " + diag.dtype().pythonName()
                    + "; expected a float tensor [..., n]");
        }
        int[] s = diag.shape();
        int[] off = s.clone();
        off[s.length - 1] = Math.max(s[s.length - 1] - 1, 0);
        checkLike(fn, "lower", lower, off, diag);
        checkLike(fn, "upper", upper, off, diag);
        checkLike(fn, "rhs", rhs, s, diag);
        return Tensor.apply(Tridiagonal.INSTANCE, lower, diag, upper, rhs);
    }

    private static void checkLike(String fn, String name, Tensor t, int[] shape, Tensor diag) {
        if (!Arrays.equals(t.shape(), shape) || t.dtype() != diag.dtype()) {
            throw new IllegalArgumentException(fn + ": " + name + " has shape " + Arrays.toString(t.shape()) + " and dtype " + t.dtype().pythonName()
                    + "; expected " + Arrays.toString(shape) + " in " + diag.dtype().pythonName() + " (diag is " + Arrays.toString(diag.shape()) + ")");
        }
    }

    private enum Tridiagonal implements CustomFunction {
        INSTANCE;

        @Override
        public int[] shape(int[]... s) {
            return s[3].clone();
        }

        @Override
        public Tensor forward(Tensor... in) {
            int[] shape = in[1].shape();
            int n = shape[shape.length - 1], batch = in[1].numel() / Math.max(n, 1);
            double[] dl = in[0].toArray(), d = in[1].toArray(), du = in[2].toArray(), x = in[3].toArray();
            double[] c = new double[n];
            for (int b = 0; b < batch; b++) {
                int o = b * n, oo = b * (n - 1);
                for (int i = 0; i < n; i++) {
                    double pivot = d[o + i] - (i > 0 ? dl[oo + i - 1] * c[i - 1] : 0);
                    if (pivot == 0 || !Double.isFinite(pivot)) {
                        throw new IllegalArgumentException("tridiagonalSolve: pivot " + pivot + " at row " + i + " of system " + b
                                + "; Thomas's algorithm does not pivot, so it needs nonzero pivots (e.g. a diagonally dominant matrix)");
                    }
                    c[i] = i < n - 1 ? du[oo + i] / pivot : 0;
                    x[o + i] = (x[o + i] - (i > 0 ? dl[oo + i - 1] * x[o + i - 1] : 0)) / pivot;
                }
                for (int i = n - 2; i >= 0; i--) x[o + i] -= c[i] * x[o + i + 1];
            }
            return SparseKernels.tensor(x, in[3].dtype(), shape);
        }

        @Override
        public Tensor[] backward(Tensor[] in, Tensor x, Tensor g) {
            // A x = b: db = A⁻ᵀ g (Aᵀ swaps the off-diagonals), dA = -db xᵀ restricted to the three diagonals
            Tensor db = tridiagonalSolve(in[2], in[1], in[0], g);
            int last = x.dim() - 1, n = x.size(last);
            Tensor dDiag = db.mul(x).neg();
            Tensor dLower = n > 1 ? db.narrow(last, 1, n - 1).mul(x.narrow(last, 0, n - 1)).neg() : Tensor.zerosLike(in[0]);
            Tensor dUpper = n > 1 ? db.narrow(last, 0, n - 1).mul(x.narrow(last, 1, n - 1)).neg() : Tensor.zerosLike(in[2]);
            return new Tensor[] {dLower, dDiag, dUpper, db};
        }
    }

    /**
     * Solves a banded system by LU with partial pivoting (LAPACK's {@code gbsv}), with A in the band storage of
     * SciPy's {@code solve_banded}: {@code ab[upper + i - j, j] = A[i, j]}, shape [lower + upper + 1, n] (slots
     * outside the matrix are ignored). b is [n] or [n, k]. Differentiable in ab and b, to any order.
     */
    public static Tensor bandedSolve(Tensor ab, int lower, int upper, Tensor b) {
        String fn = "bandedSolve";
        if (lower < 0 || upper < 0) throw new IllegalArgumentException(fn + ": lower " + lower + " and upper " + upper + " must be >= 0");
        if (ab.dim() != 2 || ab.size(0) != lower + upper + 1 || !IndexOps.isFloat(ab)) {
            throw new IllegalArgumentException(fn + ": ab has shape " + Arrays.toString(ab.shape()) + "; expected a float tensor ["
                    + (lower + upper + 1) + ", n] (lower + upper + 1 rows)");
        }
        int n = ab.size(1);
        if (b.dim() < 1 || b.dim() > 2 || b.size(0) != n || b.dtype() != ab.dtype()) {
            throw new IllegalArgumentException(fn + ": b has shape " + Arrays.toString(b.shape()) + " and dtype " + b.dtype().pythonName()
                    + "; expected [" + n + "] or [" + n + ", k] in " + ab.dtype().pythonName());
        }
        return Tensor.apply(new Banded(lower, upper), ab, b);
    }

    /** A x = b for banded A: inputs (ab, b). */
    private record Banded(int lower, int upper) implements CustomFunction {
        @Override
        public int[] shape(int[]... s) {
            return s[1].clone();
        }

        @Override
        public Tensor forward(Tensor... in) {
            return SparseKernels.tensor(solveBand(in[0].toArray(), in[0].size(1), lower, upper, in[1].toArray(), in[1].dim() == 1 ? 1 : in[1].size(1)),
                    in[1].dtype(), in[1].shape());
        }

        @Override
        public Tensor[] backward(Tensor[] in, Tensor x, Tensor g) {
            // db = A⁻ᵀ g, solved in Aᵀ's band storage (lower and upper swap); dA = -db xᵀ on the band's entries
            Tensor ab = in[0];
            int n = ab.size(1), slots = (lower + upper + 1) * n;
            int[] transposed = new int[slots];
            for (int r = 0; r < lower + upper + 1; r++) {
                for (int j = 0; j < n; j++) {
                    int i = r - lower + j; // slot (r, j) of Aᵀ's storage holds Aᵀ[i, j] = A[j, i] = ab[upper + j - i, i]
                    transposed[r * n + j] = i >= 0 && i < n ? (upper + j - i) * n + i : slots;
                }
            }
            Tensor padded = Tensor.cat(List.of(ab.reshape(slots), Tensor.zeros(ab.dtype(), 1)), 0);
            Tensor abT = IndexOps.gather(padded, transposed, slots + 1).reshape(lower + upper + 1, n);
            Tensor db = Tensor.apply(new Banded(upper, lower), abT, g);
            Tensor dab = null;
            if (ab.requiresGrad()) {
                int[] ptr = new int[n + 1];
                for (int i = 0; i < n; i++) ptr[i + 1] = ptr[i] + Math.min(n - 1, i + upper) - Math.max(0, i - lower) + 1;
                int[] cols = new int[ptr[n]], position = new int[ptr[n]];
                for (int i = 0, e = 0; i < n; i++) {
                    for (int j = Math.max(0, i - lower); j <= Math.min(n - 1, i + upper); j++, e++) {
                        cols[e] = j;
                        position[e] = (upper + i - j) * n + j;
                    }
                }
                Tensor entries = CsrMatrix.sampled(new Pattern(n, n, ptr, cols), db, x).neg();
                dab = IndexOps.scatterSum(entries, position, slots).reshape(lower + upper + 1, n);
            }
            return new Tensor[] {dab, db};
        }
    }

    /** Banded LU with partial pivoting on arrays; x (row-major [n, k]) is overwritten with the solution. */
    private static double[] solveBand(double[] band, int n, int lower, int upper, double[] x, int k) {
        String fn = "bandedSolve";
        int width = 2 * lower + upper + 1;
        // row i holds columns i - lower .. i + lower + upper (pivoting widens U's band by lower)
        double[] w = new double[n * width];
        for (int j = 0; j < n; j++) {
            for (int i = Math.max(0, j - upper); i <= Math.min(n - 1, j + lower); i++) w[i * width + j - i + lower] = band[(upper + i - j) * n + j];
        }
        for (int c = 0; c < n; c++) {
            int last = Math.min(n - 1, c + lower), p = c;
            double best = Math.abs(w[c * width + lower]);
            for (int i = c + 1; i <= last; i++) {
                double v = Math.abs(w[i * width + c - i + lower]);
                if (v > best) {
                    best = v;
                    p = i;
                }
            }
            if (best == 0) throw new IllegalArgumentException(fn + ": the matrix is singular (column " + c + " has no nonzero pivot)");
            int end = Math.min(n - 1, c + lower + upper);
            if (p != c) {
                for (int j = c; j <= end; j++) {
                    int a1 = c * width + j - c + lower, a2 = p * width + j - p + lower;
                    double t = w[a1];
                    w[a1] = w[a2];
                    w[a2] = t;
                }
                for (int j = 0; j < k; j++) {
                    double t = x[c * k + j];
                    x[c * k + j] = x[p * k + j];
                    x[p * k + j] = t;
                }
            }
            double pivot = w[c * width + lower];
            for (int i = c + 1; i <= last; i++) {
                double f = w[i * width + c - i + lower] / pivot;
                if (f == 0) continue;
                for (int j = c + 1; j <= end; j++) w[i * width + j - i + lower] -= f * w[c * width + j - c + lower];
                for (int j = 0; j < k; j++) x[i * k + j] -= f * x[c * k + j];
            }
        }
        for (int c = n - 1; c >= 0; c--) {
            int end = Math.min(n - 1, c + lower + upper);
            for (int j = 0; j < k; j++) {
                double s = x[c * k + j];
                for (int l = c + 1; l <= end; l++) s -= w[c * width + l - c + lower] * x[l * k + j];
                x[c * k + j] = s / w[c * width + lower];
            }
        }
        return x;
    }

    private static SolveResult result(double[] x, Tensor rhs, int iterations, double[] history, boolean converged) {
        return new SolveResult(SparseKernels.tensor(x, rhs.dtype(), x.length), iterations, Arrays.copyOf(history, iterations + 1), converged);
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) s += a[i] * b[i];
        return s;
    }

    private static double norm(double[] a) {
        return Math.sqrt(dot(a, a));
    }
}
