package callisto.nn;

import callisto.tensor.Tensor;

/** {@code log(1 + e^x)}, as {@code nn.Softplus} with beta 1. */
public final class Softplus extends Module {
    @Override
    public Tensor forward(Tensor x) {
        return x.softplus();
    }
}
