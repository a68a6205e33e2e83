package callisto.nn;

import callisto.tensor.Pool;
import callisto.tensor.Tensor;

/** Average pooling over [N, C, L] (or [C, L]) by {@link Pool#avgPool1d}, as {@code nn.AvgPool1d}. */
public final class AvgPool1d extends Module {
    private final int kernel, stride, padding;
    private final boolean ceilMode, countIncludePad;

    /** Stride equal to the kernel, no padding. */
    public AvgPool1d(int kernel) {
        this(kernel, kernel, 0, false, true);
    }

    public AvgPool1d(int kernel, int stride, int padding, boolean ceilMode, boolean countIncludePad) {
        Layers.checkPositive("AvgPool1d", "kernel", kernel);
        Layers.checkPositive("AvgPool1d", "stride", stride);
        this.kernel = kernel;
        this.stride = stride;
        this.padding = padding;
        this.ceilMode = ceilMode;
        this.countIncludePad = countIncludePad;
    }

    @Override
    public Tensor forward(Tensor x) {
        return Pool.avgPool1d(x, kernel, stride, padding, ceilMode, countIncludePad);
    }

    @Override
    protected String extraRepr() {
        return "kernel_size=(" + kernel + ",), stride=(" + stride + ",), padding=(" + padding + ",), ceil_mode="
                + ceilMode + ", count_include_pad=" + countIncludePad;
    }
}
