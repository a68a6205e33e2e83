package callisto.display;

import java.time.Duration;
import java.util.Objects;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * An output that follows a changing value: a loss curve redrawn while training runs. It shows at the first
 * {@link #refresh()} (so the view may need data that does not exist yet); each later one asks for a redraw,
 * and redraws happen at most once per interval (default 0.5 s) and never take more than about a
 * tenth of the time between them, so rendering a chart does not slow the loop that feeds it. {@link #close()}
 * draws the last refreshed state when its redraw was skipped.
 *
 * <pre>{@code
 * try (var curve = live(() -> metrics.plot("loss"))) {
 *     for (...) { ...; metrics.log(step, "loss", loss); curve.refresh(); }
 * }
 * }</pre>
 *
 * <p>In a notebook the output updates in place (update_display_data). In a plain terminal a chart is an image
 * file, so only the final state is shown, when the live output closes.
 */
public final class Live implements AutoCloseable {
    private static final long DEFAULT_INTERVAL_NANOS = 500_000_000L;

    private final Supplier<?> view;
    private final long minIntervalNanos;
    private final LongSupplier clock;
    private final boolean terminal;
    private DisplayHandle handle;
    private long lastDraw = Long.MIN_VALUE;
    private long lastDrawCost;
    private boolean pending;
    private boolean closed;
    private int draws;

    Live(Supplier<?> view, long minIntervalNanos, LongSupplier clock, boolean terminal) {
        this.view = Objects.requireNonNull(view, "view");
        if (minIntervalNanos < 0) throw new IllegalArgumentException("live refresh interval must be >= 0, got " + minIntervalNanos + " ns");
        this.minIntervalNanos = minIntervalNanos;
        this.clock = clock;
        this.terminal = terminal;
    }

    /** Follows {@code view}'s value from the first {@link #refresh()} on. */
    public static Live of(Supplier<?> view) {
        return new Live(view, DEFAULT_INTERVAL_NANOS, System::nanoTime, Display.isTerminal());
    }

    /** Like {@link #of(Supplier)}, redrawing at most once per {@code minInterval}. */
    public static Live of(Supplier<?> view, Duration minInterval) {
        return new Live(view, minInterval.toNanos(), System::nanoTime, Display.isTerminal());
    }

    /** Redraws if enough time has passed since the last redraw; otherwise the change shows at a later one. */
    public synchronized Live refresh() {
        if (closed) return this;
        pending = true;
        if (!terminal && (handle == null || clock.getAsLong() - lastDraw >= Math.max(minIntervalNanos, 10 * lastDrawCost))) draw();
        return this;
    }

    /** Redraws now, whatever the interval. */
    public synchronized Live refreshNow() {
        if (closed) return this;
        pending = true;
        if (!terminal) draw();
        return this;
    }

    /** How many times the output was drawn (the first show counts). */
    public synchronized int draws() {
        return draws;
    }

    /** Draws the final state, if a refresh since the last redraw was skipped, and stops following. */
    @Override
    public synchronized void close() {
        if (closed) return;
        if (pending || terminal) draw();
        closed = true;
    }

    private void draw() {
        long t0 = clock.getAsLong();
        Object value = view.get();
        if (handle == null) handle = Display.display(value);
        else handle.update(value);
        long t1 = clock.getAsLong();
        lastDraw = t1;
        lastDrawCost = t1 - t0;
        pending = false;
        draws++;
    }
}
