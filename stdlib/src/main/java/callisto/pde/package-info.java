/**
 * PDE data generators for operator learning: seeded, documented, validated against analytic solutions.
 *
 * <p>Every generator takes a {@link callisto.tensor.Generator}, so the same seed gives the same data on every
 * machine; solvers check for interruption each step ({@link callisto.runtime.Cancellation}), and dataset
 * generation shows a {@link callisto.display.Progress} bar.
 *
 * <ul>
 *   <li>{@link callisto.pde.GaussianRandomField}: periodic Gaussian random fields with covariance
 *       σ²(−Δ + τ²)^−α in 1-D and 2-D (the inputs of the FNO benchmarks).</li>
 *   <li>{@link callisto.pde.Burgers}: 1-D viscous Burgers, Fourier pseudo-spectral with integrating-factor RK4
 *       and 2/3 de-aliasing; the FNO data set's law, and a reader for ../shared/bench/data.</li>
 *   <li>{@link callisto.pde.NavierStokes2d}: 2-D incompressible Navier–Stokes in vorticity form,
 *       pseudo-spectral, with optional forcing (FNO's Kolmogorov-type forcing by default).</li>
 *   <li>{@link callisto.pde.Spectral}: heat and linear advection, solved exactly mode by mode, and the
 *       periodic wavenumber grids the solvers share.</li>
 * </ul>
 *
 * <p>Fields live on the periodic unit interval or square, sampled at x_j = j/n; tensors are [batch, n] or
 * [batch, h, w] (row index = y, column index = x).
 */
package callisto.pde;
