package callisto.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import callisto.tensor.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** What the shared update, contract and state tests do not reach for FAdam and GAM. */
class FadamGamTest {
    static Map<String, Tensor> param(double... v) {
        Map<String, Tensor> p = new LinkedHashMap<>();
        p.put("w", Tensor.of(v).requiresGrad(true));
        return p;
    }

    static Tensor step(Optimizer opt, java.util.function.Function<Tensor, Tensor> loss) {
        Tensor w = opt.params().get("w");
        Supplier<Tensor> closure = () -> {
            opt.zeroGrad();
            Tensor l = loss.apply(w);
            l.backward();
            return l;
        };
        return opt.step(closure);
    }

    /** With RMS(g) < 1 the adaptive epsilon is ε·RMS(g); a loss scaled by 1e-3 keeps every gradient below 1. */
    @Test
    void fadamAdaptiveEpsilonBelowUnitGradientRms() {
        double s = 1e-3;
        Optimizer opt = Optimizers.fadam(param(OptimizersUpdateTest.W0.clone()), Schedule.constant(0.05), 0.9, 0.999, 2e-3, 1, 0.5, 0.1);
        OptimizersUpdateTest.Ref ref = OptimizersUpdateTest.fadamRef(0.05, 0.9, 0.999, 2e-3, 1, 0.5, 0.1);
        double[] expected = OptimizersUpdateTest.W0.clone();
        for (int t = 1; t <= 8; t++) {
            step(opt, w -> OptimizersUpdateTest.loss(w).mul(s));
            ref.step(expected, w -> {
                double[] g = OptimizersUpdateTest.grad(w);
                for (int i = 0; i < g.length; i++) g[i] *= s;
                return g;
            });
            assertArrayEquals(expected, opt.params().get("w").toArray(), 1e-10, "step " + t);
        }
    }

    /** A tensor whose gradients are all zero has no Fisher information and ε_t = 0: it stays put instead of going NaN. */
    @Test
    void fadamZeroGradientDoesNotMove() {
        Optimizer opt = Optimizers.fadam(param(1.0, -2.0), 0.1);
        step(opt, w -> w.mul(0).sum());
        assertArrayEquals(new double[] {1.0, -2.0}, opt.params().get("w").toArray(), 0.0);
    }

    @Test
    void fadamStateKeys() {
        Optimizer opt = Optimizers.fadam(param(1.0, 2.0), 0.1);
        step(opt, w -> w.mul(w).sum());
        assertEquals(List.of("fadam.step", "fadam.momentum.w", "fadam.fisher.w", "lr.count"), new ArrayList<>(opt.state().keySet()));
        // After one step the Fisher is g² exactly (β̂2 = 0 at t = 1): the bias-corrected EMA.
        assertArrayEquals(new double[] {4.0, 16.0}, opt.state().get("fadam.fisher.w").toArray(), 0.0);
    }

    /** A linear loss has a constant gradient: no gradient-norm ascent and no curvature, so GAM is its base optimizer. */
    @Test
    void gamOnALinearLossIsItsBase() {
        Optimizer gam = Optimizers.gam(param(0.5, -1.0), Transforms.scaleByLearningRate(0.1), 0.2, 0.05, 1.0);
        Tensor c = Tensor.of(3.0, -4.0);
        for (int t = 0; t < 3; t++) step(gam, w -> w.mul(c).sum());
        assertArrayEquals(new double[] {0.5 - 0.9, -1.0 + 1.2}, gam.params().get("w").toArray(), 1e-12);
    }

    @Test
    void gamNeedsTheClosure() {
        Optimizer gam = Optimizers.gam(param(1.0), Transforms.scaleByLearningRate(0.1), 0.05, 0.01, 0.5);
        assertThrows(IllegalStateException.class, gam::step);
        Map<String, Tensor> g = new LinkedHashMap<>();
        g.put("w", Tensor.of(1.0));
        assertThrows(IllegalStateException.class, () -> gam.step(g));
    }

    static void assertNames(Runnable r, String... parts) {
        var e = assertThrows(IllegalArgumentException.class, r::run);
        for (String part : parts) assertTrue(e.getMessage().contains(part), e.getMessage());
    }

    @Test
    void argumentErrorsNameTheBadValue() {
        assertNames(() -> Optimizers.fadam(param(1.0), Schedule.constant(0.1), 1.0, 0.999, 1e-8, 1, 0.5, 0), "b1", "1.0");
        assertNames(() -> Optimizers.fadam(param(1.0), Schedule.constant(0.1), 0.9, -0.1, 1e-8, 1, 0.5, 0), "b2", "-0.1");
        assertNames(() -> Optimizers.fadam(param(1.0), Schedule.constant(0.1), 0.9, 0.999, -1e-8, 1, 0.5, 0), "eps", "-1.0E-8");
        assertNames(() -> Optimizers.fadam(param(1.0), Schedule.constant(0.1), 0.9, 0.999, 1e-8, 0, 0.5, 0), "clip", "0.0");
        assertNames(() -> Optimizers.fadam(param(1.0), Schedule.constant(0.1), 0.9, 0.999, 1e-8, 1, -0.5, 0), ": p must", "-0.5");
        assertNames(() -> Optimizers.fadam(param(1.0), Schedule.constant(0.1), 0.9, 0.999, 1e-8, 1, 0.5, -0.01), "weightDecay", "-0.01");
        GradientTransform<?> base = Transforms.scaleByLearningRate(0.1);
        assertNames(() -> Optimizers.gam(param(1.0), base, 0, 0.01, 0.5), "rho", "0.0");
        assertNames(() -> Optimizers.gam(param(1.0), base, 0.05, -0.01, 0.5), "rhoPrime", "-0.01");
        assertNames(() -> Optimizers.gam(param(1.0), base, 0.05, 0.01, Double.NaN), "alpha", "NaN");
    }
}
