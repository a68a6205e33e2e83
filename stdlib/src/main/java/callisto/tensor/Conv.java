package callisto.tensor;

import java.util.Arrays;

/**
 * Convolutions and padding with the names and semantics of PyTorch's {@code torch.nn.functional}, for inputs laid
 * out [batch, channels, length] (1-D) or [batch, channels, height, width] (2-D); an input without the batch dim
 * is treated as a batch of one. Weights are [out, in / groups, kernel...] for convolutions and
 * [in, out / groups, kernel...] for transposed ones.
 *
 * <p>Convolutions run as im2col and one matrix product per sample and group (OpenBLAS when it loads), in the
 * inputs' dtype. They are differentiable to any order: the input gradient of a convolution is a transposed
 * convolution of the output gradient, the weight gradient a correlation of the input with it, and each of the
 * three is the others' gradient. Results are deterministic (samples are summed in order).
 */
public final class Conv {
    private Conv() {
    }

    /** What padding adds around the input, as PyTorch's {@code padding_mode} / {@code F.pad} modes. */
    public enum PaddingMode {
        /** Zeros ({@code 'constant'} with value 0; PyTorch's {@code 'zeros'}). */
        ZEROS,
        /** The input repeated periodically: the left padding copies the right end. */
        CIRCULAR,
        /** The input mirrored at its first and last element, which are not repeated ([c b | a b c d | c b]). */
        REFLECT,
        /** The edge value repeated. */
        REPLICATE
    }

    // ---- padding

    /** Zero padding, as {@code F.pad(x, pads)}; see {@link #pad(Tensor, int[], PaddingMode)}. */
    public static Tensor pad(Tensor x, int... pads) {
        return pad(x, pads, PaddingMode.ZEROS);
    }

    /**
     * Pads the last dim ({@code pads = {left, right}}) or the last two ({@code {left, right, top, bottom}}), as
     * PyTorch's {@code F.pad}. Zero padding may be negative (it crops); the other modes need non-negative pads,
     * reflect pads smaller than the dim and circular pads at most the dim. The gradient sums the gradients of all
     * copies of an element.
     */
    public static Tensor pad(Tensor x, int[] pads, PaddingMode mode) {
        if (mode == null) throw new IllegalArgumentException("pad: mode is null");
        if (pads == null || (pads.length != 2 && pads.length != 4)) {
            throw new IllegalArgumentException("pad: pads " + Arrays.toString(pads)
                    + ": expected 2 values (last dim) or 4 (last two dims: left, right, top, bottom)");
        }
        int dims = pads.length / 2;
        if (x.dim() < dims) {
            throw new IllegalArgumentException("pad: pads " + Arrays.toString(pads) + " need " + dims
                    + " dims, the input has shape " + Shape.str(x.shape));
        }
        if (!x.dtype.isFloatingPoint()) {
            throw new IllegalArgumentException("pad: input is " + x.dtype.pythonName() + "; expected a float tensor");
        }
        Tensor out = x;
        for (int i = 0; i < dims; i++) {
            int before = pads[2 * i], after = pads[2 * i + 1], dim = x.dim() - 1 - i;
            if (before == 0 && after == 0) continue;
            out = padMap(x.shape[dim], before, after, mode, dim, x.shape).apply(out, dim);
        }
        return out;
    }

    private static ConvAxisMap padMap(int n, int before, int after, PaddingMode mode, int dim, int[] shape) {
        String where = "pad: " + mode.name().toLowerCase() + " padding (" + before + ", " + after + ") of dim " + dim
                + " (size " + n + ") of " + Shape.str(shape);
        if (mode != PaddingMode.ZEROS && (before < 0 || after < 0)) {
            throw new IllegalArgumentException(where + ": only zero padding may be negative");
        }
        if (mode == PaddingMode.REFLECT && (before >= n || after >= n)) {
            throw new IllegalArgumentException(where + ": reflect padding must be smaller than the dim");
        }
        if (mode == PaddingMode.CIRCULAR && (before > n || after > n)) {
            throw new IllegalArgumentException(where + ": circular padding must be at most the dim");
        }
        if (mode == PaddingMode.REPLICATE && n == 0) {
            throw new IllegalArgumentException(where + ": an empty dim has no edge to replicate");
        }
        int size = n + before + after;
        if (size < 0) throw new IllegalArgumentException(where + ": the result would have negative size " + size);
        var map = new ConvAxisMap.Builder(n, size);
        for (int o = 0; o < size; o++) {
            int i = o - before;
            switch (mode) {
                case ZEROS -> {
                    if (i >= 0 && i < n) map.tap(i, 1);
                }
                case CIRCULAR -> map.tap(Math.floorMod(i, n), 1);
                case REFLECT -> {
                    int period = 2 * (n - 1), m = n == 1 ? 0 : Math.floorMod(i, period);
                    map.tap(m < n ? m : period - m, 1);
                }
                case REPLICATE -> map.tap(Math.clamp(i, 0, n - 1), 1);
            }
            map.next();
        }
        return map.build();
    }

    // ---- convolution

    /** {@code F.conv1d(x, w, b)}: stride 1, no padding. {@code b} may be null. */
    public static Tensor conv1d(Tensor x, Tensor w, Tensor b) {
        return conv1d(x, w, b, ConvOptions.defaults());
    }

    /** {@code F.conv1d(x, w, b, stride, padding, dilation, groups)}. */
    public static Tensor conv1d(Tensor x, Tensor w, Tensor b, int stride, int padding, int dilation, int groups) {
        return conv1d(x, w, b, ConvOptions.defaults().stride(stride).padding(padding).dilation(dilation).groups(groups));
    }

    /** 1-D convolution of x [n, c, l] with w [o, c / groups, k] (+ b [o]) giving [n, o, l']. */
    public static Tensor conv1d(Tensor x, Tensor w, Tensor b, ConvOptions options) {
        return convolution("conv1d", 1, x, w, b, options);
    }

    /** {@code F.conv2d(x, w, b)}: stride 1, no padding. {@code b} may be null. */
    public static Tensor conv2d(Tensor x, Tensor w, Tensor b) {
        return conv2d(x, w, b, ConvOptions.defaults());
    }

    /** {@code F.conv2d(x, w, b, stride, padding, dilation, groups)}, the same in both spatial dims. */
    public static Tensor conv2d(Tensor x, Tensor w, Tensor b, int stride, int padding, int dilation, int groups) {
        return conv2d(x, w, b, ConvOptions.defaults().stride(stride).padding(padding).dilation(dilation).groups(groups));
    }

    /** {@code F.conv2d} with (height, width) pairs. */
    public static Tensor conv2d(Tensor x, Tensor w, Tensor b, int[] stride, int[] padding, int[] dilation, int groups) {
        return conv2d(x, w, b, ConvOptions.defaults().stride(stride).padding(padding).dilation(dilation).groups(groups));
    }

    /**
     * 2-D convolution (cross-correlation, as PyTorch) of x [n, c, h, w] with w [o, c / groups, kh, kw] (+ b [o]),
     * giving [n, o, (h + 2p - d(kh - 1) - 1) / s + 1, ...]. A padding mode other than zeros pads the input with
     * {@link #pad} first, as {@code nn.Conv2d(padding_mode=...)}; {@link ConvOptions#paddingSame()} keeps the size.
     */
    public static Tensor conv2d(Tensor x, Tensor w, Tensor b, ConvOptions options) {
        return convolution("conv2d", 2, x, w, b, options);
    }

    /** {@code F.conv_transpose1d(x, w, b, stride, padding, output_padding, groups, dilation)}, in PyTorch's order. */
    public static Tensor convTranspose1d(Tensor x, Tensor w, Tensor b, int stride, int padding, int outputPadding,
                                         int groups, int dilation) {
        return convTranspose1d(x, w, b, ConvOptions.defaults().stride(stride).padding(padding)
                .outputPadding(outputPadding).dilation(dilation).groups(groups));
    }

    /**
     * 1-D transposed convolution of x [n, c, l] with w [c, o / groups, k] (+ b [o]), giving
     * [n, o, (l - 1)s - 2p + d(k - 1) + outputPadding + 1]: the gradient of {@link #conv1d} with respect to its input.
     */
    public static Tensor convTranspose1d(Tensor x, Tensor w, Tensor b, ConvOptions options) {
        return transposed("convTranspose1d", 1, x, w, b, options);
    }

    /**
     * {@code F.conv_transpose2d(x, w, b, stride, padding, output_padding, groups, dilation)}, in PyTorch's order
     * (groups before dilation, unlike conv2d), the same in both dims.
     */
    public static Tensor convTranspose2d(Tensor x, Tensor w, Tensor b, int stride, int padding, int outputPadding,
                                         int groups, int dilation) {
        return convTranspose2d(x, w, b, ConvOptions.defaults().stride(stride).padding(padding)
                .outputPadding(outputPadding).dilation(dilation).groups(groups));
    }

    /** {@code F.conv_transpose2d} with (height, width) pairs, in PyTorch's order. */
    public static Tensor convTranspose2d(Tensor x, Tensor w, Tensor b, int[] stride, int[] padding, int[] outputPadding,
                                         int groups, int[] dilation) {
        return convTranspose2d(x, w, b, ConvOptions.defaults().stride(stride).padding(padding)
                .outputPadding(outputPadding).dilation(dilation).groups(groups));
    }

    /**
     * 2-D transposed convolution of x [n, c, h, w] with w [c, o / groups, kh, kw] (+ b [o]), giving
     * [n, o, (h - 1)s - 2p + d(kh - 1) + outputPadding + 1, ...]: the gradient of {@link #conv2d} with respect to
     * its input. Output padding must be smaller than the stride or the dilation. A padding mode other than zeros
     * makes it the adjoint of the convolution with that mode (PyTorch allows only zeros here); see
     * {@link ConvOptions#paddingMode}.
     */
    public static Tensor convTranspose2d(Tensor x, Tensor w, Tensor b, ConvOptions options) {
        return transposed("convTranspose2d", 2, x, w, b, options);
    }

    // ---- shared checks and the 1-D → 2-D lift

    /** The checked arguments, lifted to two spatial dims (a 1-D problem is one of height 1). */
    private record Lifted(Tensor x, Tensor w, boolean unbatched, int[] stride, int[] padding, int[] dilation,
                          int[] outputPadding) {
    }

    private static Lifted lift(String op, int spatial, Tensor x, Tensor w, Tensor b, ConvOptions options,
                               boolean transposed) {
        if (x == null || w == null || options == null) {
            throw new IllegalArgumentException(op + ": input, weight and options must not be null");
        }
        String names = spatial == 1 ? "[n, c, l]" : "[n, c, h, w]";
        if (x.dim() != spatial + 2 && x.dim() != spatial + 1) {
            throw new IllegalArgumentException(op + ": input has shape " + Shape.str(x.shape) + "; expected "
                    + (spatial + 2) + " dims " + names + " (or " + (spatial + 1) + " without the batch)");
        }
        if (w.dim() != spatial + 2) {
            throw new IllegalArgumentException(op + ": weight has shape " + Shape.str(w.shape) + "; expected "
                    + (spatial + 2) + " dims " + (transposed ? "[in, out / groups, k...]" : "[out, in / groups, k...]"));
        }
        if (!x.dtype.isFloatingPoint() || x.dtype != w.dtype || (b != null && b.dtype != x.dtype)) {
            throw new IllegalArgumentException(op + ": input " + x.dtype.pythonName() + ", weight "
                    + w.dtype.pythonName() + (b == null ? "" : ", bias " + b.dtype.pythonName())
                    + ": expected one float dtype for all");
        }
        boolean unbatched = x.dim() == spatial + 1;
        Tensor xb = unbatched ? x.unsqueeze(0) : x;
        int c = xb.shape[1], groups = options.groups();
        int[] stride = options.expand(op, "stride", options.stride(), spatial);
        int[] padding = options.expand(op, "padding", options.padding(), spatial);
        int[] dilation = options.expand(op, "dilation", options.dilation(), spatial);
        int[] outputPadding = options.expand(op, "outputPadding", options.outputPadding(), spatial);
        if (c % groups != 0) {
            throw new IllegalArgumentException(op + ": groups = " + groups + " does not divide the " + c
                    + " input channels of input " + Shape.str(x.shape));
        }
        int out = transposed ? w.shape[1] * groups : w.shape[0];
        if (transposed ? w.shape[0] != c : w.shape[1] * groups != c) {
            throw new IllegalArgumentException(op + ": weight " + Shape.str(w.shape) + " expects "
                    + (transposed ? w.shape[0] : w.shape[1] + " · groups (" + groups + ") = " + w.shape[1] * groups)
                    + " input channels, input " + Shape.str(x.shape) + " has " + c);
        }
        if (!transposed && out % groups != 0) {
            throw new IllegalArgumentException(op + ": groups = " + groups + " does not divide the " + out
                    + " output channels of weight " + Shape.str(w.shape));
        }
        if (b != null && (b.dim() != 1 || b.shape[0] != out)) {
            throw new IllegalArgumentException(op + ": bias has shape " + Shape.str(b.shape) + "; expected [" + out
                    + "] (one per output channel)");
        }
        for (int i = 0; i < spatial; i++) {
            int size = xb.shape[2 + i], k = w.shape[2 + i], extent = dilation[i] * (k - 1) + 1;
            if (!transposed && !options.samePadding() && size + 2 * padding[i] < extent) {
                throw new IllegalArgumentException(op + ": kernel " + Shape.str(w.shape) + " with dilation "
                        + Arrays.toString(dilation) + " spans " + extent + " positions in spatial dim " + i
                        + ", more than the padded input (" + size + " + 2·" + padding[i] + ") of input "
                        + Shape.str(x.shape));
            }
            if (transposed && outputPadding[i] >= stride[i] && outputPadding[i] >= dilation[i]) {
                throw new IllegalArgumentException(op + ": outputPadding " + Arrays.toString(outputPadding)
                        + " must be smaller than the stride " + Arrays.toString(stride) + " or the dilation "
                        + Arrays.toString(dilation));
            }
        }
        if (transposed && options.samePadding()) {
            throw new IllegalArgumentException(op + ": padding 'same' is not supported for transposed convolutions");
        }
        if (spatial == 1) {
            return new Lifted(xb.unsqueeze(2), w.unsqueeze(2), unbatched, new int[] {1, stride[0]},
                    new int[] {0, padding[0]}, new int[] {1, dilation[0]}, new int[] {0, outputPadding[0]});
        }
        return new Lifted(xb, w, unbatched, stride, padding, dilation, outputPadding);
    }

    private static Tensor lower(Tensor y, int spatial, boolean unbatched) {
        Tensor r = spatial == 1 ? y.squeeze(2) : y;
        return unbatched ? r.squeeze(0) : r;
    }

    private static Tensor convolution(String op, int spatial, Tensor x, Tensor w, Tensor b, ConvOptions options) {
        Lifted a = lift(op, spatial, x, w, b, options, false);
        Tensor in = a.x;
        int[] before = a.padding.clone(), after = a.padding.clone();
        if (options.samePadding()) { // PyTorch's padding='same': d(k - 1) in all, the odd one after
            for (int i = 0; i < 2; i++) {
                if (a.stride[i] != 1) {
                    throw new IllegalArgumentException(op + ": padding 'same' needs stride 1, got stride "
                            + Arrays.toString(options.stride()));
                }
                int total = a.dilation[i] * (a.w.shape[2 + i] - 1);
                before[i] = total / 2;
                after[i] = total - before[i];
            }
        }
        if (options.paddingMode() != PaddingMode.ZEROS && (before[0] + after[0] + before[1] + after[1] > 0)) {
            in = pad(in, new int[] {before[1], after[1], before[0], after[0]}, options.paddingMode());
            before = new int[2];
            after = new int[2];
        }
        int n = in.shape[0], c = in.shape[1], h = in.shape[2], wd = in.shape[3];
        int o = a.w.shape[0], kh = a.w.shape[2], kw = a.w.shape[3];
        int oh = (h + before[0] + after[0] - a.dilation[0] * (kh - 1) - 1) / a.stride[0] + 1;
        int ow = (wd + before[1] + after[1] - a.dilation[1] * (kw - 1) - 1) / a.stride[1] + 1;
        var g = new ConvKernels.Geometry(n, c, o, options.groups(), h, wd, oh, ow, kh, kw, a.stride[0], a.stride[1],
                before[0], before[1], a.dilation[0], a.dilation[1]);
        Tensor y = b == null ? Tensor.apply(new ConvKernels.Forward(g), in, a.w)
                : Tensor.apply(new ConvKernels.Forward(g), in, a.w, b);
        return lower(y, spatial, a.unbatched);
    }

    private static Tensor transposed(String op, int spatial, Tensor x, Tensor w, Tensor b, ConvOptions options) {
        if (options != null && options.paddingMode() != PaddingMode.ZEROS) return paddedTransposed(op, spatial, x, w, b, options);
        Lifted a = lift(op, spatial, x, w, b, options, true);
        int n = a.x.shape[0], cIn = a.x.shape[1], h = a.x.shape[2], wd = a.x.shape[3];
        int cOut = a.w.shape[1] * options.groups(), kh = a.w.shape[2], kw = a.w.shape[3];
        int oh = (h - 1) * a.stride[0] - 2 * a.padding[0] + a.dilation[0] * (kh - 1) + a.outputPadding[0] + 1;
        int ow = (wd - 1) * a.stride[1] - 2 * a.padding[1] + a.dilation[1] * (kw - 1) + a.outputPadding[1] + 1;
        if (oh <= 0 || ow <= 0) {
            throw new IllegalArgumentException(op + ": input " + Shape.str(x.shape) + " with weight " + Shape.str(w.shape)
                    + " and padding " + Arrays.toString(options.padding()) + " gives an empty output ("
                    + (spatial == 1 ? ow : oh + "x" + ow) + ")");
        }
        // the convolution this transposes maps the output [n, cOut, oh, ow] back to the input [n, cIn, h, w]
        var g = new ConvKernels.Geometry(n, cOut, cIn, options.groups(), oh, ow, h, wd, kh, kw, a.stride[0], a.stride[1],
                a.padding[0], a.padding[1], a.dilation[0], a.dilation[1]);
        Tensor y = b == null ? Tensor.apply(new ConvKernels.Transpose(g), a.x, a.w)
                : Tensor.apply(new ConvKernels.Transpose(g), a.x, a.w, b);
        return lower(y, spatial, a.unbatched);
    }

    /**
     * A transposed convolution whose padding is circular, reflect or replicate: the adjoint of the convolution with
     * that padding mode. It runs without padding (so the output keeps the {@code padding} positions on each side that
     * the convolution would have read from its padded input) and then applies the adjoint of the padding, which adds
     * each outer position onto the input element it copies (wrapping round for circular). With zeros this reduces to
     * the usual crop, so all modes share one meaning: {@code <conv(x, w), y> = <x, convTranspose(y, w)>}.
     */
    private static Tensor paddedTransposed(String op, int spatial, Tensor x, Tensor w, Tensor b, ConvOptions options) {
        lift(op, spatial, x, w, b, options, true); // the argument checks, bias included
        int[] padding = options.expand(op, "padding", options.padding(), spatial);
        Tensor full = transposed(op, spatial, x, w, null,
                options.paddingMode(PaddingMode.ZEROS).padding(new int[spatial]));
        for (int i = 0; i < spatial; i++) {
            int dim = full.dim() - spatial + i, p = padding[i], size = full.shape[dim] - 2 * p;
            if (p == 0) continue;
            if (size < 1) {
                throw new IllegalArgumentException(op + ": input " + Shape.str(x.shape) + " with weight " + Shape.str(w.shape)
                        + " and padding " + Arrays.toString(options.padding()) + " gives an empty output in spatial dim " + i);
            }
            full = padMap(size, p, p, options.paddingMode(), dim, full.shape).applyAdjoint(full, dim);
        }
        if (b == null) return full;
        int[] bshape = new int[full.dim()]; // [1, o, 1...] batched, [o, 1...] unbatched
        Arrays.fill(bshape, 1);
        bshape[full.dim() - spatial - 1] = b.numel();
        return full.add(b.reshape(bshape));
    }
}
