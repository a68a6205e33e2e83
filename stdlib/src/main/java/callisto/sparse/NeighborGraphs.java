package callisto.sparse;

import callisto.runtime.Cancellation;
import callisto.tensor.Tensor;
import java.util.Arrays;

/**
 * Graphs of nearby points, as PyTorch Cluster's {@code knn_graph} and {@code radius_graph}: an int64 edge index
 * [2, E] whose row 0 holds sources and row 1 targets (each point receives edges from its neighbours), sorted by
 * target then source, without self-loops. Distances are Euclidean, computed in float64; with a periodic box they
 * use the minimum image. The same points always give the same edges.
 */
public final class NeighborGraphs {
    private NeighborGraphs() {
    }

    /**
     * Edges to each point from its {@code k} nearest other points (ties broken by the lower index); a point
     * has fewer when there are fewer than k others.
     */
    public static Tensor knnGraph(Tensor points, int k) {
        return knnGraph(points, k, null);
    }

    /** {@link #knnGraph(Tensor, int)} in a periodic box of side lengths {@code box} (one per dimension). */
    public static Tensor knnGraph(Tensor points, int k, double[] box) {
        String fn = "knnGraph";
        double[] x = coordinates(fn, points, box);
        if (k < 0) throw new IllegalArgumentException(fn + ": k is " + k + "; expected >= 0");
        int n = points.size(0), d = points.size(1), m = Math.min(k, Math.max(n - 1, 0));
        long[] src = new long[n * m], dst = new long[n * m];
        double[] bestDist = new double[m + 1];
        int[] bestIdx = new int[m + 1], chosen = new int[m];
        for (int i = 0; i < n && m > 0; i++) {
            if ((i & 255) == 0) Cancellation.check();
            int count = 0;
            for (int j = 0; j < n; j++) {
                if (j == i) continue;
                double dist = distance2(x, i, j, d, box);
                // insertion into the m best so far, ordered by (distance, index); j increases, so equal distances keep index order
                if (count == m && !(dist < bestDist[m - 1])) continue;
                int p = count < m ? count++ : m - 1;
                while (p > 0 && bestDist[p - 1] > dist) {
                    bestDist[p] = bestDist[p - 1];
                    bestIdx[p] = bestIdx[p - 1];
                    p--;
                }
                bestDist[p] = dist;
                bestIdx[p] = j;
            }
            System.arraycopy(bestIdx, 0, chosen, 0, m);
            Arrays.sort(chosen, 0, m);
            for (int q = 0; q < m; q++) {
                src[i * m + q] = chosen[q];
                dst[i * m + q] = i;
            }
        }
        return edges(src, dst, n * m);
    }

    /** Edges between all pairs of distinct points at distance at most {@code r}. */
    public static Tensor radiusGraph(Tensor points, double r) {
        return radiusGraph(points, r, null);
    }

    /**
     * {@link #radiusGraph(Tensor, double)} in a periodic box of side lengths {@code box}; r must be at most half
     * of every side (so that only the nearest image of a point can be within r).
     */
    public static Tensor radiusGraph(Tensor points, double r, double[] box) {
        String fn = "radiusGraph";
        double[] x = coordinates(fn, points, box);
        if (!(r >= 0) || Double.isInfinite(r)) throw new IllegalArgumentException(fn + ": r is " + r + "; expected a finite number >= 0");
        int n = points.size(0), d = points.size(1);
        if (box != null) {
            for (int a = 0; a < d; a++) {
                if (2 * r > box[a]) {
                    throw new IllegalArgumentException(fn + ": r = " + r + " is more than half of box[" + a + "] = " + box[a]
                            + "; the minimum-image convention needs r <= box / 2");
                }
            }
        }
        double r2 = r * r;
        var grid = d <= 3 && r > 0 ? CellGrid.build(x, n, d, r, box) : null;
        return grid == null ? radiusAllPairs(x, n, d, r2, box) : radiusCells(grid, n, d, r2, box);
    }

    private static Tensor radiusAllPairs(double[] x, int n, int d, double r2, double[] box) {
        long[] src = new long[16], dst = new long[16];
        int e = 0;
        for (int i = 0; i < n; i++) {
            if ((i & 255) == 0) Cancellation.check();
            for (int j = 0; j < n; j++) {
                if (j != i && distance2(x, i, j, d, box) <= r2) {
                    if (e == src.length) {
                        src = Arrays.copyOf(src, 2 * e);
                        dst = Arrays.copyOf(dst, 2 * e);
                    }
                    src[e] = j;
                    dst[e++] = i;
                }
            }
        }
        return edges(src, dst, e);
    }

    /**
     * Targets are visited cell by cell over coordinates stored in cell order, so neighbouring cells stay in cache;
     * each target's sources are kept apart and written out by target at the end.
     */
    private static Tensor radiusCells(CellGrid grid, int n, int d, double r2, double[] box) {
        double[] xs = grid.sorted;
        int[] first = new int[n], count = new int[n];
        int[] found = new int[64];
        int used = 0;
        for (int p = 0; p < n; p++) {
            if ((p & 255) == 0) Cancellation.check();
            int i = grid.order[p], start = used;
            for (long cell : grid.neighbourCells(i)) {
                int at = Arrays.binarySearch(grid.keys, cell);
                if (at < 0) continue;
                for (int q = grid.start[at]; q < grid.start[at + 1]; q++) {
                    if (q == p) continue;
                    double s = 0;
                    for (int a = 0; a < d; a++) {
                        double dx = xs[p * d + a] - xs[q * d + a];
                        if (box != null) dx -= box[a] * Math.rint(dx / box[a]);
                        s += dx * dx;
                    }
                    if (s <= r2) {
                        if (used == found.length) found = Arrays.copyOf(found, 2 * used);
                        found[used++] = grid.order[q];
                    }
                }
            }
            Arrays.sort(found, start, used);
            first[i] = start;
            count[i] = used - start;
        }
        long[] src = new long[used], dst = new long[used];
        for (int i = 0, e = 0; i < n; i++) {
            for (int q = 0; q < count[i]; q++, e++) {
                src[e] = found[first[i] + q];
                dst[e] = i;
            }
        }
        return edges(src, dst, used);
    }

    private static Tensor edges(long[] src, long[] dst, int e) {
        long[] index = new long[2 * e];
        System.arraycopy(src, 0, index, 0, e);
        System.arraycopy(dst, 0, index, e, e);
        return Tensor.ofLongs(index, 2, e);
    }

    private static double distance2(double[] x, int i, int j, int d, double[] box) {
        double s = 0;
        for (int a = 0; a < d; a++) {
            double dx = x[i * d + a] - x[j * d + a];
            if (box != null) dx -= box[a] * Math.rint(dx / box[a]);
            s += dx * dx;
        }
        return s;
    }

    /** The coordinates row-major (wrapped into the box when there is one), after checking the arguments. */
    private static double[] coordinates(String fn, Tensor points, double[] box) {
        if (points.dim() != 2 || !IndexOps.isFloat(points)) {
            throw new IllegalArgumentException(fn + ": points has shape " + Arrays.toString(points.shape()) + " and dtype "
                    + points.dtype().pythonName() + "; expected a float tensor [N, d]");
        }
        int d = points.size(1);
        double[] x = points.toArray();
        for (double v : x) if (!Double.isFinite(v)) throw new IllegalArgumentException(fn + ": points contain " + v + "; expected finite coordinates");
        if (box != null) {
            if (box.length != d) throw new IllegalArgumentException(fn + ": box has " + box.length + " sides for " + d + "-dimensional points");
            for (int a = 0; a < d; a++) {
                if (!(box[a] > 0) || Double.isInfinite(box[a])) throw new IllegalArgumentException(fn + ": box[" + a + "] is " + box[a] + "; expected > 0");
            }
            for (int i = 0; i < x.length; i++) {
                double l = box[i % d];
                x[i] -= l * Math.floor(x[i] / l);
                if (x[i] >= l) x[i] = 0; // rounding of tiny negatives
            }
        }
        return x;
    }

    /** Points bucketed into cells of side >= r, sorted by cell key, for the radius search in 1 to 3 dimensions. */
    private static final class CellGrid {
        final long[] keys;
        final int[] start, order;
        /** The coordinates in cell order: point order[p] at [p * d, p * d + d). */
        final double[] sorted;
        private final int d;
        private final long[] counts;
        private final int[][] cellOf;
        private final boolean periodic;

        private CellGrid(long[] keys, int[] start, int[] order, double[] sorted, int d, long[] counts, int[][] cellOf, boolean periodic) {
            this.keys = keys;
            this.sorted = sorted;
            this.start = start;
            this.order = order;
            this.d = d;
            this.counts = counts;
            this.cellOf = cellOf;
            this.periodic = periodic;
        }

        static CellGrid build(double[] x, int n, int d, double r, double[] box) {
            double[] origin = new double[d], size = new double[d];
            long[] counts = new long[d];
            for (int a = 0; a < d; a++) {
                if (box != null) {
                    counts[a] = Math.max(1, (long) Math.floor(box[a] / r));
                    size[a] = box[a] / counts[a];
                } else {
                    double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
                    for (int i = 0; i < n; i++) {
                        lo = Math.min(lo, x[i * d + a]);
                        hi = Math.max(hi, x[i * d + a]);
                    }
                    origin[a] = n == 0 ? 0 : lo;
                    size[a] = r;
                    counts[a] = n == 0 ? 1 : (long) Math.floor((hi - lo) / r) + 1;
                }
            }
            double total = 1;
            for (long c : counts) total *= c;
            if (total > 1L << 60) return null; // too sparse a spread to key; the caller searches all pairs
            int[][] cellOf = new int[n][d];
            long[] key = new long[n];
            for (int i = 0; i < n; i++) {
                long k = 0;
                for (int a = 0; a < d; a++) {
                    long c = Math.min(counts[a] - 1, Math.max(0, (long) Math.floor((x[i * d + a] - origin[a]) / size[a])));
                    cellOf[i][a] = (int) c;
                    k = k * counts[a] + c;
                }
                key[i] = k;
            }
            Integer[] boxed = new Integer[n];
            for (int i = 0; i < n; i++) boxed[i] = i;
            Arrays.sort(boxed, (p, q) -> key[p] != key[q] ? Long.compare(key[p], key[q]) : Integer.compare(p, q));
            int[] order = new int[n];
            long[] keys = new long[n];
            int[] start = new int[n + 1];
            int cells = 0;
            for (int p = 0; p < n; p++) {
                order[p] = boxed[p];
                if (p == 0 || key[boxed[p]] != keys[cells - 1]) {
                    keys[cells] = key[boxed[p]];
                    start[cells++] = p;
                }
            }
            start[cells] = n;
            double[] sorted = new double[n * d];
            for (int p = 0; p < n; p++) System.arraycopy(x, order[p] * d, sorted, p * d, d);
            return new CellGrid(Arrays.copyOf(keys, cells), Arrays.copyOf(start, cells + 1), order, sorted, d, counts, cellOf, box != null);
        }

        /** The distinct keys of the cells within one step of point i's (wrapping in a periodic box). */
        long[] neighbourCells(int i) {
            int total = 1;
            for (int a = 0; a < d; a++) total *= 3;
            long[] out = new long[total];
            int m = 0;
            outer:
            for (int o = 0; o < total; o++) {
                long k = 0;
                int code = o;
                for (int a = 0; a < d; a++) {
                    long c = cellOf[i][a] + (code % 3) - 1;
                    code /= 3;
                    if (periodic) c = Math.floorMod(c, counts[a]);
                    else if (c < 0 || c >= counts[a]) continue outer;
                    k = k * counts[a] + c;
                }
                out[m++] = k;
            }
            long[] distinct = Arrays.copyOf(out, m);
            Arrays.sort(distinct);
            int u = 0;
            for (int p = 0; p < m; p++) if (u == 0 || distinct[p] != distinct[u - 1]) distinct[u++] = distinct[p];
            return Arrays.copyOf(distinct, u);
        }
    }
}
