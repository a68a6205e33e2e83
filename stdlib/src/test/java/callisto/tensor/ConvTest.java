package callisto.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import callisto.tensor.Conv.PaddingMode;
import org.junit.jupiter.api.Test;

class ConvTest {
    // ---- naive references (float64 loops over every index)

    /** Index i of a dim of size n after padding by mode, or -1 for a zero. */
    static int source(int i, int n, PaddingMode mode) {
        if (i >= 0 && i < n) return i;
        return switch (mode) {
            case ZEROS -> -1;
            case CIRCULAR -> ((i % n) + n) % n;
            case REFLECT -> i < 0 ? -i : 2 * (n - 1) - i;
            case REPLICATE -> i < 0 ? 0 : n - 1;
        };
    }

    /** x [n, c, h, w] ⋆ w [o, c/g, kh, kw] + b, PyTorch's definition written out. */
    static double[] naiveConv2d(double[] x, int[] xs, double[] w, int[] ws, double[] b, int[] s, int[] p, int[] d,
                                int groups, PaddingMode mode) {
        int n = xs[0], c = xs[1], h = xs[2], wd = xs[3], o = ws[0], cg = ws[1], kh = ws[2], kw = ws[3], og = o / groups;
        int oh = (h + 2 * p[0] - d[0] * (kh - 1) - 1) / s[0] + 1, ow = (wd + 2 * p[1] - d[1] * (kw - 1) - 1) / s[1] + 1;
        double[] y = new double[n * o * oh * ow];
        for (int a = 0; a < n; a++)
            for (int co = 0; co < o; co++)
                for (int i = 0; i < oh; i++)
                    for (int j = 0; j < ow; j++) {
                        double sum = b == null ? 0 : b[co];
                        int grp = co / og;
                        for (int ci = 0; ci < cg; ci++)
                            for (int u = 0; u < kh; u++)
                                for (int v = 0; v < kw; v++) {
                                    int ih = source(i * s[0] - p[0] + u * d[0], h, mode);
                                    int iw = source(j * s[1] - p[1] + v * d[1], wd, mode);
                                    if (ih < 0 || iw < 0) continue;
                                    sum += x[((a * c + grp * cg + ci) * h + ih) * wd + iw]
                                            * w[((co * cg + ci) * kh + u) * kw + v];
                                }
                        y[((a * o + co) * oh + i) * ow + j] = sum;
                    }
        return y;
    }

    /** x [n, c, h, w] with w [c, o/g, kh, kw]: each input value scattered through the kernel. */
    static double[] naiveConvTranspose2d(double[] x, int[] xs, double[] w, int[] ws, double[] b, int[] s, int[] p,
                                         int[] op, int[] d, int groups) {
        int n = xs[0], c = xs[1], h = xs[2], wd = xs[3], og = ws[1], kh = ws[2], kw = ws[3], o = og * groups, cg = c / groups;
        int oh = (h - 1) * s[0] - 2 * p[0] + d[0] * (kh - 1) + op[0] + 1;
        int ow = (wd - 1) * s[1] - 2 * p[1] + d[1] * (kw - 1) + op[1] + 1;
        double[] y = new double[n * o * oh * ow];
        for (int a = 0; a < n; a++)
            for (int co = 0; co < o; co++)
                for (int i = 0; i < oh * ow; i++) y[(a * o + co) * oh * ow + i] = b == null ? 0 : b[co];
        for (int a = 0; a < n; a++)
            for (int ci = 0; ci < c; ci++)
                for (int i = 0; i < h; i++)
                    for (int j = 0; j < wd; j++)
                        for (int co = 0; co < og; co++)
                            for (int u = 0; u < kh; u++)
                                for (int v = 0; v < kw; v++) {
                                    int yi = i * s[0] - p[0] + u * d[0], yj = j * s[1] - p[1] + v * d[1];
                                    if (yi < 0 || yi >= oh || yj < 0 || yj >= ow) continue;
                                    int grp = ci / cg;
                                    y[((a * o + grp * og + co) * oh + yi) * ow + yj] += x[((a * c + ci) * h + i) * wd + j]
                                            * w[((ci * og + co) * kh + u) * kw + v];
                                }
        return y;
    }

    static Tensor randn(Generator g, int... shape) {
        return g.randn(shape);
    }

    static double[] data(Tensor t) {
        return t == null ? null : t.toArray();
    }

    // ---- forward against the loops

    record Case(int[] x, int[] w, boolean bias, int[] s, int[] p, int[] d, int groups, PaddingMode mode) {
        @Override
        public String toString() {
            return "x " + Shape.str(x) + " w " + Shape.str(w) + " stride " + Shape.str(s) + " padding " + Shape.str(p)
                    + " dilation " + Shape.str(d) + " groups " + groups + " " + mode;
        }
    }

    static final Case[] CASES_2D = {
        new Case(new int[] {2, 3, 7, 6}, new int[] {4, 3, 3, 3}, true, new int[] {1, 1}, new int[] {1, 1}, new int[] {1, 1}, 1, PaddingMode.ZEROS),
        new Case(new int[] {2, 4, 9, 8}, new int[] {6, 2, 3, 2}, false, new int[] {2, 3}, new int[] {1, 2}, new int[] {1, 1}, 2, PaddingMode.ZEROS),
        new Case(new int[] {1, 4, 11, 9}, new int[] {4, 1, 3, 3}, true, new int[] {2, 1}, new int[] {0, 0}, new int[] {2, 3}, 4, PaddingMode.ZEROS),
        new Case(new int[] {3, 2, 5, 5}, new int[] {3, 2, 1, 1}, true, new int[] {1, 1}, new int[] {0, 0}, new int[] {1, 1}, 1, PaddingMode.ZEROS),
        new Case(new int[] {2, 2, 6, 7}, new int[] {3, 2, 3, 3}, true, new int[] {1, 2}, new int[] {2, 1}, new int[] {1, 1}, 1, PaddingMode.CIRCULAR),
        new Case(new int[] {2, 2, 6, 7}, new int[] {3, 2, 3, 3}, true, new int[] {1, 1}, new int[] {2, 1}, new int[] {1, 2}, 1, PaddingMode.REFLECT),
        new Case(new int[] {2, 6, 5, 7}, new int[] {3, 2, 2, 3}, false, new int[] {3, 1}, new int[] {1, 3}, new int[] {1, 1}, 3, PaddingMode.REPLICATE),
        new Case(new int[] {1, 1, 4, 4}, new int[] {2, 1, 4, 4}, true, new int[] {1, 1}, new int[] {0, 0}, new int[] {1, 1}, 1, PaddingMode.ZEROS),
    };

    @Test
    void conv2dMatchesLoops() {
        var gen = new Generator(1);
        for (Case k : CASES_2D) {
            Tensor x = randn(gen, k.x), w = randn(gen, k.w), b = k.bias ? randn(gen, k.w[0]) : null;
            var opts = ConvOptions.defaults().stride(k.s).padding(k.p).dilation(k.d).groups(k.groups).paddingMode(k.mode);
            Tensor y = Conv.conv2d(x, w, b, opts);
            double[] expected = naiveConv2d(x.toArray(), k.x, w.toArray(), k.w, data(b), k.s, k.p, k.d, k.groups, k.mode);
            assertArrayEquals(expected, y.toArray(), 1e-12, k.toString());
            assertEquals(k.x[0], y.shape()[0]);
        }
    }

    @Test
    void conv1dMatchesLoops() {
        var gen = new Generator(2);
        int[][] shapes = {{2, 3, 10}, {3, 4, 13}, {1, 6, 9}};
        int[][] weights = {{5, 3, 3}, {4, 2, 4}, {6, 1, 2}};
        int[] groups = {1, 2, 6}, strides = {1, 2, 3}, pads = {1, 3, 1}, dils = {1, 2, 3};
        for (PaddingMode mode : PaddingMode.values()) {
            for (int i = 0; i < shapes.length; i++) {
                Tensor x = randn(gen, shapes[i]), w = randn(gen, weights[i]), b = randn(gen, weights[i][0]);
                Tensor y = Conv.conv1d(x, w, b, ConvOptions.defaults().stride(strides[i]).padding(pads[i])
                        .dilation(dils[i]).groups(groups[i]).paddingMode(mode));
                int[] xs = {shapes[i][0], shapes[i][1], 1, shapes[i][2]}, ws = {weights[i][0], weights[i][1], 1, weights[i][2]};
                double[] expected = naiveConv2d(x.toArray(), xs, w.toArray(), ws, b.toArray(), new int[] {1, strides[i]},
                        new int[] {0, pads[i]}, new int[] {1, dils[i]}, groups[i], mode);
                assertArrayEquals(expected, y.toArray(), 1e-12, mode + " case " + i);
                assertEquals(3, y.dim());
            }
        }
    }

    @Test
    void convTransposeMatchesLoops() {
        var gen = new Generator(3);
        int[][] xs = {{2, 4, 5, 4}, {1, 6, 3, 5}, {2, 2, 4, 4}};
        int[][] ws = {{4, 3, 3, 3}, {6, 2, 2, 3}, {2, 3, 1, 1}};
        int[][] strides = {{2, 2}, {3, 1}, {2, 3}}, pads = {{1, 0}, {0, 1}, {0, 0}}, ops = {{1, 0}, {2, 0}, {1, 2}};
        int[][] dils = {{1, 2}, {1, 1}, {1, 1}};
        int[] groups = {1, 3, 1};
        for (int i = 0; i < xs.length; i++) {
            Tensor x = randn(gen, xs[i]), w = randn(gen, ws[i]), b = randn(gen, ws[i][1] * groups[i]);
            Tensor y = Conv.convTranspose2d(x, w, b, strides[i], pads[i], ops[i], groups[i], dils[i]);
            double[] expected = naiveConvTranspose2d(x.toArray(), xs[i], w.toArray(), ws[i], b.toArray(), strides[i],
                    pads[i], ops[i], dils[i], groups[i]);
            assertArrayEquals(expected, y.toArray(), 1e-12, "case " + i);
        }
        Tensor x = randn(gen, 2, 4, 7), w = randn(gen, 4, 3, 3);
        Tensor y = Conv.convTranspose1d(x, w, null, 2, 1, 1, 2, 2); // groups 2, dilation 2
        double[] expected = naiveConvTranspose2d(x.toArray(), new int[] {2, 4, 1, 7}, w.toArray(), new int[] {4, 3, 1, 3},
                null, new int[] {1, 2}, new int[] {0, 1}, new int[] {0, 1}, new int[] {1, 2}, 2);
        assertArrayEquals(expected, y.toArray(), 1e-12);
        assertArrayEquals(new int[] {2, 6, 16}, y.shape());
    }

    @Test
    void samePaddingKeepsTheSize() {
        var gen = new Generator(14);
        Tensor x = gen.randn(2, 2, 6, 7), w = gen.randn(3, 2, 4, 3), b = gen.randn(3);
        for (PaddingMode mode : PaddingMode.values()) {
            Tensor y = Conv.conv2d(x, w, b, ConvOptions.defaults().paddingSame().dilation(1, 2).paddingMode(mode));
            assertArrayEquals(new int[] {2, 3, 6, 7}, y.shape());
            // d(k - 1) = 3 rows (1 before, 2 after) and 4 columns (2 and 2)
            double[] padded = naivePad(x.toArray(), x.shape(), new int[] {2, 2, 1, 2}, mode);
            double[] expected = naiveConv2d(padded, new int[] {2, 2, 9, 11}, w.toArray(), w.shape(), b.toArray(),
                    new int[] {1, 1}, new int[] {0, 0}, new int[] {1, 2}, 1, PaddingMode.ZEROS);
            assertArrayEquals(expected, y.toArray(), 1e-12, mode.toString());
        }
        Tensor x1 = gen.randn(1, 2, 5), w1 = gen.randn(2, 2, 2);
        var same = ConvOptions.defaults().paddingSame();
        assertArrayEquals(new int[] {1, 2, 5}, Conv.conv1d(x1, w1, null, same).shape());
        GradCheck.gradcheck(t -> Conv.conv1d(t[0], t[1], null, same), x1, w1);
        GradCheck.gradgradcheck(t -> Conv.conv1d(t[0], t[1], null, same), x1, w1);
    }

    @Test
    void rowBlocksOfTheColumnBufferGiveTheSameProducts() {
        var gen = new Generator(15);
        // 7 output rows with blocks of 1, 2 and 3 rows (the last one short), in both dtypes
        var g = new ConvKernels.Geometry(2, 4, 6, 2, 9, 8, 7, 4, 3, 2, 1, 2, 0, 1, 1, 1);
        int k = g.k();
        for (DType dt : new DType[] {DType.FLOAT64, DType.FLOAT32}) {
            Object x = Kernels.dense(gen.randn(g.inputShape()), dt), w = Kernels.dense(gen.randn(g.weightShape()), dt);
            Object y = Kernels.dense(gen.randn(g.outputShape()), dt), b = Kernels.dense(gen.randn(g.o()), dt);
            Object yRef = Storage.allocate(dt, 2 * 6 * 7 * 4), xRef = Storage.allocate(dt, 2 * 4 * 9 * 8), wRef = Storage.allocate(dt, 6 * 2 * 3 * 2);
            ConvKernels.convolve(g, x, w, b, yRef, ConvKernels.MAX_COLS);
            ConvKernels.transpose(g, y, w, null, xRef, ConvKernels.MAX_COLS);
            ConvKernels.correlate(g, x, y, wRef, ConvKernels.MAX_COLS);
            for (int rows = 1; rows <= 3; rows++) {
                Object yb = Storage.allocate(dt, 2 * 6 * 7 * 4), xb = Storage.allocate(dt, 2 * 4 * 9 * 8), wb = Storage.allocate(dt, 6 * 2 * 3 * 2);
                ConvKernels.convolve(g, x, w, b, yb, rows * k * g.outW());
                ConvKernels.transpose(g, y, w, null, xb, rows * k * g.outW());
                ConvKernels.correlate(g, x, y, wb, rows * k * g.outW());
                String what = dt + " blocks of " + rows;
                assertArrayEquals(Tensor.wrap(dt, yRef, g.outputShape()).toArray(), Tensor.wrap(dt, yb, g.outputShape()).toArray(), 1e-5, what);
                assertArrayEquals(Tensor.wrap(dt, xRef, g.inputShape()).toArray(), Tensor.wrap(dt, xb, g.inputShape()).toArray(), 1e-5, what);
                assertArrayEquals(Tensor.wrap(dt, wRef, g.weightShape()).toArray(), Tensor.wrap(dt, wb, g.weightShape()).toArray(), 1e-5, what);
            }
        }
    }

    @Test
    void unbatchedInputIsABatchOfOne() {
        var gen = new Generator(4);
        Tensor x = randn(gen, 3, 6, 5), w = randn(gen, 2, 3, 3, 3);
        Tensor y = Conv.conv2d(x, w, null, 1, 1, 1, 1);
        assertArrayEquals(new int[] {2, 6, 5}, y.shape());
        assertArrayEquals(Conv.conv2d(x.unsqueeze(0), w, null, 1, 1, 1, 1).toArray(), y.toArray(), 0);
        // strided views (a transposed input, a permuted weight) read the same as their contiguous copies
        Tensor xt = randn(gen, 2, 3, 5, 6).transpose(2, 3), wt = randn(gen, 3, 4, 3, 3).transpose(0, 1);
        assertArrayEquals(Conv.conv2d(xt.contiguous(), wt.contiguous(), null, 2, 1, 1, 1).toArray(),
                Conv.conv2d(xt, wt, null, 2, 1, 1, 1).toArray(), 0);
        assertArrayEquals(Conv.conv2d(xt.contiguous(), wt.contiguous(), null, 2, 1, 1, 1).toArray(),
                naiveConv2d(xt.toArray(), xt.shape(), wt.toArray(), wt.shape(), null, new int[] {2, 2}, new int[] {1, 1},
                        new int[] {1, 1}, 1, PaddingMode.ZEROS), 1e-12);
    }

    // ---- gradients

    @Test
    void conv2dGradcheckAndGradgradcheck() {
        var gen = new Generator(5);
        Tensor x = randn(gen, 1, 4, 5, 4), w = randn(gen, 4, 2, 3, 2), b = randn(gen, 4);
        var opts = ConvOptions.defaults().stride(2, 1).padding(1).dilation(1, 2).groups(2);
        GradCheck.gradcheck(t -> Conv.conv2d(t[0], t[1], t[2], opts), x, w, b);
        GradCheck.gradgradcheck(t -> Conv.conv2d(t[0], t[1], t[2], opts), x, w, b);
    }

    @Test
    void conv2dGradientsThroughPaddingModes() {
        var gen = new Generator(6);
        Tensor x = randn(gen, 1, 2, 4, 4), w = randn(gen, 2, 2, 3, 3);
        for (PaddingMode mode : new PaddingMode[] {PaddingMode.CIRCULAR, PaddingMode.REFLECT, PaddingMode.REPLICATE}) {
            var opts = ConvOptions.defaults().padding(1, 2).paddingMode(mode);
            GradCheck.gradcheck(t -> Conv.conv2d(t[0], t[1], null, opts), x, w);
            GradCheck.gradgradcheck(t -> Conv.conv2d(t[0], t[1], null, opts), x, w);
        }
    }

    @Test
    void conv1dGradcheckAndGradgradcheck() {
        var gen = new Generator(7);
        Tensor x = randn(gen, 2, 2, 7), w = randn(gen, 3, 2, 3), b = randn(gen, 3);
        var opts = ConvOptions.defaults().stride(2).padding(2).dilation(2);
        GradCheck.gradcheck(t -> Conv.conv1d(t[0], t[1], t[2], opts), x, w, b);
        GradCheck.gradgradcheck(t -> Conv.conv1d(t[0], t[1], t[2], opts), x, w, b);
    }

    @Test
    void convTransposeGradcheckAndGradgradcheck() {
        var gen = new Generator(8);
        Tensor x = randn(gen, 1, 4, 3, 2), w = randn(gen, 4, 1, 2, 3), b = randn(gen, 2);
        var opts = ConvOptions.defaults().stride(2).padding(1, 0).outputPadding(1).groups(2);
        GradCheck.gradcheck(t -> Conv.convTranspose2d(t[0], t[1], t[2], opts), x, w, b);
        GradCheck.gradgradcheck(t -> Conv.convTranspose2d(t[0], t[1], t[2], opts), x, w, b);
        Tensor x1 = randn(gen, 2, 2, 4), w1 = randn(gen, 2, 2, 3);
        var opts1 = ConvOptions.defaults().stride(2).padding(1).dilation(2);
        GradCheck.gradcheck(t -> Conv.convTranspose1d(t[0], t[1], null, opts1), x1, w1);
        GradCheck.gradgradcheck(t -> Conv.convTranspose1d(t[0], t[1], null, opts1), x1, w1);
    }

    @Test
    void pointwiseConvolutionGradients() {
        var gen = new Generator(9);
        Tensor x = randn(gen, 2, 3, 2, 3), w = randn(gen, 2, 3, 1, 1);
        GradCheck.gradcheck(t -> Conv.conv2d(t[0], t[1], null), x, w);
        GradCheck.gradgradcheck(t -> Conv.conv2d(t[0], t[1], null), x, w);
    }

    @Test
    void aSmallNetworkDifferentiatesTwice() {
        var gen = new Generator(16);
        Tensor x = gen.randn(1, 2, 6, 6), w1 = gen.randn(3, 2, 3, 3).mul(0.5), w2 = gen.randn(3, 2, 3, 3).mul(0.5);
        java.util.function.Function<Tensor[], Tensor> net = t -> {
            Tensor h = Conv.conv2d(t[0], t[1], null, ConvOptions.defaults().padding(1).paddingMode(PaddingMode.REFLECT)).tanh();
            h = Pool.avgPool2d(h, 2);
            h = Resize.interpolate(h, new int[] {5, 5}, Resize.Mode.BILINEAR, false);
            return Conv.convTranspose2d(h, t[2], null, 2, 1, 0, 1, 1).sin().sum();
        };
        GradCheck.gradcheck(net, x, w1, w2);
        GradCheck.gradgradcheck(net, x, w1, w2);
    }

    // ---- padding

    static double[] naivePad(double[] x, int[] shape, int[] pads, PaddingMode mode) {
        int r = shape.length, h = pads.length == 4 ? shape[r - 2] : 1, w = shape[r - 1];
        int top = pads.length == 4 ? pads[2] : 0, bottom = pads.length == 4 ? pads[3] : 0;
        int oh = h + top + bottom, ow = w + pads[0] + pads[1], planes = x.length / (h * w);
        double[] y = new double[planes * oh * ow];
        for (int pl = 0; pl < planes; pl++)
            for (int i = 0; i < oh; i++)
                for (int j = 0; j < ow; j++) {
                    int si = source(i - top, h, mode), sj = source(j - pads[0], w, mode);
                    y[(pl * oh + i) * ow + j] = si < 0 || sj < 0 ? 0 : x[(pl * h + si) * w + sj];
                }
        return y;
    }

    @Test
    void padMatchesLoopsInEveryMode() {
        var gen = new Generator(10);
        int[][] shapes = {{2, 3, 5, 4}, {3, 6}, {1, 2, 3, 7}};
        int[][] pads = {{1, 2, 3, 1}, {2, 5}, {0, 2, 2, 0}};
        for (PaddingMode mode : PaddingMode.values()) {
            for (int i = 0; i < shapes.length; i++) {
                int[] p = pads[i].clone();
                if (mode == PaddingMode.REFLECT || mode == PaddingMode.CIRCULAR) { // keep within the dims
                    for (int k = 0; k < p.length; k++) p[k] = Math.min(p[k], shapes[i][shapes[i].length - 1 - k / 2] - 1);
                }
                Tensor x = randn(gen, shapes[i]);
                Tensor y = Conv.pad(x, p, mode);
                assertArrayEquals(naivePad(x.toArray(), shapes[i], p, mode), y.toArray(), 0, mode + " " + i);
            }
        }
        Tensor x = randn(gen, 2, 5, 6);
        Tensor cropped = Conv.pad(x, -1, 2, 1, -2);
        assertArrayEquals(new int[] {2, 4, 7}, cropped.shape());
        assertEquals(x.get(1, 0, 3), cropped.get(1, 1, 2), 0);
        assertEquals(0, cropped.get(1, 0, 2), 0);
    }

    @Test
    void padGradientsSumTheCopies() {
        var gen = new Generator(11);
        Tensor x = randn(gen, 1, 2, 3, 4);
        for (PaddingMode mode : PaddingMode.values()) {
            int[] p = {3, 2, 2, 1};
            if (mode == PaddingMode.REFLECT) p = new int[] {3, 2, 2, 2};
            int[] pads = mode == PaddingMode.CIRCULAR ? new int[] {4, 1, 3, 2} : p;
            GradCheck.gradcheck(t -> Conv.pad(t[0], pads, mode), x);
            GradCheck.gradgradcheck(t -> Conv.pad(t[0], pads, mode).pow(2), x);
        }
        GradCheck.gradcheck(t -> Conv.pad(t[0], -1, 2, 1, -1), x); // zero padding may crop
        // replicate: the corner value is copied (left + 1)·(top + 1) times, so its gradient is that count
        Tensor leaf = Tensor.zeros(1, 1, 3, 3).requiresGrad(true);
        Conv.pad(leaf, new int[] {2, 0, 1, 0}, PaddingMode.REPLICATE).sum().backward();
        assertEquals(6, leaf.grad().get(0, 0, 0, 0), 0);
        assertEquals(1, leaf.grad().get(0, 0, 2, 2), 0);
    }

    // ---- dtypes and errors

    @Test
    void float32AgreesWithFloat64() {
        var gen = new Generator(12);
        Tensor x = randn(gen, 2, 4, 9, 8), w = randn(gen, 6, 2, 3, 3), b = randn(gen, 6);
        var opts = ConvOptions.defaults().stride(2).padding(1).groups(2);
        Tensor y64 = Conv.conv2d(x, w, b, opts);
        Tensor y32 = Conv.conv2d(x.to(DType.FLOAT32), w.to(DType.FLOAT32), b.to(DType.FLOAT32), opts);
        assertEquals(DType.FLOAT32, y32.dtype());
        assertArrayEquals(y64.toArray(), y32.toArray(), 1e-4);
        Tensor t64 = Conv.convTranspose2d(x, w.transpose(0, 1).contiguous().reshape(4, 3, 3, 3), null, 2, 1, 1, 2, 1);
        Tensor t32 = Conv.convTranspose2d(x.to(DType.FLOAT32), w.transpose(0, 1).contiguous().reshape(4, 3, 3, 3)
                .to(DType.FLOAT32), null, 2, 1, 1, 2, 1);
        assertArrayEquals(t64.toArray(), t32.toArray(), 1e-4);
        for (PaddingMode mode : PaddingMode.values()) {
            assertArrayEquals(Conv.pad(x, new int[] {1, 2, 2, 1}, mode).toArray(),
                    Conv.pad(x.to(DType.FLOAT32), new int[] {1, 2, 2, 1}, mode).toArray(), 1e-6);
        }
        // gradients keep the dtype
        Tensor xf = x.to(DType.FLOAT32).requiresGrad(true), wf = w.to(DType.FLOAT32).requiresGrad(true);
        Conv.conv2d(xf, wf, null, opts).sum().backward();
        assertEquals(DType.FLOAT32, xf.grad().dtype());
        assertEquals(DType.FLOAT32, wf.grad().dtype());
    }

    @Test
    void deterministic() {
        var gen = new Generator(13);
        Tensor x = randn(gen, 4, 8, 16, 16).to(DType.FLOAT32).requiresGrad(true);
        Tensor w = randn(gen, 8, 8, 3, 3).to(DType.FLOAT32).requiresGrad(true);
        float[] first = null;
        for (int run = 0; run < 3; run++) {
            w.zeroGrad();
            Conv.conv2d(x, w, null, 1, 1, 1, 1).pow(2).sum().backward();
            float[] g = w.grad().toFloatArray();
            if (first == null) first = g;
            else assertArrayEquals(first, g, 0);
        }
    }

    static void assertMessage(Runnable r, String... parts) {
        var e = assertThrows(IllegalArgumentException.class, r::run);
        for (String p : parts) assertTrue(e.getMessage().contains(p), e.getMessage() + " lacks " + p);
    }

    @Test
    void clearErrors() {
        Tensor x = Tensor.zeros(2, 4, 5, 5);
        assertMessage(() -> Conv.conv2d(x, Tensor.zeros(3, 3, 3, 3), null), "conv2d", "[3, 3, 3, 3]", "[2, 4, 5, 5]", "input channels");
        assertMessage(() -> Conv.conv2d(x, Tensor.zeros(3, 4, 3, 3), null, 1, 0, 1, 3), "conv2d", "groups = 3", "[2, 4, 5, 5]");
        assertMessage(() -> Conv.conv2d(x, Tensor.zeros(3, 2, 3, 3), null, 1, 0, 1, 2), "conv2d", "groups = 2", "3 output channels");
        assertMessage(() -> Conv.conv2d(x, Tensor.zeros(3, 4, 7, 3), null), "conv2d", "kernel [3, 4, 7, 3]", "padded input");
        assertMessage(() -> Conv.conv1d(Tensor.zeros(2, 3, 4), Tensor.zeros(1, 3, 3), null, 1, 0, 3, 1), "conv1d", "spans 7");
        assertMessage(() -> Conv.conv2d(x, Tensor.zeros(3, 4, 3, 3), Tensor.zeros(4)), "conv2d", "bias", "[3]");
        assertMessage(() -> Conv.conv2d(Tensor.zeros(5, 5), Tensor.zeros(3, 4, 3, 3), null), "conv2d", "[5, 5]");
        assertMessage(() -> Conv.conv2d(x, Tensor.zeros(DType.FLOAT32, 3, 4, 3, 3), null), "conv2d", "float32");
        assertMessage(() -> Conv.convTranspose2d(x, Tensor.zeros(3, 4, 3, 3), null, 2, 0, 0, 1, 1), "convTranspose2d", "[3, 4, 3, 3]");
        assertMessage(() -> Conv.convTranspose2d(x, Tensor.zeros(4, 4, 3, 3), null, 2, 0, 2, 1, 1), "outputPadding");
        assertMessage(() -> Conv.pad(x, new int[] {5, 0}, PaddingMode.REFLECT), "pad", "reflect", "size 5");
        assertMessage(() -> Conv.pad(x, new int[] {1, 2, 3}, PaddingMode.ZEROS), "pad", "[1, 2, 3]");
        assertMessage(() -> ConvOptions.defaults().stride(0), "stride", "[0]");
        assertMessage(() -> Conv.conv2d(x, Tensor.zeros(3, 4, 3, 3), null, ConvOptions.defaults().paddingSame().stride(2)),
                "conv2d", "'same'", "stride [2]");
        assertMessage(() -> Conv.conv2d(x, Tensor.zeros(3, 4, 3, 3), null, ConvOptions.defaults().stride(1, 2, 3)), "conv2d", "stride");
    }
}
