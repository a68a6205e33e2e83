package callisto.pde;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import callisto.fft.FFT;
import callisto.tensor.Generator;
import callisto.tensor.Tensor;
import org.junit.jupiter.api.Test;

class NavierStokes2dTest {
    static Tensor field(int h, int w, java.util.function.DoubleBinaryOperator f) {
        double[] v = new double[h * w];
        for (int i = 0; i < h; i++) for (int j = 0; j < w; j++) v[i * w + j] = f.applyAsDouble((double) j / w, (double) i / h);
        return Tensor.of(v, h, w);
    }

    @Test
    void aSingleShellVortexDecaysExactly() {
        // ω ∝ ψ on one shell |k|² = 8π², so u·∇ω = 0 and only viscosity acts: ω(t) = ω0 e^{-8π²νt}
        double nu = 0.01, t = 0.5;
        Tensor w0 = field(32, 32, (x, y) -> Math.sin(2 * Math.PI * x) * Math.sin(2 * Math.PI * y) + 0.5 * Math.cos(2 * Math.PI * (x + y)));
        Tensor w = NavierStokes2d.solve(w0, nu, null, t, 0.01);
        assertTrue(w.sub(w0.mul(Math.exp(-8 * Math.PI * Math.PI * nu * t))).abs().max().item() < 1e-12);
    }

    @Test
    void theFnoForcingFromRestBuildsUpAsTheLinearSolutionSays() {
        // the forcing lies on the shell |k|² = 8π² too: ω(t) = f (1 - e^{-8π²νt}) / (8π²ν)
        double nu = 0.05, t = 0.4, lam = 8 * Math.PI * Math.PI * nu;
        Tensor f = NavierStokes2d.fnoForcing(24, 24);
        Tensor w = NavierStokes2d.solve(Tensor.zeros(1, 24, 24), nu, f, t, 0.004);
        assertTrue(w.select(0, 0).sub(f.mul((1 - Math.exp(-lam * t)) / lam)).abs().max().item() < 1e-12);
    }

    @Test
    void withoutViscosityEnergyAndEnstrophyAreConserved() {
        // the truncated (Galerkin) system conserves both, so start inside the de-aliased modes
        Tensor raw = GaussianRandomField.navierStokes().sample(new Generator(2), 2, 32, 32).mul(20);
        Tensor w0 = FFT.irfft2(FFT.rfft2(raw).mul(Spectral.dealias2d(32, 32).unsqueeze(-1)), 32, 32);
        Tensor w = NavierStokes2d.solve(w0, 0, null, 0.2, 2e-3);
        assertTrue(w.sub(w0).abs().max().item() > 1e-2 * w0.abs().max().item(), "the flow moves");
        for (int b = 0; b < 2; b++) {
            double z0 = enstrophy(w0.select(0, b)), z1 = enstrophy(w.select(0, b));
            double e0 = energy(w0.select(0, b)), e1 = energy(w.select(0, b));
            assertEquals(z0, z1, 1e-6 * z0, "enstrophy of sample " + b);
            assertEquals(e0, e1, 1e-6 * e0, "energy of sample " + b);
        }
    }

    /** Σ ω² over the de-aliased modes (what the truncated system conserves). */
    static double enstrophy(Tensor w) {
        Tensor c = FFT.rfft2(w).mul(Spectral.dealias2d(w.size(0), w.size(1)).unsqueeze(-1));
        return weightedPower(c, null);
    }

    /** Σ |û|² = Σ ω̂² / |k|² over the de-aliased modes. */
    static double energy(Tensor w) {
        int h = w.size(0), n = w.size(1);
        Tensor c = FFT.rfft2(w).mul(Spectral.dealias2d(h, n).unsqueeze(-1));
        Tensor ky = Spectral.fftWavenumbers(h).reshape(h, 1), kx = Spectral.rfftWavenumbers(n).reshape(1, n / 2 + 1);
        return weightedPower(c, ky.mul(ky).add(kx.mul(kx)));
    }

    private static double weightedPower(Tensor c, Tensor k2) {
        int h = c.size(0), half = c.size(1);
        double total = 0;
        for (int i = 0; i < h; i++) {
            for (int j = 0; j < half; j++) {
                double p = c.get(i, j, 0) * c.get(i, j, 0) + c.get(i, j, 1) * c.get(i, j, 1);
                if (k2 != null) {
                    double k = k2.get(i, j);
                    p = k == 0 ? 0 : p / k;
                }
                total += (j == 0 ? 1 : 2) * p; // the other half of the spectrum mirrors columns j > 0
            }
        }
        return total;
    }

    @Test
    void rk4IsFourthOrderInTime() {
        Tensor w0 = GaussianRandomField.navierStokes().sample(new Generator(9), 1, 16, 16).mul(10);
        Tensor ref = NavierStokes2d.solve(w0, 1e-3, NavierStokes2d.fnoForcing(16, 16), 0.2, 2.5e-4);
        double e1 = NavierStokes2d.solve(w0, 1e-3, NavierStokes2d.fnoForcing(16, 16), 0.2, 0.02).sub(ref).abs().max().item();
        double e2 = NavierStokes2d.solve(w0, 1e-3, NavierStokes2d.fnoForcing(16, 16), 0.2, 0.01).sub(ref).abs().max().item();
        double order = Math.log(e1 / e2) / Math.log(2);
        assertTrue(order > 3.5 && order < 4.6, "observed order " + order + " (errors " + e1 + ", " + e2 + ")");
    }

    @Test
    void snapshotsComeAtTheRequestedTimes() {
        Tensor w0 = GaussianRandomField.navierStokes().sample(new Generator(1), 2, 16, 16);
        Tensor series = NavierStokes2d.solve(w0, 1e-3, null, new double[] {0, 0.05, 0.1}, 0.01);
        assertArrayEquals(new int[] {2, 3, 16, 16}, series.shape());
        assertTrue(series.select(1, 0).sub(w0).abs().max().item() < 1e-12, "t = 0 is the initial vorticity");
        Tensor direct = NavierStokes2d.solve(w0, 1e-3, null, 0.1, 0.01);
        assertTrue(series.select(1, 2).sub(direct).abs().max().item() < 1e-13);
        var e = assertThrows(IllegalArgumentException.class, () -> NavierStokes2d.solve(w0, 1e-3, null, new double[] {0.1, 0.05}, 0.01));
        assertTrue(e.getMessage().contains("times[1]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> NavierStokes2d.solve(w0, 1e-3, Tensor.zeros(8, 8), 0.1, 0.01));
        assertTrue(e.getMessage().contains("[8, 8]"), e.getMessage());
    }
}
