package callisto.nn;

import callisto.tensor.DType;

/** {@link BatchNorm} of [N, C] or [N, C, L] inputs, as {@code nn.BatchNorm1d}. */
public final class BatchNorm1d extends BatchNorm {
    /** eps 1e-5, momentum 0.1, affine, float32. */
    public BatchNorm1d(int numFeatures) {
        this(numFeatures, 1e-5, 0.1, true, DType.FLOAT32);
    }

    public BatchNorm1d(int numFeatures, double eps, double momentum, boolean affine, DType dtype) {
        super(numFeatures, eps, momentum, affine, dtype);
    }

    @Override
    protected boolean acceptsRank(int rank) {
        return rank == 2 || rank == 3;
    }

    @Override
    protected String expectedShape() {
        return "[N, C] or [N, C, L]";
    }
}
