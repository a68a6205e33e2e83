package callisto.nn;

import callisto.tensor.Pool;
import callisto.tensor.Tensor;

/** Average pooling over [N, C, H, W] (or [C, H, W]) by {@link Pool#avgPool2d}, as {@code nn.AvgPool2d}. */
public final class AvgPool2d extends Module {
    private final int[] kernel, stride, padding;
    private final boolean ceilMode, countIncludePad;

    /** Stride equal to the kernel, no padding. */
    public AvgPool2d(int kernel) {
        this(kernel, kernel, 0);
    }

    /** Padded zeros count in the average, PyTorch's default. */
    public AvgPool2d(int kernel, int stride, int padding) {
        this(new int[] {kernel}, new int[] {stride}, new int[] {padding}, false, true);
    }

    /** (height, width) values, or one value for both; a null stride is the kernel. */
    public AvgPool2d(int[] kernel, int[] stride, int[] padding, boolean ceilMode, boolean countIncludePad) {
        if (kernel == null || padding == null) {
            throw new IllegalArgumentException("AvgPool2d: kernel " + java.util.Arrays.toString(kernel) + " and padding "
                    + java.util.Arrays.toString(padding) + " must be given");
        }
        this.kernel = kernel.clone();
        this.stride = stride == null ? kernel.clone() : stride.clone();
        this.padding = padding.clone();
        this.ceilMode = ceilMode;
        this.countIncludePad = countIncludePad;
    }

    @Override
    public Tensor forward(Tensor x) {
        return Pool.avgPool2d(x, kernel, stride, padding, ceilMode, countIncludePad);
    }

    @Override
    protected String extraRepr() {
        return "kernel_size=" + Layers.pair(kernel) + ", stride=" + Layers.pair(stride) + ", padding=" + Layers.pair(padding)
                + ", ceil_mode=" + ceilMode + ", count_include_pad=" + countIncludePad;
    }
}
