package callisto.optim;

/**
 * PyTorch's ReduceLROnPlateau as a stateful schedule: feed it the monitored metric with {@link #observe(double)}
 * (once per epoch, say); after {@code patience} observations without improvement it multiplies its value by
 * {@code factor} (never below {@code minValue}), then waits {@code cooldown} observations. Its {@link #at} ignores the
 * step and returns the current value, so it can be passed to any transform that takes a {@link Schedule}.
 *
 * <p>Improvement (mode min, relative threshold): {@code metric < best·(1 − threshold)}; mode max:
 * {@code metric > best·(1 + threshold)}. A reduction smaller than {@code 1e-8} is skipped, as in PyTorch.
 */
public final class ReduceOnPlateau implements Schedule {
    private final boolean minimize;
    private final double factor;
    private final int patience;
    private final double threshold;
    private final int cooldown;
    private final double minValue;
    private double value;
    private double best;
    private int badEpochs;
    private int cooldownLeft;

    /** A plateau schedule starting at {@code init}. */
    public ReduceOnPlateau(double init, boolean minimize, double factor, int patience, double threshold, int cooldown, double minValue) {
        if (!(factor > 0 && factor < 1)) throw new IllegalArgumentException("ReduceOnPlateau: factor must be in (0, 1), got " + factor);
        if (patience < 0) throw new IllegalArgumentException("ReduceOnPlateau: patience must be >= 0, got " + patience);
        if (cooldown < 0) throw new IllegalArgumentException("ReduceOnPlateau: cooldown must be >= 0, got " + cooldown);
        this.value = init;
        this.minimize = minimize;
        this.factor = factor;
        this.patience = patience;
        this.threshold = threshold;
        this.cooldown = cooldown;
        this.minValue = minValue;
        this.best = minimize ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY;
    }

    /** PyTorch's defaults: mode min, factor 0.1, patience 10, threshold 1e-4, cooldown 0, min 0. */
    public ReduceOnPlateau(double init) {
        this(init, true, 0.1, 10, 1e-4, 0, 0);
    }

    /** Records one value of the monitored metric; returns the (possibly reduced) value. */
    public double observe(double metric) {
        boolean better = minimize ? metric < best * (1 - threshold) : metric > best * (1 + threshold);
        if (better) {
            best = metric;
            badEpochs = 0;
        } else {
            badEpochs++;
        }
        if (cooldownLeft > 0) {
            cooldownLeft--;
            badEpochs = 0;
        }
        if (badEpochs > patience) {
            double reduced = Math.max(value * factor, minValue);
            if (value - reduced > 1e-8) value = reduced;
            cooldownLeft = cooldown;
            badEpochs = 0;
        }
        return value;
    }

    /** The current value. */
    public double value() {
        return value;
    }

    @Override
    public double at(long t) {
        return value;
    }
}
