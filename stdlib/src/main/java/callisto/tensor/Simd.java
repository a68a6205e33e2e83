package callisto.tensor;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
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
        if (i < n) {
            var m = F.indexInRange(i, n);
            erf(FloatVector.fromArray(F, x, i, m), taylor, tail).intoArray(o, i, m);
        }
    }

    /** GELU, x Φ(x) = x (1 + erf(x/√2)) / 2, in one pass over float32 values. */
    static void gelu(float[] x, float[] o, int n, double[] taylor, double[] tail) {
        int i = 0;
        for (int up = F.loopBound(n); i < up; i += F.length()) gelu(FloatVector.fromArray(F, x, i), taylor, tail).intoArray(o, i);
        if (i < n) {
            var m = F.indexInRange(i, n);
            gelu(FloatVector.fromArray(F, x, i, m), taylor, tail).intoArray(o, i, m);
        }
    }

    private static FloatVector gelu(FloatVector v, double[] taylor, double[] tail) {
        return erf(v.mul((float) Math.sqrt(0.5)), taylor, tail).add(1f).mul(v).mul(0.5f);
    }

    static void relu(float[] x, float[] o, int n) {
        int i = 0;
        var zero = FloatVector.zero(F);
        for (int up = F.loopBound(n); i < up; i += F.length()) FloatVector.fromArray(F, x, i).max(zero).intoArray(o, i);
        for (; i < n; i++) o[i] = Math.max(x[i], 0f);
    }

    static void relu(double[] x, double[] o, int n) {
        int i = 0;
        var zero = DoubleVector.zero(D);
        for (int up = D.loopBound(n); i < up; i += D.length()) DoubleVector.fromArray(D, x, i).max(zero).intoArray(o, i);
        for (; i < n; i++) o[i] = Math.max(x[i], 0);
    }

    static void reluGrad(float[] x, float[] g, float[] o, int n) {
        int i = 0;
        var zero = FloatVector.zero(F);
        for (int up = F.loopBound(n); i < up; i += F.length()) {
            var positive = FloatVector.fromArray(F, x, i).compare(VectorOperators.GT, 0f);
            zero.blend(FloatVector.fromArray(F, g, i), positive).intoArray(o, i);
        }
        for (; i < n; i++) o[i] = x[i] > 0 ? g[i] : 0f;
    }

    static void reluGrad(double[] x, double[] g, double[] o, int n) {
        int i = 0;
        var zero = DoubleVector.zero(D);
        for (int up = D.loopBound(n); i < up; i += D.length()) {
            var positive = DoubleVector.fromArray(D, x, i).compare(VectorOperators.GT, 0.0);
            zero.blend(DoubleVector.fromArray(D, g, i), positive).intoArray(o, i);
        }
        for (; i < n; i++) o[i] = x[i] > 0 ? g[i] : 0.0;
    }

    /** GELU's VJP g·(Φ(x) + x φ(x)) in one pass over float32 values. */
    static void geluGrad(float[] x, float[] g, float[] o, int n, double[] taylor, double[] tail) {
        int i = 0;
        for (int up = F.loopBound(n); i < up; i += F.length()) {
            geluGrad(FloatVector.fromArray(F, x, i), taylor, tail).mul(FloatVector.fromArray(F, g, i)).intoArray(o, i);
        }
        if (i < n) {
            var m = F.indexInRange(i, n);
            geluGrad(FloatVector.fromArray(F, x, i, m), taylor, tail).mul(FloatVector.fromArray(F, g, i, m)).intoArray(o, i, m);
        }
    }

    /** Φ(x) + x φ(x). */
    private static FloatVector geluGrad(FloatVector v, double[] taylor, double[] tail) {
        var cdf = erf(v.mul((float) Math.sqrt(0.5)), taylor, tail).add(1f).mul(0.5f);
        var pdf = VecMath.exp(v.mul(v).mul(-0.5f)).mul((float) (1 / Math.sqrt(2 * Math.PI)));
        return v.fma(pdf, cdf);
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
        var large = t.mul(VecMath.exp(exponent)).neg().add(1f);
        var r = large.blend(small, ax.compare(VectorOperators.LT, 1f));
        return r.blend(r.neg(), v.compare(VectorOperators.LT, 0f));
    }

    static final int NEG = 0, EXP = 1, LOG = 2, SIN = 3, COS = 4, TANH = 5, SQRT = 6, LOG1P = 7, EXPM1 = 8;

    private Simd() {
    }

    /**
     * {@code out[i] = op(x[i])}. Each op has a loop of its own, so its vector operator is a constant where the
     * JIT compiles it: one shared loop saw its profile change with every new op, deoptimized, and ran the Vector
     * API's slow fallback for a while (10–30× slower) each time. The transcendentals are {@link VecMath}'s, not
     * the Vector API's: same bits interpreted and compiled.
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
        for (int up = F.loopBound(n); i < up; i += F.length()) VecMath.exp(FloatVector.fromArray(F, x, i)).intoArray(out, i);
        if (i < n) {
            var m = F.indexInRange(i, n);
            VecMath.exp(FloatVector.fromArray(F, x, i, m)).intoArray(out, i, m);
        }
        return n;
    }

    private static int exp(double[] x, double[] out, int n) {
        int i = 0;
        for (int up = D.loopBound(n); i < up; i += D.length()) VecMath.exp(DoubleVector.fromArray(D, x, i)).intoArray(out, i);
        if (i < n) {
            var m = D.indexInRange(i, n);
            VecMath.exp(DoubleVector.fromArray(D, x, i, m)).intoArray(out, i, m);
        }
        return n;
    }

    private static int log(float[] x, float[] out, int n) {
        int i = 0;
        for (int up = F.loopBound(n); i < up; i += F.length()) VecMath.log(FloatVector.fromArray(F, x, i)).intoArray(out, i);
        if (i < n) {
            var m = F.indexInRange(i, n);
            VecMath.log(FloatVector.fromArray(F, x, i, m)).intoArray(out, i, m);
        }
        return n;
    }

    private static int log(double[] x, double[] out, int n) {
        int i = 0;
        for (int up = D.loopBound(n); i < up; i += D.length()) VecMath.log(DoubleVector.fromArray(D, x, i)).intoArray(out, i);
        if (i < n) {
            var m = D.indexInRange(i, n);
            VecMath.log(DoubleVector.fromArray(D, x, i, m)).intoArray(out, i, m);
        }
        return n;
    }

    private static int sin(float[] x, float[] out, int n) {
        int i = 0;
        for (int up = F.loopBound(n); i < up; i += F.length()) VecMath.sin(FloatVector.fromArray(F, x, i)).intoArray(out, i);
        if (i < n) {
            var m = F.indexInRange(i, n);
            VecMath.sin(FloatVector.fromArray(F, x, i, m)).intoArray(out, i, m);
        }
        return n;
    }

    private static int sin(double[] x, double[] out, int n) {
        int i = 0;
        for (int up = D.loopBound(n); i < up; i += D.length()) VecMath.sin(DoubleVector.fromArray(D, x, i)).intoArray(out, i);
        if (i < n) {
            var m = D.indexInRange(i, n);
            VecMath.sin(DoubleVector.fromArray(D, x, i, m)).intoArray(out, i, m);
        }
        return n;
    }

    private static int cos(float[] x, float[] out, int n) {
        int i = 0;
        for (int up = F.loopBound(n); i < up; i += F.length()) VecMath.cos(FloatVector.fromArray(F, x, i)).intoArray(out, i);
        if (i < n) {
            var m = F.indexInRange(i, n);
            VecMath.cos(FloatVector.fromArray(F, x, i, m)).intoArray(out, i, m);
        }
        return n;
    }

    private static int cos(double[] x, double[] out, int n) {
        int i = 0;
        for (int up = D.loopBound(n); i < up; i += D.length()) VecMath.cos(DoubleVector.fromArray(D, x, i)).intoArray(out, i);
        if (i < n) {
            var m = D.indexInRange(i, n);
            VecMath.cos(DoubleVector.fromArray(D, x, i, m)).intoArray(out, i, m);
        }
        return n;
    }

    private static int tanh(float[] x, float[] out, int n) {
        int i = 0;
        for (int up = F.loopBound(n); i < up; i += F.length()) VecMath.tanh(FloatVector.fromArray(F, x, i)).intoArray(out, i);
        if (i < n) {
            var m = F.indexInRange(i, n);
            VecMath.tanh(FloatVector.fromArray(F, x, i, m)).intoArray(out, i, m);
        }
        return n;
    }

    private static int tanh(double[] x, double[] out, int n) {
        int i = 0;
        for (int up = D.loopBound(n); i < up; i += D.length()) VecMath.tanh(DoubleVector.fromArray(D, x, i)).intoArray(out, i);
        if (i < n) {
            var m = D.indexInRange(i, n);
            VecMath.tanh(DoubleVector.fromArray(D, x, i, m)).intoArray(out, i, m);
        }
        return n;
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
        for (int up = F.loopBound(n); i < up; i += F.length()) VecMath.log1p(FloatVector.fromArray(F, x, i)).intoArray(out, i);
        if (i < n) {
            var m = F.indexInRange(i, n);
            VecMath.log1p(FloatVector.fromArray(F, x, i, m)).intoArray(out, i, m);
        }
        return n;
    }

    private static int log1p(double[] x, double[] out, int n) {
        int i = 0;
        for (int up = D.loopBound(n); i < up; i += D.length()) VecMath.log1p(DoubleVector.fromArray(D, x, i)).intoArray(out, i);
        if (i < n) {
            var m = D.indexInRange(i, n);
            VecMath.log1p(DoubleVector.fromArray(D, x, i, m)).intoArray(out, i, m);
        }
        return n;
    }

    private static int expm1(float[] x, float[] out, int n) {
        int i = 0;
        for (int up = F.loopBound(n); i < up; i += F.length()) VecMath.expm1(FloatVector.fromArray(F, x, i)).intoArray(out, i);
        if (i < n) {
            var m = F.indexInRange(i, n);
            VecMath.expm1(FloatVector.fromArray(F, x, i, m)).intoArray(out, i, m);
        }
        return n;
    }

    private static int expm1(double[] x, double[] out, int n) {
        int i = 0;
        for (int up = D.loopBound(n); i < up; i += D.length()) VecMath.expm1(DoubleVector.fromArray(D, x, i)).intoArray(out, i);
        if (i < n) {
            var m = D.indexInRange(i, n);
            VecMath.expm1(DoubleVector.fromArray(D, x, i, m)).intoArray(out, i, m);
        }
        return n;
    }

    /**
     * The tail of NEG and SQRT, which IEEE specifies exactly. The transcendentals have no scalar form: their tails
     * run {@link VecMath} on masked lanes, so an element's bits do not depend on whether it fell in the tail.
     */
    private static double scalar(int code, double x) {
        return switch (code) {
            case NEG -> -x;
            case SQRT -> Math.sqrt(x);
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
