package callisto.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Reductions give the same bits before and after the JIT compiles them (Vector API lane reductions do not). */
class DeterminismTest {
    @Test
    void aSumKeepsItsBitsAcrossManyCalls() {
        for (int n : new int[] {100, 101, 37, 1000}) {
            double[] v = new Generator(n).randn(n).toArray();
            for (int i = 0; i < n; i++) v[i] *= Math.pow(10, i % 17 - 8); // magnitudes 1e-8 .. 1e8: the order shows in the bits
            Tensor x = Tensor.of(v);
            Tensor x32 = x.to(DType.FLOAT32);
            long first = Double.doubleToRawLongBits(x.sum().item());
            int first32 = Float.floatToRawIntBits((float) x32.sum().item());
            for (int i = 0; i < 30_000; i++) { // well past the point where the sum kernel is compiled
                assertEquals(first, Double.doubleToRawLongBits(x.sum().item()), "n " + n + ", call " + i);
                assertEquals(first32, Float.floatToRawIntBits((float) x32.sum().item()), "float32, n " + n + ", call " + i);
            }
        }
    }
}
