package callisto.ode;

/**
 * Settings of the adaptive Dormand–Prince 5(4) solver.
 *
 * @param rtol relative tolerance: a step is accepted when the RMS over elements of
 *     {@code err / (atol + rtol · max(|y_n|, |y_{n+1}|))} is at most 1
 * @param atol absolute tolerance
 * @param firstStep the first step's size, or 0 for Hairer's heuristic (from f's size and its change over a trial step)
 * @param maxStep the largest step size (infinity for none)
 * @param maxSteps the most steps (accepted and rejected) before giving up with an error
 * @param beta the PI controller's gain on the previous error (Hairer's 0.04); 0 gives the standard controller
 */
public record Dopri5Options(double rtol, double atol, double firstStep, double maxStep, int maxSteps, double beta) {
    public Dopri5Options {
        if (!(rtol >= 0) || !(atol >= 0) || rtol + atol == 0) {
            throw new IllegalArgumentException("Dopri5Options: rtol " + rtol + " and atol " + atol + " must be >= 0, not both zero");
        }
        if (!(firstStep >= 0)) throw new IllegalArgumentException("Dopri5Options: firstStep is " + firstStep + "; expected >= 0 (0: automatic)");
        if (!(maxStep > 0)) throw new IllegalArgumentException("Dopri5Options: maxStep is " + maxStep + "; expected > 0");
        if (maxSteps < 1) throw new IllegalArgumentException("Dopri5Options: maxSteps is " + maxSteps + "; expected >= 1");
        if (!(beta >= 0 && beta <= 0.2)) throw new IllegalArgumentException("Dopri5Options: beta is " + beta + "; expected in [0, 0.2]");
    }

    /** torchdiffeq's defaults: rtol 1e-7, atol 1e-9, automatic first step, no step limit, 100 000 steps, PI control. */
    public static Dopri5Options defaults() {
        return new Dopri5Options(1e-7, 1e-9, 0, Double.POSITIVE_INFINITY, 100_000, 0.04);
    }

    /** The defaults with these tolerances. */
    public static Dopri5Options tolerances(double rtol, double atol) {
        return defaults().withTolerances(rtol, atol);
    }

    public Dopri5Options withTolerances(double rtol, double atol) {
        return new Dopri5Options(rtol, atol, firstStep, maxStep, maxSteps, beta);
    }

    public Dopri5Options withFirstStep(double h) {
        return new Dopri5Options(rtol, atol, h, maxStep, maxSteps, beta);
    }

    public Dopri5Options withMaxStep(double h) {
        return new Dopri5Options(rtol, atol, firstStep, h, maxSteps, beta);
    }

    public Dopri5Options withMaxSteps(int n) {
        return new Dopri5Options(rtol, atol, firstStep, maxStep, n, beta);
    }

    public Dopri5Options withBeta(double b) {
        return new Dopri5Options(rtol, atol, firstStep, maxStep, maxSteps, b);
    }
}
