/**
 * Optimizers as chains of gradient transforms (optax's design) with a torch-style {@link callisto.optim.Optimizer}
 * wrapper.
 *
 * <p>Parameters are named tensors ({@code Map<String, Tensor>}, registration order). A
 * {@link callisto.optim.GradientTransform} is a pair of pure functions, {@code init} and {@code update}, with an
 * immutable state record; {@link callisto.optim.Transforms#chain} composes them; masks (predicates on the parameter
 * name) replace PyTorch's parameter groups. {@link callisto.optim.Schedule}s are functions of the step and can stand
 * in for the learning rate and weight decay. {@link callisto.optim.Optimizers} builds the familiar optimizers with
 * PyTorch's equations and defaults.
 */
package callisto.optim;
