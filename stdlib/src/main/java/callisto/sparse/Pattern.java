package callisto.sparse;

/**
 * The structure of a CSR matrix (no values), immutable and shared between a matrix and every matrix made from
 * it with other values. Column indices are sorted and unique within each row. The transpose's structure, and
 * where each of its entries comes from, is built once on first use.
 */
final class Pattern {
    final int rows, cols;
    final int[] rowPtr, colIdx;
    /** The row of each stored entry (the sampled product's gather index). */
    final int[] rowOf;
    private Pattern transposed;
    /** {@code transposed}'s k-th entry is this pattern's entry {@code transposedFrom[k]}. */
    private int[] transposedFrom;

    Pattern(int rows, int cols, int[] rowPtr, int[] colIdx) {
        this.rows = rows;
        this.cols = cols;
        this.rowPtr = rowPtr;
        this.colIdx = colIdx;
        rowOf = new int[colIdx.length];
        for (int r = 0; r < rows; r++) for (int k = rowPtr[r]; k < rowPtr[r + 1]; k++) rowOf[k] = r;
    }

    int nnz() {
        return colIdx.length;
    }

    synchronized Pattern transpose() {
        if (transposed == null) {
            int nnz = nnz();
            int[] ptr = new int[cols + 1];
            for (int c : colIdx) ptr[c + 1]++;
            for (int c = 0; c < cols; c++) ptr[c + 1] += ptr[c];
            int[] next = ptr.clone(), idx = new int[nnz], from = new int[nnz];
            // rows visited in increasing order, so each transposed row comes out sorted by column
            for (int r = 0; r < rows; r++) {
                for (int k = rowPtr[r]; k < rowPtr[r + 1]; k++) {
                    int p = next[colIdx[k]]++;
                    idx[p] = r;
                    from[p] = k;
                }
            }
            Pattern t = new Pattern(cols, rows, ptr, idx);
            t.transposed = this;
            int[] back = new int[nnz];
            for (int p = 0; p < nnz; p++) back[from[p]] = p;
            t.transposedFrom = back;
            transposedFrom = from;
            transposed = t;
        }
        return transposed;
    }

    synchronized int[] transposedFrom() {
        transpose();
        return transposedFrom;
    }
}
