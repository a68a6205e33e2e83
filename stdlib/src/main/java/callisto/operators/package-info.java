/**
 * Neural operators: spectral and multigrid layers, and the models that stack them.
 *
 * <p>Layers stand alone and are tested alone; models are short files that wire lifting, a stack of blocks and a
 * projection, and take the inner layer as a constructor argument, so a variant is a new layer rather than a
 * forked model. Inputs are channel-first, {@code [batch, channels, n]} in 1-D and {@code [batch, channels, h, w]}
 * in 2-D, on the periodic unit interval or square sampled at x_j = j/n (the {@link callisto.pde} convention), so
 * the same weights apply at every resolution.
 *
 * <ul>
 *   <li>{@link callisto.operators.SpectralConv1d}, {@link callisto.operators.SpectralConv2d}: FFT, a learned
 *       complex matrix per kept low mode, inverse FFT at the input's resolution (the Fourier layer of FNO).</li>
 *   <li>{@link callisto.operators.FNOBlock}: any channel-mixing operator layer plus a pointwise linear skip and
 *       an activation.</li>
 *   <li>{@link callisto.operators.FNO}: the Fourier neural operator (grid channels, lifting, blocks,
 *       projection), 1-D and 2-D.</li>
 *   <li>{@link callisto.operators.DeepONet}: branch and trunk networks joined by a dot product.</li>
 * </ul>
 */
package callisto.operators;
