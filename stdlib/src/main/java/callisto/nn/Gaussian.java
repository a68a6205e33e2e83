package callisto.nn;

import callisto.tensor.Tensor;

/** The Gaussian activation {@code exp(-x² / (2σ²))} of Gaussian-activated implicit networks (default σ = 1). */
public final class Gaussian extends Module {
    private final double sigma;

    public Gaussian() {
        this(1);
    }

    public Gaussian(double sigma) {
        if (!(sigma > 0) || Double.isInfinite(sigma)) throw new IllegalArgumentException("Gaussian: sigma " + sigma + " must be positive and finite");
        this.sigma = sigma;
    }

    @Override
    public Tensor forward(Tensor x) {
        return x.mul(x).mul(-1 / (2 * sigma * sigma)).exp();
    }

    @Override
    protected String extraRepr() {
        return "sigma=" + sigma;
    }
}
