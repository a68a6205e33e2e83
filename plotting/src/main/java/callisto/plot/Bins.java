package callisto.plot;

import java.util.Arrays;

/**
 * A histogram's numbers: {@code bins + 1} edges and a count (or density) per bin, with numpy's rule that every bin
 * is half-open {@code [e[i], e[i+1])} except the last, which also holds its right edge. {@link Figure#hist} draws one;
 * use this directly to print or test the counts.
 *
 * @param edges  bin edges, increasing, one more than the bins
 * @param counts per bin: how many values fell in it, or after {@link #density()} the density
 */
public record Bins(double[] edges, double[] counts) {
    public Bins {
        if (edges.length != counts.length + 1) {
            throw new IllegalArgumentException("bins: " + edges.length + " edges for " + counts.length + " counts (expected one more edge)");
        }
        edges = edges.clone();
        counts = counts.clone();
    }

    /** {@code bins} equal bins spanning the data's min to max (a constant sample gets [v - 0.5, v + 0.5], as in numpy). */
    public static Bins of(double[] data, int bins) {
        check("hist", data, bins);
        double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
        for (double v : data) {
            lo = Math.min(lo, v);
            hi = Math.max(hi, v);
        }
        if (lo == hi) {
            lo -= 0.5;
            hi += 0.5;
        }
        return count(data, bins, lo, hi);
    }

    /** {@code bins} equal bins spanning [lo, hi]; values outside are left out, as in numpy's {@code range=}. */
    public static Bins of(double[] data, int bins, double lo, double hi) {
        check("hist", data, bins);
        if (!(Double.isFinite(lo) && Double.isFinite(hi) && lo < hi)) {
            throw new IllegalArgumentException("hist: range must be finite with lo < hi, got [" + lo + ", " + hi + "]");
        }
        return count(data, bins, lo, hi);
    }

    private static void check(String op, double[] data, int bins) {
        if (bins < 1) throw new IllegalArgumentException(op + ": bins must be ≥ 1, got " + bins);
        if (data == null || data.length == 0) throw new IllegalArgumentException(op + ": data is empty");
        for (int i = 0; i < data.length; i++) {
            if (!Double.isFinite(data[i])) throw new IllegalArgumentException(op + ": data[" + i + "] is " + data[i] + " (values must be finite)");
        }
    }

    private static Bins count(double[] data, int bins, double lo, double hi) {
        double[] edges = new double[bins + 1];
        for (int i = 0; i <= bins; i++) edges[i] = lo + (hi - lo) * i / bins;
        edges[bins] = hi; // exact, so the closed last bin holds the max however the division rounds
        double[] counts = new double[bins];
        for (double v : data) {
            if (v < lo || v > hi) continue;
            int b = v == hi ? bins - 1 : (int) ((v - lo) / (hi - lo) * bins);
            // The scaled index can land one off next to an edge; the edges themselves decide.
            if (b >= bins) b = bins - 1;
            while (b > 0 && v < edges[b]) b--;
            while (b < bins - 1 && v >= edges[b + 1]) b++;
            counts[b]++;
        }
        return new Bins(edges, counts);
    }

    /** Counts divided by (total × bin width), so the bars' area is 1 and a density curve overlays them. */
    public Bins density() {
        double total = 0;
        for (double c : counts) total += c;
        double[] d = new double[counts.length];
        for (int i = 0; i < d.length; i++) d[i] = total == 0 ? 0 : counts[i] / (total * (edges[i + 1] - edges[i]));
        return new Bins(edges, d);
    }

    /** The middle of each bin. */
    public double[] centers() {
        double[] c = new double[counts.length];
        for (int i = 0; i < c.length; i++) c[i] = (edges[i] + edges[i + 1]) / 2;
        return c;
    }

    /** How many bins. */
    public int size() {
        return counts.length;
    }

    /** The bin edges (a copy). */
    @Override
    public double[] edges() {
        return edges.clone();
    }

    /** The count or density per bin (a copy). */
    @Override
    public double[] counts() {
        return counts.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Bins b && Arrays.equals(edges, b.edges) && Arrays.equals(counts, b.counts);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(edges) + Arrays.hashCode(counts);
    }

    @Override
    public String toString() {
        return "Bins(" + counts.length + " over [" + edges[0] + ", " + edges[edges.length - 1] + "], counts " + Arrays.toString(counts) + ")";
    }
}
