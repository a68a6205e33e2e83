package callisto.fft;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import callisto.tensor.DType;
import callisto.tensor.GradCheck;
import callisto.tensor.Tensor;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Every transform against the O(n²) definition, in float64, for the sizes where FFT algorithms differ. */
class FFTTest {
    static final int[] SIZES = {1, 2, 3, 5, 7, 8, 13, 16, 30};
    static final int[][] BATCHES = {{}, {3}, {2, 3}};
    static final String[] NORMS = {"backward", "ortho", "forward"};

    static Tensor random(SplittableRandom r, int... shape) {
        return Tensor.of(r.doubles(Arrays.stream(shape).reduce(1, (a, b) -> a * b), -1, 1).toArray(), shape);
    }

    static int[] shape(int[] batch, int... tail) {
        int[] s = Arrays.copyOf(batch, batch.length + tail.length);
        System.arraycopy(tail, 0, s, batch.length, tail.length);
        return s;
    }

    /** The factor numpy's norm puts on a transform of n points. */
    static double factor(String norm, boolean inverse, int n) {
        return switch (norm) {
            case "ortho" -> 1 / Math.sqrt(n);
            case "forward" -> inverse ? 1 : 1.0 / n;
            default -> inverse ? 1.0 / n : 1;
        };
    }

    /**
     * The DFT by definition along an axis of a pair array laid out [outer, n, inner, 2], in place:
     * X[k] = f Σ_j x[j] e^{∓2πi jk/n}.
     */
    static void naive(double[] a, int outer, int n, int inner, boolean inverse, double f) {
        double sign = inverse ? 1 : -1;
        double[] re = new double[n], im = new double[n];
        for (int o = 0; o < outer; o++) {
            for (int c = 0; c < inner; c++) {
                for (int k = 0; k < n; k++) {
                    double sr = 0, si = 0;
                    for (int j = 0; j < n; j++) {
                        double t = sign * 2 * Math.PI * ((long) j * k % n) / n;
                        int p = 2 * ((o * n + j) * inner + c);
                        sr += a[p] * Math.cos(t) - a[p + 1] * Math.sin(t);
                        si += a[p] * Math.sin(t) + a[p + 1] * Math.cos(t);
                    }
                    re[k] = f * sr;
                    im[k] = f * si;
                }
                for (int k = 0; k < n; k++) {
                    int p = 2 * ((o * n + k) * inner + c);
                    a[p] = re[k];
                    a[p + 1] = im[k];
                }
            }
        }
    }

    /** Real [rows, n] as pairs with zero imaginary parts. */
    static double[] asPairs(double[] x) {
        double[] z = new double[2 * x.length];
        for (int i = 0; i < x.length; i++) z[2 * i] = x[i];
        return z;
    }

    /** Bins [0, m) of the pair array [rows, n, 2]. */
    static double[] firstBins(double[] z, int rows, int n, int m) {
        double[] out = new double[rows * m * 2];
        for (int r = 0; r < rows; r++) System.arraycopy(z, 2 * r * n, out, 2 * r * m, 2 * m);
        return out;
    }

    /**
     * numpy's irfft by definition: the Hermitian extension of the m given bins (real parts only at DC and, n even,
     * at Nyquist) summed with e^{+2πi jk/n}.
     */
    static double[] naiveIrfft(double[] z, int rows, int n, double f) {
        int m = n / 2 + 1;
        double[] x = new double[rows * n];
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < n; j++) {
                double s = z[2 * r * m];
                for (int k = 1; k < m; k++) {
                    double re = z[2 * (r * m + k)], im = z[2 * (r * m + k) + 1];
                    double t = 2 * Math.PI * ((long) j * k % n) / n;
                    if (n % 2 == 0 && k == n / 2) s += re * Math.cos(t);
                    else s += 2 * (re * Math.cos(t) - im * Math.sin(t));
                }
                x[r * n + j] = f * s;
            }
        }
        return x;
    }

    static void close(double[] expected, Tensor actual, double tol) {
        double[] a = actual.toArray();
        assertEquals(expected.length, a.length);
        double scale = 1;
        for (double e : expected) scale = Math.max(scale, Math.abs(e));
        for (int i = 0; i < a.length; i++) {
            if (Math.abs(expected[i] - a[i]) > tol * scale) {
                throw new AssertionError("at " + i + ": expected " + expected[i] + ", got " + a[i] + " (shape "
                        + Arrays.toString(actual.shape()) + ")");
            }
        }
    }

    @Test
    void fftAndIfftMatchTheDefinition() {
        var r = new SplittableRandom(1);
        for (int[] batch : BATCHES) {
            for (int n : SIZES) {
                Tensor z = random(r, shape(batch, n, 2));
                int outer = z.numel() / (2 * n);
                for (String norm : NORMS) {
                    for (boolean inverse : new boolean[] {false, true}) {
                        double[] e = z.toArray();
                        naive(e, outer, n, 1, inverse, factor(norm, inverse, n));
                        close(e, inverse ? FFT.ifft(z, norm) : FFT.fft(z, norm), 1e-12);
                    }
                }
            }
        }
    }

    @Test
    void rfftAndIrfftMatchTheDefinition() {
        var r = new SplittableRandom(2);
        for (int[] batch : BATCHES) {
            for (int n : SIZES) {
                Tensor x = random(r, shape(batch, n));
                int rows = x.numel() / n, m = n / 2 + 1;
                // the spectrum's DC and Nyquist imaginary parts are not zero: irfft must ignore them
                Tensor z = random(r, shape(batch, m, 2));
                for (String norm : NORMS) {
                    double[] full = asPairs(x.toArray());
                    naive(full, rows, n, 1, false, factor(norm, false, n));
                    Tensor spectrum = FFT.rfft(x, norm);
                    assertArrayEquals(shape(batch, m, 2), spectrum.shape());
                    close(firstBins(full, rows, n, m), spectrum, 1e-12);
                    close(naiveIrfft(z.toArray(), rows, n, factor(norm, true, n)), FFT.irfft(z, n, norm), 1e-12);
                }
            }
        }
    }

    @Test
    void twoDimensionalTransformsMatchTheDefinition() {
        var r = new SplittableRandom(3);
        int[][] sizes = {{1, 1}, {1, 6}, {5, 1}, {3, 4}, {4, 7}, {7, 13}, {8, 16}, {6, 30}};
        for (int[] batch : new int[][] {{}, {2}, {2, 2}}) {
            for (int[] hw : sizes) {
                int h = hw[0], w = hw[1], wb = w / 2 + 1;
                Tensor z = random(r, shape(batch, h, w, 2));
                Tensor x = random(r, shape(batch, h, w));
                Tensor half = random(r, shape(batch, h, wb, 2));
                int outer = z.numel() / (2 * h * w);
                for (String norm : NORMS) {
                    for (boolean inverse : new boolean[] {false, true}) {
                        double[] e = z.toArray();
                        naive(e, outer * h, w, 1, inverse, factor(norm, inverse, w));
                        naive(e, outer, h, w, inverse, factor(norm, inverse, h));
                        close(e, inverse ? FFT.ifft2(z, norm) : FFT.fft2(z, norm), 1e-12);
                    }
                    double[] full = asPairs(x.toArray());
                    naive(full, outer * h, w, 1, false, factor(norm, false, w));
                    naive(full, outer, h, w, false, factor(norm, false, h));
                    close(firstBins(full, outer * h, w, wb), FFT.rfft2(x, norm), 1e-12);
                    // numpy's irfft2: ifft over rows, then irfft over the last axis
                    double[] rows = half.toArray();
                    naive(rows, outer, h, wb, true, factor(norm, true, h));
                    close(naiveIrfft(rows, outer * h, w, factor(norm, true, w)), FFT.irfft2(half, h, w, norm), 1e-12);
                }
            }
        }
    }

    /** Lengths where JTransforms switches algorithm: split radix (powers of 2), mixed radix, Bluestein (large primes). */
    @Test
    void longAndAwkwardLengthsMatchTheDefinition() {
        var r = new SplittableRandom(12);
        for (int n : new int[] {64, 211, 1000, 1024, 1031}) {
            Tensor z = random(r, n, 2), x = random(r, n), half = random(r, n / 2 + 1, 2);
            double[] e = z.toArray();
            naive(e, 1, n, 1, false, 1);
            close(e, FFT.fft(z), 1e-12);
            double[] full = asPairs(x.toArray());
            naive(full, 1, n, 1, false, factor("ortho", false, n));
            close(firstBins(full, 1, n, n / 2 + 1), FFT.rfft(x, "ortho"), 1e-12);
            close(naiveIrfft(half.toArray(), 1, n, 1.0 / n), FFT.irfft(half, n), 1e-12);
            close(naiveIrfft(half.toArray(), 1, n, 1), FFT.irfft(half, n, "forward"), 1e-12);
        }
    }

    @Test
    void inversesRoundTrip() {
        var r = new SplittableRandom(4);
        for (int n : SIZES) {
            Tensor z = random(r, 3, n, 2), x = random(r, 2, n);
            for (String norm : NORMS) {
                close(z.toArray(), FFT.ifft(FFT.fft(z, norm), norm), 1e-13);
                close(z.toArray(), FFT.fft(FFT.ifft(z, norm), norm), 1e-13);
                close(x.toArray(), FFT.irfft(FFT.rfft(x, norm), n, norm), 1e-13);
            }
        }
        Tensor z2 = random(r, 2, 5, 6, 2), x2 = random(r, 2, 5, 7);
        for (String norm : NORMS) {
            close(z2.toArray(), FFT.ifft2(FFT.fft2(z2, norm), norm), 1e-13);
            close(x2.toArray(), FFT.irfft2(FFT.rfft2(x2, norm), 5, 7, norm), 1e-13);
        }
    }

    @Test
    void parsevalHolds() {
        var r = new SplittableRandom(5);
        for (int n : SIZES) {
            Tensor z = random(r, n, 2);
            double energy = z.mul(z).sum().item();
            assertEquals(energy, sq(FFT.fft(z, "ortho")), 1e-12 * n);
            assertEquals(energy * n, sq(FFT.fft(z)), 1e-11 * n * n);
            assertEquals(energy / n, sq(FFT.fft(z, "forward")), 1e-12);
            // a real signal's half spectrum counts the mirrored bins once: weight them twice
            Tensor x = random(r, n);
            Tensor weighted = Complex.abs(FFT.rfft(x, "ortho")).pow(2).mul(Transforms.binWeights(n, 2, DType.FLOAT64).reshape(-1));
            assertEquals(x.mul(x).sum().item(), weighted.sum().item(), 1e-12 * n);
        }
    }

    private static double sq(Tensor z) {
        return z.mul(z).sum().item();
    }

    @Test
    void float32AgreesWithFloat64AndStaysFloat32() {
        var r = new SplittableRandom(6);
        for (int n : new int[] {1, 7, 16, 30, 1024}) {
            Tensor z = random(r, 4, n, 2), x = random(r, 4, n);
            Tensor zf = z.to(DType.FLOAT32), xf = x.to(DType.FLOAT32);
            double tol = 1e-6 * Math.sqrt(n) * 4;
            Tensor f = FFT.fft(zf, "ortho"), rf = FFT.rfft(xf, "ortho");
            assertEquals(DType.FLOAT32, f.dtype());
            assertEquals(DType.FLOAT32, rf.dtype());
            close(FFT.fft(z, "ortho").toArray(), f, tol);
            close(FFT.ifft(z).toArray(), FFT.ifft(zf), tol);
            close(FFT.rfft(x, "ortho").toArray(), rf, tol);
            close(FFT.irfft(FFT.rfft(x), n).toArray(), FFT.irfft(FFT.rfft(xf), n), tol);
        }
        Tensor x2 = random(r, 3, 12, 10), z2 = random(r, 3, 12, 10, 2);
        close(FFT.rfft2(x2, "ortho").toArray(), FFT.rfft2(x2.to(DType.FLOAT32), "ortho"), 1e-5);
        close(FFT.fft2(z2, "ortho").toArray(), FFT.fft2(z2.to(DType.FLOAT32), "ortho"), 1e-5);
        Tensor h2 = FFT.rfft2(x2);
        assertEquals(DType.FLOAT32, FFT.irfft2(h2.to(DType.FLOAT32), 12, 10).dtype());
        close(FFT.irfft2(h2, 12, 10).toArray(), FFT.irfft2(h2.to(DType.FLOAT32), 12, 10), 1e-5);
    }

    @Test
    void float32GradientsAgreeWithFloat64() {
        var r = new SplittableRandom(13);
        Tensor x = random(r, 3, 10), v = random(r, 3, 6, 2);
        Tensor x32 = x.to(DType.FLOAT32).requiresGrad(true), x64 = x.requiresGrad(true);
        FFT.rfft(x64, "ortho").mul(v).sum().backward();
        FFT.rfft(x32, "ortho").mul(v.to(DType.FLOAT32)).sum().backward();
        assertEquals(DType.FLOAT32, x32.grad().dtype());
        close(x64.grad().toArray(), x32.grad(), 1e-5);
    }

    @Test
    void integerInputIsTransformedAsFloat64() {
        Tensor x = Tensor.ofInts(1, 2, 3, 4);
        Tensor s = FFT.rfft(x);
        assertEquals(DType.FLOAT64, s.dtype());
        assertArrayEquals(new double[] {10, 0, -2, 2, -2, 0}, s.toArray(), 1e-12);
    }

    @Test
    void anEmptyBatchGivesAnEmptyResult() {
        assertArrayEquals(new int[] {0, 4, 2}, FFT.fft(Tensor.zeros(0, 4, 2)).shape());
        assertArrayEquals(new int[] {3, 0, 4, 2}, FFT.rfft(Tensor.zeros(3, 0, 6)).shape());
        assertArrayEquals(new int[] {0, 5, 6}, FFT.irfft2(Tensor.zeros(0, 5, 4, 2), 5, 6).shape());
    }

    @Test
    void resultsAreTheSameBitsWhateverTheBatchSplit() {
        var r = new SplittableRandom(7);
        Tensor x = random(r, 64, 1000).to(DType.FLOAT32), z = random(r, 16, 96, 40, 2).to(DType.FLOAT32);
        // large enough that the batch is spread over cores; each row must equal the row transformed alone
        float[] batched = FFT.rfft(x).toFloatArray(), again = FFT.rfft(x).toFloatArray();
        assertArrayEquals(batched, again);
        float[] row = FFT.rfft(x.select(0, 37)).toFloatArray();
        assertArrayEquals(row, Arrays.copyOfRange(batched, 37 * row.length, 38 * row.length));
        float[] f2 = FFT.fft2(z).toFloatArray();
        assertArrayEquals(f2, FFT.fft2(z).toFloatArray());
        float[] one = FFT.fft2(z.select(0, 11)).toFloatArray();
        assertArrayEquals(one, Arrays.copyOfRange(f2, 11 * one.length, 12 * one.length));
        double[] d = FFT.irfft2(FFT.rfft2(z.select(-1, 0).to(DType.FLOAT64)), 96, 40).toArray();
        assertArrayEquals(d, FFT.irfft2(FFT.rfft2(z.select(-1, 0).to(DType.FLOAT64)), 96, 40).toArray());
    }

    // ---- derivatives

    /*
     * The transforms are linear, so gradgradcheck of a transform alone would only see constant gradients; squaring
     * the output makes the gradient depend on the input through the backward's own transform, whose backward
     * (the original transform again) is then what the second derivative checks.
     */

    @Test
    void complexTransformsPassGradcheckAndGradgradcheck() {
        var r = new SplittableRandom(8);
        for (String norm : NORMS) {
            for (int n : new int[] {1, 4, 5}) {
                Tensor z = random(r, 2, n, 2);
                GradCheck.gradcheck(t -> FFT.fft(t[0], norm), z);
                GradCheck.gradcheck(t -> FFT.ifft(t[0], norm), z);
                GradCheck.gradgradcheck(t -> FFT.fft(t[0], norm).pow(2), z);
                GradCheck.gradgradcheck(t -> FFT.ifft(t[0], norm).pow(2), z);
            }
            Tensor z2 = random(r, 3, 4, 2);
            GradCheck.gradcheck(t -> FFT.fft2(t[0], norm), z2);
            GradCheck.gradcheck(t -> FFT.ifft2(t[0], norm), z2);
            GradCheck.gradgradcheck(t -> FFT.fft2(t[0], norm).pow(2), z2);
            GradCheck.gradgradcheck(t -> FFT.ifft2(t[0], norm).pow(2), z2);
        }
    }

    @Test
    void realTransformsPassGradcheckAndGradgradcheck() {
        var r = new SplittableRandom(9);
        for (String norm : NORMS) {
            for (int n : new int[] {1, 2, 5, 6, 7}) {
                Tensor x = random(r, 2, n), z = random(r, 2, n / 2 + 1, 2);
                GradCheck.gradcheck(t -> FFT.rfft(t[0], norm), x);
                GradCheck.gradcheck(t -> FFT.irfft(t[0], n, norm), z);
                GradCheck.gradgradcheck(t -> FFT.rfft(t[0], norm).pow(2), x);
                GradCheck.gradgradcheck(t -> FFT.irfft(t[0], n, norm).pow(2), z);
            }
            for (int[] hw : new int[][] {{3, 4}, {2, 5}}) {
                int h = hw[0], w = hw[1];
                Tensor x = random(r, h, w), z = random(r, h, w / 2 + 1, 2);
                GradCheck.gradcheck(t -> FFT.rfft2(t[0], norm), x);
                GradCheck.gradcheck(t -> FFT.irfft2(t[0], h, w, norm), z);
                GradCheck.gradgradcheck(t -> FFT.rfft2(t[0], norm).pow(2), x);
                GradCheck.gradgradcheck(t -> FFT.irfft2(t[0], h, w, norm).pow(2), z);
            }
        }
    }

    /** A nonlinear loss through a whole spectral step, so second derivatives are not trivially zero. */
    @Test
    void aSpectralFilterPassesGradgradcheck() {
        var r = new SplittableRandom(10);
        Tensor x = random(r, 2, 6), w = random(r, 2, 2);
        GradCheck.gradgradcheck(t -> {
            Tensor modes = FFT.lowModes(FFT.rfft(t[0], "ortho"), 2);
            Tensor y = FFT.irfft(FFT.padModes(Complex.mul(modes, t[1]), 4), 6, "ortho");
            return y.pow(2).sum().reshape(1);
        }, x, w);
    }

    // ---- modes

    @Test
    void modesAreTheLowFrequenciesAndRoundTrip() {
        var r = new SplittableRandom(11);
        Tensor z = random(r, 2, 9, 2);
        Tensor low = FFT.lowModes(z, 3);
        assertArrayEquals(new int[] {2, 3, 2}, low.shape());
        double[] zs = z.toArray(), back = FFT.padModes(low, 9).toArray();
        for (int b = 0; b < 2; b++) {
            for (int k = 0; k < 9; k++) {
                for (int c = 0; c < 2; c++) {
                    int p = (b * 9 + k) * 2 + c;
                    assertEquals(k < 3 ? zs[p] : 0, back[p]);
                }
            }
        }
        assertArrayEquals(low.toArray(), FFT.lowModes(FFT.padModes(low, 9), 3).toArray());

        int h = 8, wb = 5, m1 = 2, m2 = 3;
        Tensor z2 = random(r, 2, h, wb, 2);
        Tensor low2 = FFT.lowModes2(z2, m1, m2);
        assertArrayEquals(new int[] {2, 2 * m1, m2, 2}, low2.shape());
        double[] s2 = z2.toArray(), l2 = low2.toArray(), full = FFT.padModes2(low2, h, wb).toArray();
        for (int b = 0; b < 2; b++) {
            for (int i = 0; i < h; i++) {
                for (int j = 0; j < wb; j++) {
                    boolean kept = j < m2 && (i < m1 || i >= h - m1);
                    int row = i < m1 ? i : i - (h - 2 * m1);
                    for (int c = 0; c < 2; c++) {
                        int p = ((b * h + i) * wb + j) * 2 + c;
                        assertEquals(kept ? s2[p] : 0, full[p]);
                        if (kept) assertEquals(s2[p], l2[((b * 2 * m1 + row) * m2 + j) * 2 + c]);
                    }
                }
            }
        }
        assertArrayEquals(l2, FFT.lowModes2(FFT.padModes2(low2, h, wb), m1, m2).toArray());
        // all rows kept: the layout is the spectrum's own
        assertArrayEquals(z2.toArray(), FFT.padModes2(FFT.lowModes2(z2, 4, wb), h, wb).toArray());
        GradCheck.gradcheck(t -> FFT.padModes2(FFT.lowModes2(t[0], 1, 2), 4, 3), random(r, 4, 3, 2));
    }

    // ---- errors

    @Test
    void badInputIsRefusedNamingFunctionAndShape() {
        var notComplex = assertThrows(IllegalArgumentException.class, () -> FFT.fft(Tensor.zeros(4, 3)));
        assertTrue(notComplex.getMessage().startsWith("fft:") && notComplex.getMessage().contains("[4, 3]"), notComplex.getMessage());
        var rank = assertThrows(IllegalArgumentException.class, () -> FFT.fft2(Tensor.zeros(4, 2)));
        assertTrue(rank.getMessage().startsWith("fft2:") && rank.getMessage().contains("[4, 2]"), rank.getMessage());
        var scalar = assertThrows(IllegalArgumentException.class, () -> FFT.rfft(Tensor.scalar(1)));
        assertTrue(scalar.getMessage().startsWith("rfft:") && scalar.getMessage().contains("[]"), scalar.getMessage());
        var rank2 = assertThrows(IllegalArgumentException.class, () -> FFT.rfft2(Tensor.zeros(5)));
        assertTrue(rank2.getMessage().startsWith("rfft2:") && rank2.getMessage().contains("[5]"), rank2.getMessage());
        var empty = assertThrows(IllegalArgumentException.class, () -> FFT.ifft(Tensor.zeros(3, 0, 2)));
        assertTrue(empty.getMessage().startsWith("ifft:") && empty.getMessage().contains("empty"), empty.getMessage());
        Tensor half = Tensor.zeros(2, 4, 2);
        for (int n : new int[] {5, 8, 0}) {
            var e = assertThrows(IllegalArgumentException.class, () -> FFT.irfft(half, n));
            assertTrue(e.getMessage().startsWith("irfft: n = " + n) && e.getMessage().contains("[2, 4, 2]")
                    && e.getMessage().contains("6 or 7"), e.getMessage());
        }
        var rows = assertThrows(IllegalArgumentException.class, () -> FFT.irfft2(Tensor.zeros(3, 4, 2), 4, 6));
        assertTrue(rows.getMessage().startsWith("irfft2: h = 4") && rows.getMessage().contains("[3, 4, 2]"), rows.getMessage());
        var norm = assertThrows(IllegalArgumentException.class, () -> FFT.fft(half, "unitary"));
        assertTrue(norm.getMessage().startsWith("fft: norm \"unitary\""), norm.getMessage());
        var modes = assertThrows(IllegalArgumentException.class, () -> FFT.lowModes2(Tensor.zeros(4, 3, 2), 3, 1));
        assertTrue(modes.getMessage().startsWith("lowModes2:") && modes.getMessage().contains("[4, 3, 2]"), modes.getMessage());
        var pad = assertThrows(IllegalArgumentException.class, () -> FFT.padModes(half, 3));
        assertTrue(pad.getMessage().startsWith("padModes:") && pad.getMessage().contains("[2, 4, 2]"), pad.getMessage());
    }
}
