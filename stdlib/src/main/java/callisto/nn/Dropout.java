package callisto.nn;

import callisto.tensor.Generator;
import callisto.tensor.Tensor;

/**
 * Zeroes each element with probability {@code p} in training mode and scales the rest by {@code 1/(1-p)}, so the
 * expectation is unchanged; the identity in evaluation mode, as {@code nn.Dropout}. Masks come from the seeded
 * generator given here, so a run is reproducible; it is registered as {@code "generator"}, so a training
 * checkpoint saves its position and a resumed run draws the same masks.
 */
public final class Dropout extends Module {
    private final double p;
    private final Generator generator;

    public Dropout(double p, Generator generator) {
        if (!(p >= 0 && p <= 1)) throw new IllegalArgumentException("Dropout: p " + p + " must be in [0, 1]");
        if (generator == null) throw new IllegalArgumentException("Dropout: generator is null");
        this.p = p;
        this.generator = registerGenerator("generator", generator);
    }

    @Override
    public Tensor forward(Tensor x) {
        if (!isTraining() || p == 0) return x;
        if (p == 1) return x.mul(0);
        Tensor keep = generator.bernoulli(1 - p, x.shape()).mul(1 / (1 - p)).to(x.dtype());
        return x.mul(keep);
    }

    @Override
    protected String extraRepr() {
        return "p=" + p;
    }
}
