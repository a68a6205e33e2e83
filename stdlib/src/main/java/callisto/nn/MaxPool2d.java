package callisto.nn;

import callisto.tensor.Pool;
import callisto.tensor.Tensor;

/** Max pooling over [N, C, H, W] (or [C, H, W]) by {@link Pool#maxPool2d}, as {@code nn.MaxPool2d}. */
public final class MaxPool2d extends Module {
    private final int[] kernel, stride, padding, dilation;
    private final boolean ceilMode;

    /** Stride equal to the kernel, no padding. */
    public MaxPool2d(int kernel) {
        this(kernel, kernel, 0);
    }

    public MaxPool2d(int kernel, int stride, int padding) {
        this(new int[] {kernel}, new int[] {stride}, new int[] {padding}, new int[] {1}, false);
    }

    /** (height, width) values, or one value for both; a null stride is the kernel, a null dilation 1. */
    public MaxPool2d(int[] kernel, int[] stride, int[] padding, int[] dilation, boolean ceilMode) {
        if (kernel == null || padding == null) {
            throw new IllegalArgumentException("MaxPool2d: kernel " + java.util.Arrays.toString(kernel) + " and padding "
                    + java.util.Arrays.toString(padding) + " must be given");
        }
        this.kernel = kernel.clone();
        this.stride = stride == null ? kernel.clone() : stride.clone();
        this.padding = padding.clone();
        this.dilation = dilation == null ? new int[] {1} : dilation.clone();
        this.ceilMode = ceilMode;
    }

    @Override
    public Tensor forward(Tensor x) {
        return Pool.maxPool2d(x, kernel, stride, padding, dilation, ceilMode);
    }

    @Override
    protected String extraRepr() {
        return "kernel_size=" + Layers.pair(kernel) + ", stride=" + Layers.pair(stride) + ", padding=" + Layers.pair(padding)
                + ", dilation=" + Layers.pair(dilation) + ", ceil_mode=" + ceilMode;
    }
}
