package callisto.sparse;

import callisto.tensor.Tensor;

/**
 * What an iterative solve found.
 *
 * @param solution the last iterate, in the right-hand side's dtype and shape
 * @param iterations the iterations taken (matrix-vector products after the first residual)
 * @param residualHistory the residual 2-norm {@code ||b - A x||} before the first iteration and after each one
 *     (for GMRES, the estimate its least-squares problem gives, which equals the true residual in exact arithmetic)
 * @param converged whether the residual reached {@code tol · ||b||} within the iteration limit
 */
public record SolveResult(Tensor solution, int iterations, double[] residualHistory, boolean converged) {
    /** The last entry of {@link #residualHistory}. */
    public double residualNorm() {
        return residualHistory[residualHistory.length - 1];
    }
}
