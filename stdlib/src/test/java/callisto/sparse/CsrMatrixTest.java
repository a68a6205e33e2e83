package callisto.sparse;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import callisto.tensor.DType;
import callisto.tensor.GradCheck;
import callisto.tensor.Tensor;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class CsrMatrixTest {
    // a 3 x 4 matrix with a duplicate at (1, 2) and an empty row 2
    static final int[] ROWS = {1, 0, 1, 0, 1}, COLS = {2, 3, 0, 1, 2};
    static final double[] VALS = {1.5, -2, 0.5, 3, 4};

    static double[][] denseOf(int[] rows, int[] cols, double[] vals, int m, int n) {
        double[][] d = new double[m][n];
        for (int e = 0; e < vals.length; e++) d[rows[e]][cols[e]] += vals[e];
        return d;
    }

    static double[] flat(double[][] d) {
        return java.util.Arrays.stream(d).flatMapToDouble(java.util.Arrays::stream).toArray();
    }

    static double[] naiveMatmul(double[][] a, double[] x, int k) {
        double[] y = new double[a.length * k];
        for (int i = 0; i < a.length; i++) for (int j = 0; j < k; j++) for (int c = 0; c < a[0].length; c++) y[i * k + j] += a[i][c] * x[c * k + j];
        return y;
    }

    @Test
    void cooSumsDuplicatesAndSortsColumns() {
        CsrMatrix a = CsrMatrix.fromCoo(ROWS, COLS, Tensor.of(VALS), 3, 4);
        assertEquals(4, a.nnz());
        assertArrayEquals(new int[] {0, 2, 4, 4}, a.rowPtr());
        assertArrayEquals(new int[] {1, 3, 0, 2}, a.colIdx());
        assertArrayEquals(new double[] {3, -2, 0.5, 5.5}, a.values().toArray(), 0);
        assertArrayEquals(flat(denseOf(ROWS, COLS, VALS, 3, 4)), a.toDense().toArray(), 0);
        CsrMatrix same = CsrMatrix.fromCoo(Tensor.ofInts(new int[] {1, 0, 1, 0, 1, 2, 3, 0, 1, 2}, 2, 5), Tensor.of(VALS), 3, 4);
        assertArrayEquals(a.values().toArray(), same.values().toArray(), 0);
    }

    @Test
    void denseRoundTripTransposeAndDiagonal() {
        double[][] d = {{4, 0, 1}, {0, 0, -2}, {3, 5, 0}, {0, 7, 0}};
        CsrMatrix a = CsrMatrix.fromDense(Tensor.of(d));
        assertEquals(6, a.nnz());
        assertArrayEquals(flat(d), a.toDense().toArray(), 0);
        double[][] t = new double[3][4];
        for (int i = 0; i < 4; i++) for (int j = 0; j < 3; j++) t[j][i] = d[i][j];
        CsrMatrix at = a.transpose();
        assertEquals(3, at.rows());
        assertArrayEquals(flat(t), at.toDense().toArray(), 0);
        assertArrayEquals(flat(d), at.transpose().toDense().toArray(), 0);
        assertArrayEquals(new double[] {4, 0, 0}, a.diagonal().toArray(), 0);
    }

    @Test
    void matmulMatchesDenseProductInBothDtypes() {
        var random = new SplittableRandom(3);
        int m = 7, n = 5, k = 3;
        int[] r = random.ints(20, 0, m).toArray(), c = random.ints(20, 0, n).toArray();
        double[] v = random.doubles(20, -1, 1).toArray(), x = random.doubles(n * k, -1, 1).toArray();
        CsrMatrix a = CsrMatrix.fromCoo(r, c, Tensor.of(v), m, n);
        double[] expected = naiveMatmul(denseOf(r, c, v, m, n), x, k);
        assertArrayEquals(expected, CsrMatrix.spmm(a, Tensor.of(x, n, k)).toArray(), 1e-14);
        double[] x1 = java.util.Arrays.copyOf(x, n);
        assertArrayEquals(naiveMatmul(denseOf(r, c, v, m, n), x1, 1), CsrMatrix.spmv(a, Tensor.of(x1)).toArray(), 1e-14);
        CsrMatrix a32 = a.withValues(a.values().to(DType.FLOAT32));
        Tensor y32 = a32.matmul(Tensor.of(x, n, k).to(DType.FLOAT32));
        assertEquals(DType.FLOAT32, y32.dtype());
        assertArrayEquals(expected, y32.toArray(), 1e-5);
    }

    @Test
    void matmulIsBitwiseRepeatable() {
        var random = new SplittableRandom(9);
        int n = 200;
        int[] r = random.ints(3000, 0, n).toArray(), c = random.ints(3000, 0, n).toArray();
        Tensor v = Tensor.of(random.doubles(3000, -1, 1).toArray());
        Tensor x = Tensor.of(random.doubles(n * 4, -1, 1).toArray(), n, 4);
        double[] first = CsrMatrix.fromCoo(r, c, v, n, n).matmul(x).toArray();
        for (int i = 0; i < 3; i++) assertArrayEquals(first, CsrMatrix.fromCoo(r, c, v, n, n).matmul(x).toArray(), 0);
    }

    @Test
    void gradientsInValuesAndOperandToSecondOrder() {
        var random = new SplittableRandom(5);
        CsrMatrix a = CsrMatrix.fromCoo(ROWS, COLS, Tensor.of(VALS), 3, 4);
        Tensor values = a.values();
        Tensor x = Tensor.of(random.doubles(8, -1, 1).toArray(), 4, 2);
        java.util.function.Function<Tensor[], Tensor> f = in -> a.withValues(in[0]).matmul(in[1]).pow(2).sum().reshape(1)
                .add(a.withValues(in[0]).transpose().matmul(a.withValues(in[0]).matmul(in[1])).sum().reshape(1));
        GradCheck.gradcheck(in -> a.withValues(in[0]).matmul(in[1]), values, x);
        GradCheck.gradcheck(f, values, x);
        GradCheck.gradgradcheck(in -> a.withValues(in[0]).matmul(in[1]), values, x);
        GradCheck.gradgradcheck(f, values, x);
        Tensor xv = Tensor.of(random.doubles(4, -1, 1).toArray());
        GradCheck.gradgradcheck(in -> a.withValues(in[0]).matmul(in[1]).pow(3), values, xv);
    }

    @Test
    void gradientOfValuesIsTheSampledProduct() {
        CsrMatrix a = CsrMatrix.fromCoo(ROWS, COLS, Tensor.of(VALS), 3, 4);
        Tensor v = a.values().detach().requiresGrad(true);
        double[] x = {1, 2, 3, 4, 5, 6, 7, 8}, g = {1, -1, 2, 0.5, -3, 4};
        a.withValues(v).matmul(Tensor.of(x, 4, 2)).backward(Tensor.of(g, 3, 2), false, false);
        int[] rows = {0, 0, 1, 1}, cols = a.colIdx();
        double[] expected = new double[4];
        for (int e = 0; e < 4; e++) expected[e] = g[rows[e] * 2] * x[cols[e] * 2] + g[rows[e] * 2 + 1] * x[cols[e] * 2 + 1];
        assertArrayEquals(expected, v.grad().toArray(), 1e-14);
    }

    @Test
    void constructionIsDifferentiable() {
        GradCheck.gradgradcheck(in -> CsrMatrix.fromCoo(ROWS, COLS, in[0], 3, 4).transpose().toDense().pow(2), Tensor.of(VALS));
        GradCheck.gradcheck(in -> CsrMatrix.fromDense(in[0]).diagonal().pow(2), Tensor.of(new double[][] {{1, 2}, {0, 3}}));
    }

    @Test
    void badInputIsNamed() {
        var e = assertThrows(IllegalArgumentException.class, () -> CsrMatrix.fromCoo(new int[] {3}, new int[] {0}, Tensor.of(1.0), 3, 3));
        assertTrue(e.getMessage().contains("fromCoo") && e.getMessage().contains("(3, 0)"), e.getMessage());
        CsrMatrix a = CsrMatrix.fromCoo(ROWS, COLS, Tensor.of(VALS), 3, 4);
        e = assertThrows(IllegalArgumentException.class, () -> a.matmul(Tensor.zeros(3, 2)));
        assertTrue(e.getMessage().contains("matmul") && e.getMessage().contains("[3, 2]"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> CsrMatrix.of(2, 2, new int[] {0, 2, 2}, new int[] {1, 0}, Tensor.of(1, 2)));
    }
}
