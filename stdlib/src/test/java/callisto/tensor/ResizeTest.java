package callisto.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import callisto.tensor.Resize.Mode;
import org.junit.jupiter.api.Test;

class ResizeTest {
    /** The input coordinate PyTorch samples for output o (linear modes), from its documented mapping. */
    static double sourceCoordinate(int o, int in, int out, double scaleFactor, boolean align) {
        if (align) return out > 1 ? o * (in - 1.0) / (out - 1) : 0;
        double scale = scaleFactor > 0 ? 1 / scaleFactor : (double) in / out;
        return Math.max((o + 0.5) * scale - 0.5, 0);
    }

    /** Bilinear on planes [planes, h, w] to [planes, oh, ow], as a 2-D loop over the four neighbours. */
    static double[] naiveBilinear(double[] x, int planes, int h, int w, int oh, int ow, double sh, double sw, boolean align) {
        double[] y = new double[planes * oh * ow];
        for (int p = 0; p < planes; p++)
            for (int i = 0; i < oh; i++)
                for (int j = 0; j < ow; j++) {
                    double sy = sourceCoordinate(i, h, oh, sh, align), sx = sourceCoordinate(j, w, ow, sw, align);
                    int y0 = Math.min((int) sy, h - 1), x0 = Math.min((int) sx, w - 1);
                    int y1 = Math.min(y0 + 1, h - 1), x1 = Math.min(x0 + 1, w - 1);
                    double ly = Math.min(sy - y0, 1), lx = Math.min(sx - x0, 1);
                    double v00 = x[(p * h + y0) * w + x0], v01 = x[(p * h + y0) * w + x1];
                    double v10 = x[(p * h + y1) * w + x0], v11 = x[(p * h + y1) * w + x1];
                    y[(p * oh + i) * ow + j] = (1 - ly) * ((1 - lx) * v00 + lx * v01) + ly * ((1 - lx) * v10 + lx * v11);
                }
        return y;
    }

    /** Nearest on planes: input index ⌊o·in/out⌋ in exact integer arithmetic. */
    static double[] naiveNearest(double[] x, int planes, int h, int w, int oh, int ow) {
        double[] y = new double[planes * oh * ow];
        for (int p = 0; p < planes; p++)
            for (int i = 0; i < oh; i++)
                for (int j = 0; j < ow; j++) {
                    int a = Math.min(i * h / oh, h - 1), b = Math.min(j * w / ow, w - 1);
                    y[(p * oh + i) * ow + j] = x[(p * h + a) * w + b];
                }
        return y;
    }

    @Test
    void knownValues() {
        Tensor x = Tensor.of(new double[] {0, 1, 2}, 1, 1, 3);
        assertArrayEquals(new double[] {0, 0.5, 1, 1.5, 2}, Resize.interpolate(x, new int[] {5}, Mode.LINEAR, true).toArray(), 1e-15);
        assertArrayEquals(new double[] {0, 0, 1, 1, 2}, Resize.interpolate(x, new int[] {5}, Mode.NEAREST).toArray(), 0);
        Tensor two = Tensor.of(new double[] {0, 1}, 1, 1, 2);
        // half-pixel centers: sources -0.25 (clamped), 0.25, 0.75, 1.25 (past the end: the last value)
        assertArrayEquals(new double[] {0, 0.25, 0.75, 1}, Resize.interpolate(two, 2.0, Mode.LINEAR).toArray(), 1e-15);
    }

    @Test
    void bilinearMatchesLoops() {
        var gen = new Generator(1);
        Tensor x = gen.randn(2, 3, 5, 7);
        int[][] sizes = {{8, 11}, {3, 4}, {5, 7}, {1, 9}, {10, 14}};
        for (boolean align : new boolean[] {false, true}) {
            for (int[] s : sizes) {
                Tensor y = Resize.interpolate(x, s, Mode.BILINEAR, align);
                assertArrayEquals(new int[] {2, 3, s[0], s[1]}, y.shape());
                assertArrayEquals(naiveBilinear(x.toArray(), 6, 5, 7, s[0], s[1], 0, 0, align), y.toArray(), 1e-12,
                        s[0] + "x" + s[1] + " align " + align);
            }
            Tensor y = Resize.interpolate(x, new double[] {1.7, 0.6}, Mode.BILINEAR, align);
            assertArrayEquals(new int[] {2, 3, 8, 4}, y.shape());
            assertArrayEquals(naiveBilinear(x.toArray(), 6, 5, 7, 8, 4, 1.7, 0.6, align), y.toArray(), 1e-12);
        }
    }

    @Test
    void linearMatchesLoops() {
        var gen = new Generator(2);
        Tensor x = gen.randn(2, 3, 9);
        for (boolean align : new boolean[] {false, true}) {
            for (int s : new int[] {4, 9, 13, 1, 20}) {
                assertArrayEquals(naiveBilinear(x.toArray(), 6, 1, 9, 1, s, 0, 0, align),
                        Resize.interpolate(x, new int[] {s}, Mode.LINEAR, align).toArray(), 1e-12);
            }
            assertArrayEquals(naiveBilinear(x.toArray(), 6, 1, 9, 1, 22, 0, 2.5, align),
                    Resize.interpolate(x, new double[] {2.5}, Mode.LINEAR, align).toArray(), 1e-12);
        }
    }

    @Test
    void nearestMatchesLoops() {
        var gen = new Generator(3);
        Tensor x = gen.randn(2, 2, 6, 5);
        int[][] sizes = {{12, 10}, {4, 7}, {6, 5}, {3, 2}, {9, 15}};
        for (int[] s : sizes) {
            assertArrayEquals(naiveNearest(x.toArray(), 4, 6, 5, s[0], s[1]), Resize.interpolate(x, s, Mode.NEAREST).toArray(), 0);
        }
        Tensor x1 = gen.randn(1, 3, 7);
        assertArrayEquals(naiveNearest(x1.toArray(), 3, 1, 7, 1, 14), Resize.interpolate(x1, 2.0, Mode.NEAREST).toArray(), 0);
        assertArrayEquals(naiveNearest(x1.toArray(), 3, 1, 7, 1, 3), Resize.interpolate(x1, new int[] {3}, Mode.NEAREST).toArray(), 0);
    }

    @Test
    void nearestExactAndAreaMatchLoops() {
        var gen = new Generator(7);
        Tensor x = gen.randn(2, 2, 6, 5);
        int[][] sizes = {{12, 10}, {4, 7}, {6, 5}, {3, 2}, {9, 15}};
        for (int[] s : sizes) {
            double[] expected = new double[4 * s[0] * s[1]];
            double[] v = x.toArray();
            for (int p = 0; p < 4; p++)
                for (int i = 0; i < s[0]; i++)
                    for (int j = 0; j < s[1]; j++) { // ⌊(o + ½)·in/out⌋ in exact integers
                        int a = Math.min((2 * i + 1) * 6 / (2 * s[0]), 5), b = Math.min((2 * j + 1) * 5 / (2 * s[1]), 4);
                        expected[(p * s[0] + i) * s[1] + j] = v[(p * 6 + a) * 5 + b];
                    }
            assertArrayEquals(expected, Resize.interpolate(x, s, Mode.NEAREST_EXACT).toArray(), 0);
            assertArrayEquals(PoolTest.naiveAdaptive(v, 4, 6, 5, s[0], s[1]), Resize.interpolate(x, s, Mode.AREA).toArray(), 1e-12);
        }
        Tensor x1 = gen.randn(1, 2, 9);
        assertArrayEquals(PoolTest.naiveAdaptive(x1.toArray(), 2, 1, 9, 1, 4), Resize.interpolate(x1, 0.5, Mode.AREA).toArray(), 1e-12);
        GradCheck.gradcheck(t -> Resize.interpolate(t[0], new int[] {4, 7}, Mode.NEAREST_EXACT), x.narrow(0, 0, 1));
        GradCheck.gradgradcheck(t -> Resize.interpolate(t[0], new int[] {4, 3}, Mode.AREA).pow(2), x.narrow(0, 0, 1));
    }

    @Test
    void gradients() {
        var gen = new Generator(4);
        Tensor x = gen.randn(1, 2, 3, 4);
        for (boolean align : new boolean[] {false, true}) {
            GradCheck.gradcheck(t -> Resize.interpolate(t[0], new int[] {5, 3}, Mode.BILINEAR, align), x);
            GradCheck.gradgradcheck(t -> Resize.interpolate(t[0], new int[] {5, 3}, Mode.BILINEAR, align).pow(2), x);
            GradCheck.gradcheck(t -> Resize.interpolate(t[0].reshape(2, 2, 6), new int[] {9}, Mode.LINEAR, align), x);
            GradCheck.gradgradcheck(t -> Resize.interpolate(t[0].reshape(2, 2, 6), new int[] {4}, Mode.LINEAR, align).pow(2), x);
        }
        GradCheck.gradcheck(t -> Resize.interpolate(t[0], new int[] {7, 5}, Mode.NEAREST), x);
        GradCheck.gradgradcheck(t -> Resize.interpolate(t[0], new int[] {7, 5}, Mode.NEAREST).pow(2), x);
    }

    static double[] naiveShuffle(double[] x, int n, int c, int h, int w, int r) {
        double[] y = new double[x.length];
        for (int a = 0; a < n; a++)
            for (int k = 0; k < c; k++)
                for (int i = 0; i < h * r; i++)
                    for (int j = 0; j < w * r; j++) {
                        int ch = k * r * r + (i % r) * r + j % r;
                        y[((a * c + k) * h * r + i) * w * r + j] = x[((a * c * r * r + ch) * h + i / r) * w + j / r];
                    }
        return y;
    }

    @Test
    void pixelShuffleAndUnshuffle() {
        var gen = new Generator(5);
        Tensor x = gen.randn(2, 8, 3, 4);
        Tensor y = Resize.pixelShuffle(x, 2);
        assertArrayEquals(new int[] {2, 2, 6, 8}, y.shape());
        assertArrayEquals(naiveShuffle(x.toArray(), 2, 2, 3, 4, 2), y.toArray(), 0);
        Tensor back = Resize.pixelUnshuffle(y, 2);
        assertArrayEquals(x.shape(), back.shape());
        assertArrayEquals(x.toArray(), back.toArray(), 0);
        Tensor z = gen.randn(9, 2, 2);
        assertArrayEquals(naiveShuffle(z.toArray(), 1, 1, 2, 2, 3), Resize.pixelShuffle(z, 3).toArray(), 0);
        GradCheck.gradcheck(t -> Resize.pixelShuffle(t[0], 2), gen.randn(1, 4, 2, 3));
        GradCheck.gradcheck(t -> Resize.pixelUnshuffle(t[0], 2), gen.randn(1, 1, 4, 2));
    }

    @Test
    void float32AgreesWithFloat64() {
        var gen = new Generator(6);
        Tensor x = gen.randn(2, 3, 5, 6), xf = x.to(DType.FLOAT32);
        for (Mode mode : new Mode[] {Mode.NEAREST, Mode.BILINEAR}) {
            Tensor yf = Resize.interpolate(xf, new int[] {9, 4}, mode);
            assertEquals(DType.FLOAT32, yf.dtype());
            assertArrayEquals(Resize.interpolate(x, new int[] {9, 4}, mode).toArray(), yf.toArray(), 1e-5);
        }
        assertArrayEquals(Resize.interpolate(x, new double[] {1.5}, Mode.BILINEAR, true).toArray(),
                Resize.interpolate(xf, new double[] {1.5}, Mode.BILINEAR, true).toArray(), 1e-5);
    }

    static void assertMessage(Runnable r, String... parts) {
        var e = assertThrows(IllegalArgumentException.class, r::run);
        for (String p : parts) assertTrue(e.getMessage().contains(p), e.getMessage() + " lacks " + p);
    }

    @Test
    void clearErrors() {
        Tensor x = Tensor.zeros(1, 2, 3, 4);
        assertMessage(() -> Resize.interpolate(x, new int[] {5}, Mode.LINEAR), "interpolate", "LINEAR", "[1, 2, 3, 4]");
        assertMessage(() -> Resize.interpolate(Tensor.zeros(1, 2, 3), new int[] {5}, Mode.BILINEAR), "BILINEAR", "[1, 2, 3]");
        assertMessage(() -> Resize.interpolate(x, new int[] {5, 6, 7}, Mode.BILINEAR), "size [5, 6, 7]");
        assertMessage(() -> Resize.interpolate(x, new int[] {5}, Mode.NEAREST, true), "alignCorners");
        assertMessage(() -> Resize.interpolate(Tensor.zeros(2, 3), new int[] {5}, Mode.AREA), "AREA", "[2, 3]");
        assertMessage(() -> Resize.interpolate(x, 0.1, Mode.NEAREST), "scaleFactor", "output size 0");
        assertMessage(() -> Resize.pixelShuffle(Tensor.zeros(1, 6, 2, 2), 2), "pixelShuffle", "[1, 6, 2, 2]");
        assertMessage(() -> Resize.pixelUnshuffle(Tensor.zeros(1, 1, 3, 4), 2), "pixelUnshuffle", "[1, 1, 3, 4]");
    }
}
