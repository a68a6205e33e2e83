package callisto.nn;

import callisto.tensor.Tensor;

/** {@code x} for x ≥ 0, {@code slope·x} below, as {@code nn.LeakyReLU} (default slope 0.01). */
public final class LeakyReLU extends Module {
    private final double negativeSlope;

    public LeakyReLU() {
        this(0.01);
    }

    public LeakyReLU(double negativeSlope) {
        if (!Double.isFinite(negativeSlope)) throw new IllegalArgumentException("LeakyReLU: negativeSlope " + negativeSlope + " must be finite");
        this.negativeSlope = negativeSlope;
    }

    @Override
    public Tensor forward(Tensor x) {
        return x.leakyRelu(negativeSlope);
    }

    @Override
    protected String extraRepr() {
        return "negative_slope=" + negativeSlope;
    }
}
