package callisto.operators;

import static callisto.operators.OperatorTesting.gradcheckModule;
import static callisto.operators.OperatorTesting.maxAbsDiff;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import callisto.nn.Linear;
import callisto.tensor.DType;
import callisto.tensor.GradCheck;
import callisto.tensor.Generator;
import callisto.tensor.Tensor;
import org.junit.jupiter.api.Test;

class DeepONetTest {
    static final DType F64 = DType.FLOAT64;

    @Test
    void outputIsTheBranchTrunkDotProductPlusBias() {
        var g = new Generator(1);
        var branch = new Linear(4, 3, true, F64, g);
        var trunk = new Linear(2, 3, true, F64, g);
        var net = new DeepONet(branch, trunk, null, F64);
        Tensor u = g.randn(2, 4), y = g.randn(5, 2);
        Tensor out = net.forward(u, y);
        assertArrayEquals(new int[] {2, 5}, out.shape());
        double[] b = branch.forward(u).toArray(), t = trunk.forward(y).toArray(), expected = new double[10];
        for (int i = 0; i < 2; i++)
            for (int q = 0; q < 5; q++)
                for (int k = 0; k < 3; k++) expected[i * 5 + q] += b[i * 3 + k] * t[q * 3 + k];
        assertTrue(maxAbsDiff(expected, out.toArray()) < 1e-12);
        var noGrid = assertThrows(IllegalStateException.class, () -> net.forward(u));
        assertTrue(noGrid.getMessage().contains("forward(u, y)"), noGrid.getMessage());
    }

    @Test
    void gradchecksOfInputsQueriesAndParameters() {
        var g = new Generator(2);
        var net = DeepONet.of(4, 1, 3, 1, 2, F64, g);
        assertArrayEquals(new int[] {4, 1}, net.defaultQueries().shape());
        assertArrayEquals(new double[] {0, 0.25, 0.5, 0.75}, net.defaultQueries().toArray(), 0);
        // parameters (and u) through the one-input form at the sensor grid
        gradcheckModule(net, g.randn(2, 4), true);
        // u and the queries y through the two-input form
        GradCheck.gradcheck(xs -> net.forward(xs[0], xs[1]), g.randn(2, 4), g.rand(3, 1));
        GradCheck.gradgradcheck(xs -> net.forward(xs[0], xs[1]), g.randn(2, 4), g.rand(3, 1));
        var twoD = DeepONet.of(3, 2, 3, 2, 2, F64, g);
        GradCheck.gradcheck(xs -> twoD.forward(xs[0], xs[1]), g.randn(1, 3), g.rand(4, 2));
    }

    @Test
    void argumentErrors() {
        var g = new Generator(3);
        var net = DeepONet.of(4, 2, 3, 1, 2, F64, g);
        var noGrid = assertThrows(IllegalStateException.class, () -> net.forward(g.randn(1, 4)));
        assertTrue(noGrid.getMessage().contains("no default query grid"), noGrid.getMessage());
        var u = assertThrows(IllegalArgumentException.class, () -> net.forward(g.randn(1, 1, 4), g.randn(3, 2)));
        assertTrue(u.getMessage().contains("[1, 1, 4]"), u.getMessage());
        var y = assertThrows(IllegalArgumentException.class, () -> net.forward(g.randn(1, 4), g.randn(3)));
        assertTrue(y.getMessage().contains("[3]"), y.getMessage());
        var mismatch = new DeepONet(new Linear(4, 3, true, F64, g), new Linear(2, 5, true, F64, g), null, F64);
        var p = assertThrows(IllegalArgumentException.class, () -> mismatch.forward(g.randn(1, 4), g.randn(6, 2)));
        assertTrue(p.getMessage().contains("[1, 3]") && p.getMessage().contains("[6, 5]"), p.getMessage());
        assertThrows(IllegalArgumentException.class, () -> DeepONet.of(0, 1, 3, 1, 2, F64, g));
    }
}
