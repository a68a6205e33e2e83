package callisto.tensor;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * exp, expm1, log, log1p, sin, cos and tanh on vector lanes, built only from operations IEEE 754 specifies
 * exactly (add, mul, div, fma, compares, blends, bit reinterpretation, integer shifts), so the interpreter, C1
 * and C2 give the same bits. Not the Vector API's {@code VectorOperators.EXP} and friends: those are only
 * specified within an ulp, and the JIT's intrinsic stubs and the per-lane fallback differ in the last bit, so a
 * training run changed its numbers once the kernels were compiled. Lanes with |x| too large for the Cody–Waite
 * reduction of sin/cos go to {@link StrictMath}, which is fully specified too.
 *
 * <p>Accuracy, measured against StrictMath over wide sweeps: float32 within 1.5 ulp (exp, log, log1p under 1);
 * float64 exp, log, log1p, sin, cos within 1 ulp of StrictMath, expm1 within 2, tanh within 1.9 of the true value
 * (StrictMath's tanh is itself 2 ulp off in places). The polynomials are Taylor series, truncated where the first
 * omitted term is far below half an ulp on the reduced range; their coefficients are computed at class load
 * from exact rationals. Every result is a function of its own lane alone.
 */
final class VecMath {
    private VecMath() {
    }

    private static final VectorSpecies<Integer> I = Simd.F.withLanes(int.class);
    private static final VectorSpecies<Long> L = Simd.D.withLanes(long.class);

    private static final MathContext MC = new MathContext(60);
    private static final BigDecimal LN2 = new BigDecimal("0.693147180559945309417232121458176568075500134360255254120680");
    private static final BigDecimal HALF_PI = new BigDecimal("3.14159265358979323846264338327950288419716939937510582097494459")
            .divide(BigDecimal.valueOf(2), MC);

    // ---- constants: ln 2 and π/2 split into parts whose sum carries ~3x the working precision ----
    private static final float LN2_HI_F = LN2.floatValue();
    private static final float LN2_LO_F = LN2.subtract(new BigDecimal(LN2_HI_F)).floatValue();
    private static final double LN2_HI = LN2.doubleValue();
    private static final double LN2_LO = LN2.subtract(new BigDecimal(LN2_HI)).doubleValue();
    private static final float LOG2E_F = (float) (1 / Math.log(2));
    private static final double LOG2E = 1 / Math.log(2);
    private static final float PIO2_1F = HALF_PI.floatValue();
    private static final float PIO2_2F = HALF_PI.subtract(new BigDecimal(PIO2_1F)).floatValue();
    private static final float PIO2_3F = HALF_PI.subtract(new BigDecimal(PIO2_1F)).subtract(new BigDecimal(PIO2_2F)).floatValue();
    private static final double PIO2_1 = HALF_PI.doubleValue();
    private static final double PIO2_2 = HALF_PI.subtract(new BigDecimal(PIO2_1)).doubleValue();
    private static final double PIO2_3 = HALF_PI.subtract(new BigDecimal(PIO2_1)).subtract(new BigDecimal(PIO2_2)).doubleValue();
    private static final float TWO_OVER_PI_F = (float) (2 / Math.PI);
    private static final double TWO_OVER_PI = 2 / Math.PI;

    /** 1.5·2^23 and 1.5·2^52: adding one rounds a smaller value to an integer, which then sits in the low bits. */
    private static final float MAGIC_F = 0x1.8p23f;
    private static final int MAGIC_F_BITS = Float.floatToRawIntBits(MAGIC_F);
    private static final double MAGIC = 0x1.8p52;
    private static final long MAGIC_BITS = Double.doubleToRawLongBits(MAGIC);

    /** Beyond these, sin/cos reduce per lane with StrictMath: the 3-part π/2 and the rounding trick stop being exact. */
    static final float TRIG_MAX_F = 0x1p17f;
    static final double TRIG_MAX = 0x1p28;

    // ---- polynomial coefficients, highest degree first (Horner) ----
    /** e^r on |r| ≤ ln2/2: Σ r^k/k!, k ≤ 7 (float), 13 (double). */
    private static final float[] EXP_F = toFloat(taylor(7, 0, 1, 0));
    private static final double[] EXP_D = taylor(13, 0, 1, 0);
    /** (e^r − 1 − r)/r² = Σ r^j/(j+2)!: terms of expm1 up to r^8 (float), r^14 (double). */
    private static final float[] EM1_F = toFloat(taylor(6, 2, 1, 0));
    private static final double[] EM1_D = taylor(12, 2, 1, 0);
    /** (sin r − r)/(r z), z = r²: Σ (−1)^k z^(k−1)/(2k+1)!, terms of sin to r^9 (float), r^17 (double). */
    private static final float[] SIN_F = toFloat(taylor(3, 3, 2, 1));
    private static final double[] SIN_D = taylor(7, 3, 2, 1);
    /** (cos r − 1)/z = Σ (−1)^k z^(k−1)/(2k)!: terms of cos to r^10 (float), r^16 (double). */
    private static final float[] COS_F = toFloat(taylor(4, 2, 2, 1));
    private static final double[] COS_D = taylor(7, 2, 2, 1);
    /** 2 atanh(s) = 2s + s·T(z), T = Σ_{k≥1} 2 z^k/(2k+1), z = s², |s| ≤ 3 − 2√2: k ≤ 4 (float), 10 (double). */
    private static final float[] LOG_F = toFloat(atanh(4));
    private static final double[] LOG_D = atanh(10);

    /**
     * Coefficients c_j = sign^j / (first + step·j)! for j = 0..degree, returned highest first; {@code alternate}
     * 1 makes the signs alternate starting with −.
     */
    private static double[] taylor(int degree, int first, int step, int alternate) {
        double[] c = new double[degree + 1];
        for (int j = 0; j <= degree; j++) {
            BigInteger f = BigInteger.ONE;
            for (int m = 2; m <= first + step * j; m++) f = f.multiply(BigInteger.valueOf(m));
            double v = BigDecimal.ONE.divide(new BigDecimal(f), MC).doubleValue();
            c[degree - j] = alternate == 1 && j % 2 == 0 ? -v : v;
        }
        return c;
    }

    private static double[] atanh(int terms) {
        double[] c = new double[terms];
        for (int k = 1; k <= terms; k++) c[terms - k] = BigDecimal.valueOf(2).divide(BigDecimal.valueOf(2L * k + 1), MC).doubleValue();
        return c;
    }

    private static float[] toFloat(double[] d) {
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) f[i] = (float) d[i];
        return f;
    }

    private static FloatVector horner(FloatVector x, float[] c) {
        var p = FloatVector.broadcast(Simd.F, c[0]);
        for (int k = 1; k < c.length; k++) p = p.fma(x, FloatVector.broadcast(Simd.F, c[k]));
        return p;
    }

    private static DoubleVector horner(DoubleVector x, double[] c) {
        var p = DoubleVector.broadcast(Simd.D, c[0]);
        for (int k = 1; k < c.length; k++) p = p.fma(x, DoubleVector.broadcast(Simd.D, c[k]));
        return p;
    }

    /** 2^k for k in the normal exponent range, from the exponent bits. */
    private static FloatVector pow2(IntVector k) {
        return k.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
    }

    private static DoubleVector pow2(LongVector k) {
        return k.add(1023L).lanewise(VectorOperators.LSHL, 52).reinterpretAsDoubles();
    }

    /** p·2^k for k down to the subnormals and up past overflow: two normal factors, so one rounding at most. */
    private static FloatVector scale(FloatVector p, IntVector k) {
        var k1 = k.lanewise(VectorOperators.ASHR, 1);
        return p.mul(pow2(k1)).mul(pow2(k.sub(k1)));
    }

    private static DoubleVector scale(DoubleVector p, LongVector k) {
        var k1 = k.lanewise(VectorOperators.ASHR, 1);
        return p.mul(pow2(k1)).mul(pow2(k.sub(k1)));
    }

    // ---------------------------------------------------------------- exp

    /** e^x: x = k ln2 + r, |r| ≤ ln2/2, e^x = 2^k e^r. */
    static FloatVector exp(FloatVector x) {
        var xc = x.max(-104f).min(100f);
        var t = xc.mul(LOG2E_F).add(MAGIC_F);
        var k = t.sub(MAGIC_F);
        var ki = t.reinterpretAsInts().sub(MAGIC_F_BITS);
        var r = k.fma(FloatVector.broadcast(Simd.F, -LN2_HI_F), xc);
        r = k.fma(FloatVector.broadcast(Simd.F, -LN2_LO_F), r);
        return scale(horner(r, EXP_F), ki).blend(x, x.test(VectorOperators.IS_NAN));
    }

    static DoubleVector exp(DoubleVector x) {
        var xc = x.max(-746.0).min(710.0);
        var t = xc.mul(LOG2E).add(MAGIC);
        var k = t.sub(MAGIC);
        var ki = t.reinterpretAsLongs().sub(MAGIC_BITS);
        var r = k.fma(DoubleVector.broadcast(Simd.D, -LN2_HI), xc);
        r = k.fma(DoubleVector.broadcast(Simd.D, -LN2_LO), r);
        return scale(horner(r, EXP_D), ki).blend(x, x.test(VectorOperators.IS_NAN));
    }

    // ---------------------------------------------------------------- expm1

    /**
     * e^x − 1 with x = k ln2 + r: e^r − 1 = r + r²·P(r) keeps full relative accuracy near 0 (k = 0 is then the
     * whole answer); for k > 0, 2^k ((e^r − 1) + (1 − 2^−k)); for k < 0, (e^r − 1) 2^k + (2^k − 1). Below −18
     * (float) or −40 (double) the answer rounds to −1, so x is clamped there.
     */
    static FloatVector expm1(FloatVector x) {
        var xc = x.max(-18f).min(100f);
        var t = xc.mul(LOG2E_F).add(MAGIC_F);
        var k = t.sub(MAGIC_F);
        var ki = t.reinterpretAsInts().sub(MAGIC_F_BITS);
        var r = k.fma(FloatVector.broadcast(Simd.F, -LN2_HI_F), xc);
        r = k.fma(FloatVector.broadcast(Simd.F, -LN2_LO_F), r);
        var q = r.mul(r).fma(horner(r, EM1_F), r);
        var kc = ki.max(-30).min(30);
        var s = pow2(kc);
        var pos = scale(q.add(pow2(kc.neg()).neg().add(1f)), ki);
        var neg = q.fma(s, s.sub(1f));
        var res = pos.blend(neg, ki.compare(VectorOperators.LT, 0).cast(Simd.F)).blend(q, ki.compare(VectorOperators.EQ, 0).cast(Simd.F));
        return res.blend(x, x.test(VectorOperators.IS_NAN).or(x.compare(VectorOperators.EQ, 0f))); // NaN, ±0 stay
    }

    static DoubleVector expm1(DoubleVector x) {
        var xc = x.max(-40.0).min(710.0);
        var t = xc.mul(LOG2E).add(MAGIC);
        var k = t.sub(MAGIC);
        var ki = t.reinterpretAsLongs().sub(MAGIC_BITS);
        var r = k.fma(DoubleVector.broadcast(Simd.D, -LN2_HI), xc);
        r = k.fma(DoubleVector.broadcast(Simd.D, -LN2_LO), r);
        var q = r.mul(r).fma(horner(r, EM1_D), r);
        var kc = ki.max(-60L).min(60L);
        var s = pow2(kc);
        var pos = scale(q.add(pow2(kc.neg()).neg().add(1.0)), ki);
        var neg = q.fma(s, s.sub(1.0));
        var res = pos.blend(neg, ki.compare(VectorOperators.LT, 0L).cast(Simd.D)).blend(q, ki.compare(VectorOperators.EQ, 0L).cast(Simd.D));
        return res.blend(x, x.test(VectorOperators.IS_NAN).or(x.compare(VectorOperators.EQ, 0.0)));
    }

    // ---------------------------------------------------------------- log, log1p

    static FloatVector log(FloatVector x) {
        return log(x, FloatVector.zero(Simd.F));
    }

    static DoubleVector log(DoubleVector x) {
        return log(x, DoubleVector.zero(Simd.D));
    }

    /**
     * log(x) + c for a small correction c: x = 2^e m with √½ ≤ m < √2, f = m − 1 (exact), s = f/(2 + f),
     * log m = 2 atanh s = f − s(f − T(s²)); the last form keeps the rounding of s out of the leading term.
     */
    private static FloatVector log(FloatVector x, FloatVector c) {
        var tiny = x.compare(VectorOperators.LT, Float.MIN_NORMAL);
        var xs = x.blend(x.mul(0x1p24f), tiny);
        var bits = xs.reinterpretAsInts();
        var e = bits.add(0x3F800000 - Float.floatToRawIntBits((float) Math.sqrt(0.5))).lanewise(VectorOperators.ASHR, 23).sub(127);
        var m = bits.sub(e.lanewise(VectorOperators.LSHL, 23)).reinterpretAsFloats();
        e = e.sub(IntVector.zero(I).blend(24, tiny.cast(I)));
        var ef = e.add(MAGIC_F_BITS).reinterpretAsFloats().sub(MAGIC_F);
        var f = m.sub(1f);
        var s = f.div(f.add(2f));
        var z = s.mul(s);
        var tz = horner(z, LOG_F).mul(z);
        var w = s.fma(f.sub(tz), c.neg());
        var logm = f.sub(w);
        var res = ef.fma(FloatVector.broadcast(Simd.F, LN2_HI_F), ef.fma(FloatVector.broadcast(Simd.F, LN2_LO_F), logm));
        res = res.blend(Float.NEGATIVE_INFINITY, x.compare(VectorOperators.EQ, 0f))
                .blend(Float.NaN, x.compare(VectorOperators.LT, 0f));
        return res.blend(x, x.test(VectorOperators.IS_NAN).or(x.compare(VectorOperators.EQ, Float.POSITIVE_INFINITY)));
    }

    private static DoubleVector log(DoubleVector x, DoubleVector c) {
        var tiny = x.compare(VectorOperators.LT, Double.MIN_NORMAL);
        var xs = x.blend(x.mul(0x1p54), tiny);
        var bits = xs.reinterpretAsLongs();
        long off = Double.doubleToRawLongBits(1.0) - Double.doubleToRawLongBits(Math.sqrt(0.5));
        var e = bits.add(off).lanewise(VectorOperators.ASHR, 52).sub(1023L);
        var m = bits.sub(e.lanewise(VectorOperators.LSHL, 52)).reinterpretAsDoubles();
        e = e.sub(LongVector.zero(L).blend(54L, tiny.cast(L)));
        var ef = e.add(MAGIC_BITS).reinterpretAsDoubles().sub(MAGIC);
        var f = m.sub(1.0);
        var s = f.div(f.add(2.0));
        var z = s.mul(s);
        var tz = horner(z, LOG_D).mul(z);
        var w = s.fma(f.sub(tz), c.neg());
        var logm = f.sub(w);
        var res = ef.fma(DoubleVector.broadcast(Simd.D, LN2_HI), ef.fma(DoubleVector.broadcast(Simd.D, LN2_LO), logm));
        res = res.blend(Double.NEGATIVE_INFINITY, x.compare(VectorOperators.EQ, 0.0))
                .blend(Double.NaN, x.compare(VectorOperators.LT, 0.0));
        return res.blend(x, x.test(VectorOperators.IS_NAN).or(x.compare(VectorOperators.EQ, Double.POSITIVE_INFINITY)));
    }

    /** log(1 + x) = log(u) + c/u, u = 1 + x rounded and c = 1 + x − u exactly (Fast2Sum); ±0 stay themselves. */
    static FloatVector log1p(FloatVector x) {
        var u = x.add(1f);
        var c = u.neg().add(1f).add(x).blend(x.sub(u).add(1f), x.abs().compare(VectorOperators.GT, 1f));
        var ok = u.compare(VectorOperators.GT, 0f).and(u.compare(VectorOperators.LT, Float.POSITIVE_INFINITY));
        var corr = c.div(u).blend(FloatVector.zero(Simd.F), ok.not());
        return log(u, corr).blend(x, x.compare(VectorOperators.EQ, 0f));
    }

    static DoubleVector log1p(DoubleVector x) {
        var u = x.add(1.0);
        var c = u.neg().add(1.0).add(x).blend(x.sub(u).add(1.0), x.abs().compare(VectorOperators.GT, 1.0));
        var ok = u.compare(VectorOperators.GT, 0.0).and(u.compare(VectorOperators.LT, Double.POSITIVE_INFINITY));
        var corr = c.div(u).blend(DoubleVector.zero(Simd.D), ok.not());
        return log(u, corr).blend(x, x.compare(VectorOperators.EQ, 0.0));
    }

    // ---------------------------------------------------------------- sin, cos

    static FloatVector sin(FloatVector x) {
        return trig(x, 0);
    }

    static FloatVector cos(FloatVector x) {
        return trig(x, 1);
    }

    static DoubleVector sin(DoubleVector x) {
        return trig(x, 0);
    }

    static DoubleVector cos(DoubleVector x) {
        return trig(x, 1);
    }

    /**
     * x = k π/2 + r with a 3-part π/2 and |r| ≤ ~π/4; quadrant q = k + shift (shift 1 turns sin into cos):
     * odd q takes the cosine polynomial, q & 2 flips the sign.
     */
    private static FloatVector trig(FloatVector x, int shift) {
        var t = x.mul(TWO_OVER_PI_F).add(MAGIC_F);
        var k = t.sub(MAGIC_F);
        var q = t.reinterpretAsInts().sub(MAGIC_F_BITS - shift);
        var r = k.fma(FloatVector.broadcast(Simd.F, -PIO2_1F), x);
        r = k.fma(FloatVector.broadcast(Simd.F, -PIO2_2F), r);
        r = k.fma(FloatVector.broadcast(Simd.F, -PIO2_3F), r);
        var z = r.mul(r);
        var sin = r.mul(z).fma(horner(z, SIN_F), r);
        var cos = z.fma(horner(z, COS_F), FloatVector.broadcast(Simd.F, 1f));
        var v = sin.blend(cos, q.and(1).compare(VectorOperators.NE, 0).cast(Simd.F));
        v = v.reinterpretAsInts().lanewise(VectorOperators.XOR, q.and(2).lanewise(VectorOperators.LSHL, 30)).reinterpretAsFloats();
        var big = x.abs().compare(VectorOperators.GT, TRIG_MAX_F);
        if (big.anyTrue()) {
            float[] xs = x.toArray(), vs = v.toArray();
            for (int j = 0; j < xs.length; j++) {
                if (big.laneIsSet(j)) vs[j] = (float) (shift == 0 ? StrictMath.sin(xs[j]) : StrictMath.cos(xs[j]));
            }
            v = FloatVector.fromArray(Simd.F, vs, 0);
        }
        return shift == 0 ? v.blend(x, x.compare(VectorOperators.EQ, 0f)) : v; // sin(±0) = ±0
    }

    private static DoubleVector trig(DoubleVector x, int shift) {
        var t = x.mul(TWO_OVER_PI).add(MAGIC);
        var k = t.sub(MAGIC);
        var q = t.reinterpretAsLongs().sub(MAGIC_BITS - shift);
        var r = k.fma(DoubleVector.broadcast(Simd.D, -PIO2_1), x);
        r = k.fma(DoubleVector.broadcast(Simd.D, -PIO2_2), r);
        r = k.fma(DoubleVector.broadcast(Simd.D, -PIO2_3), r);
        var z = r.mul(r);
        var sin = r.mul(z).fma(horner(z, SIN_D), r);
        var cos = z.fma(horner(z, COS_D), DoubleVector.broadcast(Simd.D, 1.0));
        var v = sin.blend(cos, q.and(1L).compare(VectorOperators.NE, 0L).cast(Simd.D));
        v = v.reinterpretAsLongs().lanewise(VectorOperators.XOR, q.and(2L).lanewise(VectorOperators.LSHL, 62)).reinterpretAsDoubles();
        var big = x.abs().compare(VectorOperators.GT, TRIG_MAX);
        if (big.anyTrue()) {
            double[] xs = x.toArray(), vs = v.toArray();
            for (int j = 0; j < xs.length; j++) {
                if (big.laneIsSet(j)) vs[j] = shift == 0 ? StrictMath.sin(xs[j]) : StrictMath.cos(xs[j]);
            }
            v = DoubleVector.fromArray(Simd.D, vs, 0);
        }
        return shift == 0 ? v.blend(x, x.compare(VectorOperators.EQ, 0.0)) : v; // sin(±0) = ±0
    }

    // ---------------------------------------------------------------- tanh

    /**
     * tanh x = sign(x)·t/(t + 2), t = e^{2|x|} − 1 (with |x| clamped at 20, where tanh rounds to 1 in both
     * precisions): 2|x| = k ln2 + r, t = 2^k (em1(r) + 1 − 2^−k), and k ≤ 58 needs neither the split scaling
     * nor the negative branch of {@link #expm1}. Where t &lt; 2 the roundings of t + 2 (its error by Fast2Sum) and
     * of the quotient (its exact remainder by fma) are corrected, with 1/(t + 2) = (1 − y)/2: no second division.
     */
    static FloatVector tanh(FloatVector x) {
        var a = x.abs().min(20f).mul(2f);
        var tk = a.mul(LOG2E_F).add(MAGIC_F);
        var k = tk.sub(MAGIC_F);
        var ki = tk.reinterpretAsInts().sub(MAGIC_F_BITS);
        var r = k.fma(FloatVector.broadcast(Simd.F, -LN2_HI_F), a);
        r = k.fma(FloatVector.broadcast(Simd.F, -LN2_LO_F), r);
        var q = r.mul(r).fma(horner(r, EM1_F), r);
        var t = q.add(pow2(ki.neg()).neg().add(1f)).mul(pow2(ki));
        var d = t.add(2f);
        var y = t.div(d);
        var err = FloatVector.broadcast(Simd.F, 2f).sub(d).add(t);
        var fix = y.neg().fma(err, y.neg().fma(d, t)).mul(y.mul(-0.5f).add(0.5f)).add(y);
        y = y.blend(fix, t.compare(VectorOperators.LT, 2f));
        return y.reinterpretAsInts().or(x.reinterpretAsInts().and(0x80000000)).reinterpretAsFloats();
    }

    static DoubleVector tanh(DoubleVector x) {
        var a = x.abs().min(20.0).mul(2.0);
        var tk = a.mul(LOG2E).add(MAGIC);
        var k = tk.sub(MAGIC);
        var ki = tk.reinterpretAsLongs().sub(MAGIC_BITS);
        var r = k.fma(DoubleVector.broadcast(Simd.D, -LN2_HI), a);
        r = k.fma(DoubleVector.broadcast(Simd.D, -LN2_LO), r);
        var q = r.mul(r).fma(horner(r, EM1_D), r);
        var t = q.add(pow2(ki.neg()).neg().add(1.0)).mul(pow2(ki));
        var d = t.add(2.0);
        var y = t.div(d);
        var err = DoubleVector.broadcast(Simd.D, 2.0).sub(d).add(t);
        var fix = y.neg().fma(err, y.neg().fma(d, t)).mul(y.mul(-0.5).add(0.5)).add(y);
        y = y.blend(fix, t.compare(VectorOperators.LT, 2.0));
        return y.reinterpretAsLongs().or(x.reinterpretAsLongs().and(0x8000000000000000L)).reinterpretAsDoubles();
    }
}
