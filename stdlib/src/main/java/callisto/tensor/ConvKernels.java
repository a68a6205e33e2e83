package callisto.tensor;

import java.util.Arrays;

/**
 * The three products behind 2-D convolution (1-D is the case of height 1), by im2col and {@link Gemm}, for one
 * {@link Geometry}: the convolution {@code y = x ⋆ w}, its transpose {@code x = yᵀ ⋆ w} (col2im) and the weight
 * correlation {@code w = x ⋆ y}. Each is linear in each of its two operands, and the vector-Jacobian products of
 * each are the other two with the same geometry, so the three {@link CustomFunction}s differentiate each other to
 * any order.
 */
final class ConvKernels {
    private ConvKernels() {
    }

    /**
     * A convolution from an input [n, c, inH, inW] to an output [n, o, outH, outW] with a weight
     * [o, c / groups, kH, kW]. Output sizes are explicit (not derived from the others), so a transposed
     * convolution's output padding is simply a larger input; positions outside the input read zero. {@code pH} and
     * {@code pW} are the padding before the input; the padding after is whatever the output size implies, which is
     * how {@code padding='same'} with an even kernel pads one more after.
     */
    record Geometry(int n, int c, int o, int groups, int inH, int inW, int outH, int outW, int kH, int kW,
                    int sH, int sW, int pH, int pW, int dH, int dW) {
        int[] inputShape() {
            return new int[] {n, c, inH, inW};
        }

        int[] outputShape() {
            return new int[] {n, o, outH, outW};
        }

        int[] weightShape() {
            return new int[] {o, c / groups, kH, kW};
        }

        /** Rows of one group's im2col matrix. */
        int k() {
            return c / groups * kH * kW;
        }

        /** A 1×1 kernel with unit stride and no padding: the input itself is the im2col matrix. */
        boolean pointwise() {
            return kH == 1 && kW == 1 && sH == 1 && sW == 1 && pH == 0 && pW == 0 && inH == outH && inW == outW;
        }

        Geometry withBatch(int batch) {
            return new Geometry(batch, c, o, groups, inH, inW, outH, outW, kH, kW, sH, sW, pH, pW, dH, dW);
        }
    }

    private static DType floatType(Tensor... ts) {
        DType dt = ts[0].dtype;
        for (Tensor t : ts) if (t != null && t.dtype == DType.FLOAT64) dt = DType.FLOAT64;
        return dt.isFloatingPoint() ? dt : DType.FLOAT64;
    }

    // ---- the differentiable functions

    /** {@code conv(x, w) (+ b)}; inputs x, w and optionally b [o]. */
    record Forward(Geometry g) implements CustomFunction {
        @Override
        public int[] shape(int[]... in) {
            return g.withBatch(in[0][0]).outputShape();
        }

        @Override
        public Tensor forward(Tensor... in) {
            Geometry geo = g.withBatch(in[0].shape[0]);
            DType dt = floatType(in);
            Object x = Kernels.dense(in[0], dt), w = Kernels.dense(in[1], dt);
            Object b = in.length > 2 ? Kernels.dense(in[2], dt) : null;
            Object y = Storage.allocate(dt, Shape.size(geo.outputShape()));
            convolve(geo, x, w, b, y, MAX_COLS);
            return Tensor.wrap(dt, y, geo.outputShape());
        }

        @Override
        public Tensor[] backward(Tensor[] in, Tensor out, Tensor grad) {
            Tensor[] r = new Tensor[in.length];
            if (in[0].requiresGrad()) r[0] = Tensor.apply(new Transpose(g), grad, in[1]);
            if (in[1].requiresGrad()) r[1] = Tensor.apply(new WeightGrad(g), in[0], grad);
            if (in.length > 2 && in[2].requiresGrad()) r[2] = grad.sum(new int[] {0, 2, 3}, false);
            return r;
        }
    }

    /** The transposed convolution of y [n, o, outH, outW] with w, giving [n, c, inH, inW] (+ b [c]). */
    record Transpose(Geometry g) implements CustomFunction {
        @Override
        public int[] shape(int[]... in) {
            return g.withBatch(in[0][0]).inputShape();
        }

        @Override
        public Tensor forward(Tensor... in) {
            Geometry geo = g.withBatch(in[0].shape[0]);
            DType dt = floatType(in);
            Object y = Kernels.dense(in[0], dt), w = Kernels.dense(in[1], dt);
            Object b = in.length > 2 ? Kernels.dense(in[2], dt) : null;
            Object x = Storage.allocate(dt, Shape.size(geo.inputShape()));
            transpose(geo, y, w, b, x, MAX_COLS);
            return Tensor.wrap(dt, x, geo.inputShape());
        }

        @Override
        public Tensor[] backward(Tensor[] in, Tensor out, Tensor grad) {
            Tensor[] r = new Tensor[in.length];
            if (in[0].requiresGrad()) r[0] = Tensor.apply(new Forward(g), grad, in[1]);
            if (in[1].requiresGrad()) r[1] = Tensor.apply(new WeightGrad(g), grad, in[0]);
            if (in.length > 2 && in[2].requiresGrad()) r[2] = grad.sum(new int[] {0, 2, 3}, false);
            return r;
        }
    }

    /** The weight correlation of x [n, c, inH, inW] and y [n, o, outH, outW], giving [o, c / groups, kH, kW]. */
    record WeightGrad(Geometry g) implements CustomFunction {
        @Override
        public int[] shape(int[]... in) {
            return g.weightShape();
        }

        @Override
        public Tensor forward(Tensor... in) {
            Geometry geo = g.withBatch(in[0].shape[0]);
            DType dt = floatType(in);
            Object x = Kernels.dense(in[0], dt), y = Kernels.dense(in[1], dt);
            Object w = Storage.allocate(dt, Shape.size(geo.weightShape()));
            correlate(geo, x, y, w, MAX_COLS);
            return Tensor.wrap(dt, w, geo.weightShape());
        }

        @Override
        public Tensor[] backward(Tensor[] in, Tensor out, Tensor grad) {
            return new Tensor[] {
                in[0].requiresGrad() ? Tensor.apply(new Transpose(g), in[1], grad) : null,
                in[1].requiresGrad() ? Tensor.apply(new Forward(g), in[0], grad) : null};
        }
    }

    // ---- drivers (one per product, typed arrays dispatched at the leaves)

    /**
     * Largest im2col buffer (elements): output rows are taken in blocks below it, so a large image needs a bounded
     * buffer rather than k·outH·outW (at 512², 64 channels and 3×3 that would be 600 MB of float32). The drivers
     * take the limit as an argument so that tests can force many blocks.
     */
    static final int MAX_COLS = 1 << 22;

    /** Output rows per im2col block. */
    private static int blockRows(Geometry g, int maxCols) {
        long perRow = (long) g.k() * Math.max(1, g.outW);
        return (int) Math.max(1, Math.min(g.outH, maxCols / perRow));
    }

    private static Object columns(Object like, Geometry g, int maxCols) {
        int n = g.pointwise() ? 0 : g.k() * blockRows(g, maxCols) * g.outW;
        return Storage.allocate(like instanceof float[] ? DType.FLOAT32 : DType.FLOAT64, n);
    }

    /** y = conv(x, w) + b, per sample, group and block of output rows: W_g [og × k] · cols [k × rows·outW]. */
    static void convolve(Geometry g, Object x, Object w, Object b, Object y, int maxCols) {
        int cg = g.c / g.groups, og = g.o / g.groups, k = g.k(), ohw = g.outH * g.outW, ihw = g.inH * g.inW;
        int rows = blockRows(g, maxCols);
        Object cols = columns(x, g, maxCols);
        for (int s = 0; s < g.n; s++) {
            for (int gi = 0; gi < g.groups; gi++) {
                int xOff = (s * g.c + gi * cg) * ihw, yOff = (s * g.o + gi * og) * ohw;
                if (b != null) fillRows(y, yOff, og, ohw, b, gi * og);
                if (g.pointwise()) {
                    gemm(false, false, og, ohw, k, w, gi * og * k, k, x, xOff, ohw, y, yOff, ohw, b != null);
                    continue;
                }
                for (int oh0 = 0; oh0 < g.outH; oh0 += rows) {
                    int oh1 = Math.min(g.outH, oh0 + rows), cn = (oh1 - oh0) * g.outW;
                    im2col(g, x, xOff, cols, oh0, oh1);
                    gemm(false, false, og, cn, k, w, gi * og * k, k, cols, 0, cn, y, yOff + oh0 * g.outW, ohw, b != null);
                }
            }
        }
    }

    /** x = convᵀ(y, w) + b: cols = W_gᵀ · y_g (a block of rows at a time), then col2im sums them into place. */
    static void transpose(Geometry g, Object y, Object w, Object b, Object x, int maxCols) {
        int cg = g.c / g.groups, og = g.o / g.groups, k = g.k(), ohw = g.outH * g.outW, ihw = g.inH * g.inW;
        int rows = blockRows(g, maxCols);
        Object cols = columns(x, g, maxCols);
        for (int s = 0; s < g.n; s++) {
            for (int gi = 0; gi < g.groups; gi++) {
                int xOff = (s * g.c + gi * cg) * ihw, yOff = (s * g.o + gi * og) * ohw;
                if (g.pointwise()) {
                    gemm(true, false, k, ohw, og, w, gi * og * k, k, y, yOff, ohw, x, xOff, ihw, false);
                    continue;
                }
                for (int oh0 = 0; oh0 < g.outH; oh0 += rows) {
                    int oh1 = Math.min(g.outH, oh0 + rows), cn = (oh1 - oh0) * g.outW;
                    gemm(true, false, k, cn, og, w, gi * og * k, k, y, yOff + oh0 * g.outW, ohw, cols, 0, cn, false);
                    col2im(g, cols, x, xOff, oh0, oh1);
                }
            }
            if (b != null) addRows(x, s * g.c * ihw, g.c, ihw, b);
        }
    }

    /** w_g = Σ y_g · colsᵀ over samples and row blocks, accumulated in order (deterministic). */
    static void correlate(Geometry g, Object x, Object y, Object w, int maxCols) {
        int cg = g.c / g.groups, og = g.o / g.groups, k = g.k(), ohw = g.outH * g.outW, ihw = g.inH * g.inW;
        int rows = blockRows(g, maxCols);
        Object cols = columns(x, g, maxCols);
        if (ohw == 0) return; // w stays zero
        for (int s = 0; s < g.n; s++) {
            for (int gi = 0; gi < g.groups; gi++) {
                int xOff = (s * g.c + gi * cg) * ihw, yOff = (s * g.o + gi * og) * ohw;
                if (g.pointwise()) {
                    gemm(false, true, og, k, ohw, y, yOff, ohw, x, xOff, ohw, w, gi * og * k, k, s > 0);
                    continue;
                }
                for (int oh0 = 0; oh0 < g.outH; oh0 += rows) {
                    int oh1 = Math.min(g.outH, oh0 + rows), cn = (oh1 - oh0) * g.outW;
                    im2col(g, x, xOff, cols, oh0, oh1);
                    gemm(false, true, og, k, cn, y, yOff + oh0 * g.outW, ohw, cols, 0, cn, w, gi * og * k, k,
                            s > 0 || oh0 > 0);
                }
            }
        }
    }

    private static void gemm(boolean ta, boolean tb, int m, int n, int k, Object a, int aOff, int lda,
                             Object b, int bOff, int ldb, Object c, int cOff, int ldc, boolean accumulate) {
        if (c instanceof float[] cf) {
            Gemm.gemm(ta, tb, m, n, k, (float[]) a, aOff, lda, (float[]) b, bOff, ldb, cf, cOff, ldc, accumulate);
        } else {
            Gemm.gemm(ta, tb, m, n, k, (double[]) a, aOff, lda, (double[]) b, bOff, ldb, (double[]) c, cOff, ldc,
                    accumulate);
        }
    }

    private static void fillRows(Object y, int off, int rows, int len, Object b, int bOff) {
        for (int r = 0; r < rows; r++) {
            if (y instanceof float[] yf) Arrays.fill(yf, off + r * len, off + (r + 1) * len, ((float[]) b)[bOff + r]);
            else Arrays.fill((double[]) y, off + r * len, off + (r + 1) * len, ((double[]) b)[bOff + r]);
        }
    }

    private static void addRows(Object x, int off, int rows, int len, Object b) {
        for (int r = 0; r < rows; r++) {
            int at = off + r * len;
            if (x instanceof float[] xf) {
                float v = ((float[]) b)[r];
                for (int i = 0; i < len; i++) xf[at + i] += v;
            } else {
                double v = ((double[]) b)[r];
                double[] xd = (double[]) x;
                for (int i = 0; i < len; i++) xd[at + i] += v;
            }
        }
    }

    // ---- im2col / col2im: row (c, ki, kj), column (oh, ow) holds x[c, oh·sH - pH + ki·dH, ow·sW - pW + kj·dW]

    /** First ow whose input column iw = ow·s - p + off is >= 0. */
    private static int firstInside(int p, int off, int s) {
        int need = p - off; // ow·s >= need
        return need <= 0 ? 0 : (need + s - 1) / s;
    }

    /** One past the last ow whose input column is < size (clamped to [lo, out]). */
    private static int endInside(int size, int p, int off, int s, int out, int lo) {
        int lim = size - 1 + p - off; // ow·s <= lim
        int end = lim < 0 ? 0 : lim / s + 1;
        return Math.max(lo, Math.min(out, end));
    }

    /** Columns of output rows [oh0, oh1), one matrix row per (c, ki, kj) with stride (oh1 - oh0)·outW. */
    static void im2col(Geometry g, Object x, int xOff, Object cols, int oh0, int oh1) {
        if (x instanceof float[] xf) im2col(g, xf, xOff, (float[]) cols, oh0, oh1);
        else im2col(g, (double[]) x, xOff, (double[]) cols, oh0, oh1);
    }

    /** Adds columns of output rows [oh0, oh1) into the input positions they were read from. */
    static void col2im(Geometry g, Object cols, Object x, int xOff, int oh0, int oh1) {
        if (x instanceof float[] xf) col2im(g, (float[]) cols, xf, xOff, oh0, oh1);
        else col2im(g, (double[]) cols, (double[]) x, xOff, oh0, oh1);
    }

    private static void im2col(Geometry g, float[] x, int xOff, float[] cols, int oh0, int oh1) {
        int cg = g.c / g.groups, ohw = (oh1 - oh0) * g.outW, row = 0;
        for (int c = 0; c < cg; c++) {
            for (int ki = 0; ki < g.kH; ki++) {
                for (int kj = 0; kj < g.kW; kj++, row++) {
                    int colOff = kj * g.dW, lo = firstInside(g.pW, colOff, g.sW);
                    int hi = endInside(g.inW, g.pW, colOff, g.sW, g.outW, Math.min(lo, g.outW));
                    lo = Math.min(lo, hi);
                    for (int oh = oh0; oh < oh1; oh++) {
                        int ih = oh * g.sH - g.pH + ki * g.dH, dst = row * ohw + (oh - oh0) * g.outW;
                        if (ih < 0 || ih >= g.inH) {
                            Arrays.fill(cols, dst, dst + g.outW, 0f);
                            continue;
                        }
                        int src = xOff + (c * g.inH + ih) * g.inW - g.pW + colOff;
                        Arrays.fill(cols, dst, dst + lo, 0f);
                        if (g.sW == 1) System.arraycopy(x, src + lo, cols, dst + lo, hi - lo);
                        else for (int ow = lo; ow < hi; ow++) cols[dst + ow] = x[src + ow * g.sW];
                        Arrays.fill(cols, dst + hi, dst + g.outW, 0f);
                    }
                }
            }
        }
    }

    private static void im2col(Geometry g, double[] x, int xOff, double[] cols, int oh0, int oh1) {
        int cg = g.c / g.groups, ohw = (oh1 - oh0) * g.outW, row = 0;
        for (int c = 0; c < cg; c++) {
            for (int ki = 0; ki < g.kH; ki++) {
                for (int kj = 0; kj < g.kW; kj++, row++) {
                    int colOff = kj * g.dW, lo = firstInside(g.pW, colOff, g.sW);
                    int hi = endInside(g.inW, g.pW, colOff, g.sW, g.outW, Math.min(lo, g.outW));
                    lo = Math.min(lo, hi);
                    for (int oh = oh0; oh < oh1; oh++) {
                        int ih = oh * g.sH - g.pH + ki * g.dH, dst = row * ohw + (oh - oh0) * g.outW;
                        if (ih < 0 || ih >= g.inH) {
                            Arrays.fill(cols, dst, dst + g.outW, 0d);
                            continue;
                        }
                        int src = xOff + (c * g.inH + ih) * g.inW - g.pW + colOff;
                        Arrays.fill(cols, dst, dst + lo, 0d);
                        if (g.sW == 1) System.arraycopy(x, src + lo, cols, dst + lo, hi - lo);
                        else for (int ow = lo; ow < hi; ow++) cols[dst + ow] = x[src + ow * g.sW];
                        Arrays.fill(cols, dst + hi, dst + g.outW, 0d);
                    }
                }
            }
        }
    }

    private static void col2im(Geometry g, float[] cols, float[] x, int xOff, int oh0, int oh1) {
        int cg = g.c / g.groups, ohw = (oh1 - oh0) * g.outW, row = 0;
        for (int c = 0; c < cg; c++) {
            for (int ki = 0; ki < g.kH; ki++) {
                for (int kj = 0; kj < g.kW; kj++, row++) {
                    int colOff = kj * g.dW, lo = firstInside(g.pW, colOff, g.sW);
                    int hi = endInside(g.inW, g.pW, colOff, g.sW, g.outW, Math.min(lo, g.outW));
                    for (int oh = oh0; oh < oh1; oh++) {
                        int ih = oh * g.sH - g.pH + ki * g.dH;
                        if (ih < 0 || ih >= g.inH) continue;
                        int src = row * ohw + (oh - oh0) * g.outW, dst = xOff + (c * g.inH + ih) * g.inW - g.pW + colOff;
                        for (int ow = lo; ow < hi; ow++) x[dst + ow * g.sW] += cols[src + ow];
                    }
                }
            }
        }
    }

    private static void col2im(Geometry g, double[] cols, double[] x, int xOff, int oh0, int oh1) {
        int cg = g.c / g.groups, ohw = (oh1 - oh0) * g.outW, row = 0;
        for (int c = 0; c < cg; c++) {
            for (int ki = 0; ki < g.kH; ki++) {
                for (int kj = 0; kj < g.kW; kj++, row++) {
                    int colOff = kj * g.dW, lo = firstInside(g.pW, colOff, g.sW);
                    int hi = endInside(g.inW, g.pW, colOff, g.sW, g.outW, Math.min(lo, g.outW));
                    for (int oh = oh0; oh < oh1; oh++) {
                        int ih = oh * g.sH - g.pH + ki * g.dH;
                        if (ih < 0 || ih >= g.inH) continue;
                        int src = row * ohw + (oh - oh0) * g.outW, dst = xOff + (c * g.inH + ih) * g.inW - g.pW + colOff;
                        for (int ow = lo; ow < hi; ow++) x[dst + ow * g.sW] += cols[src + ow];
                    }
                }
            }
        }
    }
}
