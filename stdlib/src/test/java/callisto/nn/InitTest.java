package callisto.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import callisto.tensor.DType;
import callisto.tensor.Generator;
import callisto.tensor.Tensor;

import org.junit.jupiter.api.Test;

class InitTest {
    static final DType F64 = DType.FLOAT64;

    /**
     * Checks the sample mean within 5 standard errors of {@code mean} and the sample variance within 3 % of
     * {@code variance} (60,000 draws put the variance's own relative error near 0.6 % even for a Gaussian), and
     * every value within ±bound when a bound is given.
     */
    static void assertStats(Tensor t, double mean, double variance, double bound) {
        double[] v = t.toArray();
        double m = 0, s = 0;
        for (double x : v) m += x;
        m /= v.length;
        for (double x : v) s += (x - m) * (x - m);
        s /= v.length - 1;
        assertEquals(mean, m, 5 * Math.sqrt(variance / v.length), "mean");
        assertEquals(variance, s, 0.03 * variance, "variance");
        if (bound > 0) for (double x : v) assertTrue(Math.abs(x - mean) <= bound, "value " + x + " beyond " + bound);
    }

    @Test
    void uniformNormalConstant() {
        var g = new Generator(1);
        assertStats(Init.uniform(Tensor.zeros(F64, 200, 300), -1, 3, g), 1, 16.0 / 12, 2);
        assertStats(Init.normal(Tensor.zeros(F64, 200, 300), 0.5, 2, g), 0.5, 4, 0);
        Tensor c = Init.constant(Tensor.zeros(F64, 2, 2).requiresGrad(true), 1.5);
        assertArrayEquals(new double[] {1.5, 1.5, 1.5, 1.5}, c.toArray());
        assertTrue(c.requiresGrad(), "filling a parameter keeps it a parameter");
        Tensor f = Init.uniform(Tensor.zeros(DType.FLOAT32, 3), 0, 1, g);
        assertEquals(DType.FLOAT32, f.dtype());
        assertArrayEquals(Init.normal(Tensor.zeros(F64, 5), 0, 1, new Generator(4)).toArray(),
                Init.normal(Tensor.zeros(F64, 5), 0, 1, new Generator(4)).toArray(), 0);
        assertThrows(IllegalArgumentException.class, () -> Init.uniform(Tensor.zeros(3), 1, 1, g));
    }

    @Test
    void fansAndGains() {
        assertArrayEquals(new int[] {4 * 9, 8 * 9}, Init.fans(Tensor.zeros(8, 4, 3, 3)));
        assertArrayEquals(new int[] {3, 5}, Init.fans(Tensor.zeros(5, 3)));
        var e = assertThrows(IllegalArgumentException.class, () -> Init.fans(Tensor.zeros(5)));
        assertTrue(e.getMessage().contains("[5]"));
        assertEquals(Math.sqrt(2), Init.calculateGain("relu"), 1e-15);
        assertEquals(5.0 / 3, Init.calculateGain("tanh"), 1e-15);
        assertEquals(1, Init.calculateGain("linear"));
        assertEquals(Math.sqrt(2 / (1 + 0.04)), Init.calculateGain("leaky_relu", 0.2), 1e-15);
        assertThrows(IllegalArgumentException.class, () -> Init.calculateGain("swish"));
    }

    @Test
    void xavierVarianceIsTwoOverFanSum() {
        var g = new Generator(2);
        double fanSum = 300 + 200;
        assertStats(Init.xavierUniform(Tensor.zeros(F64, 200, 300), g), 0, 2 / fanSum, Math.sqrt(6 / fanSum));
        assertStats(Init.xavierUniform(Tensor.zeros(F64, 200, 300), 2, g), 0, 8 / fanSum, 2 * Math.sqrt(6 / fanSum));
        assertStats(Init.xavierNormal(Tensor.zeros(F64, 200, 300), g), 0, 2 / fanSum, 0);
    }

    @Test
    void kaimingVarianceIsGainSquaredOverFan() {
        var g = new Generator(3);
        // conv-shaped: fan in 20 · 9 = 180, fan out 40 · 9 = 360; 40 · 20 · 9 · 9 = 64,800 draws
        int[] shape = {40, 20, 9, 9};
        double fanIn = 20 * 81, fanOut = 40 * 81;
        assertStats(Init.kaimingUniform(Tensor.zeros(F64, shape), g), 0, 2 / fanIn, Math.sqrt(6 / fanIn));
        assertStats(Init.kaimingUniform(Tensor.zeros(F64, shape), 0, "fan_out", "relu", g), 0, 2 / fanOut, Math.sqrt(6 / fanOut));
        assertStats(Init.kaimingUniform(Tensor.zeros(F64, shape), 0.3, "fan_in", "leaky_relu", g), 0,
                2 / (1 + 0.09) / fanIn, Math.sqrt(6 / (1 + 0.09) / fanIn));
        assertStats(Init.kaimingNormal(Tensor.zeros(F64, shape), 0, "fan_in", "tanh", g), 0, 25.0 / 9 / fanIn, 0);
        assertStats(Init.kaimingNormal(Tensor.zeros(F64, shape), 0, "fan_out", "linear", g), 0, 1 / fanOut, 0);
        assertStats(Init.kaimingNormal(Tensor.zeros(F64, shape), g), 0, 2 / fanIn, 0);
        var e = assertThrows(IllegalArgumentException.class, () -> Init.kaimingNormal(Tensor.zeros(3, 3), 0, "fan_avg", "relu", g));
        assertTrue(e.getMessage().contains("fan_avg"));
    }

    /** a aᵀ ([r, r]) of a row-major [r, c] matrix. */
    static double[] gram(double[] a, int r, int c) {
        double[] out = new double[r * r];
        for (int i = 0; i < r; i++) for (int j = 0; j < r; j++) for (int k = 0; k < c; k++) out[i * r + j] += a[i * c + k] * a[j * c + k];
        return out;
    }

    static double[] transpose(double[] a, int r, int c) {
        double[] t = new double[a.length];
        for (int i = 0; i < r; i++) for (int j = 0; j < c; j++) t[j * r + i] = a[i * c + j];
        return t;
    }

    static double[] eye(int n, double scale) {
        double[] e = new double[n * n];
        for (int i = 0; i < n; i++) e[i * n + i] = scale;
        return e;
    }

    @Test
    void orthogonalGivesOrthonormalColumnsOrRows() {
        var g = new Generator(5);
        double[] tall = Init.orthogonal(Tensor.zeros(F64, 7, 4), g).toArray();
        assertArrayEquals(eye(4, 1), gram(transpose(tall, 7, 4), 4, 7), 1e-13); // WᵀW = I
        double[] wide = Init.orthogonal(Tensor.zeros(F64, 3, 5), g).toArray();
        assertArrayEquals(eye(3, 1), gram(wide, 3, 5), 1e-13); // W Wᵀ = I
        double[] square = Init.orthogonal(Tensor.zeros(F64, 6, 6), 2, g).toArray();
        assertArrayEquals(eye(6, 4), gram(transpose(square, 6, 6), 6, 6), 1e-12);
        assertArrayEquals(eye(6, 4), gram(square, 6, 6), 1e-12);
        double[] conv = Init.orthogonal(Tensor.zeros(F64, 4, 2, 3), g).toArray();
        assertArrayEquals(eye(4, 1), gram(conv, 4, 6), 1e-13);
        double[] f32 = Init.orthogonal(Tensor.zeros(DType.FLOAT32, 5, 5), g).toArray();
        assertArrayEquals(eye(5, 1), gram(f32, 5, 5), 1e-6);
        // Haar distribution: the entries of a random orthogonal n×n matrix have mean 0 and variance 1/n
        double sum = 0, sq = 0;
        int n = 40, reps = 40;
        for (int r = 0; r < reps; r++) {
            for (double v : Init.orthogonal(Tensor.zeros(F64, n, n), g).toArray()) {
                sum += v;
                sq += v * v;
            }
        }
        assertEquals(0, sum / (n * n * reps), 5 / Math.sqrt(n * n * reps * (double) n));
        assertEquals(1.0 / n, sq / (n * n * reps), 1e-12, "each row has unit norm, so the mean square is exactly 1/n");
        assertThrows(IllegalArgumentException.class, () -> Init.orthogonal(Tensor.zeros(3), g));
    }

    @Test
    void sirenBoundsFollowThePaper() {
        var g = new Generator(6);
        int in = 250;
        assertStats(Init.siren(Tensor.zeros(F64, 240, in), true, 30, g), 0, 1.0 / (in * in) / 3, 1.0 / in);
        double b = Math.sqrt(6.0 / in) / 30;
        assertStats(Init.siren(Tensor.zeros(F64, 240, in), false, 30, g), 0, b * b / 3, b);
    }
}
