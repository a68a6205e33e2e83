package callisto.fields;

import static callisto.fields.FieldsTesting.gradcheckModule;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import callisto.nn.Linear;
import callisto.tensor.DType;
import callisto.tensor.Generator;
import callisto.tensor.Tensor;

import java.util.List;

import org.junit.jupiter.api.Test;

class SirenTest {
    static final DType F64 = DType.FLOAT64;

    @Test
    void sineLayerIsSinOfOmegaTimesLinear() {
        var g = new Generator(2);
        var layer = new SineLayer(3, 2, 7.5, false, F64, g);
        assertEquals(List.of("linear.weight", "linear.bias"), List.copyOf(layer.namedParameters().keySet()));
        Tensor x = g.randn(4, 3);
        double[] w = layer.linear().weight().toArray(), b = layer.linear().bias().toArray(), xv = x.toArray();
        double[] y = layer.forward(x).toArray();
        for (int n = 0; n < 4; n++) {
            for (int o = 0; o < 2; o++) {
                double z = b[o];
                for (int i = 0; i < 3; i++) z += xv[n * 3 + i] * w[o * 3 + i];
                assertEquals(Math.sin(7.5 * z), y[n * 2 + o], 1e-12);
            }
        }
    }

    @Test
    void sirenInitializationBounds() {
        int in = 40;
        var first = new SineLayer(in, 200, 30, true, F64, new Generator(4));
        var hidden = new SineLayer(in, 200, 30, false, F64, new Generator(4));
        double firstMax = maxAbs(first.linear().weight().toArray()), hiddenMax = maxAbs(hidden.linear().weight().toArray());
        double hiddenBound = Math.sqrt(6.0 / in) / 30;
        assertTrue(firstMax <= 1.0 / in && firstMax > 0.95 / in, "first layer U(±1/in): max " + firstMax);
        assertTrue(hiddenMax <= hiddenBound && hiddenMax > 0.95 * hiddenBound, "hidden U(±√(6/in)/ω0): max " + hiddenMax);
        double biasBound = 1 / Math.sqrt(in), biasMax = maxAbs(first.linear().bias().toArray());
        assertTrue(biasMax <= biasBound && biasMax > 0.8 * biasBound, "bias keeps Linear's U(±1/√in): max " + biasMax);
    }

    @Test
    void sirenStacksSineLayersAndALinearHead() {
        var s = Siren.builder(2, 16, 3, 1).omega0(20).firstOmega0(30).dtype(F64).generator(new Generator(1)).build();
        assertEquals(4, s.size());
        for (int i = 0; i < 3; i++) assertInstanceOf(SineLayer.class, s.get(i));
        assertEquals(30, ((SineLayer) s.get(0)).omega0());
        assertTrue(((SineLayer) s.get(0)).isFirstLayer());
        assertEquals(20, ((SineLayer) s.get(2)).omega0());
        Linear head = assertInstanceOf(Linear.class, s.get(3));
        double bound = Math.sqrt(6.0 / 16) / 20;
        assertTrue(maxAbs(head.weight().toArray()) <= bound, "linear head uses the hidden SIREN init");
        assertTrue(s.namedParameters().containsKey("0.linear.weight") && s.namedParameters().containsKey("3.bias"));
        assertArrayEquals(new int[] {5, 1}, s.forward(Tensor.zeros(F64, 5, 2)).shape());
        var sineHead = Siren.builder(2, 8, 1, 3).linearLast(false).build();
        assertInstanceOf(SineLayer.class, sineHead.get(1));
        assertEquals(DType.FLOAT32, sineHead.forward(Tensor.zeros(DType.FLOAT32, 2, 2)).dtype());
    }

    @Test
    void sameSeedSameSiren() {
        var a = Siren.builder(2, 8, 2, 1).generator(new Generator(9)).build();
        var b = Siren.builder(2, 8, 2, 1).generator(new Generator(9)).build();
        for (var e : a.stateDict().entrySet()) assertArrayEquals(e.getValue().toArray(), b.stateDict().get(e.getKey()).toArray(), 0);
    }

    @Test
    void gradchecksToSecondOrder() {
        var g = new Generator(6);
        gradcheckModule(new SineLayer(2, 3, 30, true, F64, g), g.uniform(-1, 1, 2, 2), true);
        var s = Siren.builder(2, 3, 2, 1).omega0(10).firstOmega0(10).dtype(F64).generator(g).build();
        gradcheckModule(s, g.uniform(-1, 1, 2, 2), true);
    }

    @Test
    void badArgumentsAreNamed() {
        var e = assertThrows(IllegalArgumentException.class, () -> Siren.builder(2, 16, 0, 1));
        assertTrue(e.getMessage().contains("layers 0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Siren.builder(2, 16, 2, 1).omega0(0));
        assertTrue(e.getMessage().contains("omega0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new SineLayer(2, 2, -3, false, new Generator(0)));
        assertTrue(e.getMessage().contains("omega0 -3.0"), e.getMessage());
    }

    private static double maxAbs(double[] v) {
        double m = 0;
        for (double x : v) m = Math.max(m, Math.abs(x));
        return m;
    }
}
