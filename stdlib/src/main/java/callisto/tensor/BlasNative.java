package callisto.tensor;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * OpenBLAS's {@code cblas_sgemm}/{@code cblas_dgemm} through the FFM API, on Java heap arrays without copying.
 *
 * <p>The downcalls are {@linkplain Linker.Option#critical(boolean) critical with heap access}: the JVM passes the
 * array's address directly and keeps it from moving for the call (G1 pins the region; other collectors hold GC
 * off). That is why {@link Gemm} cuts very large products into slices: GC and interrupts wait for one slice.
 *
 * <p>Threads. {@link Gemm} sets OpenBLAS's thread count per call: one below {@link Gemm#PARALLEL_MIN_WORK},
 * else {@link Runtime#availableProcessors()} (OpenBLAS would count the host's cores, not the container's, and
 * splits anything above m·n·k = 2<sup>18</sup>, where waking its worker costs more than it saves between the
 * elementwise ops of a training step). Measured here (GemmBench --spin): with its default {@code THREAD_TIMEOUT} of 2<sup>28</sup> TSC cycles an
 * idle worker keeps spinning on {@code sched_yield} for ~0.1 s after every threaded call, burning a core while
 * the notebook thinks; so unless the user chose one we set {@code OPENBLAS_THREAD_TIMEOUT} (read once, when the
 * library initialises, hence {@code setenv} before {@code dlopen}) to {@value #THREAD_TIMEOUT_LOG2}, i.e. the
 * worker sleeps on a condition variable after ~2<sup>{@value #THREAD_TIMEOUT_LOG2}</sup> cycles.
 */
@SuppressWarnings("restricted") // calling native code is this class's purpose; the JVM runs with native access
final class BlasNative {
    private static final int ROW_MAJOR = 101, NO_TRANS = 111, TRANS = 112;
    /** log2 of the idle spin of OpenBLAS's workers in TSC cycles (OpenBLAS clamps it to 4..30). */
    static final int THREAD_TIMEOUT_LOG2 = 18;
    private static final List<String> CANDIDATES = List.of(
            "libopenblas.so.0",
            "/usr/lib/x86_64-linux-gnu/openblas-pthread/libopenblas.so.0",
            "/usr/lib/aarch64-linux-gnu/openblas-pthread/libopenblas.so.0",
            "libopenblas.so");

    private record Lib(MethodHandle sgemm, MethodHandle dgemm, MethodHandle setThreads, String path, String failure) {
    }

    private static final Lib LIB = load();
    /** null when the user fixed the count (OPENBLAS_NUM_THREADS / OMP_NUM_THREADS) or the symbol is missing. */
    private static final MethodHandle SET_THREADS = LIB.setThreads;
    private static int threads = -1;
    private static final MethodHandle SGEMM = LIB.sgemm, DGEMM = LIB.dgemm;
    /** The loaded library's file, or null when none loaded. */
    static final String PATH = LIB.path;
    /** Why no library loaded (tried names and errors), or null. */
    static final String FAILURE = LIB.failure;

    private BlasNative() {
    }

    static boolean available() {
        return SGEMM != null;
    }

    /**
     * Sets OpenBLAS's thread count for the next calls (a global of the library, so only the last caller's choice
     * holds; a race costs speed, never correctness). Cheap when unchanged.
     */
    static void useThreads(int n) {
        if (SET_THREADS == null || n == threads) return;
        try {
            SET_THREADS.invokeExact(n);
            threads = n;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static void sgemm(boolean ta, boolean tb, int m, int n, int k, float[] a, int aOff, int lda,
                      float[] b, int bOff, int ldb, float[] c, int cOff, int ldc, boolean accumulate) {
        try {
            SGEMM.invokeExact(ROW_MAJOR, ta ? TRANS : NO_TRANS, tb ? TRANS : NO_TRANS, m, n, k, 1f,
                    MemorySegment.ofArray(a).asSlice(aOff * 4L), lda, MemorySegment.ofArray(b).asSlice(bOff * 4L), ldb,
                    accumulate ? 1f : 0f, MemorySegment.ofArray(c).asSlice(cOff * 4L), ldc);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static void dgemm(boolean ta, boolean tb, int m, int n, int k, double[] a, int aOff, int lda,
                      double[] b, int bOff, int ldb, double[] c, int cOff, int ldc, boolean accumulate) {
        try {
            DGEMM.invokeExact(ROW_MAJOR, ta ? TRANS : NO_TRANS, tb ? TRANS : NO_TRANS, m, n, k, 1d,
                    MemorySegment.ofArray(a).asSlice(aOff * 8L), lda, MemorySegment.ofArray(b).asSlice(bOff * 8L), ldb,
                    accumulate ? 1d : 0d, MemorySegment.ofArray(c).asSlice(cOff * 8L), ldc);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    private static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) throw r;
        if (t instanceof Error e) throw e;
        throw new IllegalStateException("cblas gemm failed", t);
    }

    private static Lib load() {
        Linker linker = Linker.nativeLinker();
        StringBuilder why = new StringBuilder();
        try {
            setenvIfUnset(linker, "OPENBLAS_THREAD_TIMEOUT", Integer.toString(THREAD_TIMEOUT_LOG2));
        } catch (Throwable t) {
            why.append("setenv: ").append(t).append("; ");
        }
        for (String name : CANDIDATES) {
            try {
                SymbolLookup lib = SymbolLookup.libraryLookup(name, Arena.global());
                var crit = Linker.Option.critical(true);
                MethodHandle s = linker.downcallHandle(lib.findOrThrow("cblas_sgemm"), FunctionDescriptor.ofVoid(
                        JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_FLOAT, ADDRESS, JAVA_INT,
                        ADDRESS, JAVA_INT, JAVA_FLOAT, ADDRESS, JAVA_INT), crit);
                MethodHandle d = linker.downcallHandle(lib.findOrThrow("cblas_dgemm"), FunctionDescriptor.ofVoid(
                        JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_DOUBLE, ADDRESS, JAVA_INT,
                        ADDRESS, JAVA_INT, JAVA_DOUBLE, ADDRESS, JAVA_INT), crit);
                // Only when the user did not choose a count: Gemm then picks one per call.
                MethodHandle setThreads = null;
                if (System.getenv("OPENBLAS_NUM_THREADS") == null && System.getenv("OMP_NUM_THREADS") == null) {
                    var set = lib.find("openblas_set_num_threads");
                    if (set.isPresent()) setThreads = linker.downcallHandle(set.get(), FunctionDescriptor.ofVoid(JAVA_INT));
                }
                return new Lib(s, d, setThreads, resolvedPath(name), null);
            } catch (Throwable t) {
                why.append(name).append(": ").append(t.getMessage()).append("; ");
            }
        }
        return new Lib(null, null, null, null, why.toString());
    }

    /** libc setenv: the native environment, which OpenBLAS reads when it loads (System.getenv is a copy). */
    private static void setenvIfUnset(Linker linker, String key, String value) throws Throwable {
        if (System.getenv(key) != null) return;
        MethodHandle setenv = linker.downcallHandle(linker.defaultLookup().findOrThrow("setenv"),
                FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_INT));
        try (Arena arena = Arena.ofConfined()) {
            int rc = (int) setenv.invokeExact(arena.allocateFrom(key), arena.allocateFrom(value), 0);
            if (rc != 0) throw new IllegalStateException("setenv returned " + rc);
        }
    }

    /** The file dlopen picked for {@code name}, from /proc/self/maps; {@code name} where that is unreadable. */
    private static String resolvedPath(String name) {
        try (var lines = Files.lines(Path.of("/proc/self/maps"))) {
            return lines.map(l -> l.substring(l.lastIndexOf(' ') + 1))
                    .filter(p -> p.contains("libopenblas")).findFirst().orElse(name);
        } catch (IOException | RuntimeException e) {
            return name;
        }
    }
}
