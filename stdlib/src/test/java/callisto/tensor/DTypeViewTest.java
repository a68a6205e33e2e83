package callisto.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Dtypes and promotion, views and strides, in-place ops, and the value semantics of the newer reductions. */
class DTypeViewTest {
    @Test
    void promotionFollowsPyTorch() {
        Tensor f32 = Tensor.ofFloats(1f, 2f), f64 = Tensor.of(1, 2), i64 = Tensor.ofLongs(1, 2), i32 = Tensor.ofInts(1, 2);
        assertEquals(DType.FLOAT64, f32.add(f64).dtype());
        assertEquals(DType.FLOAT32, f32.mul(2.5).dtype(), "a Java number does not widen float32");
        assertEquals(DType.FLOAT32, f32.mul(Tensor.scalar(2)).dtype(), "nor does a 0-d float64 tensor");
        assertEquals(DType.INT64, i64.add(i32).dtype());
        assertEquals(DType.INT32, i32.mul(Tensor.scalar(DType.INT64, 3)).dtype(), "a 0-d int64 does not widen int32");
        assertEquals(DType.INT32, i32.mul(3).dtype(), "an integral number keeps int32");
        assertEquals(DType.FLOAT64, i64.mul(0.5).dtype(), "a fractional number lifts integers to float");
        assertEquals(DType.FLOAT64, i64.div(i64).dtype(), "true division");
        assertArrayEquals(new double[] {0.5, 1}, i64.div(2).toArray());
        assertEquals(DType.FLOAT32, i64.add(f32).dtype());
        assertEquals(DType.FLOAT64, i64.exp().dtype(), "math on integers gives the default float");
        assertEquals(DType.BOOL, f32.gt(1).dtype());
        assertEquals(DType.INT64, Tensor.of(true, false, true).sum().dtype());
        assertEquals(2, Tensor.of(true, false, true).sum().item());
        var e = assertThrows(IllegalArgumentException.class, () -> Tensor.of(true).add(Tensor.of(false)));
        assertTrue(e.getMessage().contains("logicalOr"), e.getMessage());
    }

    @Test
    void integersKeepAll64Bits() {
        long big = (1L << 62) + 1;
        Tensor t = Tensor.ofLongs(big).add(Tensor.ofLongs(1));
        assertEquals(big + 1, t.toLongArray()[0]);
        assertEquals(Integer.MIN_VALUE, Tensor.ofInts(Integer.MAX_VALUE).add(1).toIntArray()[0], "int32 wraps like PyTorch");
        assertArrayEquals(new long[] {0, 1, 3, 6}, Tensor.arange(4).cumsum(0).toLongArray());
        assertEquals(DType.INT64, Tensor.arange(3).dtype());
        assertArrayEquals(new boolean[] {false, true}, Tensor.ofLongs(big, big).eq(Tensor.ofLongs(big + 1, big)).toBooleanArray(),
                "longs compare exactly above 2^53");
        Tensor nan = Tensor.of(Double.NaN, 1, -0.0);
        assertArrayEquals(new boolean[] {false, true, false}, nan.gt(0).toBooleanArray());
        assertArrayEquals(new boolean[] {false, false, true}, nan.eq(0).toBooleanArray(), "NaN equals nothing; -0.0 == 0.0");
        assertArrayEquals(new boolean[] {true, true, false}, nan.ne(0).toBooleanArray());
        assertArrayEquals(new boolean[] {true, true, false}, nan.logicalAnd(Tensor.of(true)).toBooleanArray(), "NaN is nonzero");
    }

    @Test
    void float32ValuesAreRoundedOnceAndGradientsKeepTheirDtype() {
        Tensor x = Tensor.ofFloats(0.1f, 0.2f).requiresGrad(true);
        Tensor y = x.mul(Tensor.of(3, 4)).sum(); // promoted to float64
        assertEquals(DType.FLOAT64, y.dtype());
        y.backward();
        assertEquals(DType.FLOAT32, x.grad().dtype());
        assertArrayEquals(new float[] {3, 4}, x.grad().toFloatArray());
        assertEquals((double) 0.1f, x.to(DType.FLOAT64).get(0), 0);
        var e = assertThrows(IllegalStateException.class, () -> Tensor.ofLongs(1).requiresGrad(true));
        assertTrue(e.getMessage().contains("int64"), e.getMessage());
    }

    @Test
    void float32KernelsAgreeWithFloat64() {
        Tensor x = new Generator(1).uniform(-3, 3, 1000);
        Tensor x32 = x.to(DType.FLOAT32);
        for (var op : List.<java.util.function.UnaryOperator<Tensor>>of(Tensor::exp, Tensor::tanh, Tensor::sin, Tensor::cos,
                Tensor::erf, Tensor::sigmoid, t -> t.abs().add(0.1).log(), t -> t.abs().sqrt(), Tensor::expm1,
                t -> t.abs().log1p(), t -> t.mul(t).sum(0, false), t -> t.reshape(10, 100).sum(1, false))) {
            double[] want = op.apply(x).toArray(), got = op.apply(x32).toArray();
            assertEquals(want.length, got.length);
            for (int i = 0; i < want.length; i++) assertEquals(want[i], got[i], 1e-5 * Math.max(1, Math.abs(want[i])), "element " + i);
        }
    }

    @Test
    void float32TanhIsWithinThreeUlps() {
        double[] x = new Generator(9).uniform(-10, 10, 20_000).toArray();
        for (int i = 0; i < 5000; i++) x[i] *= 0.03; // the series branch, below 1/4
        float[] got = Tensor.of(x).to(DType.FLOAT32).tanh().toFloatArray();
        for (int i = 0; i < x.length; i++) {
            float xi = (float) x[i];
            double want = Math.tanh(xi);
            assertEquals(want, got[i], 3 * Math.ulp((float) want), "tanh(" + xi + ")");
        }
        float[] edges = new float[32]; // long enough for the vector loop, not only its scalar tail
        for (int i = 0; i < edges.length; i++) edges[i] = i % 3 == 0 ? Float.NaN : i % 3 == 1 ? Float.POSITIVE_INFINITY : -1e30f;
        float[] t = Tensor.of(edges, 32).tanh().toFloatArray();
        for (int i = 0; i < t.length; i++) assertEquals(i % 3 == 0 ? Float.NaN : i % 3 == 1 ? 1f : -1f, t[i], "tanh(" + edges[i] + ")");
    }

    @Test
    void erfKnownValues() {
        double[] x = {0, 0.1, 0.5, 1, 2, 2.5, 3, -1, 7};
        double[] want = {0, 0.1124629160182849, 0.5204998778130465, 0.8427007929497149, 0.9953222650189527,
            0.9995930479825550, 0.9999779095030014, -0.8427007929497149, 1};
        double[] got = Tensor.of(x).erf().toArray();
        for (int i = 0; i < x.length; i++) assertEquals(want[i], got[i], 4e-16, "erf(" + x[i] + ")");
        assertTrue(Double.isNaN(Tensor.of(Double.NaN).erf().item()));
        // continuity where the series hands over to the continued fraction
        assertEquals(Kernels.erf(Math.nextDown(2.5)), Kernels.erf(2.5), 1e-15);
    }

    @Test
    void viewsShareStorageAndCopiesDoNot() {
        Tensor a = Tensor.of(new double[] {1, 2, 3, 4, 5, 6}, 2, 3);
        Tensor t = a.transpose();
        assertFalse(t.isContiguous());
        assertArrayEquals(new int[] {1, 3}, t.stride());
        assertArrayEquals(new double[] {1, 4, 2, 5, 3, 6}, t.toArray());
        assertArrayEquals(new double[] {2, 5}, a.select(1, 1).toArray());
        assertArrayEquals(new double[] {4, 5, 6}, a.select(0, -1).toArray());
        assertArrayEquals(new double[] {2, 3, 5, 6}, a.slice(1, 1, 3).toArray());
        assertArrayEquals(new int[] {2, 1, 3}, a.unsqueeze(1).shape());
        assertArrayEquals(new int[] {2, 3}, a.unsqueeze(0).squeeze().shape());
        assertArrayEquals(new int[] {6}, a.flatten().shape());
        assertArrayEquals(new int[] {3, 4}, Tensor.zeros(3, 2, 2).flatten(1, 2).shape());
        assertArrayEquals(new double[] {1, 2, 3, 1, 2, 3}, Tensor.of(1, 2, 3).expand(2, 3).toArray());
        assertArrayEquals(new int[] {0, 1}, Tensor.of(1, 2, 3).expand(2, 3).stride());
        // a view sees writes to its base; reshape of a non-contiguous tensor copies
        try (var off = GradMode.noGrad()) {
            Tensor col = a.select(1, 0);
            col.fill_(9);
            assertArrayEquals(new double[] {9, 2, 3, 9, 5, 6}, a.toArray());
            Tensor flat = t.reshape(6);
            flat.zero_();
            assertEquals(9, a.get(0, 0));
        }
        assertArrayEquals(new double[] {9, 9, 2, 5, 3, 6}, t.contiguous().toArray());
        assertSame(a, a.contiguous());
        var e = assertThrows(IllegalStateException.class, () -> t.view(6));
        assertTrue(e.getMessage().contains("cannot be viewed as [6]"), e.getMessage());
        assertThrows(IndexOutOfBoundsException.class, () -> a.select(0, 2));
        assertThrows(IllegalArgumentException.class, () -> a.permute(0, 0));
    }

    @Test
    void elementwiseOnStridedAndBroadcastViews() {
        Tensor a = Tensor.of(new double[] {1, 2, 3, 4, 5, 6}, 2, 3);
        Tensor b = Tensor.of(new double[] {10, 20, 30, 40, 50, 60}, 3, 2);
        assertArrayEquals(new double[] {11, 32, 53, 24, 45, 66}, a.add(b.transpose()).toArray());
        assertArrayEquals(new double[] {10, 40, 90, 160, 250, 360}, a.mul(b.reshape(2, 3)).toArray());
        Tensor col = a.narrow(1, 2, 1); // [2, 1] with row stride 3
        assertArrayEquals(new double[] {3, 6, 9, 24, 30, 36}, col.mul(a).toArray());
        assertArrayEquals(new double[] {2, 3, 4, 8, 9, 10}, a.add(a.select(1, 0).unsqueeze(1)).toArray());
        assertArrayEquals(new double[] {-9, -18, -27, -36, -45, -54}, a.sub(b.reshape(2, 3)).toArray());
        assertArrayEquals(new double[] {0.1, 0.1, 0.1, 0.1, 0.1, 0.1}, a.div(b.reshape(2, 3)).toArray(), 1e-15);
        assertArrayEquals(new double[] {9, 18, 27, 36, 45, 54}, a.rsub(0).add(b.reshape(2, 3)).toArray());
    }

    @Test
    void matmulBroadcastsBatchesAndReadsTransposedViews() {
        Generator g = new Generator(2);
        Tensor a = g.randn(2, 1, 3, 4), b = g.randn(5, 4, 2);
        Tensor c = a.matmul(b);
        assertArrayEquals(new int[] {2, 5, 3, 2}, c.shape());
        for (int i = 0; i < 2; i++) {
            for (int j = 0; j < 5; j++) {
                Tensor want = naive(a.select(0, i).select(0, 0), b.select(0, j));
                assertArrayEquals(want.toArray(), c.select(0, i).select(0, j).toArray(), 1e-12);
            }
        }
        Tensor m = g.randn(4, 3), n = g.randn(2, 4);
        assertArrayEquals(naive(m.transpose(), n.transpose()).toArray(), m.transpose().matmul(n.transpose()).toArray(), 1e-12);
        Tensor m32 = m.to(DType.FLOAT32);
        assertEquals(DType.FLOAT32, m32.transpose().matmul(m32).dtype());
        assertArrayEquals(naive(m.transpose(), m).toArray(), m32.transpose().matmul(m32).toArray(), 1e-5);
        assertEquals(Tensor.of(1, 2, 3).dot(Tensor.of(4, 5, 6)).item(), 32);
        assertEquals(0, Tensor.of(1, 2).dot(Tensor.of(4, 5)).dim());
        var e = assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(2, 3, 4).matmul(Tensor.zeros(3, 4, 2)));
        assertTrue(e.getMessage().startsWith("matmul: shapes [2] and [3] cannot broadcast"), e.getMessage());
        var bad = assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(2, 3, 4).bmm(Tensor.zeros(2, 5, 2)));
        assertTrue(bad.getMessage().contains("inner sizes 4 and 5 differ"), bad.getMessage());
        var ints = assertThrows(IllegalArgumentException.class, () -> Tensor.arange(4).reshape(2, 2).matmul(Tensor.arange(4).reshape(2, 2)));
        assertTrue(ints.getMessage().contains("int64"), ints.getMessage());
    }

    private static Tensor naive(Tensor a, Tensor b) {
        int n = a.size(0), k = a.size(1), m = b.size(1);
        double[] out = new double[n * m];
        for (int i = 0; i < n; i++) for (int j = 0; j < m; j++) for (int p = 0; p < k; p++) out[i * m + j] += a.get(i, p) * b.get(p, j);
        return Tensor.of(out, n, m);
    }

    @Test
    void einsumMatchesExplicitLoopsAndRejectsWhatItCannotDo() {
        Generator g = new Generator(3);
        Tensor a = g.randn(3, 4), b = g.randn(4, 5);
        assertArrayEquals(a.matmul(b).toArray(), Tensor.einsum("ij,jk->ik", a, b).toArray(), 1e-12);
        assertArrayEquals(a.matmul(b).transpose().toArray(), Tensor.einsum("ij,jk->ki", a, b).toArray(), 1e-12);
        assertArrayEquals(a.transpose().toArray(), Tensor.einsum("ij->ji", a).toArray());
        assertEquals(a.sum().item(), Tensor.einsum("ij->", a).item(), 1e-12);
        assertArrayEquals(a.mul(a).sum(1, false).toArray(), Tensor.einsum("ij,ij->i", a, a).toArray(), 1e-12);
        assertArrayEquals(a.matmul(b).toArray(), Tensor.einsum("ij,jk", a, b).toArray(), 1e-12, "implicit output");
        var e = assertThrows(IllegalArgumentException.class, () -> Tensor.einsum("ii->i", g.randn(3, 3)));
        assertTrue(e.getMessage().contains("diagonals"), e.getMessage());
        var s = assertThrows(IllegalArgumentException.class, () -> Tensor.einsum("ij,jk->ik", a, a));
        assertTrue(s.getMessage().contains("'j' has size 4") && s.getMessage().contains("and 3"), s.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Tensor.einsum("ij->ik", a));
    }

    @Test
    void reductionsWithIndicesAndProducts() {
        Tensor a = Tensor.of(new double[] {3, 1, 4, 1, 5, 9, 2, 6}, 2, 4);
        assertArrayEquals(new double[] {4, 9}, a.max(1, false).toArray());
        assertArrayEquals(new long[] {2, 1}, a.argmax(1, false).toLongArray());
        assertArrayEquals(new long[] {1, 2}, a.argmin(1, false).toLongArray(), "the first of tied minima");
        assertEquals(5, a.argmax().item());
        assertEquals(1, a.min().item());
        assertArrayEquals(new int[] {2, 1}, a.max(1, true).shape());
        assertArrayEquals(new double[] {12, 540}, a.prod(1, false).toArray());
        assertArrayEquals(new double[] {3, 4, 8, 9, 5, 14, 16, 22}, a.cumsum(1).toArray());
        assertArrayEquals(new double[] {3, 1, 4, 1, 8, 10, 6, 7}, a.cumsum(0).toArray());
        assertEquals(Double.NaN, Tensor.of(1, Double.NaN, 3).max().item(), "NaN propagates as in PyTorch");
        Tensor x = Tensor.of(1, 5, 5).requiresGrad(true);
        x.max().backward();
        assertArrayEquals(new double[] {0, 1, 0}, x.grad().toArray(), "max sends the gradient to the first maximum");
        Tensor z = Tensor.of(2, 0, 3).requiresGrad(true);
        z.prod().backward();
        assertArrayEquals(new double[] {0, 6, 0}, z.grad().toArray(), "the gradient of prod is right at a zero");
    }

    @Test
    void inPlaceOpsUpdateAndGuardTheGraph() {
        Tensor w = Tensor.of(1, 2, 3).requiresGrad(true);
        var e = assertThrows(IllegalStateException.class, () -> w.add_(1));
        assertTrue(e.getMessage().contains("noGrad"), e.getMessage());
        Tensor y = w.mul(w).sum();
        y.backward();
        try (var off = GradMode.noGrad()) {
            w.sub_(w.grad(), 0.5); // an SGD step: w -= 0.5 · 2w = 0
        }
        assertArrayEquals(new double[] {0, 0, 0}, w.toArray());
        assertTrue(w.requiresGrad() && w.isLeaf());

        Tensor x = Tensor.of(1, 2).requiresGrad(true);
        Tensor ex = x.exp();
        Tensor loss = ex.sum();
        try (var off = GradMode.noGrad()) {
            ex.mul_(2); // exp's backward needs exp's value
        }
        var stale = assertThrows(IllegalStateException.class, loss::backward);
        assertTrue(stale.getMessage().contains("in-place"), stale.getMessage());

        Tensor u = Tensor.of(1, 2).requiresGrad(true);
        Tensor s = u.add(1).sum(); // add does not need its inputs' values: an in-place change is harmless
        try (var off = GradMode.noGrad()) {
            u.mul_(3);
        }
        s.backward();
        assertArrayEquals(new double[] {1, 1}, u.grad().toArray());

        Tensor plain = Tensor.zeros(2, 2);
        plain.add_(Tensor.of(1, 2)).mul_(2).clamp_(0, 3);
        assertArrayEquals(new double[] {2, 3, 2, 3}, plain.toArray());
        assertThrows(IllegalArgumentException.class, () -> plain.add_(Tensor.zeros(3, 2, 2)));
        assertThrows(IllegalArgumentException.class, () -> Tensor.of(1, 2).expand(2, 2).fill_(1));
        assertThrows(IllegalArgumentException.class, () -> Tensor.ofLongs(1).add_(0.5));
        Tensor ints = Tensor.ofLongs(1, 2);
        ints.mul_(3);
        assertArrayEquals(new long[] {3, 6}, ints.toLongArray());
    }

    @Test
    void creationAndRandomDtypes() {
        assertArrayEquals(new double[] {0, 0.25, 0.5, 0.75, 1}, Tensor.linspace(0, 1, 5).toArray(), 1e-15);
        assertArrayEquals(new double[] {1, 1.5, 2, 2.5}, Tensor.arange(1, 3, 0.5).toArray());
        assertArrayEquals(new double[] {1, 0, 0, 1}, Tensor.eye(2).toArray());
        assertEquals(DType.INT32, Tensor.zeros(DType.INT32, 2).dtype());
        assertEquals(DType.FLOAT32, Tensor.zerosLike(Tensor.ofFloats(1f)).dtype());
        Tensor r32 = new Generator(5).randn(DType.FLOAT32, 100);
        double[] r64 = new Generator(5).randn(100).toArray();
        for (int i = 0; i < 100; i++) assertEquals((float) r64[i], r32.toFloatArray()[i]);
        Tensor perm = new Generator(6).randperm(10);
        assertEquals(DType.INT64, perm.dtype());
        assertEquals(45, perm.sum().item());
        assertEquals(DType.INT64, new Generator(7).randint(0, 5, 3).dtype());
        assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(2, -1));
        assertThrows(IllegalArgumentException.class, () -> new Generator(1).rand(DType.INT64, 2));
    }

    @Test
    void printsDtypesAndSummarisesLargeTensors() {
        assertEquals("tensor([1, 2, 3])", Tensor.arange(4).narrow(0, 1, 3).toString());
        assertEquals("tensor([ True, False])", Tensor.of(true, false).toString());
        assertEquals("tensor([1.5000, 2.0000], dtype=float32)", Tensor.ofFloats(1.5f, 2f).toString());
        assertEquals("tensor([1.0000e-05, 1.0000e+00])", Tensor.of(1e-5, 1).toString());
        assertEquals("tensor([[-1.,  2.],\n        [ 3., 40.]])", Tensor.of(new double[][] {{-1, 2}, {3, 40}}).toString());
        assertEquals("tensor([], size=(0, 3))", Tensor.zeros(0, 3).toString());
        String big = Tensor.arange(2000).toString();
        assertTrue(big.startsWith("tensor([   0,    1,    2, ..., 1997, 1998, 1999])"), big);
        String grid = Tensor.arange(10000).reshape(100, 100).toString();
        assertEquals(7, grid.split("\n").length, grid);
    }
}
