package callisto.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IndexingTest {
    /** Row-major position of a multi-index in a shape. */
    static int flat(int[] shape, int... c) {
        int p = 0;
        for (int d = 0; d < shape.length; d++) p = p * shape[d] + c[d];
        return p;
    }

    /** The multi-index of row-major position p. */
    static int[] coords(int[] shape, int p) {
        int[] c = new int[shape.length];
        for (int d = shape.length - 1; d >= 0; d--) {
            c[d] = p % shape[d];
            p /= shape[d];
        }
        return c;
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, -1})
    void indexSelectMatchesLoopWithDuplicates(int dim) {
        var g = new Generator(1 + dim);
        int[] xs = {3, 4, 5};
        Tensor x = g.randn(xs);
        int d = dim < 0 ? dim + 3 : dim;
        Tensor index = g.randint(0, xs[d], 7);
        long[] idx = index.toLongArray();
        Tensor out = Indexing.indexSelect(x, dim, index);
        int[] os = xs.clone();
        os[d] = 7;
        assertArrayEquals(os, out.shape());
        double[] xv = x.toArray(), expected = new double[Shape.size(os)];
        for (int p = 0; p < expected.length; p++) {
            int[] c = coords(os, p);
            c[d] = (int) idx[c[d]];
            expected[p] = xv[flat(xs, c)];
        }
        assertArrayEquals(expected, out.toArray(), 0);
        assertArrayEquals(expected, Indexing.indexSelect(x, dim, index.to(DType.INT32)).toArray(), 0);
        Tensor x32 = x.to(DType.FLOAT32);
        Tensor o32 = Indexing.indexSelect(x32, dim, index);
        assertEquals(DType.FLOAT32, o32.dtype());
        assertArrayEquals(expected, o32.toArray(), 1e-6);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, -2})
    void gatherMatchesLoop(int dim) {
        var g = new Generator(10 + dim);
        int[] xs = {3, 4, 5};
        int d = dim < 0 ? dim + 3 : dim;
        int[] is = {2, 3, 4};
        is[d] = 6; // larger than x along dim: repeats are certain
        Tensor x = g.randn(xs), index = g.randint(0, xs[d], is);
        long[] idx = index.toLongArray();
        double[] xv = x.toArray(), expected = new double[Shape.size(is)];
        for (int p = 0; p < expected.length; p++) {
            int[] c = coords(is, p);
            c[d] = (int) idx[p];
            expected[p] = xv[flat(xs, c)];
        }
        assertArrayEquals(expected, Indexing.gather(x, dim, index).toArray(), 0);
        assertArrayEquals(expected, Indexing.gather(x.to(DType.FLOAT32), dim, index.to(DType.INT32)).toArray(), 1e-6);
        assertArrayEquals(expected, Indexing.gather(x.transpose(0, 2).contiguous().transpose(0, 2), dim, index).toArray(), 0);
    }

    @Test
    void duplicateIndicesSumTheirGradients() {
        Tensor x = Tensor.of(new double[] {1, 2, 3, 4, 5, 6}, 3, 2).requiresGrad(true);
        Indexing.indexSelect(x, 0, Tensor.ofLongs(1, 1, 1, 0)).sum().backward();
        assertArrayEquals(new double[] {1, 1, 3, 3, 0, 0}, x.grad().toArray());
        x.zeroGrad();
        Indexing.gather(x, 0, Tensor.ofLongs(new long[] {2, 2, 2, 0}, 2, 2)).sum().backward();
        assertArrayEquals(new double[] {0, 1, 0, 0, 2, 1}, x.grad().toArray());
        x.zeroGrad();
        Indexing.index(x, Tensor.ofLongs(0, 0, -1), Tensor.ofLongs(1)).sum().backward();
        assertArrayEquals(new double[] {0, 2, 0, 0, 0, 1}, x.grad().toArray());
        x.zeroGrad();
        Indexing.maskedSelect(x, Tensor.of(true, false)).sum().backward(); // the mask broadcasts over rows
        assertArrayEquals(new double[] {1, 0, 1, 0, 1, 0}, x.grad().toArray());
    }

    @Test
    void gradientsOfEveryOrder() {
        var g = new Generator(5);
        Tensor x = g.randn(3, 4);
        Tensor rows = Tensor.ofLongs(2, 0, 2, 1, 2);
        Tensor gi = g.randint(0, 3, 5, 4);
        Tensor mask = g.bernoulli(0.5, 3, 4).gt(0.5);
        Tensor src = g.randn(4, 4);
        Tensor value = Tensor.scalar(0.7);
        // squared inside and sine outside: the second derivative passes through the backward ops themselves
        java.util.List<java.util.function.Function<Tensor[], Tensor>> fs = java.util.List.of(
                t -> Indexing.indexSelect(t[0].mul(t[0]), 0, rows).sin(),
                t -> Indexing.indexSelect(t[0].mul(t[0]), -1, Tensor.ofLongs(3, 3, 0)).sin(),
                t -> Indexing.gather(t[0].mul(t[0]), 0, gi).sin(),
                t -> Indexing.maskedSelect(t[0].mul(t[0]), mask).sin(),
                t -> Indexing.maskedFill(t[0].mul(t[0]), mask, value.mul(t[0].sum())).sin(),
                t -> Indexing.index(t[0].mul(t[0]), Tensor.ofLongs(new long[] {1, 2, 2, 1}, 2, 2), Tensor.ofLongs(3, -1)).sin(),
                t -> Indexing.indexPut(t[0].mul(t[0]), new Tensor[] {Tensor.ofLongs(1, 1, 0)}, t[1].narrow(0, 0, 3).sin(), true).sin(),
                t -> Indexing.indexPut(t[0].mul(t[0]), new Tensor[] {Tensor.ofLongs(1, 1, 0)}, t[1].narrow(0, 0, 3).sin(), false).sin(),
                t -> Indexing.indexAdd(t[0].mul(t[0]), 1, Tensor.ofLongs(0, 3, 0, 2), t[1].narrow(0, 0, 3).sin()).sin());
        for (var f : fs) {
            GradCheck.gradcheck(f, x, src);
            GradCheck.gradgradcheck(f, x, src);
        }
    }

    @Test
    void maskedSelectAndFillMatchLoops() {
        var g = new Generator(7);
        Tensor x = g.randn(3, 4);
        boolean[] m = {true, false, false, true};
        double[] xv = x.toArray();
        var expected = new java.util.ArrayList<Double>();
        double[] filled = xv.clone();
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 4; j++) {
                if (m[j]) {
                    expected.add(xv[i * 4 + j]);
                    filled[i * 4 + j] = -2.5;
                }
            }
        }
        Tensor mask = Tensor.of(m);
        assertArrayEquals(expected.stream().mapToDouble(Double::doubleValue).toArray(), Indexing.maskedSelect(x, mask).toArray(), 0);
        assertArrayEquals(filled, Indexing.maskedFill(x, mask, -2.5).toArray(), 0);
        Tensor f32 = Indexing.maskedFill(x.to(DType.FLOAT32), mask, -2.5);
        assertEquals(DType.FLOAT32, f32.dtype());
        assertArrayEquals(filled, f32.toArray(), 1e-6);
    }

    @Test
    void advancedIndexingAndIndexPutMatchLoops() {
        var g = new Generator(8);
        int[] xs = {4, 5, 3};
        Tensor x = g.randn(xs);
        Tensor i = g.randint(-4, 4, 2, 3), j = g.randint(-5, 5, 3); // broadcast to [2, 3]; negatives count from the end
        long[] iv = i.toLongArray(), jv = j.toLongArray();
        double[] xv = x.toArray();
        double[] expected = new double[2 * 3 * 3];
        for (int a = 0; a < 2; a++) {
            for (int b = 0; b < 3; b++) {
                int r = (int) Math.floorMod(iv[a * 3 + b], 4), c = (int) Math.floorMod(jv[b], 5);
                for (int k = 0; k < 3; k++) expected[(a * 3 + b) * 3 + k] = xv[flat(xs, r, c, k)];
            }
        }
        Tensor out = Indexing.index(x, i, j);
        assertArrayEquals(new int[] {2, 3, 3}, out.shape());
        assertArrayEquals(expected, out.toArray(), 0);

        Tensor rows = Tensor.ofLongs(3, 1, 3, -1, 0); // row 3 three times
        Tensor values = g.randn(5, 5, 3);
        double[] vv = values.toArray(), acc = xv.clone(), last = xv.clone();
        long[] rv = rows.toLongArray();
        for (int e = 0; e < 5; e++) {
            int r = (int) Math.floorMod(rv[e], 4);
            for (int k = 0; k < 15; k++) {
                acc[r * 15 + k] += vv[e * 15 + k];
                last[r * 15 + k] = vv[e * 15 + k];
            }
        }
        assertArrayEquals(acc, Indexing.indexPut(x, new Tensor[] {rows}, values, true).toArray(), 1e-15);
        assertArrayEquals(last, Indexing.indexPut(x, new Tensor[] {rows}, values, false).toArray(), 0);
        double[] broadcastPut = xv.clone();
        for (int k = 0; k < 3; k++) broadcastPut[flat(xs, 2, 4, k)] = 9;
        assertArrayEquals(broadcastPut, Indexing.indexPut(x, new Tensor[] {Tensor.ofLongs(2), Tensor.ofLongs(-1)}, Tensor.scalar(9), false)
                .toArray(), 0);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, -1})
    void indexAddMatchesLoop(int dim) {
        var g = new Generator(20 + dim);
        int[] xs = {3, 4, 2};
        int d = dim < 0 ? dim + 3 : dim;
        Tensor x = g.randn(xs), index = g.randint(0, xs[d], 6);
        int[] ss = xs.clone();
        ss[d] = 6;
        Tensor src = g.randn(ss);
        long[] idx = index.toLongArray();
        double[] expected = x.toArray(), sv = src.toArray();
        for (int p = 0; p < sv.length; p++) {
            int[] c = coords(ss, p);
            c[d] = (int) idx[c[d]];
            expected[flat(xs, c)] += sv[p];
        }
        assertArrayEquals(expected, Indexing.indexAdd(x, dim, index, src).toArray(), 1e-15);
        assertArrayEquals(expected, Indexing.indexAdd(x.to(DType.FLOAT32), dim, index, src.to(DType.FLOAT32)).toArray(), 1e-5);
    }

    @Test
    void integerAndBoolValuesAreIndexedToo() {
        Tensor big = Tensor.ofLongs(new long[] {1L << 60, 2, (1L << 60) + 1, 4}, 2, 2); // beyond float64's integers
        assertArrayEquals(new long[] {(1L << 60) + 1, 4, 1L << 60, 2}, Indexing.indexSelect(big, 0, Tensor.ofLongs(1, 0)).toLongArray());
        assertArrayEquals(new long[] {2, (1L << 60) + 1}, Indexing.gather(big, 1, Tensor.ofLongs(new long[] {1, 0}, 2, 1)).toLongArray());
        assertArrayEquals(new int[] {7, 7, 5}, Indexing.index(Tensor.ofInts(5, 6, 7), Tensor.ofLongs(2, -1, 0)).toIntArray());
        assertArrayEquals(new boolean[] {true, true}, Indexing.maskedSelect(Tensor.of(true, false, true), Tensor.of(true, false, true)).toBooleanArray());
        assertArrayEquals(new long[] {1L << 60, 7, (1L << 60) + 1, 4},
                Indexing.indexAdd(big, 1, Tensor.ofLongs(1), Tensor.ofLongs(new long[] {5, 0}, 2, 1)).toLongArray());
    }

    @Test
    void deterministicBits() {
        var g = new Generator(30);
        Tensor x = g.randn(200, 64), index = g.randint(0, 200, 5000);
        Tensor src = g.randn(5000, 64);
        assertArrayEquals(Indexing.indexAdd(x, 0, index, src).toArray(), Indexing.indexAdd(x, 0, index, src).toArray(), 0);
        assertArrayEquals(Indexing.indexSelect(x, 0, index).toArray(), Indexing.indexSelect(x, 0, index).toArray(), 0);
    }

    @Test
    void clearErrors() {
        Tensor x = Tensor.zeros(3, 4);
        var e = assertThrows(IllegalArgumentException.class, () -> Indexing.indexSelect(x, 0, Tensor.ofLongs(0, 7)));
        assertTrue(e.getMessage().contains("7") && e.getMessage().contains("size 3"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Indexing.indexSelect(x, 0, Tensor.of(0.0, 1.0)));
        assertTrue(e.getMessage().contains("int64") && e.getMessage().contains("float64"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Indexing.index(x, Tensor.of(true, false, true)));
        assertTrue(e.getMessage().contains("bool") && e.getMessage().contains("maskedSelect"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Indexing.gather(x, 1, Tensor.zeros(DType.INT64, 4, 2)));
        assertTrue(e.getMessage().contains("[4, 2]") && e.getMessage().contains("[3, 4]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Indexing.gather(x, 1, Tensor.ofLongs(new long[] {-1}, 1, 1)));
        assertTrue(e.getMessage().contains("-1") && e.getMessage().contains("size 4"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Indexing.index(x, Tensor.ofLongs(0), Tensor.ofLongs(-5)));
        assertTrue(e.getMessage().contains("-5") && e.getMessage().contains("dim 1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Indexing.index(x, Tensor.ofLongs(0, 1), Tensor.ofLongs(0, 1, 2)));
        assertTrue(e.getMessage().contains("[2]") && e.getMessage().contains("[3]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Indexing.indexAdd(x, 1, Tensor.ofLongs(0, 1), Tensor.zeros(3, 3)));
        assertTrue(e.getMessage().contains("[3, 3]") && e.getMessage().contains("[3, 2]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Indexing.maskedFill(x, Tensor.ones(3, 4), 1));
        assertTrue(e.getMessage().contains("bool"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Indexing.maskedSelect(x, Tensor.of(true, false)));
        assertTrue(e.getMessage().contains("[3, 4]") && e.getMessage().contains("[2]"), e.getMessage());
    }

    @Test
    void tensorMethodFormsGiveTheSameResults() {
        Tensor x = Tensor.of(new double[][] {{1, 2, 3}, {4, 5, 6}});
        Tensor idx = Tensor.ofLongs(new long[] {2, 0, 0, 1}, 2, 2);
        assertArrayEquals(Indexing.gather(x, 1, idx).toArray(), x.gather(1, idx).toArray());
        assertArrayEquals(new double[] {3, 1, 4, 5}, x.gather(1, idx).toArray());
        assertArrayEquals(new double[] {3, 1, 6, 4}, x.indexSelect(1, Tensor.ofLongs(2, 0)).toArray());
        assertArrayEquals(new double[] {1, -1, 3, 4, -1, 6}, x.maskedFill(Tensor.of(false, true, false), -1).toArray()); // the mask broadcasts over rows
        Tensor added = Tensor.zeros(2, 3).scatterAdd(1, idx, Tensor.ones(2, 2));
        assertArrayEquals(new double[] {1, 0, 1, 2, 0, 0}, Tensor.zeros(2, 3).scatterAdd(1, Tensor.ofLongs(new long[] {0, 2, 0, 0}, 2, 2), Tensor.ones(2, 2)).toArray());
        assertArrayEquals(Scatter.scatterAdd(Tensor.zeros(2, 3), 1, idx, Tensor.ones(2, 2)).toArray(), added.toArray());
    }
}
