package callisto.optim;

import callisto.tensor.Tensor;
import java.util.Map;
import java.util.function.Function;

/**
 * A gradient transformation, as optax's: two pure functions. {@link #init} builds the state from the parameters;
 * {@link #update} maps gradients (or the updates of the previous transform in a {@link Transforms#chain chain}) and
 * the state to updates and a new state. Nothing is mutated: the inputs' tensors are read, new ones are returned.
 *
 * <p>Parameters, gradients and updates are maps from parameter name to tensor, in registration order. The
 * gradient map may hold a subset of the parameters (those that got a gradient); transforms update only those
 * entries of their state, and the updates have the gradient map's keys. Updates are added to parameters:
 * {@link Transforms#scaleByLearningRate} supplies the minus sign of descent.
 *
 * @param <S> the state record
 */
public interface GradientTransform<S extends OptState> {
    /** The state before the first step. */
    S init(Map<String, Tensor> params);

    /** The updates for {@code grads} and the state after this step. */
    Update<S> update(Map<String, Tensor> grads, S state, Map<String, Tensor> params);

    /** The key prefix of this transform's state in {@link Optimizer#state()}, e.g. {@code "adam"}. */
    String name();

    /** The update function of {@link #of}. */
    @FunctionalInterface
    interface Updater<S extends OptState> {
        Update<S> update(Map<String, Tensor> grads, S state, Map<String, Tensor> params);
    }

    /** A transform from its name and its two functions. */
    static <S extends OptState> GradientTransform<S> of(String name, Function<Map<String, Tensor>, S> init, Updater<S> update) {
        return new GradientTransform<>() {
            @Override
            public S init(Map<String, Tensor> params) {
                return init.apply(params);
            }

            @Override
            public Update<S> update(Map<String, Tensor> grads, S state, Map<String, Tensor> params) {
                return update.update(grads, state, params);
            }

            @Override
            public String name() {
                return name;
            }

            @Override
            public String toString() {
                return name;
            }
        };
    }
}
