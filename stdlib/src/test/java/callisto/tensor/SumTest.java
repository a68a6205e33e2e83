package callisto.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Sums over dims that do not form one block (a bias gradient), against a loop over every element. */
class SumTest {
    @Test
    void sumsOverSeparatedDimsMatchTheDefinition() {
        int[] shape = {3, 4, 5, 6};
        Tensor x = new Generator(2).randn(shape);
        for (int[] dims : new int[][] {{0, 2}, {1, 3}, {0, 1, 3}, {0, 2, 3}, {0, 3}, {0, 1, 2, 3}}) {
            for (DType dt : new DType[] {DType.FLOAT64, DType.FLOAT32}) {
                Tensor got = x.to(dt).sum(dims, true);
                int[] kept = shape.clone();
                for (int d : dims) kept[d] = 1;
                assertArrayEquals(kept, got.shape());
                double[] want = new double[got.numel()];
                for (int a = 0; a < 3; a++) for (int b = 0; b < 4; b++) for (int c = 0; c < 5; c++) for (int d = 0; d < 6; d++) {
                    int[] at = {a, b, c, d};
                    int o = 0;
                    for (int k = 0; k < 4; k++) o = o * kept[k] + (kept[k] == 1 ? 0 : at[k]);
                    want[o] += x.get(at);
                }
                double tol = dt == DType.FLOAT32 ? 1e-5 : 1e-12;
                double[] g = got.to(DType.FLOAT64).toArray();
                for (int i = 0; i < want.length; i++) assertEquals(want[i], g[i], tol, java.util.Arrays.toString(dims) + " " + dt);
                assertEquals(dt, got.dtype());
                assertArrayEquals(got.reshape(got.numel()).toArray(), x.to(dt).sum(dims, false).reshape(got.numel()).toArray());
            }
        }
    }
}
