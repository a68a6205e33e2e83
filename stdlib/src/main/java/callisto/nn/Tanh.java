package callisto.nn;

import callisto.tensor.Tensor;

/** Hyperbolic tangent, as {@code nn.Tanh}. */
public final class Tanh extends Module {
    @Override
    public Tensor forward(Tensor x) {
        return x.tanh();
    }
}
