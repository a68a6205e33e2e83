package callisto.nn;

import callisto.tensor.Pool;
import callisto.tensor.Tensor;

/** Max pooling over [N, C, L] (or [C, L]) by {@link Pool#maxPool1d}, as {@code nn.MaxPool1d}. */
public final class MaxPool1d extends Module {
    private final int kernel, stride, padding, dilation;
    private final boolean ceilMode;

    /** Stride equal to the kernel, no padding. */
    public MaxPool1d(int kernel) {
        this(kernel, kernel, 0, 1, false);
    }

    public MaxPool1d(int kernel, int stride, int padding, int dilation, boolean ceilMode) {
        Layers.checkPositive("MaxPool1d", "kernel", kernel);
        Layers.checkPositive("MaxPool1d", "stride", stride);
        Layers.checkPositive("MaxPool1d", "dilation", dilation);
        this.kernel = kernel;
        this.stride = stride;
        this.padding = padding;
        this.dilation = dilation;
        this.ceilMode = ceilMode;
    }

    @Override
    public Tensor forward(Tensor x) {
        return Pool.maxPool1d(x, kernel, stride, padding, dilation, ceilMode);
    }

    @Override
    protected String extraRepr() {
        return "kernel_size=" + kernel + ", stride=" + stride + ", padding=" + padding + ", dilation=" + dilation
                + ", ceil_mode=" + ceilMode;
    }
}
