package callisto.nn;

import callisto.tensor.DType;

/** {@link BatchNorm} of [N, C, H, W] inputs, as {@code nn.BatchNorm2d}. */
public final class BatchNorm2d extends BatchNorm {
    /** eps 1e-5, momentum 0.1, affine, float32. */
    public BatchNorm2d(int numFeatures) {
        this(numFeatures, 1e-5, 0.1, true, DType.FLOAT32);
    }

    public BatchNorm2d(int numFeatures, double eps, double momentum, boolean affine, DType dtype) {
        super(numFeatures, eps, momentum, affine, dtype);
    }

    @Override
    protected boolean acceptsRank(int rank) {
        return rank == 4;
    }

    @Override
    protected String expectedShape() {
        return "[N, C, H, W]";
    }
}
