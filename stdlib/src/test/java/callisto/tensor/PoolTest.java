package callisto.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PoolTest {
    /** PyTorch's pooling_output_shape, from its documented formula. */
    static int pooledSize(int n, int k, int s, int p, boolean ceil) {
        int out = (int) (ceil ? Math.ceil((n + 2.0 * p - k) / s) : Math.floor((n + 2.0 * p - k) / s)) + 1;
        return ceil && (out - 1) * s >= n + p ? out - 1 : out;
    }

    static double[] naivePool(double[] x, int planes, int h, int w, int kh, int kw, int sh, int sw, int ph, int pw,
                              boolean max, boolean countIncludePad) {
        return naivePool(x, planes, h, w, kh, kw, sh, sw, ph, pw, max, false, countIncludePad);
    }

    /**
     * Window sweeps over the last two dims of planes [planes, h, w], written out; max takes the first maximum, and
     * an average counting padding divides by the part of the window inside the padded input.
     */
    static double[] naivePool(double[] x, int planes, int h, int w, int kh, int kw, int sh, int sw, int ph, int pw,
                              boolean max, boolean ceil, boolean countIncludePad) {
        int oh = pooledSize(h, kh, sh, ph, ceil), ow = pooledSize(w, kw, sw, pw, ceil);
        double[] y = new double[planes * oh * ow];
        for (int p = 0; p < planes; p++)
            for (int i = 0; i < oh; i++)
                for (int j = 0; j < ow; j++) {
                    double acc = max ? Double.NEGATIVE_INFINITY : 0;
                    int count = 0;
                    for (int u = 0; u < kh; u++)
                        for (int v = 0; v < kw; v++) {
                            int a = i * sh - ph + u, b = j * sw - pw + v;
                            if (a < 0 || a >= h || b < 0 || b >= w) continue;
                            double val = x[(p * h + a) * w + b];
                            acc = max ? Math.max(acc, val) : acc + val;
                            count++;
                        }
                    int rows = Math.min(i * sh - ph + kh, h + ph) - (i * sh - ph);
                    int cols = Math.min(j * sw - pw + kw, w + pw) - (j * sw - pw);
                    y[(p * oh + i) * ow + j] = max ? acc : acc / (countIncludePad ? rows * cols : count);
                }
        return y;
    }

    static double[] naiveAdaptive(double[] x, int planes, int h, int w, int oh, int ow) {
        double[] y = new double[planes * oh * ow];
        for (int p = 0; p < planes; p++)
            for (int i = 0; i < oh; i++)
                for (int j = 0; j < ow; j++) {
                    int a0 = (int) Math.floor((double) i * h / oh), a1 = (int) Math.ceil((double) (i + 1) * h / oh);
                    int b0 = (int) Math.floor((double) j * w / ow), b1 = (int) Math.ceil((double) (j + 1) * w / ow);
                    double s = 0;
                    for (int a = a0; a < a1; a++) for (int b = b0; b < b1; b++) s += x[(p * h + a) * w + b];
                    y[(p * oh + i) * ow + j] = s / ((a1 - a0) * (b1 - b0));
                }
        return y;
    }

    record Case(int[] shape, int kh, int kw, int sh, int sw, int ph, int pw) {
    }

    static final Case[] CASES = {
        new Case(new int[] {2, 3, 6, 6}, 2, 2, 2, 2, 0, 0),
        new Case(new int[] {1, 2, 7, 9}, 3, 3, 2, 2, 1, 1),
        new Case(new int[] {2, 1, 5, 8}, 3, 2, 1, 3, 1, 1),
        new Case(new int[] {3, 5, 7}, 2, 3, 3, 1, 0, 1),
        new Case(new int[] {1, 1, 4, 4}, 4, 4, 1, 1, 2, 2),
    };

    @Test
    void twoDimensionalPoolsMatchLoops() {
        var gen = new Generator(1);
        for (Case k : CASES) {
            Tensor x = gen.randn(k.shape);
            int r = k.shape.length, h = k.shape[r - 2], w = k.shape[r - 1], planes = x.numel() / (h * w);
            int[] kernel = {k.kh, k.kw}, stride = {k.sh, k.sw}, pad = {k.ph, k.pw};
            for (boolean include : new boolean[] {true, false}) {
                assertArrayEquals(naivePool(x.toArray(), planes, h, w, k.kh, k.kw, k.sh, k.sw, k.ph, k.pw, false, include),
                        Pool.avgPool2d(x, kernel, stride, pad, include).toArray(), 1e-12, k + " avg " + include);
            }
            assertArrayEquals(naivePool(x.toArray(), planes, h, w, k.kh, k.kw, k.sh, k.sw, k.ph, k.pw, true, true),
                    Pool.maxPool2d(x, kernel, stride, pad, new int[] {1}).toArray(), 0, k + " max");
        }
        Tensor x = gen.randn(2, 3, 9, 7);
        assertArrayEquals(naivePool(x.toArray(), 6, 9, 7, 3, 3, 3, 3, 0, 0, false, true), Pool.avgPool2d(x, 3).toArray(), 1e-12);
        assertArrayEquals(naivePool(x.toArray(), 6, 9, 7, 3, 3, 3, 3, 0, 0, true, true), Pool.maxPool2d(x, 3).toArray(), 0);
        assertArrayEquals(new int[] {2, 3, 3, 2}, Pool.maxPool2d(x, 3).shape());
    }

    @Test
    void ceilModeMatchesLoops() {
        var gen = new Generator(7);
        Tensor x = gen.randn(2, 2, 7, 8);
        int[][] params = {{2, 2, 2, 2, 0, 0}, {3, 3, 2, 3, 1, 1}, {3, 2, 3, 2, 1, 0}, {2, 3, 3, 3, 1, 1}};
        for (int[] q : params) {
            int[] k = {q[0], q[1]}, st = {q[2], q[3]}, pd = {q[4], q[5]};
            for (boolean include : new boolean[] {true, false}) {
                assertArrayEquals(naivePool(x.toArray(), 4, 7, 8, q[0], q[1], q[2], q[3], q[4], q[5], false, true, include),
                        Pool.avgPool2d(x, k, st, pd, true, include).toArray(), 1e-12);
            }
            Tensor m = Pool.maxPool2d(x, k, st, pd, new int[] {1}, true);
            assertArrayEquals(naivePool(x.toArray(), 4, 7, 8, q[0], q[1], q[2], q[3], q[4], q[5], true, true, true), m.toArray(), 0);
            assertEquals(pooledSize(7, q[0], q[2], q[4], true), m.shape()[2]);
        }
        assertArrayEquals(new int[] {2, 2, 4, 4}, Pool.maxPool2d(x, new int[] {2}, null, new int[] {0}, new int[] {1}, true).shape());
        Tensor x1 = gen.randn(1, 3, 10);
        assertArrayEquals(naivePool(x1.toArray(), 3, 1, 10, 1, 3, 1, 3, 0, 1, false, true, true),
                Pool.avgPool1d(x1, 3, 3, 1, true, true).toArray(), 1e-12);
        assertArrayEquals(naivePool(x1.toArray(), 3, 1, 10, 1, 4, 1, 3, 0, 0, true, true, true),
                Pool.maxPool1d(x1, 4, 3, 0, 1, true).toArray(), 0);
        GradCheck.gradcheck(t -> Pool.avgPool2d(t[0], new int[] {3}, new int[] {2}, new int[] {1}, true, true), x.narrow(0, 0, 1));
        GradCheck.gradcheck(t -> Pool.maxPool2d(t[0], new int[] {3}, new int[] {2}, new int[] {0}, new int[] {1}, true), x.narrow(0, 0, 1));
    }

    @Test
    void dilatedMaxPoolMatchesLoops() {
        var gen = new Generator(8);
        Tensor x = gen.randn(1, 2, 9, 8);
        Tensor y = Pool.maxPool2d(x, new int[] {2, 3}, new int[] {2, 1}, new int[] {1, 1}, new int[] {3, 2});
        // dilation d: a window of k taps d apart, written out here
        int oh = (9 + 2 - 3 * 1 - 1) / 2 + 1, ow = (8 + 2 - 2 * 2 - 1) + 1;
        double[] v = x.toArray(), expected = new double[2 * oh * ow];
        for (int p = 0; p < 2; p++)
            for (int i = 0; i < oh; i++)
                for (int j = 0; j < ow; j++) {
                    double m = Double.NEGATIVE_INFINITY;
                    for (int u = 0; u < 2; u++)
                        for (int t = 0; t < 3; t++) {
                            int a = i * 2 - 1 + 3 * u, b = j - 1 + 2 * t;
                            if (a >= 0 && a < 9 && b >= 0 && b < 8) m = Math.max(m, v[(p * 9 + a) * 8 + b]);
                        }
                    expected[(p * oh + i) * ow + j] = m;
                }
        assertArrayEquals(expected, y.toArray(), 0);
    }

    @Test
    void oneDimensionalPoolsMatchLoops() {
        var gen = new Generator(2);
        Tensor x = gen.randn(2, 3, 11);
        int[][] params = {{2, 2, 0}, {3, 2, 1}, {4, 1, 2}, {5, 3, 0}};
        for (int[] p : params) {
            assertArrayEquals(naivePool(x.toArray(), 6, 1, 11, 1, p[0], 1, p[1], 0, p[2], false, true),
                    Pool.avgPool1d(x, p[0], p[1], p[2]).toArray(), 1e-12);
            assertArrayEquals(naivePool(x.toArray(), 6, 1, 11, 1, p[0], 1, p[1], 0, p[2], false, false),
                    Pool.avgPool1d(x, p[0], p[1], p[2], false).toArray(), 1e-12);
            assertArrayEquals(naivePool(x.toArray(), 6, 1, 11, 1, p[0], 1, p[1], 0, p[2], true, true),
                    Pool.maxPool1d(x, p[0], p[1], p[2]).toArray(), 0);
        }
        assertArrayEquals(new int[] {2, 3, 3}, Pool.maxPool1d(x, 3).shape());
    }

    @Test
    void adaptiveAverageMatchesLoops() {
        var gen = new Generator(3);
        Tensor x = gen.randn(2, 3, 7, 10);
        int[][] sizes = {{3, 4}, {7, 10}, {1, 1}, {5, 3}, {10, 13}};
        for (int[] s : sizes) {
            assertArrayEquals(naiveAdaptive(x.toArray(), 6, 7, 10, s[0], s[1]), Pool.adaptiveAvgPool2d(x, s[0], s[1]).toArray(),
                    1e-12, s[0] + "x" + s[1]);
        }
        Tensor x1 = gen.randn(2, 2, 11);
        for (int s : new int[] {1, 3, 4, 11, 15}) {
            assertArrayEquals(naiveAdaptive(x1.toArray(), 4, 1, 11, 1, s), Pool.adaptiveAvgPool1d(x1, s).toArray(), 1e-12);
        }
        assertArrayEquals(x.mean(new int[] {2, 3}, true).toArray(), Pool.adaptiveAvgPool2d(x, new int[] {1}).toArray(), 1e-12);
    }

    @Test
    void averageGradientsToSecondOrder() {
        var gen = new Generator(4);
        Tensor x = gen.randn(1, 2, 5, 4);
        GradCheck.gradcheck(t -> Pool.avgPool2d(t[0], new int[] {3, 2}, new int[] {2, 1}, new int[] {1, 1}, false), x);
        GradCheck.gradgradcheck(t -> Pool.avgPool2d(t[0], new int[] {3, 2}, new int[] {2, 1}, new int[] {1, 1}, false).pow(2), x);
        GradCheck.gradcheck(t -> Pool.avgPool2d(t[0], 2, 1, 1), x);
        GradCheck.gradcheck(t -> Pool.avgPool1d(t[0].reshape(2, 2, 10), 3, 2, 1), x);
        GradCheck.gradgradcheck(t -> Pool.avgPool1d(t[0].reshape(2, 2, 10), 3, 2, 1).pow(2), x);
        GradCheck.gradcheck(t -> Pool.adaptiveAvgPool2d(t[0], 3, 3), x);
        GradCheck.gradgradcheck(t -> Pool.adaptiveAvgPool2d(t[0], 3, 3).pow(2), x);
        GradCheck.gradcheck(t -> Pool.adaptiveAvgPool1d(t[0].reshape(2, 2, 10), 4), x);
    }

    @Test
    void maxGradients() {
        var gen = new Generator(5);
        Tensor x = gen.randn(1, 2, 5, 6);
        GradCheck.gradcheck(t -> Pool.maxPool2d(t[0], 2), x);
        GradCheck.gradcheck(t -> Pool.maxPool2d(t[0], new int[] {3, 2}, new int[] {1, 2}, new int[] {1, 0}, new int[] {1}), x);
        GradCheck.gradcheck(t -> Pool.maxPool1d(t[0].reshape(2, 3, 10), 3, 2, 1), x);
        GradCheck.gradgradcheck(t -> Pool.maxPool2d(t[0], 2, 1, 0).pow(2), x);
    }

    @Test
    void maxTiesGoToTheFirstElement() {
        Tensor x = Tensor.zeros(1, 1, 4, 4).requiresGrad(true);
        Pool.maxPool2d(x, 2).sum().backward();
        double[] expected = new double[16];
        for (int i : new int[] {0, 2, 8, 10}) expected[i] = 1;
        assertArrayEquals(expected, x.grad().toArray(), 0);
        // overlapping windows (stride 1) each route to their own first maximum, and the gradients add
        Tensor y = Tensor.of(new double[] {1, 3, 3, 0, 2}, 1, 1, 5).requiresGrad(true);
        Pool.maxPool1d(y, 3, 1, 0).sum().backward();
        assertArrayEquals(new double[] {0, 2, 1, 0, 0}, y.grad().toArray(), 0);
    }

    @Test
    void float32AgreesWithFloat64() {
        var gen = new Generator(6);
        Tensor x = gen.randn(2, 3, 9, 8), xf = x.to(DType.FLOAT32);
        Tensor a = Pool.avgPool2d(xf, 3, 2, 1), m = Pool.maxPool2d(xf, 3, 2, 1), ad = Pool.adaptiveAvgPool2d(xf, 4, 3);
        assertEquals(DType.FLOAT32, a.dtype());
        assertEquals(DType.FLOAT32, m.dtype());
        assertArrayEquals(Pool.avgPool2d(x, 3, 2, 1).toArray(), a.toArray(), 1e-6);
        assertArrayEquals(Pool.maxPool2d(x, 3, 2, 1).toArray(), m.toArray(), 1e-6);
        assertArrayEquals(Pool.adaptiveAvgPool2d(x, 4, 3).toArray(), ad.toArray(), 1e-6);
    }

    static void assertMessage(Runnable r, String... parts) {
        var e = assertThrows(IllegalArgumentException.class, r::run);
        for (String p : parts) assertTrue(e.getMessage().contains(p), e.getMessage() + " lacks " + p);
    }

    @Test
    void clearErrors() {
        Tensor x = Tensor.zeros(2, 3, 4, 4);
        assertMessage(() -> Pool.maxPool2d(x, 5), "maxPool2d", "larger than the padded input", "[2, 3, 4, 4]");
        assertMessage(() -> Pool.avgPool2d(x, 3, 1, 2), "avgPool2d", "padding 2", "half");
        assertMessage(() -> Pool.avgPool1d(x, 2), "avgPool1d", "[2, 3, 4, 4]", "3 dims");
        assertMessage(() -> Pool.maxPool2d(x, 0), "maxPool2d", "kernel");
        assertMessage(() -> Pool.adaptiveAvgPool2d(x, 0, 2), "adaptiveAvgPool2d", "output size");
        assertMessage(() -> Pool.maxPool2d(Tensor.ofLongs(new long[16], 1, 1, 4, 4), 2), "maxPool2d", "int64");
    }
}
