package callisto.pde;

import callisto.fft.Complex;
import callisto.fft.FFT;
import callisto.tensor.Tensor;
import java.util.List;

/**
 * Periodic problems solved exactly in Fourier space on [0, 1): the heat equation u_t = ν u_xx and linear
 * advection u_t + c u_x = 0, in 1-D ([batch, n]) and, for heat, 2-D ([batch, h, w]). Also the wavenumber grids
 * the pseudo-spectral solvers share.
 */
public final class Spectral {
    private Spectral() {
    }

    /** Angular wavenumbers 2πk of an rfft of length n: k = 0 .. n/2, float64 [n/2+1]. */
    public static Tensor rfftWavenumbers(int n) {
        requirePositive("rfftWavenumbers", "n", n);
        double[] k = new double[n / 2 + 1];
        for (int i = 0; i < k.length; i++) k[i] = 2 * Math.PI * i;
        return Tensor.of(k);
    }

    /** Angular wavenumbers 2πk of a full fft of length n, in fft order (0, 1, .., -n/2, .., -1), float64 [n]. */
    public static Tensor fftWavenumbers(int n) {
        requirePositive("fftWavenumbers", "n", n);
        double[] k = new double[n];
        for (int i = 0; i < n; i++) k[i] = 2 * Math.PI * (i <= (n - 1) / 2 ? i : i - n);
        return Tensor.of(k);
    }

    /** 1 where |k| lies below n/3 along every axis (the 2/3 rule), else 0: the mask of an rfft of length n. */
    static Tensor dealias1d(int n) {
        double[] m = new double[n / 2 + 1];
        for (int i = 0; i < m.length; i++) m[i] = i < n / 3.0 ? 1 : 0;
        return Tensor.of(m);
    }

    /** u(x, t) of u_t = ν u_xx from u0 [batch, n] (or [n]): each mode decays by exp(-ν (2πk)² t). */
    public static Tensor heat(Tensor u0, double nu, double t) {
        requireField("heat", u0, 1);
        requireNonNegative("heat", "nu", nu);
        requireNonNegative("heat", "t", t);
        int n = u0.size(-1);
        Tensor k = rfftWavenumbers(n);
        Tensor decay = k.mul(k).mul(-nu * t).exp().unsqueeze(-1).to(u0.dtype());
        return FFT.irfft(FFT.rfft(u0).mul(decay), n);
    }

    /** u(x, y, t) of u_t = ν Δu from u0 [batch, h, w] (or [h, w]). */
    public static Tensor heat2d(Tensor u0, double nu, double t) {
        requireField("heat2d", u0, 2);
        requireNonNegative("heat2d", "nu", nu);
        requireNonNegative("heat2d", "t", t);
        int h = u0.size(-2), w = u0.size(-1);
        Tensor ky = fftWavenumbers(h).reshape(h, 1), kx = rfftWavenumbers(w).reshape(1, w / 2 + 1);
        Tensor k2 = ky.mul(ky).add(kx.mul(kx));
        Tensor decay = k2.mul(-nu * t).exp().unsqueeze(-1).to(u0.dtype());
        return FFT.irfft2(FFT.rfft2(u0).mul(decay), h, w);
    }

    /** u(x, t) = u0(x - c t) of u_t + c u_x = 0, exactly (a phase shift per mode), for u0 [batch, n] or [n]. */
    public static Tensor advection(Tensor u0, double c, double t) {
        requireField("advection", u0, 1);
        if (!Double.isFinite(c) || !Double.isFinite(t)) throw new IllegalArgumentException("advection: c and t must be finite, got c=" + c + ", t=" + t);
        int n = u0.size(-1);
        Tensor phase = rfftWavenumbers(n).mul(-c * t);
        Tensor shift = Tensor.stack(List.of(phase.cos(), phase.sin()), -1).to(u0.dtype());
        return FFT.irfft(Complex.mul(FFT.rfft(u0), shift), n);
    }

    /** i·c·z for a complex pair tensor z and a real c (broadcasting): a derivative, in Fourier space. */
    static Tensor timesI(Tensor z, Tensor c) {
        Tensor re = z.select(-1, 0), im = z.select(-1, 1);
        return Tensor.stack(List.of(im.mul(c).neg(), re.mul(c)), -1);
    }

    /** The 2/3-rule mask on the rfft2 half grid [h, w/2+1]. */
    static Tensor dealias2d(int h, int w) {
        double[] m = new double[h * (w / 2 + 1)];
        for (int i = 0; i < h; i++) {
            int ky = Math.abs(i <= (h - 1) / 2 ? i : i - h);
            for (int kx = 0; kx <= w / 2; kx++) m[i * (w / 2 + 1) + kx] = ky < h / 3.0 && kx < w / 3.0 ? 1 : 0;
        }
        return Tensor.of(m, h, w / 2 + 1);
    }

    static void requireField(String op, Tensor u, int spatialDims) {
        if (!u.dtype().isFloatingPoint() || u.dim() < spatialDims || u.dim() > spatialDims + 1) {
            throw new IllegalArgumentException(op + ": expected a floating-point field [batch, " + (spatialDims == 1 ? "n" : "h, w")
                    + "] or [" + (spatialDims == 1 ? "n" : "h, w") + "], got " + u.dtype() + " of shape " + java.util.Arrays.toString(u.shape()));
        }
        for (int d = 1; d <= spatialDims; d++) {
            if (u.size(-d) < 2) throw new IllegalArgumentException(op + ": a periodic grid needs at least 2 points per axis, got shape " + java.util.Arrays.toString(u.shape()));
        }
    }

    static void requirePositive(String op, String name, double v) {
        if (!(v > 0) || !Double.isFinite(v)) throw new IllegalArgumentException(op + ": " + name + " must be positive and finite, got " + v);
    }

    static void requireNonNegative(String op, String name, double v) {
        if (!(v >= 0) || !Double.isFinite(v)) throw new IllegalArgumentException(op + ": " + name + " must be >= 0 and finite, got " + v);
    }
}
