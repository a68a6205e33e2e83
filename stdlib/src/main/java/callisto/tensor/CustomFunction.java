package callisto.tensor;

/**
 * A differentiable function you define yourself, for what is better computed than traced (an iterative solve
 * differentiated implicitly, an FFT): give the forward and the vector-Jacobian product. Apply it with
 * {@link Tensor#apply(CustomFunction, Tensor...)}.
 *
 * <p>Write {@link #backward} with tensor operations (it may use the output), and the function can be
 * differentiated to any order; {@link GradCheck} checks both.
 */
public interface CustomFunction {
    /** The output's shape for inputs of these shapes. */
    int[] shape(int[]... inputShapes);

    /** The output for the inputs' values (called without recording). */
    Tensor forward(Tensor... inputs);

    /** The gradient for each input (null where none) given the output's gradient {@code grad}. */
    Tensor[] backward(Tensor[] inputs, Tensor output, Tensor grad);
}
