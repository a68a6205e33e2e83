package callisto.plot;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Marching squares against fields whose contours are known exactly. */
class ContoursTest {
    static double[][] field(int h, int w, java.util.function.BiFunction<Integer, Integer, Double> f) {
        double[][] a = new double[h][w];
        for (int i = 0; i < h; i++) for (int j = 0; j < w; j++) a[i][j] = f.apply(i, j);
        return a;
    }

    @Test
    void aCircleFieldGivesOneClosedRingOnTheRadius() {
        double r = 10;
        double[][] f = field(41, 41, (i, j) -> (double) (j - 20) * (j - 20) + (i - 20) * (i - 20));
        List<Contours.Line> lines = Contours.lines(f, r * r);
        assertEquals(1, lines.size());
        var ring = lines.getFirst();
        assertTrue(ring.closed());
        assertTrue(ring.size() > 60, "vertices: " + ring.size());
        for (int k = 0; k < ring.size(); k++) {
            double d = Math.hypot(ring.x()[k] - 20, ring.y()[k] - 20);
            // Linear interpolation of a quadratic along a unit edge is off by at most about 1/(8r).
            assertEquals(r, d, 0.02, "vertex " + k);
        }
        // Consecutive vertices are neighbours, so the ring is a walk around the circle, not a scatter.
        for (int k = 0; k < ring.size(); k++) {
            int n = (k + 1) % ring.size();
            assertTrue(Math.hypot(ring.x()[n] - ring.x()[k], ring.y()[n] - ring.y()[k]) < 1.5, "gap after vertex " + k);
        }
    }

    @Test
    void aLinearFieldGivesAStraightLineAtTheExactPosition() {
        double[][] f = field(6, 10, (i, j) -> 0.5 * j);
        var lines = Contours.lines(f, 1.75); // 0.5 x = 1.75 at x = 3.5
        assertEquals(1, lines.size());
        var line = lines.getFirst();
        assertFalse(line.closed());
        assertEquals(6, line.size());
        for (int k = 0; k < line.size(); k++) assertEquals(3.5, line.x()[k], 1e-12);
        double[] ys = line.y().clone();
        java.util.Arrays.sort(ys);
        assertArrayEquals(new double[] {0, 1, 2, 3, 4, 5}, ys, 1e-12);

        var rows = Contours.lines(field(5, 4, (i, j) -> (double) i), 2.25);
        assertEquals(1, rows.size());
        for (double y : rows.getFirst().y()) assertEquals(2.25, y, 1e-12);
    }

    @Test
    void aSaddleIsResolvedByTheCentreAverage() {
        double[][] f = {{1, 0}, {0, 1}};
        // Centre 0.5 is above 0.4: the high corners (top-left, bottom-right) join; the lines cut off the low ones.
        var high = Contours.lines(f, 0.4);
        assertEquals(2, high.size());
        assertTrue(hasSegment(high, 0.6, 0, 1, 0.4), "a segment around the top-right corner");
        assertTrue(hasSegment(high, 0, 0.6, 0.4, 1), "a segment around the bottom-left corner");
        // Centre 0.5 is below 0.6: the low corners join; the lines cut off the high ones.
        var low = Contours.lines(f, 0.6);
        assertEquals(2, low.size());
        assertTrue(hasSegment(low, 0, 0.4, 0.4, 0), "a segment around the top-left corner");
        assertTrue(hasSegment(low, 1, 0.6, 0.6, 1), "a segment around the bottom-right corner");
    }

    static boolean hasSegment(List<Contours.Line> lines, double xa, double ya, double xb, double yb) {
        for (var l : lines) {
            if (l.size() != 2) continue;
            boolean fwd = near(l, 0, xa, ya) && near(l, 1, xb, yb), back = near(l, 1, xa, ya) && near(l, 0, xb, yb);
            if (fwd || back) return true;
        }
        return false;
    }

    static boolean near(Contours.Line l, int k, double x, double y) {
        return Math.abs(l.x()[k] - x) < 1e-12 && Math.abs(l.y()[k] - y) < 1e-12;
    }

    @Test
    void aLevelOutsideTheRangeGivesNothing() {
        double[][] f = field(8, 8, (i, j) -> (double) i * j);
        assertTrue(Contours.lines(f, -1).isEmpty());
        assertTrue(Contours.lines(f, 50).isEmpty());
        assertTrue(Contours.lines(f, 49).isEmpty(), "the maximum itself is not above itself");
    }

    @Test
    void twoBumpsGiveTwoRingsAndAnEdgeCircleAnOpenLine() {
        double[][] f = field(20, 40, (i, j) -> Math.exp(-(Math.pow(j - 10, 2) + Math.pow(i - 10, 2)) / 10)
                + Math.exp(-(Math.pow(j - 30, 2) + Math.pow(i - 10, 2)) / 10));
        var rings = Contours.lines(f, 0.5);
        assertEquals(2, rings.size());
        assertTrue(rings.stream().allMatch(Contours.Line::closed));

        var corner = Contours.lines(field(10, 10, (i, j) -> Math.hypot(i, j)), 5);
        assertEquals(1, corner.size());
        assertFalse(corner.getFirst().closed());
    }

    @Test
    void nanCellsBreakTheLine() {
        double[][] f = field(9, 6, (i, j) -> (double) j);
        f[4][2] = Double.NaN;
        var lines = Contours.lines(f, 2.5);
        assertEquals(2, lines.size(), "the line at x = 2.5 has a hole at row 4");
        for (var l : lines) assertFalse(l.closed());
    }

    @Test
    void levelsAreRoundAndStrictlyInside() {
        double[][] f = field(41, 41, (i, j) -> (double) (j - 20) * (j - 20) + (i - 20) * (i - 20)); // 0 .. 800
        assertArrayEquals(new double[] {200, 400, 600}, Contours.levels(f, 5), 1e-9);
        assertEquals(0, Contours.levels(field(3, 3, (i, j) -> 1.0), 5).length);
    }

    @Test
    void badFieldsAreNamed() {
        var ragged = assertThrows(IllegalArgumentException.class, () -> Contours.lines(new double[][] {{1, 2}, {3}}, 1));
        assertTrue(ragged.getMessage().contains("Contours.lines") && ragged.getMessage().contains("row 1 has 1"), ragged.getMessage());
        var thin = assertThrows(IllegalArgumentException.class, () -> Contours.lines(new double[][] {{1, 2, 3}}, 1));
        assertTrue(thin.getMessage().contains("at least 2x2"), thin.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Contours.lines(new double[][] {{1, 2}, {3, 4}}, Double.NaN));
    }
}
