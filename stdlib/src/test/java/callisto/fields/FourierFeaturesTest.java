package callisto.fields;

import static callisto.fields.FieldsTesting.gradcheckModule;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import callisto.tensor.DType;
import callisto.tensor.Generator;
import callisto.tensor.Tensor;

import java.util.Arrays;

import org.junit.jupiter.api.Test;

class FourierFeaturesTest {
    static final DType F64 = DType.FLOAT64;

    @Test
    void gaussianFeaturesAreCosAndSinOfTheProjection() {
        var g = new Generator(3);
        var enc = FourierFeatures.gaussian(2, 5, 1.5, F64, g);
        assertEquals(10, enc.outFeatures());
        assertArrayEquals(new int[] {5, 2}, enc.frequencies().shape());
        assertTrue(enc.namedParameters().isEmpty(), "B is a buffer, not trained");
        assertTrue(enc.stateDict().containsKey("B"));
        Tensor x = g.randn(4, 2);
        double[] b = enc.frequencies().toArray(), xv = x.toArray(), y = enc.forward(x).toArray();
        assertEquals(40, y.length);
        for (int n = 0; n < 4; n++) {
            for (int j = 0; j < 5; j++) {
                double p = 2 * Math.PI * (xv[n * 2] * b[j * 2] + xv[n * 2 + 1] * b[j * 2 + 1]);
                assertEquals(Math.cos(p), y[n * 10 + j], 1e-12);
                assertEquals(Math.sin(p), y[n * 10 + 5 + j], 1e-12);
            }
        }
    }

    @Test
    void gaussianFrequenciesHaveTheRequestedSpreadAndFollowTheSeed() {
        var big = FourierFeatures.gaussian(1, 4000, 2.0, F64, new Generator(7));
        double[] b = big.frequencies().toArray();
        double mean = Arrays.stream(b).average().orElseThrow();
        double var = Arrays.stream(b).map(v -> (v - mean) * (v - mean)).sum() / (b.length - 1);
        assertEquals(2.0, Math.sqrt(var), 0.1);
        assertEquals(0, mean, 0.15);
        var a1 = FourierFeatures.gaussian(3, 8, 1, DType.FLOAT32, new Generator(11));
        var a2 = FourierFeatures.gaussian(3, 8, 1, DType.FLOAT32, new Generator(11));
        var a3 = FourierFeatures.gaussian(3, 8, 1, DType.FLOAT32, new Generator(12));
        assertArrayEquals(a1.frequencies().toArray(), a2.frequencies().toArray(), 0);
        assertFalse(Arrays.equals(a1.frequencies().toArray(), a3.frequencies().toArray()));
        assertEquals(DType.FLOAT32, a1.forward(Tensor.zeros(DType.FLOAT32, 2, 3)).dtype());
    }

    @Test
    void positionalEncodingIsNerfs() {
        int in = 2, l = 3;
        var enc = FourierFeatures.positional(in, l, true);
        assertEquals(in + 2 * in * l, enc.outFeatures());
        assertEquals(2 * in * l, FourierFeatures.positional(in, l, false).outFeatures());
        Tensor x = Tensor.of(new double[] {0.3, -0.7, 0.11, 0.9}, 2, 2);
        double[] xv = x.toArray(), y = enc.forward(x).toArray();
        int f = enc.outFeatures();
        for (int n = 0; n < 2; n++) {
            for (int i = 0; i < in; i++) {
                assertEquals(xv[n * in + i], y[n * f + i], 0);
                for (int k = 0; k < l; k++) {
                    double arg = Math.pow(2, k) * Math.PI * xv[n * in + i];
                    assertEquals(Math.sin(arg), y[n * f + in + i * l + k], 1e-12);
                    assertEquals(Math.cos(arg), y[n * f + in + in * l + i * l + k], 1e-12);
                }
            }
        }
        // leading batch dims are kept
        assertArrayEquals(new int[] {2, 3, f}, enc.forward(Tensor.zeros(F64, 2, 3, 2)).shape());
    }

    @Test
    void windowOpensBandByBand() {
        int in = 1, l = 4;
        var win = FourierFeatures.windowed(in, l, true);
        var full = FourierFeatures.positional(in, l, true);
        Tensor x = Tensor.of(new double[] {0.37, -0.21, 0.05}, 3, 1);
        assertEquals(0, win.alpha());
        double[] y0 = win.forward(x).toArray();
        for (int n = 0; n < 3; n++) {
            assertEquals(x.toArray()[n], y0[n * 9], 0, "the input passes at alpha 0");
            for (int j = 1; j < 9; j++) assertEquals(0, y0[n * 9 + j], 0, "every band is off at alpha 0");
        }
        win.setAlpha(1.5); // w = [1, (1 - cos(pi/2))/2 = 1/2, 0, 0]
        double[] w = {1, 0.5, 0, 0};
        double[] y = win.forward(x).toArray(), ref = full.forward(x).toArray();
        for (int n = 0; n < 3; n++) {
            for (int k = 0; k < l; k++) {
                assertEquals(w[k] * ref[n * 9 + 1 + k], y[n * 9 + 1 + k], 1e-15);
                assertEquals(w[k] * ref[n * 9 + 5 + k], y[n * 9 + 5 + k], 1e-15);
            }
        }
        win.setAlpha(l);
        assertArrayEquals(ref, win.forward(x).toArray(), 0);
        win.setAlpha(2.25); // band 2 at (1 - cos(pi/4))/2
        assertEquals((1 - Math.cos(Math.PI / 4)) / 2, win.window()[2], 1e-15);
        assertEquals(1, win.window()[1], 0);
    }

    @Test
    void encodingsGradcheckToSecondOrder() {
        var g = new Generator(5);
        gradcheckModule(FourierFeatures.gaussian(2, 3, 0.7, F64, g), g.randn(3, 2), true);
        gradcheckModule(FourierFeatures.positional(2, 3, true), g.randn(2, 2).mul(0.5), true);
        gradcheckModule(FourierFeatures.windowed(3, 3, false).setAlpha(1.7), g.randn(2, 3).mul(0.5), true);
    }

    @Test
    void badArgumentsAreNamed() {
        var e = assertThrows(IllegalArgumentException.class, () -> FourierFeatures.gaussian(2, 4, -1, F64, new Generator(0)));
        assertTrue(e.getMessage().contains("sigma -1.0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> FourierFeatures.positional(0, 4, true));
        assertTrue(e.getMessage().contains("inFeatures 0"), e.getMessage());
        var enc = FourierFeatures.positional(2, 4, false);
        e = assertThrows(IllegalArgumentException.class, () -> enc.forward(Tensor.zeros(F64, 5, 3)));
        assertTrue(e.getMessage().contains("[5, 3]") && e.getMessage().contains("inFeatures = 2"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> enc.setAlpha(-0.5));
        assertTrue(e.getMessage().contains("alpha -0.5"), e.getMessage());
        var gauss = FourierFeatures.gaussian(2, 4, 1, F64, new Generator(0));
        assertThrows(IllegalStateException.class, () -> gauss.setAlpha(1));
    }
}
