package callisto.sparse;

import callisto.tensor.DType;
import callisto.tensor.Tensor;

/** Array loops behind the sparse ops: each output element is summed in storage order, so results are bit-stable. */
final class SparseKernels {
    private SparseKernels() {
    }

    /** A tensor of {@code dtype} holding {@code values} (converted to float for float32). */
    static Tensor tensor(double[] values, DType dtype, int... shape) {
        if (dtype == DType.FLOAT32) {
            float[] f = new float[values.length];
            for (int i = 0; i < f.length; i++) f[i] = (float) values[i];
            return Tensor.of(f, shape);
        }
        return Tensor.of(values, shape);
    }

    /** {@code y = A x} for x row-major [cols, k]; y is [rows, k]. */
    static double[] spmm(Pattern p, double[] values, double[] x, int k) {
        double[] y = new double[p.rows * k];
        int[] ptr = p.rowPtr, col = p.colIdx;
        for (int r = 0; r < p.rows; r++) {
            int yo = r * k;
            for (int e = ptr[r]; e < ptr[r + 1]; e++) {
                double v = values[e];
                int xo = col[e] * k;
                for (int j = 0; j < k; j++) y[yo + j] += v * x[xo + j];
            }
        }
        return y;
    }

    /** {@code out[e] = g[row(e), :] · x[col(e), :]}: the product A-shaped gradients need, only where A is stored. */
    static double[] sampled(Pattern p, double[] g, double[] x, int k) {
        double[] out = new double[p.nnz()];
        for (int e = 0; e < out.length; e++) {
            int go = p.rowOf[e] * k, xo = p.colIdx[e] * k;
            double s = 0;
            for (int j = 0; j < k; j++) s += g[go + j] * x[xo + j];
            out[e] = s;
        }
        return out;
    }
}
