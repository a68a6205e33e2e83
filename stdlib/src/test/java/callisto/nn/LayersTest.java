package callisto.nn;

import static callisto.nn.NnTesting.assertClose;
import static callisto.nn.NnTesting.gradcheckModule;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import callisto.tensor.DType;
import callisto.tensor.Generator;
import callisto.tensor.Tensor;

import java.util.List;
import java.util.function.DoubleUnaryOperator;

import org.junit.jupiter.api.Test;

class LayersTest {
    static final DType F64 = DType.FLOAT64;

    @Test
    void linearMatchesLoopsAndGradchecks() {
        var g = new Generator(1);
        var m = new Linear(3, 2, true, F64, g);
        Tensor x = g.randn(4, 3);
        double[] w = m.weight().toArray(), b = m.bias().toArray(), xv = x.toArray();
        double[] y = new double[8];
        for (int n = 0; n < 4; n++)
            for (int o = 0; o < 2; o++) {
                double s = b[o];
                for (int i = 0; i < 3; i++) s += xv[n * 3 + i] * w[o * 3 + i];
                y[n * 2 + o] = s;
            }
        assertClose(y, m.forward(x), 1e-14);
        gradcheckModule(m, x, true);
        var noBias = new Linear(3, 2, false, F64, g);
        assertNull(noBias.bias());
        gradcheckModule(noBias, g.randn(2, 2, 3), true);
        var e = assertThrows(IllegalArgumentException.class, () -> m.forward(Tensor.zeros(F64, 2, 4)));
        assertTrue(e.getMessage().contains("Linear.forward") && e.getMessage().contains("[2, 4]"));
    }

    @Test
    void linearDefaultInitIsUniformWithinOneOverSqrtIn() {
        var m = new Linear(100, 200, new Generator(0));
        assertEquals(DType.FLOAT32, m.weight().dtype());
        double bound = 0.1;
        double[] w = m.weight().toArray();
        double mean = 0, sq = 0, max = 0;
        for (double v : w) {
            mean += v;
            sq += v * v;
            max = Math.max(max, Math.abs(v));
        }
        mean /= w.length;
        sq /= w.length;
        assertTrue(max <= bound);
        assertTrue(max > 0.99 * bound);
        assertEquals(0, mean, 4 * Math.sqrt(bound * bound / 3 / w.length));
        assertEquals(bound * bound / 3, sq, 0.03 * bound * bound / 3);
        for (double v : m.bias().toArray()) assertTrue(Math.abs(v) <= bound);
    }

    /** erf by its Maclaurin series, accurate to rounding for |x| < 3. */
    static double erf(double x) {
        double sum = 0, term = x;
        for (int n = 0; n < 200; n++) {
            sum += term / (2 * n + 1);
            term *= -x * x / (n + 1);
        }
        return 2 / Math.sqrt(Math.PI) * sum;
    }

    @Test
    void activationsMatchTheirFormulasAndGradcheck() {
        record Case(Module m, DoubleUnaryOperator f) {
        }
        var cases = List.of(
                new Case(new ReLU(), x -> Math.max(x, 0)),
                new Case(new GELU(), x -> 0.5 * x * (1 + erf(x / Math.sqrt(2)))),
                new Case(new Tanh(), Math::tanh),
                new Case(new Sigmoid(), x -> 1 / (1 + Math.exp(-x))),
                new Case(new SiLU(), x -> x / (1 + Math.exp(-x))),
                new Case(new Softplus(), x -> Math.log1p(Math.exp(x))),
                new Case(new LeakyReLU(0.2), x -> x >= 0 ? x : 0.2 * x),
                new Case(new ELU(0.7), x -> x > 0 ? x : 0.7 * Math.expm1(x)),
                new Case(new Sine(3), x -> Math.sin(3 * x)),
                new Case(new Gaussian(0.8), x -> Math.exp(-x * x / (2 * 0.64))));
        // values kept away from the kinks at 0 so finite differences are meaningful
        Tensor x = Tensor.of(new double[] {-2.1, -0.73, -0.2, 0.15, 0.6, 1.9}, 2, 3);
        for (var c : cases) {
            double[] expected = new double[6];
            for (int i = 0; i < 6; i++) expected[i] = c.f().applyAsDouble(x.toArray()[i]);
            assertArrayEquals(expected, c.m().forward(x).toArray(), 1e-14, c.m().toString());
            gradcheckModule(c.m(), x, true);
        }
        var f32 = new Tanh().forward(x.to(DType.FLOAT32));
        assertEquals(DType.FLOAT32, f32.dtype());
    }

    @Test
    void mlpStacksLinearsAndActivations() {
        var m = MLP.builder(2, 5, 4, 1).activation(Tanh::new).dtype(F64).generator(new Generator(3)).build();
        assertEquals(5, m.size());
        assertEquals(List.of("0.weight", "0.bias", "2.weight", "2.bias", "4.weight", "4.bias"),
                List.copyOf(m.namedParameters().keySet()));
        Tensor x = new Generator(4).randn(3, 2);
        Linear a = (Linear) m.get(0), b = (Linear) m.get(2), c = (Linear) m.get(4);
        Tensor expected = c.forward(b.forward(a.forward(x).tanh()).tanh());
        assertArrayEquals(expected.toArray(), m.forward(x).toArray(), 0);
        var last = MLP.builder(2, 3).activation(() -> new Sine(2)).lastActivation(true).dtype(F64).build();
        assertTrue(last.get(1) instanceof Sine);
        gradcheckModule(m, x, true);
        assertThrows(IllegalArgumentException.class, () -> MLP.builder(3));
    }

    @Test
    void embeddingLooksUpRowsAndSumsRepeatedGradients() {
        var m = new Embedding(5, 3, F64, new Generator(2));
        Tensor idx = Tensor.ofLongs(new long[] {4, 0, 4, 2}, 2, 2);
        Tensor y = m.forward(idx);
        assertArrayEquals(new int[] {2, 2, 3}, y.shape());
        double[] w = m.weight().toArray();
        long[] iv = idx.toLongArray();
        double[] expected = new double[12];
        for (int k = 0; k < 4; k++) for (int j = 0; j < 3; j++) expected[k * 3 + j] = w[(int) iv[k] * 3 + j];
        assertClose(expected, y, 0);
        y.sum().backward();
        double[] grad = m.weight().grad().toArray();
        for (int j = 0; j < 3; j++) {
            assertEquals(1, grad[0 * 3 + j]);
            assertEquals(0, grad[1 * 3 + j]);
            assertEquals(1, grad[2 * 3 + j]);
            assertEquals(2, grad[4 * 3 + j]);
        }
        gradcheckModule(m, idx, true);
        assertThrows(IllegalArgumentException.class, () -> m.forward(Tensor.of(new double[] {1}, 1)));
    }

    @Test
    void layerNormMatchesLoopsAndGradchecks() {
        var g = new Generator(5);
        var m = new LayerNorm(new int[] {2, 3}, 1e-5, true, F64);
        Init.normal(m.namedParameters().get("weight"), 1, 0.5, g);
        Init.normal(m.namedParameters().get("bias"), 0, 0.5, g);
        Tensor x = g.randn(2, 2, 3);
        double[] xv = x.toArray(), w = m.namedParameters().get("weight").toArray(), b = m.namedParameters().get("bias").toArray();
        double[] expected = new double[12];
        for (int n = 0; n < 2; n++) {
            double mean = 0, var = 0;
            for (int i = 0; i < 6; i++) mean += xv[n * 6 + i] / 6;
            for (int i = 0; i < 6; i++) var += (xv[n * 6 + i] - mean) * (xv[n * 6 + i] - mean) / 6;
            for (int i = 0; i < 6; i++) expected[n * 6 + i] = (xv[n * 6 + i] - mean) / Math.sqrt(var + 1e-5) * w[i] + b[i];
        }
        assertClose(expected, m.forward(x), 1e-12);
        gradcheckModule(m, x, true);
        gradcheckModule(new LayerNorm(new int[] {3}, 1e-5, false, F64), g.randn(2, 3), true);
        assertThrows(IllegalArgumentException.class, () -> m.forward(g.randn(2, 3, 2)));
    }

    @Test
    void residualAddsItsInputAndFlattenMergesDims() {
        var g = new Generator(6);
        var f = new Linear(3, 3, true, F64, g);
        var r = new Residual(f);
        assertEquals(List.of("fn.weight", "fn.bias"), List.copyOf(r.namedParameters().keySet()));
        Tensor x = g.randn(2, 3);
        assertClose(x.add(f.forward(x)).toArray(), r.forward(x), 0);
        gradcheckModule(r, x, true);
        assertThrows(IllegalArgumentException.class, () -> new Residual(new Linear(3, 2, g)).forward(Tensor.zeros(1, 3)));
        Tensor y = new Flatten().forward(g.randn(2, 3, 4, 5));
        assertArrayEquals(new int[] {2, 60}, y.shape());
        assertArrayEquals(new int[] {2, 12, 5}, new Flatten(1, 2).forward(g.randn(2, 3, 4, 5)).shape());
    }
}
