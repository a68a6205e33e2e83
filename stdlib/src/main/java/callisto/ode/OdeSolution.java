package callisto.ode;

import callisto.tensor.Tensor;

/**
 * An adaptive solve's result.
 *
 * @param ys the states at the requested times, stacked: [T, ...y0's shape]
 * @param acceptedSteps steps accepted
 * @param rejectedSteps steps rejected by the error test and retried smaller
 * @param evaluations calls of f
 */
public record OdeSolution(Tensor ys, int acceptedSteps, int rejectedSteps, int evaluations) {
}
