package callisto.fft;

import callisto.tensor.DType;
import callisto.tensor.Tensor;
import java.util.Arrays;
import java.util.List;

/**
 * Discrete Fourier transforms with numpy/PyTorch semantics, differentiable to any order, plus the mode
 * selection of spectral layers (FNO).
 *
 * <p>Complex tensors are real tensors whose last dim is 2 (re, im); see the {@linkplain callisto.fft package}.
 * The 1-D transforms act on the last non-pair axis, the 2-D ones on the last two; all leading dims are a batch.
 * {@code fft(z)[k] = Σ_j z[j] e^{-2πi jk/n}} and {@code ifft} is its inverse. {@code norm} is "backward" (the
 * default: 1/n on the inverse), "ortho" (1/√n both ways) or "forward" (1/n on the forward transform).
 *
 * <p>float32 stays float32 (JTransforms' FloatFFT) and float64 float64 (DoubleFFT); integer tensors are
 * transformed as float64. Results are the same bits on every run: each 1-D transform runs on one thread, and
 * only independent rows of the batch are spread over cores.
 */
public final class FFT {
    private FFT() {
    }

    // ---- complex to complex

    /** The DFT of complex {@code z} [..., n, 2] along its last non-pair axis. */
    public static Tensor fft(Tensor z) {
        return fft(z, "backward");
    }

    /** {@link #fft(Tensor)} with {@code norm} "backward", "ortho" or "forward". */
    public static Tensor fft(Tensor z, String norm) {
        return complexTransform("fft", z, norm, false, false);
    }

    /** The inverse DFT of complex {@code z} [..., n, 2]: {@code ifft(fft(z)) = z}. */
    public static Tensor ifft(Tensor z) {
        return ifft(z, "backward");
    }

    /** {@link #ifft(Tensor)} with {@code norm} "backward", "ortho" or "forward". */
    public static Tensor ifft(Tensor z, String norm) {
        return complexTransform("ifft", z, norm, true, false);
    }

    /** The 2-D DFT of complex {@code z} [..., h, w, 2] over its last two non-pair axes. */
    public static Tensor fft2(Tensor z) {
        return fft2(z, "backward");
    }

    /** {@link #fft2(Tensor)} with {@code norm} "backward", "ortho" or "forward". */
    public static Tensor fft2(Tensor z, String norm) {
        return complexTransform("fft2", z, norm, false, true);
    }

    /** The 2-D inverse DFT of complex {@code z} [..., h, w, 2]. */
    public static Tensor ifft2(Tensor z) {
        return ifft2(z, "backward");
    }

    /** {@link #ifft2(Tensor)} with {@code norm} "backward", "ortho" or "forward". */
    public static Tensor ifft2(Tensor z, String norm) {
        return complexTransform("ifft2", z, norm, true, true);
    }

    // ---- real to half spectrum and back

    /** The DFT of real {@code x} [..., n], bins 0 .. n/2 only (the rest mirror them): [..., n/2+1, 2]. */
    public static Tensor rfft(Tensor x) {
        return rfft(x, "backward");
    }

    /** {@link #rfft(Tensor)} with {@code norm} "backward", "ortho" or "forward". */
    public static Tensor rfft(Tensor x, String norm) {
        return realTransform("rfft", x, norm, false);
    }

    /**
     * The real signal of length {@code n} whose half spectrum is {@code z} [..., n/2+1, 2], as numpy's irfft:
     * the imaginary parts of the DC bin and (n even) of the Nyquist bin are ignored. n must be 2(m-1) or
     * 2(m-1)+1 for m bins: the length is not implied by the bins, so it is always given.
     */
    public static Tensor irfft(Tensor z, int n) {
        return irfft(z, n, "backward");
    }

    /** {@link #irfft(Tensor, int)} with {@code norm} "backward", "ortho" or "forward". */
    public static Tensor irfft(Tensor z, int n, String norm) {
        Tensor c = complexInput("irfft", z, 1);
        checkLength("irfft", z, c.size(-2), n, "n");
        return Tensor.apply(new Transforms.Irfft(0, n, Norm.parse("irfft", norm), false), c);
    }

    /** The 2-D DFT of real {@code x} [..., h, w], columns 0 .. w/2 only: [..., h, w/2+1, 2]. */
    public static Tensor rfft2(Tensor x) {
        return rfft2(x, "backward");
    }

    /** {@link #rfft2(Tensor)} with {@code norm} "backward", "ortho" or "forward". */
    public static Tensor rfft2(Tensor x, String norm) {
        return realTransform("rfft2", x, norm, true);
    }

    /**
     * The real [..., h, w] field whose half spectrum (as {@link #rfft2} gives) is {@code z} [..., h, w/2+1, 2];
     * {@code h} must be z's row count, {@code w} 2(m-1) or 2(m-1)+1 for m columns.
     */
    public static Tensor irfft2(Tensor z, int h, int w) {
        return irfft2(z, h, w, "backward");
    }

    /** {@link #irfft2(Tensor, int, int)} with {@code norm} "backward", "ortho" or "forward". */
    public static Tensor irfft2(Tensor z, int h, int w, String norm) {
        Tensor c = complexInput("irfft2", z, 2);
        if (h != c.size(-3)) {
            throw new IllegalArgumentException("irfft2: h = " + h + " but z of shape " + Arrays.toString(z.shape())
                    + " has " + c.size(-3) + " rows; h must equal it");
        }
        checkLength("irfft2", z, c.size(-2), w, "w");
        return Tensor.apply(new Transforms.Irfft(h, w, Norm.parse("irfft2", norm), true), c);
    }

    // ---- modes of spectral layers

    /** The first {@code m} bins of a spectrum {@code z} [..., bins, 2] (rfft output): [..., m, 2]. */
    public static Tensor lowModes(Tensor z, int m) {
        complexInput("lowModes", z, 1);
        int bins = z.size(-2);
        if (m < 1 || m > bins) {
            throw new IllegalArgumentException("lowModes: m = " + m + " is outside [1, " + bins + "] for z of shape "
                    + Arrays.toString(z.shape()));
        }
        return z.narrow(-2, 0, m);
    }

    /** {@code modes} [..., m, 2] as the first bins of an otherwise zero spectrum [..., bins, 2]: the inverse of {@link #lowModes}. */
    public static Tensor padModes(Tensor modes, int bins) {
        complexInput("padModes", modes, 1);
        int m = modes.size(-2);
        if (bins < m) {
            throw new IllegalArgumentException("padModes: bins = " + bins + " is fewer than the " + m
                    + " modes of shape " + Arrays.toString(modes.shape()));
        }
        return withZeros(modes, -2, bins - m);
    }

    /**
     * The low modes of a 2-D half spectrum {@code z} [..., h, w/2+1, 2] (rfft2 output), as FNO keeps them: rows
     * [0, m1) and [h-m1, h) (the lowest positive and negative frequencies), columns [0, m2). The result is
     * [..., 2·m1, m2, 2], positive-frequency rows first.
     */
    public static Tensor lowModes2(Tensor z, int m1, int m2) {
        complexInput("lowModes2", z, 2);
        int h = z.size(-3), wb = z.size(-2);
        if (m1 < 1 || 2 * m1 > h || m2 < 1 || m2 > wb) {
            throw new IllegalArgumentException("lowModes2: m1 = " + m1 + ", m2 = " + m2 + " do not fit z of shape "
                    + Arrays.toString(z.shape()) + "; need 1 <= m1 <= " + h / 2 + " and 1 <= m2 <= " + wb);
        }
        Tensor cols = z.narrow(-2, 0, m2);
        return Tensor.cat(List.of(cols.narrow(-3, 0, m1), cols.narrow(-3, h - m1, m1)), -3);
    }

    /**
     * {@code modes} [..., 2·m1, m2, 2] placed back into a zero half spectrum [..., h, wBins, 2]: the first m1 rows
     * at the top, the last m1 at the bottom, columns from 0. The inverse of {@link #lowModes2}.
     */
    public static Tensor padModes2(Tensor modes, int h, int wBins) {
        complexInput("padModes2", modes, 2);
        int rows = modes.size(-3), m2 = modes.size(-2);
        if (rows % 2 != 0 || rows > h || m2 > wBins) {
            throw new IllegalArgumentException("padModes2: modes of shape " + Arrays.toString(modes.shape())
                    + " need an even row count of at most h = " + h + " and at most wBins = " + wBins + " columns");
        }
        int m1 = rows / 2;
        Tensor full = modes;
        if (rows < h) {
            int[] middle = modes.shape();
            middle[middle.length - 3] = h - rows;
            full = Tensor.cat(List.of(modes.narrow(-3, 0, m1), Tensor.zeros(modes.dtype(), middle), modes.narrow(-3, m1, m1)), -3);
        }
        return withZeros(full, -2, wBins - m2);
    }

    /** {@code t} followed by {@code extra} zeros along {@code dim} (cat, so gradients flow back by narrowing). */
    private static Tensor withZeros(Tensor t, int dim, int extra) {
        if (extra == 0) return t;
        int[] zs = t.shape();
        zs[zs.length + dim] = extra;
        return Tensor.cat(List.of(t, Tensor.zeros(t.dtype(), zs)), dim);
    }

    // ---- checks

    private static Tensor complexTransform(String fn, Tensor z, String norm, boolean inverse, boolean twoD) {
        Tensor c = complexInput(fn, z, twoD ? 2 : 1);
        return Tensor.apply(new Transforms.Fft(inverse, Norm.parse(fn, norm), twoD), c);
    }

    private static Tensor realTransform(String fn, Tensor x, String norm, boolean twoD) {
        int axes = twoD ? 2 : 1;
        if (x.dim() < axes) {
            throw new IllegalArgumentException(fn + ": x of shape " + Arrays.toString(x.shape()) + " needs at least "
                    + axes + (axes == 1 ? " dim" : " dims") + " to transform");
        }
        for (int a = 1; a <= axes; a++) {
            if (x.size(-a) == 0) {
                throw new IllegalArgumentException(fn + ": x of shape " + Arrays.toString(x.shape()) + " has an empty transform axis");
            }
        }
        return Tensor.apply(new Transforms.Rfft(Norm.parse(fn, norm), twoD), floating(x));
    }

    /** z as a float tensor after checking it is complex with at least {@code axes} non-pair dims. */
    private static Tensor complexInput(String fn, Tensor z, int axes) {
        int[] s = z.shape();
        if (s.length == 0 || s[s.length - 1] != 2) {
            throw new IllegalArgumentException(fn + ": z of shape " + Arrays.toString(s) + " is not complex: its last dim must"
                    + " be 2 (re, im), as Complex.complex(re, im) makes");
        }
        if (s.length < axes + 1) {
            throw new IllegalArgumentException(fn + ": z of shape " + Arrays.toString(s) + " needs " + axes
                    + (axes == 1 ? " dim" : " dims") + " besides the (re, im) pair");
        }
        for (int a = 2; a <= axes + 1; a++) {
            if (s[s.length - a] == 0) {
                throw new IllegalArgumentException(fn + ": z of shape " + Arrays.toString(s) + " has an empty transform axis");
            }
        }
        return floating(z);
    }

    private static void checkLength(String fn, Tensor z, int bins, int n, String name) {
        if (n < 1 || n / 2 + 1 != bins) {
            throw new IllegalArgumentException(fn + ": " + name + " = " + n + (n < 1 ? " is not positive" : " needs "
                    + (n / 2 + 1) + " frequency bins (" + name + "/2+1)") + " but z of shape " + Arrays.toString(z.shape())
                    + " has " + bins + "; for " + bins + " bins " + name + " is " + (2 * bins - 2 > 0 ? (2 * bins - 2) + " or " : "")
                    + (2 * bins - 1));
        }
    }

    static Tensor floating(Tensor t) {
        return t.dtype() == DType.FLOAT32 || t.dtype() == DType.FLOAT64 ? t : t.to(DType.FLOAT64);
    }
}
