package callisto.pde;

import callisto.fft.FFT;
import callisto.tensor.Generator;
import callisto.tensor.Tensor;

/**
 * A zero-mean Gaussian random field on the periodic unit interval or square with covariance
 * σ²(−Δ + τ²I)^−α: in Fourier modes, u(x) = Σ_{k≠0} s_k ζ_k e^{2πi k·x} with s_k = σ (4π²|k|² + τ²)^−α/2 and ζ_k
 * complex standard normal (ζ_−k = conj ζ_k), truncated to the modes below the grid's Nyquist frequency.
 *
 * <p>Sampled exactly, by filtering white noise on the grid in Fourier space, so the same {@link Generator}
 * seed gives the same fields everywhere. The laws of the FNO benchmarks: {@link #burgers()} (N(0, 625(−Δ+25)^−2),
 * the law of ../shared/bench/data), {@link #darcy()} and {@link #navierStokes()}.
 */
public final class GaussianRandomField {
    private final double sigma;
    private final double tau;
    private final double alpha;

    private GaussianRandomField(double sigma, double tau, double alpha) {
        Spectral.requirePositive("GaussianRandomField", "sigma", sigma);
        Spectral.requireNonNegative("GaussianRandomField", "tau", tau);
        Spectral.requirePositive("GaussianRandomField", "alpha", alpha);
        this.sigma = sigma;
        this.tau = tau;
        this.alpha = alpha;
    }

    /** The field with covariance σ²(−Δ + τ²)^−α. */
    public static GaussianRandomField of(double sigma, double tau, double alpha) {
        return new GaussianRandomField(sigma, tau, alpha);
    }

    /** FNO's Burgers initial conditions: N(0, 625(−Δ + 25)^−2). */
    public static GaussianRandomField burgers() {
        return new GaussianRandomField(25, 5, 2);
    }

    /** FNO's Darcy coefficient field before thresholding: N(0, (−Δ + 9)^−2). */
    public static GaussianRandomField darcy() {
        return new GaussianRandomField(1, 3, 2);
    }

    /** FNO's Navier–Stokes initial vorticity: N(0, 7^{3/2}(−Δ + 49)^−2.5). */
    public static GaussianRandomField navierStokes() {
        return new GaussianRandomField(Math.pow(7, 0.75), 7, 2.5);
    }

    /** The standard deviation s_k of the mode with |k| = {@code k} (in cycles per unit length). */
    public double modeStd(double k) {
        return sigma * Math.pow(4 * Math.PI * Math.PI * k * k + tau * tau, -alpha / 2);
    }

    /** {@code batch} fields on n points x_j = j/n: float64 [batch, n]. */
    public Tensor sample(Generator gen, int batch, int n) {
        checkGrid(batch, n);
        Tensor noise = gen.randn(batch, n);
        double[] s = new double[n / 2 + 1];
        for (int k = 1; k < s.length; k++) s[k] = 2 * k < n ? modeStd(k) : 0; // no mean, no Nyquist mode
        // white noise has E|ξ̂_k|² = n; sqrt(n) makes each kept mode's coefficient variance s_k²
        return FFT.irfft(FFT.rfft(noise).mul(Tensor.of(s).reshape(s.length, 1)), n).mul(Math.sqrt(n));
    }

    /** {@code batch} fields on an h×w grid (row = y, column = x): float64 [batch, h, w]. */
    public Tensor sample(Generator gen, int batch, int h, int w) {
        checkGrid(batch, h);
        checkGrid(batch, w);
        Tensor noise = gen.randn(batch, h, w);
        return FFT.irfft2(FFT.rfft2(noise).mul(filter2d(h, w).unsqueeze(-1)), h, w).mul(Math.sqrt((double) h * w));
    }

    /**
     * {@code batch} fields on [0, 1] with zero Neumann boundaries (as FNO's Darcy coefficients): the cosine series
     * Σ_{k≥1} √λ_k ξ_k √2 cos(πkx), λ_k = σ²(π²k² + τ²)^−α, on the n nodes x_j = j/(n−1), k < n. float64 [batch, n].
     */
    public Tensor sampleNeumann(Generator gen, int batch, int n) {
        checkGrid(batch, n);
        return gen.randn(batch, n - 1).mul(neumannStd(n)).matmul(cosines(n));
    }

    /** The 2-D form on the n×n nodes of [0, 1]²: modes cos(πkx) cos(πly) with (k, l) ≠ (0, 0), k, l < n. [batch, n, n]. */
    public Tensor sampleNeumann(Generator gen, int batch, int n, int m) {
        checkGrid(batch, n);
        checkGrid(batch, m);
        double[] std = new double[n * m];
        for (int k = 0; k < n; k++) {
            for (int l = 0; l < m; l++) {
                double norm = (k == 0 ? 1 : Math.sqrt(2)) * (l == 0 ? 1 : Math.sqrt(2)); // orthonormal cosines
                std[k * m + l] = k == 0 && l == 0 ? 0 : norm * neumannMode(Math.PI * Math.hypot(k, l));
            }
        }
        Tensor coeff = gen.randn(batch, n, m).mul(Tensor.of(std, n, m));
        // u = Cᵀ_y · coeff · C_x, with C[k, j] = cos(π k x_j)
        return cosinesFrom0(n).transpose().matmul(coeff).matmul(cosinesFrom0(m));
    }

    private double neumannMode(double omega) {
        return sigma * Math.pow(omega * omega + tau * tau, -alpha / 2);
    }

    /** √2 √λ_k for k = 1 .. n−1: [n−1]. */
    private Tensor neumannStd(int n) {
        double[] s = new double[n - 1];
        for (int k = 1; k < n; k++) s[k - 1] = Math.sqrt(2) * neumannMode(Math.PI * k);
        return Tensor.of(s);
    }

    /** cos(π k x_j) for k = 1 .. n−1 (rows) on x_j = j/(n−1): [n−1, n]. */
    private static Tensor cosines(int n) {
        return cosinesFrom0(n).narrow(0, 1, n - 1);
    }

    /** cos(π k x_j) for k = 0 .. n−1: [n, n]. */
    private static Tensor cosinesFrom0(int n) {
        double[] c = new double[n * n];
        for (int k = 0; k < n; k++) for (int j = 0; j < n; j++) c[k * n + j] = Math.cos(Math.PI * k * j / (n - 1));
        return Tensor.of(c, n, n);
    }

    /** The pointwise variance of {@link #sample(Generator, int, int)} on n points: Σ s_k² over the kept modes. */
    public double variance(int n) {
        double v = 0;
        for (int k = 1; 2 * k < n; k++) v += 2 * modeStd(k) * modeStd(k);
        return v;
    }

    /** The pointwise variance of the h×w samples. */
    public double variance(int h, int w) {
        double v = 0;
        for (int ky = -(h - 1) / 2; 2 * Math.abs(ky) < h; ky++) {
            for (int kx = -(w - 1) / 2; 2 * Math.abs(kx) < w; kx++) {
                if (ky != 0 || kx != 0) v += Math.pow(modeStd(Math.hypot(kx, ky)), 2);
            }
        }
        return v;
    }

    /** s_k on the rfft2 half grid [h, w/2+1], zero at the mean and at Nyquist rows and columns. */
    private Tensor filter2d(int h, int w) {
        double[] s = new double[h * (w / 2 + 1)];
        for (int i = 0; i < h; i++) {
            int ky = i <= (h - 1) / 2 ? i : i - h;
            for (int kx = 0; kx <= w / 2; kx++) {
                boolean kept = (ky != 0 || kx != 0) && 2 * Math.abs(ky) < h && 2 * kx < w;
                s[i * (w / 2 + 1) + kx] = kept ? modeStd(Math.hypot(kx, ky)) : 0;
            }
        }
        return Tensor.of(s, h, w / 2 + 1);
    }

    private static void checkGrid(int batch, int n) {
        if (batch < 1 || n < 2) {
            throw new IllegalArgumentException("GaussianRandomField.sample: need batch >= 1 and at least 2 points per axis, got batch "
                    + batch + ", " + n + " points");
        }
    }

    @Override
    public String toString() {
        return "GaussianRandomField(σ=" + sigma + ", τ=" + tau + ", α=" + alpha + ")";
    }
}
