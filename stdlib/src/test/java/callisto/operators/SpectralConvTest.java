package callisto.operators;

import static callisto.operators.OperatorTesting.gradcheckModule;
import static callisto.operators.OperatorTesting.maxAbsDiff;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import callisto.tensor.DType;
import callisto.tensor.Generator;
import callisto.tensor.Tensor;
import org.junit.jupiter.api.Test;

class SpectralConvTest {
    static final DType F64 = DType.FLOAT64;

    /**
     * The 1-D layer written out: X_ik = Σ_j x_ij e^{-2πi jk/n}, Y_ok = Σ_i X_ik W_iok for k < modes, and the real
     * signal with half spectrum Y, y_oj = (1/n) Σ_k c_k Re(Y_ok e^{2πi jk/n}), c_k = 1 for the DC and Nyquist bins
     * (whose imaginary parts a real inverse ignores) and 2 for the bins that stand for ±k.
     */
    static double[] directSpectral1d(double[] x, int batch, int in, int n, double[] w, int out, int modes) {
        double[] y = new double[batch * out * n];
        for (int b = 0; b < batch; b++) {
            double[][] xr = new double[in][modes], xi = new double[in][modes];
            for (int i = 0; i < in; i++)
                for (int k = 0; k < modes; k++)
                    for (int j = 0; j < n; j++) {
                        double angle = -2 * Math.PI * j * k / n, v = x[(b * in + i) * n + j];
                        xr[i][k] += v * Math.cos(angle);
                        xi[i][k] += v * Math.sin(angle);
                    }
            for (int o = 0; o < out; o++)
                for (int k = 0; k < modes; k++) {
                    double yr = 0, yi = 0;
                    for (int i = 0; i < in; i++) {
                        double wr = w[((i * out + o) * modes + k) * 2], wi = w[((i * out + o) * modes + k) * 2 + 1];
                        yr += xr[i][k] * wr - xi[i][k] * wi;
                        yi += xr[i][k] * wi + xi[i][k] * wr;
                    }
                    boolean single = k == 0 || 2 * k == n;
                    for (int j = 0; j < n; j++) {
                        double angle = 2 * Math.PI * j * k / n;
                        double re = single ? yr * Math.cos(angle) : yr * Math.cos(angle) - yi * Math.sin(angle);
                        y[(b * out + o) * n + j] += (single ? 1 : 2) * re / n;
                    }
                }
        }
        return y;
    }

    @Test
    void spectralConv1dMatchesADirectDft() {
        var g = new Generator(1);
        // modes below n/2, the odd length, and every bin including the Nyquist bin of an even length
        int[][] cases = {{10, 4}, {9, 5}, {6, 4}};
        for (int[] c : cases) {
            int n = c[0], modes = c[1];
            var conv = new SpectralConv1d(2, 3, modes, F64, g);
            Tensor x = g.randn(2, 2, n);
            double[] expected = directSpectral1d(x.toArray(), 2, 2, n, conv.weight().toArray(), 3, modes);
            Tensor y = conv.forward(x);
            assertArrayEquals(new int[] {2, 3, n}, y.shape());
            assertTrue(maxAbsDiff(expected, y.toArray()) < 1e-12, "n = " + n + ", modes = " + modes + ": " + maxAbsDiff(expected, y.toArray()));
        }
    }

    /** channels × n samples of Σ_k a_ck cos 2πkx + b_ck sin 2πkx at x_j = j/n, for the given frequencies. */
    static Tensor bandLimited(double[][] a, double[][] b, int[] freqs, int n) {
        int channels = a.length;
        double[] v = new double[channels * n];
        for (int c = 0; c < channels; c++)
            for (int j = 0; j < n; j++)
                for (int f = 0; f < freqs.length; f++) {
                    double t = 2 * Math.PI * freqs[f] * j / n;
                    v[c * n + j] += a[c][f] * Math.cos(t) + b[c][f] * Math.sin(t);
                }
        return Tensor.of(v, 1, channels, n);
    }

    @Test
    void spectralConv1dIsTheSameFunctionAtTwoResolutions() {
        var g = new Generator(2);
        var conv = new SpectralConv1d(2, 3, 8, F64, g);
        int[] freqs = {0, 1, 3, 7, 12}; // 12 lies above the kept modes: dropped at both resolutions
        double[][] a = new double[2][freqs.length], b = new double[2][freqs.length];
        for (int c = 0; c < 2; c++)
            for (int f = 0; f < freqs.length; f++) {
                a[c][f] = g.randn(1).item();
                b[c][f] = freqs[f] == 0 ? 0 : g.randn(1).item();
            }
        Tensor coarse = conv.forward(bandLimited(a, b, freqs, 32)), fine = conv.forward(bandLimited(a, b, freqs, 64));
        assertArrayEquals(new int[] {1, 3, 64}, fine.shape());
        Tensor shared = fine.reshape(1, 3, 32, 2).select(-1, 0);
        double diff = maxAbsDiff(coarse.toArray(), shared.contiguous().toArray());
        assertTrue(diff < 1e-10, "outputs at the shared points differ by " + diff);
        assertTrue(coarse.abs().max().item() > 1e-3, "a vanishing output would pass trivially");
    }

    @Test
    void spectralConv2dMatchesADirectDftAndIsResolutionInvariant() {
        var g = new Generator(3);
        int in = 2, out = 2, m1 = 2, m2 = 3, h = 6, w = 8;
        var conv = new SpectralConv2d(in, out, m1, m2, F64, g);
        assertArrayEquals(new int[] {in, out, 2 * m1, m2, 2}, conv.weight().shape());
        Tensor x = g.randn(1, in, h, w);
        double[] xv = x.toArray(), wv = conv.weight().toArray(), expected = new double[out * h * w];
        for (int r = 0; r < 2 * m1; r++) {
            int ky = r < m1 ? r : h - 2 * m1 + r;
            for (int kx = 0; kx < m2; kx++) {
                double[] xr = new double[in], xi = new double[in];
                for (int i = 0; i < in; i++)
                    for (int p = 0; p < h; p++)
                        for (int q = 0; q < w; q++) {
                            double angle = -2 * Math.PI * ((double) ky * p / h + (double) kx * q / w);
                            xr[i] += xv[(i * h + p) * w + q] * Math.cos(angle);
                            xi[i] += xv[(i * h + p) * w + q] * Math.sin(angle);
                        }
                for (int o = 0; o < out; o++) {
                    double yr = 0, yi = 0;
                    for (int i = 0; i < in; i++) {
                        int at = (((i * out + o) * 2 * m1 + r) * m2 + kx) * 2;
                        yr += xr[i] * wv[at] - xi[i] * wv[at + 1];
                        yi += xr[i] * wv[at + 1] + xi[i] * wv[at];
                    }
                    for (int p = 0; p < h; p++)
                        for (int q = 0; q < w; q++) {
                            double angle = 2 * Math.PI * ((double) ky * p / h + (double) kx * q / w);
                            expected[(o * h + p) * w + q] += (kx == 0 ? 1 : 2) * (yr * Math.cos(angle) - yi * Math.sin(angle)) / (h * w);
                        }
                }
            }
        }
        Tensor y = conv.forward(x);
        assertArrayEquals(new int[] {1, out, h, w}, y.shape());
        assertTrue(maxAbsDiff(expected, y.toArray()) < 1e-12, "2-D layer vs direct DFT: " + maxAbsDiff(expected, y.toArray()));

        // a field with frequencies inside the kept block, on 8×8 and 16×16: the same function
        double[][] fields = new double[2][];
        for (int s = 0; s < 2; s++) {
            int n = 8 << s;
            fields[s] = new double[in * n * n];
            for (int i = 0; i < in; i++)
                for (int p = 0; p < n; p++)
                    for (int q = 0; q < n; q++) {
                        double yy = (double) p / n, xx = (double) q / n;
                        fields[s][(i * n + p) * n + q] = (i + 1) * Math.cos(2 * Math.PI * (yy + 2 * xx)) + Math.sin(2 * Math.PI * (-yy + xx))
                                + 0.5 * i + 0.3 * Math.cos(2 * Math.PI * 3 * yy);
                    }
        }
        Tensor coarse = conv.forward(Tensor.of(fields[0], 1, in, 8, 8)), fine = conv.forward(Tensor.of(fields[1], 1, in, 16, 16));
        Tensor shared = fine.reshape(1, out, 8, 2, 8, 2).select(5, 0).select(3, 0).contiguous();
        assertTrue(maxAbsDiff(coarse.toArray(), shared.toArray()) < 1e-10, "2-D resolutions differ by " + maxAbsDiff(coarse.toArray(), shared.toArray()));
    }

    @Test
    void gradchecks() {
        var g = new Generator(4);
        gradcheckModule(new SpectralConv1d(2, 2, 3, F64, g), g.randn(1, 2, 7), true);
        gradcheckModule(new SpectralConv2d(1, 2, 2, 2, F64, g), g.randn(1, 1, 4, 5), true);
    }

    @Test
    void initIsTheReferenceLawAndSeeded() {
        var a = new SpectralConv1d(4, 5, 6, F64, new Generator(7));
        var b = new SpectralConv1d(4, 5, 6, F64, new Generator(7));
        assertArrayEquals(a.weight().toArray(), b.weight().toArray(), 0);
        assertArrayEquals(new int[] {4, 5, 6, 2}, a.weight().shape());
        double scale = 1.0 / 20, mean = 0;
        for (double v : a.weight().toArray()) {
            assertTrue(v >= 0 && v < scale, "weight " + v + " outside [0, " + scale + ")");
            mean += v / a.weight().numel();
        }
        assertEquals(scale / 2, mean, scale * 0.1);
        assertEquals(DType.FLOAT32, new SpectralConv1d(1, 1, 1, new Generator(0)).weight().dtype());
        assertEquals("SpectralConv1d(in_channels=4, out_channels=5, modes=6)", a.toString());
    }

    @Test
    void argumentErrorsNameTheProblem() {
        var g = new Generator(5);
        var conv = new SpectralConv1d(2, 2, 4, F64, g);
        var coarse = assertThrows(IllegalArgumentException.class, () -> conv.forward(g.randn(1, 2, 5)));
        assertTrue(coarse.getMessage().contains("modes = 4") && coarse.getMessage().contains("[1, 2, 5]"), coarse.getMessage());
        conv.forward(g.randn(1, 2, 6)); // 4 bins: just enough
        var channels = assertThrows(IllegalArgumentException.class, () -> conv.forward(g.randn(1, 3, 8)));
        assertTrue(channels.getMessage().contains("[1, 3, 8]") && channels.getMessage().contains("channels = 2"), channels.getMessage());
        var rank = assertThrows(IllegalArgumentException.class, () -> conv.forward(g.randn(2, 8)));
        assertTrue(rank.getMessage().contains("[2, 8]"), rank.getMessage());
        var dtype = assertThrows(IllegalArgumentException.class, () -> conv.forward(g.randn(DType.FLOAT32, 1, 2, 8)));
        assertTrue(dtype.getMessage().contains("FLOAT32"), dtype.getMessage());
        var modes = assertThrows(IllegalArgumentException.class, () -> new SpectralConv1d(2, 2, 0, F64, g));
        assertTrue(modes.getMessage().contains("modes 0"), modes.getMessage());
        var conv2 = new SpectralConv2d(1, 1, 3, 2, F64, g);
        var small = assertThrows(IllegalArgumentException.class, () -> conv2.forward(g.randn(1, 1, 5, 8)));
        assertTrue(small.getMessage().contains("h >= 6"), small.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new SpectralConv2d(1, 1, 1, 1, F64, null));
    }
}
