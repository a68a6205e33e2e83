package callisto.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import callisto.tensor.DType;
import callisto.tensor.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Levenberg–Marquardt on standard problems with known minima (Rosenbrock as residuals, Powell's singular
 * function, an exact exponential fit), in both damping modes; a noisy fit is checked against the optimality
 * condition Jᵀr = 0 with the Jacobian written out by hand here.
 */
class LevenbergMarquardtTest {
    static Tensor rosenbrockResiduals(Tensor x) {
        Tensor x1 = x.slice(0, 0, 1), x2 = x.slice(0, 1, 2);
        return Tensor.cat(List.of(x2.sub(x1.pow(2)).mul(10), x1.rsub(1)), 0);
    }

    /** Powell's singular function: minimum 0 at the origin, where the Jacobian is singular. */
    static Tensor powell(Tensor x) {
        Tensor a = x.slice(0, 0, 1), b = x.slice(0, 1, 2), c = x.slice(0, 2, 3), d = x.slice(0, 3, 4);
        return Tensor.cat(List.of(a.add(b.mul(10)), c.sub(d).mul(Math.sqrt(5)), b.sub(c.mul(2)).pow(2),
                a.sub(d).pow(2).mul(Math.sqrt(10))), 0);
    }

    @Test
    void rosenbrockFromTheClassicStart() {
        for (boolean scaled : new boolean[] {false, true}) {
            var r = LevenbergMarquardt.minimize(LevenbergMarquardtTest::rosenbrockResiduals, Tensor.of(-1.2, 1),
                    LevenbergMarquardt.Options.defaults().withMarquardtScaling(scaled));
            assertTrue(r.converged(), "scaled " + scaled);
            assertEquals(1, r.x().get(0), 1e-10);
            assertEquals(1, r.x().get(1), 1e-10);
            assertTrue(r.cost() < 1e-20, "cost " + r.cost());
            assertTrue(r.iterations() < 60, "iterations " + r.iterations());
        }
    }

    @Test
    void powellSingularReachesZero() {
        for (boolean scaled : new boolean[] {false, true}) {
            var r = LevenbergMarquardt.minimize(LevenbergMarquardtTest::powell, Tensor.of(3, -1, 0, 1),
                    LevenbergMarquardt.Options.defaults().withMarquardtScaling(scaled).withMaxIter(500));
            assertTrue(r.cost() < 1e-12, "cost " + r.cost() + " scaled " + scaled);
            for (double v : r.x().toArray()) assertEquals(0, v, 1e-3);
        }
    }

    static final double[] T = new double[25];

    static {
        for (int i = 0; i < T.length; i++) T[i] = 0.25 * i;
    }

    static double[] data(double noise) {
        double[] y = new double[T.length];
        for (int i = 0; i < y.length; i++) y[i] = 2.5 * Math.exp(-1.3 * T[i]) + 0.4 + noise * Math.sin(7.1 * i);
        return y;
    }

    static Tensor expResiduals(Tensor p, double[] y) {
        Tensor t = Tensor.of(T, T.length).to(p.dtype()), yt = Tensor.of(y, y.length).to(p.dtype());
        Tensor a = p.slice(0, 0, 1), k = p.slice(0, 1, 2), c = p.slice(0, 2, 3);
        return t.mul(k).neg().exp().mul(a).add(c).sub(yt);
    }

    @Test
    void exponentialFitRecoversExactParameters() {
        double[] y = data(0);
        for (boolean scaled : new boolean[] {false, true}) {
            var r = LevenbergMarquardt.minimize(p -> expResiduals(p, y), Tensor.of(1, 0.2, 0),
                    LevenbergMarquardt.Options.defaults().withMarquardtScaling(scaled));
            assertEquals(2.5, r.x().get(0), 1e-9);
            assertEquals(1.3, r.x().get(1), 1e-9);
            assertEquals(0.4, r.x().get(2), 1e-9);
        }
    }

    @Test
    void noisyFitSatisfiesNormalEquations() {
        double[] y = data(0.05);
        var r = LevenbergMarquardt.minimize(p -> expResiduals(p, y), Tensor.of(1, 0.2, 0), LevenbergMarquardt.Options.defaults());
        double a = r.x().get(0), k = r.x().get(1), c = r.x().get(2);
        double[] grad = new double[3];
        double cost = 0, costAtTruth = 0;
        for (int i = 0; i < T.length; i++) {
            double e = Math.exp(-k * T[i]), res = a * e + c - y[i];
            grad[0] += res * e;
            grad[1] += res * (-a * T[i] * e);
            grad[2] += res;
            cost += 0.5 * res * res;
            double rt = 2.5 * Math.exp(-1.3 * T[i]) + 0.4 - y[i];
            costAtTruth += 0.5 * rt * rt;
        }
        for (double gi : grad) assertEquals(0, gi, 1e-9);
        assertEquals(cost, r.cost(), 1e-12);
        assertTrue(cost <= costAtTruth);
    }

    @Test
    void float32InFloat32Out() {
        double[] y = data(0);
        var r = LevenbergMarquardt.minimize(p -> expResiduals(p, y), Tensor.of(1, 0.2, 0).to(DType.FLOAT32),
                LevenbergMarquardt.Options.defaults().withGradTol(1e-5).withStepTol(1e-7));
        assertEquals(DType.FLOAT32, r.x().dtype());
        assertEquals(2.5, r.x().get(0), 1e-4);
        assertEquals(1.3, r.x().get(1), 1e-4);
        assertEquals(0.4, r.x().get(2), 1e-4);
    }

    @Test
    void badInputNamesTheArgument() {
        var e = assertThrows(IllegalArgumentException.class, () -> LevenbergMarquardt.Options.defaults().withTau(0));
        assertTrue(e.getMessage().contains("tau = 0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> LevenbergMarquardt.minimize(x -> x, Tensor.ofInts(1), LevenbergMarquardt.Options.defaults()));
        assertTrue(e.getMessage().contains("x0"), e.getMessage());
    }
}
