package callisto.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Schedules at chosen steps against their formulas evaluated by hand. */
class ScheduleTest {
    static final double TOL = 1e-15;

    @Test
    void stepwise() {
        Schedule s = Schedule.step(0.1, 3, 0.5);
        assertEquals(0.1, s.at(0), TOL);
        assertEquals(0.1, s.at(2), TOL);
        assertEquals(0.05, s.at(3), TOL);
        assertEquals(0.025, s.at(7), TOL);
        Schedule m = Schedule.multiStep(1.0, new int[] {2, 5}, 0.1);
        assertEquals(1.0, m.at(1), TOL);
        assertEquals(0.1, m.at(2), TOL);
        assertEquals(0.1, m.at(4), TOL);
        assertEquals(0.01, m.at(5), 1e-17);
        assertEquals(0.01, m.at(100), 1e-17);
        assertEquals(2 * 0.9 * 0.9 * 0.9, Schedule.exponential(2, 0.9).at(3), TOL);
        assertEquals(0.3, Schedule.constant(0.3).at(12345), 0);
    }

    @Test
    void cosineAndWarmup() {
        Schedule c = Schedule.cosine(1.0, 10, 0.1);
        assertEquals(1.0, c.at(0), TOL);
        assertEquals(0.55, c.at(5), TOL);
        assertEquals(0.1 + 0.9 * 0.5 * (1 + Math.cos(Math.PI * 0.3)), c.at(3), TOL);
        assertEquals(0.1, c.at(10), TOL);
        assertEquals(0.1, c.at(20), TOL);
        Schedule w = Schedule.warmupCosine(0, 1, 4, 14, 0.1);
        assertEquals(0.0, w.at(0), TOL);
        assertEquals(0.5, w.at(2), TOL);
        assertEquals(1.0, w.at(4), TOL);
        assertEquals(0.55, w.at(9), TOL);
        assertEquals(0.1, w.at(14), TOL);
        assertEquals(0.1, w.at(30), TOL);
    }

    @Test
    void linearAndCooldown() {
        Schedule l = Schedule.linear(1.0, 0.2, 4, 2);
        assertEquals(1.0, l.at(0), TOL);
        assertEquals(1.0, l.at(2), TOL);
        assertEquals(0.6, l.at(4), TOL);
        assertEquals(0.2, l.at(6), TOL);
        assertEquals(0.2, l.at(60), TOL);
        Schedule c = Schedule.linearCooldown(1.0, 10, 4);
        assertEquals(1.0, c.at(0), TOL);
        assertEquals(1.0, c.at(6), TOL);
        assertEquals(0.5, c.at(8), TOL);
        assertEquals(0.0, c.at(10), TOL);
    }

    @Test
    void oneCycleMatchesPyTorch() {
        // OneCycleLR(max_lr=1, total_steps=10): initial 1/25, up to 1 at step 0.3·10 − 1 = 2, down to 0.04/1e4 at step 9.
        Schedule s = Schedule.oneCycle(1.0, 10);
        assertEquals(0.04, s.at(0), TOL);
        assertEquals(0.04 + (1 - 0.04) * 0.5, s.at(1), TOL);
        assertEquals(1.0, s.at(2), TOL);
        double min = 0.04 / 1e4;
        assertEquals(min + (1 - min) / 2 * (1 + Math.cos(Math.PI * 3 / 7.0)), s.at(5), TOL);
        assertEquals(min, s.at(9), TOL);
    }

    @Test
    void sgdrRestarts() {
        // Cycles [0, 2), [2, 6), [6, 14) for t0 = 2, mult = 2.
        Schedule s = Schedule.sgdr(1.0, 2, 2, 0.0);
        assertEquals(1.0, s.at(0), TOL);
        assertEquals(0.5, s.at(1), TOL);
        assertEquals(1.0, s.at(2), TOL);
        assertEquals(0.5, s.at(4), TOL);
        assertEquals(1.0, s.at(6), TOL);
        assertEquals(0.5, s.at(10), TOL);
        assertEquals(0.5 * (1 + Math.cos(Math.PI * 7 / 8)), s.at(13), TOL);
        Schedule flat = Schedule.sgdr(1.0, 4, 1, 0.2);
        assertEquals(flat.at(1), flat.at(9), TOL);
        assertEquals(0.2 + 0.8 * 0.5 * (1 + Math.cos(Math.PI / 4)), flat.at(5), TOL);
    }

    @Test
    void reduceOnPlateau() {
        ReduceOnPlateau r = new ReduceOnPlateau(1.0, true, 0.5, 2, 0.0, 1, 0.1);
        double[] metrics = {10, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9};
        // Traced by hand with ReduceLROnPlateau's rules: a reduction after patience+1 = 3 bad epochs, one epoch of cooldown.
        double[] expected = {1, 1, 1, 1, 0.5, 0.5, 0.5, 0.5, 0.25, 0.25, 0.25, 0.25, 0.125, 0.125, 0.125, 0.125, 0.1};
        for (int i = 0; i < metrics.length; i++) {
            assertEquals(expected[i], r.observe(metrics[i]), TOL, "observation " + i);
            assertEquals(expected[i], r.at(999), TOL);
        }
        assertEquals(0.1, r.observe(9), TOL);
        ReduceOnPlateau up = new ReduceOnPlateau(1.0, false, 0.1, 0, 0.0, 0, 0);
        assertEquals(1.0, up.observe(1));
        assertEquals(1.0, up.observe(2));
        assertEquals(0.1, up.observe(2), TOL);
    }

    @Test
    void scheduleDrivesTheLearningRate() {
        var lr = Transforms.scaleByLearningRate(Schedule.step(1.0, 2, 0.1));
        var p = TransformsTest.map("w", callisto.tensor.Tensor.of(0.0));
        var s = lr.init(p);
        double[] expected = {-1, -1, -0.1, -0.1, -0.01};
        for (double e : expected) {
            var r = lr.update(TransformsTest.map("w", callisto.tensor.Tensor.of(1.0)), s, p);
            assertEquals(e, r.updates().get("w").item(), 1e-15);
            s = r.state();
        }
    }

    @Test
    void badArguments() {
        var e = assertThrows(IllegalArgumentException.class, () -> Schedule.multiStep(1, new int[] {3, 3}, 0.1));
        assertTrue(e.getMessage().contains("multiStep") && e.getMessage().contains("[3, 3]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Schedule.cosine(1, 0, 0));
        assertTrue(e.getMessage().contains("decaySteps"), e.getMessage());
    }
}
