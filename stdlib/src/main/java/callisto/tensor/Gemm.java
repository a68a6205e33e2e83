package callisto.tensor;

import callisto.runtime.Cancellation;
import java.util.Arrays;

/**
 * Dense matrix product for the tensor library: {@code C = op(A)·op(B)}, or {@code C += op(A)·op(B)}, on row-major
 * float or double arrays with offsets and row strides.
 *
 * <p>Backends, chosen once by the system property {@code callisto.blas}: {@code auto} (default: OpenBLAS when
 * {@code libopenblas.so.0} loads, else Java), {@code native} (fail at first use when it does not load) or
 * {@code java}. With OpenBLAS, products below {@link #NATIVE_MIN_WORK} still run in Java, where the packing-free
 * call overhead of the downcall and of OpenBLAS's own dispatch is not worth it. {@link #gemmNative} and
 * {@link #gemmJava} bypass the choice (tests, benchmarks).
 *
 * <p>Arguments are checked here, before any native code sees them: an out-of-range stride would otherwise read or
 * write outside the array. C must not overlap A or B.
 */
final class Gemm {
    /** Smallest m·n·k sent to OpenBLAS under {@code auto}: measured (GemmBench --small), Java wins only below ~4³. */
    static final long NATIVE_MIN_WORK = 1L << 6;
    /** Native calls larger than this (m·n·k) are cut into row slices, so interrupts and GC wait for one slice. */
    static final long NATIVE_SLICE_WORK = 1L << 31;

    /**
     * Smallest m·n·k that OpenBLAS may split over all cores. Measured inside the mlp_adam step (2 cores): its
     * 1024×256×256 products (2<sup>26</sup>) took 1.85 ms on 2 threads and 2.1–2.2 ms on 1; below ~2<sup>24</sup>
     * waking the second thread costs about what it saves.
     */
    static final long PARALLEL_MIN_WORK = 1L << 24;
    private static final int CORES = Runtime.getRuntime().availableProcessors();

    private static final String CHOICE = System.getProperty("callisto.blas", "auto").strip().toLowerCase();
    private static final boolean NATIVE = switch (CHOICE) {
        case "auto" -> BlasNative.available();
        case "native" -> true;
        case "java" -> false;
        default -> throw new IllegalArgumentException(
                "callisto.blas: " + CHOICE + ": expected auto, native or java");
    };

    private Gemm() {
    }

    /** Which backend {@link #gemm} uses, e.g. {@code openblas (/usr/lib/...)} or {@code java (Vector API, ...)}. */
    static String backend() {
        return NATIVE ? "openblas (" + requireNative() + ")" : javaBackend();
    }

    static String javaBackend() {
        return "java (Vector API, " + GemmJava.species() + ")";
    }

    /**
     * {@code C[m×n] (+)= op(A)[m×k] · op(B)[k×n]}, row-major. A is stored k×m when {@code transA}, else m×k, with
     * row stride {@code lda}; likewise B (n×k when {@code transB}). {@code accumulate == false} overwrites C without
     * reading it (beta = 0); {@code true} adds to it (beta = 1). k = 0 gives C = 0, or leaves C unchanged.
     */
    static void gemm(boolean transA, boolean transB, int m, int n, int k, float[] a, int aOff, int lda,
                     float[] b, int bOff, int ldb, float[] c, int cOff, int ldc, boolean accumulate) {
        if (NATIVE && (long) m * n * k >= NATIVE_MIN_WORK) {
            gemmNative(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, accumulate);
        } else {
            gemmJava(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, accumulate);
        }
    }

    /** {@link #gemm(boolean, boolean, int, int, int, float[], int, int, float[], int, int, float[], int, int,
     * boolean) gemm} in float64. */
    static void gemm(boolean transA, boolean transB, int m, int n, int k, double[] a, int aOff, int lda,
                     double[] b, int bOff, int ldb, double[] c, int cOff, int ldc, boolean accumulate) {
        if (NATIVE && (long) m * n * k >= NATIVE_MIN_WORK) {
            gemmNative(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, accumulate);
        } else {
            gemmJava(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, accumulate);
        }
    }

    static void gemmJava(boolean transA, boolean transB, int m, int n, int k, float[] a, int aOff, int lda,
                         float[] b, int bOff, int ldb, float[] c, int cOff, int ldc, boolean accumulate) {
        check(transA, transB, m, n, k, a.length, aOff, lda, b.length, bOff, ldb, c.length, cOff, ldc, a == c, b == c);
        if (m == 0 || n == 0) return;
        if (k == 0) {
            if (!accumulate) for (int i = 0; i < m; i++) Arrays.fill(c, cOff + i * ldc, cOff + i * ldc + n, 0f);
            return;
        }
        GemmJava.sgemm(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, accumulate);
    }

    static void gemmJava(boolean transA, boolean transB, int m, int n, int k, double[] a, int aOff, int lda,
                         double[] b, int bOff, int ldb, double[] c, int cOff, int ldc, boolean accumulate) {
        check(transA, transB, m, n, k, a.length, aOff, lda, b.length, bOff, ldb, c.length, cOff, ldc, a == c, b == c);
        if (m == 0 || n == 0) return;
        if (k == 0) {
            if (!accumulate) for (int i = 0; i < m; i++) Arrays.fill(c, cOff + i * ldc, cOff + i * ldc + n, 0d);
            return;
        }
        GemmJava.dgemm(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, accumulate);
    }

    static void gemmNative(boolean transA, boolean transB, int m, int n, int k, float[] a, int aOff, int lda,
                           float[] b, int bOff, int ldb, float[] c, int cOff, int ldc, boolean accumulate) {
        requireNative();
        check(transA, transB, m, n, k, a.length, aOff, lda, b.length, bOff, ldb, c.length, cOff, ldc, a == c, b == c);
        if (m == 0 || n == 0) return;
        if (k == 0) { // cblas would accept it, but its lda/ldb checks want widths >= 1
            if (!accumulate) for (int i = 0; i < m; i++) Arrays.fill(c, cOff + i * ldc, cOff + i * ldc + n, 0f);
            return;
        }
        BlasNative.useThreads((long) m * n * k >= PARALLEL_MIN_WORK ? CORES : 1);
        int rows = sliceRows(m, n, k);
        for (int i0 = 0; i0 < m; i0 += rows) {
            Cancellation.check();
            int mi = Math.min(rows, m - i0);
            BlasNative.sgemm(transA, transB, mi, n, k, a, aOff + (transA ? i0 : i0 * lda), lda, b, bOff, ldb,
                    c, cOff + i0 * ldc, ldc, accumulate);
        }
    }

    static void gemmNative(boolean transA, boolean transB, int m, int n, int k, double[] a, int aOff, int lda,
                           double[] b, int bOff, int ldb, double[] c, int cOff, int ldc, boolean accumulate) {
        requireNative();
        check(transA, transB, m, n, k, a.length, aOff, lda, b.length, bOff, ldb, c.length, cOff, ldc, a == c, b == c);
        if (m == 0 || n == 0) return;
        if (k == 0) {
            if (!accumulate) for (int i = 0; i < m; i++) Arrays.fill(c, cOff + i * ldc, cOff + i * ldc + n, 0d);
            return;
        }
        BlasNative.useThreads((long) m * n * k >= PARALLEL_MIN_WORK ? CORES : 1);
        int rows = sliceRows(m, n, k);
        for (int i0 = 0; i0 < m; i0 += rows) {
            Cancellation.check();
            int mi = Math.min(rows, m - i0);
            BlasNative.dgemm(transA, transB, mi, n, k, a, aOff + (transA ? i0 : i0 * lda), lda, b, bOff, ldb,
                    c, cOff + i0 * ldc, ldc, accumulate);
        }
    }

    private static int sliceRows(int m, int n, int k) {
        long perRow = (long) n * k;
        return (long) m * perRow <= NATIVE_SLICE_WORK ? m : (int) Math.max(64, NATIVE_SLICE_WORK / perRow);
    }

    private static String requireNative() {
        if (!BlasNative.available()) {
            throw new IllegalStateException("callisto.blas=" + CHOICE + ": OpenBLAS did not load ("
                    + BlasNative.FAILURE + "); install libopenblas0-pthread or use -Dcallisto.blas=java");
        }
        return BlasNative.PATH;
    }

    /** Checks shapes, strides and that every addressed element lies in its array; names the bad argument. */
    private static void check(boolean transA, boolean transB, int m, int n, int k, int aLen, int aOff, int lda,
                              int bLen, int bOff, int ldb, int cLen, int cOff, int ldc, boolean aIsC, boolean bIsC) {
        if (m < 0 || n < 0 || k < 0) {
            throw new IllegalArgumentException("gemm: m, n, k = " + m + ", " + n + ", " + k + ": expected >= 0");
        }
        long aEnd = extent("a", transA ? k : m, transA ? m : k, aLen, aOff, lda);
        long bEnd = extent("b", transB ? n : k, transB ? k : n, bLen, bOff, ldb);
        long cEnd = extent("c", m, n, cLen, cOff, ldc);
        if (m == 0 || n == 0) return;
        if (aIsC && k > 0 && aOff < cEnd && cOff < aEnd || bIsC && k > 0 && bOff < cEnd && cOff < bEnd) {
            throw new IllegalArgumentException("gemm: c overlaps " + (aIsC ? "a" : "b") + " in the same array");
        }
    }

    /** End (exclusive) of a stored rows×cols matrix at {@code off} with row stride {@code ld}, checked. */
    private static long extent(String name, int rows, int cols, int len, int off, int ld) {
        if (ld < cols) {
            throw new IllegalArgumentException("gemm: ld" + name + " = " + ld + ": expected >= " + cols
                    + " (the stored width of " + name + ")");
        }
        long end = rows == 0 || cols == 0 ? off : off + (long) (rows - 1) * ld + cols;
        if (off < 0 || end > len) {
            throw new IndexOutOfBoundsException("gemm: " + name + " (" + rows + "x" + cols + ", offset " + off
                    + ", ld " + ld + ") needs elements [" + off + ", " + end + ") of an array of length " + len);
        }
        return end;
    }
}
