package callisto.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import callisto.tensor.DType;
import callisto.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TransformsTest {
    static Map<String, Tensor> map(Object... kv) {
        Map<String, Tensor> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) m.put((String) kv[i], (Tensor) kv[i + 1]);
        return m;
    }

    static final double[] W = {0.5, -1.0, 2.0}, B = {0.1, -0.3};

    @SuppressWarnings({"unchecked", "rawtypes"})
    @Test
    void chainEqualsTheHandComposedUpdate() {
        GradientTransform<?>[] parts = {Transforms.clipByGlobalNorm(1.0), Transforms.scaleByAdam(0.9, 0.99, 1e-3, false),
                Transforms.addDecayedWeights(0.1, n -> !n.endsWith("bias")), Transforms.scaleByLearningRate(0.05)};
        GradientTransform<Transforms.ChainState> chain = Transforms.chain(parts);
        Map<String, Tensor> params = map("layer.weight", Tensor.of(W.clone()), "layer.bias", Tensor.of(B.clone()));
        Transforms.ChainState cs = chain.init(params);
        OptState[] manual = new OptState[parts.length];
        for (int i = 0; i < parts.length; i++) manual[i] = parts[i].init(params);
        double[] m = new double[5], v = new double[5];
        double[][] gs = {{3, -4, 1, 2, 0.5}, {0.1, 0.2, -0.3, 0.05, 0.0}, {-2, 1, 1, -1, 3}};
        for (int t = 1; t <= gs.length; t++) {
            double[] g = gs[t - 1];
            Map<String, Tensor> grads = map("layer.weight", Tensor.of(g[0], g[1], g[2]), "layer.bias", Tensor.of(g[3], g[4]));
            Update<Transforms.ChainState> viaChain = chain.update(grads, cs, params);
            cs = viaChain.state();
            Map<String, Tensor> u = grads;
            for (int i = 0; i < parts.length; i++) {
                Update<?> r = ((GradientTransform) parts[i]).update(u, manual[i], params);
                u = r.updates();
                manual[i] = r.state();
            }
            // The same update with plain doubles: clip to norm 1, Adam, decay on the weight only, times −lr.
            double norm = 0;
            for (double x : g) norm += x * x;
            norm = Math.sqrt(norm);
            double c = norm > 1 ? 1 / norm : 1;
            double[] p = {W[0], W[1], W[2], B[0], B[1]}, expected = new double[5];
            for (int i = 0; i < 5; i++) {
                double gi = g[i] * c;
                m[i] = 0.9 * m[i] + 0.1 * gi;
                v[i] = 0.99 * v[i] + 0.01 * gi * gi;
                double a = (m[i] / (1 - Math.pow(0.9, t))) / (Math.sqrt(v[i] / (1 - Math.pow(0.99, t))) + 1e-3);
                if (i < 3) a += 0.1 * p[i];
                expected[i] = -0.05 * a;
            }
            double[] got = Tensor.cat(java.util.List.of(viaChain.updates().get("layer.weight"), viaChain.updates().get("layer.bias")), 0)
                    .toArray();
            double[] hand = Tensor.cat(java.util.List.of(u.get("layer.weight"), u.get("layer.bias")), 0).toArray();
            assertArrayEquals(hand, got, 0.0, "chain vs transforms applied one by one, step " + t);
            assertArrayEquals(expected, got, 1e-12, "chain vs the equations, step " + t);
        }
        assertEquals(java.util.List.of("clipGlobalNorm", "adam", "decay", "lr"), cs.names());
    }

    @Test
    void repeatedNamesInAChainGetSuffixes() {
        var chain = Transforms.chain(Transforms.scale(2), Transforms.scale(3), Transforms.scaleByLearningRate(1));
        var s = chain.init(map("w", Tensor.of(1.0)));
        assertEquals(java.util.List.of("scale", "scale_1", "lr"), s.names());
        Tensor u = chain.update(map("w", Tensor.of(1.5)), s, map("w", Tensor.of(1.0))).updates().get("w");
        assertEquals(-9.0, u.item(), 0);
    }

    @Test
    void maskSelectsDecayedParameters() {
        Tensor w = Tensor.of(W.clone()).requiresGrad(true), b = Tensor.of(B.clone()).requiresGrad(true);
        Optimizer opt = Optimizers.adamW(map("layer.weight", w, "layer.bias", b), Schedule.constant(0.1), 0.9, 0.999, 1e-8,
                Schedule.constant(0.5), n -> !n.endsWith("bias"), false);
        // Zero gradients: Adam's part is exactly 0, leaving only the decoupled decay.
        w.mul(0).sum().add(b.mul(0).sum()).backward();
        opt.step();
        double[] gotW = w.toArray();
        for (int i = 0; i < 3; i++) assertEquals(W[i] * (1 - 0.1 * 0.5), gotW[i], 1e-15);
        assertArrayEquals(B, b.toArray(), 0.0);
    }

    @Test
    void weightDecayAsASchedule() {
        Tensor w = Tensor.of(2.0, -4.0);
        var decay = Transforms.addDecayedWeights(Schedule.exponential(1.0, 0.5), n -> true);
        var s = decay.init(map("w", w));
        for (int t = 0; t < 3; t++) {
            var r = decay.update(map("w", Tensor.of(0.0, 0.0)), s, map("w", w));
            assertArrayEquals(new double[] {2.0 * Math.pow(0.5, t), -4.0 * Math.pow(0.5, t)}, r.updates().get("w").toArray(), 0.0);
            s = r.state();
        }
    }

    @Test
    void parametersWithoutGradientAreSkipped() {
        Tensor w = Tensor.of(W.clone()).requiresGrad(true), b = Tensor.of(B.clone()).requiresGrad(true);
        Optimizer opt = Optimizers.adam(map("w", w, "b", b), 0.1);
        w.mul(w).sum().backward();
        opt.step();
        assertArrayEquals(B, b.toArray(), 0.0);
        assertArrayEquals(new double[] {0, 0}, opt.state().get("adam.mu.b").toArray(), 0.0);
        double[] gotW = w.toArray();
        for (int i = 0; i < 3; i++) assertEquals(W[i] - 0.1 * Math.signum(W[i]), gotW[i], 1e-7);
    }

    @Test
    void clipping() {
        var p = map("a", Tensor.of(0.0, 0.0), "b", Tensor.of(0.0));
        var clip = Transforms.clipByGlobalNorm(2.5);
        var r = clip.update(map("a", Tensor.of(3.0, 0.0), "b", Tensor.of(4.0)), clip.init(p), p);
        assertArrayEquals(new double[] {1.5, 0}, r.updates().get("a").toArray(), 1e-15);
        assertArrayEquals(new double[] {2.0}, r.updates().get("b").toArray(), 1e-15);
        Map<String, Tensor> small = map("a", Tensor.of(0.3, 0.0), "b", Tensor.of(0.4));
        assertSame(small, clip.update(small, clip.init(p), p).updates());
        var cv = Transforms.clipByValue(1.0);
        assertArrayEquals(new double[] {1.0, -1.0, 0.5},
                cv.update(map("a", Tensor.of(3.0, -2.0, 0.5)), cv.init(p), p).updates().get("a").toArray(), 0.0);
        var sign = Transforms.scaleBySign();
        assertArrayEquals(new double[] {1.0, -1.0, 0.0},
                sign.update(map("a", Tensor.of(3.0, -2.0, 0.0)), sign.init(p), p).updates().get("a").toArray(), 0.0);
    }

    @Test
    void trustRatioIsPerParameter() {
        var tr = Transforms.scaleByTrustRatio(1.0, 0);
        var p = map("a", Tensor.of(3.0, 4.0), "z", Tensor.of(0.0, 0.0));
        var r = tr.update(map("a", Tensor.of(1.0, 0.0), "z", Tensor.of(2.0, 1.0)), tr.init(p), p);
        assertArrayEquals(new double[] {5.0, 0.0}, r.updates().get("a").toArray(), 1e-15);
        assertArrayEquals(new double[] {2.0, 1.0}, r.updates().get("z").toArray(), 0.0, "zero parameter norm: ratio 1");
    }

    @Test
    void float32ParametersKeepTheirDtype() {
        Tensor w = Tensor.of(new float[] {0.5f, -1f}, 2).requiresGrad(true);
        Optimizer opt = Optimizers.adamW(map("w", w), 0.1);
        w.mul(w).sum().backward();
        opt.step();
        assertEquals(DType.FLOAT32, w.dtype());
        assertEquals(DType.FLOAT32, opt.state().get("adam.mu.w").dtype());
        float[] got = w.toFloatArray();
        assertEquals((float) (0.5 * (1 - 0.1 * 0.01) - 0.1), got[0], 1e-6f);
    }

    @Test
    void complexPairsAreTreatedAsTheirRealView() {
        // PyTorch steps a complex parameter through view_as_real: each of re and im gets its own second moment.
        double[] z0 = {0.5, -1.0, 2.0, 0.3, -0.7, 1.1};
        Tensor z = Tensor.of(z0.clone(), 3, 2).requiresGrad(true), r = Tensor.of(z0.clone()).requiresGrad(true);
        Optimizer oz = Optimizers.adam(map("z", z), 0.1), or = Optimizers.adam(map("r", r), 0.1);
        Tensor k = Tensor.of(1.0, 2.0, 3.0, 4.0, 5.0, 6.0);
        for (int t = 0; t < 3; t++) {
            oz.zeroGrad();
            or.zeroGrad();
            z.mul(z).mul(k.reshape(3, 2)).sum().backward();
            r.mul(r).mul(k).sum().backward();
            oz.step();
            or.step();
        }
        assertArrayEquals(r.toArray(), z.toArray(), 0.0);
        assertArrayEquals(new int[] {3, 2}, oz.state().get("adam.nu.z").shape());
        double g0 = 2 * z0[0], g1 = 2 * 2 * z0[1];
        Tensor fresh = Tensor.of(z0.clone(), 3, 2).requiresGrad(true);
        Optimizer one = Optimizers.adam(map("z", fresh), 0.1);
        fresh.mul(fresh).mul(k.reshape(3, 2)).sum().backward();
        one.step();
        double[] nu = one.state().get("adam.nu.z").toArray();
        assertEquals(0.001 * g0 * g0, nu[0], 1e-15, "re² alone, not |g|²");
        assertEquals(0.001 * g1 * g1, nu[1], 1e-15, "im² alone, not |g|²");
    }

    @Test
    void badArgumentsAreNamed() {
        var e = assertThrows(IllegalArgumentException.class, () -> Transforms.scaleByAdam(1.0, 0.999, 1e-8, false));
        assertTrue(e.getMessage().contains("scaleByAdam") && e.getMessage().contains("b1") && e.getMessage().contains("1.0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Optimizers.sgd(map("w", Tensor.of(1.0)), 0.1, 0, 0, true, 0));
        assertTrue(e.getMessage().contains("nesterov"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Optimizers.adam(map("i", Tensor.ofInts(1, 2)), 0.1));
        assertTrue(e.getMessage().contains("'i'"), e.getMessage());
    }
}
