package callisto.tensor;

import java.util.Arrays;

/**
 * Pooling with the names and semantics of PyTorch's {@code torch.nn.functional}: average, max and adaptive average
 * pooling over the last dim ([n, c, l] or [c, l]) or the last two ([n, c, h, w] or [c, h, w]). The stride defaults to
 * the kernel size; padding adds at most half a kernel on each side. Output sizes round down unless ceil mode.
 *
 * <p>All are differentiable. Average pooling is linear and separable (a window average per dim), so it
 * differentiates to any order. Max pooling routes each output to the first maximum of its window (row-major scan,
 * so ties resolve the same way every run); its gradient flows to that element only.
 */
public final class Pool {
    private Pool() {
    }

    // ---- average

    /** {@code F.avg_pool1d(x, kernel)}. */
    public static Tensor avgPool1d(Tensor x, int kernel) {
        return avgPool1d(x, kernel, kernel, 0, true);
    }

    /** {@code F.avg_pool1d(x, kernel, stride, padding)}; padded zeros count in the average. */
    public static Tensor avgPool1d(Tensor x, int kernel, int stride, int padding) {
        return avgPool1d(x, kernel, stride, padding, true);
    }

    /** {@code F.avg_pool1d(x, kernel, stride, padding, count_include_pad=countIncludePad)}. */
    public static Tensor avgPool1d(Tensor x, int kernel, int stride, int padding, boolean countIncludePad) {
        return avgPool1d(x, kernel, stride, padding, false, countIncludePad);
    }

    /**
     * {@code F.avg_pool1d(x, kernel, stride, padding, ceil_mode, count_include_pad)}: with {@code ceilMode} the output
     * size rounds up, and a last window that hangs past the padding averages over the part inside it.
     */
    public static Tensor avgPool1d(Tensor x, int kernel, int stride, int padding, boolean ceilMode,
                                   boolean countIncludePad) {
        return average("avgPool1d", 1, x, new int[] {kernel}, new int[] {stride}, new int[] {padding}, ceilMode,
                countIncludePad);
    }

    /** {@code F.avg_pool2d(x, kernel)}. */
    public static Tensor avgPool2d(Tensor x, int kernel) {
        return avgPool2d(x, kernel, kernel, 0);
    }

    /** {@code F.avg_pool2d(x, kernel, stride, padding)}, the same in both dims; padded zeros count. */
    public static Tensor avgPool2d(Tensor x, int kernel, int stride, int padding) {
        return avgPool2d(x, new int[] {kernel}, new int[] {stride}, new int[] {padding}, true);
    }

    /**
     * {@code F.avg_pool2d(x, kernel, stride, padding, count_include_pad=countIncludePad)} with (height, width)
     * values (one value applies to both; a null stride is the kernel). Without {@code countIncludePad} each window
     * averages only the input elements it covers.
     */
    public static Tensor avgPool2d(Tensor x, int[] kernel, int[] stride, int[] padding, boolean countIncludePad) {
        return avgPool2d(x, kernel, stride, padding, false, countIncludePad);
    }

    /** {@code F.avg_pool2d(x, kernel, stride, padding, ceil_mode, count_include_pad)}, in PyTorch's order. */
    public static Tensor avgPool2d(Tensor x, int[] kernel, int[] stride, int[] padding, boolean ceilMode,
                                   boolean countIncludePad) {
        return average("avgPool2d", 2, x, kernel, stride == null ? kernel : stride, padding, ceilMode, countIncludePad);
    }

    /** {@code F.adaptive_avg_pool1d(x, size)}: window o covers [⌊o·l/size⌋, ⌈(o+1)·l/size⌉). */
    public static Tensor adaptiveAvgPool1d(Tensor x, int size) {
        return adaptive("adaptiveAvgPool1d", 1, x, new int[] {size});
    }

    /** {@code F.adaptive_avg_pool2d(x, (h, w))}. */
    public static Tensor adaptiveAvgPool2d(Tensor x, int h, int w) {
        return adaptive("adaptiveAvgPool2d", 2, x, new int[] {h, w});
    }

    /** {@code F.adaptive_avg_pool2d(x, size)} with one size for both dims or (height, width). */
    public static Tensor adaptiveAvgPool2d(Tensor x, int[] size) {
        return adaptive("adaptiveAvgPool2d", 2, x, size);
    }

    // ---- max

    /** {@code F.max_pool1d(x, kernel)}. */
    public static Tensor maxPool1d(Tensor x, int kernel) {
        return maxPool1d(x, kernel, kernel, 0);
    }

    /** {@code F.max_pool1d(x, kernel, stride, padding)}; padding never wins (it is -∞). */
    public static Tensor maxPool1d(Tensor x, int kernel, int stride, int padding) {
        return maxPool1d(x, kernel, stride, padding, 1, false);
    }

    /** {@code F.max_pool1d(x, kernel, stride, padding, dilation, ceil_mode)}; {@code ceilMode} rounds the size up. */
    public static Tensor maxPool1d(Tensor x, int kernel, int stride, int padding, int dilation, boolean ceilMode) {
        return maximum("maxPool1d", 1, x, new int[] {kernel}, new int[] {stride}, new int[] {padding},
                new int[] {dilation}, ceilMode);
    }

    /** {@code F.max_pool2d(x, kernel)}. */
    public static Tensor maxPool2d(Tensor x, int kernel) {
        return maxPool2d(x, kernel, kernel, 0);
    }

    /** {@code F.max_pool2d(x, kernel, stride, padding)}, the same in both dims. */
    public static Tensor maxPool2d(Tensor x, int kernel, int stride, int padding) {
        return maxPool2d(x, new int[] {kernel}, new int[] {stride}, new int[] {padding}, new int[] {1});
    }

    /**
     * {@code F.max_pool2d(x, kernel, stride, padding, dilation)} with (height, width) values (one value applies to
     * both; a null stride is the kernel). A NaN in a window wins, as in PyTorch.
     */
    public static Tensor maxPool2d(Tensor x, int[] kernel, int[] stride, int[] padding, int[] dilation) {
        return maxPool2d(x, kernel, stride, padding, dilation, false);
    }

    /** {@code F.max_pool2d(x, kernel, stride, padding, dilation, ceil_mode)}; {@code ceilMode} rounds the size up. */
    public static Tensor maxPool2d(Tensor x, int[] kernel, int[] stride, int[] padding, int[] dilation,
                                   boolean ceilMode) {
        return maximum("maxPool2d", 2, x, kernel, stride == null ? kernel : stride, padding, dilation, ceilMode);
    }

    // ---- implementation

    private static void checkInput(String op, int spatial, Tensor x) {
        if (x.dim() != spatial + 1 && x.dim() != spatial + 2) {
            throw new IllegalArgumentException(op + ": input has shape " + Shape.str(x.shape) + "; expected "
                    + (spatial + 2) + " dims " + (spatial == 1 ? "[n, c, l]" : "[n, c, h, w]") + " (or " + (spatial + 1)
                    + " without the batch)");
        }
        if (!x.dtype.isFloatingPoint()) {
            throw new IllegalArgumentException(op + ": input is " + x.dtype.pythonName() + "; expected a float tensor");
        }
    }

    private static int[] perDim(String op, String name, int[] value, int spatial, int min) {
        if (value == null || (value.length != 1 && value.length != spatial)) {
            throw new IllegalArgumentException(op + ": " + name + " " + Arrays.toString(value) + ": expected 1"
                    + (spatial > 1 ? " or " + spatial : "") + " values");
        }
        int[] r = new int[spatial];
        for (int i = 0; i < spatial; i++) {
            r[i] = value[value.length == 1 ? 0 : i];
            if (r[i] < min) {
                throw new IllegalArgumentException(op + ": " + name + " " + Arrays.toString(value) + ": expected values >= " + min);
            }
        }
        return r;
    }

    /**
     * Output size of a window sweep, checked: the window must fit the padded input and padding be at most half. In
     * ceil mode, as PyTorch, the size rounds up but the last window must start inside the input or left padding.
     */
    private static int outSize(String op, Tensor x, int dim, int k, int s, int p, int d, boolean ceil) {
        int n = x.shape[dim], extent = d * (k - 1) + 1;
        if (p > k / 2) {
            throw new IllegalArgumentException(op + ": padding " + p + " is more than half the kernel size " + k);
        }
        if (n + 2 * p < extent) {
            throw new IllegalArgumentException(op + ": kernel " + k + (d > 1 ? " (dilation " + d + ")" : "")
                    + " is larger than the padded input (" + n + " + 2·" + p + ") in dim " + dim + " of " + Shape.str(x.shape));
        }
        int out = (n + 2 * p - extent + (ceil ? s - 1 : 0)) / s + 1;
        if (ceil && (out - 1) * s >= n + p) out--;
        return out;
    }

    private static Tensor average(String op, int spatial, Tensor x, int[] kernel, int[] stride, int[] padding,
                                  boolean ceilMode, boolean countIncludePad) {
        checkInput(op, spatial, x);
        int[] k = perDim(op, "kernel", kernel, spatial, 1), s = perDim(op, "stride", stride, spatial, 1);
        int[] p = perDim(op, "padding", padding, spatial, 0);
        Tensor out = x;
        for (int i = 0; i < spatial; i++) {
            int dim = x.dim() - spatial + i, n = x.shape[dim], size = outSize(op, x, dim, k[i], s[i], p[i], 1, ceilMode);
            var map = new ConvAxisMap.Builder(n, size);
            for (int o = 0; o < size; o++) {
                // a window counts padding up to the padded end only (it can pass that in ceil mode)
                int start = o * s[i] - p[i], end = Math.min(start + k[i], n + p[i]);
                int lo = Math.max(start, 0), hi = Math.min(end, n);
                double w = 1.0 / (countIncludePad ? end - start : hi - lo);
                for (int j = lo; j < hi; j++) map.tap(j, w);
                map.next();
            }
            out = map.build().apply(out, dim);
        }
        return out;
    }

    private static Tensor adaptive(String op, int spatial, Tensor x, int[] size) {
        checkInput(op, spatial, x);
        int[] sz = perDim(op, "output size", size, spatial, 1);
        Tensor out = x;
        for (int i = 0; i < spatial; i++) {
            int dim = x.dim() - spatial + i, n = x.shape[dim];
            if (n == 0) throw new IllegalArgumentException(op + ": dim " + dim + " of input " + Shape.str(x.shape) + " is empty");
            var map = new ConvAxisMap.Builder(n, sz[i]);
            for (int o = 0; o < sz[i]; o++) {
                int lo = (int) ((long) o * n / sz[i]), hi = (int) (((long) (o + 1) * n + sz[i] - 1) / sz[i]);
                for (int j = lo; j < hi; j++) map.tap(j, 1.0 / (hi - lo));
                map.next();
            }
            out = map.build().apply(out, dim);
        }
        return out;
    }

    /** A max-pooling window sweep over one [h, w] plane. */
    private record Window(int h, int w, int oh, int ow, int kh, int kw, int sh, int sw, int ph, int pw, int dh, int dw) {
    }

    /**
     * Max pooling in one pass: the forward finds each window's arg-max (kept for the gradient) and its value; the
     * gradient is a {@link PoolGather} scatter into those positions.
     */
    private record Max(Window g, int planes, int[] inShape, int[] outShape, int[] index) implements CustomFunction {
        Max(Window g, int planes, int[] inShape, int[] outShape) {
            this(g, planes, inShape, outShape, new int[planes * g.oh * g.ow]);
        }

        @Override
        public int[] shape(int[]... in) {
            return outShape.clone();
        }

        @Override
        public Tensor forward(Tensor... in) {
            Object v = Kernels.dense(in[0], in[0].dtype), y = Storage.allocate(in[0].dtype, index.length);
            if (v instanceof float[] f) for (int pl = 0; pl < planes; pl++) argmax(g, f, pl, index, (float[]) y);
            else for (int pl = 0; pl < planes; pl++) argmax(g, (double[]) v, pl, index, (double[]) y);
            return Tensor.wrap(in[0].dtype, y, outShape.clone());
        }

        @Override
        public Tensor[] backward(Tensor[] in, Tensor out, Tensor grad) {
            return new Tensor[] {Tensor.apply(new PoolGather(index, g.h * g.w, g.oh * g.ow, inShape, outShape, true), grad)};
        }
    }

    /** Index (within the plane) of the first maximum of each window; a NaN wins, as in PyTorch. */
    private static void argmax(Window g, double[] x, int plane, int[] index, double[] y) {
        int base = plane * g.h * g.w, at = plane * g.oh * g.ow;
        int[] rows = taps(g.oh, g.sh, g.ph, g.dh, g.kh, g.h), cols = taps(g.ow, g.sw, g.pw, g.dw, g.kw, g.w);
        for (int i = 0; i < g.oh; i++) {
            int h0 = i * g.sh - g.ph, uLo = rows[2 * i], uHi = rows[2 * i + 1];
            for (int j = 0; j < g.ow; j++) {
                int w0 = j * g.sw - g.pw, tLo = cols[2 * j], tHi = cols[2 * j + 1];
                int best = (h0 + uLo * g.dh) * g.w + w0 + tLo * g.dw; // the first element inside the input
                double max = x[base + best];
                for (int u = uLo; u < uHi; u++) {
                    int row = (h0 + u * g.dh) * g.w + w0;
                    for (int t = tLo; t < tHi; t++) {
                        int pos = row + t * g.dw;
                        double val = x[base + pos];
                        boolean take = val > max | val != val; // branch-free: random data mispredicts a branch
                        best = take ? pos : best;
                        max = take ? val : max;
                    }
                }
                index[at + i * g.ow + j] = best;
                y[at + i * g.ow + j] = max;
            }
        }
    }

    private static void argmax(Window g, float[] x, int plane, int[] index, float[] y) {
        int base = plane * g.h * g.w, at = plane * g.oh * g.ow;
        int[] rows = taps(g.oh, g.sh, g.ph, g.dh, g.kh, g.h), cols = taps(g.ow, g.sw, g.pw, g.dw, g.kw, g.w);
        for (int i = 0; i < g.oh; i++) {
            int h0 = i * g.sh - g.ph, uLo = rows[2 * i], uHi = rows[2 * i + 1];
            for (int j = 0; j < g.ow; j++) {
                int w0 = j * g.sw - g.pw, tLo = cols[2 * j], tHi = cols[2 * j + 1];
                int best = (h0 + uLo * g.dh) * g.w + w0 + tLo * g.dw;
                float max = x[base + best];
                for (int u = uLo; u < uHi; u++) {
                    int row = (h0 + u * g.dh) * g.w + w0;
                    for (int t = tLo; t < tHi; t++) {
                        int pos = row + t * g.dw;
                        float val = x[base + pos];
                        boolean take = val > max | val != val; // branch-free: random data mispredicts a branch
                        best = take ? pos : best;
                        max = take ? val : max;
                    }
                }
                index[at + i * g.ow + j] = best;
                y[at + i * g.ow + j] = max;
            }
        }
    }

    /** For each window o along one dim, the range [lo, hi) of kernel taps that fall inside the input. */
    private static int[] taps(int out, int s, int p, int d, int k, int n) {
        int[] r = new int[2 * out];
        for (int o = 0; o < out; o++) {
            int start = o * s - p, lo = 0, hi = k;
            while (lo < k && start + lo * d < 0) lo++;
            while (hi > lo && start + (hi - 1) * d >= n) hi--;
            r[2 * o] = lo;
            r[2 * o + 1] = hi;
        }
        return r;
    }

    private static Tensor maximum(String op, int spatial, Tensor x, int[] kernel, int[] stride, int[] padding,
                                  int[] dilation, boolean ceilMode) {
        checkInput(op, spatial, x);
        int[] k1 = perDim(op, "kernel", kernel, spatial, 1), s1 = perDim(op, "stride", stride, spatial, 1);
        int[] p1 = perDim(op, "padding", padding, spatial, 0), d1 = perDim(op, "dilation", dilation, spatial, 1);
        int r = x.dim();
        // a 1-D pool is a 2-D one of height 1
        int h = spatial == 2 ? x.shape[r - 2] : 1, w = x.shape[r - 1];
        int kh = spatial == 2 ? k1[0] : 1, kw = k1[spatial - 1], sh = spatial == 2 ? s1[0] : 1, sw = s1[spatial - 1];
        int ph = spatial == 2 ? p1[0] : 0, pw = p1[spatial - 1], dh = spatial == 2 ? d1[0] : 1, dw = d1[spatial - 1];
        int oh = spatial == 2 ? outSize(op, x, r - 2, kh, sh, ph, dh, ceilMode) : 1;
        int ow = outSize(op, x, r - 1, kw, sw, pw, dw, ceilMode);
        int planes = Shape.size(x.shape) / Math.max(1, h * w);
        if (h * w == 0) planes = 0;
        int[] outShape = x.shape.clone();
        outShape[r - 1] = ow;
        if (spatial == 2) outShape[r - 2] = oh;
        var window = new Window(h, w, oh, ow, kh, kw, sh, sw, ph, pw, dh, dw);
        return Tensor.apply(new Max(window, planes, x.shape.clone(), outShape), x);
    }
}
