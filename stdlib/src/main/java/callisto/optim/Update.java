package callisto.optim;

import callisto.tensor.Tensor;
import java.util.Map;

/**
 * What {@link GradientTransform#update} returns: the updates (same keys as the gradients it was given; the
 * optimizer adds them to the parameters) and the transform's new state.
 */
public record Update<S extends OptState>(Map<String, Tensor> updates, S state) {}
