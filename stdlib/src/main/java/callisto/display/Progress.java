package callisto.display;

import callisto.runtime.Cancellation;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.function.LongSupplier;
import java.util.stream.IntStream;

/**
 * A progress bar with rate and time left: a live HTML bar in a notebook, a text bar redrawn in place on the
 * terminal (stderr), in the style of tqdm.
 *
 * <pre>{@code
 * for (int epoch : Progress.range(100, "epochs")) { ... }
 *
 * try (var bar = Progress.bar(steps, "train")) {
 *     for (...) { ...; bar.set("loss", loss).step(); }
 * }
 * }</pre>
 *
 * <p>Redraws are throttled (at most one every 100 ms; the last state always shows when the bar closes), so a
 * tight loop pays a clock read per step. {@link #step} also checks for interruption, so a loop that shows
 * progress stops when the user interrupts the cell.
 */
public final class Progress implements AutoCloseable, Renderable {
    private static final long MIN_INTERVAL_NANOS = 100_000_000L;
    private static final int WIDTH = 24;
    private static final String[] PARTIAL = {"", "▏", "▎", "▍", "▌", "▋", "▊", "▉"};

    private final long total;
    private final String label;
    private final LongSupplier clock;
    private final boolean terminal;
    private final long start;
    private final Map<String, Object> postfix = new LinkedHashMap<>();
    private long count;
    private long lastDraw = Long.MIN_VALUE;
    private int lastLineLength;
    private DisplayHandle handle;
    private boolean closed;

    Progress(long total, String label, LongSupplier clock, boolean terminal) {
        if (total < -1) throw new IllegalArgumentException("progress total must be >= 0 (or unknown), got " + total);
        this.total = total;
        this.label = label == null ? "" : label;
        this.clock = clock;
        this.terminal = terminal;
        this.start = clock.getAsLong();
        draw(start);
    }

    /** A bar for {@code total} steps, shown at once. */
    public static Progress bar(long total, String label) {
        if (total < 0) throw new IllegalArgumentException("progress total must be >= 0, got " + total + " (use bar(label) when it is unknown)");
        return new Progress(total, label, System::nanoTime, Display.isTerminal());
    }

    /** A bar for {@code total} steps without a label. */
    public static Progress bar(long total) {
        return bar(total, "");
    }

    /** A counter for work of unknown length: steps, rate and time so far. */
    public static Progress bar(String label) {
        return new Progress(-1, label, System::nanoTime, Display.isTerminal());
    }

    /** {@code 0 .. n-1} with a bar that advances as each is done. */
    public static Iterable<Integer> range(int n, String label) {
        if (n < 0) throw new IllegalArgumentException("range size must be >= 0, got " + n);
        return () -> new Tracked<>(IntStream.range(0, n).iterator(), bar(n, label));
    }

    /** {@code 0 .. n-1} with an unlabelled bar. */
    public static Iterable<Integer> range(int n) {
        return range(n, "");
    }

    /** The items of {@code items}, in order, with a bar that advances as each is done. */
    public static <T> Iterable<T> over(Collection<T> items, String label) {
        return () -> new Tracked<>(items.iterator(), bar(items.size(), label));
    }

    /** One step done. Throws {@link java.util.concurrent.CancellationException} if the cell was interrupted. */
    public Progress step() {
        return step(1);
    }

    /** {@code n} steps done. */
    public synchronized Progress step(long n) {
        Cancellation.check();
        if (n < 0) throw new IllegalArgumentException("progress steps must be >= 0, got " + n);
        count += n;
        long now = clock.getAsLong();
        if (now - lastDraw >= MIN_INTERVAL_NANOS) draw(now);
        return this;
    }

    /** Shows {@code name=value} after the bar (a loss, an accuracy), from the next redraw on. */
    public synchronized Progress set(String name, Object value) {
        postfix.put(name, value);
        return this;
    }

    /** Steps done so far. */
    public synchronized long count() {
        return count;
    }

    /** The total, or -1 when unknown. */
    public long total() {
        return total;
    }

    /** Shows the final state and ends the bar; later steps still count but draw nothing. Closing twice does nothing. */
    @Override
    public synchronized void close() {
        if (closed) return;
        draw(clock.getAsLong());
        closed = true;
        if (terminal) System.err.println();
    }

    private void draw(long now) {
        if (closed) return;
        lastDraw = now;
        if (terminal) {
            String line = line(now);
            // pad over the rest of a longer previous line instead of relying on ANSI erase
            String pad = " ".repeat(Math.max(0, lastLineLength - line.length()));
            lastLineLength = line.length();
            System.err.print("\r" + line + pad);
            System.err.flush();
        } else if (handle == null) {
            handle = Display.display(this);
        } else {
            handle.update(this);
        }
    }

    @Override
    public synchronized DisplayData toDisplayData() {
        long now = clock.getAsLong();
        return DisplayData.of(DisplayData.HTML, html(now), line(now));
    }

    /** The text form, e.g. {@code train  45%|██████████▊             | 45/100 [00:03<00:04, 12.3 it/s, loss=0.12]}. */
    @Override
    public synchronized String toString() {
        return line(clock.getAsLong());
    }

    private String line(long now) {
        var sb = new StringBuilder();
        if (!label.isEmpty()) sb.append(label).append(' ');
        if (total >= 0) {
            double f = fraction();
            sb.append(String.format("%3d%%|", (int) Math.floor(f * 100))).append(blocks(f)).append("| ");
            sb.append(count).append('/').append(total);
        } else {
            sb.append(count).append(" it");
        }
        sb.append(" [").append(stats(now)).append(']');
        return sb.toString();
    }

    private String html(long now) {
        var sb = new StringBuilder("<div style=\"font-family: monospace; white-space: nowrap\">");
        if (!label.isEmpty()) sb.append(escape(label)).append(' ');
        if (total >= 0) {
            sb.append("<progress value=\"").append(Math.min(count, total)).append("\" max=\"").append(Math.max(total, 1))
                    .append("\" style=\"width: 20em; vertical-align: middle\"></progress> ");
            sb.append((int) Math.floor(fraction() * 100)).append("% ").append(count).append('/').append(total);
        } else {
            sb.append(count).append(" it");
        }
        sb.append(" [").append(escape(stats(now))).append("]</div>");
        return sb.toString();
    }

    private double fraction() {
        return total == 0 ? 1 : Math.min(1, (double) count / total);
    }

    private static String blocks(double f) {
        int eighths = (int) Math.floor(f * WIDTH * 8);
        String s = "█".repeat(eighths / 8) + PARTIAL[eighths % 8];
        return s + " ".repeat(WIDTH - s.codePointCount(0, s.length()));
    }

    /** Elapsed, time left when the total is known, rate, then the postfix values. */
    private String stats(long now) {
        double seconds = (now - start) / 1e9;
        var sb = new StringBuilder(clockTime(seconds));
        double rate = seconds > 0 ? count / seconds : 0;
        if (total >= 0) sb.append('<').append(rate > 0 ? clockTime(Math.max(0, total - count) / rate) : "?");
        sb.append(", ");
        if (rate == 0) sb.append("? it/s");
        else if (rate >= 1) sb.append(String.format("%.3g it/s", rate));
        else sb.append(String.format("%.3g s/it", 1 / rate));
        postfix.forEach((k, v) -> sb.append(", ").append(k).append('=').append(value(v)));
        return sb.toString();
    }

    private static String value(Object v) {
        if (v instanceof Double || v instanceof Float) return String.format("%.4g", ((Number) v).doubleValue());
        return String.valueOf(v);
    }

    private static String clockTime(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format("%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60) : String.format("%02d:%02d", s / 60, s % 60);
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    /** Iterates and steps the bar as each item is done; closes it when the items run out. */
    private static final class Tracked<T> implements Iterator<T> {
        private final Iterator<T> items;
        private final Progress bar;
        private boolean started;

        Tracked(Iterator<T> items, Progress bar) {
            this.items = items;
            this.bar = bar;
        }

        @Override
        public boolean hasNext() {
            boolean more = items.hasNext();
            if (!more && !bar.closed) {
                if (started) bar.step();
                started = false;
                bar.close();
            }
            return more;
        }

        @Override
        public T next() {
            if (!items.hasNext()) throw new NoSuchElementException();
            if (started) bar.step();
            started = true;
            return items.next();
        }
    }
}
