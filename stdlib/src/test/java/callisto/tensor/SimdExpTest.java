package callisto.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;

/**
 * The float32 vector exp behind GELU, tanh and exp: accurate, and made of exactly rounded operations only, so the
 * JIT-compiled and interpreted loops (and so two runs of one seeded program) give the same bits.
 */
class SimdExpTest {
    private static float[] sweep() {
        // every region: underflow to 0, denormal results, normal range, near overflow, overflow
        int n = 200_003;
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float) (-110 + 200.0 * i / (n - 1));
        return x;
    }

    private static float[] vectorExp(float[] x) {
        float[] out = new float[x.length];
        int i = 0;
        for (int up = Simd.F.loopBound(x.length); i < up; i += Simd.F.length()) {
            Simd.exp(FloatVector.fromArray(Simd.F, x, i)).intoArray(out, i);
        }
        for (; i < x.length; i++) out[i] = Simd.expScalar(x[i]);
        return out;
    }

    @Test
    void withinTwoUlpsOfExpAcrossTheFloatRange() {
        float[] x = sweep(), got = vectorExp(x);
        for (int i = 0; i < x.length; i++) {
            double want = Math.exp(x[i]);
            float wantF = (float) want;
            if (wantF == 0f || Float.isInfinite(wantF)) {
                assertEquals(wantF, got[i], "exp(" + x[i] + ") = " + want);
                continue;
            }
            // ulps of the float result (for denormals the fixed denormal spacing)
            double ulp = Math.ulp(wantF);
            assertTrue(Math.abs(got[i] - want) <= 2 * ulp, "exp(" + x[i] + "): got " + got[i] + ", want " + want + " (" + Math.abs(got[i] - want) / ulp + " ulps)");
        }
    }

    @Test
    void specialValues() {
        float[] x = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 0f, -0f, 1f, -1f, 88.72f, 88.73f, -103.9f, -200f};
        float[] padded = new float[Simd.F.length() * ((x.length + Simd.F.length() - 1) / Simd.F.length())];
        System.arraycopy(x, 0, padded, 0, x.length);
        float[] got = vectorExp(padded);
        assertTrue(Float.isNaN(got[0]));
        assertEquals(Float.POSITIVE_INFINITY, got[1]);
        assertEquals(0f, got[2]);
        assertEquals(1f, got[3]);
        assertEquals(1f, got[4]);
        assertEquals((float) Math.E, got[5], Math.ulp((float) Math.E));
        assertEquals((float) Math.exp(-1), got[6], Math.ulp((float) Math.exp(-1)));
        assertTrue(Float.isFinite(got[7]) && got[7] > 3.3e38f, "exp(88.72) = " + got[7]);
        assertEquals(Float.POSITIVE_INFINITY, got[8]);
        assertTrue(got[9] > 0 && got[9] < Float.MIN_NORMAL, "exp(-103.9) should be a denormal, got " + got[9]);
        assertEquals(0f, got[10]);
    }

    @Test
    void vectorLanesEqualTheScalarSequenceBitForBit() {
        // the scalar twin uses plain float arithmetic and Math.fma, which Java rounds exactly in every execution mode;
        // equal bits mean the vector form has no step whose rounding depends on how it runs
        float[] x = sweep(), got = vectorExp(x);
        for (int i = 0; i < x.length; i++) {
            assertEquals(Float.floatToRawIntBits(Simd.expScalar(x[i])), Float.floatToRawIntBits(got[i]), "exp(" + x[i] + ")");
        }
    }

    @Test
    void geluAndTanhAreRepeatableAfterWarmUp() {
        // many calls get the loops compiled; the first call's bits must survive that
        Tensor x = Tensor.linspace(-9, 9, 4099).to(DType.FLOAT32);
        float[] gelu0 = x.gelu().toFloatArray(), tanh0 = x.tanh().toFloatArray(), exp0 = x.exp().toFloatArray();
        for (int rep = 0; rep < 3000; rep++) {
            x.gelu();
            x.tanh();
            x.exp();
        }
        assertTrue(java.util.Arrays.equals(gelu0, x.gelu().toFloatArray()), "gelu changed after warm-up");
        assertTrue(java.util.Arrays.equals(tanh0, x.tanh().toFloatArray()), "tanh changed after warm-up");
        assertTrue(java.util.Arrays.equals(exp0, x.exp().toFloatArray()), "exp changed after warm-up");
    }
}
