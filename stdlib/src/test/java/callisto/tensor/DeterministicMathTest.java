package callisto.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * The vectorized transcendentals of {@link VecMath} (through {@link Simd#unary}): accuracy against StrictMath
 * (and against 50-digit BigDecimal series for the double exp, expm1 and tanh), special values, the same bits for
 * an element wherever it falls in an array (vector body or masked tail), and the same bits interpreted, compiled,
 * and in a child JVM running with {@code -Xint}.
 */
class DeterministicMathTest {
    private static final int[] CODES = {Simd.EXP, Simd.LOG, Simd.SIN, Simd.COS, Simd.TANH, Simd.LOG1P, Simd.EXPM1};
    private static final String[] NAMES = {"neg", "exp", "log", "sin", "cos", "tanh", "sqrt", "log1p", "expm1"};

    private static DoubleUnaryOperator strict(int code) {
        return switch (code) {
            case Simd.EXP -> StrictMath::exp;
            case Simd.LOG -> StrictMath::log;
            case Simd.SIN -> StrictMath::sin;
            case Simd.COS -> StrictMath::cos;
            case Simd.TANH -> StrictMath::tanh;
            case Simd.LOG1P -> StrictMath::log1p;
            case Simd.EXPM1 -> StrictMath::expm1;
            default -> throw new AssertionError(code);
        };
    }

    /** Worst allowed double error against StrictMath, whose own error is up to 1 ulp (2.5 for tanh, by its spec). */
    private static double doubleTolerance(int code) {
        return switch (code) {
            case Simd.TANH -> 4;
            case Simd.EXPM1 -> 3;
            default -> 2;
        };
    }

    /** Special values, the edges of each function's range, and dense and random sweeps of its domain. */
    private static double[] inputs(int code, long seed, int n) {
        var rnd = new SplittableRandom(seed);
        List<Double> v = new ArrayList<>(List.of(Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 0.0, -0.0,
                1.0, -1.0, 0.5, -0.5, 1e-300, -1e-300, 1e-40, -1e-40, Double.MIN_VALUE, -Double.MIN_VALUE, 0x1p-149, 0x1p-126,
                88.7, 88.73, 89.0, -87.3, -100.0, -103.9, -104.0, -110.0, 709.7, 709.8, -745.0, -746.0, 1e5, -1e5, 3e5, 1e9, 1e300,
                -17.5, -18.0, -19.0, -37.0, -40.0, 20.0, -20.0, 9.0, 0.25, 0.3466, 0.3467, -0.3466, -0.3467, 0.6931, 0.6932,
                Math.PI / 4, Math.PI / 2, Math.PI, 0x1p17, 0x1p17 + 1, 0x1p28, -1 + 1e-7, -1 + 1e-15, -0.9999));
        for (int i = 0; i < n; i++) {
            double u = rnd.nextDouble();
            double x = switch (i % 5) {
                case 0 -> -120 + 240 * (double) i / n; // dense sweep
                case 1 -> (rnd.nextBoolean() ? 1 : -1) * Math.pow(10, -45 + 50 * u); // every magnitude
                case 2 -> rnd.nextGaussian() * 3;
                case 3 -> rnd.nextGaussian() * 1e-3;
                default -> (rnd.nextBoolean() ? 1 : -1) * Math.pow(10, -8 + 18 * u);
            };
            if (code == Simd.LOG1P && x < -1) x = -1 + (-1 - x) % 1;
            if (code == Simd.LOG && x < 0 && i % 10 != 4) x = -x;
            v.add(x);
        }
        double[] out = new double[v.size()];
        for (int i = 0; i < out.length; i++) out[i] = v.get(i);
        return out;
    }

    private static float[] toFloats(double[] x) {
        float[] f = new float[x.length];
        for (int i = 0; i < x.length; i++) f[i] = (float) x[i];
        return f;
    }

    @Test
    void floatFunctionsAreWithinTwoUlpsOfStrictMath() {
        for (int code : CODES) {
            float[] x = toFloats(inputs(code, 11 + code, 300_000));
            float[] got = new float[x.length];
            Simd.unary(code, x, got, x.length);
            double worst = 0, at = 0;
            for (int i = 0; i < x.length; i++) {
                double exact = strict(code).applyAsDouble(x[i]); // a double result, exact at float precision
                float rounded = (float) exact;
                String where = NAMES[code] + "(" + x[i] + ") = " + got[i] + ", StrictMath gives " + exact;
                if (Double.isNaN(exact)) assertTrue(Float.isNaN(got[i]), where);
                else if (Float.isInfinite(rounded) || exact == 0) assertEquals(0, Float.compare(rounded, got[i]), where);
                else {
                    double ulps = Math.abs(got[i] - exact) / Math.ulp(rounded == 0 ? Float.MIN_VALUE : rounded);
                    if (ulps > worst) {
                        worst = ulps;
                        at = x[i];
                    }
                }
            }
            assertTrue(worst <= 2, NAMES[code] + " float32: worst error " + worst + " ulps at x = " + at);
        }
    }

    @Test
    void doubleFunctionsAreWithinAFewUlpsOfStrictMath() {
        for (int code : CODES) {
            double[] x = inputs(code, 17 + code, 300_000);
            double[] got = new double[x.length];
            Simd.unary(code, x, got, x.length);
            double worst = 0, at = 0;
            for (int i = 0; i < x.length; i++) {
                double ref = strict(code).applyAsDouble(x[i]);
                String where = NAMES[code] + "(" + x[i] + ") = " + got[i] + ", StrictMath gives " + ref;
                if (Double.isNaN(ref)) assertTrue(Double.isNaN(got[i]), where);
                else if (Double.isInfinite(ref) || ref == 0) assertEquals(0, Double.compare(ref, got[i]), where);
                else {
                    double ulps = Math.abs(got[i] - ref) / Math.ulp(ref);
                    if (ulps > worst) {
                        worst = ulps;
                        at = x[i];
                    }
                }
            }
            assertTrue(worst <= doubleTolerance(code), NAMES[code] + " float64: worst error " + worst + " ulps at x = " + at);
        }
    }

    private static final MathContext MC = new MathContext(50);

    private static BigDecimal expSeries(BigDecimal x) {
        BigDecimal sum = BigDecimal.ONE, term = BigDecimal.ONE;
        for (int k = 1; term.abs().compareTo(new BigDecimal("1e-45")) > 0 || k < 5; k++) {
            term = term.multiply(x, MC).divide(BigDecimal.valueOf(k), MC);
            sum = sum.add(term, MC);
        }
        return sum;
    }

    /** Independent of StrictMath: e^x − 1 and tanh against a 50-digit Taylor series of e^x, on |x| ≤ 5. */
    @Test
    void doubleExpm1AndTanhAreWithinTwoUlpsOfTheTrueValue() {
        var rnd = new SplittableRandom(5);
        int n = 3000;
        double[] x = new double[n];
        for (int i = 0; i < n; i++) x[i] = i % 2 == 0 ? rnd.nextDouble(-5, 5) : rnd.nextDouble(-1, 1) * Math.pow(10, -rnd.nextInt(12));
        double[] em1 = new double[n], th = new double[n], ex = new double[n];
        Simd.unary(Simd.EXPM1, x, em1, n);
        Simd.unary(Simd.TANH, x, th, n);
        Simd.unary(Simd.EXP, x, ex, n);
        for (int i = 0; i < n; i++) {
            BigDecimal e = expSeries(new BigDecimal(x[i]));
            BigDecimal m1 = e.subtract(BigDecimal.ONE, MC), e2 = expSeries(new BigDecimal(2 * x[i]));
            BigDecimal t = e2.subtract(BigDecimal.ONE, MC).divide(e2.add(BigDecimal.ONE, MC), MC);
            assertUlps(e, ex[i], 2, "exp", x[i]);
            assertUlps(m1, em1[i], 2, "expm1", x[i]);
            assertUlps(t, th[i], 2, "tanh", x[i]);
        }
    }

    private static void assertUlps(BigDecimal exact, double got, double tol, String name, double x) {
        double ulps = exact.subtract(new BigDecimal(got), MC).abs().doubleValue() / Math.ulp(exact.doubleValue());
        assertTrue(ulps <= tol, name + "(" + x + ") = " + got + " is " + ulps + " ulps from " + exact);
    }

    @Test
    void specialValuesFollowIeee() {
        float nan = Float.NaN, inf = Float.POSITIVE_INFINITY;
        float[][] cases = { // code, x, expected[, 1 where float32 only]
                {Simd.EXP, -inf, 0f}, {Simd.EXP, inf, inf}, {Simd.EXP, 0f, 1f}, {Simd.EXP, -0f, 1f}, {Simd.EXP, 89f, inf, 1}, {Simd.EXP, -105f, 0f, 1}, {Simd.EXP, 710f, inf}, {Simd.EXP, -746f, 0f},
                {Simd.LOG, 0f, -inf}, {Simd.LOG, -0f, -inf}, {Simd.LOG, -1f, nan}, {Simd.LOG, inf, inf}, {Simd.LOG, 1f, 0f}, {Simd.LOG, -inf, nan},
                {Simd.SIN, -0f, -0f}, {Simd.SIN, 0f, 0f}, {Simd.SIN, inf, nan}, {Simd.SIN, -inf, nan}, {Simd.COS, 0f, 1f}, {Simd.COS, inf, nan},
                {Simd.TANH, -0f, -0f}, {Simd.TANH, inf, 1f}, {Simd.TANH, -inf, -1f}, {Simd.TANH, 30f, 1f}, {Simd.TANH, -1e-40f, -1e-40f},
                {Simd.LOG1P, -0f, -0f}, {Simd.LOG1P, -1f, -inf}, {Simd.LOG1P, -2f, nan}, {Simd.LOG1P, inf, inf}, {Simd.LOG1P, 1e-30f, 1e-30f},
                {Simd.EXPM1, -0f, -0f}, {Simd.EXPM1, -inf, -1f}, {Simd.EXPM1, inf, inf}, {Simd.EXPM1, 1e-30f, 1e-30f}, {Simd.EXPM1, 100f, inf, 1}, {Simd.EXPM1, 710f, inf}, {Simd.EXPM1, -50f, -1f},
        };
        for (float[] c : cases) {
            int code = (int) c[0];
            for (float x : new float[]{c[1], nan}) {
                float expected = x != x ? nan : c[2];
                float[] in = new float[37];
                Arrays.fill(in, x);
                float[] f = new float[37];
                Simd.unary(code, in, f, 37);
                double[] d = new double[37];
                Simd.unary(code, toDoubles(in), d, 37);
                for (int i = 0; i < 37; i++) {
                    assertEquals(Float.floatToIntBits(expected), Float.floatToIntBits(f[i]), NAMES[code] + "(" + x + ") in float32 at " + i);
                    if (c.length == 3 || x != x) {
                        assertEquals(Double.doubleToLongBits(expected), Double.doubleToLongBits(d[i]), NAMES[code] + "(" + x + ") in float64 at " + i);
                    }
                }
            }
        }
        // gradual underflow: subnormal results are rounded once, not flushed
        float[] sub = new float[1];
        Simd.unary(Simd.EXP, new float[]{-100f}, sub, 1);
        assertEquals((float) StrictMath.exp(-100), sub[0], Float.MIN_VALUE);
        assertTrue(sub[0] > 0);
        double[] subD = new double[1];
        Simd.unary(Simd.EXP, new double[]{-740}, subD, 1);
        assertEquals(StrictMath.exp(-740), subD[0], Double.MIN_VALUE * 2);
        Simd.unary(Simd.LOG, new double[]{Double.MIN_VALUE}, subD, 1);
        assertEquals(StrictMath.log(Double.MIN_VALUE), subD[0], Math.ulp(subD[0]));
    }

    private static double[] toDoubles(float[] x) {
        double[] d = new double[x.length];
        for (int i = 0; i < x.length; i++) d[i] = x[i];
        return d;
    }

    /** An element's bits do not depend on whether it falls in a full vector or in the masked tail, nor where. */
    @Test
    void everyElementGetsTheSameBitsWhereverItFalls() {
        for (int code : CODES) {
            double[] xd = inputs(code, 3, 300);
            float[] xf = toFloats(xd);
            int n = xd.length;
            double[] whole = new double[n];
            float[] wholeF = new float[n];
            Simd.unary(code, xd, whole, n);
            Simd.unary(code, xf, wholeF, n);
            for (int shift = 1; shift <= 17; shift += 4) {
                double[] sd = new double[n + shift], od = new double[n + shift];
                float[] sf = new float[n + shift], of = new float[n + shift];
                System.arraycopy(xd, 0, sd, shift, n);
                System.arraycopy(xf, 0, sf, shift, n);
                Simd.unary(code, sd, od, n + shift);
                Simd.unary(code, sf, of, n + shift);
                for (int i = 0; i < n; i++) {
                    assertEquals(Double.doubleToRawLongBits(whole[i]), Double.doubleToRawLongBits(od[shift + i]), NAMES[code] + "(" + xd[i] + ") shifted by " + shift);
                    assertEquals(Float.floatToRawIntBits(wholeF[i]), Float.floatToRawIntBits(of[shift + i]), NAMES[code] + "(" + xf[i] + ") shifted by " + shift);
                }
            }
            for (int i = 0; i < n; i++) { // alone: the masked tail only
                double[] od = new double[1];
                float[] of = new float[1];
                Simd.unary(code, new double[]{xd[i]}, od, 1);
                Simd.unary(code, new float[]{xf[i]}, of, 1);
                assertEquals(Double.doubleToRawLongBits(whole[i]), Double.doubleToRawLongBits(od[0]), NAMES[code] + "(" + xd[i] + ") alone");
                assertEquals(Float.floatToRawIntBits(wholeF[i]), Float.floatToRawIntBits(of[0]), NAMES[code] + "(" + xf[i] + ") alone");
            }
        }
    }

    /** A 64-bit digest of every function's bits, float32 and float64, on fixed inputs; erf and gelu too. */
    static long[] digests() {
        long[] out = new long[2 * CODES.length + 2];
        int j = 0;
        for (int code : CODES) {
            double[] xd = inputs(code, 99, 997);
            double[] od = new double[xd.length];
            float[] xf = toFloats(xd), of = new float[xd.length];
            Simd.unary(code, xd, od, xd.length);
            Simd.unary(code, xf, of, xf.length);
            long h = 0, g = 0;
            for (int i = 0; i < od.length; i++) {
                h = h * 0x9E3779B97F4A7C15L + Double.doubleToRawLongBits(od[i]);
                g = g * 0x9E3779B97F4A7C15L + Float.floatToRawIntBits(of[i]);
            }
            out[j++] = h;
            out[j++] = g;
        }
        float[] x = toFloats(inputs(Simd.EXP, 7, 997));
        for (int i = 0; i < x.length; i++) if (!Float.isFinite(x[i])) x[i] = 0.5f;
        var t = Tensor.of(x, x.length);
        long h = 0, g = 0;
        for (float v : t.erf().toFloatArray()) h = h * 0x9E3779B97F4A7C15L + Float.floatToRawIntBits(v);
        for (float v : t.gelu().toFloatArray()) g = g * 0x9E3779B97F4A7C15L + Float.floatToRawIntBits(v);
        out[j++] = h;
        out[j] = g;
        return out;
    }

    /** Heavy warm-up (the JIT compiles the Vector API loops with intrinsics) changes no bit. */
    @Test
    void warmingUpTheJitChangesNoBits() {
        long[] before = digests();
        float[] xf = new float[67];
        double[] xd = new double[67];
        for (int i = 0; i < 67; i++) xd[i] = xf[i] = (float) (0.37 * i - 11);
        float[] of = new float[67];
        double[] od = new double[67];
        for (int rep = 0; rep < 20_000; rep++) {
            for (int code : CODES) {
                Simd.unary(code, xf, of, 67);
                Simd.unary(code, xd, od, 67);
            }
        }
        for (int rep = 0; rep < 200; rep++) digests();
        assertArrayEquals(before, digests());
    }

    /** The interpreter alone ({@code -Xint}: the Vector API's per-lane Java fallback) gives this JVM's bits. */
    @Test
    void anInterpretedJvmGivesTheSameBits() throws IOException, InterruptedException {
        String javaCmd = ProcessHandle.current().info().command().orElse("java");
        var pb = new ProcessBuilder(javaCmd, "-Xint", "--add-modules=jdk.incubator.vector", "-cp", System.getProperty("java.class.path"),
                Probe.class.getName());
        pb.redirectErrorStream(true);
        Process p = pb.start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), output);
        String line = output.lines().filter(l -> l.startsWith("digests ")).findFirst().orElse("none in: " + output);
        assertEquals("digests " + Arrays.toString(digests()), line);
    }

    /** Prints {@link #digests()} for the {@code -Xint} child JVM. */
    static final class Probe {
        public static void main(String[] args) {
            System.out.println("digests " + Arrays.toString(digests()));
        }
    }
}
