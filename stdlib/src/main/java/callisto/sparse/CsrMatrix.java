package callisto.sparse;

import callisto.tensor.CustomFunction;
import callisto.tensor.DType;
import callisto.tensor.Tensor;
import java.util.Arrays;

/**
 * A sparse matrix in compressed sparse row form: {@code rowPtr} (rows + 1 offsets), {@code colIdx} (sorted and
 * unique within each row) and {@code values}, a 1-D float tensor of the stored entries that may require grad.
 *
 * <p>{@link #matmul} ({@code spmm}/{@code spmv}) is differentiable in both the dense operand and the values,
 * to any order: the gradient with respect to the values is the sampled product {@code g[row] · X[col]}, and
 * the one with respect to X is a product with the transpose. Every sum runs in a fixed order, so results are
 * the same bits on every run.
 *
 * <pre>{@code
 * CsrMatrix a = CsrMatrix.fromCoo(new int[] {0, 1, 1}, new int[] {0, 0, 1}, Tensor.of(2, -1, 3), 2, 2);
 * Tensor y = a.matmul(x);            // [2] for x [2], [2, k] for x [2, k]
 * }</pre>
 */
public final class CsrMatrix {
    final Pattern pattern;
    private final Tensor values;

    CsrMatrix(Pattern pattern, Tensor values) {
        this.pattern = pattern;
        this.values = values;
    }

    /**
     * The matrix with entries {@code values[e]} at {@code (rowIdx[e], colIdx[e])}; duplicates are summed in the
     * order they are given. The result's values are differentiable functions of {@code values}.
     */
    public static CsrMatrix fromCoo(int[] rowIdx, int[] colIdx, Tensor values, int rows, int cols) {
        if (rows < 0 || cols < 0) throw new IllegalArgumentException("CsrMatrix.fromCoo: rows " + rows + " and cols " + cols + " must be >= 0");
        if (rowIdx.length != colIdx.length) {
            throw new IllegalArgumentException("CsrMatrix.fromCoo: rowIdx has " + rowIdx.length + " entries, colIdx " + colIdx.length
                    + "; expected the same count");
        }
        checkValues("CsrMatrix.fromCoo", values, rowIdx.length);
        int n = rowIdx.length;
        for (int e = 0; e < n; e++) {
            if (rowIdx[e] < 0 || rowIdx[e] >= rows || colIdx[e] < 0 || colIdx[e] >= cols) {
                throw new IllegalArgumentException("CsrMatrix.fromCoo: entry " + e + " at (" + rowIdx[e] + ", " + colIdx[e]
                        + ") is outside a " + rows + " x " + cols + " matrix");
            }
        }
        // two stable counting sorts (by column, then by row) order the entries by (row, column, input order), so
        // duplicates are summed in the order they were given
        int[] byCol = countingSort(colIdx, cols, identity(n));
        int[] order = countingSort(rowIdx, rows, byCol);
        int[] slot = new int[n];
        int[] ptr = new int[rows + 1];
        int[] cols2 = new int[n];
        int nnz = 0, lastRow = -1, lastCol = -1;
        for (int e : order) {
            if (rowIdx[e] != lastRow || colIdx[e] != lastCol) {
                lastRow = rowIdx[e];
                lastCol = colIdx[e];
                cols2[nnz++] = lastCol;
                ptr[lastRow + 1]++;
            }
            slot[e] = nnz - 1;
        }
        for (int r = 0; r < rows; r++) ptr[r + 1] += ptr[r];
        Pattern p = new Pattern(rows, cols, ptr, Arrays.copyOf(cols2, nnz));
        return new CsrMatrix(p, IndexOps.scatterSum(values, slot, nnz));
    }

    /**
     * {@link #fromCoo(int[], int[], Tensor, int, int)} with the indices as an integer tensor [2, nnz] (rows, then
     * columns), as PyTorch's {@code sparse_coo_tensor}.
     */
    public static CsrMatrix fromCoo(Tensor indices, Tensor values, int rows, int cols) {
        if (indices.dim() != 2 || indices.size(0) != 2 || indices.dtype().isFloatingPoint()) {
            throw new IllegalArgumentException("CsrMatrix.fromCoo: indices has shape " + Arrays.toString(indices.shape()) + " and dtype "
                    + indices.dtype().pythonName() + "; expected an integer tensor [2, nnz]");
        }
        int[] all = indices.toIntArray();
        int n = indices.size(1);
        return fromCoo(Arrays.copyOfRange(all, 0, n), Arrays.copyOfRange(all, n, 2 * n), values, rows, cols);
    }

    /** The nonzero entries of a 2-D float tensor, in row-major order; the values are differentiable in {@code dense}. */
    public static CsrMatrix fromDense(Tensor dense) {
        if (dense.dim() != 2 || !IndexOps.isFloat(dense)) {
            throw new IllegalArgumentException("CsrMatrix.fromDense: dense has shape " + Arrays.toString(dense.shape()) + " and dtype "
                    + dense.dtype().pythonName() + "; expected a 2-D float32 or float64 tensor");
        }
        int rows = dense.size(0), cols = dense.size(1);
        double[] d = dense.toArray();
        int[] ptr = new int[rows + 1];
        int nnz = 0;
        for (double v : d) if (v != 0) nnz++;
        int[] idx = new int[nnz], from = new int[nnz];
        int k = 0;
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                if (d[r * cols + c] != 0) {
                    idx[k] = c;
                    from[k++] = r * cols + c;
                }
            }
            ptr[r + 1] = k;
        }
        return new CsrMatrix(new Pattern(rows, cols, ptr, idx), IndexOps.gather(dense.reshape(rows * cols), from, rows * cols));
    }

    /**
     * A matrix from CSR arrays as they are (copied); column indices must be sorted and unique within each row.
     */
    public static CsrMatrix of(int rows, int cols, int[] rowPtr, int[] colIdx, Tensor values) {
        if (rows < 0 || cols < 0) throw new IllegalArgumentException("CsrMatrix.of: rows " + rows + " and cols " + cols + " must be >= 0");
        if (rowPtr.length != rows + 1 || rowPtr[0] != 0 || rowPtr[rows] != colIdx.length) {
            throw new IllegalArgumentException("CsrMatrix.of: rowPtr has " + rowPtr.length + " entries from " + (rowPtr.length > 0 ? rowPtr[0] : "-")
                    + " to " + (rowPtr.length > 0 ? rowPtr[rowPtr.length - 1] : "-") + "; expected " + (rows + 1) + " entries from 0 to "
                    + colIdx.length + " (the length of colIdx)");
        }
        for (int r = 0; r < rows; r++) {
            if (rowPtr[r + 1] < rowPtr[r]) throw new IllegalArgumentException("CsrMatrix.of: rowPtr decreases at row " + r);
            for (int k = rowPtr[r]; k < rowPtr[r + 1]; k++) {
                if (colIdx[k] < 0 || colIdx[k] >= cols || (k > rowPtr[r] && colIdx[k] <= colIdx[k - 1])) {
                    throw new IllegalArgumentException("CsrMatrix.of: colIdx[" + k + "] = " + colIdx[k] + " in row " + r
                            + "; expected columns in [0, " + cols + "), increasing within the row");
                }
            }
        }
        checkValues("CsrMatrix.of", values, colIdx.length);
        return new CsrMatrix(new Pattern(rows, cols, rowPtr.clone(), colIdx.clone()), values);
    }

    private static int[] identity(int n) {
        int[] id = new int[n];
        for (int i = 0; i < n; i++) id[i] = i;
        return id;
    }

    /** {@code items} reordered stably by {@code key[item]} in [0, range). */
    private static int[] countingSort(int[] key, int range, int[] items) {
        int[] start = new int[range + 1];
        for (int e : items) start[key[e] + 1]++;
        for (int i = 0; i < range; i++) start[i + 1] += start[i];
        int[] out = new int[items.length];
        for (int e : items) out[start[key[e]]++] = e;
        return out;
    }

    private static void checkValues(String fn, Tensor values, int n) {
        if (values.dim() != 1 || values.size(0) != n || !IndexOps.isFloat(values)) {
            throw new IllegalArgumentException(fn + ": values has shape " + Arrays.toString(values.shape()) + " and dtype "
                    + values.dtype().pythonName() + "; expected a 1-D float32 or float64 tensor of " + n + " entries");
        }
    }

    public int rows() {
        return pattern.rows;
    }

    public int cols() {
        return pattern.cols;
    }

    /** The number of stored entries. */
    public int nnz() {
        return pattern.nnz();
    }

    public int[] rowPtr() {
        return pattern.rowPtr.clone();
    }

    public int[] colIdx() {
        return pattern.colIdx.clone();
    }

    /** The stored entries [nnz], in CSR order (gradients flow through it). */
    public Tensor values() {
        return values;
    }

    public DType dtype() {
        return values.dtype();
    }

    /** The same structure with other values [nnz] (for example parameters to learn). */
    public CsrMatrix withValues(Tensor newValues) {
        checkValues("CsrMatrix.withValues", newValues, nnz());
        return new CsrMatrix(pattern, newValues);
    }

    /** The dense [rows, cols] tensor, differentiable in the values. */
    public Tensor toDense() {
        int[] flat = new int[nnz()];
        for (int e = 0; e < flat.length; e++) flat[e] = pattern.rowOf[e] * pattern.cols + pattern.colIdx[e];
        return IndexOps.scatterSum(values, flat, pattern.rows * pattern.cols).reshape(pattern.rows, pattern.cols);
    }

    /** The transpose, in CSR form; its values are a (differentiable) permutation of these. */
    public CsrMatrix transpose() {
        return new CsrMatrix(pattern.transpose(), IndexOps.gather(values, pattern.transposedFrom(), nnz()));
    }

    /** The main diagonal [min(rows, cols)] (zero where nothing is stored), differentiable in the values. */
    public Tensor diagonal() {
        int n = Math.min(pattern.rows, pattern.cols);
        int count = 0;
        for (int r = 0; r < n; r++) if (diagonalPosition(r) >= 0) count++;
        int[] from = new int[count], to = new int[count];
        int k = 0;
        for (int r = 0; r < n; r++) {
            int p = diagonalPosition(r);
            if (p >= 0) {
                from[k] = p;
                to[k++] = r;
            }
        }
        return IndexOps.scatterSum(IndexOps.gather(values, from, nnz()), to, n);
    }

    /** Where (r, r) is stored, or -1. */
    int diagonalPosition(int r) {
        int lo = pattern.rowPtr[r], hi = pattern.rowPtr[r + 1] - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1, c = pattern.colIdx[mid];
            if (c == r) return mid;
            if (c < r) lo = mid + 1;
            else hi = mid - 1;
        }
        return -1;
    }

    /**
     * {@code A X} for X [cols] (a vector, spmv) or [cols, k] (spmm), in the values' dtype; differentiable in X and
     * in the values, to any order.
     */
    public Tensor matmul(Tensor x) {
        if (!IndexOps.isFloat(x) || x.dtype() != values.dtype() || x.dim() < 1 || x.dim() > 2 || x.size(0) != pattern.cols) {
            throw new IllegalArgumentException("CsrMatrix.matmul: x has shape " + Arrays.toString(x.shape()) + " and dtype " + x.dtype().pythonName()
                    + "; expected [" + pattern.cols + "] or [" + pattern.cols + ", k] in " + values.dtype().pythonName() + " (the matrix's dtype)");
        }
        return Tensor.apply(new Spmm(pattern), values, x);
    }

    /** {@code a.matmul(x)} for x [cols, k], as PyTorch's {@code torch.sparse.mm}. */
    public static Tensor spmm(CsrMatrix a, Tensor x) {
        if (x.dim() != 2) throw new IllegalArgumentException("CsrMatrix.spmm: x has shape " + Arrays.toString(x.shape()) + "; expected [" + a.cols() + ", k]");
        return a.matmul(x);
    }

    /** {@code a.matmul(x)} for a vector x [cols]. */
    public static Tensor spmv(CsrMatrix a, Tensor x) {
        if (x.dim() != 1) throw new IllegalArgumentException("CsrMatrix.spmv: x has shape " + Arrays.toString(x.shape()) + "; expected [" + a.cols() + "]");
        return a.matmul(x);
    }

    @Override
    public String toString() {
        return "CsrMatrix(" + pattern.rows + " x " + pattern.cols + ", nnz=" + nnz() + ", " + values.dtype().pythonName() + ")";
    }

    private static int width(int[] shape) {
        return shape.length == 1 ? 1 : shape[1];
    }

    private static int[] like(int[] xShape, int rows) {
        return xShape.length == 1 ? new int[] {rows} : new int[] {rows, xShape[1]};
    }

    /** Y = A X with inputs (values, X). */
    private record Spmm(Pattern p) implements CustomFunction {
        @Override
        public int[] shape(int[]... s) {
            return like(s[1], p.rows);
        }

        @Override
        public Tensor forward(Tensor... in) {
            int k = width(in[1].shape());
            return SparseKernels.tensor(SparseKernels.spmm(p, in[0].toArray(), in[1].toArray(), k), in[0].dtype(), like(in[1].shape(), p.rows));
        }

        @Override
        public Tensor[] backward(Tensor[] in, Tensor out, Tensor g) {
            Tensor gValues = in[0].requiresGrad() ? Tensor.apply(new Sampled(p), g, in[1]) : null;
            Tensor gX = in[1].requiresGrad()
                    ? Tensor.apply(new Spmm(p.transpose()), IndexOps.gather(in[0], p.transposedFrom(), p.nnz()), g) : null;
            return new Tensor[] {gValues, gX};
        }
    }

    /** {@code out[e] = g[row e] · x[col e]} on the entries of {@code p}, differentiable in both to any order. */
    static Tensor sampled(Pattern p, Tensor g, Tensor x) {
        return Tensor.apply(new Sampled(p), g, x);
    }

    /** out[e] = G[row e] · X[col e] with inputs (G [rows(, k)], X [cols(, k)]): the gradient of Spmm in the values. */
    private record Sampled(Pattern p) implements CustomFunction {
        @Override
        public int[] shape(int[]... s) {
            return new int[] {p.nnz()};
        }

        @Override
        public Tensor forward(Tensor... in) {
            int k = width(in[1].shape());
            return SparseKernels.tensor(SparseKernels.sampled(p, in[0].toArray(), in[1].toArray(), k), in[0].dtype(), p.nnz());
        }

        @Override
        public Tensor[] backward(Tensor[] in, Tensor out, Tensor w) {
            Tensor gG = in[0].requiresGrad() ? Tensor.apply(new Spmm(p), w, in[1]) : null;
            Tensor gX = in[1].requiresGrad()
                    ? Tensor.apply(new Spmm(p.transpose()), IndexOps.gather(w, p.transposedFrom(), p.nnz()), in[0]) : null;
            return new Tensor[] {gG, gX};
        }
    }
}
