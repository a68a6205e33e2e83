package callisto.nn;

import static callisto.nn.NnTesting.gradcheckModule;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import callisto.tensor.Conv;
import callisto.tensor.ConvOptions;
import callisto.tensor.DType;
import callisto.tensor.Generator;
import callisto.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** The 1-D counterparts of ConvTranspose2d, MaxPool2d and AvgPool2d. */
class Layers1dTest {
    private static final DType F64 = DType.FLOAT64;

    @Test
    void convTranspose1dShapesInitAndGradients() {
        var g = new Generator(1);
        var opts = ConvOptions.defaults().stride(2).padding(1).outputPadding(1);
        var m = new ConvTranspose1d(2, 3, 3, opts, true, F64, g);
        assertArrayEquals(new int[] {2, 3, 3}, m.weight().shape()); // [in, out, k], as PyTorch
        double bound = 1 / Math.sqrt(3 * 3);                          // fanIn from dim 1: out · k
        assertEquals(true, m.weight().abs().max().item() <= bound);
        Tensor x = g.randn(F64, 2, 2, 4);
        Tensor y = m.forward(x);
        assertArrayEquals(new int[] {2, 3, 8}, y.shape());
        assertArrayEquals(Conv.convTranspose1d(x, m.weight(), m.bias(), opts).toArray(), y.toArray(), 0);
        gradcheckModule(new ConvTranspose1d(2, 2, 3, opts.paddingMode(Conv.PaddingMode.CIRCULAR), true, F64, g),
                g.randn(F64, 1, 2, 3), false);
        assertEquals("ConvTranspose1d(2, 3, kernel_size=(3,), stride=(2,), padding=(1,), output_padding=(1,), bias=true)",
                m.toString());
    }

    @Test
    void pools1d() {
        Tensor x = Tensor.of(new double[] {1, 5, 2, 0, -1, 3}, 1, 1, 6);
        assertArrayEquals(new double[] {5, 2, 3}, new MaxPool1d(2).forward(x).toArray(), 0);
        assertArrayEquals(new double[] {3, 1, 1}, new AvgPool1d(2).forward(x).toArray(), 1e-15);
        assertArrayEquals(new double[] {5, 5, 2, 0, 3}, new MaxPool1d(2, 1, 0, 1, false).forward(x).toArray(), 0);
        gradcheckModule(new AvgPool1d(2), new Generator(2).randn(F64, 1, 2, 4), false);
        gradcheckModule(new MaxPool1d(2), Tensor.of(new double[] {0.1, 0.7, -0.3, 0.4}, 1, 1, 4), false);
        assertThrows(IllegalArgumentException.class, () -> new MaxPool1d(0));
        assertThrows(IllegalArgumentException.class, () -> new AvgPool1d(2, 0, 0, false, true));
    }
}
