package callisto.tensor;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API loops for the elementwise maths and reductions. The species are static final constants and each
 * operator is a constant in its own switch arm: the Vector API runs ~20x slower when either is not.
 */
final class Simd {
    static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    static final VectorSpecies<Double> D = DoubleVector.SPECIES_PREFERRED;

    /**
     * erf of float32 values in float lanes: below 1 the odd polynomial |x|·Σ taylor[k] x^{2k}; above,
     * 1 − t·e^{−x² + P(t)} with t = 1/(1 + |x|/2) and P from its Chebyshev coefficients {@code tail}
     * ({@link Kernels}); the sign of x; NaN stays NaN. Within 2.5 ulps of erf (float arithmetic throughout, for speed).
     */
    static void erf(float[] x, float[] o, int n, double[] taylor, double[] tail) {
        int i = 0;
        for (int up = F.loopBound(n); i < up; i += F.length()) erf(FloatVector.fromArray(F, x, i), taylor, tail).intoArray(o, i);
        for (; i < n; i++) o[i] = (float) Kernels.erf(x[i]);
    }

    /** GELU, x Φ(x) = x (1 + erf(x/√2)) / 2, in one pass over float32 values. */
    static void gelu(float[] x, float[] o, int n, double[] taylor, double[] tail) {
        int i = 0;
        for (int up = F.loopBound(n); i < up; i += F.length()) {
            var v = FloatVector.fromArray(F, x, i);
            erf(v.mul((float) Math.sqrt(0.5)), taylor, tail).add(1f).mul(v).mul(0.5f).intoArray(o, i);
        }
        for (; i < n; i++) o[i] = (float) (0.5 * x[i] * (1 + Kernels.erf(x[i] * Math.sqrt(0.5))));
    }

    /** GELU's VJP g·(Φ(x) + x φ(x)) in one pass over float32 values. */
    static void geluGrad(float[] x, float[] g, float[] o, int n, double[] taylor, double[] tail) {
        int i = 0;
        float c = (float) (1 / Math.sqrt(2 * Math.PI));
        for (int up = F.loopBound(n); i < up; i += F.length()) {
            var v = FloatVector.fromArray(F, x, i);
            var cdf = erf(v.mul((float) Math.sqrt(0.5)), taylor, tail).add(1f).mul(0.5f);
            var pdf = exp(v.mul(v).mul(-0.5f)).mul(c);
            v.fma(pdf, cdf).mul(FloatVector.fromArray(F, g, i)).intoArray(o, i);
        }
        for (; i < n; i++) {
            double v = x[i];
            o[i] = (float) (g[i] * (0.5 * (1 + Kernels.erf(v * Math.sqrt(0.5))) + v * Math.exp(-0.5 * v * v) * c));
        }
    }

    private static FloatVector erf(FloatVector v, double[] taylor, double[] tail) {
        var ax = v.abs();
        var x2 = ax.mul(ax);
        var p = FloatVector.broadcast(F, (float) taylor[taylor.length - 1]);
        for (int k = taylor.length - 2; k >= 0; k--) p = p.fma(x2, FloatVector.broadcast(F, (float) taylor[k]));
        var small = p.mul(ax);
        var t = FloatVector.broadcast(F, 1f).div(ax.mul(0.5f).add(1f));
        var s = t.add(t).sub(1f);
        var s2 = s.add(s);
        var b1 = FloatVector.zero(F);
        var b2 = FloatVector.zero(F);
        for (int k = tail.length - 1; k >= 1; k--) {
            var b0 = s2.fma(b1, FloatVector.broadcast(F, (float) tail[k])).sub(b2);
            b2 = b1;
            b1 = b0;
        }
        var exponent = s.fma(b1, FloatVector.broadcast(F, (float) (tail[0] / 2))).sub(b2).sub(x2);
        var large = t.mul(exp(exponent)).neg().add(1f);
        var r = large.blend(small, ax.compare(VectorOperators.LT, 1f));
        return r.blend(r.neg(), v.compare(VectorOperators.LT, 0f));
    }

    // exp in float lanes: x = k·ln 2 + r with |r| <= ln 2 / 2, e^r by its Taylor series to r^7 (truncation below
    // 1e-8 relative), then 2^k in two exact power-of-two factors so that denormal results and overflow come out of
    // the last product. ln 2 is split so k·LN2_HI is exact for |k| <= 150.
    static final float EXP_LOG2E = 1.44269504f, EXP_LN2_HI = 0.693359375f, EXP_LN2_LO = -2.12194440e-4f;
    /** 1.5·2^23: adding it rounds a float of magnitude below 2^22 to an integer held in the low mantissa bits. */
    static final float EXP_ROUND = 12582912f;
    static final int EXP_ROUND_BITS = Float.floatToRawIntBits(EXP_ROUND);
    static final float EXP_MIN = -104f, EXP_MAX = 89f;
    /** 1/k! for k = 6 down to 0: the Horner steps after the leading 1/7!. */
    private static final float[] EXP_TAYLOR = {1f / 720, 1f / 120, 1f / 24, 1f / 6, 0.5f, 1f, 1f};

    /**
     * e^x in float32 lanes, within 2 ulps, from IEEE add, mul, fma, min/max and integer bit operations only. The
     * Vector API's {@code lanewise(EXP)} is not used because its result differs in the last bit between the
     * interpreter's fallback and the JIT's intrinsic, so a training run changed with the moment its loops were
     * compiled (two runs of one seeded notebook disagreed). {@link #expScalar} is the same computation on one float.
     */
    static FloatVector exp(FloatVector x) {
        var xc = x.max(EXP_MIN).min(EXP_MAX); // NaN stays NaN
        var t = xc.mul(EXP_LOG2E).add(EXP_ROUND);
        var k = t.sub(EXP_ROUND);
        var r = k.fma(FloatVector.broadcast(F, -EXP_LN2_LO), k.fma(FloatVector.broadcast(F, -EXP_LN2_HI), xc));
        var p = FloatVector.broadcast(F, 1f / 5040);
        for (float c : EXP_TAYLOR) p = p.fma(r, FloatVector.broadcast(F, c));
        IntVector ki = (IntVector) t.reinterpretAsInts().sub(EXP_ROUND_BITS);
        IntVector k1 = ki.lanewise(VectorOperators.ASHR, 1), k2 = ki.sub(k1);
        var s1 = k1.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
        var s2 = k2.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
        return p.mul(s1).mul(s2);
    }

    /** {@link #exp(FloatVector)} on one value, operation for operation (the reference its tests compare with). */
    static float expScalar(float x) {
        float xc = Math.min(Math.max(x, EXP_MIN), EXP_MAX);
        float t = xc * EXP_LOG2E + EXP_ROUND;
        float k = t - EXP_ROUND;
        float r = Math.fma(k, -EXP_LN2_LO, Math.fma(k, -EXP_LN2_HI, xc));
        float p = 1f / 5040;
        for (float c : EXP_TAYLOR) p = Math.fma(p, r, c);
        int ki = Float.floatToRawIntBits(t) - EXP_ROUND_BITS, k1 = ki >> 1, k2 = ki - k1;
        return p * Float.intBitsToFloat((k1 + 127) << 23) * Float.intBitsToFloat((k2 + 127) << 23);
    }

    static final int NEG = 0, EXP = 1, LOG = 2, SIN = 3, COS = 4, TANH = 5, SQRT = 6, LOG1P = 7, EXPM1 = 8;

    private Simd() {
    }

    /**
     * {@code out[i] = op(x[i])}. Each op has a loop of its own, so its vector operator is a constant where the
     * JIT compiles it: one shared loop saw its profile change with every new op, deoptimized, and ran the Vector
     * API's slow fallback for a while (10–30× slower) each time.
     */
    static void unary(int code, float[] x, float[] out, int n) {
        int done = switch (code) {
            case NEG -> neg(x, out, n);
            case EXP -> exp(x, out, n);
            case LOG -> log(x, out, n);
            case SIN -> sin(x, out, n);
            case COS -> cos(x, out, n);
            case TANH -> tanh(x, out, n);
            case SQRT -> sqrt(x, out, n);
            case LOG1P -> log1p(x, out, n);
            case EXPM1 -> expm1(x, out, n);
            default -> throw new AssertionError(code);
        };
        for (int i = done; i < n; i++) out[i] = (float) scalar(code, x[i]);
    }

    static void unary(int code, double[] x, double[] out, int n) {
        int done = switch (code) {
            case NEG -> neg(x, out, n);
            case EXP -> exp(x, out, n);
            case LOG -> log(x, out, n);
            case SIN -> sin(x, out, n);
            case COS -> cos(x, out, n);
            case TANH -> tanh(x, out, n);
            case SQRT -> sqrt(x, out, n);
            case LOG1P -> log1p(x, out, n);
            case EXPM1 -> expm1(x, out, n);
            default -> throw new AssertionError(code);
        };
        for (int i = done; i < n; i++) out[i] = scalar(code, x[i]);
    }

    private static int neg(float[] x, float[] out, int n) {
        int i = 0;
        for (int up = F.loopBound(n); i < up; i += F.length()) {
            var v = FloatVector.fromArray(F, x, i);
            v.neg().intoArray(out, i);
        }
        return i;
    }

    private static int neg(double[] x, double[] out, int n) {
        int i = 0;
        for (int up = D.loopBound(n); i < up; i += D.length()) {
            var v = DoubleVector.fromArray(D, x, i);
            v.neg().intoArray(out, i);
        }
        return i;
    }

    private static int exp(float[] x, float[] out, int n) {
        int i = 0;
        for (int up = F.loopBound(n); i < up; i += F.length()) {
            var v = FloatVector.fromArray(F, x, i);
            exp(v).intoArray(out, i);
        }
        return i;
    }

    private static int exp(double[] x, double[] out, int n) {
        int i = 0;
        for (int up = D.loopBound(n); i < up; i += D.length()) {
            var v = DoubleVector.fromArray(D, x, i);
            v.lanewise(VectorOperators.EXP).intoArray(out, i);
        }
        return i;
    }

    private static int log(float[] x, float[] out, int n) {
        int i = 0;
        for (int up = F.loopBound(n); i < up; i += F.length()) {
            var v = FloatVector.fromArray(F, x, i);
            v.lanewise(VectorOperators.LOG).intoArray(out, i);
        }
        return i;
    }

    private static int log(double[] x, double[] out, int n) {
        int i = 0;
        for (int up = D.loopBound(n); i < up; i += D.length()) {
            var v = DoubleVector.fromArray(D, x, i);
            v.lanewise(VectorOperators.LOG).intoArray(out, i);
        }
        return i;
    }

    private static int sin(float[] x, float[] out, int n) {
        int i = 0;
        for (int up = F.loopBound(n); i < up; i += F.length()) {
            var v = FloatVector.fromArray(F, x, i);
            v.lanewise(VectorOperators.SIN).intoArray(out, i);
        }
        return i;
    }

    private static int sin(double[] x, double[] out, int n) {
        int i = 0;
        for (int up = D.loopBound(n); i < up; i += D.length()) {
            var v = DoubleVector.fromArray(D, x, i);
            v.lanewise(VectorOperators.SIN).intoArray(out, i);
        }
        return i;
    }

    private static int cos(float[] x, float[] out, int n) {
        int i = 0;
        for (int up = F.loopBound(n); i < up; i += F.length()) {
            var v = FloatVector.fromArray(F, x, i);
            v.lanewise(VectorOperators.COS).intoArray(out, i);
        }
        return i;
    }

    private static int cos(double[] x, double[] out, int n) {
        int i = 0;
        for (int up = D.loopBound(n); i < up; i += D.length()) {
            var v = DoubleVector.fromArray(D, x, i);
            v.lanewise(VectorOperators.COS).intoArray(out, i);
        }
        return i;
    }

    private static int tanh(float[] x, float[] out, int n) {
        int i = 0;
        for (int up = F.loopBound(n); i < up; i += F.length()) {
            var v = FloatVector.fromArray(F, x, i);
            tanh(v).intoArray(out, i);
        }
        return i;
    }

    private static int tanh(double[] x, double[] out, int n) {
        int i = 0;
        for (int up = D.loopBound(n); i < up; i += D.length()) {
            var v = DoubleVector.fromArray(D, x, i);
            v.lanewise(VectorOperators.TANH).intoArray(out, i);
        }
        return i;
    }

    private static int sqrt(float[] x, float[] out, int n) {
        int i = 0;
        for (int up = F.loopBound(n); i < up; i += F.length()) {
            var v = FloatVector.fromArray(F, x, i);
            v.sqrt().intoArray(out, i);
        }
        return i;
    }

    private static int sqrt(double[] x, double[] out, int n) {
        int i = 0;
        for (int up = D.loopBound(n); i < up; i += D.length()) {
            var v = DoubleVector.fromArray(D, x, i);
            v.sqrt().intoArray(out, i);
        }
        return i;
    }

    private static int log1p(float[] x, float[] out, int n) {
        int i = 0;
        for (int up = F.loopBound(n); i < up; i += F.length()) {
            var v = FloatVector.fromArray(F, x, i);
            v.lanewise(VectorOperators.LOG1P).intoArray(out, i);
        }
        return i;
    }

    private static int log1p(double[] x, double[] out, int n) {
        int i = 0;
        for (int up = D.loopBound(n); i < up; i += D.length()) {
            var v = DoubleVector.fromArray(D, x, i);
            v.lanewise(VectorOperators.LOG1P).intoArray(out, i);
        }
        return i;
    }

    private static int expm1(float[] x, float[] out, int n) {
        int i = 0;
        for (int up = F.loopBound(n); i < up; i += F.length()) {
            var v = FloatVector.fromArray(F, x, i);
            v.lanewise(VectorOperators.EXPM1).intoArray(out, i);
        }
        return i;
    }

    private static int expm1(double[] x, double[] out, int n) {
        int i = 0;
        for (int up = D.loopBound(n); i < up; i += D.length()) {
            var v = DoubleVector.fromArray(D, x, i);
            v.lanewise(VectorOperators.EXPM1).intoArray(out, i);
        }
        return i;
    }

    /**
     * float32 tanh within 3 ulp, 1.6x faster than the Vector API's TANH (measured: 0.45 vs 0.73 ms per 2^18
     * values; tanh is a third of an MLP step): (1 - e)/(1 + e) with e = exp(-2|x|), which loses nothing for
     * |x| >= 1/4 (e <= 0.61), and its odd Taylor series to x^9 below.
     */
    private static FloatVector tanh(FloatVector v) {
        var ax = v.abs();
        var e = exp(ax.mul(-2f));
        var big = e.neg().add(1f).div(e.add(1f));
        var x2 = v.mul(v);
        var small = x2.mul(62f / 2835).add(-17f / 315).mul(x2).add(2f / 15).mul(x2).add(-1f / 3).mul(x2).mul(ax).add(ax);
        var t = small.blend(big, ax.compare(VectorOperators.GE, 0.25f));
        return t.blend(t.neg(), v.lt(0f));
    }

    static double scalar(int code, double x) {
        return switch (code) {
            case NEG -> -x;
            case EXP -> Math.exp(x);
            case LOG -> Math.log(x);
            case SIN -> Math.sin(x);
            case COS -> Math.cos(x);
            case TANH -> Math.tanh(x);
            case SQRT -> Math.sqrt(x);
            case LOG1P -> Math.log1p(x);
            case EXPM1 -> Math.expm1(x);
            default -> throw new AssertionError(code);
        };
    }

    /**
     * {@code o[oo + i] = x[xo + i] op y[yo + i]} for the {@link Kernels} codes ADD, SUB, MUL, DIV: one loop per op,
     * for the reason given at {@link #unary(int, float[], float[], int)}.
     */
    static void binary(int code, float[] x, int xo, float[] y, int yo, float[] o, int oo, int n) {
        int i = switch (code) {
            case Kernels.ADD -> add(x, xo, y, yo, o, oo, n);
            case Kernels.SUB -> sub(x, xo, y, yo, o, oo, n);
            case Kernels.MUL -> mul(x, xo, y, yo, o, oo, n);
            case Kernels.DIV -> div(x, xo, y, yo, o, oo, n);
            default -> throw new AssertionError(code);
        };
        for (; i < n; i++) o[oo + i] = (float) scalar(code, x[xo + i], y[yo + i]);
    }

    static void binary(int code, double[] x, int xo, double[] y, int yo, double[] o, int oo, int n) {
        int i = switch (code) {
            case Kernels.ADD -> add(x, xo, y, yo, o, oo, n);
            case Kernels.SUB -> sub(x, xo, y, yo, o, oo, n);
            case Kernels.MUL -> mul(x, xo, y, yo, o, oo, n);
            case Kernels.DIV -> div(x, xo, y, yo, o, oo, n);
            default -> throw new AssertionError(code);
        };
        for (; i < n; i++) o[oo + i] = scalar(code, x[xo + i], y[yo + i]);
    }

    /** {@code o[i] = x[i] op c}, or {@code c op x[i]} when {@code left}. */
    static void scalar(int code, float[] x, float c, boolean left, float[] o, int n) {
        scalar(code, x, 0, c, left, o, 0, n);
    }

    /** {@code o[oo + i] = x[xo + i] op c}, or {@code c op x[xo + i]} when {@code left}. */
    static void scalar(int code, float[] x, int xo, float c, boolean left, float[] o, int oo, int n) {
        int i = switch (code) {
            case Kernels.ADD -> add(x, xo, c, o, oo, n);
            case Kernels.SUB -> left ? subLeft(x, xo, c, o, oo, n) : sub(x, xo, c, o, oo, n);
            case Kernels.MUL -> mul(x, xo, c, o, oo, n);
            case Kernels.DIV -> left ? divLeft(x, xo, c, o, oo, n) : div(x, xo, c, o, oo, n);
            default -> throw new AssertionError(code);
        };
        for (; i < n; i++) o[oo + i] = (float) (left ? scalar(code, c, x[xo + i]) : scalar(code, x[xo + i], c));
    }

    static void scalar(int code, double[] x, double c, boolean left, double[] o, int n) {
        scalar(code, x, 0, c, left, o, 0, n);
    }

    static void scalar(int code, double[] x, int xo, double c, boolean left, double[] o, int oo, int n) {
        int i = switch (code) {
            case Kernels.ADD -> add(x, xo, c, o, oo, n);
            case Kernels.SUB -> left ? subLeft(x, xo, c, o, oo, n) : sub(x, xo, c, o, oo, n);
            case Kernels.MUL -> mul(x, xo, c, o, oo, n);
            case Kernels.DIV -> left ? divLeft(x, xo, c, o, oo, n) : div(x, xo, c, o, oo, n);
            default -> throw new AssertionError(code);
        };
        for (; i < n; i++) o[oo + i] = left ? scalar(code, c, x[xo + i]) : scalar(code, x[xo + i], c);
    }

    private static int add(float[] x, int xo, float[] y, int yo, float[] o, int oo, int n) {
        int i = 0;
        for (int up = F.loopBound(n); i < up; i += F.length()) FloatVector.fromArray(F, x, xo + i).add(FloatVector.fromArray(F, y, yo + i)).intoArray(o, oo + i);
        return i;
    }

    private static int add(float[] x, int xo, float c, float[] o, int oo, int n) {
        int i = 0;
        for (int up = F.loopBound(n); i < up; i += F.length()) FloatVector.fromArray(F, x, xo + i).add(c).intoArray(o, oo + i);
        return i;
    }

    private static int sub(float[] x, int xo, float[] y, int yo, float[] o, int oo, int n) {
        int i = 0;
        for (int up = F.loopBound(n); i < up; i += F.length()) FloatVector.fromArray(F, x, xo + i).sub(FloatVector.fromArray(F, y, yo + i)).intoArray(o, oo + i);
        return i;
    }

    private static int sub(float[] x, int xo, float c, float[] o, int oo, int n) {
        int i = 0;
        for (int up = F.loopBound(n); i < up; i += F.length()) FloatVector.fromArray(F, x, xo + i).sub(c).intoArray(o, oo + i);
        return i;
    }

    private static int subLeft(float[] x, int xo, float c, float[] o, int oo, int n) {
        int i = 0;
        var k = FloatVector.broadcast(F, c);
        for (int up = F.loopBound(n); i < up; i += F.length()) k.sub(FloatVector.fromArray(F, x, xo + i)).intoArray(o, oo + i);
        return i;
    }

    private static int mul(float[] x, int xo, float[] y, int yo, float[] o, int oo, int n) {
        int i = 0;
        for (int up = F.loopBound(n); i < up; i += F.length()) FloatVector.fromArray(F, x, xo + i).mul(FloatVector.fromArray(F, y, yo + i)).intoArray(o, oo + i);
        return i;
    }

    private static int mul(float[] x, int xo, float c, float[] o, int oo, int n) {
        int i = 0;
        for (int up = F.loopBound(n); i < up; i += F.length()) FloatVector.fromArray(F, x, xo + i).mul(c).intoArray(o, oo + i);
        return i;
    }

    private static int div(float[] x, int xo, float[] y, int yo, float[] o, int oo, int n) {
        int i = 0;
        for (int up = F.loopBound(n); i < up; i += F.length()) FloatVector.fromArray(F, x, xo + i).div(FloatVector.fromArray(F, y, yo + i)).intoArray(o, oo + i);
        return i;
    }

    private static int div(float[] x, int xo, float c, float[] o, int oo, int n) {
        int i = 0;
        for (int up = F.loopBound(n); i < up; i += F.length()) FloatVector.fromArray(F, x, xo + i).div(c).intoArray(o, oo + i);
        return i;
    }

    private static int divLeft(float[] x, int xo, float c, float[] o, int oo, int n) {
        int i = 0;
        var k = FloatVector.broadcast(F, c);
        for (int up = F.loopBound(n); i < up; i += F.length()) k.div(FloatVector.fromArray(F, x, xo + i)).intoArray(o, oo + i);
        return i;
    }

    private static int add(double[] x, int xo, double[] y, int yo, double[] o, int oo, int n) {
        int i = 0;
        for (int up = D.loopBound(n); i < up; i += D.length()) DoubleVector.fromArray(D, x, xo + i).add(DoubleVector.fromArray(D, y, yo + i)).intoArray(o, oo + i);
        return i;
    }

    private static int add(double[] x, int xo, double c, double[] o, int oo, int n) {
        int i = 0;
        for (int up = D.loopBound(n); i < up; i += D.length()) DoubleVector.fromArray(D, x, xo + i).add(c).intoArray(o, oo + i);
        return i;
    }

    private static int sub(double[] x, int xo, double[] y, int yo, double[] o, int oo, int n) {
        int i = 0;
        for (int up = D.loopBound(n); i < up; i += D.length()) DoubleVector.fromArray(D, x, xo + i).sub(DoubleVector.fromArray(D, y, yo + i)).intoArray(o, oo + i);
        return i;
    }

    private static int sub(double[] x, int xo, double c, double[] o, int oo, int n) {
        int i = 0;
        for (int up = D.loopBound(n); i < up; i += D.length()) DoubleVector.fromArray(D, x, xo + i).sub(c).intoArray(o, oo + i);
        return i;
    }

    private static int subLeft(double[] x, int xo, double c, double[] o, int oo, int n) {
        int i = 0;
        var k = DoubleVector.broadcast(D, c);
        for (int up = D.loopBound(n); i < up; i += D.length()) k.sub(DoubleVector.fromArray(D, x, xo + i)).intoArray(o, oo + i);
        return i;
    }

    private static int mul(double[] x, int xo, double[] y, int yo, double[] o, int oo, int n) {
        int i = 0;
        for (int up = D.loopBound(n); i < up; i += D.length()) DoubleVector.fromArray(D, x, xo + i).mul(DoubleVector.fromArray(D, y, yo + i)).intoArray(o, oo + i);
        return i;
    }

    private static int mul(double[] x, int xo, double c, double[] o, int oo, int n) {
        int i = 0;
        for (int up = D.loopBound(n); i < up; i += D.length()) DoubleVector.fromArray(D, x, xo + i).mul(c).intoArray(o, oo + i);
        return i;
    }

    private static int div(double[] x, int xo, double[] y, int yo, double[] o, int oo, int n) {
        int i = 0;
        for (int up = D.loopBound(n); i < up; i += D.length()) DoubleVector.fromArray(D, x, xo + i).div(DoubleVector.fromArray(D, y, yo + i)).intoArray(o, oo + i);
        return i;
    }

    private static int div(double[] x, int xo, double c, double[] o, int oo, int n) {
        int i = 0;
        for (int up = D.loopBound(n); i < up; i += D.length()) DoubleVector.fromArray(D, x, xo + i).div(c).intoArray(o, oo + i);
        return i;
    }

    private static int divLeft(double[] x, int xo, double c, double[] o, int oo, int n) {
        int i = 0;
        var k = DoubleVector.broadcast(D, c);
        for (int up = D.loopBound(n); i < up; i += D.length()) k.div(DoubleVector.fromArray(D, x, xo + i)).intoArray(o, oo + i);
        return i;
    }

    private static double scalar(int code, double a, double b) {
        return switch (code) {
            case Kernels.ADD -> a + b;
            case Kernels.SUB -> a - b;
            case Kernels.MUL -> a * b;
            default -> a / b;
        };
    }

    /** {@code o[oo + i] += x[xo + i]}: rows summed into one (a bias gradient). */
    static void accumulate(float[] x, int xo, float[] o, int oo, int n) {
        int i = 0;
        for (int up = F.loopBound(n); i < up; i += F.length()) {
            FloatVector.fromArray(F, o, oo + i).add(FloatVector.fromArray(F, x, xo + i)).intoArray(o, oo + i);
        }
        for (; i < n; i++) o[oo + i] += x[xo + i];
    }

    static void accumulate(double[] x, int xo, double[] o, int oo, int n) {
        int i = 0;
        for (int up = D.loopBound(n); i < up; i += D.length()) {
            DoubleVector.fromArray(D, o, oo + i).add(DoubleVector.fromArray(D, x, xo + i)).intoArray(o, oo + i);
        }
        for (; i < n; i++) o[oo + i] += x[xo + i];
    }

    /**
     * The sum of {@code x[from .. from+n)}, in vector lanes then across them in lane order. Not
     * {@code reduceLanes(ADD)}: its order is unspecified, and the interpreter's and the JIT's differ, so a sum
     * changed its last bits once compiled (an L-BFGS run then took a different number of iterations).
     */
    static double sum(double[] x, int from, int n) {
        int i = 0;
        var acc = DoubleVector.zero(D);
        for (int up = D.loopBound(n); i < up; i += D.length()) acc = acc.add(DoubleVector.fromArray(D, x, from + i));
        double[] lanes = acc.toArray();
        double s = 0;
        for (double l : lanes) s += l;
        for (; i < n; i++) s += x[from + i];
        return s;
    }

    static float sum(float[] x, int from, int n) {
        int i = 0;
        var acc = FloatVector.zero(F);
        for (int up = F.loopBound(n); i < up; i += F.length()) acc = acc.add(FloatVector.fromArray(F, x, from + i));
        float[] lanes = acc.toArray();
        float s = 0;
        for (float l : lanes) s += l;
        for (; i < n; i++) s += x[from + i];
        return s;
    }
}
