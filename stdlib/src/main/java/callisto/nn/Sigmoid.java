package callisto.nn;

import callisto.tensor.Tensor;

/** Logistic sigmoid {@code 1 / (1 + e^-x)}, as {@code nn.Sigmoid}. */
public final class Sigmoid extends Module {
    @Override
    public Tensor forward(Tensor x) {
        return x.sigmoid();
    }
}
