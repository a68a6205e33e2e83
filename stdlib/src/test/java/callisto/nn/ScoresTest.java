package callisto.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import callisto.tensor.DType;
import callisto.tensor.GradCheck;
import callisto.tensor.Tensor;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Every score against a plain loop implementation written here (SSIM: the windowed statistics summed pixel by
 * pixel over the valid region), identity cases, float32 inputs, gradchecks of the differentiable scores, and the
 * argument errors.
 */
class ScoresTest {
    static double[] random(Random rnd, int n) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) v[i] = rnd.nextGaussian();
        return v;
    }

    @Test
    void accuracyFromLogitsAndClasses() {
        Random rnd = new Random(1);
        int n = 37, c = 5;
        double[] logits = random(rnd, n * c);
        long[] targets = new long[n];
        for (int i = 0; i < n; i++) targets[i] = rnd.nextInt(c);
        int correct = 0;
        for (int i = 0; i < n; i++) {
            int best = 0;
            for (int k = 1; k < c; k++) if (logits[i * c + k] > logits[i * c + best]) best = k;
            if (best == targets[i]) correct++;
        }
        assertEquals(correct / (double) n, Scores.accuracy(Tensor.of(logits, n, c), Tensor.ofLongs(targets, n)), 0.0);
        // predicted classes directly
        long[] pred = targets.clone();
        pred[0] = (pred[0] + 1) % c;
        pred[5] = (pred[5] + 1) % c;
        assertEquals((n - 2) / (double) n, Scores.accuracy(Tensor.ofLongs(pred, n), Tensor.ofLongs(targets, n)), 0.0);
        // segmentation: classes along dim 1 of [N, C, H, W]
        int h = 3, w = 4;
        double[] seg = random(rnd, 2 * c * h * w);
        long[] st = new long[2 * h * w];
        for (int i = 0; i < st.length; i++) st[i] = rnd.nextInt(c);
        int ok = 0;
        for (int b = 0; b < 2; b++) {
            for (int p = 0; p < h * w; p++) {
                int best = 0;
                for (int k = 1; k < c; k++) if (seg[(b * c + k) * h * w + p] > seg[(b * c + best) * h * w + p]) best = k;
                if (best == st[b * h * w + p]) ok++;
            }
        }
        assertEquals(ok / (double) st.length, Scores.accuracy(Tensor.of(seg, 2, c, h, w), Tensor.ofLongs(st, 2, h, w)), 0.0);
    }

    @Test
    void mseMaePsnrAgainstLoops() {
        Random rnd = new Random(2);
        double[] p = random(rnd, 24), t = random(rnd, 24);
        double se = 0, ae = 0;
        for (int i = 0; i < 24; i++) {
            se += (p[i] - t[i]) * (p[i] - t[i]);
            ae += Math.abs(p[i] - t[i]);
        }
        Tensor tp = Tensor.of(p, 2, 3, 4), tt = Tensor.of(t, 2, 3, 4);
        assertEquals(se / 24, Scores.mse(tp, tt).item(), 1e-14);
        assertEquals(ae / 24, Scores.mae(tp, tt).item(), 1e-14);
        assertEquals(10 * Math.log10(4.0 / (se / 24)), Scores.psnr(tp, tt, 2.0).item(), 1e-12);
        assertEquals(Double.POSITIVE_INFINITY, Scores.psnr(tp, tp, 1.0).item());
        assertEquals(0, Scores.mse(tp, tp).item());
        Tensor f = Scores.mse(tp.to(DType.FLOAT32), tt.to(DType.FLOAT32));
        assertEquals(DType.FLOAT64, f.dtype());
        assertEquals(se / 24, f.item(), 1e-6);
    }

    @Test
    void relativeH1MatchesTheContinuousNormsOfSines() {
        // u = sin 2πx, error ε sin 6πx on [0, 1): |e|²_H1 / |u|²_H1 = ε² (1 + 36π²) / (1 + 4π²) in the continuum
        int n = 2048;
        double eps = 0.01, h = 1.0 / n;
        double[] u = new double[n], e = new double[n];
        for (int i = 0; i < n; i++) {
            u[i] = Math.sin(2 * Math.PI * i * h);
            e[i] = eps * Math.sin(6 * Math.PI * i * h);
        }
        Tensor target = Tensor.of(u).reshape(1, n), pred = target.add(Tensor.of(e).reshape(1, n));
        double want = eps * Math.sqrt((1 + 36 * Math.PI * Math.PI) / (1 + 4 * Math.PI * Math.PI));
        assertEquals(want, Scores.relativeH1(pred, target, h).item(), want * 1e-3);
        // gradients count: the same L2 error at a higher frequency is a larger H1 error
        assertTrue(Scores.relativeH1(pred, target, h).item() > 2.5 * Scores.relativeL2(pred, target).item());
        assertEquals(0, Scores.relativeH1(target, target, h).item());

        // 2-D, per sample then mean: two samples with errors in x and in y
        double[][][] a = new double[2][16][16], b = new double[2][16][16];
        var rnd = new Random(4);
        for (double[][] plane : a) for (double[] row : plane) for (int j = 0; j < 16; j++) row[j] = rnd.nextGaussian();
        for (int s = 0; s < 2; s++) for (int i = 0; i < 16; i++) for (int j = 0; j < 16; j++) b[s][i][j] = a[s][i][j] + 0.1 * (s == 0 ? i : j);
        Tensor ta = Tensor.of(flat(a)).reshape(2, 16, 16), tb = Tensor.of(flat(b)).reshape(2, 16, 16);
        double mean = 0;
        for (int s = 0; s < 2; s++) mean += Math.sqrt(h1(b[s], a[s], 0.5)) / Math.sqrt(h1(a[s], null, 0.5)) / 2;
        assertEquals(mean, Scores.relativeH1(tb, ta, 0.5).item(), 1e-12);

        GradCheck.gradcheck(in -> Scores.relativeH1(in[0], in[1], 0.25), tb.narrow(1, 0, 4).narrow(2, 0, 5).contiguous(),
                ta.narrow(1, 0, 4).narrow(2, 0, 5).contiguous());
        GradCheck.gradgradcheck(in -> Scores.relativeH1(in[0], in[1], 0.25), tb.narrow(1, 0, 3).narrow(2, 0, 3).contiguous(),
                ta.narrow(1, 0, 3).narrow(2, 0, 3).contiguous());
        var bad = assertThrows(IllegalArgumentException.class, () -> Scores.relativeH1(tb, ta, 0));
        assertTrue(bad.getMessage().contains("h = 0"), bad.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Scores.relativeH1(Tensor.zeros(3, 1), Tensor.ones(3, 1), 1));
    }

    private static double[] flat(double[][][] x) {
        return java.util.Arrays.stream(x).flatMap(java.util.Arrays::stream).flatMapToDouble(java.util.Arrays::stream).toArray();
    }

    /** |p - q|²_H1 with forward differences of spacing h (q null: |p|²). */
    private static double h1(double[][] p, double[][] q, double h) {
        int n = p.length, m = p[0].length;
        double[][] e = new double[n][m];
        for (int i = 0; i < n; i++) for (int j = 0; j < m; j++) e[i][j] = p[i][j] - (q == null ? 0 : q[i][j]);
        double s = 0;
        for (int i = 0; i < n; i++) for (int j = 0; j < m; j++) {
            s += e[i][j] * e[i][j];
            if (i + 1 < n) s += Math.pow((e[i + 1][j] - e[i][j]) / h, 2);
            if (j + 1 < m) s += Math.pow((e[i][j + 1] - e[i][j]) / h, 2);
        }
        return s;
    }

    @Test
    void relativeL2PerSampleThenMean() {
        Random rnd = new Random(3);
        int n = 3, a = 4, b = 5;
        double[] p = random(rnd, n * a * b), t = random(rnd, n * a * b);
        double mean = 0;
        for (int s = 0; s < n; s++) {
            double num = 0, den = 0;
            for (int k = 0; k < a * b; k++) {
                double d = p[s * a * b + k] - t[s * a * b + k];
                num += d * d;
                den += t[s * a * b + k] * t[s * a * b + k];
            }
            mean += Math.sqrt(num) / Math.sqrt(den) / n;
        }
        Tensor tp = Tensor.of(p, n, a, b), tt = Tensor.of(t, n, a, b);
        assertEquals(mean, Scores.relativeL2(tp, tt).item(), 1e-13);
        // over the last dim only: one ratio per (sample, row)
        double mean2 = 0;
        for (int r = 0; r < n * a; r++) {
            double num = 0, den = 0;
            for (int k = 0; k < b; k++) {
                double d = p[r * b + k] - t[r * b + k];
                num += d * d;
                den += t[r * b + k] * t[r * b + k];
            }
            mean2 += Math.sqrt(num / den) / (n * a);
        }
        assertEquals(mean2, Scores.relativeL2(tp, tt, -1).item(), 1e-13);
        assertEquals(0, Scores.relativeL2(tt, tt).item());
    }

    /** SSIM the slow way: the weighted window sums at every valid position, per channel. */
    static double ssimLoop(double[] x, double[] y, int n, int c, int h, int w, double range, int win, double sigma) {
        double[] g = new double[win];
        double tot = 0;
        for (int i = 0; i < win; i++) {
            double d = i - (win - 1) / 2.0;
            g[i] = Math.exp(-d * d / (2 * sigma * sigma));
            tot += g[i];
        }
        double c1 = Math.pow(0.01 * range, 2), c2 = Math.pow(0.03 * range, 2);
        double sum = 0;
        int count = 0;
        for (int b = 0; b < n * c; b++) {
            for (int i = 0; i + win <= h; i++) {
                for (int j = 0; j + win <= w; j++) {
                    double mx = 0, my = 0, sxx = 0, syy = 0, sxy = 0;
                    for (int u = 0; u < win; u++) {
                        for (int v = 0; v < win; v++) {
                            double k = g[u] * g[v] / (tot * tot);
                            int at = b * h * w + (i + u) * w + j + v;
                            mx += k * x[at];
                            my += k * y[at];
                            sxx += k * x[at] * x[at];
                            syy += k * y[at] * y[at];
                            sxy += k * x[at] * y[at];
                        }
                    }
                    double vx = sxx - mx * mx, vy = syy - my * my, cov = sxy - mx * my;
                    sum += (2 * mx * my + c1) * (2 * cov + c2) / ((mx * mx + my * my + c1) * (vx + vy + c2));
                    count++;
                }
            }
        }
        return sum / count;
    }

    @Test
    void ssimAgainstDirectWindowedSums() {
        Random rnd = new Random(4);
        int n = 2, c = 3, h = 16, w = 13;
        double[] x = new double[n * c * h * w], y = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            x[i] = rnd.nextDouble();
            y[i] = Math.clamp(x[i] + 0.2 * rnd.nextGaussian(), 0, 1);
        }
        Tensor tx = Tensor.of(x, n, c, h, w), ty = Tensor.of(y, n, c, h, w);
        double expect = ssimLoop(x, y, n, c, h, w, 1.0, 11, 1.5);
        assertEquals(expect, Scores.ssim(tx, ty, 1.0).item(), 1e-12);
        assertEquals(ssimLoop(x, y, n, c, h, w, 255.0, 7, 1.0), Scores.ssim(tx, ty, 255.0, 7, 1.0, 0.01, 0.03).item(), 1e-12);
        assertEquals(1.0, Scores.ssim(tx, tx, 1.0).item(), 1e-14);
        Tensor f = Scores.ssim(tx.to(DType.FLOAT32), ty.to(DType.FLOAT32), 1.0);
        assertEquals(DType.FLOAT64, f.dtype());
        assertEquals(expect, f.item(), 1e-6);
        assertTrue(expect < 1 && expect > 0);
    }

    @Test
    void gradchecks() {
        Random rnd = new Random(5);
        Tensor x = Tensor.of(random(rnd, 2 * 8 * 9), 1, 2, 8, 9), y = Tensor.of(random(rnd, 2 * 8 * 9), 1, 2, 8, 9);
        GradCheck.gradcheck(in -> Scores.ssim(in[0], in[1], 2.0, 5, 1.0, 0.01, 0.03), x, y);
        Tensor xs = Tensor.of(random(rnd, 11 * 12), 1, 1, 11, 12), ys = Tensor.of(random(rnd, 11 * 12), 1, 1, 11, 12);
        GradCheck.gradcheck(in -> Scores.ssim(in[0], in[1], 1.0), xs, ys);
        Tensor p = Tensor.of(random(rnd, 12), 3, 4), t = Tensor.of(random(rnd, 12), 3, 4);
        GradCheck.gradcheck(in -> Scores.relativeL2(in[0], in[1]), p, t);
        GradCheck.gradgradcheck(in -> Scores.relativeL2(in[0], in[1]), p, t);
        GradCheck.gradcheck(in -> Scores.mse(in[0], in[1]), p, t);
        GradCheck.gradcheck(in -> Scores.psnr(in[0], in[1], 3.0), p, t);
        // float32 inputs get float32 gradients through the cast
        Tensor x32 = x.to(DType.FLOAT32).requiresGrad(true);
        Scores.ssim(x32, y.to(DType.FLOAT32), 2.0, 5, 1.0, 0.01, 0.03).backward();
        assertEquals(DType.FLOAT32, x32.grad().dtype());
        assertArrayEquals(x.shape(), x32.grad().shape());
    }

    @Test
    void ssimGradgradcheck() {
        Random rnd = new Random(6);
        Tensor x = Tensor.of(random(rnd, 6 * 7), 1, 1, 6, 7), y = Tensor.of(random(rnd, 6 * 7), 1, 1, 6, 7);
        GradCheck.gradgradcheck(in -> Scores.ssim(in[0], in[1], 2.0, 3, 1.0, 0.01, 0.03), x, y);
    }

    @Test
    void errorsNameTheArgument() {
        Tensor a = Tensor.zeros(2, 3), b = Tensor.zeros(3, 2);
        var e = assertThrows(IllegalArgumentException.class, () -> Scores.mse(a, b));
        assertTrue(e.getMessage().contains("Scores.mse") && e.getMessage().contains("[2, 3]") && e.getMessage().contains("[3, 2]"));
        e = assertThrows(IllegalArgumentException.class, () -> Scores.ssim(Tensor.zeros(1, 1, 8, 20), Tensor.zeros(1, 1, 8, 20), 1));
        assertTrue(e.getMessage().contains("8×20") && e.getMessage().contains("11"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Scores.ssim(Tensor.zeros(1, 12, 12), Tensor.zeros(1, 12, 12), 1));
        assertTrue(e.getMessage().contains("[N, C, H, W]"));
        e = assertThrows(IllegalArgumentException.class, () -> Scores.psnr(a, a, -1));
        assertTrue(e.getMessage().contains("dataRange = -1"));
        e = assertThrows(IllegalArgumentException.class, () -> Scores.accuracy(Tensor.zeros(4, 3), Tensor.ofLongs(0, 1, 2)));
        assertTrue(e.getMessage().contains("[4, 3]") && e.getMessage().contains("[4]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Scores.relativeL2(a, a, 2));
        assertTrue(e.getMessage().contains("dims = [2]"));
    }
}
