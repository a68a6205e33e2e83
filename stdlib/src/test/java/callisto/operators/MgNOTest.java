package callisto.operators;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import callisto.nn.Module;
import callisto.tensor.DType;
import callisto.tensor.Generator;
import callisto.tensor.Tensor;
import org.junit.jupiter.api.Test;

class MgNOTest {
    private static final DType F64 = DType.FLOAT64;

    @Test
    void gradients1d() {
        var g = new Generator(1);
        var m = new MgNO(1, 2, 2, 2, 1, () -> new MgConv(2, 2, 1, 2, 1, 0, 1, Boundary.DIRICHLET, F64, g), F64, g);
        // non-zero biases, so the check does not sit at GELU's symmetric point
        for (var e : m.namedParameters().entrySet()) {
            if (e.getKey().endsWith("bias")) OperatorTesting.set(m, e.getKey(), g.randn(F64, e.getValue().shape()).toArray());
        }
        OperatorTesting.gradcheckModule(m, g.randn(F64, 1, 1, 4), false);
    }

    @Test
    void gradients2d() {
        var g = new Generator(2);
        Module m = MgNO.of2d(1, 1, 2, 1, 2, Boundary.PERIODIC, g).to(F64);
        OperatorTesting.gradcheckModule(m, g.randn(F64, 1, 1, 4, 4), false);
    }

    @Test
    void layersAreTheNeuronDefinition() {
        var g = new Generator(3);
        var m = MgNO.of1d(2, 1, 3, 1, 2, Boundary.NEUMANN, g).to(F64);
        OperatorTesting.set(m, "layers.0.bias", 0.5, -1, 2);
        Tensor x = g.randn(F64, 2, 2, 8);
        var p = m.namedParameters();
        Tensor lifted = callisto.tensor.Conv.conv1d(x, p.get("lifting.weight"), p.get("lifting.bias"));
        Module op = m.namedModules().get("layers.0.operator");
        Tensor hidden = op.forward(lifted).add(Tensor.of(new double[] {0.5, -1, 2}, 1, 3, 1)).gelu();
        Tensor expected = callisto.tensor.Conv.conv1d(hidden, p.get("projection.weight"), p.get("projection.bias"));
        assertArrayEquals(expected.toArray(), m.forward(x).toArray(), 1e-12);
    }

    /** The same weights at two resolutions. */
    @Test
    void runsAtAnyAdmissibleResolution() {
        var m = MgNO.of1d(1, 1, 4, 2, 3, Boundary.DIRICHLET, new Generator(4));
        assertArrayEquals(new int[] {3, 1, 32}, m.forward(Tensor.zeros(DType.FLOAT32, 3, 1, 32)).shape());
        assertArrayEquals(new int[] {3, 1, 64}, m.forward(Tensor.zeros(DType.FLOAT32, 3, 1, 64)).shape());
        var e = assertThrows(IllegalArgumentException.class, () -> m.forward(Tensor.zeros(DType.FLOAT32, 3, 1, 30)));
        assertTrue(e.getMessage().contains("30"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> m.forward(Tensor.zeros(DType.FLOAT32, 3, 2, 32)));
        assertTrue(e.getMessage().contains("[3, 2, 32]") && e.getMessage().contains("[batch, 1, n]"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> MgNO.of1d(1, 1, 0, 2, 3, Boundary.DIRICHLET, new Generator(4)));
        assertThrows(IllegalArgumentException.class, () -> new MgNO(1, 1, 2, 1, 1, () -> null, F64, new Generator(4)));
    }

    /** lifting + layers · (V-cycle + bias) + projection. */
    @Test
    void parameterCount() {
        int in = 2, out = 1, width = 8, layers = 3, levels = 4;
        long cycle1d = levels * 2L * 3 * width * width + (levels - 1) * 3L * 2 * width * width - 3L * width * width; // no coarsest A
        long expected1d = (in * width + width) + layers * (cycle1d + width) + (width * out + out);
        assertEquals(expected1d, MgNO.of1d(in, out, width, layers, levels, Boundary.DIRICHLET, new Generator(5)).numParameters());
        long expected2d = (in * width + width) + layers * (3 * cycle1d + width) + (width * out + out);
        assertEquals(expected2d, MgNO.of2d(in, out, width, layers, levels, Boundary.DIRICHLET, new Generator(5)).numParameters());
    }

    @Test
    void aFewAdamStepsLowerTheDarcyLoss() {
        var m = MgNO.of1d(1, 1, 8, 2, 3, Boundary.DIRICHLET, new Generator(6));
        double[] losses = OperatorTraining.darcyLosses(m, 16, 32, 30, 1e-2);
        assertTrue(losses[1] < 0.5 * losses[0], "loss " + losses[0] + " -> " + losses[1]);
    }
}
