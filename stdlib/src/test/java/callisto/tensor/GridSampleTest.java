package callisto.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import callisto.tensor.GridSample.Mode;
import callisto.tensor.GridSample.Padding;
import java.util.SplittableRandom;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class GridSampleTest {
    // ---- PyTorch's CPU grid sampler, written out per point

    static double sourceIndex(double coord, int size, Padding padding, boolean align) {
        double x = align ? (coord + 1) / 2 * (size - 1) : ((coord + 1) * size - 1) / 2;
        if (padding == Padding.BORDER) x = Math.min(size - 1, Math.max(x, 0));
        if (padding == Padding.REFLECTION) {
            x = align ? reflectCoordinates(x, 0, 2 * (size - 1)) : reflectCoordinates(x, -1, 2 * size - 1);
            x = Math.min(size - 1, Math.max(x, 0));
        }
        return x;
    }

    static double reflectCoordinates(double in, int twiceLow, int twiceHigh) {
        if (twiceLow == twiceHigh) return 0;
        double min = twiceLow / 2.0, span = (twiceHigh - twiceLow) / 2.0;
        in = Math.abs(in - min);
        double extra = in % span; // fmod
        int flips = (int) Math.floor(in / span);
        return flips % 2 == 0 ? extra + min : span - extra + min;
    }

    /** input [N, C, (D,) H, W] row-major, grid [N, points, s] row-major; returns [N, C, points]. */
    static double[] naive(double[] input, int[] shape, double[] grid, int points, Mode mode, Padding padding, boolean align) {
        int s = shape.length - 2, n = shape[0], c = shape[1];
        int w = shape[shape.length - 1], h = shape[shape.length - 2], d = s == 3 ? shape[2] : 1;
        double[] out = new double[n * c * points];
        for (int b = 0; b < n; b++) {
            for (int p = 0; p < points; p++) {
                double ix = sourceIndex(grid[(b * points + p) * s], w, padding, align);
                double iy = sourceIndex(grid[(b * points + p) * s + 1], h, padding, align);
                double iz = s == 3 ? sourceIndex(grid[(b * points + p) * s + 2], d, padding, align) : 0;
                for (int ch = 0; ch < c; ch++) {
                    double sum = 0;
                    if (mode == Mode.NEAREST) {
                        long x = (long) Math.rint(ix), y = (long) Math.rint(iy), z = (long) Math.rint(iz);
                        if (x >= 0 && x < w && y >= 0 && y < h && z >= 0 && z < d) sum = input[(((b * c + ch) * d + (int) z) * h + (int) y) * w + (int) x];
                    } else {
                        double x0 = Math.floor(ix), y0 = Math.floor(iy), z0 = Math.floor(iz);
                        for (int dz = 0; dz <= (s == 3 ? 1 : 0); dz++) {
                            for (int dy = 0; dy <= 1; dy++) {
                                for (int dx = 0; dx <= 1; dx++) {
                                    double x = x0 + dx, y = y0 + dy, z = z0 + dz;
                                    double wt = (dx == 1 ? ix - x0 : x0 + 1 - ix) * (dy == 1 ? iy - y0 : y0 + 1 - iy)
                                            * (s == 3 ? (dz == 1 ? iz - z0 : z0 + 1 - iz) : 1);
                                    if (x >= 0 && x < w && y >= 0 && y < h && z >= 0 && z < d) {
                                        sum += wt * input[(((b * c + ch) * d + (int) z) * h + (int) y) * w + (int) x];
                                    }
                                }
                            }
                        }
                    }
                    out[(b * c + ch) * points + p] = sum;
                }
            }
        }
        return out;
    }

    /** Normalized coordinates whose source index stays a margin away from every kink of the sampler. */
    static Tensor safeGrid(long seed, int[] inputShape, int[] gridShape, Padding padding, boolean align) {
        var random = new SplittableRandom(seed);
        int s = gridShape[gridShape.length - 1];
        double[] g = new double[Shape.size(gridShape)];
        for (int i = 0; i < g.length; i++) {
            int size = inputShape[inputShape.length - 1 - i % s];
            double frac = random.nextDouble(0.15, 0.85), f;
            if (padding == Padding.ZEROS) {
                f = random.nextInt(-1, size) + frac; // partly outside: some corners read the zero padding
            } else {
                f = random.nextInt(0, size - 1) + frac;
                if (padding == Padding.BORDER && random.nextInt(3) == 0) f = random.nextBoolean() ? -0.3 - frac : size - 0.7 + frac;
                if (padding == Padding.REFLECTION) {
                    double low = align ? 0 : -0.5, high = align ? size - 1 : size - 0.5;
                    int pick = random.nextInt(3); // a mirror image outside maps back to f
                    f = pick == 0 ? f : pick == 1 ? 2 * low - f : 2 * high - f;
                }
            }
            g[i] = align ? f / (size - 1) * 2 - 1 : (2 * f + 1) / size - 1;
        }
        return Tensor.of(g, gridShape);
    }

    private static void compare(Tensor input, Tensor grid, Mode mode, Padding padding, boolean align) {
        int s = input.dim() - 2, points = grid.numel() / s / grid.size(0);
        double[] expected = naive(input.toArray(), input.shape(), grid.toArray(), points, mode, padding, align);
        String what = mode + " " + padding + " align " + align;
        Tensor fused = GridSample.gridSample(input, grid, mode, padding, align);
        assertArrayEquals(expected, fused.toArray(), 1e-12, what + " (fused)");
        Tensor traced = GridSample.gridSample(Tensor.of(input.toArray(), input.shape()).requiresGrad(true), grid, mode, padding, align);
        assertArrayEquals(expected, traced.toArray(), 1e-12, what + " (traced)");
        int[] outShape = fused.shape();
        assertEquals(input.size(0), outShape[0]);
        assertEquals(input.size(1), outShape[1]);
        Tensor f32 = GridSample.gridSample(input.to(DType.FLOAT32), grid.to(DType.FLOAT32), mode, padding, align);
        assertEquals(DType.FLOAT32, f32.dtype());
        assertArrayEquals(expected, f32.toArray(), 2e-5, what + " (float32)");
        Tensor t32 = GridSample.gridSample(input.to(DType.FLOAT32).requiresGrad(true), grid.to(DType.FLOAT32), mode, padding, align);
        assertArrayEquals(expected, t32.toArray(), 2e-5, what + " (traced float32)");
    }

    @Test
    void sampling2dMatchesPyTorchsAlgorithm() {
        var g = new Generator(70);
        Tensor input = g.randn(2, 3, 4, 5);
        Tensor grid = g.uniform(-1.4, 1.4, 2, 3, 4, 2);
        for (Mode mode : Mode.values()) {
            for (Padding padding : Padding.values()) {
                for (boolean align : new boolean[] {false, true}) compare(input, grid, mode, padding, align);
            }
        }
        compare(g.randn(1, 1, 1, 3), g.uniform(-3, 3, 1, 5, 1, 2), Mode.BILINEAR, Padding.REFLECTION, true); // a size-1 dim
        assertArrayEquals(new int[] {2, 3, 3, 4}, GridSample.gridSample(input, grid).shape());
    }

    @Test
    void sampling3dMatchesPyTorchsAlgorithm() {
        var g = new Generator(71);
        Tensor input = g.randn(2, 2, 3, 4, 5);
        Tensor grid = g.uniform(-1.3, 1.3, 2, 2, 3, 2, 3);
        for (Mode mode : Mode.values()) {
            for (Padding padding : Padding.values()) {
                for (boolean align : new boolean[] {false, true}) compare(input, grid, mode, padding, align);
            }
        }
    }

    @Test
    void gradientsInInputAndGrid2d() {
        var g = new Generator(72);
        Tensor input = g.randn(2, 2, 3, 4);
        int seed = 0;
        for (Padding padding : Padding.values()) {
            for (boolean align : new boolean[] {false, true}) {
                Tensor grid = safeGrid(seed++, input.shape(), new int[] {2, 2, 2, 2}, padding, align);
                Function<Tensor[], Tensor> f = t -> GridSample.gridSample(t[0], t[1], Mode.BILINEAR, padding, align).sin();
                GradCheck.gradcheck(f, input, grid);
                GradCheck.gradgradcheck(f, input, grid);
                Function<Tensor[], Tensor> nearest = t -> GridSample.gridSample(t[0].mul(t[0]), t[1], Mode.NEAREST, padding, align);
                GradCheck.gradcheck(nearest, input, grid);
                GradCheck.gradgradcheck(nearest, input, grid);
            }
        }
    }

    @Test
    void gradientsInInputAndGrid3d() {
        var g = new Generator(73);
        Tensor input = g.randn(1, 2, 2, 3, 3);
        int seed = 10;
        for (Padding padding : Padding.values()) {
            boolean align = padding == Padding.BORDER;
            Tensor grid = safeGrid(seed++, input.shape(), new int[] {1, 1, 2, 2, 3}, padding, align);
            Function<Tensor[], Tensor> f = t -> GridSample.gridSample(t[0], t[1], Mode.BILINEAR, padding, align).sin();
            GradCheck.gradcheck(f, input, grid);
            GradCheck.gradgradcheck(f, input, grid);
        }
    }

    @Test
    void duplicatePointsSumTheirGradients() {
        Tensor input = Tensor.zeros(1, 1, 2, 2).requiresGrad(true);
        Tensor grid = Tensor.zeros(1, 3, 1, 2); // three samples of the centre: a quarter from each pixel, thrice
        GridSample.gridSample(input, grid, Mode.BILINEAR, Padding.ZEROS, false).sum().backward();
        assertArrayEquals(new double[] {0.75, 0.75, 0.75, 0.75}, input.grad().toArray(), 1e-15);
    }

    /** torch.affine_grid by hand: theta times (x, y, [z,] 1) at the normalized pixel centres. */
    static double[] naiveAffine(double[] theta, int[] size, boolean align) {
        int s = size.length - 2, n = size[0];
        int[] spatial = java.util.Arrays.copyOfRange(size, 2, size.length);
        int points = Shape.size(spatial);
        double[] out = new double[n * points * s];
        for (int b = 0; b < n; b++) {
            for (int p = 0; p < points; p++) {
                double[] v = new double[s + 1];
                int rest = p;
                for (int k = 0; k < s; k++) { // k = 0 is x, the last (fastest) dim
                    int steps = spatial[s - 1 - k], i = rest % steps;
                    rest /= steps;
                    double lin = steps == 1 ? 0 : -1 + 2.0 * i / (steps - 1);
                    v[k] = align ? lin : lin * (steps - 1) / steps;
                }
                v[s] = 1;
                for (int r = 0; r < s; r++) {
                    double sum = 0;
                    for (int k = 0; k <= s; k++) sum += theta[(b * s + r) * (s + 1) + k] * v[k];
                    out[(b * points + p) * s + r] = sum;
                }
            }
        }
        return out;
    }

    @Test
    void affineGridMatchesLoopAndIdentityReproducesTheInput() {
        var g = new Generator(74);
        for (boolean align : new boolean[] {false, true}) {
            int[] size2 = {2, 3, 4, 5}, size3 = {2, 1, 3, 2, 4};
            Tensor theta2 = g.randn(2, 2, 3), theta3 = g.randn(2, 3, 4);
            Tensor grid2 = GridSample.affineGrid(theta2, size2, align);
            assertArrayEquals(new int[] {2, 4, 5, 2}, grid2.shape());
            assertArrayEquals(naiveAffine(theta2.toArray(), size2, align), grid2.toArray(), 1e-14);
            Tensor grid3 = GridSample.affineGrid(theta3, size3, align);
            assertArrayEquals(new int[] {2, 3, 2, 4, 3}, grid3.shape());
            assertArrayEquals(naiveAffine(theta3.toArray(), size3, align), grid3.toArray(), 1e-14);
            assertArrayEquals(naiveAffine(theta2.toArray(), size2, align), GridSample.affineGrid(theta2.to(DType.FLOAT32), size2, align).toArray(), 1e-5);
            GradCheck.gradcheck(t -> GridSample.affineGrid(t[0], new int[] {2, 1, 2, 3}, align).pow(3), theta2);
            GradCheck.gradgradcheck(t -> GridSample.affineGrid(t[0], new int[] {2, 1, 2, 3}, align).pow(3), theta2);
            GradCheck.gradcheck(t -> GridSample.affineGrid(t[0], new int[] {2, 1, 2, 2, 2}, align).pow(3), theta3);
            GradCheck.gradgradcheck(t -> GridSample.affineGrid(t[0], new int[] {2, 1, 2, 2, 2}, align).pow(3), theta3);

            Tensor image = g.randn(2, 3, 4, 5);
            Tensor identity = Tensor.of(new double[] {1, 0, 0, 0, 1, 0, 1, 0, 0, 0, 1, 0}, 2, 2, 3);
            Tensor back = GridSample.gridSample(image, GridSample.affineGrid(identity, image.shape(), align), Mode.BILINEAR, Padding.ZEROS, align);
            assertArrayEquals(image.toArray(), back.toArray(), 1e-12);
        }
    }

    @Test
    void deterministicBits() {
        var g = new Generator(75);
        Tensor input = g.randn(1, 4, 16, 16).requiresGrad(true), grid = g.uniform(-1, 1, 1, 8, 8, 2).requiresGrad(true);
        double[][] runs = new double[2][];
        for (int r = 0; r < 2; r++) {
            Tensor out = GridSample.gridSample(input, grid, Mode.BILINEAR, Padding.REFLECTION, false);
            var grads = Autograd.grad(java.util.List.of(out.pow(2).sum()), java.util.List.of(input, grid), null, false, false, false);
            runs[r] = java.util.stream.DoubleStream.concat(java.util.stream.DoubleStream.of(out.toArray()),
                    java.util.stream.DoubleStream.concat(java.util.stream.DoubleStream.of(grads.get(0).toArray()),
                            java.util.stream.DoubleStream.of(grads.get(1).toArray()))).toArray();
        }
        assertArrayEquals(runs[0], runs[1], 0);
    }

    @Test
    void clearErrors() {
        Tensor input = Tensor.zeros(2, 3, 4, 5);
        var e = assertThrows(IllegalArgumentException.class, () -> GridSample.gridSample(input, Tensor.zeros(2, 3, 3, 3)));
        assertTrue(e.getMessage().contains("[2, 3, 3, 3]") && e.getMessage().contains("[2, 3, 4, 5]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> GridSample.gridSample(input, Tensor.zeros(1, 3, 3, 2)));
        assertTrue(e.getMessage().contains("[1, 3, 3, 2]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> GridSample.gridSample(Tensor.zeros(3, 4, 5), Tensor.zeros(3, 1, 1, 2)));
        assertTrue(e.getMessage().contains("[3, 4, 5]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> GridSample.gridSample(input, Tensor.zeros(DType.FLOAT32, 2, 1, 1, 2)));
        assertTrue(e.getMessage().contains("float32") && e.getMessage().contains("float64"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> GridSample.affineGrid(Tensor.zeros(2, 3, 3), new int[] {2, 1, 4, 4}, false));
        assertTrue(e.getMessage().contains("[2, 3, 3]") && e.getMessage().contains("[2, 2, 3]"), e.getMessage());
    }
}
