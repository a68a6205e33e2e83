package callisto.ode;

import callisto.tensor.Tensor;

/**
 * The right-hand side of {@code y' = f(t, y)}: returns a tensor shaped like {@code y}. Written with tensor
 * operations, it is differentiated through by autograd (and by the adjoint method in {@link Odeint#odeintAdjoint}).
 */
@FunctionalInterface
public interface OdeFunction {
    Tensor apply(double t, Tensor y);
}
