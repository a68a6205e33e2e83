package callisto.operators;

import static callisto.operators.OperatorTesting.gradcheckModule;
import static callisto.operators.OperatorTesting.maxAbsDiff;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import callisto.nn.GELU;
import callisto.nn.Module;
import callisto.optim.Optimizers;
import callisto.pde.Burgers;
import callisto.tensor.DType;
import callisto.tensor.Generator;
import callisto.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FNOTest {
    static final DType F64 = DType.FLOAT64;

    @Test
    void blockIsConvPlusSkipThroughTheActivation() {
        var g = new Generator(1);
        var conv = new SpectralConv1d(2, 3, 3, F64, g);
        var block = new FNOBlock(conv, 2, 3, new GELU(), F64, g);
        Tensor x = g.randn(2, 2, 8);
        // the skip computed by hand from its parameters: y[b, o, s] = Σ_i W[o, i] x[b, i, s] + bias[o]
        var state = block.stateDict();
        double[] w = state.get("skip.weight").toArray(), bias = state.get("skip.bias").toArray(), xv = x.toArray();
        double[] k = conv.forward(x).toArray(), expected = new double[2 * 3 * 8];
        for (int b = 0; b < 2; b++)
            for (int o = 0; o < 3; o++)
                for (int s = 0; s < 8; s++) {
                    double v = bias[o] + k[(b * 3 + o) * 8 + s];
                    for (int i = 0; i < 2; i++) v += w[o * 2 + i] * xv[(b * 2 + i) * 8 + s];
                    expected[(b * 3 + o) * 8 + s] = v * 0.5 * (1 + erf(v / Math.sqrt(2)));
                }
        assertTrue(maxAbsDiff(expected, block.forward(x).toArray()) < 1e-6, "block vs hand-computed");
        assertEquals(List.of("conv.weight", "skip.weight", "skip.bias"), new ArrayList<>(block.namedParameters().keySet()));
        gradcheckModule(block, g.randn(1, 2, 6), true);
        var linear = new FNOBlock(new SpectralConv2d(2, 2, 1, 2, F64, g), 2, null, F64, g);
        assertNull(linear.activation());
        gradcheckModule(linear, g.randn(1, 2, 2, 4), false);
    }

    /** erf to ~1e-7 (Abramowitz–Stegun 7.1.26), enough to check GELU is applied. */
    static double erf(double x) {
        double t = 1 / (1 + 0.3275911 * Math.abs(x));
        double y = 1 - (((((1.061405429 * t - 1.453152027) * t) + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-x * x);
        return Math.signum(x) * y;
    }

    @Test
    void blockRejectsAConvThatChangesResolution() {
        var g = new Generator(2);
        Module halving = new Module() {
            @Override
            public Tensor forward(Tensor x) {
                return x.narrow(2, 0, x.size(2) / 2);
            }
        };
        var block = new FNOBlock(halving, 2, null, F64, g);
        var e = assertThrows(IllegalArgumentException.class, () -> block.forward(g.randn(1, 2, 8)));
        assertTrue(e.getMessage().contains("[1, 2, 4]") && e.getMessage().contains("[1, 2, 8]"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new FNOBlock(null, 2, null, F64, g));
    }

    @Test
    void fno1dShapesGradchecksAndResolutions() {
        var g = new Generator(3);
        var fno = FNO.of1d(1, 2, 2, 3, 2, F64, g);
        assertEquals(List.of("lifting.weight", "lifting.bias", "blocks.0.conv.weight", "blocks.0.skip.weight", "blocks.0.skip.bias",
                "blocks.1.conv.weight", "blocks.1.skip.weight", "blocks.1.skip.bias", "projection.0.weight", "projection.0.bias",
                "projection.2.weight", "projection.2.bias"), new ArrayList<>(fno.namedParameters().keySet()));
        assertArrayEquals(new int[] {3, 2}, fno.namedParameters().get("lifting.weight").shape());
        assertArrayEquals(new int[] {6, 3}, fno.namedParameters().get("projection.0.weight").shape());
        for (int n : new int[] {4, 16, 33}) assertArrayEquals(new int[] {2, 2, n}, fno.forward(g.randn(2, 1, n)).shape());
        gradcheckModule(FNO.of1d(1, 1, 2, 2, 2, F64, g), g.randn(1, 1, 5), true);
        // same seed, same model
        var a = FNO.of1d(1, 1, 4, 4, 2, new Generator(9)).stateDict();
        var b = FNO.of1d(1, 1, 4, 4, 2, new Generator(9)).stateDict();
        for (String key : a.keySet()) assertArrayEquals(a.get(key).toArray(), b.get(key).toArray(), 0, key);
        assertEquals(DType.FLOAT32, a.get("lifting.weight").dtype());
    }

    @Test
    void fnoGridChannelsAreThePhysicalCoordinates() {
        // a 1-channel input that is zero everywhere: the output still varies in space, through the grid channels only,
        // and the point j/n has the same coordinate (hence, pointwise layers aside, the same lift) at n and 2n
        var g = new Generator(4);
        var fno = new FNO(1, 1, 1, 2, 1, () -> new Module() {
            @Override
            public Tensor forward(Tensor x) {
                return x.mul(0); // no spectral part: the model is pointwise, so outputs at shared points agree exactly
            }
        }, 4, F64, g);
        Tensor coarse = fno.forward(Tensor.zeros(F64, 1, 1, 8)), fine = fno.forward(Tensor.zeros(F64, 1, 1, 16));
        Tensor shared = fine.reshape(1, 1, 8, 2).select(-1, 0).contiguous();
        assertTrue(maxAbsDiff(coarse.toArray(), shared.toArray()) < 1e-14);
        assertTrue(coarse.max().item() - coarse.min().item() > 1e-6, "the output should depend on x");
    }

    @Test
    void fno2dShapesAndGradchecks() {
        var g = new Generator(5);
        var fno = FNO.of2d(2, 1, 2, 2, 3, 2, F64, g);
        assertArrayEquals(new int[] {3, 4}, fno.namedParameters().get("lifting.weight").shape());
        assertArrayEquals(new int[] {3, 3, 4, 2, 2}, fno.namedParameters().get("blocks.0.conv.weight").shape());
        assertArrayEquals(new int[] {2, 1, 8, 6}, fno.forward(g.randn(2, 2, 8, 6)).shape());
        assertArrayEquals(new int[] {1, 1, 4, 3}, fno.forward(g.randn(1, 2, 4, 3)).shape());
        gradcheckModule(FNO.of2d(1, 1, 1, 2, 2, 1, F64, g), g.randn(1, 1, 4, 4), false);
    }

    @Test
    void fnoArgumentErrors() {
        var g = new Generator(6);
        var fno = FNO.of1d(1, 1, 4, 4, 1, F64, g);
        var dims = assertThrows(IllegalArgumentException.class, () -> fno.forward(g.randn(1, 1, 8, 8)));
        assertTrue(dims.getMessage().contains("[1, 1, 8, 8]") && dims.getMessage().contains("[batch, 1, n]"), dims.getMessage());
        var coarse = assertThrows(IllegalArgumentException.class, () -> fno.forward(g.randn(1, 1, 4)));
        assertTrue(coarse.getMessage().contains("modes = 4"), coarse.getMessage());
        var spatial = assertThrows(IllegalArgumentException.class, () -> new FNO(1, 1, 3, 4, 1, () -> null, 8, F64, g));
        assertTrue(spatial.getMessage().contains("spatialDims 3"), spatial.getMessage());
        var layers = assertThrows(IllegalArgumentException.class, () -> FNO.of1d(1, 1, 4, 4, 0, F64, g));
        assertTrue(layers.getMessage().contains("layers 0"), layers.getMessage());
    }

    @Test
    void adamStepsReduceTheLossOnBurgers() {
        var data = Burgers.generate(new Generator(7), 16, 32, 0.05, 0.25, 1e-3);
        Tensor a = data.a().unsqueeze(1), u = data.u().unsqueeze(1);
        var fno = FNO.of1d(1, 1, 8, 16, 2, new Generator(8));
        var adam = Optimizers.adam(fno.namedParameters(), 3e-3);
        double first = Double.NaN, last = Double.NaN;
        for (int step = 0; step < 40; step++) {
            adam.zeroGrad();
            Tensor loss = fno.forward(a).sub(u).pow(2).mean();
            loss.backward();
            adam.step();
            if (step == 0) first = loss.item();
            last = loss.item();
        }
        assertTrue(last < 0.2 * first, "40 Adam steps took the loss from " + first + " to " + last);
    }
}
