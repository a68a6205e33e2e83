package callisto.ode;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import callisto.tensor.Autograd;
import callisto.tensor.DType;
import callisto.tensor.GradCheck;
import callisto.tensor.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;

class OdeintTest {
    static final OdeFunction DECAY = (t, y) -> y.neg();
    /** q' = p, p' = -q on y = [q, p]: a rotation. */
    static final OdeFunction OSCILLATOR = (t, y) -> y.matmul(Tensor.of(new double[][] {{0, -1}, {1, 0}}));

    static double oscillatorError(Tensor ys, double[] ts, double q0, double p0) {
        double worst = 0;
        for (int i = 0; i < ts.length; i++) {
            double q = q0 * Math.cos(ts[i]) + p0 * Math.sin(ts[i]), p = -q0 * Math.sin(ts[i]) + p0 * Math.cos(ts[i]);
            worst = Math.max(worst, Math.hypot(ys.get(i, 0) - q, ys.get(i, 1) - p));
        }
        return worst;
    }

    /** The least-squares slope of log(error) against log(h). */
    static double slope(double[] h, double[] err) {
        int n = h.length;
        double mx = 0, my = 0;
        for (int i = 0; i < n; i++) {
            mx += Math.log(h[i]) / n;
            my += Math.log(err[i]) / n;
        }
        double sxy = 0, sxx = 0;
        for (int i = 0; i < n; i++) {
            sxy += (Math.log(h[i]) - mx) * (Math.log(err[i]) - my);
            sxx += (Math.log(h[i]) - mx) * (Math.log(h[i]) - mx);
        }
        return sxy / sxx;
    }

    @Test
    void rk4IsFourthOrder() {
        double[] h = {0.2, 0.1, 0.05, 0.025}, decay = new double[4], osc = new double[4];
        double[] ts = {0, 0.5, 2};
        for (int i = 0; i < h.length; i++) {
            Tensor ys = Odeint.rk4(DECAY, Tensor.of(1.5), ts, h[i]);
            decay[i] = Math.abs(ys.get(2, 0) - 1.5 * Math.exp(-2));
            osc[i] = oscillatorError(Odeint.rk4(OSCILLATOR, Tensor.of(1, 0.5), new double[] {0, 2 * Math.PI}, h[i]), new double[] {0, 2 * Math.PI}, 1, 0.5);
        }
        double s1 = slope(h, decay), s2 = slope(h, osc);
        assertTrue(Math.abs(s1 - 4) < 0.15, "y' = -y: slope " + s1);
        assertTrue(Math.abs(s2 - 4) < 0.15, "oscillator: slope " + s2);
    }

    @Test
    void rk4HitsRequestedTimesAndKeepsDtype() {
        Tensor ys = Odeint.rk4(DECAY, Tensor.of(new float[] {1, 2}, 2), new double[] {0, 0.3, 0.3, 1}, 0.01);
        assertArrayEquals(new int[] {4, 2}, ys.shape());
        assertEquals(DType.FLOAT32, ys.dtype());
        assertEquals(ys.get(1, 0), ys.get(2, 0));
        assertEquals(2 * Math.exp(-1), ys.get(3, 1), 1e-6);
    }

    @Test
    void dopri5ErrorFollowsTheTolerance() {
        double[] ts = new double[11];
        for (int i = 0; i < ts.length; i++) ts[i] = i;
        double previous = Double.POSITIVE_INFINITY;
        for (double tol : new double[] {1e-4, 1e-7, 1e-10}) {
            OdeSolution s = Odeint.dopri5(OSCILLATOR, Tensor.of(1, 0), ts, Dopri5Options.tolerances(tol, tol));
            double err = oscillatorError(s.ys(), ts, 1, 0);
            // a global error within a small multiple of the local tolerance over ten time units
            assertTrue(err < 10 * tol, "tol " + tol + ": error " + err);
            assertTrue(err < previous / 50, "tightening the tolerance 1000x must shrink the error");
            previous = err;
        }
        OdeSolution decay = Odeint.dopri5(DECAY, Tensor.of(1, -3), new double[] {0, 5}, Dopri5Options.tolerances(1e-8, 1e-12));
        assertEquals(Math.exp(-5), decay.ys().get(1, 0), 1e-8 * Math.exp(-5) * 10);
        assertEquals(-3 * Math.exp(-5), decay.ys().get(1, 1), 3e-8 * Math.exp(-5) * 10);
    }

    @Test
    void denseOutputIsAccurateBetweenSteps() {
        int n = 1000;
        double[] ts = new double[n];
        for (int i = 0; i < n; i++) ts[i] = 10.0 * i / (n - 1);
        OdeSolution s = Odeint.dopri5(OSCILLATOR, Tensor.of(0.3, 1), ts, Dopri5Options.tolerances(1e-8, 1e-10));
        assertTrue(s.acceptedSteps() < n / 5, s.acceptedSteps() + " steps: most requested times fall between steps");
        assertTrue(oscillatorError(s.ys(), ts, 0.3, 1) < 1e-7, "dense output error " + oscillatorError(s.ys(), ts, 0.3, 1));
        // the same times solved one interval at a time (each ending on a step) agree
        OdeSolution coarse = Odeint.dopri5(OSCILLATOR, Tensor.of(0.3, 1), new double[] {0, ts[137]}, Dopri5Options.tolerances(1e-8, 1e-10));
        assertArrayEquals(coarse.ys().select(0, 1).toArray(), s.ys().select(0, 137).toArray(), 1e-7);
    }

    @Test
    void integratesBackwardsInTime() {
        Tensor ys = Odeint.odeint(DECAY, Tensor.of(1.0), new double[] {2, 1, 0}, 1e-9, 1e-12);
        assertEquals(Math.exp(1), ys.get(1, 0), 1e-8);
        assertEquals(Math.exp(2), ys.get(2, 0), 1e-8);
    }

    @Test
    void controllersAndFirstStep() {
        double[] ts = {0, 10};
        OdeSolution pi = Odeint.dopri5(OSCILLATOR, Tensor.of(1, 0), ts, Dopri5Options.tolerances(1e-8, 1e-8));
        OdeSolution standard = Odeint.dopri5(OSCILLATOR, Tensor.of(1, 0), ts, Dopri5Options.tolerances(1e-8, 1e-8).withBeta(0));
        OdeSolution fixedStart = Odeint.dopri5(OSCILLATOR, Tensor.of(1, 0), ts, Dopri5Options.tolerances(1e-8, 1e-8).withFirstStep(1e-3));
        for (OdeSolution s : List.of(pi, standard, fixedStart)) assertTrue(oscillatorError(s.ys(), ts, 1, 0) < 1e-7);
        var e = assertThrows(IllegalStateException.class,
                () -> Odeint.dopri5(OSCILLATOR, Tensor.of(1, 0), ts, Dopri5Options.tolerances(1e-8, 1e-8).withMaxSteps(5)));
        assertTrue(e.getMessage().contains("maxSteps"), e.getMessage());
    }

    /** y' = -k y² + sin(w t) y on [2] states, with parameters k and w. */
    static OdeFunction nonlinear(Tensor k, Tensor w) {
        return (t, y) -> y.pow(2).mul(k).neg().add(y.mul(w.mul(t).sin()));
    }

    @Test
    void gradientsThroughTheSolvers() {
        Tensor y0 = Tensor.of(0.8, 1.2), k = Tensor.of(0.7), w = Tensor.of(1.3);
        double[] ts = {0, 0.4, 1};
        GradCheck.gradcheck(in -> Odeint.rk4(nonlinear(in[1], in[2]), in[0], ts, 0.1), y0, k, w);
        GradCheck.gradgradcheck(in -> Odeint.rk4(nonlinear(in[1], in[2]), in[0], ts, 0.25), y0, k, w);
        GradCheck.gradcheck(in -> Odeint.odeint(nonlinear(in[1], in[2]), in[0], ts, 1e-10, 1e-12), y0, k, w);
    }

    @Test
    void adjointAgreesWithBackpropagation() {
        Tensor weights = Tensor.of(new double[][] {{0.5, -1.1}, {0.9, 0.2}});
        double[] ts = {0, 0.3, 1.1, 2};
        Tensor probe = Tensor.of(new double[] {1, -2, 0.5, 0.3, -1, 2, 1.5, -0.7}, 4, 2);
        var options = Dopri5Options.tolerances(1e-10, 1e-12);
        double[][] direct = gradients(false, weights, ts, probe, options), adjoint = gradients(true, weights, ts, probe, options);
        for (int i = 0; i < direct.length; i++) assertArrayEquals(direct[i], adjoint[i], 1e-7, "input " + i);
        // an expanded (stride 0) output gradient, as sum() sends
        Tensor y0 = Tensor.of(0.4, -0.6).requiresGrad(true);
        OdeFunction f = (t, y) -> y.matmul(weights).tanh();
        Tensor viaAdjoint = Autograd.grad(Odeint.odeintAdjoint(f, y0, ts, List.of(), options).sum(), y0, false);
        Tensor viaSteps = Autograd.grad(Odeint.dopri5(f, y0, ts, options).ys().sum(), y0, false);
        assertArrayEquals(viaSteps.toArray(), viaAdjoint.toArray(), 1e-7);
        GradCheck.gradcheck(in -> Odeint.odeintAdjoint((t, y) -> y.matmul(in[1]).tanh().sub(y.mul(in[2])), in[0], ts,
                List.of(in[1], in[2]), options), Tensor.of(0.4, -0.6), weights, Tensor.of(0.3));
    }

    /** Gradients of Σ probe · ys with respect to y0, W and c, for y' = tanh(y W) - c y. */
    static double[][] gradients(boolean adjoint, Tensor weights, double[] ts, Tensor probe, Dopri5Options options) {
        Tensor y0 = Tensor.of(0.4, -0.6).requiresGrad(true), w = weights.detach().requiresGrad(true), c = Tensor.of(0.3).requiresGrad(true);
        OdeFunction f = (t, y) -> y.matmul(w).tanh().sub(y.mul(c));
        Tensor ys = adjoint ? Odeint.odeintAdjoint(f, y0, ts, List.of(w, c), options) : Odeint.dopri5(f, y0, ts, options).ys();
        List<Tensor> g = Autograd.grad(List.of(ys.mul(probe).sum()), List.of(y0, w, c), null, false, false, false);
        return new double[][] {g.get(0).toArray(), g.get(1).toArray(), g.get(2).toArray()};
    }

    @Test
    void badInputIsNamed() {
        var e = assertThrows(IllegalArgumentException.class, () -> Odeint.rk4(DECAY, Tensor.of(1.0), new double[] {0, 1, 0.5}, 0.1));
        assertTrue(e.getMessage().contains("rk4") && e.getMessage().contains("index 2"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Odeint.odeint((t, y) -> y.sum(), Tensor.of(1, 2), new double[] {0, 1}, 1e-6, 1e-6));
        assertTrue(e.getMessage().contains("shape"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Dopri5Options.tolerances(-1, 0));
    }
}
