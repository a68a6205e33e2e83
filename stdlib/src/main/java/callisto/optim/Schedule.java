package callisto.optim;

import java.util.Arrays;

/**
 * A hyperparameter as a function of the step count {@code t} (0 for the first update), as optax's schedules.
 * Transforms that take a learning rate or weight decay also take a schedule; they count their own steps.
 */
@FunctionalInterface
public interface Schedule {
    /** The value at step {@code t >= 0}. */
    double at(long t);

    /** {@code value} at every step. */
    static Schedule constant(double value) {
        return t -> value;
    }

    /** PyTorch's StepLR: {@code init · gamma^floor(t / stepSize)}. */
    static Schedule step(double init, int stepSize, double gamma) {
        if (stepSize <= 0) throw new IllegalArgumentException("Schedule.step: stepSize must be positive, got " + stepSize);
        return t -> init * Math.pow(gamma, Math.floorDiv(t, stepSize));
    }

    /** PyTorch's MultiStepLR: {@code init · gamma^(number of milestones <= t)}; milestones strictly increasing. */
    static Schedule multiStep(double init, int[] milestones, double gamma) {
        int[] m = milestones.clone();
        for (int i = 1; i < m.length; i++) {
            if (m[i] <= m[i - 1]) {
                throw new IllegalArgumentException("Schedule.multiStep: milestones must be strictly increasing, got " + Arrays.toString(m));
            }
        }
        return t -> {
            int passed = 0;
            while (passed < m.length && m[passed] <= t) passed++;
            return init * Math.pow(gamma, passed);
        };
    }

    /** PyTorch's ExponentialLR: {@code init · gamma^t}. */
    static Schedule exponential(double init, double gamma) {
        return t -> init * Math.pow(gamma, t);
    }

    /**
     * Cosine decay from {@code init} to {@code end} over {@code decaySteps}, then {@code end}:
     * {@code end + (init − end)(1 + cos(π·min(t, T)/T))/2} (PyTorch's CosineAnnealingLR with eta_min = end, optax's
     * cosine_decay_schedule).
     */
    static Schedule cosine(double init, int decaySteps, double end) {
        if (decaySteps <= 0) throw new IllegalArgumentException("Schedule.cosine: decaySteps must be positive, got " + decaySteps);
        return t -> end + (init - end) * 0.5 * (1 + Math.cos(Math.PI * Math.min(t, decaySteps) / decaySteps));
    }

    /**
     * Linear from {@code init} to {@code end} over {@code transitionSteps} starting at {@code transitionBegin}, constant
     * outside (optax's linear_schedule): {@code init + (end − init)·clamp((t − begin)/steps, 0, 1)}.
     */
    static Schedule linear(double init, double end, int transitionSteps, int transitionBegin) {
        if (transitionSteps <= 0) {
            throw new IllegalArgumentException("Schedule.linear: transitionSteps must be positive, got " + transitionSteps);
        }
        return t -> init + (end - init) * Math.clamp((double) (t - transitionBegin) / transitionSteps, 0.0, 1.0);
    }

    /**
     * A constant {@code value} that cools down linearly to 0 over the last {@code cooldownSteps} of {@code totalSteps}
     * (the "decay" phase of warmup-stable-decay): value at t ≤ total − cooldown, 0 at t ≥ total.
     */
    static Schedule linearCooldown(double value, int totalSteps, int cooldownSteps) {
        if (cooldownSteps <= 0 || cooldownSteps > totalSteps) {
            throw new IllegalArgumentException("Schedule.linearCooldown: cooldownSteps must be in [1, totalSteps=" + totalSteps + "], got "
                    + cooldownSteps);
        }
        return linear(value, 0, cooldownSteps, totalSteps - cooldownSteps);
    }

    /**
     * optax's warmup_cosine_decay_schedule: linear from {@code init} to {@code peak} over {@code warmupSteps}, then
     * cosine from {@code peak} to {@code end} until step {@code decaySteps} (which includes the warmup), then
     * {@code end}.
     */
    static Schedule warmupCosine(double init, double peak, int warmupSteps, int decaySteps, double end) {
        if (warmupSteps < 0 || decaySteps <= warmupSteps) {
            throw new IllegalArgumentException("Schedule.warmupCosine: need 0 <= warmupSteps < decaySteps, got warmupSteps=" + warmupSteps
                    + ", decaySteps=" + decaySteps);
        }
        Schedule cos = cosine(peak, decaySteps - warmupSteps, end);
        return t -> t < warmupSteps ? init + (peak - init) * t / warmupSteps : cos.at(t - warmupSteps);
    }

    /**
     * PyTorch's OneCycleLR (cosine annealing, two phases): from {@code maxLr/divFactor} up to {@code maxLr} at step
     * {@code pctStart·totalSteps − 1}, then down to {@code maxLr/(divFactor·finalDivFactor)} at step
     * {@code totalSteps − 1}; within a phase {@code end + (start − end)(1 + cos(π·pct))/2}.
     */
    static Schedule oneCycle(double maxLr, int totalSteps, double pctStart, double divFactor, double finalDivFactor) {
        if (totalSteps <= 1) throw new IllegalArgumentException("Schedule.oneCycle: totalSteps must be > 1, got " + totalSteps);
        if (!(pctStart > 0 && pctStart < 1)) throw new IllegalArgumentException("Schedule.oneCycle: pctStart must be in (0, 1), got " + pctStart);
        double initial = maxLr / divFactor;
        double min = initial / finalDivFactor;
        double end1 = pctStart * totalSteps - 1;
        double end2 = totalSteps - 1;
        return t -> {
            double start, stop, pct;
            if (t <= end1) {
                start = initial;
                stop = maxLr;
                pct = t / end1;
            } else {
                start = maxLr;
                stop = min;
                pct = Math.min(1.0, (t - end1) / (end2 - end1));
            }
            return stop + (start - stop) / 2 * (1 + Math.cos(Math.PI * pct));
        };
    }

    /** {@link #oneCycle(double, int, double, double, double)} with PyTorch's defaults (0.3, 25, 1e4). */
    static Schedule oneCycle(double maxLr, int totalSteps) {
        return oneCycle(maxLr, totalSteps, 0.3, 25, 1e4);
    }

    /**
     * SGDR, PyTorch's CosineAnnealingWarmRestarts: cycles of length {@code t0}, {@code t0·mult}, {@code t0·mult²}, ...;
     * in each {@code etaMin + (base − etaMin)(1 + cos(π·tCur/tI))/2} with {@code tCur} the steps since the restart.
     */
    static Schedule sgdr(double base, int t0, int mult, double etaMin) {
        if (t0 <= 0) throw new IllegalArgumentException("Schedule.sgdr: t0 must be positive, got " + t0);
        if (mult < 1) throw new IllegalArgumentException("Schedule.sgdr: mult must be >= 1, got " + mult);
        return t -> {
            long start = 0, len = t0;
            while (t >= start + len) {
                start += len;
                len *= mult;
            }
            return etaMin + (base - etaMin) * 0.5 * (1 + Math.cos(Math.PI * (t - start) / len));
        };
    }
}
