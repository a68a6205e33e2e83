package callisto.sparse;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import callisto.tensor.DType;
import callisto.tensor.Tensor;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class NeighborGraphsTest {
    static double[] randomPoints(int n, int d, double scale, long seed) {
        return new SplittableRandom(seed).doubles(n * d, 0, scale).toArray();
    }

    /** Squared distance, wrapping each coordinate difference into [-L/2, L/2] by repeated shifts. */
    static double dist2(double[] x, int i, int j, int d, double[] box) {
        double s = 0;
        for (int a = 0; a < d; a++) {
            double dx = x[i * d + a] - x[j * d + a];
            if (box != null) {
                dx = dx % box[a];
                while (dx > box[a] / 2) dx -= box[a];
                while (dx < -box[a] / 2) dx += box[a];
            }
            s += dx * dx;
        }
        return s;
    }

    /** The edges, as [source, target] pairs, the spec asks for: all pairs, filtered, sorted by target then source. */
    static long[] naiveRadius(double[] x, int n, int d, double r, double[] box) {
        var pairs = new ArrayList<long[]>();
        for (int t = 0; t < n; t++) for (int s = 0; s < n; s++) if (s != t && dist2(x, s, t, d, box) <= r * r) pairs.add(new long[] {s, t});
        return pack(pairs);
    }

    static long[] naiveKnn(double[] x, int n, int d, int k, double[] box) {
        var pairs = new ArrayList<long[]>();
        for (int t = 0; t < n; t++) {
            final int target = t;
            List<Integer> others = new ArrayList<>();
            for (int s = 0; s < n; s++) if (s != t) others.add(s);
            others.sort(Comparator.comparingDouble((Integer s) -> dist2(x, s, target, d, box)).thenComparingInt(s -> s));
            List<Integer> nearest = new ArrayList<>(others.subList(0, Math.min(k, others.size())));
            nearest.sort(null);
            for (int s : nearest) pairs.add(new long[] {s, t});
        }
        return pack(pairs);
    }

    static long[] pack(List<long[]> pairs) {
        long[] out = new long[2 * pairs.size()];
        for (int e = 0; e < pairs.size(); e++) {
            out[e] = pairs.get(e)[0];
            out[pairs.size() + e] = pairs.get(e)[1];
        }
        return out;
    }

    @Test
    void radiusGraphMatchesAllPairsSearch() {
        for (int d = 1; d <= 4; d++) {
            int n = 300;
            double[] x = randomPoints(n, d, 1, d);
            double r = 0.08 * d;
            Tensor edges = NeighborGraphs.radiusGraph(Tensor.of(x, n, d), r);
            assertEquals(DType.INT64, edges.dtype());
            assertArrayEquals(naiveRadius(x, n, d, r, null), edges.toLongArray(), "d = " + d);
            assertTrue(edges.size(1) > n, "the test needs edges: " + edges.size(1));
        }
    }

    @Test
    void periodicRadiusGraphUsesTheMinimumImage() {
        int n = 250, d = 3;
        double[] box = {1.0, 2.0, 1.5};
        double[] x = randomPoints(n, d, 1, 12);
        for (int i = 0; i < n; i++) for (int a = 0; a < d; a++) x[i * d + a] *= box[a];
        for (double r : new double[] {0.15, 0.5}) {
            long[] expected = naiveRadius(x, n, d, r, box);
            assertArrayEquals(expected, NeighborGraphs.radiusGraph(Tensor.of(x, n, d), r, box).toLongArray(), "r = " + r);
            // points shifted by whole boxes give the same graph
            double[] shifted = x.clone();
            for (int i = 0; i < shifted.length; i++) shifted[i] += (i % 3 - 1) * box[i % d] * 2;
            assertArrayEquals(expected, NeighborGraphs.radiusGraph(Tensor.of(shifted, n, d), r, box).toLongArray());
        }
        assertTrue(naiveRadius(x, n, d, 0.15, box).length > naiveRadius(x, n, d, 0.15, null).length, "wrapping adds edges");
    }

    @Test
    void knnGraphMatchesSortedSearch() {
        int n = 120, d = 2;
        double[] x = randomPoints(n, d, 1, 5);
        for (int k : new int[] {1, 6, 200}) {
            assertArrayEquals(naiveKnn(x, n, d, k, null), NeighborGraphs.knnGraph(Tensor.of(x, n, d), k).toLongArray(), "k = " + k);
        }
        double[] box = {1, 1};
        assertArrayEquals(naiveKnn(x, n, d, 5, box), NeighborGraphs.knnGraph(Tensor.of(x, n, d), 5, box).toLongArray());
        assertEquals(n * 6, NeighborGraphs.knnGraph(Tensor.of(x, n, d).to(DType.FLOAT32), 6).size(1));
    }

    @Test
    void tiesGoToTheLowerIndex() {
        // points on a line at 0, 1, 2, 3: point 1 and 2 have two neighbours at distance 1
        Tensor line = Tensor.of(new double[] {0, 1, 2, 3}, 4, 1);
        assertArrayEquals(new long[] {1, 0, 1, 2, 0, 1, 2, 3}, NeighborGraphs.knnGraph(line, 1).toLongArray());
        assertArrayEquals(new long[] {1, 0, 2, 1, 3, 2, 0, 1, 1, 2, 2, 3}, NeighborGraphs.radiusGraph(line, 1).toLongArray());
    }

    @Test
    void badInputIsNamed() {
        var e = assertThrows(IllegalArgumentException.class, () -> NeighborGraphs.radiusGraph(Tensor.zeros(4, 2), 0.6, new double[] {1, 1}));
        assertTrue(e.getMessage().contains("radiusGraph") && e.getMessage().contains("half"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> NeighborGraphs.knnGraph(Tensor.zeros(4), 2));
        assertTrue(e.getMessage().contains("knnGraph") && e.getMessage().contains("[4]"), e.getMessage());
        assertEquals(0, NeighborGraphs.knnGraph(Tensor.zeros(1, 3), 4).size(1));
    }
}
