package callisto.optim;

import callisto.tensor.Tensor;
import java.util.Map;

/**
 * The state of a {@link GradientTransform}: an immutable record that can be written to, and read back from, a flat
 * map of named tensors (dotted keys such as {@code "adam.mu.layer.weight"}), so {@link Optimizer#state()} and
 * {@link Optimizer#loadState(Map)} round-trip.
 */
public interface OptState {
    /** Writes this state's tensors under {@code prefix} (which ends with a dot, or is empty). */
    void save(String prefix, Map<String, Tensor> out);

    /**
     * A state of the same kind read from {@code in}; this state is the template that says which keys and shapes to
     * expect. A missing key or a tensor of the wrong shape is an {@link IllegalArgumentException} naming the key.
     */
    OptState load(String prefix, Map<String, Tensor> in);

    /** The state of a transform that keeps none. */
    enum Empty implements OptState {
        INSTANCE;

        @Override
        public void save(String prefix, Map<String, Tensor> out) {}

        @Override
        public OptState load(String prefix, Map<String, Tensor> in) {
            return this;
        }
    }
}
