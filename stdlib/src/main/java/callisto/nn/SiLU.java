package callisto.nn;

import callisto.tensor.Tensor;

/** Sigmoid-weighted linear unit {@code x σ(x)} (swish), as {@code nn.SiLU}. */
public final class SiLU extends Module {
    @Override
    public Tensor forward(Tensor x) {
        return x.silu();
    }
}
