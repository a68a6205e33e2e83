package callisto.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

class FunctionalTest {
    /** f(x) = [x0 * x1, sin(x2)]: J = [[x1, x0, 0], [0, 0, cos x2]]. */
    static final UnaryOperator<Tensor> F = x -> {
        Tensor e0 = Tensor.of(1, 0, 0), e1 = Tensor.of(0, 1, 0), e2 = Tensor.of(0, 0, 1);
        Tensor a = x.mul(e0).sum().mul(x.mul(e1).sum()).reshape(1);
        Tensor b = x.mul(e2).sum().sin().reshape(1);
        return a.reshape(1, 1).matmul(Tensor.of(new double[][] {{1, 0}})).add(b.reshape(1, 1).matmul(Tensor.of(new double[][] {{0, 1}}))).reshape(2);
    };

    /** Rosenbrock in two dims on a 2-vector. */
    static final UnaryOperator<Tensor> ROSENBROCK = x -> {
        Tensor a = x.mul(Tensor.of(1, 0)).sum(), b = x.mul(Tensor.of(0, 1)).sum();
        return Tensor.scalar(1).sub(a).pow(2).add(b.sub(a.pow(2)).pow(2).mul(100));
    };

    @Test
    void jacobianVjpAndJvpAgree() {
        double x0 = 0.3, x1 = -1.1, x2 = 0.7;
        Tensor x = Tensor.of(x0, x1, x2);
        double[] expected = {x1, x0, 0, 0, 0, Math.cos(x2)};
        assertArrayEquals(expected, Functional.jacobian(F, x).toArray(), 1e-12);
        Tensor v = Tensor.of(2, -1, 0.5);
        assertArrayEquals(new double[] {2 * x1 - x0, 0.5 * Math.cos(x2)}, Functional.jvp(F, x, v).toArray(), 1e-12);
        Tensor u = Tensor.of(1.5, -2);
        assertArrayEquals(new double[] {1.5 * x1, 1.5 * x0, -2 * Math.cos(x2)}, Functional.vjp(F, x, u).toArray(), 1e-12);
    }

    @Test
    void hessianAndHvpOfRosenbrock() {
        double a = -1.2, b = 1.0;
        Tensor x = Tensor.of(a, b);
        double[] h = {2 - 400 * b + 1200 * a * a, -400 * a, -400 * a, 200};
        assertArrayEquals(h, Functional.hessian(ROSENBROCK, x).toArray(), 1e-9);
        Tensor v = Tensor.of(0.25, -3);
        assertArrayEquals(new double[] {h[0] * 0.25 + h[1] * -3, h[2] * 0.25 + h[3] * -3},
                Functional.hvp(ROSENBROCK, x, v).toArray(), 1e-9);
    }

    @Test
    void perSampleJacobianOfALinearModelIsItsInputs() {
        Tensor x = Tensor.of(new double[][] {{1, 2}, {3, 4}, {5, 6}});
        Tensor w = Tensor.of(0.5, -1).requiresGrad(true), bias = Tensor.scalar(0.1).requiresGrad(true);
        Tensor r = x.matmul(w).add(bias).sub(Tensor.of(1, 2, 3));
        Tensor j = Functional.perSampleJacobian(r, java.util.List.of(w, bias));
        assertArrayEquals(new int[] {3, 3}, j.shape());
        assertArrayEquals(new double[] {1, 2, 1, 3, 4, 1, 5, 6, 1}, j.toArray(), 1e-12);
        // and of a nonlinear one, against the definition row by row: d tanh(x·w)_i / dw = (1 - tanh²) x_i
        Tensor t = x.matmul(w).tanh();
        Tensor jt = Functional.perSampleJacobian(t, java.util.List.of(w));
        for (int i = 0; i < 3; i++) {
            double z = Math.tanh(x.toArray()[2 * i] * 0.5 - x.toArray()[2 * i + 1]);
            assertEquals((1 - z * z) * x.toArray()[2 * i], jt.toArray()[2 * i], 1e-12);
            assertEquals((1 - z * z) * x.toArray()[2 * i + 1], jt.toArray()[2 * i + 1], 1e-12);
        }
    }

    @Test
    void gradientsOfGradientsThroughTheHelpers() {
        // d/dx of (H v) for f = sum(x^4): H = diag(12 x^2), d(Hv)_i/dx_i = 24 x_i v_i
        Tensor x = Tensor.of(0.5, -2);
        Tensor v = Tensor.of(1, 3);
        Tensor j = Functional.jacobian(y -> Functional.hvp(z -> z.pow(4).sum(), y, v), x);
        assertArrayEquals(new double[] {24 * 0.5 * 1, 0, 0, 24 * -2 * 3}, j.toArray(), 1e-9);
        assertEquals(2, j.dim());
    }
}
