package callisto.pde;

import callisto.fft.FFT;
import callisto.runtime.Cancellation;
import callisto.tensor.DType;
import callisto.tensor.GradMode;
import callisto.tensor.Tensor;
import java.util.ArrayList;

/**
 * 2-D incompressible Navier–Stokes in vorticity form on the periodic unit square:
 * ω_t + u·∇ω = ν Δω + f, with u = (∂ψ/∂y, −∂ψ/∂x) and −Δψ = ω.
 *
 * <p>Fourier pseudo-spectral, integrating-factor RK4 (viscosity exact), 2/3 de-aliasing, float64. Fields are
 * [batch, h, w] with row index y and column index x on x_j = j/w, y_i = i/h. {@link #fnoForcing} is the forcing
 * of the FNO paper's Navier–Stokes data, whose initial vorticity law is {@link GaussianRandomField#navierStokes()}.
 */
public final class NavierStokes2d {
    private NavierStokes2d() {
    }

    /** The forcing 0.1 (sin 2π(x + y) + cos 2π(x + y)) on an h×w grid: float64 [h, w]. */
    public static Tensor fnoForcing(int h, int w) {
        double[] f = new double[h * w];
        for (int i = 0; i < h; i++) {
            for (int j = 0; j < w; j++) {
                double s = 2 * Math.PI * ((double) j / w + (double) i / h);
                f[i * w + j] = 0.1 * (Math.sin(s) + Math.cos(s));
            }
        }
        return Tensor.of(f, h, w);
    }

    /** ω at tEnd from ω0 [batch, h, w] (or [h, w]); {@code forcing} [h, w] may be null. */
    public static Tensor solve(Tensor w0, double nu, Tensor forcing, double tEnd, double dt) {
        Tensor out = solve(w0, nu, forcing, new double[] {tEnd}, dt);
        return out.select(w0.dim() == 2 ? 0 : 1, 0);
    }

    /**
     * ω at each of {@code times} (increasing, each a whole number of steps dt): [batch, times, h, w] (or
     * [times, h, w] for an unbatched ω0), in ω0's dtype. Checks for interruption at every step.
     */
    public static Tensor solve(Tensor w0, double nu, Tensor forcing, double[] times, double dt) {
        Spectral.requireField("NavierStokes2d.solve", w0, 2);
        Spectral.requireNonNegative("NavierStokes2d.solve", "nu", nu);
        Spectral.requirePositive("NavierStokes2d.solve", "dt", dt);
        int h = w0.size(-2), w = w0.size(-1);
        if (forcing != null && (forcing.dim() != 2 || forcing.size(0) != h || forcing.size(1) != w)) {
            throw new IllegalArgumentException("NavierStokes2d.solve: forcing must be [" + h + ", " + w + "] like the vorticity, got "
                    + java.util.Arrays.toString(forcing.shape()));
        }
        long[] at = new long[times.length];
        for (int i = 0; i < times.length; i++) {
            at[i] = Math.round(times[i] / dt);
            if (!(times[i] >= 0) || Math.abs(at[i] * dt - times[i]) > 1e-9 * Math.max(1, times[i]) || (i > 0 && at[i] < at[i - 1])) {
                throw new IllegalArgumentException("NavierStokes2d.solve: times must increase from 0 in whole steps of dt " + dt
                        + "; times[" + i + "] = " + times[i]);
            }
        }
        try (var off = GradMode.noGrad()) {
            Tensor ky = Spectral.fftWavenumbers(h).reshape(h, 1), kx = Spectral.rfftWavenumbers(w).reshape(1, w / 2 + 1);
            Tensor k2 = ky.mul(ky).add(kx.mul(kx));
            // ψ̂ = ω̂ / |k|², with the mean mode (k = 0) of ψ set to 0
            double[] k2v = k2.toArray();
            for (int i = 0; i < k2v.length; i++) k2v[i] = k2v[i] > 0 ? 1 / k2v[i] : 0;
            Tensor invK2 = Tensor.of(k2v, h, w / 2 + 1);
            var op = new Rhs(ky.mul(Tensor.onesLike(kx)), kx.mul(Tensor.onesLike(ky)), invK2, Spectral.dealias2d(h, w), h, w,
                    forcing == null ? null : FFT.rfft2(forcing.to(DType.FLOAT64)), dt);
            Tensor e = k2.mul(-nu * dt / 2).exp().unsqueeze(-1);
            Tensor e2 = e.mul(e);
            Tensor v = FFT.rfft2(w0.to(DType.FLOAT64));
            var snapshots = new ArrayList<Tensor>();
            long step = 0;
            for (long target : at) {
                for (; step < target; step++) {
                    Cancellation.check();
                    Tensor a = op.apply(v);
                    Tensor b = op.apply(e.mul(v.add(a.mul(0.5))));
                    Tensor c = op.apply(e.mul(v).add(b.mul(0.5)));
                    Tensor d = op.apply(e2.mul(v).add(e.mul(c)));
                    v = e2.mul(v).add(e2.mul(a).add(e.mul(b.add(c)).mul(2)).add(d).div(6));
                }
                snapshots.add(FFT.irfft2(v, h, w));
            }
            return Tensor.stack(snapshots, w0.dim() == 2 ? 0 : 1).to(w0.dtype());
        }
    }

    /** dt·(−u·∇ω + f) in Fourier space, de-aliased. */
    private record Rhs(Tensor ky, Tensor kx, Tensor invK2, Tensor dealias, int h, int w, Tensor forcingHat, double dt) {
        Tensor apply(Tensor v) {
            Tensor psi = v.mul(invK2.unsqueeze(-1));
            Tensor u = FFT.irfft2(Spectral.timesI(psi, ky), h, w);          // ∂ψ/∂y
            Tensor vel = FFT.irfft2(Spectral.timesI(psi, kx), h, w).neg();  // −∂ψ/∂x
            Tensor wx = FFT.irfft2(Spectral.timesI(v, kx), h, w);
            Tensor wy = FFT.irfft2(Spectral.timesI(v, ky), h, w);
            Tensor n = FFT.rfft2(u.mul(wx).add(vel.mul(wy))).neg();
            if (forcingHat != null) n = n.add(forcingHat);
            return n.mul(dealias.unsqueeze(-1)).mul(dt);
        }
    }
}
