package callisto.nn;

import callisto.tensor.Tensor;

/** SIREN's activation {@code sin(ω0·x)} (ω0 = 30 in the paper); pair with {@link Init#siren}. */
public final class Sine extends Module {
    private final double omega0;

    public Sine() {
        this(30);
    }

    public Sine(double omega0) {
        if (!Double.isFinite(omega0) || omega0 == 0) throw new IllegalArgumentException("Sine: omega0 " + omega0 + " must be finite and non-zero");
        this.omega0 = omega0;
    }

    public double omega0() {
        return omega0;
    }

    @Override
    public Tensor forward(Tensor x) {
        return x.mul(omega0).sin();
    }

    @Override
    protected String extraRepr() {
        return "omega0=" + omega0;
    }
}
