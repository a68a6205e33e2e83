package callisto.nn;

import callisto.tensor.Tensor;

/** Gaussian error linear unit {@code x Φ(x)} (exact erf form), as {@code nn.GELU}. */
public final class GELU extends Module {
    @Override
    public Tensor forward(Tensor x) {
        return x.gelu();
    }
}
