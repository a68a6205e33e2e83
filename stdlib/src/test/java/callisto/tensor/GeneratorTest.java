package callisto.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class GeneratorTest {
    @Test
    void uniformDrawsAreSplitMix64AsSpecifiedBySplittableRandom() {
        // SplittableRandom(seed) is specified as SplitMix64 with the golden gamma: an independent implementation
        var reference = new SplittableRandom(1234);
        double[] want = new double[1000];
        for (int i = 0; i < want.length; i++) want[i] = reference.nextDouble();
        assertArrayEquals(want, new Generator(1234).rand(1000).toArray(), 0.0);
    }

    @Test
    void restoringTheStateRepeatsTheDraws() {
        var g = new Generator(7);
        g.randn(33);
        Tensor state = g.getState();
        double[] a = g.rand(50).toArray();
        long[] b = g.randint(-5, 9, 40).toLongArray();
        int[] c = g.permutation(20);
        double[] d = g.bernoulli(0.3, 30).toArray();

        var other = new Generator(99);
        other.setState(state);
        assertArrayEquals(a, other.rand(50).toArray(), 0.0);
        assertArrayEquals(b, other.randint(-5, 9, 40).toLongArray());
        assertArrayEquals(c, other.permutation(20));
        assertArrayEquals(d, other.bernoulli(0.3, 30).toArray(), 0.0);
        assertFalse(Arrays.equals(a, new Generator(99).rand(50).toArray()));
        // the state is a copy: drawing more does not change a saved one
        g.setState(state);
        assertArrayEquals(a, g.rand(50).toArray(), 0.0);
    }

    @Test
    void boundedIntegersAreUniformAndInRange() {
        var g = new Generator(3);
        long[] x = g.randint(-3, 4, 70_000).toLongArray();
        int[] counts = new int[7];
        for (long v : x) counts[(int) (v + 3)]++;
        double chi2 = 0;
        for (int n : counts) chi2 += (n - 10_000.0) * (n - 10_000.0) / 10_000.0;
        assertTrue(chi2 < 22.5, "chi-square " + chi2 + " over 6 degrees of freedom (p < 0.001 above 22.5)"); // fails for a biased draw
        long[] wide = g.randint(Long.MIN_VALUE, Long.MAX_VALUE, 100).toLongArray();
        for (long v : wide) assertTrue(v < Long.MAX_VALUE);
        int[] p = g.permutation(100);
        int[] sorted = p.clone();
        Arrays.sort(sorted);
        for (int i = 0; i < 100; i++) assertEquals(i, sorted[i]);
    }

    @Test
    void badStatesAreNamed() {
        var g = new Generator(0);
        var e = assertThrows(IllegalArgumentException.class, () -> g.setState(Tensor.of(1.0, 2.0)));
        assertTrue(e.getMessage().contains("float64 of shape [2]"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> g.setState(null));
    }
}
