package callisto.nn;

import callisto.tensor.Tensor;

/** {@code x} for x > 0, {@code α(eˣ - 1)} below, as {@code nn.ELU} (default α = 1). */
public final class ELU extends Module {
    private final double alpha;

    public ELU() {
        this(1);
    }

    public ELU(double alpha) {
        if (!Double.isFinite(alpha)) throw new IllegalArgumentException("ELU: alpha " + alpha + " must be finite");
        this.alpha = alpha;
    }

    @Override
    public Tensor forward(Tensor x) {
        return x.elu(alpha);
    }

    @Override
    protected String extraRepr() {
        return "alpha=" + alpha;
    }
}
