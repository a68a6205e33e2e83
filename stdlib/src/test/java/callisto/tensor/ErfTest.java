package callisto.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The fast erf against 25-digit values from mpmath (resources/callisto/tensor/make_erf_values.py). */
class ErfTest {
    @Test
    void fastErfIsWithinTwoUlpsOfTheTrueValue() throws Exception {
        int count = 0;
        double worstUlps = 0, worstAt = 0;
        try (var in = new BufferedReader(new InputStreamReader(ErfTest.class.getResourceAsStream("erf_values.txt"), StandardCharsets.UTF_8))) {
            for (String line; (line = in.readLine()) != null; ) {
                String[] f = line.split(" ");
                double x = Double.parseDouble(f[0]);
                BigDecimal exact = new BigDecimal(f[1]);
                double got = Kernels.erf(x), rounded = exact.doubleValue();
                double ulps = new BigDecimal(got).subtract(exact).abs().doubleValue() / Math.ulp(rounded == 0 ? Double.MIN_VALUE : rounded);
                if (ulps > worstUlps) {
                    worstUlps = ulps;
                    worstAt = x;
                }
                count++;
            }
        }
        assertTrue(count > 4000, "read " + count + " reference values");
        assertTrue(worstUlps <= 2, "worst error " + worstUlps + " ulps at x = " + worstAt);
        assertTrue(Double.isNaN(Kernels.erf(Double.NaN)));
        assertEquals(-1, Kernels.erf(-40), 0);
    }

    @Test
    void float32ErfIsWithinTwoAndAHalfFloatUlps() {
        int n = 200_001;
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float) (-7 + 14.0 * i / (n - 1) + 1e-4 * Math.sin(i));
        float[] got = Tensor.of(x, n).erf().toFloatArray(); // the vectorized path, and its masked tail
        double worst = 0;
        for (int i = 0; i < n; i++) {
            double exact = Kernels.erf(x[i]); // float64 erf, within 2 double ulps: exact at float precision
            float rounded = (float) exact;
            worst = Math.max(worst, Math.abs(got[i] - exact) / Math.ulp(rounded == 0 ? Float.MIN_VALUE : rounded));
        }
        assertTrue(worst <= 2.5, "worst float32 error " + worst + " ulps");
        float[] special = Tensor.ofFloats(Float.NaN, 0f, -0f, 1e-30f, 4f, 10f, -10f, 0.5f, -0.49999997f).erf().toFloatArray();
        assertTrue(Float.isNaN(special[0]));
        assertEquals(0f, special[1], 0);
        assertEquals(1, special[5], 0);
        assertEquals(-1, special[6], 0);
        assertEquals((float) Kernels.erf(1e-30), special[3], 2.5 * Math.ulp(special[3])); // the vector algorithm, in a masked tail
        assertEquals((float) Kernels.erf(0.5), special[7], Math.ulp(special[7]));
    }
}
