package callisto.nn;

import callisto.tensor.Tensor;

/** Rectifier {@code max(x, 0)}, as {@code nn.ReLU}. */
public final class ReLU extends Module {
    @Override
    public Tensor forward(Tensor x) {
        return x.relu();
    }
}
