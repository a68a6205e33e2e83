package callisto.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import callisto.optim.MultiLoss.Method;
import callisto.tensor.DType;
import callisto.tensor.Generator;
import callisto.tensor.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * The defining properties of PCGrad, ConFIG and MGDA checked with vector algebra written here (inner products,
 * cosines, KKT conditions, a brute-force simplex grid), the named-map and autograd plumbing, and a two-loss quadratic
 * where the summed gradient increases one loss while every conflict-aware method decreases both.
 */
class MultiLossTest {
    static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) s += a[i] * b[i];
        return s;
    }

    static double[] random(Random rnd, int n) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) v[i] = rnd.nextGaussian();
        return v;
    }

    /** A named map {"w": [2, 2], "b": [n - 4]} holding {@code v}. */
    static Map<String, Tensor> named(double[] v) {
        Map<String, Tensor> m = new LinkedHashMap<>();
        double[] w = new double[4], b = new double[v.length - 4];
        System.arraycopy(v, 0, w, 0, 4);
        System.arraycopy(v, 4, b, 0, b.length);
        m.put("w", Tensor.of(w, 2, 2));
        m.put("b", Tensor.of(b, b.length));
        return m;
    }

    static double[] flat(Map<String, Tensor> m) {
        double[] w = m.get("w").toArray(), b = m.get("b").toArray();
        double[] v = new double[w.length + b.length];
        System.arraycopy(w, 0, v, 0, w.length);
        System.arraycopy(b, 0, v, w.length, b.length);
        return v;
    }

    @Test
    void pcgradTwoConflictingGradients() {
        Random rnd = new Random(1);
        int tried = 0;
        while (tried < 20) {
            double[] g1 = random(rnd, 7), g2 = random(rnd, 7);
            double d = dot(g1, g2);
            if (d >= 0) continue;
            tried++;
            double[] r = flat(MultiLoss.pcgrad(List.of(named(g1), named(g2))));
            assertTrue(dot(r, g1) >= -1e-12 && dot(r, g2) >= -1e-12, "inner products " + dot(r, g1) + ", " + dot(r, g2));
            // each projected onto the other's normal plane, then summed
            double[] expect = new double[7];
            for (int k = 0; k < 7; k++) expect[k] = g1[k] - d / dot(g2, g2) * g2[k] + g2[k] - d / dot(g1, g1) * g1[k];
            assertArrayEquals(expect, r, 1e-12);
            double[] rr = flat(MultiLoss.pcgrad(List.of(named(g1), named(g2)), new Generator(tried)));
            assertArrayEquals(expect, rr, 1e-12, "with two tasks the order cannot matter");
        }
    }

    @Test
    void pcgradWithoutConflictIsTheSum() {
        Random rnd = new Random(2);
        double[] base = random(rnd, 6);
        List<Map<String, Tensor>> gs = new ArrayList<>();
        double[] sum = new double[6];
        for (int i = 0; i < 3; i++) {
            // small perturbations of one direction: pairwise inner products stay positive
            double[] g = base.clone();
            double[] p = random(rnd, 6);
            for (int k = 0; k < 6; k++) g[k] += 0.1 * p[k];
            for (int k = 0; k < 6; k++) sum[k] += g[k];
            gs.add(named(g));
        }
        for (int i = 0; i < 3; i++) for (int j = 0; j < i; j++) assertTrue(dot(flat(gs.get(i)), flat(gs.get(j))) > 0);
        assertArrayEquals(sum, flat(MultiLoss.pcgrad(gs)), 1e-12);
        assertArrayEquals(sum, flat(MultiLoss.pcgrad(gs, new Generator(5))), 1e-12);
        assertArrayEquals(sum, flat(MultiLoss.sum(gs)), 1e-12);
    }

    @Test
    void pcgradRandomOrderFollowsTheGenerator() {
        Random rnd = new Random(3);
        int m = 4, n = 6;
        double[][] g = new double[m][];
        List<Map<String, Tensor>> gs = new ArrayList<>();
        for (int i = 0; i < m; i++) {
            g[i] = random(rnd, n);
            gs.add(named(g[i]));
        }
        // the same draws, one permutation per task in task order, replayed here
        Generator twin = new Generator(11);
        double[] expect = new double[n];
        for (int i = 0; i < m; i++) {
            double[] gi = g[i].clone();
            for (int j : twin.permutation(m)) {
                if (j == i) continue;
                double d = dot(gi, g[j]);
                if (d < 0) for (int k = 0; k < n; k++) gi[k] -= d / dot(g[j], g[j]) * g[j][k];
            }
            for (int k = 0; k < n; k++) expect[k] += gi[k];
        }
        double[] got = flat(MultiLoss.pcgrad(gs, new Generator(11)));
        assertArrayEquals(expect, got, 1e-12);
        assertArrayEquals(got, flat(MultiLoss.pcgrad(gs, new Generator(11))), 0.0, "same seed, same bits");
    }

    @Test
    void configHasEqualPositiveCosines() {
        Random rnd = new Random(4);
        for (int trial = 0; trial < 30; trial++) {
            int m = 2 + trial % 4, n = 6 + trial % 5;
            List<Map<String, Tensor>> gs = new ArrayList<>();
            double[][] g = new double[m][];
            for (int i = 0; i < m; i++) {
                g[i] = random(rnd, n);
                for (int k = 0; k < n; k++) g[i][k] *= 0.1 + 3 * i;
                gs.add(named(g[i]));
            }
            double[] d = flat(MultiLoss.config(gs));
            double dn = Math.sqrt(dot(d, d));
            double c0 = dot(d, g[0]) / (dn * Math.sqrt(dot(g[0], g[0])));
            assertTrue(c0 > 0, "cosine " + c0);
            double proj = 0;
            for (int i = 0; i < m; i++) {
                double ci = dot(d, g[i]) / (dn * Math.sqrt(dot(g[i], g[i])));
                assertEquals(c0, ci, 1e-10, "cosine with gradient " + i);
                proj += dot(g[i], d) / dn;
            }
            assertEquals(proj, dn, 1e-9 * dn, "length = sum of projections on the unit direction");
        }
    }

    @Test
    void configOnDependentGradientsStillEqualizesCosines() {
        // g4 repeats g1's direction: U Uᵀ is singular, the pseudo-inverse still gives the equal-cosine direction
        double[] g1 = {1, 0, 0, 0, 0, 0}, g2 = {0, 2, 0, 0, 0, 0}, g4 = {3, 0, 0, 0, 0, 0};
        double[] d = flat(MultiLoss.config(List.of(named(g1), named(g2), named(g4))));
        double dn = Math.sqrt(dot(d, d));
        assertEquals(dot(d, g1) / dn, dot(d, g2) / (2 * dn), 1e-12);
        assertTrue(dot(d, g1) > 0);
    }

    static double quad(double[][] gram, double[] w) {
        double s = 0;
        for (int i = 0; i < w.length; i++) for (int j = 0; j < w.length; j++) s += w[i] * gram[i][j] * w[j];
        return s;
    }

    @Test
    void mgdaIsTheMinNormPointOfTheHull() {
        Random rnd = new Random(5);
        for (int trial = 0; trial < 40; trial++) {
            int m = 2 + trial % 2, n = 4 + trial % 3;
            double[][] g = new double[m][];
            List<Map<String, Tensor>> gs = new ArrayList<>();
            for (int i = 0; i < m; i++) {
                g[i] = random(rnd, n);
                if (trial % 4 == 0) for (int k = 0; k < n; k++) g[i][k] += 2; // all agreeing: a vertex or edge optimum
                gs.add(named(g[i]));
            }
            double[][] gram = new double[m][m];
            for (int i = 0; i < m; i++) for (int j = 0; j < m; j++) gram[i][j] = dot(g[i], g[j]);
            var r = MultiLoss.mgda(gs);
            double[] w = r.weights();
            double total = 0;
            for (double wi : w) {
                assertTrue(wi >= 0, "weight " + wi);
                total += wi;
            }
            assertEquals(1, total, 1e-12);
            double[] d = new double[n];
            for (int i = 0; i < m; i++) for (int k = 0; k < n; k++) d[k] += w[i] * g[i][k];
            assertArrayEquals(d, flat(r.direction()), 1e-12);
            double f = dot(d, d);
            // KKT on the simplex: g_i · d >= |d|², with equality where w_i > 0
            for (int i = 0; i < m; i++) {
                double gi = dot(g[i], d);
                assertTrue(gi >= f - 1e-9, "g_" + i + "·d = " + gi + " < |d|² = " + f);
                if (w[i] > 1e-6) assertEquals(f, gi, 1e-9, "active constraint " + i);
            }
            // brute force over a simplex grid
            int steps = 200;
            double best = Double.POSITIVE_INFINITY;
            for (int a = 0; a <= steps; a++) {
                if (m == 2) best = Math.min(best, quad(gram, new double[] {a / (double) steps, 1 - a / (double) steps}));
                else for (int b = 0; a + b <= steps; b++) {
                    best = Math.min(best, quad(gram, new double[] {a / (double) steps, b / (double) steps, (steps - a - b) / (double) steps}));
                }
            }
            assertTrue(f <= best + 1e-12, "min norm² " + f + " above grid minimum " + best);
        }
    }

    @Test
    void mgdaKktForManyGradients() {
        Random rnd = new Random(8);
        for (int trial = 0; trial < 20; trial++) {
            int m = 4 + trial % 5, n = 5 + trial % 3; // also more gradients than dimensions
            double[][] g = new double[m][];
            List<Map<String, Tensor>> gs = new ArrayList<>();
            for (int i = 0; i < m; i++) {
                g[i] = random(rnd, n);
                if (trial % 3 == 0) for (int k = 0; k < n; k++) g[i][k] += 1.5;
                gs.add(named(g[i]));
            }
            double[] w = MultiLoss.mgda(gs).weights();
            double[] d = new double[n];
            double total = 0;
            for (int i = 0; i < m; i++) {
                assertTrue(w[i] >= 0);
                total += w[i];
                for (int k = 0; k < n; k++) d[k] += w[i] * g[i][k];
            }
            assertEquals(1, total, 1e-12);
            double f = dot(d, d);
            for (int i = 0; i < m; i++) {
                double gi = dot(g[i], d);
                assertTrue(gi >= f - 1e-9, "trial " + trial + ": g_" + i + "·d = " + gi + " < |d|² = " + f);
                if (w[i] > 1e-6) assertEquals(f, gi, 1e-9, "active constraint " + i);
            }
        }
    }

    @Test
    void gradientsByNameAndDtypes() {
        Tensor a = Tensor.ofFloats(1, -2).requiresGrad(true);
        Tensor b = Tensor.of(new float[] {0.5f, 1, 2, 3}, 2, 2).requiresGrad(true);
        Map<String, Tensor> params = new LinkedHashMap<>();
        params.put("a", a);
        params.put("b", b);
        List<Supplier<Tensor>> losses = List.of(() -> a.mul(a).sum().mul(3), () -> b.pow(3).sum().add(a.sum()));
        var gs = MultiLoss.gradients(losses, params);
        assertEquals(2, gs.size());
        assertArrayEquals(new double[] {6, -12}, gs.get(0).get("a").toArray(), 1e-6);
        assertArrayEquals(new double[] {0, 0, 0, 0}, gs.get(0).get("b").toArray(), 0.0, "unused parameter: zeros");
        assertArrayEquals(new double[] {1, 1}, gs.get(1).get("a").toArray(), 1e-6);
        assertArrayEquals(new double[] {0.75, 3, 12, 27}, gs.get(1).get("b").toArray(), 1e-5);
        assertArrayEquals(new int[] {2, 2}, gs.get(1).get("b").shape());
        for (Method m : new Method[] {Method.SUM, Method.PCGRAD_FIXED, Method.CONFIG, Method.MGDA}) {
            var c = MultiLoss.combine(gs, m, null);
            assertEquals(List.of("a", "b"), new ArrayList<>(c.keySet()));
            assertEquals(DType.FLOAT32, c.get("a").dtype());
            assertArrayEquals(new int[] {2, 2}, c.get("b").shape());
        }
        assertEquals(DType.FLOAT32, MultiLoss.combine(gs, Method.PCGRAD, new Generator(0)).get("b").dtype());
        // flat vectors: the same combination as one-key maps
        Tensor f1 = Tensor.of(1, -2, 0.5), f2 = Tensor.of(-1, 0.5, 3);
        assertArrayEquals(flatOne(MultiLoss.config(List.of(Map.of("g", f1), Map.of("g", f2)))),
                MultiLoss.combineFlat(List.of(f1, f2), Method.CONFIG, null).toArray(), 0.0);
    }

    static double[] flatOne(Map<String, Tensor> m) {
        return m.get("g").toArray();
    }

    @Test
    void everyLossDecreasesWhereTheSumDoesNot() {
        // L1 = ½|x - a|², L2 = 50|x - b|² at x = 0: g1 = (-1, 0), g2 = (10, 100); g1·(g1 + g2) = -9 < 0, so the
        // summed step increases L1
        double[] a = {1, 0}, b = {-0.1, -1};
        for (Method m : Method.values()) {
            Tensor x = Tensor.zeros(2).requiresGrad(true);
            Map<String, Tensor> params = Map.of("x", x);
            Tensor ta = Tensor.of(a), tb = Tensor.of(b);
            List<Supplier<Tensor>> losses = List.of(() -> x.sub(ta).pow(2).sum().mul(0.5), () -> x.sub(tb).pow(2).sum().mul(50));
            Optimizer opt = Optimizers.sgd(params, 1e-4);
            Generator gen = new Generator(9);
            double[] prev = MultiLoss.step(opt, params, losses, m, gen);
            for (int s = 0; s < 3; s++) {
                double[] now = MultiLoss.step(opt, params, losses, m, gen);
                if (m == Method.SUM) {
                    assertTrue(now[0] > prev[0], "the plain sum should increase L1 at step " + s);
                    assertTrue(now[1] < prev[1]);
                } else {
                    for (int i = 0; i < 2; i++) assertTrue(now[i] < prev[i], m + ": loss " + i + " rose at step " + s);
                }
                prev = now;
            }
        }
    }

    @Test
    void errorsNameTheMismatch() {
        Map<String, Tensor> g0 = Map.of("w", Tensor.zeros(2, 2), "b", Tensor.zeros(3));
        Map<String, Tensor> wrongKey = Map.of("w", Tensor.zeros(2, 2), "bias", Tensor.zeros(3));
        Map<String, Tensor> wrongShape = Map.of("w", Tensor.zeros(2, 3), "b", Tensor.zeros(3));
        var e = assertThrows(IllegalArgumentException.class, () -> MultiLoss.config(List.of(g0, wrongKey)));
        assertTrue(e.getMessage().contains("MultiLoss.config") && e.getMessage().contains("bias") && e.getMessage().contains("missing [b]"),
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> MultiLoss.mgda(List.of(g0, wrongShape)));
        assertTrue(e.getMessage().contains("'w'") && e.getMessage().contains("[2, 3]") && e.getMessage().contains("[2, 2]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> MultiLoss.pcgrad(List.of()));
        assertTrue(e.getMessage().contains("empty"));
        e = assertThrows(IllegalArgumentException.class, () -> MultiLoss.combine(List.of(g0), Method.PCGRAD, null));
        assertTrue(e.getMessage().contains("Generator"));
        Map<String, Tensor> ints = Map.of("w", Tensor.ofInts(1, 2));
        e = assertThrows(IllegalArgumentException.class, () -> MultiLoss.sum(List.of(ints)));
        assertTrue(e.getMessage().contains("INT32"), e.getMessage());
        Tensor x = Tensor.zeros(2).requiresGrad(true);
        e = assertThrows(IllegalArgumentException.class, () -> MultiLoss.gradients(List.of(() -> x.mul(2)), Map.of("x", x)));
        assertTrue(e.getMessage().contains("loss 0") && e.getMessage().contains("[2]"), e.getMessage());
    }

    @Test
    void degenerateCases() {
        Map<String, Tensor> z = Map.of("g", Tensor.zeros(3)), g = Map.of("g", Tensor.of(1, 2, 2));
        var r = MultiLoss.mgda(List.of(g, z));
        assertArrayEquals(new double[] {0, 1}, r.weights(), 0.0);
        // a zero gradient takes no part in ConFIG's cosines: the direction is the other gradient's
        assertArrayEquals(new double[] {1, 2, 2}, MultiLoss.config(List.of(g, z)).get("g").toArray(), 1e-12);
        // exactly opposite gradients: no direction with positive cosine to both
        Map<String, Tensor> ng = Map.of("g", Tensor.of(-1, -2, -2));
        assertArrayEquals(new double[] {0, 0, 0}, MultiLoss.config(List.of(g, ng)).get("g").toArray(), 1e-12);
        assertArrayEquals(new double[] {0, 0, 0}, MultiLoss.pcgrad(List.of(g, ng)).get("g").toArray(), 1e-12);
        assertArrayEquals(new double[] {1, 2, 2}, MultiLoss.config(List.of(g)).get("g").toArray(), 1e-12);
    }
}
