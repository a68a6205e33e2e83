package callisto.tensor;

import java.util.Arrays;

/**
 * Settings of a convolution, as the keyword arguments of PyTorch's {@code F.conv2d} (plus the padding mode of
 * {@code nn.Conv2d}, and the output padding of {@code conv_transpose2d}). Immutable; each method returns a changed
 * copy and checks its value: {@code Conv.conv2d(x, w, b, ConvOptions.defaults().stride(2).padding(1).groups(4))}.
 * An array of one value applies to every spatial dim; otherwise give one per dim (height, width).
 *
 * @param stride        step between output positions (default 1)
 * @param padding       positions added on both sides of each spatial dim (default 0)
 * @param dilation      spacing between kernel taps (default 1)
 * @param groups        input and output channels split into this many independent groups (default 1)
 * @param paddingMode   what the padding holds (default zeros); a transposed convolution with a mode other than
 *                      zeros is the adjoint of the convolution with that mode (the outer positions add onto the
 *                      elements they copy: wrapped round for circular), which PyTorch does not offer
 * @param outputPadding extra positions on one side of a transposed convolution's output (default 0)
 * @param samePadding   PyTorch's {@code padding='same'}: pad so the output has the input's size (stride 1 only),
 *                      {@code d(k - 1)} positions in all, the extra one (when odd) after; overrides {@code padding}
 */
public record ConvOptions(int[] stride, int[] padding, int[] dilation, int groups, Conv.PaddingMode paddingMode,
                          int[] outputPadding, boolean samePadding) {
    private static final ConvOptions DEFAULTS = new ConvOptions(new int[] {1}, new int[] {0}, new int[] {1}, 1,
            Conv.PaddingMode.ZEROS, new int[] {0}, false);

    public ConvOptions {
        stride = check("stride", stride, 1);
        padding = check("padding", padding, 0);
        dilation = check("dilation", dilation, 1);
        outputPadding = check("outputPadding", outputPadding, 0);
        if (groups < 1) throw new IllegalArgumentException("ConvOptions: groups = " + groups + ": expected >= 1");
        if (paddingMode == null) throw new IllegalArgumentException("ConvOptions: paddingMode is null");
    }

    /** Stride 1, padding 0, dilation 1, one group, zero padding, no output padding. */
    public static ConvOptions defaults() {
        return DEFAULTS;
    }

    public ConvOptions stride(int... value) {
        return new ConvOptions(value, padding, dilation, groups, paddingMode, outputPadding, samePadding);
    }

    /** Symmetric padding (turns {@link #paddingSame()} off). */
    public ConvOptions padding(int... value) {
        return new ConvOptions(stride, value, dilation, groups, paddingMode, outputPadding, false);
    }

    /** PyTorch's {@code padding='same'}: the output keeps the input's spatial size (needs stride 1). */
    public ConvOptions paddingSame() {
        return new ConvOptions(stride, padding, dilation, groups, paddingMode, outputPadding, true);
    }

    public ConvOptions dilation(int... value) {
        return new ConvOptions(stride, padding, value, groups, paddingMode, outputPadding, samePadding);
    }

    public ConvOptions groups(int value) {
        return new ConvOptions(stride, padding, dilation, value, paddingMode, outputPadding, samePadding);
    }

    public ConvOptions paddingMode(Conv.PaddingMode value) {
        return new ConvOptions(stride, padding, dilation, groups, value, outputPadding, samePadding);
    }

    public ConvOptions outputPadding(int... value) {
        return new ConvOptions(stride, padding, dilation, groups, paddingMode, value, samePadding);
    }

    @Override
    public int[] stride() {
        return stride.clone();
    }

    @Override
    public int[] padding() {
        return padding.clone();
    }

    @Override
    public int[] dilation() {
        return dilation.clone();
    }

    @Override
    public int[] outputPadding() {
        return outputPadding.clone();
    }

    /** The value of {@code name} for each of {@code dims} spatial dims (one value broadcasts). */
    int[] expand(String op, String name, int[] value, int dims) {
        if (value.length == dims) return value.clone();
        if (value.length == 1) {
            int[] r = new int[dims];
            Arrays.fill(r, value[0]);
            return r;
        }
        throw new IllegalArgumentException(op + ": " + name + " " + Arrays.toString(value) + " has " + value.length
                + " values; expected 1 or " + dims + " (one per spatial dim)");
    }

    private static int[] check(String name, int[] value, int min) {
        if (value == null || value.length == 0) {
            throw new IllegalArgumentException("ConvOptions: " + name + " is empty; expected 1 value or one per spatial dim");
        }
        for (int v : value) {
            if (v < min) {
                throw new IllegalArgumentException("ConvOptions: " + name + " " + Arrays.toString(value)
                        + ": expected values >= " + min);
            }
        }
        return value.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ConvOptions c && Arrays.equals(stride, c.stride) && Arrays.equals(padding, c.padding)
                && Arrays.equals(dilation, c.dilation) && groups == c.groups && paddingMode == c.paddingMode
                && Arrays.equals(outputPadding, c.outputPadding) && samePadding == c.samePadding;
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(new int[] {Arrays.hashCode(stride), Arrays.hashCode(padding), Arrays.hashCode(dilation),
            groups, paddingMode.hashCode(), Arrays.hashCode(outputPadding), samePadding ? 1 : 0});
    }

    @Override
    public String toString() {
        return "ConvOptions[stride=" + Arrays.toString(stride) + ", padding="
                + (samePadding ? "same" : Arrays.toString(padding))
                + ", dilation=" + Arrays.toString(dilation) + ", groups=" + groups + ", paddingMode=" + paddingMode
                + ", outputPadding=" + Arrays.toString(outputPadding) + "]";
    }
}
