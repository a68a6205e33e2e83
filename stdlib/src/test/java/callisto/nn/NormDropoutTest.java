package callisto.nn;

import static callisto.nn.NnTesting.assertClose;
import static callisto.nn.NnTesting.gradcheckModule;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import callisto.tensor.DType;
import callisto.tensor.Generator;
import callisto.tensor.Tensor;

import java.util.List;

import org.junit.jupiter.api.Test;

class NormDropoutTest {
    static final DType F64 = DType.FLOAT64;

    /** Per-channel batch statistics of x [n, c, s] (s spatial elements), written out: {mean, biased var}. */
    static double[][] stats(double[] x, int n, int c, int s) {
        double[] mean = new double[c], var = new double[c];
        for (int k = 0; k < c; k++) {
            for (int i = 0; i < n; i++) for (int j = 0; j < s; j++) mean[k] += x[(i * c + k) * s + j];
            mean[k] /= n * s;
            for (int i = 0; i < n; i++) for (int j = 0; j < s; j++) var[k] += Math.pow(x[(i * c + k) * s + j] - mean[k], 2);
            var[k] /= n * s;
        }
        return new double[][] {mean, var};
    }

    static double[] normalize(double[] x, int n, int c, int s, double[] mean, double[] var, double[] w, double[] b) {
        double[] y = new double[x.length];
        for (int i = 0; i < n; i++)
            for (int k = 0; k < c; k++)
                for (int j = 0; j < s; j++) {
                    int p = (i * c + k) * s + j;
                    y[p] = (x[p] - mean[k]) / Math.sqrt(var[k] + 1e-5) * w[k] + b[k];
                }
        return y;
    }

    @Test
    void batchNorm2dTrainingUsesBatchStatsAndUpdatesRunningStats() {
        var g = new Generator(11);
        var bn = new BatchNorm2d(3, 1e-5, 0.1, true, F64);
        Init.normal(bn.namedParameters().get("weight"), 1, 0.3, g);
        Init.normal(bn.namedParameters().get("bias"), 0, 0.3, g);
        double[] w = bn.namedParameters().get("weight").toArray(), b = bn.namedParameters().get("bias").toArray();
        double[] rm = new double[3], rv = {1, 1, 1};
        for (int step = 0; step < 2; step++) {
            Tensor x = g.normal(2, 1.5, 2, 3, 2, 2);
            double[][] st = stats(x.toArray(), 2, 3, 4);
            assertClose(normalize(x.toArray(), 2, 3, 4, st[0], st[1], w, b), bn.forward(x), 1e-12);
            for (int k = 0; k < 3; k++) {
                rm[k] = 0.9 * rm[k] + 0.1 * st[0][k];
                rv[k] = 0.9 * rv[k] + 0.1 * st[1][k] * 8 / 7; // unbiased: n / (n - 1) with n = 8 per channel
            }
            assertClose(rm, bn.runningMean(), 1e-14);
            assertClose(rv, bn.runningVar(), 1e-14);
        }
        assertEquals(2, bn.stateDict().get("num_batches_tracked").item());
        assertEquals(List.of("weight", "bias"), List.copyOf(bn.namedParameters().keySet()));
        bn.eval();
        Tensor x = g.randn(2, 3, 2, 2);
        assertClose(normalize(x.toArray(), 2, 3, 4, rm, rv, w, b), bn.forward(x), 1e-12);
        double[] before = bn.runningMean().toArray();
        bn.forward(x);
        assertArrayEquals(before, bn.runningMean().toArray(), 0, "eval mode leaves running stats alone");
        gradcheckModule(bn, x, true);
        bn.train();
        // training-mode gradients flow through the batch statistics too
        gradcheckModule(bn, x, true);
    }

    @Test
    void batchNorm1dOnFeaturesAndSequences() {
        var g = new Generator(12);
        var bn = new BatchNorm1d(2, 1e-5, 0.1, false, F64);
        assertTrue(bn.namedParameters().isEmpty());
        Tensor x = g.randn(4, 2);
        double[][] st = stats(x.toArray(), 4, 2, 1);
        assertClose(normalize(x.toArray(), 4, 2, 1, st[0], st[1], new double[] {1, 1}, new double[2]), bn.forward(x), 1e-12);
        var seq = new BatchNorm1d(2, 1e-5, 0.1, true, F64);
        Tensor xs = g.randn(2, 2, 3);
        double[][] st3 = stats(xs.toArray(), 2, 2, 3);
        assertClose(normalize(xs.toArray(), 2, 2, 3, st3[0], st3[1], new double[] {1, 1}, new double[2]), seq.forward(xs), 1e-12);
        gradcheckModule(seq, xs, true);
        var e = assertThrows(IllegalArgumentException.class, () -> bn.forward(g.randn(1, 2)));
        assertTrue(e.getMessage().contains("BatchNorm1d.forward"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> bn.forward(g.randn(4, 3)));
        assertTrue(e.getMessage().contains("[4, 3]") && e.getMessage().contains("C = 2"), e.getMessage());
    }

    @Test
    void dropoutScalesKeptValuesAndIsTheIdentityInEval() {
        Tensor x = new Generator(1).uniform(1, 2, 1000);
        var d = new Dropout(0.3, new Generator(7));
        double[] y = d.forward(x).toArray(), xv = x.toArray();
        int kept = 0;
        for (int i = 0; i < y.length; i++) {
            if (y[i] != 0) {
                kept++;
                assertEquals(xv[i] / 0.7, y[i], 1e-15);
            }
        }
        assertEquals(700, kept, 4 * Math.sqrt(1000 * 0.3 * 0.7)); // binomial spread
        // the same seed gives the same mask; the stream moves on between calls
        assertArrayEquals(y, new Dropout(0.3, new Generator(7)).forward(x).toArray(), 0);
        assertFalse(java.util.Arrays.equals(y, d.forward(x).toArray()));
        d.eval();
        assertTrue(d.forward(x) == x);
        var drop = new Dropout(0.5, new Generator(3));
        Tensor a = Tensor.of(new double[] {1, 2, 3, 4}, 2, 2).requiresGrad(true);
        Tensor out = drop.forward(a);
        out.sum().backward();
        for (int i = 0; i < 4; i++) assertEquals(out.toArray()[i] / a.toArray()[i], a.grad().toArray()[i], 1e-15);
        assertEquals(DType.FLOAT32, new Dropout(0.5, new Generator(0)).forward(x.to(DType.FLOAT32)).dtype());
        assertThrows(IllegalArgumentException.class, () -> new Dropout(1.5, new Generator(0)));
    }
}
