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
}
