package callisto.pde;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import callisto.fft.FFT;
import callisto.tensor.Generator;
import callisto.tensor.Tensor;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class GaussianRandomFieldTest {
    @Test
    void oneDimensionalSamplesHaveTheLawsVarianceAndSpectrum() {
        var grf = GaussianRandomField.burgers();
        int n = 128, batch = 4000;
        Tensor u = grf.sample(new Generator(11), batch, n);
        // no mean mode: every sample averages to zero
        assertTrue(u.mean(1, false).abs().max().item() < 1e-12);
        double var = u.mul(u).mean().item();
        assertEquals(grf.variance(n), var, 0.03 * grf.variance(n), "pointwise variance");
        // the analytic variance of the law, Σ_{k≠0} s_k² with s_k = 25 / (4π²k² + 25), computed here on its own
        double expected = 0;
        for (int k = 1; k < n / 2; k++) expected += 2 * Math.pow(25 / (4 * Math.PI * Math.PI * k * k + 25), 2);
        assertEquals(expected, grf.variance(n), 1e-15);
        // each mode's coefficient c_k = rfft(u)_k / n has E|c_k|² = s_k²; the Nyquist mode is empty
        Tensor c = FFT.rfft(u).div(n);
        Tensor power = c.mul(c).sum(-1, false).mean(0, false);
        for (int k = 1; k <= 6; k++) {
            double s = 25 / (4 * Math.PI * Math.PI * k * k + 25);
            assertEquals(s * s, power.get(k), 0.08 * s * s, "mode " + k);
        }
        assertTrue(power.get(n / 2) < 1e-25 && power.get(0) < 1e-25, "no mean, no Nyquist mode");
    }

    @Test
    void twoDimensionalSamplesHaveTheLawsVariance() {
        var grf = GaussianRandomField.darcy();
        Tensor u = grf.sample(new Generator(5), 400, 32, 24);
        assertArrayEquals(new int[] {400, 32, 24}, u.shape());
        double var = u.mul(u).mean().item();
        assertEquals(grf.variance(32, 24), var, 0.05 * grf.variance(32, 24));
        // isotropy of the law: modes (1, 0) and (0, 1) carry the same power
        Tensor c = FFT.rfft2(u).div(32 * 24);
        Tensor power = c.mul(c).sum(-1, false).mean(0, false);
        double s1 = grf.modeStd(1);
        assertEquals(s1 * s1, power.get(0, 1), 0.15 * s1 * s1, "mode kx = 1");
        assertEquals(s1 * s1, power.get(1, 0), 0.15 * s1 * s1, "mode ky = 1");
    }

    @Test
    void theSameSeedGivesTheSameFields() {
        var grf = GaussianRandomField.navierStokes();
        double[] a = grf.sample(new Generator(3), 2, 16, 16).toArray();
        double[] b = grf.sample(new Generator(3), 2, 16, 16).toArray();
        double[] other = grf.sample(new Generator(4), 2, 16, 16).toArray();
        assertArrayEquals(a, b);
        assertFalse(Arrays.equals(a, other));
    }

    @Test
    void badParametersAreNamed() {
        var e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> GaussianRandomField.of(1, 1, -2));
        assertTrue(e.getMessage().contains("alpha") && e.getMessage().contains("-2"), e.getMessage());
        e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> GaussianRandomField.burgers().sample(new Generator(0), 0, 8));
        assertTrue(e.getMessage().contains("batch 0"), e.getMessage());
    }
}
