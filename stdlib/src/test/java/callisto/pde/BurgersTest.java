package callisto.pde;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import callisto.fft.FFT;
import callisto.tensor.DType;
import callisto.tensor.Generator;
import callisto.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BurgersTest {
    /** ../shared/bench/data, or the usual place on our machines, if this machine has it. */
    static Path benchData() {
        return Burgers.findBenchData().orElseGet(() -> {
            Path fallback = Path.of("/work/shared/bench/data");
            return Files.isRegularFile(fallback.resolve("burgers_a.f32")) ? fallback : null;
        });
    }

    /** Cole–Hopf: with φ = 1 + ε e^{-4π²νt} cos 2πx solving the heat equation, u = -2ν φ_x / φ solves Burgers. */
    static Tensor coleHopf(int n, double nu, double eps, double t) {
        double[] u = new double[n];
        double decay = eps * Math.exp(-4 * Math.PI * Math.PI * nu * t);
        for (int j = 0; j < n; j++) {
            double x = (double) j / n;
            u[j] = 4 * Math.PI * nu * decay * Math.sin(2 * Math.PI * x) / (1 + decay * Math.cos(2 * Math.PI * x));
        }
        return Tensor.of(u, 1, n);
    }

    @Test
    void matchesTheColeHopfSolution() {
        double nu = 0.05, eps = 0.5;
        Tensor u = Burgers.solve(coleHopf(128, nu, eps, 0), nu, 0.5, 1e-3);
        assertTrue(u.sub(coleHopf(128, nu, eps, 0.5)).abs().max().item() < 1e-9, "exact solution reproduced");
    }

    @Test
    void integratingFactorRk4IsFourthOrderInTime() {
        double nu = 0.02;
        Tensor u0 = GaussianRandomField.burgers().sample(new Generator(1), 2, 64).mul(0.5);
        Tensor ref = Burgers.solve(u0, nu, 0.2, 1.25e-4);
        double e1 = Burgers.solve(u0, nu, 0.2, 0.01).sub(ref).abs().max().item();
        double e2 = Burgers.solve(u0, nu, 0.2, 0.005).sub(ref).abs().max().item();
        double e3 = Burgers.solve(u0, nu, 0.2, 0.0025).sub(ref).abs().max().item();
        double order1 = Math.log(e1 / e2) / Math.log(2), order2 = Math.log(e2 / e3) / Math.log(2);
        assertTrue(order1 > 3.5 && order1 < 4.6 && order2 > 3.5 && order2 < 4.6, "observed orders " + order1 + ", " + order2
                + " (errors " + e1 + ", " + e2 + ", " + e3 + ")");
    }

    @Test
    void reproducesTheSharedBenchDataFromItsInitialConditions() throws IOException {
        Path dir = benchData();
        Assumptions.assumeTrue(dir != null, "../shared/bench/data is not on this machine");
        var data = Burgers.readBenchData(dir);
        assertEquals(DType.FLOAT32, data.a().dtype());
        // the files hold 256-point samples of fields solved on 512 points: interpolate spectrally back to 512
        Tensor a = data.a().narrow(0, 512, 4).to(DType.FLOAT64);
        Tensor spec = FFT.rfft(a);                                     // [4, 129, 2]
        spec = spec.narrow(1, 0, 128);                                 // drop the ambiguous Nyquist bin
        Tensor fine = FFT.irfft(FFT.padModes(spec, 257), 512).mul(2);  // same values at even points
        assertTrue(fine.reshape(4, 256, 2).select(-1, 0).sub(a).abs().max().item() < 1e-3);
        Tensor u = Burgers.solve(fine, 0.01, 1.0, 4e-4).reshape(4, 256, 2).select(-1, 0);
        Tensor target = data.u().narrow(0, 512, 4).to(DType.FLOAT64);
        double rel = u.sub(target).norm().item() / target.norm().item();
        assertTrue(rel < 2e-3, "relative L2 against the shared data " + rel);
    }

    @Test
    void generatedDataHasTheSharedDataStatistics() throws IOException {
        var ours = Burgers.generate(new Generator(7), 96, 256);
        assertEquals(96, ours.a().size(0));
        assertEquals(256, ours.u().size(1));
        double aStd = ours.a().to(DType.FLOAT64).std().item(), uStd = ours.u().to(DType.FLOAT64).std().item();
        // the law's own pointwise standard deviation on the 512-point grid the fields are drawn on
        double lawStd = Math.sqrt(GaussianRandomField.burgers().variance(512));
        assertEquals(lawStd, aStd, 0.08 * lawStd);
        Path dir = benchData();
        Assumptions.assumeTrue(dir != null, "../shared/bench/data is not on this machine");
        var shared = Burgers.readBenchData(dir);
        double sharedA = shared.a().to(DType.FLOAT64).std().item(), sharedU = shared.u().to(DType.FLOAT64).std().item();
        assertEquals(sharedA, aStd, 0.08 * sharedA, "std of u(x, 0)");
        assertEquals(sharedU, uStd, 0.15 * sharedU, "std of u(x, 1): viscous decay and shocks as in the shared data");
    }

    @Test
    void badFilesAndArgumentsAreNamed(@TempDir Path dir) throws IOException {
        Files.write(dir.resolve("burgers_a.f32"), new byte[12]);
        var e = assertThrows(IOException.class, () -> Burgers.readBenchData(dir));
        assertTrue(e.getMessage().contains("burgers_a.f32") && e.getMessage().contains("12 bytes"), e.getMessage());
        var bad = assertThrows(IllegalArgumentException.class, () -> Burgers.solve(Tensor.zeros(2, 8), 0.01, 1.0, 0.3));
        assertTrue(bad.getMessage().contains("whole number of steps"), bad.getMessage());
    }
}
