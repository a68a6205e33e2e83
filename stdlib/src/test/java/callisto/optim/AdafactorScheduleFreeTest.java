package callisto.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import callisto.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Adafactor's factored path on a matrix, and the schedule-free averaged iterate, against hand-written loops. */
class AdafactorScheduleFreeTest {
    static final double[] M0 = {0.5, -1.0, 2.0, 0.3, -0.7, 1.1}; // [2, 3]
    static final double[] K = {1, 2, 3, 4, 5, 6};

    /** Gradient of Σ k·m³/3 + m: k·m² + 1 (varied magnitudes, so rows and columns differ). */
    static Tensor loss(Tensor m) {
        return m.mul(m).mul(m).mul(Tensor.of(K, 2, 3)).sum().div(3).add(m.sum());
    }

    @Test
    void adafactorFactorsRowsAndColumns() {
        Tensor m = Tensor.of(M0.clone(), 2, 3).requiresGrad(true);
        Map<String, Tensor> p = new LinkedHashMap<>();
        p.put("m", m);
        double eps1 = Math.ulp(1.0);
        Optimizer opt = Optimizers.adafactor(p, 0.05, -0.8, eps1, 1e-3, 1.0, 0.0);
        double[] w = M0.clone(), row = new double[2], col = new double[3];
        for (int t = 1; t <= 6; t++) {
            opt.zeroGrad();
            loss(m).backward();
            opt.step();
            double[] g = new double[6];
            for (int i = 0; i < 6; i++) g[i] = K[i] * w[i] * w[i] + 1;
            double lw = Math.pow(t, -0.8), rho = Math.min(0.05, 1 / Math.sqrt(t));
            double pn = 0;
            for (double x : w) pn += x * x;
            double alpha = Math.max(1e-3, Math.sqrt(pn / 6)) * rho;
            for (int i = 0; i < 2; i++) {
                double mean = (g[3 * i] * g[3 * i] + g[3 * i + 1] * g[3 * i + 1] + g[3 * i + 2] * g[3 * i + 2]) / 3;
                row[i] += lw * (mean - row[i]);
            }
            for (int j = 0; j < 3; j++) {
                double mean = (g[j] * g[j] + g[3 + j] * g[3 + j]) / 2;
                col[j] += lw * (mean - col[j]);
            }
            double rowMean = Math.max((row[0] + row[1]) / 2, eps1);
            double[] u = new double[6];
            double un = 0;
            for (int i = 0; i < 2; i++) {
                for (int j = 0; j < 3; j++) {
                    double v = row[i] * col[j] / rowMean;
                    u[3 * i + j] = g[3 * i + j] / Math.sqrt(Math.max(v, eps1 * eps1));
                    un += u[3 * i + j] * u[3 * i + j];
                }
            }
            double denom = Math.max(1, Math.sqrt(un / 6));
            for (int i = 0; i < 6; i++) w[i] -= alpha / denom * u[i];
            double[] got = m.toArray();
            for (int i = 0; i < 6; i++) assertEquals(w[i], got[i], 1e-12, "step " + t + " element " + i);
        }
        assertArrayEquals(new int[] {1, 2}, opt.state().get("adafactor.row.m").shape());
        assertArrayEquals(new int[] {1, 3}, opt.state().get("adafactor.col.m").shape());
    }

    @Test
    void scheduleFreeEvalParamsAreTheAverage() {
        Tensor w = Tensor.of(2.0, -1.0).requiresGrad(true);
        Map<String, Tensor> p = new LinkedHashMap<>();
        p.put("w", w);
        Optimizer opt = Optimizers.scheduleFreeSgd(p, 0.1, 0.9, 0, 0);
        double[] z = {2.0, -1.0}, x = {2.0, -1.0}, y = {2.0, -1.0};
        for (int t = 1; t <= 5; t++) {
            opt.zeroGrad();
            w.mul(w).sum().backward();
            opt.step();
            for (int i = 0; i < 2; i++) {
                z[i] -= 0.1 * 2 * y[i];
                x[i] += (z[i] - x[i]) / t;
                y[i] = 0.1 * z[i] + 0.9 * x[i];
            }
        }
        assertArrayEquals(y, w.toArray(), 1e-14);
        assertArrayEquals(x, Optimizers.scheduleFreeEvalParams(opt).get("w").toArray(), 1e-14);
        var e = assertThrows(IllegalArgumentException.class, () -> Optimizers.scheduleFreeEvalParams(Optimizers.sgd(p, 0.1)));
        assertEquals(true, e.getMessage().contains("scheduleFreeEvalParams"), e.getMessage());
    }

    @Test
    void polyakNeedsTheLoss() {
        Map<String, Tensor> p = new LinkedHashMap<>();
        p.put("w", Tensor.of(1.0).requiresGrad(true));
        assertThrows(IllegalStateException.class, () -> Optimizers.polyakSgd(p).step());
        assertThrows(IllegalStateException.class, () -> Optimizers.sam(p, Transforms.scaleByLearningRate(0.1), 0.05).step());
    }
}
