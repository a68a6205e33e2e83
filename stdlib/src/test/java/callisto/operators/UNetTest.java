package callisto.operators;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import callisto.tensor.DType;
import callisto.tensor.Generator;
import callisto.tensor.Tensor;
import org.junit.jupiter.api.Test;

class UNetTest {
    private static final DType F64 = DType.FLOAT64;

    @Test
    void gradients1dBothPoolings() {
        for (UNet.Pooling p : UNet.Pooling.values()) {
            var g = new Generator(1);
            var m = new UNet(1, 1, 2, 1, 1, p, F64, g);
            OperatorTesting.gradcheckModule(m, g.randn(F64, 1, 1, 4), false);
        }
    }

    @Test
    void gradients2d() {
        var g = new Generator(2);
        var m = new UNet(1, 1, 1, 1, 2, UNet.Pooling.AVG, F64, g);
        OperatorTesting.gradcheckModule(m, g.randn(F64, 1, 1, 4, 4), false);
    }

    /** Per block 2 convs 3-wide; per level up a transposed conv 2-wide; a pointwise head. */
    @Test
    void parameterCount() {
        int in = 1, out = 2, c = 4, depth = 3;
        for (int dims = 1; dims <= 2; dims++) {
            int k3 = dims == 1 ? 3 : 9, k2 = dims == 1 ? 2 : 4;
            long n = 0;
            for (int d = 0; d <= depth; d++) {
                int cin = d == 0 ? in : c << (d - 1), co = c << d;
                n += (long) cin * co * k3 + co + (long) co * co * k3 + co;
            }
            for (int d = depth; d >= 1; d--) {
                int hi = c << d, lo = c << (d - 1);
                n += (long) hi * lo * k2 + lo;                              // up
                n += (long) 2 * lo * lo * k3 + lo + (long) lo * lo * k3 + lo; // decoder block
            }
            n += (long) c * out + out;
            var m = new UNet(in, out, c, depth, dims, UNet.Pooling.MAX, DType.FLOAT32, new Generator(3));
            assertEquals(n, m.numParameters(), "dims " + dims);
        }
    }

    @Test
    void shapesAndErrors() {
        var m = UNet.of1d(2, 3, 4, 2, new Generator(4));
        assertArrayEquals(new int[] {5, 3, 16}, m.forward(Tensor.zeros(DType.FLOAT32, 5, 2, 16)).shape());
        var m2 = UNet.of2d(1, 1, 2, 2, new Generator(4));
        assertArrayEquals(new int[] {1, 1, 8, 12}, m2.forward(Tensor.zeros(DType.FLOAT32, 1, 1, 8, 12)).shape());
        var e = assertThrows(IllegalArgumentException.class, () -> m.forward(Tensor.zeros(DType.FLOAT32, 5, 2, 18)));
        assertTrue(e.getMessage().contains("18") && e.getMessage().contains("2^depth = 4"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> m.forward(Tensor.zeros(DType.FLOAT32, 5, 1, 16)));
        assertTrue(e.getMessage().contains("[5, 1, 16]"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> UNet.of1d(1, 1, 0, 2, new Generator(4)));
        assertThrows(IllegalArgumentException.class, () -> new UNet(1, 1, 2, 1, 3, UNet.Pooling.MAX, F64, new Generator(4)));
        // depth 0: one block and the head, no pooling
        assertArrayEquals(new int[] {1, 1, 7}, UNet.of1d(1, 1, 2, 0, new Generator(4)).forward(Tensor.zeros(DType.FLOAT32, 1, 1, 7)).shape());
    }

    @Test
    void aFewAdamStepsLowerTheDarcyLoss() {
        var m = UNet.of1d(1, 1, 4, 2, new Generator(7));
        double[] losses = OperatorTraining.darcyLosses(m, 16, 32, 30, 1e-2);
        assertTrue(losses[1] < 0.5 * losses[0], "loss " + losses[0] + " -> " + losses[1]);
    }
}
