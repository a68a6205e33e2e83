package callisto.pde;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import callisto.tensor.Tensor;
import org.junit.jupiter.api.Test;

class SpectralTest {
    static Tensor grid1d(int n, java.util.function.DoubleUnaryOperator f) {
        double[] v = new double[n];
        for (int j = 0; j < n; j++) v[j] = f.applyAsDouble((double) j / n);
        return Tensor.of(v);
    }

    static double maxAbsDiff(Tensor a, Tensor b) {
        return a.sub(b).abs().max().item();
    }

    @Test
    void heatDecaysEachModeExactly() {
        double nu = 0.03, t = 0.7;
        Tensor u0 = grid1d(64, x -> Math.sin(2 * Math.PI * x) + 0.5 * Math.cos(6 * Math.PI * x) + 0.2);
        Tensor exact = grid1d(64, x -> Math.exp(-nu * 4 * Math.PI * Math.PI * t) * Math.sin(2 * Math.PI * x)
                + 0.5 * Math.exp(-nu * 36 * Math.PI * Math.PI * t) * Math.cos(6 * Math.PI * x) + 0.2);
        assertTrue(maxAbsDiff(Spectral.heat(u0, nu, t), exact) < 1e-13);
        assertTrue(maxAbsDiff(Spectral.heat(u0.reshape(1, 64), nu, 0), u0.reshape(1, 64)) < 1e-14, "t = 0 changes nothing");
    }

    @Test
    void heat2dDecaysByTheSquaredWavenumber() {
        int h = 16, w = 24;
        double nu = 0.01, t = 0.3;
        double[] u = new double[h * w], exact = new double[h * w];
        for (int i = 0; i < h; i++) {
            for (int j = 0; j < w; j++) {
                double x = (double) j / w, y = (double) i / h;
                u[i * w + j] = Math.sin(2 * Math.PI * x) * Math.cos(4 * Math.PI * y);
                exact[i * w + j] = u[i * w + j] * Math.exp(-nu * 4 * Math.PI * Math.PI * (1 + 4) * t);
            }
        }
        Tensor out = Spectral.heat2d(Tensor.of(u, 1, h, w), nu, t);
        assertTrue(maxAbsDiff(out, Tensor.of(exact, 1, h, w)) < 1e-13);
    }

    @Test
    void advectionShiftsTheProfile() {
        int n = 48;
        Tensor u0 = grid1d(n, x -> Math.exp(Math.cos(2 * Math.PI * x)));
        double c = 0.5, t = 0.25; // shift by 0.125, i.e. 6 grid points
        Tensor moved = Spectral.advection(u0, c, t);
        Tensor exact = grid1d(n, x -> Math.exp(Math.cos(2 * Math.PI * (x - c * t))));
        assertTrue(maxAbsDiff(moved, exact) < 1e-12, "a smooth profile moves exactly");
        assertEquals(u0.get(10), moved.get(16), 1e-12);
        // after a whole period it is back
        assertTrue(maxAbsDiff(Spectral.advection(u0, 1.0, 1.0), u0) < 1e-12);
    }

    @Test
    void wavenumbersFollowFftOrder() {
        assertEquals(java.util.List.of(0.0, 1.0, 2.0, -2.0, -1.0),
                java.util.Arrays.stream(Spectral.fftWavenumbers(5).div(2 * Math.PI).toArray()).boxed().toList());
        assertEquals(java.util.List.of(0.0, 1.0, -2.0, -1.0), // numpy.fft.fftfreq(4) * 4
                java.util.Arrays.stream(Spectral.fftWavenumbers(4).div(2 * Math.PI).toArray()).boxed().toList());
        assertEquals(3, Spectral.rfftWavenumbers(4).numel());
    }

    @Test
    void badArgumentsAreNamed() {
        var e = assertThrows(IllegalArgumentException.class, () -> Spectral.heat(Tensor.of(1.0, 2.0), -1, 1));
        assertTrue(e.getMessage().contains("nu") && e.getMessage().contains("-1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Spectral.heat(Tensor.ofInts(1, 2), 1, 1));
        assertTrue(e.getMessage().contains("INT32"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Spectral.heat2d(Tensor.zeros(2, 3, 4, 5), 1, 1));
        assertTrue(e.getMessage().contains("[2, 3, 4, 5]"), e.getMessage());
    }
}
