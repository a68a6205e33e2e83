package callisto.ode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import callisto.tensor.GradCheck;
import callisto.tensor.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;

class Etdrk4Test {
    /** Stiff real eigenvalues: time scales from 1 to 1/5000. */
    static final double[] LAMBDA = {-1, -60, -5000};

    /**
     * The manufactured solution u_i(t) = (2 + sin(t + i)) / (1 - λ_i) and its derivative: smooth, with the
     * stiff components small, as the high modes of a spectrally discretised smooth PDE solution are.
     */
    static double exact(int i, double t) {
        return (2 + Math.sin(t + i)) / (1 - LAMBDA[i]);
    }

    static double exactRate(int i, double t) {
        return Math.cos(t + i) / (1 - LAMBDA[i]);
    }

    /** N(t, u) = u*' - L u* + u² - u*²: nonlinear in u, and u* solves u' = L u + N(t, u). */
    static final OdeFunction NONLINEAR = (t, u) -> {
        double[] g = new double[3], s = new double[3];
        for (int i = 0; i < 3; i++) {
            g[i] = exactRate(i, t) - LAMBDA[i] * exact(i, t);
            s[i] = exact(i, t) * exact(i, t);
        }
        return u.pow(2).sub(Tensor.of(s)).add(Tensor.of(g));
    };

    static double slope(double[] h, double[] err) {
        return OdeintTest.slope(h, err);
    }

    @Test
    void fourthOrderOnAStiffSemilinearSystem() {
        double[] hs = {0.2, 0.1, 0.05, 0.025}, err = new double[hs.length], stiff = new double[hs.length];
        Tensor u0 = Tensor.of(exact(0, 0), exact(1, 0), exact(2, 0));
        for (int k = 0; k < hs.length; k++) {
            Tensor ys = Odeint.etdrk4(Tensor.of(LAMBDA), NONLINEAR, u0, new double[] {0, 2}, hs[k]);
            double e = 0;
            for (int i = 0; i < 3; i++) e = Math.max(e, Math.abs(ys.get(1, i) - exact(i, 2)));
            err[k] = e;
            stiff[k] = Math.abs(ys.get(1, 2) - exact(2, 2)) / exact(2, 2);
        }
        double s = slope(hs, err);
        assertTrue(s > 3.7 && s < 4.6, "slope " + s + ", errors " + java.util.Arrays.toString(err));
        // explicit RK4 at h = 0.2 would blow up (|hλ| = 1000 is far outside its stability region); here even the
        // stiff component is accurate relative to its size, converging at the reduced stiff order (>= 2) that
        // Hochbruck and Ostermann (2005) prove for the Cox–Matthews scheme
        assertTrue(stiff[0] < 1e-5, "stiff component's relative error at h = 0.2: " + stiff[0]);
        double stiffSlope = slope(hs, stiff);
        assertTrue(stiffSlope > 1.8, "stiff component's slope " + stiffSlope + ", errors " + java.util.Arrays.toString(stiff));
    }

    /** Complex: λ = [-1 + 2i, -80 + 30i], u*(t) = (cos t + i sin 2t, 1 + i t/(1+t)), N = u*' - λu* + (u - u*)². */
    @Test
    void fourthOrderWithComplexEigenvalues() {
        double[][] lam = {{-1, 2}, {-80, 30}};
        OdeFunction n = (t, u) -> {
            double[][] us = exactComplex(t), du = {{-Math.sin(t), 2 * Math.cos(2 * t)}, {0, 1 / ((1 + t) * (1 + t))}};
            double[] g = new double[4], star = new double[4];
            for (int i = 0; i < 2; i++) {
                g[2 * i] = du[i][0] - (lam[i][0] * us[i][0] - lam[i][1] * us[i][1]);
                g[2 * i + 1] = du[i][1] - (lam[i][0] * us[i][1] + lam[i][1] * us[i][0]);
                star[2 * i] = us[i][0];
                star[2 * i + 1] = us[i][1];
            }
            Tensor d = u.sub(Tensor.of(star, 2, 2));
            Tensor re = d.select(1, 0), im = d.select(1, 1);
            Tensor square = Tensor.stack(List.of(re.pow(2).sub(im.pow(2)), re.mul(im).mul(2)), 1);
            return square.add(Tensor.of(g, 2, 2));
        };
        double[] hs = {0.2, 0.1, 0.05, 0.025}, err = new double[hs.length];
        double[][] u0 = exactComplex(0), u1 = exactComplex(1.5);
        for (int k = 0; k < hs.length; k++) {
            Tensor ys = Odeint.etdrk4Complex(Tensor.of(new double[] {-1, 2, -80, 30}, 2, 2), n,
                    Tensor.of(new double[] {u0[0][0], u0[0][1], u0[1][0], u0[1][1]}, 2, 2), new double[] {0, 1.5}, hs[k]);
            double e = 0;
            for (int i = 0; i < 2; i++) e = Math.max(e, Math.hypot(ys.get(1, i, 0) - u1[i][0], ys.get(1, i, 1) - u1[i][1]));
            err[k] = e;
        }
        double s = slope(hs, err);
        assertTrue(s > 3.7 && s < 4.4, "slope " + s + ", errors " + java.util.Arrays.toString(err));
    }

    static double[][] exactComplex(double t) {
        return new double[][] {{Math.cos(t), Math.sin(2 * t)}, {1, t / (1 + t)}};
    }

    @Test
    void linearProblemIsExact() {
        // with N = 0 the scheme is exp(hL) applied step by step
        Tensor ys = Odeint.etdrk4(Tensor.of(-3.0, 0.5), (t, u) -> u.mul(0), Tensor.of(2.0, 1.0), new double[] {0, 1}, 0.3);
        assertEquals(2 * Math.exp(-3), ys.get(1, 0), 1e-14);
        assertEquals(Math.exp(0.5), ys.get(1, 1), 1e-14);
        // N = constant c: u(t) = e^{λt} u0 + (e^{λt} - 1) c / λ, also exact (the φ-functions are exact integrals), including λ = 0
        Tensor yc = Odeint.etdrk4(Tensor.of(-2.0, 0.0), (t, u) -> Tensor.of(1.5, 1.5), Tensor.of(1.0, 1.0), new double[] {0, 1}, 0.5);
        assertEquals(Math.exp(-2) + (Math.exp(-2) - 1) * 1.5 / -2, yc.get(1, 0), 1e-13);
        assertEquals(1 + 1.5, yc.get(1, 1), 1e-13);
    }

    @Test
    void differentiableInTheInitialStateAndParameters() {
        GradCheck.gradgradcheck(in -> Odeint.etdrk4(Tensor.of(-1.0, -40.0), (t, u) -> u.pow(2).mul(in[1]).neg(), in[0], new double[] {0, 0.5, 1}, 0.25),
                Tensor.of(0.6, 0.9), Tensor.of(0.8));
    }

    @Test
    void badInputIsNamed() {
        var e = assertThrows(IllegalArgumentException.class, () -> Odeint.etdrk4(Tensor.of(1.0), NONLINEAR, Tensor.of(1, 2), new double[] {0, 1}, 0.1));
        assertTrue(e.getMessage().contains("etdrk4") && e.getMessage().contains("lambda"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Odeint.etdrk4Complex(Tensor.of(1, 2, 3), NONLINEAR, Tensor.of(1, 2, 3), new double[] {0, 1}, 0.1));
        assertTrue(e.getMessage().contains("ending in 2"), e.getMessage());
    }
}
