/**
 * Neural fields and image registration: coordinate encodings, SIREN, coordinate grids, warps of images by
 * displacement and velocity fields, and the metrics and regularizers of deformable registration (as in NIR,
 * "Medical Image Registration via Neural Fields", and VoxelMorph's losses).
 *
 * <ul>
 *   <li>{@link callisto.fields.FourierFeatures}: Gaussian random Fourier features, NeRF's positional encoding, and
 *       the coarse-to-fine windowed encoding of Nerfies/BARF.</li>
 *   <li>{@link callisto.fields.SineLayer} and {@link callisto.fields.Siren}: SIREN with its initialization (the
 *       activation is {@link callisto.nn.Sine}, the init {@link callisto.nn.Init#siren}).</li>
 *   <li>{@link callisto.fields.Grids}: pixel coordinates in [−1, 1] (gridSample's aligned-corner convention) and
 *       seeded random minibatches of pixels or points, and train/held-out splits of the pixels.</li>
 *   <li>{@link callisto.fields.Registration}: warp, compose, scaling-and-squaring integration, Jacobian
 *       determinant and folds, end-point error, global and local NCC, smoothness and bending energy.</li>
 *   <li>{@link callisto.fields.BSplineFFD}: the classical baseline, a cubic B-spline free-form deformation whose
 *       control grid an optimizer (L-BFGS) fits directly under the same registration loss.</li>
 *   <li>{@link callisto.fields.Synthetic}: seeded smooth random velocity fields and phantom images for synthetic
 *       registration pairs.</li>
 * </ul>
 *
 * <p>MSE and PSNR are {@link callisto.nn.Scores#mse} and {@link callisto.nn.Scores#psnr}. Fitting an image:
 *
 * <pre>{@code
 * Tensor image = Synthetic.phantom(new Generator(1), 1, 64, 64).to(DType.FLOAT32); // [1, 1, 64, 64]
 * Tensor xy = Grids.coordinates(64, 64);                                       // [4096, 2]
 * Tensor target = image.reshape(4096, 1);
 * Siren model = Siren.builder(2, 128, 3, 1).generator(new Generator(0)).build();
 * // ... minimize Scores.mse(model.call(xy), target), report Scores.psnr(model.call(xy), target, 1.0)
 * }</pre>
 */
package callisto.fields;
