package callisto.linalg;

import callisto.tensor.Tensor;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodType;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * OpenBLAS's Fortran LAPACK ({@code dgesv_}, {@code spotrf_}, ...) through the FFM API, one matrix per call.
 *
 * <p>Every Fortran argument is a pointer, so one descriptor serves the {@code s} and {@code d} routine of a
 * name; a {@code CHARACTER} argument also takes a hidden length, passed last (gfortran's convention; a C
 * implementation ignores the extra arguments). Matrices are row-major {@code double[]} on the Java side (float32
 * values held exactly as doubles); each call copies them, transposed, into column-major native memory of the
 * routine's precision. That copy is O(n²) beside O(n³) work and keeps the downcall non-critical, so GC and
 * safepoints need not wait for a long factorisation.
 *
 * <p>Methods return LAPACK's {@code info} (0: success; &gt; 0: the routine's failure, e.g. a zero pivot).
 */
@SuppressWarnings("restricted") // calling native code is this class's purpose; the JVM runs with native access
final class NativeLapack {
    private static final List<String> CANDIDATES = List.of(
            "libopenblas.so.0",
            "/usr/lib/x86_64-linux-gnu/openblas-pthread/libopenblas.so.0",
            "/usr/lib/aarch64-linux-gnu/openblas-pthread/libopenblas.so.0",
            "libopenblas.so");
    /** Routine (without precision prefix) to its count of pointer arguments and of CHARACTER arguments. */
    private static final Map<String, int[]> ARITY = Map.of(
            "gesv", new int[] {8, 0}, "getrf", new int[] {6, 0}, "potrf", new int[] {5, 1},
            "trtrs", new int[] {10, 3}, "geqrf", new int[] {8, 0}, "orgqr", new int[] {9, 0},
            "syevd", new int[] {11, 2}, "gesdd", new int[] {14, 1}, "gelsd", new int[] {14, 0});

    private record Lib(Map<String, MethodHandle> handles, MethodHandle getThreads, MethodHandle setThreads,
                       String path, String failure) {
    }

    /**
     * Smallest per-matrix n³ run on all cores: {@code Gemm}'s threshold for products (measured there), which is
     * what LAPACK's blocked factorisations spend their time in. Smaller ones run on one thread.
     */
    static final long PARALLEL_MIN_WORK = 1L << 24;
    private static final int CORES = Runtime.getRuntime().availableProcessors();

    private static final Lib LIB = load();
    /** The library file that loaded, or null. */
    static final String PATH = LIB.path;
    /** Why none loaded (names tried and errors), or null. */
    static final String FAILURE = LIB.failure;

    private NativeLapack() {
    }

    static boolean available() {
        return LIB.handles != null;
    }

    private static Lib load() {
        // Gemm's first use loads OpenBLAS under its thread policy (OPENBLAS_THREAD_TIMEOUT is read at dlopen);
        // a tiny product makes sure that happens before we open the same library.
        Tensor.eye(2).matmul(Tensor.eye(2));
        Linker linker = Linker.nativeLinker();
        StringBuilder why = new StringBuilder();
        for (String name : CANDIDATES) {
            try {
                SymbolLookup lib = SymbolLookup.libraryLookup(name, Arena.global());
                Map<String, MethodHandle> handles = new HashMap<>();
                for (var e : ARITY.entrySet()) {
                    MemoryLayout[] args = new MemoryLayout[e.getValue()[0] + e.getValue()[1]];
                    for (int i = 0; i < args.length; i++) args[i] = i < e.getValue()[0] ? ADDRESS : JAVA_LONG;
                    for (String p : new String[] {"s", "d"}) {
                        MethodHandle h = linker.downcallHandle(lib.findOrThrow(p + e.getKey() + "_"), FunctionDescriptor.ofVoid(args));
                        // one (Object[])void shape for all: invokeExact through it costs casts, where
                        // invokeWithArguments would build an adapter on every call (~µs with 14 arguments)
                        handles.put(p + e.getKey(), h.asSpreader(Object[].class, args.length)
                                .asType(MethodType.methodType(void.class, Object[].class)));
                    }
                }
                // OpenBLAS's thread count is one global shared with Gemm, which caches what it set: so we set ours
                // around each batch and put Gemm's back. Not when the user fixed the count.
                MethodHandle get = null, set = null;
                if (System.getenv("OPENBLAS_NUM_THREADS") == null && System.getenv("OMP_NUM_THREADS") == null) {
                    var g = lib.find("openblas_get_num_threads");
                    var st = lib.find("openblas_set_num_threads");
                    if (g.isPresent() && st.isPresent()) {
                        get = linker.downcallHandle(g.get(), FunctionDescriptor.of(JAVA_INT));
                        set = linker.downcallHandle(st.get(), FunctionDescriptor.ofVoid(JAVA_INT));
                    }
                }
                return new Lib(Map.copyOf(handles), get, set, name, null);
            } catch (Throwable t) {
                why.append(name).append(": ").append(t.getMessage()).append("; ");
            }
        }
        return new Lib(null, null, null, null, why.toString());
    }

    /** Runs {@code r} with OpenBLAS on as many threads as matrices of {@code n³ = work} deserve, then restores. */
    static void withThreads(long work, Runnable r) {
        if (LIB.setThreads == null) {
            r.run();
            return;
        }
        int want = work >= PARALLEL_MIN_WORK ? CORES : 1, before;
        try {
            before = (int) LIB.getThreads.invokeExact();
            if (before != want) LIB.setThreads.invokeExact(want);
        } catch (Throwable t) {
            throw new IllegalStateException("openblas_set_num_threads failed", t);
        }
        try {
            r.run();
        } finally {
            try {
                if (before != want) LIB.setThreads.invokeExact(before);
            } catch (Throwable t) {
                throw new IllegalStateException("openblas_set_num_threads failed", t);
            }
        }
    }

    private static void call(boolean single, String routine, Object... args) {
        try {
            MethodHandle h = LIB.handles.get((single ? "s" : "d") + routine);
            h.invokeExact(args);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("LAPACK " + routine + " failed", t);
        }
    }

    /** Native scratch of one precision, with the few conversions the routines need. */
    private static final class Mem {
        final Arena arena = Arena.ofConfined();
        final boolean single;

        Mem(boolean single) {
            this.single = single;
        }

        MemorySegment reals(long n) {
            return arena.allocate(Math.max(1, n) * (single ? 4 : 8), 8);
        }

        MemorySegment ints(int... v) {
            return arena.allocateFrom(JAVA_INT, v);
        }

        MemorySegment chars(char c) {
            return arena.allocateFrom(String.valueOf(c));
        }

        double get(MemorySegment s, long i) {
            return single ? s.getAtIndex(JAVA_FLOAT, i) : s.getAtIndex(JAVA_DOUBLE, i);
        }

        void set(MemorySegment s, long i, double v) {
            if (single) s.setAtIndex(JAVA_FLOAT, i, (float) v);
            else s.setAtIndex(JAVA_DOUBLE, i, v);
        }

        /** A rows×cols row-major block of {@code a} at {@code off}, column-major with leading dim {@code ld}. */
        MemorySegment colMajor(double[] a, int off, int rows, int cols, int ld) {
            MemorySegment s = reals((long) ld * cols);
            for (int i = 0; i < rows; i++) for (int j = 0; j < cols; j++) set(s, i + (long) j * ld, a[off + i * cols + j]);
            return s;
        }

        /** The inverse of {@link #colMajor}: a rows×cols block of column-major {@code s} into row-major {@code a}. */
        void rowMajor(MemorySegment s, int ld, int rows, int cols, double[] a, int off) {
            for (int i = 0; i < rows; i++) for (int j = 0; j < cols; j++) a[off + i * cols + j] = get(s, i + (long) j * ld);
        }

        /** Workspace size a query ({@code lwork = -1}) left in {@code work[0]}. */
        int workSize(MemorySegment work) {
            return Math.max(1, (int) Math.ceil(get(work, 0)));
        }

        void close() {
            arena.close();
        }
    }

    private static int info(Mem m, MemorySegment info) {
        int v = info.get(JAVA_INT, 0);
        m.close();
        if (v < 0) throw new IllegalStateException("LAPACK rejected argument " + (-v) + " (a bug in callisto.linalg)");
        return v;
    }

    /** X = A⁻¹B, A n×n, B and X n×k (gesv). */
    static int solve(boolean single, int n, int k, double[] a, int aOff, double[] b, int bOff, double[] x, int xOff) {
        Mem m = new Mem(single);
        int ld = Math.max(1, n);
        MemorySegment sa = m.colMajor(a, aOff, n, n, ld), sb = m.colMajor(b, bOff, n, k, ld), info = m.ints(0);
        call(single, "gesv", m.ints(n), m.ints(k), sa, m.ints(ld), m.arena.allocate(JAVA_INT, ld), sb, m.ints(ld), info);
        m.rowMajor(sb, ld, n, k, x, xOff);
        return info(m, info);
    }

    /**
     * Triangular solve (trtrs): {@code left} X = A⁻¹B with B n×k; else X = BA⁻¹ with B k×n, solved as
     * Aᵀ Xᵀ = Bᵀ, whose column-major Bᵀ is row-major B's memory.
     */
    static int solveTriangular(boolean single, boolean upper, boolean left, boolean unit, int n, int k,
                               double[] a, int aOff, double[] b, int bOff, double[] x, int xOff) {
        Mem m = new Mem(single);
        int ld = Math.max(1, n);
        MemorySegment sa = m.colMajor(a, aOff, n, n, ld), info = m.ints(0);
        MemorySegment sb;
        if (left) {
            sb = m.colMajor(b, bOff, n, k, ld);
        } else { // row-major k×n B is column-major n×k Bᵀ as it lies
            sb = m.reals((long) n * k);
            for (int i = 0; i < n * k; i++) m.set(sb, i, b[bOff + i]);
        }
        call(single, "trtrs", m.chars(upper ? 'U' : 'L'), m.chars(left ? 'N' : 'T'), m.chars(unit ? 'U' : 'N'),
                m.ints(n), m.ints(k), sa, m.ints(ld), sb, m.ints(ld), info, 1L, 1L, 1L);
        if (left) m.rowMajor(sb, ld, n, k, x, xOff);
        else for (int i = 0; i < n * k; i++) x[xOff + i] = m.get(sb, i);
        return info(m, info);
    }

    /** Lower Cholesky factor (potrf) of the lower triangle of A into {@code l} (upper part zero). */
    static int cholesky(boolean single, int n, double[] a, int aOff, double[] l, int lOff) {
        Mem m = new Mem(single);
        int ld = Math.max(1, n);
        MemorySegment sa = m.colMajor(a, aOff, n, n, ld), info = m.ints(0);
        call(single, "potrf", m.chars('L'), m.ints(n), sa, m.ints(ld), info, 1L);
        m.rowMajor(sa, ld, n, n, l, lOff);
        for (int i = 0; i < n; i++) for (int j = i + 1; j < n; j++) l[lOff + i * n + j] = 0;
        return info(m, info);
    }

    /** Reduced QR (geqrf, orgqr): Q m×k and R k×n, k = min(m, n). */
    static void qr(boolean single, int rows, int cols, double[] a, int aOff, double[] q, int qOff, double[] r, int rOff) {
        Mem m = new Mem(single);
        int ld = Math.max(1, rows), k = Math.min(rows, cols);
        MemorySegment sa = m.colMajor(a, aOff, rows, cols, ld), tau = m.reals(k), info = m.ints(0), query = m.reals(1);
        call(single, "geqrf", m.ints(rows), m.ints(cols), sa, m.ints(ld), tau, query, m.ints(-1), info);
        int lwork = m.workSize(query);
        call(single, "geqrf", m.ints(rows), m.ints(cols), sa, m.ints(ld), tau, m.reals(lwork), m.ints(lwork), info);
        for (int i = 0; i < k; i++) for (int j = 0; j < cols; j++) r[rOff + i * cols + j] = j < i ? 0 : m.get(sa, i + (long) j * ld);
        if (k > 0) {
            call(single, "orgqr", m.ints(rows), m.ints(k), m.ints(k), sa, m.ints(ld), tau, query, m.ints(-1), info);
            lwork = m.workSize(query);
            call(single, "orgqr", m.ints(rows), m.ints(k), m.ints(k), sa, m.ints(ld), tau, m.reals(lwork), m.ints(lwork), info);
        }
        m.rowMajor(sa, ld, rows, k, q, qOff);
        info(m, info);
    }

    /** Eigenvalues ascending into {@code w}, eigenvectors as columns of {@code v}, of A's lower triangle (syevd). */
    static int eigh(boolean single, int n, double[] a, int aOff, double[] w, int wOff, double[] v, int vOff) {
        Mem m = new Mem(single);
        int ld = Math.max(1, n);
        MemorySegment sa = m.colMajor(a, aOff, n, n, ld), sw = m.reals(n), info = m.ints(0);
        MemorySegment query = m.reals(1), iquery = m.ints(0);
        call(single, "syevd", m.chars('V'), m.chars('L'), m.ints(n), sa, m.ints(ld), sw, query, m.ints(-1),
                iquery, m.ints(-1), info, 1L, 1L);
        int lwork = m.workSize(query), liwork = Math.max(1, iquery.get(JAVA_INT, 0));
        call(single, "syevd", m.chars('V'), m.chars('L'), m.ints(n), sa, m.ints(ld), sw, m.reals(lwork), m.ints(lwork),
                m.arena.allocate(JAVA_INT, liwork), m.ints(liwork), info, 1L, 1L);
        for (int i = 0; i < n; i++) w[wOff + i] = m.get(sw, i);
        m.rowMajor(sa, ld, n, n, v, vOff);
        return info(m, info);
    }

    /** Reduced SVD (gesdd): U m×k, s (k, descending), Vh k×n. */
    static int svd(boolean single, int rows, int cols, double[] a, int aOff, double[] u, int uOff, double[] s, int sOff,
                   double[] vh, int vhOff) {
        Mem m = new Mem(single);
        int k = Math.min(rows, cols), ld = Math.max(1, rows), ldvt = Math.max(1, k);
        MemorySegment sa = m.colMajor(a, aOff, rows, cols, ld), ss = m.reals(k), su = m.reals((long) ld * k);
        MemorySegment svt = m.reals((long) ldvt * cols), info = m.ints(0), query = m.reals(1);
        MemorySegment iwork = m.arena.allocate(JAVA_INT, Math.max(1, 8L * k));
        call(single, "gesdd", m.chars('S'), m.ints(rows), m.ints(cols), sa, m.ints(ld), ss, su, m.ints(ld), svt,
                m.ints(ldvt), query, m.ints(-1), iwork, info, 1L);
        int lwork = m.workSize(query);
        call(single, "gesdd", m.chars('S'), m.ints(rows), m.ints(cols), sa, m.ints(ld), ss, su, m.ints(ld), svt,
                m.ints(ldvt), m.reals(lwork), m.ints(lwork), iwork, info, 1L);
        for (int i = 0; i < k; i++) s[sOff + i] = m.get(ss, i);
        m.rowMajor(su, ld, rows, k, u, uOff);
        m.rowMajor(svt, ldvt, k, cols, vh, vhOff);
        return info(m, info);
    }

    /** Minimum-norm least squares X (n×k) of A (m×n) X ≈ B (m×k), singular values below rcond·s₁ dropped (gelsd). */
    static int lstsq(boolean single, int rows, int cols, int k, double[] a, int aOff, double[] b, int bOff,
                     double[] x, int xOff, double rcond) {
        Mem m = new Mem(single);
        int lda = Math.max(1, rows), ldb = Math.max(1, Math.max(rows, cols));
        MemorySegment sa = m.colMajor(a, aOff, rows, cols, lda), sb = m.reals((long) ldb * k);
        for (int i = 0; i < rows; i++) for (int j = 0; j < k; j++) m.set(sb, i + (long) j * ldb, b[bOff + i * k + j]);
        MemorySegment ss = m.reals(Math.min(rows, cols)), rc = m.reals(1), rank = m.ints(0), info = m.ints(0);
        m.set(rc, 0, rcond);
        MemorySegment query = m.reals(1), iquery = m.ints(0);
        call(single, "gelsd", m.ints(rows), m.ints(cols), m.ints(k), sa, m.ints(lda), sb, m.ints(ldb), ss, rc, rank,
                query, m.ints(-1), iquery, info);
        int lwork = m.workSize(query), liwork = Math.max(1, iquery.get(JAVA_INT, 0));
        call(single, "gelsd", m.ints(rows), m.ints(cols), m.ints(k), sa, m.ints(lda), sb, m.ints(ldb), ss, rc, rank,
                m.reals(lwork), m.ints(lwork), m.arena.allocate(JAVA_INT, liwork), info);
        m.rowMajor(sb, ldb, cols, k, x, xOff);
        return info(m, info);
    }

    /**
     * LU (getrf) of A, summarised as {@code out = {det, sign, log|det|}}; a zero pivot gives {0, 0, -inf}.
     */
    static void det(boolean single, int n, double[] a, int aOff, double[] out) {
        Mem m = new Mem(single);
        int ld = Math.max(1, n);
        MemorySegment sa = m.colMajor(a, aOff, n, n, ld), piv = m.arena.allocate(JAVA_INT, ld), info = m.ints(0);
        call(single, "getrf", m.ints(n), m.ints(n), sa, m.ints(ld), piv, info);
        double det = 1, sign = 1, log = 0;
        for (int i = 0; i < n; i++) {
            double u = m.get(sa, i + (long) i * ld);
            if (piv.getAtIndex(JAVA_INT, i) != i + 1) sign = -sign;
            det *= u;
            if (u < 0) sign = -sign;
            log += Math.log(Math.abs(u));
        }
        if (info(m, info) > 0) {
            out[0] = 0;
            out[1] = 0;
            out[2] = Double.NEGATIVE_INFINITY;
        } else {
            out[0] = sign * Math.abs(det);
            out[1] = sign;
            out[2] = log;
        }
    }
}
