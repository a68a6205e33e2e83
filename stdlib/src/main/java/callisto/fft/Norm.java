package callisto.fft;

/**
 * numpy's {@code norm}: which direction carries the 1/n. "backward" (the default) scales only the inverse,
 * "forward" only the forward transform, "ortho" both by 1/√n, so that the transforms are unitary.
 */
enum Norm {
    BACKWARD, ORTHO, FORWARD;

    static Norm parse(String function, String norm) {
        if (norm == null) return BACKWARD;
        return switch (norm) {
            case "backward" -> BACKWARD;
            case "ortho" -> ORTHO;
            case "forward" -> FORWARD;
            default -> throw new IllegalArgumentException(function + ": norm \"" + norm
                    + "\" is not one of \"backward\", \"ortho\", \"forward\"");
        };
    }

    /** The factor on the unnormalized sum over an axis of n points. */
    double scale(boolean inverse, int n) {
        return switch (this) {
            case BACKWARD -> inverse ? 1.0 / n : 1;
            case ORTHO -> 1 / Math.sqrt(n);
            case FORWARD -> inverse ? 1 : 1.0 / n;
        };
    }

    /** The inverse's factor relative to the exact inverse's 1/n. */
    double inverseRelative(int n) {
        return switch (this) {
            case BACKWARD -> 1;
            case ORTHO -> Math.sqrt(n);
            case FORWARD -> n;
        };
    }

    /**
     * The norm whose opposite-direction transform is this one's adjoint: the adjoint of the unnormalized sum
     * with e^{-iθ} is the unnormalized sum with e^{+iθ}, so the adjoint keeps this norm's factor in the other
     * direction, which swaps "backward" and "forward".
     */
    Norm dual() {
        return switch (this) {
            case BACKWARD -> FORWARD;
            case ORTHO -> ORTHO;
            case FORWARD -> BACKWARD;
        };
    }
}
