package callisto.plot;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Contour lines of a 2-D field by marching squares. Each grid cell whose corners straddle the level gets one
 * segment (two for a saddle) between points interpolated linearly on its edges; segments that share an edge point
 * are joined into polylines. Coordinates are grid coordinates: x is the column index, y the row index, so
 * {@code field[i][j]} sits at (j, i). Cells with a non-finite corner are skipped, so NaN holes end lines there.
 */
public final class Contours {
    private Contours() {
    }

    /**
     * A contour polyline in grid coordinates. A closed ring does not repeat its first point at the end.
     * (Arrays compare by identity, as in any record holding arrays.)
     */
    public record Line(double[] x, double[] y, boolean closed) {
        /** Number of vertices. */
        public int size() {
            return x.length;
        }

        @Override
        public String toString() {
            return "Line(" + x.length + " points, " + (closed ? "closed" : "open") + ")";
        }
    }

    /**
     * The contour lines of {@code field} at {@code level}: a corner counts as above when its value is greater
     * than the level. A saddle cell (opposite corners above) is resolved by the average of its four corners: if
     * that centre is above, the two above corners connect through the cell.
     */
    public static List<Line> lines(double[][] field, double level) {
        int h = rows("Contours.lines", field);
        int w = field[0].length;
        if (!Double.isFinite(level)) throw new IllegalArgumentException("Contours.lines: level must be finite, got " + level);
        // Each crossing point is named by its grid edge; it joins at most two segments (one per adjacent cell),
        // so the segment graph is a set of paths and cycles.
        Map<Integer, int[]> links = new LinkedHashMap<>();
        int[] crossed = new int[4];
        for (int i = 0; i + 1 < h; i++) {
            for (int j = 0; j + 1 < w; j++) {
                double a = field[i][j], b = field[i][j + 1], c = field[i + 1][j + 1], d = field[i + 1][j];
                if (!(Double.isFinite(a) && Double.isFinite(b) && Double.isFinite(c) && Double.isFinite(d))) continue;
                boolean pa = a > level, pb = b > level, pc = c > level, pd = d > level;
                int top = hEdge(i, j, w), right = vEdge(i, j + 1, w), bottom = hEdge(i + 1, j, w), left = vEdge(i, j, w);
                int n = 0;
                if (pa != pb) crossed[n++] = top;
                if (pb != pc) crossed[n++] = right;
                if (pd != pc) crossed[n++] = bottom;
                if (pa != pd) crossed[n++] = left;
                if (n == 2) {
                    link(links, crossed[0], crossed[1]);
                } else if (n == 4) {
                    boolean centre = (a + b + c + d) / 4 > level;
                    if (centre == pa) { // a and c joined through the centre: cut off the corners b and d
                        link(links, top, right);
                        link(links, bottom, left);
                    } else { // b and d joined: cut off a and c
                        link(links, left, top);
                        link(links, right, bottom);
                    }
                }
            }
        }
        var lines = new ArrayList<Line>();
        var seen = new HashSet<Integer>();
        // Open paths first, from each loose end; whatever is left forms rings.
        for (var e : links.entrySet()) {
            if (e.getValue()[1] == NONE && !seen.contains(e.getKey())) lines.add(walk(field, level, links, seen, e.getKey(), false));
        }
        for (int start : links.keySet()) {
            if (!seen.contains(start)) lines.add(walk(field, level, links, seen, start, true));
        }
        lines.removeIf(l -> l.size() < 2);
        return lines;
    }

    /**
     * At most {@code n} round levels (multiples of 1, 2 or 5 times a power of ten) strictly inside the range of
     * the field's finite values; none for a constant field.
     */
    public static double[] levels(double[][] field, int n) {
        rows("Contours.levels", field);
        if (n < 1) throw new IllegalArgumentException("Contours.levels: n must be at least 1, got " + n);
        double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
        for (double[] row : field) {
            for (double v : row) {
                if (Double.isFinite(v)) {
                    lo = Math.min(lo, v);
                    hi = Math.max(hi, v);
                }
            }
        }
        if (!(hi > lo)) return new double[0];
        double[] t = Axes.ticks(lo, hi, n + 1);
        final double min = lo, max = hi;
        return Arrays.stream(t).filter(v -> v > min && v < max).toArray();
    }

    private static final int NONE = -1;

    private static int rows(String op, double[][] field) {
        if (field == null || field.length < 2 || field[0] == null || field[0].length < 2) {
            throw new IllegalArgumentException(op + ": field must be at least 2x2, got "
                    + (field == null ? "null" : field.length + " rows" + (field.length > 0 && field[0] != null ? " of " + field[0].length : "")));
        }
        for (int i = 1; i < field.length; i++) {
            if (field[i] == null || field[i].length != field[0].length) {
                throw new IllegalArgumentException(op + ": field row " + i + " has " + (field[i] == null ? "no" : field[i].length)
                        + " values, row 0 has " + field[0].length);
            }
        }
        return field.length;
    }

    // Edge ids: the horizontal edge from (i, j) to (i, j+1) is even, the vertical one from (i, j) to (i+1, j) odd.
    private static int hEdge(int i, int j, int w) {
        return 2 * (i * w + j);
    }

    private static int vEdge(int i, int j, int w) {
        return 2 * (i * w + j) + 1;
    }

    private static void link(Map<Integer, int[]> links, int p, int q) {
        add(links, p, q);
        add(links, q, p);
    }

    private static void add(Map<Integer, int[]> links, int p, int q) {
        int[] l = links.computeIfAbsent(p, k -> new int[] {NONE, NONE});
        if (l[0] == NONE) l[0] = q;
        else l[1] = q;
    }

    private static Line walk(double[][] f, double level, Map<Integer, int[]> links, Set<Integer> seen, int start, boolean ring) {
        var xs = new ArrayList<double[]>();
        int prev = NONE, cur = start;
        while (cur != NONE && seen.add(cur)) {
            xs.add(point(f, level, cur));
            int[] l = links.get(cur);
            int next = l[0] != prev ? l[0] : l[1];
            prev = cur;
            cur = next;
        }
        // A level through a grid corner puts neighbouring edge points on the same spot: drop the repeats.
        var px = new double[xs.size()];
        var py = new double[xs.size()];
        int n = 0;
        for (double[] p : xs) {
            if (n > 0 && p[0] == px[n - 1] && p[1] == py[n - 1]) continue;
            px[n] = p[0];
            py[n++] = p[1];
        }
        if (ring && n > 1 && px[0] == px[n - 1] && py[0] == py[n - 1]) n--;
        return new Line(Arrays.copyOf(px, n), Arrays.copyOf(py, n), ring);
    }

    private static double[] point(double[][] f, double level, int edge) {
        int cell = edge >> 1;
        int w = f[0].length;
        int i = cell / w, j = cell % w;
        if ((edge & 1) == 0) {
            double t = (level - f[i][j]) / (f[i][j + 1] - f[i][j]);
            return new double[] {j + t, i};
        }
        double t = (level - f[i][j]) / (f[i + 1][j] - f[i][j]);
        return new double[] {j, i + t};
    }
}
