package callisto.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PoolTest {
    /** Window sweeps over the last two dims of planes [planes, h, w], written out; max takes the first maximum. */
    static double[] naivePool(double[] x, int planes, int h, int w, int kh, int kw, int sh, int sw, int ph, int pw,
                              boolean max, boolean countIncludePad) {
        int oh = (h + 2 * ph - kh) / sh + 1, ow = (w + 2 * pw - kw) / sw + 1;
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
                    y[(p * oh + i) * ow + j] = max ? acc : acc / (countIncludePad ? kh * kw : count);
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
