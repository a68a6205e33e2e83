package callisto.tensor;

import static callisto.tensor.IndexingTest.coords;
import static callisto.tensor.IndexingTest.flat;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import callisto.tensor.Scatter.Reduce;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class ScatterTest {
    /**
     * torch_scatter by hand: every src element, in row-major order, reduced into the output place its index
     * names (index given per src element); empty places are 0, ties keep the first.
     */
    static double[] naive(double[] src, int[] srcShape, long[] index, int dim, int dimSize, Reduce reduce) {
        int[] os = srcShape.clone();
        os[dim] = dimSize;
        double[] out = new double[Shape.size(os)];
        int[] count = new int[out.length];
        for (int p = 0; p < src.length; p++) {
            int[] c = coords(srcShape, p);
            c[dim] = (int) index[p];
            int o = flat(os, c);
            double v = src[p];
            out[o] = switch (reduce) {
                case SUM, MEAN -> out[o] + v;
                case MAX -> count[o] == 0 || v > out[o] ? v : out[o];
                case MIN -> count[o] == 0 || v < out[o] ? v : out[o];
            };
            count[o]++;
        }
        if (reduce == Reduce.MEAN) for (int o = 0; o < out.length; o++) if (count[o] > 0) out[o] /= count[o];
        return out;
    }

    /** A 1-D index along {@code dim} repeated for every src element. */
    static long[] perElement(long[] index, int[] srcShape, int dim) {
        long[] full = new long[Shape.size(srcShape)];
        for (int p = 0; p < full.length; p++) full[p] = index[coords(srcShape, p)[dim]];
        return full;
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, -1})
    void scatterAddMatchesLoop(int dim) {
        var g = new Generator(40 + dim);
        int d = dim < 0 ? dim + 3 : dim;
        int[] selfShape = {4, 5, 3}, srcShape = {5, 6, 6}, is = {3, 4, 2};
        is[d] = 5;
        Tensor self = g.randn(selfShape), src = g.randn(srcShape), index = g.randint(0, selfShape[d], is);
        long[] idx = index.toLongArray();
        double[] expected = self.toArray(), sv = src.toArray();
        for (int p = 0; p < idx.length; p++) { // index order: the same sums, bit for bit
            int[] c = coords(is, p);
            double v = sv[flat(srcShape, c)];
            c[d] = (int) idx[p];
            expected[flat(selfShape, c)] += v;
        }
        assertArrayEquals(expected, Scatter.scatterAdd(self, dim, index, src).toArray(), 1e-15);
        assertArrayEquals(expected, Scatter.scatterAdd(self.to(DType.FLOAT32), dim, index.to(DType.INT32), src.to(DType.FLOAT32)).toArray(), 1e-5);
        GradCheck.gradcheck(t -> Scatter.scatterAdd(t[0], dim, index, t[1].mul(t[1])).sin(), self, src);
        GradCheck.gradgradcheck(t -> Scatter.scatterAdd(t[0], dim, index, t[1].mul(t[1])).sin(), self, src);
    }

    @ParameterizedTest
    @EnumSource(Reduce.class)
    void scatterMatchesTorchScatterByHand(Reduce reduce) {
        var g = new Generator(50 + reduce.ordinal());
        int[] srcShape = {6, 3, 2};
        Tensor src = g.randn(srcShape);
        for (int dim : new int[] {0, 1, -1}) {
            int d = dim < 0 ? dim + 3 : dim;
            int dimSize = srcShape[d] + 2; // at least two empty places
            Tensor index = g.randint(0, srcShape[d], srcShape[d]);
            double[] expected = naive(src.toArray(), srcShape, perElement(index.toLongArray(), srcShape, d), d, dimSize, reduce);
            assertArrayEquals(expected, Scatter.scatter(src, index, dim, dimSize, reduce).toArray(), 1e-15, "dim " + dim);
            assertArrayEquals(expected, Scatter.scatter(src.to(DType.FLOAT32), index, dim, dimSize, reduce).toArray(), 1e-5);
        }
        // a full index (one value per element) and one missing trailing dims (broadcast over them)
        Tensor full = g.randint(0, 4, srcShape);
        assertArrayEquals(naive(src.toArray(), srcShape, full.toLongArray(), 1, 4, reduce),
                Scatter.scatter(src, full, 1, 4, reduce).toArray(), 1e-15);
        Tensor partial = g.randint(0, 5, 6, 3);
        long[] pv = partial.toLongArray(), perEl = new long[src.numel()];
        for (int p = 0; p < perEl.length; p++) perEl[p] = pv[p / 2];
        assertArrayEquals(naive(src.toArray(), srcShape, perEl, 0, 5, reduce), Scatter.scatter(src, partial, 0, 5, reduce).toArray(), 1e-15);
        int inferred = (int) Arrays.stream(pv).max().getAsLong() + 1; // without dimSize: the largest index + 1
        assertArrayEquals(naive(src.toArray(), srcShape, perEl, 0, inferred, reduce), Scatter.scatter(src, partial, 0, reduce).toArray(), 1e-15);
        Function<Tensor[], Tensor> rows = t -> Scatter.scatter(t[0].mul(t[0]), Tensor.ofLongs(1, 0, 1, 1, 4, 0), 0, 6, reduce).sin();
        Function<Tensor[], Tensor> elems = t -> Scatter.scatter(t[0].mul(t[0]), full, 1, 4, reduce).sin();
        for (var f : List.of(rows, elems)) {
            GradCheck.gradcheck(f, src);
            GradCheck.gradgradcheck(f, src);
        }
    }

    @Test
    void idsExpandedOverRowsMatchLoops() {
        var g = new Generator(45);
        int edges = 9, nodes = 4, features = 3;
        Tensor ids = g.randint(0, nodes, edges), self = g.randn(nodes, features), src = g.randn(edges + 1, features + 2);
        Tensor expanded = ids.unsqueeze(1).expand(edges, features); // stride 0 across features
        long[] iv = ids.toLongArray();
        double[] sv = src.toArray(), expected = self.toArray(), gathered = new double[edges * features];
        for (int e = 0; e < edges; e++) {
            for (int k = 0; k < features; k++) {
                expected[(int) iv[e] * features + k] += sv[e * (features + 2) + k];
                gathered[e * features + k] = self.toArray()[(int) iv[e] * features + k];
            }
        }
        assertArrayEquals(expected, Scatter.scatterAdd(self, 0, expanded, src).toArray(), 1e-15);
        assertArrayEquals(expected, Scatter.scatterAdd(self, 0, expanded.contiguous(), src).toArray(), 1e-15);
        assertArrayEquals(gathered, Indexing.gather(self, 0, expanded).toArray(), 0);
        Tensor narrowSrc = src.narrow(0, 0, edges).narrow(1, 0, features);
        for (Reduce reduce : Reduce.values()) {
            assertArrayEquals(Scatter.scatter(narrowSrc, expanded.contiguous(), 0, nodes, reduce).toArray(),
                    Scatter.scatter(narrowSrc, ids.unsqueeze(1), 0, nodes, reduce).toArray(), 0, reduce.name()); // broadcast: row kernels
            assertArrayEquals(naive(narrowSrc.toArray(), narrowSrc.shape(), perElement(iv, narrowSrc.shape(), 0), 0, nodes, reduce),
                    Scatter.scatter(narrowSrc, ids.unsqueeze(1), 0, nodes, reduce).toArray(), 0, reduce.name());
        }
        assertArrayEquals(gathered, Indexing.gather(self, -2, expanded.contiguous()).toArray(), 0);
        Function<Tensor[], Tensor> f = t -> Scatter.scatterAdd(t[0], 0, expanded, Indexing.gather(t[0].mul(t[0]), 0, expanded)).sin();
        GradCheck.gradcheck(f, self);
        GradCheck.gradgradcheck(f, self);
    }

    @Test
    void maxAndMinTiesSendTheGradientToTheFirst() {
        Tensor src = Tensor.of(new double[] {2, 5, 7, 5, 7, 1, 2, 5}, 4, 2).requiresGrad(true);
        Tensor ids = Tensor.ofLongs(0, 0, 0, 1);
        Tensor max = Scatter.segmentMax(src, ids, 3);
        assertArrayEquals(new double[] {7, 5, 2, 5, 0, 0}, max.toArray());
        max.sum().backward();
        assertArrayEquals(new double[] {0, 1, 1, 0, 0, 0, 1, 1}, src.grad().toArray());
        src.zeroGrad();
        Tensor min = Scatter.scatter(src, Tensor.ofLongs(new long[] {0, 0, 0, 0, 0, 0, 0, 0}, 4, 2), 0, 1, Reduce.MIN);
        assertArrayEquals(new double[] {2, 1}, min.toArray());
        min.sum().backward();
        assertArrayEquals(new double[] {1, 0, 0, 0, 0, 1, 0, 0}, src.grad().toArray()); // column 0: the first of two 2s
    }

    @Test
    void segmentOpsSortedAndUnsortedMatchLoopsBitForBit() {
        var g = new Generator(60);
        int edges = 30, nodes = 8, features = 3;
        long[] sorted = g.randint(0, nodes - 2, edges).toLongArray(); // the last two nodes have no edges
        Arrays.sort(sorted);
        long[] unsorted = g.randint(0, nodes - 2, edges).toLongArray();
        Tensor src = g.randn(edges, features);
        for (long[] ids : List.of(sorted, unsorted)) {
            Tensor t = Tensor.ofLongs(ids);
            long[] full = perElement(ids, src.shape(), 0);
            assertArrayEquals(naive(src.toArray(), src.shape(), full, 0, nodes, Reduce.SUM), Scatter.segmentSum(src, t, nodes).toArray(), 0);
            assertArrayEquals(naive(src.toArray(), src.shape(), full, 0, nodes, Reduce.MEAN), Scatter.segmentMean(src, t, nodes).toArray(), 0);
            assertArrayEquals(naive(src.toArray(), src.shape(), full, 0, nodes, Reduce.MAX), Scatter.segmentMax(src, t, nodes).toArray(), 0);
            assertArrayEquals(naive(src.toArray(), src.shape(), full, 0, nodes, Reduce.MIN), Scatter.segmentMin(src, t, nodes).toArray(), 0);
            assertArrayEquals(naive(src.toArray(), src.shape(), full, 0, nodes, Reduce.SUM),
                    Scatter.segmentSum(src, t.to(DType.INT32), nodes).toArray(), 0);
        }
        // the same edges in sorted order give the same sums up to rounding
        int[] order = new int[edges];
        long[] perm = unsorted.clone();
        Integer[] boxed = new Integer[edges];
        for (int i = 0; i < edges; i++) boxed[i] = i;
        Arrays.sort(boxed, (a, b) -> Long.compare(unsorted[a], unsorted[b]));
        for (int i = 0; i < edges; i++) {
            order[i] = boxed[i];
            perm[i] = unsorted[order[i]];
        }
        Tensor permuted = Indexing.indexSelect(src, 0, Tensor.ofInts(order));
        assertArrayEquals(Scatter.segmentSum(src, Tensor.ofLongs(unsorted), nodes).toArray(),
                Scatter.segmentSum(permuted, Tensor.ofLongs(perm), nodes).toArray(), 1e-14);
        assertArrayEquals(Scatter.segmentMax(src, Tensor.ofLongs(unsorted), nodes).toArray(),
                Scatter.segmentMax(permuted, Tensor.ofLongs(perm), nodes).toArray(), 0);
    }

    @Test
    void parallelPathsAreExactAndRepeatable() {
        var g = new Generator(61);
        int edges = 20_000, nodes = 700, features = 32; // above the parallel threshold
        Tensor src = g.randn(edges, features);
        long[] unsorted = g.randint(0, nodes, edges).toLongArray(), sorted = unsorted.clone();
        Arrays.sort(sorted);
        for (long[] ids : List.of(sorted, unsorted)) {
            double[] expected = naive(src.toArray(), src.shape(), perElement(ids, src.shape(), 0), 0, nodes, Reduce.SUM);
            Tensor a = Scatter.segmentSum(src, Tensor.ofLongs(ids), nodes), b = Scatter.segmentSum(src, Tensor.ofLongs(ids), nodes);
            assertArrayEquals(expected, a.toArray(), 0);
            assertArrayEquals(a.toArray(), b.toArray(), 0);
            Tensor f32 = Scatter.segmentSum(src.to(DType.FLOAT32), Tensor.ofLongs(ids), nodes);
            assertArrayEquals(f32.toFloatArray(), Scatter.segmentSum(src.to(DType.FLOAT32), Tensor.ofLongs(ids), nodes).toFloatArray(), 0);
            assertArrayEquals(expected, f32.toArray(), 1e-4);
        }
    }

    @Test
    void segmentSoftmaxIsStableAndMatchesLoop() {
        var g = new Generator(62);
        int edges = 12, nodes = 5, features = 2;
        long[] ids = g.randint(0, nodes - 1, edges).toLongArray();
        Tensor src = g.randn(edges, features).mul(3).add(1000); // exp(1000) overflows without the shift
        double[] v = src.toArray(), expected = new double[v.length];
        for (int k = 0; k < features; k++) {
            for (int s = 0; s < nodes; s++) {
                double m = Double.NEGATIVE_INFINITY, total = 0;
                for (int e = 0; e < edges; e++) if (ids[e] == s) m = Math.max(m, v[e * features + k]);
                for (int e = 0; e < edges; e++) if (ids[e] == s) total += Math.exp(v[e * features + k] - m);
                for (int e = 0; e < edges; e++) if (ids[e] == s) expected[e * features + k] = Math.exp(v[e * features + k] - m) / total;
            }
        }
        Tensor t = Tensor.ofLongs(ids);
        assertArrayEquals(expected, Scatter.segmentSoftmax(src, t, nodes).toArray(), 1e-14);
        assertArrayEquals(expected, Scatter.segmentSoftmax(src.to(DType.FLOAT32), t, nodes).toArray(), 1e-5);
        Tensor small = g.randn(edges, features);
        Function<Tensor[], Tensor> f = x -> Scatter.segmentSoftmax(x[0], t, nodes).mul(x[0]);
        GradCheck.gradcheck(f, small);
        GradCheck.gradgradcheck(f, small);
        for (var op : List.<Function<Tensor[], Tensor>>of(x -> Scatter.segmentSum(x[0].mul(x[0]), t, nodes).sin(),
                x -> Scatter.segmentMean(x[0].mul(x[0]), t, nodes).sin(), x -> Scatter.segmentMax(x[0].mul(x[0]), t, nodes).sin())) {
            GradCheck.gradcheck(op, small);
            GradCheck.gradgradcheck(op, small);
        }
    }

    @Test
    void emptyInputs() {
        Tensor none = Tensor.zeros(0, 3);
        assertArrayEquals(new double[6], Scatter.segmentSum(none, Tensor.ofLongs(), 2).toArray());
        assertArrayEquals(new double[6], Scatter.segmentMax(none, Tensor.ofLongs(), 2).toArray());
        assertArrayEquals(new int[] {0, 3}, Scatter.segmentSoftmax(none, Tensor.ofLongs(), 2).shape());
        assertArrayEquals(new int[] {0, 3}, Indexing.indexSelect(Tensor.ones(4, 3), 0, Tensor.ofLongs()).shape());
        assertArrayEquals(new double[12], Scatter.scatterAdd(Tensor.zeros(4, 3), 0, Tensor.zeros(DType.INT64, 0, 3), none).toArray());
        assertArrayEquals(new int[] {0, 3}, Indexing.gather(Tensor.ones(4, 3), 0, Tensor.zeros(DType.INT64, 0, 3)).shape());
    }

    @Test
    void clearErrors() {
        Tensor src = Tensor.zeros(4, 2);
        var e = assertThrows(IllegalArgumentException.class, () -> Scatter.segmentSum(src, Tensor.ofLongs(0, 1, 9, 0), 3));
        assertTrue(e.getMessage().contains("9") && e.getMessage().contains("size 3"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Scatter.segmentSum(src, Tensor.ofLongs(0, 1), 3));
        assertTrue(e.getMessage().contains("[2]") && e.getMessage().contains("[4, 2]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Scatter.segmentMean(src, Tensor.of(0.0, 1, 2, 0), 3));
        assertTrue(e.getMessage().contains("float64"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Scatter.scatter(src, Tensor.zeros(DType.INT64, 3, 2), 0, 2, Reduce.SUM));
        assertTrue(e.getMessage().contains("[3, 2]") && e.getMessage().contains("[4, 2]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Scatter.scatterAdd(src, 0, Tensor.zeros(DType.INT64, 5, 2), src));
        assertTrue(e.getMessage().contains("[5, 2]") && e.getMessage().contains("[4, 2]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Scatter.scatter(src.to(DType.INT64), Tensor.ofLongs(0, 0, 1, 1), 0, 2, Reduce.MAX));
        assertTrue(e.getMessage().contains("MAX") && e.getMessage().contains("int64"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Scatter.scatter(src, Tensor.ofLongs(0, 1, 0), 1, 2, Reduce.SUM));
        assertTrue(e.getMessage().contains("[3]") && e.getMessage().contains("[4, 2]") && e.getMessage().contains("dim 1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Scatter.scatter(src, Tensor.ofLongs(0, 1, 0, 3), 0, 3, Reduce.MEAN));
        assertTrue(e.getMessage().contains("value 3") && e.getMessage().contains("size 3"), e.getMessage());
        assertEquals(3, Scatter.scatter(Tensor.ones(4), Tensor.ofLongs(0, 2, 2, 0), 0, Reduce.SUM).numel());
    }
}
