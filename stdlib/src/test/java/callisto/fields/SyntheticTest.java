package callisto.fields;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import callisto.nn.Scores;
import callisto.tensor.Generator;
import callisto.tensor.Tensor;

import java.util.Arrays;

import org.junit.jupiter.api.Test;

class SyntheticTest {
    @Test
    void velocityIsSeededAndScaledToItsLongestVector() {
        int h = 20, w = 24;
        Tensor v = Synthetic.velocity(new Generator(1), 2, h, w, 3, 2.5);
        assertArrayEquals(new int[] {2, h, w, 2}, v.shape());
        assertArrayEquals(v.toArray(), Synthetic.velocity(new Generator(1), 2, h, w, 3, 2.5).toArray(), 0);
        assertFalse(Arrays.equals(v.toArray(), Synthetic.velocity(new Generator(2), 2, h, w, 3, 2.5).toArray()));
        double[] d = v.toArray();
        for (int b = 0; b < 2; b++) {
            double longest = 0;
            for (int p = 0; p < h * w; p++) {
                int at = (b * h * w + p) * 2;
                longest = Math.max(longest, Math.hypot(d[at] * (w - 1) / 2, d[at + 1] * (h - 1) / 2));
            }
            assertEquals(2.5, longest, 1e-12);
        }
    }

    @Test
    void integratedVelocityIsAFoldFreeDiffeomorphism() {
        Tensor v = Synthetic.velocity(new Generator(3), 2, 32, 32, 3, 3.0);
        Tensor phi = Registration.integrate(v, 7);
        assertEquals(0, Registration.foldFraction(phi));
        double minDet = Registration.jacobianDeterminant(phi).min().item();
        assertTrue(minDet > 0.2, "smallest det " + minDet);
        // the inverse map exp(-v) undoes it: φ ∘ φ⁻¹ ≈ identity inside
        Tensor back = Registration.compose(phi, Registration.integrate(v.neg(), 7));
        double epe = Registration.endPointError(back.narrow(1, 4, 24).narrow(2, 4, 24).contiguous(),
                Tensor.zeros(back.dtype(), 2, 24, 24, 2)).item();
        assertTrue(epe < 0.1, "round trip error " + epe + " pixels");
    }

    @Test
    void phantomIsSeededTexturedAndInRange() {
        Tensor p = Synthetic.phantom(new Generator(5), 2, 48, 40);
        assertArrayEquals(new int[] {2, 1, 48, 40}, p.shape());
        assertArrayEquals(p.toArray(), Synthetic.phantom(new Generator(5), 2, 48, 40).toArray(), 0);
        double[] v = p.toArray();
        for (double x : v) assertTrue(x >= 0 && x <= 1);
        assertTrue(v[0] < 1e-3 && v[39] < 1e-3, "corners are background");
        assertTrue(p.std().item() > 0.1, "has structure");
        Tensor other = Synthetic.phantom(new Generator(6), 1, 48, 40);
        assertTrue(Scores.mse(p.narrow(0, 0, 1), other).item() > 1e-3, "another seed, another phantom");
        Tensor centre = p.narrow(2, 15, 18).narrow(3, 12, 16); // inside the head: textured, no flat window
        double lncc = Registration.localNcc(centre, centre, 5, 0).item(); // a flat window would give 0/0 = NaN
        assertEquals(1, lncc, 1e-9, "local NCC of the head with itself");
    }

    @Test
    void badArgumentsAreNamed() {
        var e = assertThrows(IllegalArgumentException.class, () -> Synthetic.velocity(new Generator(0), 1, 1, 8, 2, 1));
        assertTrue(e.getMessage().contains("h 1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Synthetic.velocity(new Generator(0), 1, 8, 8, 0, 1));
        assertTrue(e.getMessage().contains("modes 0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Synthetic.phantom(null, 1, 8, 8));
        assertTrue(e.getMessage().contains("generator"), e.getMessage());
    }
}
