package callisto.train;

import callisto.datasets.Metrics;

/**
 * Hooks into {@link Trainer#fit()}, as Keras callbacks: both methods do nothing by default, so an implementation
 * overrides only what it needs. Callbacks run in the order they were added, on the training thread.
 * Returning {@code true} asks the trainer to stop (as {@link Trainer#stop()} does): after a batch, the epoch is cut
 * short and not counted as complete; after an epoch, no further epoch starts.
 */
public interface Callback {
    /** After the optimizer step of global step {@code step} (0-based, counted over all epochs) with its batch loss. */
    default boolean onBatchEnd(long step, double loss) {
        return false;
    }

    /**
     * After epoch {@code epoch} (0-based) is complete and its means and validation metrics are logged in
     * {@code metrics}, before any checkpoint of it is written.
     */
    default boolean onEpochEnd(int epoch, Metrics metrics) {
        return false;
    }

    /**
     * Early stopping: stops once {@code metric} (e.g. {@code "val_loss"}, lower is better) has not improved on its
     * best value by more than {@code minDelta} for {@code patience} consecutive epochs.
     */
    static Callback earlyStopping(String metric, int patience, double minDelta) {
        if (metric == null || metric.isEmpty()) throw new IllegalArgumentException("earlyStopping: metric is empty");
        if (patience < 0) throw new IllegalArgumentException("earlyStopping: patience " + patience + " must be >= 0");
        if (!(minDelta >= 0)) throw new IllegalArgumentException("earlyStopping: minDelta " + minDelta + " must be >= 0");
        return new Callback() {
            private double best = Double.POSITIVE_INFINITY;
            private int bad;

            @Override
            public boolean onEpochEnd(int epoch, Metrics metrics) {
                double v = metrics.last(metric);
                if (v < best - minDelta || best == Double.POSITIVE_INFINITY) {
                    best = Math.min(best, v);
                    bad = 0;
                    return false;
                }
                return ++bad >= patience;
            }
        };
    }
}
