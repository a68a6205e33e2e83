package callisto.fields;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import callisto.tensor.DType;
import callisto.tensor.Generator;
import callisto.tensor.GridSample;
import callisto.tensor.Tensor;

import java.util.HashSet;

import org.junit.jupiter.api.Test;

class GridsTest {
    static final DType F64 = DType.FLOAT64;

    @Test
    void coordinatesMatchAffineGridWithAlignedCorners() {
        Tensor id2 = Tensor.of(new double[] {1, 0, 0, 0, 1, 0}, 1, 2, 3);
        Tensor ref2 = GridSample.affineGrid(id2, new int[] {1, 1, 3, 4}, true).reshape(12, 2);
        assertArrayEquals(ref2.toArray(), Grids.coordinates(F64, 3, 4).toArray(), 1e-15);
        Tensor id3 = Tensor.of(new double[] {1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0}, 1, 3, 4);
        Tensor ref3 = GridSample.affineGrid(id3, new int[] {1, 1, 2, 3, 4}, true).reshape(24, 3);
        assertArrayEquals(ref3.toArray(), Grids.coordinates(F64, 2, 3, 4).toArray(), 1e-15);
        assertArrayEquals(new double[] {-1, -0.5, 0, 0.5, 1}, Grids.coordinates(F64, 5).toArray(), 1e-15);
        assertArrayEquals(new double[] {0}, Grids.coordinates(F64, 1).toArray(), 0);
        assertEquals(DType.FLOAT32, Grids.coordinates(2, 2).dtype());
    }

    @Test
    void samplingAnImageAtItsCoordinatesGivesItBack() {
        Tensor image = new Generator(1).randn(1, 2, 5, 7);
        Tensor grid = Grids.coordinates(F64, 5, 7).reshape(1, 5, 7, 2);
        Tensor back = GridSample.gridSample(image, grid, GridSample.Mode.BILINEAR, GridSample.Padding.ZEROS, true);
        assertArrayEquals(image.toArray(), back.toArray(), 1e-12);
        // row-major: row i, column j of the image is coordinate row i*w + j, with x = column
        Tensor c = Grids.coordinates(F64, 5, 7);
        assertEquals(-1 + 2.0 * 3 / 6, c.get(2 * 7 + 3, 0), 1e-15);
        assertEquals(-1 + 2.0 * 2 / 4, c.get(2 * 7 + 3, 1), 1e-15);
    }

    @Test
    void randomIndicesAreDistinctSeededAndInRange() {
        long[] a = Grids.randomIndices(50, 64, new Generator(3)).toLongArray();
        long[] b = Grids.randomIndices(50, 64, new Generator(3)).toLongArray();
        assertArrayEquals(a, b);
        var seen = new HashSet<Long>();
        for (long v : a) {
            assertTrue(v >= 0 && v < 64);
            assertTrue(seen.add(v), "index " + v + " repeated");
        }
        assertEquals(DType.INT64, Grids.randomIndices(1, 1, new Generator(0)).dtype());
        double[] p = Grids.randomCoordinates(100, 3, F64, new Generator(4)).toArray();
        for (double v : p) assertTrue(v >= -1 && v <= 1);
        assertArrayEquals(p, Grids.randomCoordinates(100, 3, F64, new Generator(4)).toArray(), 0);
    }

    @Test
    void randomSplitPartitionsTheIndicesAndStartsAsRandomIndices() {
        Tensor[] split = Grids.randomSplit(30, 40, new Generator(5));
        long[] first = split[0].toLongArray(), rest = split[1].toLongArray();
        assertEquals(30, first.length);
        assertEquals(10, rest.length);
        assertEquals(DType.INT64, split[1].dtype());
        var seen = new HashSet<Long>();
        for (long v : first) assertTrue(seen.add(v), "index " + v + " repeated");
        for (long v : rest) assertTrue(seen.add(v), "index " + v + " in both parts or repeated");
        for (long v = 0; v < 40; v++) assertTrue(seen.contains(v), "index " + v + " missing");
        assertArrayEquals(first, Grids.randomIndices(30, 40, new Generator(5)).toLongArray());
        assertArrayEquals(rest, Grids.randomSplit(30, 40, new Generator(5))[1].toLongArray());
        var e = assertThrows(IllegalArgumentException.class, () -> Grids.randomSplit(40, 40, new Generator(0)));
        assertTrue(e.getMessage().contains("count 40") && e.getMessage().contains("total 40"), e.getMessage());
    }

    @Test
    void badArgumentsAreNamed() {
        var e = assertThrows(IllegalArgumentException.class, () -> Grids.coordinates(2, 0));
        assertTrue(e.getMessage().contains("[2, 0]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Grids.coordinates(2, 2, 2, 2));
        assertTrue(e.getMessage().contains("1, 2 or 3 dims"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Grids.randomIndices(10, 5, new Generator(0)));
        assertTrue(e.getMessage().contains("count 10") && e.getMessage().contains("total 5"), e.getMessage());
    }
}
