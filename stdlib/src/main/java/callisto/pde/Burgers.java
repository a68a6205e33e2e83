package callisto.pde;

import callisto.display.Progress;
import callisto.fft.FFT;
import callisto.runtime.Cancellation;
import callisto.tensor.Generator;
import callisto.tensor.GradMode;
import callisto.tensor.Tensor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The 1-D viscous Burgers equation u_t + (u²/2)_x = ν u_xx on the periodic interval [0, 1).
 *
 * <p>Fourier pseudo-spectral in space; in time, integrating-factor RK4 (diffusion exact, the nonlinear term
 * explicit) with the 2/3 rule against aliasing, in float64. This is the solver and the law of the FNO paper's
 * Burgers benchmark and of ../shared/bench/data ({@link #generate}, {@link #readBenchData}).
 */
public final class Burgers {
    /** Inputs u(x, 0) and targets u(x, T), both [samples, n]. */
    public record Dataset(Tensor a, Tensor u) {
    }

    private Burgers() {
    }

    /**
     * u(x, tEnd) for initial conditions u0 [batch, n] (or [n]), with time step dt (tEnd must be a whole number
     * of steps); the result has u0's dtype. Checks for interruption at every step.
     */
    public static Tensor solve(Tensor u0, double nu, double tEnd, double dt) {
        Spectral.requireField("Burgers.solve", u0, 1);
        Spectral.requireNonNegative("Burgers.solve", "nu", nu);
        Spectral.requireNonNegative("Burgers.solve", "tEnd", tEnd);
        Spectral.requirePositive("Burgers.solve", "dt", dt);
        long steps = Math.round(tEnd / dt);
        if (Math.abs(steps * dt - tEnd) > 1e-9 * Math.max(1, tEnd)) {
            throw new IllegalArgumentException("Burgers.solve: tEnd " + tEnd + " is not a whole number of steps dt " + dt);
        }
        int n = u0.size(-1);
        try (var off = GradMode.noGrad()) {
            Tensor k = Spectral.rfftWavenumbers(n);
            // N(u) = -(u²/2)_x = -i k/2 FFT(u²): a multiplication by the imaginary number -k/2, masked by the 2/3 rule
            Tensor g = k.mul(Spectral.dealias1d(n)).mul(-0.5 * dt);
            Tensor e = k.mul(k).mul(-nu * dt / 2).exp().unsqueeze(-1);
            Tensor e2 = e.mul(e);
            Tensor v = FFT.rfft(u0.to(callisto.tensor.DType.FLOAT64));
            for (long s = 0; s < steps; s++) {
                Cancellation.check();
                Tensor a = nonlinear(v, g, n);
                Tensor b = nonlinear(e.mul(v.add(a.mul(0.5))), g, n);
                Tensor c = nonlinear(e.mul(v).add(b.mul(0.5)), g, n);
                Tensor d = nonlinear(e2.mul(v).add(e.mul(c)), g, n);
                v = e2.mul(v).add(e2.mul(a).add(e.mul(b.add(c)).mul(2)).add(d).div(6));
            }
            return FFT.irfft(v, n).to(u0.dtype());
        }
    }

    /** dt·N(v) for the spectrum v: i·g·FFT(u²), as a (re, im) pair. */
    private static Tensor nonlinear(Tensor v, Tensor g, int n) {
        Tensor u = FFT.irfft(v, n);
        return Spectral.timesI(FFT.rfft(u.mul(u)), g);
    }

    /**
     * A data set from the FNO law: u0 ~ {@link GaussianRandomField#burgers()} solved to t = 1 with ν = 0.01 on
     * {@code 2 * n} points (dt = 4e-4, as ../shared/bench/data), both fields sub-sampled to n points. float32,
     * like the shared files. Shows a progress bar over the samples.
     */
    public static Dataset generate(Generator gen, int samples, int n) {
        return generate(gen, samples, n, 0.01, 1.0, 4e-4);
    }

    /** Like {@link #generate(Generator, int, int)} with the viscosity, final time and step given. */
    public static Dataset generate(Generator gen, int samples, int n, double nu, double tEnd, double dt) {
        if (samples < 1 || n < 4) throw new IllegalArgumentException("Burgers.generate: need samples >= 1 and n >= 4, got " + samples + ", " + n);
        Tensor u0 = GaussianRandomField.burgers().sample(gen, samples, 2 * n);
        int chunk = Math.min(samples, 32);
        var a = new java.util.ArrayList<Tensor>();
        var u = new java.util.ArrayList<Tensor>();
        try (var bar = Progress.bar(samples, "Burgers")) {
            for (int start = 0; start < samples; start += chunk) {
                int len = Math.min(chunk, samples - start);
                Tensor part = u0.narrow(0, start, len);
                a.add(subsample(part));
                u.add(subsample(solve(part, nu, tEnd, dt)));
                bar.step(len);
            }
        }
        return new Dataset(Tensor.cat(a, 0).to(callisto.tensor.DType.FLOAT32), Tensor.cat(u, 0).to(callisto.tensor.DType.FLOAT32));
    }

    /** Every other point: x_j = j/n from the 2n-point grid. */
    private static Tensor subsample(Tensor f) {
        int n = f.size(-1) / 2;
        return f.reshape(f.size(0), n, 2).select(-1, 0).contiguous();
    }

    /**
     * Where ../shared/bench/data is on this machine: $CALLISTO_SHARED/bench/data, else shared/bench/data in the
     * working directory or any folder above it; empty when none holds burgers_a.f32.
     */
    public static java.util.Optional<Path> findBenchData() {
        var candidates = new java.util.ArrayList<Path>();
        String env = System.getenv("CALLISTO_SHARED");
        if (env != null) candidates.add(Path.of(env, "bench", "data"));
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) candidates.add(p.resolve("shared/bench/data"));
        return candidates.stream().filter(c -> Files.isRegularFile(c.resolve("burgers_a.f32"))).findFirst();
    }

    /**
     * The Burgers data set of ../shared/bench/data: {@code burgers_a.f32} and {@code burgers_u.f32} in
     * {@code dir}, little-endian float32 [640, 256] each (rows 0–511 train, 512–639 test).
     */
    public static Dataset readBenchData(Path dir) throws IOException {
        return new Dataset(readF32(dir.resolve("burgers_a.f32"), 640, 256), readF32(dir.resolve("burgers_u.f32"), 640, 256));
    }

    private static Tensor readF32(Path file, int rows, int cols) throws IOException {
        if (!Files.isRegularFile(file)) throw new IOException(file + ": no such file (the Burgers data set lives in ../shared/bench/data)");
        byte[] bytes = Files.readAllBytes(file);
        long expected = 4L * rows * cols;
        if (bytes.length != expected) {
            throw new IOException(file + ": " + bytes.length + " bytes, but float32 [" + rows + ", " + cols + "] takes " + expected);
        }
        float[] values = new float[rows * cols];
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(values);
        return Tensor.of(values, rows, cols);
    }
}
