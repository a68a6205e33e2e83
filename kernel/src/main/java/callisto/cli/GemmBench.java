package callisto.cli;

import java.io.PrintStream;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * GEMM throughput of the tensor library's {@code Gemm}, beside shared/bench/pytorch/matmul_overhead.py: square
 * float32 products at n = 256..2048 and float64 at 1024, GFLOP/s = 2n³/t from the median of timed calls (~20 GFLOP
 * of work per size, at least 5 calls), for the active backend and for the Java one.
 *
 * <p>{@code main} also takes {@code --small} (per-call time of both backends on small squares: where the native
 * threshold comes from) and {@code --spin} (CPU the process burns while idle after native calls: whether
 * OpenBLAS's workers spin). {@code Gemm} is package-private in callisto.tensor; we reach it through a private
 * lookup, which the unnamed module allows.
 */
public final class GemmBench {
    private static final MethodHandle F_ACTIVE, F_JAVA, F_NATIVE, D_ACTIVE, D_JAVA, BACKEND, JAVA_BACKEND;

    static {
        try {
            Class<?> gemm = Class.forName("callisto.tensor.Gemm");
            var lookup = MethodHandles.privateLookupIn(gemm, MethodHandles.lookup());
            MethodType f = MethodType.methodType(void.class, boolean.class, boolean.class, int.class, int.class,
                    int.class, float[].class, int.class, int.class, float[].class, int.class, int.class,
                    float[].class, int.class, int.class, boolean.class);
            MethodType d = MethodType.methodType(void.class, boolean.class, boolean.class, int.class, int.class,
                    int.class, double[].class, int.class, int.class, double[].class, int.class, int.class,
                    double[].class, int.class, int.class, boolean.class);
            F_ACTIVE = lookup.findStatic(gemm, "gemm", f);
            F_JAVA = lookup.findStatic(gemm, "gemmJava", f);
            F_NATIVE = lookup.findStatic(gemm, "gemmNative", f);
            D_ACTIVE = lookup.findStatic(gemm, "gemm", d);
            D_JAVA = lookup.findStatic(gemm, "gemmJava", d);
            BACKEND = lookup.findStatic(gemm, "backend", MethodType.methodType(String.class));
            JAVA_BACKEND = lookup.findStatic(gemm, "javaBackend", MethodType.methodType(String.class));
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private GemmBench() {
    }

    public static void main(String[] args) throws Throwable {
        var out = System.out;
        if (Arrays.asList(args).contains("--small")) small(out);
        else if (Arrays.asList(args).contains("--spin")) spin(out);
        else run(out);
    }

    /** The throughput table: f32 n = 256, 512, 1024, 2048 and f64 n = 1024, active backend and Java backend. */
    static void run(PrintStream out) {
        String active = call(BACKEND), java = call(JAVA_BACKEND);
        out.println("GEMM backend: " + active);
        out.println("| product | " + active + " GFLOP/s (median, min-max) | " + java + " GFLOP/s (median, min-max) |");
        out.println("| --- | --- | --- |");
        for (int n : new int[] {256, 512, 1024, 2048}) {
            out.println("| f32 " + n + "x" + n + " | " + cell(gflops(n, false, F_ACTIVE)) + " | "
                    + cell(gflops(n, false, F_JAVA)) + " |");
        }
        out.println("| f64 1024x1024 | " + cell(gflops(1024, true, D_ACTIVE)) + " | "
                + cell(gflops(1024, true, D_JAVA)) + " |");
    }

    /** GFLOP/s of each timed call of {@code mm} on random n×n operands. */
    private static double[] gflops(int n, boolean f64, MethodHandle mm) {
        var rnd = new SplittableRandom(n);
        int len = n * n;
        Object a, b, c;
        if (f64) {
            a = rnd.doubles(len, -1, 1).toArray();
            b = rnd.doubles(len, -1, 1).toArray();
            c = new double[len];
        } else {
            a = floats(rnd, len);
            b = floats(rnd, len);
            c = new float[len];
        }
        double flop = 2.0 * n * n * n;
        int reps = Math.max(5, (int) (2e10 / flop));
        // Warm-up: a few calls, and at least ~0.5 GFLOP so the JIT has compiled the Java kernel.
        for (int i = 0; i < Math.max(3, (int) (5e8 / flop)); i++) invoke(mm, n, a, b, c);
        double[] g = new double[reps];
        for (int i = 0; i < reps; i++) {
            long t0 = System.nanoTime();
            invoke(mm, n, a, b, c);
            g[i] = flop / (System.nanoTime() - t0);
        }
        return g;
    }

    private static void invoke(MethodHandle mm, int n, Object a, Object b, Object c) {
        try {
            mm.invoke(false, false, n, n, n, a, 0, n, b, 0, n, c, 0, n, false);
        } catch (Throwable t) {
            throw t instanceof RuntimeException r ? r : new IllegalStateException(t);
        }
    }

    /** Per-call time of native and Java on n×n×n, for the threshold Gemm.NATIVE_MIN_WORK. */
    static void small(PrintStream out) throws Throwable {
        out.println("| n | m*n*k | native ns | java ns | java/native |");
        out.println("| --- | --- | --- | --- | --- |");
        for (int n : new int[] {2, 4, 8, 12, 16, 20, 24, 32, 40, 48, 64, 96, 128, 192, 256}) {
            var rnd = new SplittableRandom(n);
            float[] a = floats(rnd, n * n), b = floats(rnd, n * n), c = new float[n * n];
            int loop = (int) Math.max(20, Math.min(200_000, 2e8 / (2.0 * n * n * n)));
            double nat = nsPerCall(F_NATIVE, n, a, b, c, loop), jv = nsPerCall(F_JAVA, n, a, b, c, loop);
            out.printf(Locale.ROOT, "| %d | %d | %.0f | %.0f | %.2f |%n", n, (long) n * n * n, nat, jv, jv / nat);
        }
    }

    private static double nsPerCall(MethodHandle mm, int n, float[] a, float[] b, float[] c, int loop) throws Throwable {
        double[] t = new double[7];
        for (int r = -2; r < t.length; r++) {
            long t0 = System.nanoTime();
            for (int i = 0; i < loop; i++) mm.invokeExact(false, false, n, n, n, a, 0, n, b, 0, n, c, 0, n, false);
            if (r >= 0) t[r] = (System.nanoTime() - t0) / (double) loop;
        }
        Arrays.sort(t);
        return t[t.length / 2];
    }

    /** CPU seconds the process uses while sleeping, after a burst of threaded native GEMMs, vs. before. */
    static void spin(PrintStream out) throws Throwable {
        out.println("backend " + call(BACKEND) + ", OPENBLAS_THREAD_TIMEOUT in the launch environment: "
                + System.getenv("OPENBLAS_THREAD_TIMEOUT"));
        int n = 512;
        var rnd = new SplittableRandom(1);
        float[] a = floats(rnd, n * n), b = floats(rnd, n * n), c = new float[n * n];
        out.printf(Locale.ROOT, "idle baseline: %.3f CPU s per wall s%n", idleCpu(500));
        for (int i = 0; i < 50; i++) F_NATIVE.invokeExact(false, false, n, n, n, a, 0, n, b, 0, n, c, 0, n, false);
        out.printf(Locale.ROOT, "first 200 ms idle after 50 native f32 512 GEMMs: %.3f CPU s per wall s%n", idleCpu(200));
        out.printf(Locale.ROOT, "the next 500 ms: %.3f CPU s per wall s%n", idleCpu(500));
        // A notebook-like pattern: one product, then 20 ms of other (sleeping) work, 25 times.
        long cpu0 = cpuNanos(), w0 = System.nanoTime(), busy = 0;
        for (int i = 0; i < 25; i++) {
            long t0 = System.nanoTime();
            F_NATIVE.invokeExact(false, false, n, n, n, a, 0, n, b, 0, n, c, 0, n, false);
            busy += System.nanoTime() - t0;
            Thread.sleep(20);
        }
        double cpu = (cpuNanos() - cpu0) / 1e9, wall = (System.nanoTime() - w0) / 1e9;
        out.printf(Locale.ROOT, "gemm then 20 ms sleep x25: %.3f CPU s over %.3f wall s, of which %.3f s in gemm%n",
                cpu, wall, busy / 1e9);
    }

    private static double idleCpu(long ms) throws InterruptedException {
        long c0 = cpuNanos(), t0 = System.nanoTime();
        Thread.sleep(ms);
        return (cpuNanos() - c0) / (double) (System.nanoTime() - t0);
    }

    private static long cpuNanos() {
        return ProcessHandle.current().info().totalCpuDuration().map(Duration::toNanos).orElse(0L);
    }

    private static float[] floats(SplittableRandom rnd, int len) {
        float[] x = new float[len];
        for (int i = 0; i < len; i++) x[i] = (float) rnd.nextDouble(-1, 1);
        return x;
    }

    private static String cell(double[] g) {
        double[] s = g.clone();
        Arrays.sort(s);
        return String.format(Locale.ROOT, "%.1f (%.1f-%.1f)", s[s.length / 2], s[0], s[s.length - 1]);
    }

    private static String call(MethodHandle h) {
        try {
            return (String) h.invokeExact();
        } catch (Throwable t) {
            throw t instanceof RuntimeException r ? r : new IllegalStateException(t);
        }
    }
}
