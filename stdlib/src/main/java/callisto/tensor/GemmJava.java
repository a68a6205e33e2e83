package callisto.tensor;

import callisto.runtime.Cancellation;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The pure-Java GEMM behind {@link Gemm}: Goto/BLIS blocking with a Vector API micro-kernel.
 *
 * <p>Loops, outer to inner: columns of C in blocks of NC; k in blocks of KC, packing op(B)[KC×NC] into strips of
 * NR columns (the panel, 256 KiB, stays in L2); rows in blocks of MC, packing op(A)[MC×KC] into strips of MR rows;
 * then, for each A strip (in L1), one MR×NR micro-kernel per B strip, walking C along its rows (which the
 * hardware prefetcher follows; walking down C's columns instead measured ~20% slower at n = 1024). Packing makes
 * all four transpose cases and every tail the same problem: tails are zero-padded, computed in full into a
 * scratch tile and only the valid part is merged into C. The first k block overwrites C unless accumulating, so
 * garbage (NaN) in C is never read.
 *
 * <p>Work of at least {@link #PARALLEL_MIN_WORK} (m·n·k) is split over the longer of m and n between the calling
 * thread and a small fixed pool of daemon threads, which block (no spinning) when idle. Both parts stop at the
 * next KC block when the cell is interrupted ({@link Cancellation}).
 */
final class GemmJava {
    // Species must be static final: a non-constant species makes the Vector API box every vector (~20x slower).
    private static final VectorSpecies<Float> FS = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Double> DS = DoubleVector.SPECIES_PREFERRED;
    private static final int FL = FS.length(), DL = DS.length();
    // MR×NR = 4 × 2 vectors: C2 issues all of an iteration's loads first, so MR broadcasts + 2 B vectors +
    // 2·MR accumulators must fit in 16 registers; 6×16 spilled an accumulator to the stack (half speed).
    private static final int MR = 4;
    private static final int F_NR = 2 * FL, F_KC = 256, F_MC = 96, F_NC = 256;
    private static final int D_NR = 2 * DL, D_KC = 256, D_MC = 96, D_NC = 128;
    /** Below this m·n·k a second thread costs more (wake-up and join, tens of µs) than it saves; measured. */
    static final long PARALLEL_MIN_WORK = 1L << 21;
    /** Threads of the Java backend: {@code callisto.blas.threads}, default all available processors. */
    static final int THREADS = Math.max(1, Integer.getInteger("callisto.blas.threads",
            Runtime.getRuntime().availableProcessors()));

    private GemmJava() {
    }

    static String species() {
        return FS + ", " + DS;
    }

    /** Per-thread packing buffers, grown on demand; a gemm call allocates nothing once they are large enough. */
    private static final class FBuf {
        float[] a = new float[0], b = new float[0];
        final float[] tile = new float[MR * F_NR];
    }

    private static final class DBuf {
        double[] a = new double[0], b = new double[0];
        final double[] tile = new double[MR * D_NR];
    }

    private static final ThreadLocal<FBuf> F_BUF = ThreadLocal.withInitial(FBuf::new);
    private static final ThreadLocal<DBuf> D_BUF = ThreadLocal.withInitial(DBuf::new);

    /** Set by the calling thread when its part was interrupted, so the pool's parts stop too. */
    private static final class Stop {
        volatile boolean requested;
    }

    /** Stops the current part: the caller's part polls the cell's token, a pool part the caller's flag. */
    private static boolean stopped(Stop stop) {
        if (stop == null) {
            Cancellation.check();
            return false;
        }
        return stop.requested;
    }

    private static final class Pool {
        static final ExecutorService EXEC = Executors.newFixedThreadPool(THREADS - 1, new java.util.concurrent.ThreadFactory() {
            final AtomicInteger count = new AtomicInteger();

            @Override
            public Thread newThread(Runnable r) {
                // Started from some cell's thread: drop the cancellation token it would inherit.
                Thread t = new Thread(() -> {
                    Cancellation.bind(null);
                    r.run();
                }, "callisto-gemm-" + count.incrementAndGet());
                t.setDaemon(true);
                return t;
            }
        });
    }

    /** A part of the split product: rows [i0, i0+mi) and columns [j0, j0+nj) of C. */
    @FunctionalInterface
    private interface Part {
        void run(int i0, int mi, int j0, int nj, Stop stop);
    }

    /**
     * Runs {@code part} over {@code t} pieces of the longer side of C: t-1 on the pool, one here. Interrupts stop
     * every piece; the first failure is rethrown after all pieces have ended (none may still write C).
     */
    private static void split(int m, int n, int t, int nr, Part part) {
        boolean byRows = m >= n;
        int len = byRows ? m : n, align = byRows ? MR : nr;
        int step = ceilDiv(ceilDiv(len, t), align) * align;
        Stop stop = new Stop();
        var futures = new java.util.ArrayList<Future<?>>(t);
        for (int s = step; s < len; s += step) {
            int o = s, w = Math.min(step, len - s);
            futures.add(Pool.EXEC.submit(() -> {
                if (byRows) part.run(o, w, 0, n, stop);
                else part.run(0, m, o, w, stop);
            }));
        }
        Throwable failure = null;
        try {
            if (byRows) part.run(0, Math.min(step, m), 0, n, null);
            else part.run(0, m, 0, Math.min(step, n), null);
        } catch (Throwable e) {
            stop.requested = true;
            failure = e;
        }
        boolean interrupted = false;
        for (Future<?> f : futures) {
            while (true) {
                try {
                    f.get();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true; // keep waiting: the piece still writes C
                    stop.requested = true;
                } catch (ExecutionException e) {
                    if (failure == null) failure = e.getCause();
                    break;
                }
            }
        }
        if (interrupted) Thread.currentThread().interrupt();
        if (failure instanceof RuntimeException r) throw r;
        if (failure instanceof Error e) throw e;
        if (interrupted) Cancellation.check();
    }

    private static int threadsFor(int m, int n, int k) {
        long work = (long) m * n * k;
        if (THREADS == 1 || work < PARALLEL_MIN_WORK) return 1;
        return (int) Math.min(THREADS, work / (PARALLEL_MIN_WORK / 2));
    }

    private static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }

    // ---------------------------------------------------------------- float32

    static void sgemm(boolean ta, boolean tb, int m, int n, int k, float[] a, int aOff, int lda,
                      float[] b, int bOff, int ldb, float[] c, int cOff, int ldc, boolean acc) {
        int t = threadsFor(m, n, k);
        if (t == 1) {
            sgemmSerial(ta, tb, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, acc, null);
            return;
        }
        split(m, n, t, F_NR, (i0, mi, j0, nj, stop) -> sgemmSerial(ta, tb, mi, nj, k,
                a, aOff + (ta ? i0 : i0 * lda), lda, b, bOff + (tb ? j0 * ldb : j0), ldb,
                c, cOff + i0 * ldc + j0, ldc, acc, stop));
    }

    private static void sgemmSerial(boolean ta, boolean tb, int m, int n, int k, float[] a, int aOff, int lda,
                                    float[] b, int bOff, int ldb, float[] c, int cOff, int ldc, boolean acc,
                                    Stop stop) {
        FBuf buf = F_BUF.get();
        for (int jc = 0; jc < n; jc += F_NC) {
            int nc = Math.min(F_NC, n - jc);
            for (int pc = 0; pc < k; pc += F_KC) {
                if (stopped(stop)) return;
                int kc = Math.min(F_KC, k - pc);
                int bSize = ceilDiv(nc, F_NR) * F_NR * kc;
                if (buf.b.length < bSize) buf.b = new float[bSize];
                float[] bp = buf.b;
                packB(tb, b, bOff, ldb, pc, kc, jc, nc, bp);
                boolean add = acc || pc > 0;
                for (int ic = 0; ic < m; ic += F_MC) {
                    int mc = Math.min(F_MC, m - ic);
                    int aSize = ceilDiv(mc, MR) * MR * kc;
                    if (buf.a.length < aSize) buf.a = new float[aSize];
                    float[] ap = buf.a;
                    packA(ta, a, aOff, lda, ic, mc, pc, kc, ap);
                    for (int ir = 0; ir < mc; ir += MR) {
                        int h = Math.min(MR, mc - ir);
                        for (int jr = 0; jr < nc; jr += F_NR) {
                            int w = Math.min(F_NR, nc - jr);
                            int bo = jr * kc;
                            int ci = cOff + (ic + ir) * ldc + jc + jr;
                            if (h == MR && w == F_NR) {
                                kernel(kc, ap, ir * kc, bp, bo, c, ci, ldc, add);
                            } else {
                                float[] tile = buf.tile;
                                kernel(kc, ap, ir * kc, bp, bo, tile, 0, F_NR, false);
                                for (int i = 0; i < h; i++) {
                                    for (int j = 0; j < w; j++) {
                                        int x = ci + i * ldc + j;
                                        c[x] = add ? c[x] + tile[i * F_NR + j] : tile[i * F_NR + j];
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /** Packs op(B)[pc:pc+kc, jc:jc+nc] as strips of F_NR columns, row p of a strip at p·F_NR, zero-padded. */
    private static void packB(boolean tb, float[] b, int bOff, int ldb, int pc, int kc, int jc, int nc, float[] bp) {
        for (int jr = 0, d = 0; jr < nc; jr += F_NR, d += kc * F_NR) {
            int w = Math.min(F_NR, nc - jr);
            if (!tb && w == F_NR) {
                for (int p = 0, s = bOff + pc * ldb + jc + jr; p < kc; p++, s += ldb) {
                    FloatVector.fromArray(FS, b, s).intoArray(bp, d + p * F_NR);
                    FloatVector.fromArray(FS, b, s + FL).intoArray(bp, d + p * F_NR + FL);
                }
            } else if (!tb) {
                for (int p = 0, s = bOff + pc * ldb + jc + jr; p < kc; p++, s += ldb) {
                    int o = d + p * F_NR;
                    for (int j = 0; j < w; j++) bp[o + j] = b[s + j];
                    for (int j = w; j < F_NR; j++) bp[o + j] = 0;
                }
            } else {
                for (int j = 0; j < F_NR; j++) {
                    if (j < w) {
                        for (int p = 0, s = bOff + (jc + jr + j) * ldb + pc; p < kc; p++) bp[d + p * F_NR + j] = b[s + p];
                    } else {
                        for (int p = 0; p < kc; p++) bp[d + p * F_NR + j] = 0;
                    }
                }
            }
        }
    }

    /** Packs op(A)[ic:ic+mc, pc:pc+kc] as strips of MR rows, column p of a strip at p·MR, zero-padded. */
    private static void packA(boolean ta, float[] a, int aOff, int lda, int ic, int mc, int pc, int kc, float[] ap) {
        for (int ir = 0, d = 0; ir < mc; ir += MR, d += kc * MR) {
            int h = Math.min(MR, mc - ir);
            if (ta) {
                for (int p = 0, s = aOff + pc * lda + ic + ir; p < kc; p++, s += lda) {
                    int o = d + p * MR;
                    for (int i = 0; i < h; i++) ap[o + i] = a[s + i];
                    for (int i = h; i < MR; i++) ap[o + i] = 0;
                }
            } else {
                for (int i = 0; i < MR; i++) {
                    if (i < h) {
                        for (int p = 0, s = aOff + (ic + ir + i) * lda + pc; p < kc; p++) ap[d + p * MR + i] = a[s + p];
                    } else {
                        for (int p = 0; p < kc; p++) ap[d + p * MR + i] = 0;
                    }
                }
            }
        }
    }

    /** C[6×F_NR] (+)= A strip · B strip over kc; all 12 accumulators live in registers. */
    private static void kernel(int kc, float[] ap, int ao, float[] bp, int bo, float[] c, int ci, int ldc, boolean add) {
        FloatVector c00 = FloatVector.zero(FS), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00;
        FloatVector c30 = c00, c31 = c00;
        for (int p = 0; p < kc; p++, ao += MR, bo += F_NR) {
            FloatVector b0 = FloatVector.fromArray(FS, bp, bo), b1 = FloatVector.fromArray(FS, bp, bo + FL);
            FloatVector x = FloatVector.broadcast(FS, ap[ao]);
            c00 = x.fma(b0, c00);
            c01 = x.fma(b1, c01);
            x = FloatVector.broadcast(FS, ap[ao + 1]);
            c10 = x.fma(b0, c10);
            c11 = x.fma(b1, c11);
            x = FloatVector.broadcast(FS, ap[ao + 2]);
            c20 = x.fma(b0, c20);
            c21 = x.fma(b1, c21);
            x = FloatVector.broadcast(FS, ap[ao + 3]);
            c30 = x.fma(b0, c30);
            c31 = x.fma(b1, c31);
        }
        store(c, ci, c00, c01, add);
        store(c, ci + ldc, c10, c11, add);
        store(c, ci + 2 * ldc, c20, c21, add);
        store(c, ci + 3 * ldc, c30, c31, add);
    }

    private static void store(float[] c, int i, FloatVector v0, FloatVector v1, boolean add) {
        if (add) {
            v0 = v0.add(FloatVector.fromArray(FS, c, i));
            v1 = v1.add(FloatVector.fromArray(FS, c, i + FL));
        }
        v0.intoArray(c, i);
        v1.intoArray(c, i + FL);
    }

    // ---------------------------------------------------------------- float64: the same algorithm, DoubleVector

    static void dgemm(boolean ta, boolean tb, int m, int n, int k, double[] a, int aOff, int lda,
                      double[] b, int bOff, int ldb, double[] c, int cOff, int ldc, boolean acc) {
        int t = threadsFor(m, n, k);
        if (t == 1) {
            dgemmSerial(ta, tb, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, acc, null);
            return;
        }
        split(m, n, t, D_NR, (i0, mi, j0, nj, stop) -> dgemmSerial(ta, tb, mi, nj, k,
                a, aOff + (ta ? i0 : i0 * lda), lda, b, bOff + (tb ? j0 * ldb : j0), ldb,
                c, cOff + i0 * ldc + j0, ldc, acc, stop));
    }

    private static void dgemmSerial(boolean ta, boolean tb, int m, int n, int k, double[] a, int aOff, int lda,
                                    double[] b, int bOff, int ldb, double[] c, int cOff, int ldc, boolean acc,
                                    Stop stop) {
        DBuf buf = D_BUF.get();
        for (int jc = 0; jc < n; jc += D_NC) {
            int nc = Math.min(D_NC, n - jc);
            for (int pc = 0; pc < k; pc += D_KC) {
                if (stopped(stop)) return;
                int kc = Math.min(D_KC, k - pc);
                int bSize = ceilDiv(nc, D_NR) * D_NR * kc;
                if (buf.b.length < bSize) buf.b = new double[bSize];
                double[] bp = buf.b;
                packB(tb, b, bOff, ldb, pc, kc, jc, nc, bp);
                boolean add = acc || pc > 0;
                for (int ic = 0; ic < m; ic += D_MC) {
                    int mc = Math.min(D_MC, m - ic);
                    int aSize = ceilDiv(mc, MR) * MR * kc;
                    if (buf.a.length < aSize) buf.a = new double[aSize];
                    double[] ap = buf.a;
                    packA(ta, a, aOff, lda, ic, mc, pc, kc, ap);
                    for (int ir = 0; ir < mc; ir += MR) {
                        int h = Math.min(MR, mc - ir);
                        for (int jr = 0; jr < nc; jr += D_NR) {
                            int w = Math.min(D_NR, nc - jr);
                            int bo = jr * kc;
                            int ci = cOff + (ic + ir) * ldc + jc + jr;
                            if (h == MR && w == D_NR) {
                                kernel(kc, ap, ir * kc, bp, bo, c, ci, ldc, add);
                            } else {
                                double[] tile = buf.tile;
                                kernel(kc, ap, ir * kc, bp, bo, tile, 0, D_NR, false);
                                for (int i = 0; i < h; i++) {
                                    for (int j = 0; j < w; j++) {
                                        int x = ci + i * ldc + j;
                                        c[x] = add ? c[x] + tile[i * D_NR + j] : tile[i * D_NR + j];
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    private static void packB(boolean tb, double[] b, int bOff, int ldb, int pc, int kc, int jc, int nc, double[] bp) {
        for (int jr = 0, d = 0; jr < nc; jr += D_NR, d += kc * D_NR) {
            int w = Math.min(D_NR, nc - jr);
            if (!tb && w == D_NR) {
                for (int p = 0, s = bOff + pc * ldb + jc + jr; p < kc; p++, s += ldb) {
                    DoubleVector.fromArray(DS, b, s).intoArray(bp, d + p * D_NR);
                    DoubleVector.fromArray(DS, b, s + DL).intoArray(bp, d + p * D_NR + DL);
                }
            } else if (!tb) {
                for (int p = 0, s = bOff + pc * ldb + jc + jr; p < kc; p++, s += ldb) {
                    int o = d + p * D_NR;
                    for (int j = 0; j < w; j++) bp[o + j] = b[s + j];
                    for (int j = w; j < D_NR; j++) bp[o + j] = 0;
                }
            } else {
                for (int j = 0; j < D_NR; j++) {
                    if (j < w) {
                        for (int p = 0, s = bOff + (jc + jr + j) * ldb + pc; p < kc; p++) bp[d + p * D_NR + j] = b[s + p];
                    } else {
                        for (int p = 0; p < kc; p++) bp[d + p * D_NR + j] = 0;
                    }
                }
            }
        }
    }

    private static void packA(boolean ta, double[] a, int aOff, int lda, int ic, int mc, int pc, int kc, double[] ap) {
        for (int ir = 0, d = 0; ir < mc; ir += MR, d += kc * MR) {
            int h = Math.min(MR, mc - ir);
            if (ta) {
                for (int p = 0, s = aOff + pc * lda + ic + ir; p < kc; p++, s += lda) {
                    int o = d + p * MR;
                    for (int i = 0; i < h; i++) ap[o + i] = a[s + i];
                    for (int i = h; i < MR; i++) ap[o + i] = 0;
                }
            } else {
                for (int i = 0; i < MR; i++) {
                    if (i < h) {
                        for (int p = 0, s = aOff + (ic + ir + i) * lda + pc; p < kc; p++) ap[d + p * MR + i] = a[s + p];
                    } else {
                        for (int p = 0; p < kc; p++) ap[d + p * MR + i] = 0;
                    }
                }
            }
        }
    }

    private static void kernel(int kc, double[] ap, int ao, double[] bp, int bo, double[] c, int ci, int ldc, boolean add) {
        DoubleVector c00 = DoubleVector.zero(DS), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00;
        DoubleVector c30 = c00, c31 = c00;
        for (int p = 0; p < kc; p++, ao += MR, bo += D_NR) {
            DoubleVector b0 = DoubleVector.fromArray(DS, bp, bo), b1 = DoubleVector.fromArray(DS, bp, bo + DL);
            DoubleVector x = DoubleVector.broadcast(DS, ap[ao]);
            c00 = x.fma(b0, c00);
            c01 = x.fma(b1, c01);
            x = DoubleVector.broadcast(DS, ap[ao + 1]);
            c10 = x.fma(b0, c10);
            c11 = x.fma(b1, c11);
            x = DoubleVector.broadcast(DS, ap[ao + 2]);
            c20 = x.fma(b0, c20);
            c21 = x.fma(b1, c21);
            x = DoubleVector.broadcast(DS, ap[ao + 3]);
            c30 = x.fma(b0, c30);
            c31 = x.fma(b1, c31);
        }
        store(c, ci, c00, c01, add);
        store(c, ci + ldc, c10, c11, add);
        store(c, ci + 2 * ldc, c20, c21, add);
        store(c, ci + 3 * ldc, c30, c31, add);
    }

    private static void store(double[] c, int i, DoubleVector v0, DoubleVector v1, boolean add) {
        if (add) {
            v0 = v0.add(DoubleVector.fromArray(DS, c, i));
            v1 = v1.add(DoubleVector.fromArray(DS, c, i + DL));
        }
        v0.intoArray(c, i);
        v1.intoArray(c, i + DL);
    }
}
