package callisto.sparse;

import callisto.tensor.Tensor;
import java.util.Arrays;
import java.util.function.UnaryOperator;

/**
 * An approximate inverse {@code M⁻¹} for {@link Solvers#pcg}: apply it to a residual, get the preconditioned
 * residual. {@link #jacobi} divides by the diagonal; {@link #ic0} is the zero-fill incomplete Cholesky
 * factorisation {@code L Lᵀ ≈ A} on the lower triangle's pattern, applied by two triangular solves.
 */
public final class Preconditioner implements UnaryOperator<Tensor> {
    /** {@code out = M⁻¹ in} on arrays (the solvers' inner loop). */
    interface ArrayMap {
        void apply(double[] in, double[] out);
    }

    final int n;
    final ArrayMap map;
    private final String name;

    private Preconditioner(int n, ArrayMap map, String name) {
        this.n = n;
        this.map = map;
        this.name = name;
    }

    /** Diagonal scaling by {@code 1 / A[i, i]}; every diagonal entry must be stored and nonzero. */
    public static Preconditioner jacobi(CsrMatrix a) {
        square("Preconditioner.jacobi", a);
        double[] values = a.values().toArray(), inverse = new double[a.rows()];
        for (int i = 0; i < inverse.length; i++) {
            int p = a.diagonalPosition(i);
            if (p < 0 || values[p] == 0) {
                throw new IllegalArgumentException("Preconditioner.jacobi: A[" + i + ", " + i + "] is zero; Jacobi scaling needs a nonzero diagonal");
            }
            inverse[i] = 1 / values[p];
        }
        return new Preconditioner(inverse.length, (in, out) -> {
            for (int i = 0; i < inverse.length; i++) out[i] = in[i] * inverse[i];
        }, "jacobi");
    }

    /**
     * Incomplete Cholesky with zero fill-in, for a symmetric positive definite A (its lower triangle is read).
     * Throws where a pivot is not positive (the factorisation breaks down, as it can for SPD matrices that
     * are not M-matrices), naming the row.
     */
    public static Preconditioner ic0(CsrMatrix a) {
        square("Preconditioner.ic0", a);
        int n = a.rows();
        Pattern p = a.pattern;
        double[] av = a.values().toArray();
        // the lower triangle (diagonal last in each row, since columns are sorted)
        int[] ptr = new int[n + 1];
        for (int i = 0; i < n; i++) {
            int count = 0;
            for (int e = p.rowPtr[i]; e < p.rowPtr[i + 1]; e++) if (p.colIdx[e] <= i) count++;
            ptr[i + 1] = ptr[i] + count;
        }
        int[] col = new int[ptr[n]];
        double[] l = new double[ptr[n]];
        for (int i = 0, k = 0; i < n; i++) {
            for (int e = p.rowPtr[i]; e < p.rowPtr[i + 1]; e++) {
                if (p.colIdx[e] <= i) {
                    col[k] = p.colIdx[e];
                    l[k++] = av[e];
                }
            }
            if (ptr[i + 1] == ptr[i] || col[ptr[i + 1] - 1] != i) {
                throw new IllegalArgumentException("Preconditioner.ic0: A[" + i + ", " + i + "] is not stored; IC(0) needs the diagonal");
            }
        }
        for (int i = 0; i < n; i++) {
            int diag = ptr[i + 1] - 1;
            for (int e = ptr[i]; e < diag; e++) {
                int k = col[e];
                // L[i,k] = (A[i,k] - sum_{j<k} L[i,j] L[k,j]) / L[k,k], over the columns both rows store
                double s = l[e];
                int x = ptr[i], y = ptr[k], kd = ptr[k + 1] - 1;
                while (x < e && y < kd) {
                    if (col[x] == col[y]) s -= l[x++] * l[y++];
                    else if (col[x] < col[y]) x++;
                    else y++;
                }
                l[e] = s / l[kd];
            }
            double s = l[diag];
            for (int e = ptr[i]; e < diag; e++) s -= l[e] * l[e];
            if (!(s > 0)) {
                throw new IllegalArgumentException("Preconditioner.ic0: pivot " + s + " at row " + i
                        + " is not positive; IC(0) broke down (A must be symmetric positive definite, and even then may need a shift)");
            }
            l[diag] = Math.sqrt(s);
        }
        return new Preconditioner(n, (in, out) -> {
            for (int i = 0; i < n; i++) { // L y = in
                double s = in[i];
                int diag = ptr[i + 1] - 1;
                for (int e = ptr[i]; e < diag; e++) s -= l[e] * out[col[e]];
                out[i] = s / l[diag];
            }
            for (int i = n - 1; i >= 0; i--) { // Lᵀ z = y, column by column of Lᵀ (row i of L)
                int diag = ptr[i + 1] - 1;
                double z = out[i] / l[diag];
                out[i] = z;
                for (int e = ptr[i]; e < diag; e++) out[col[e]] -= l[e] * z;
            }
        }, "ic0");
    }

    private static void square(String fn, CsrMatrix a) {
        if (a.rows() != a.cols()) throw new IllegalArgumentException(fn + ": A is " + a.rows() + " x " + a.cols() + "; expected a square matrix");
    }

    /** {@code M⁻¹ r} for r [n], in r's dtype. */
    @Override
    public Tensor apply(Tensor r) {
        if (r.dim() != 1 || r.size(0) != n) {
            throw new IllegalArgumentException("Preconditioner.apply: r has shape " + Arrays.toString(r.shape()) + "; expected [" + n + "]");
        }
        double[] out = new double[n];
        map.apply(r.toArray(), out);
        return SparseKernels.tensor(out, r.dtype(), n);
    }

    @Override
    public String toString() {
        return "Preconditioner." + name + "(n=" + n + ")";
    }
}
