package callisto.fft;

import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntConsumer;
import java.util.stream.IntStream;
import org.jtransforms.fft.DoubleFFT_1D;
import org.jtransforms.fft.FloatFFT_1D;
import org.jtransforms.utils.CommonUtils;

/**
 * Batched 1-D transforms on plain arrays through JTransforms, unnormalized but for a {@code scale} applied in the
 * same pass. Complex values are interleaved (re, im) pairs.
 *
 * <p>Determinism: JTransforms would split one long transform over threads above a size threshold; both
 * thresholds are raised out of reach here, so every 1-D transform runs on one thread with one fixed sequence
 * of operations. Parallelism is over the batch instead: each row (or column) is transformed by exactly the same
 * code whichever thread takes it, and no value is reduced across rows, so the bits do not depend on scheduling
 * or on the number of cores.
 *
 * <p>Plans (twiddle tables) are cached per size; JTransforms writes a plan's fields only in its constructor, so
 * one plan serves all threads at once.
 */
final class Engine {
    private static final ConcurrentHashMap<Integer, DoubleFFT_1D> DOUBLE_PLANS = new ConcurrentHashMap<>();
    private static final ConcurrentHashMap<Integer, FloatFFT_1D> FLOAT_PLANS = new ConcurrentHashMap<>();
    /** Below this many values in all, one thread does the whole batch (forking would cost more). */
    private static final long PARALLEL_WORK = 1 << 15;

    static {
        CommonUtils.setThreadsBeginN_1D_FFT_2Threads(Long.MAX_VALUE);
        CommonUtils.setThreadsBeginN_1D_FFT_4Threads(Long.MAX_VALUE);
    }

    private Engine() {
    }

    static DoubleFFT_1D doublePlan(int n) {
        return DOUBLE_PLANS.computeIfAbsent(n, DoubleFFT_1D::new);
    }

    static FloatFFT_1D floatPlan(int n) {
        return FLOAT_PLANS.computeIfAbsent(n, FloatFFT_1D::new);
    }

    /**
     * Runs {@code chunkBody} over [0, tasks) in contiguous chunks, spread over the common pool when the batch is
     * large; a chunk gets its first and end index so that it allocates its scratch once.
     */
    private static void forChunks(int tasks, long work, ChunkBody chunkBody) {
        int threads = Runtime.getRuntime().availableProcessors();
        if (tasks < 2 || work < PARALLEL_WORK || threads < 2) {
            chunkBody.run(0, tasks);
            return;
        }
        int chunks = Math.min(tasks, threads * 4);
        IntConsumer chunk = c -> chunkBody.run((int) ((long) tasks * c / chunks), (int) ((long) tasks * (c + 1) / chunks));
        IntStream.range(0, chunks).parallel().forEach(chunk);
    }

    @FunctionalInterface
    private interface ChunkBody {
        void run(int from, int to);
    }

    // ---- complex along an axis: the array is [outer, n, inner, 2], transformed in place

    static void complex(double[] a, int outer, int n, int inner, boolean inverse, double scale) {
        DoubleFFT_1D plan = doublePlan(n);
        if (inner == 1) {
            forChunks(outer, (long) outer * n, (from, to) -> {
                for (int r = from; r < to; r++) {
                    int o = 2 * r * n;
                    if (inverse) plan.complexInverse(a, o, false);
                    else plan.complexForward(a, o);
                    if (scale != 1) for (int k = o; k < o + 2 * n; k++) a[k] *= scale;
                }
            });
            return;
        }
        int stride = 2 * inner;
        forChunks(outer * inner, (long) outer * inner * n, (from, to) -> {
            double[] buf = new double[2 * n];
            for (int c = from; c < to; c++) {
                int base = 2 * ((c / inner) * n * inner + c % inner);
                for (int k = 0, p = base; k < n; k++, p += stride) {
                    buf[2 * k] = a[p];
                    buf[2 * k + 1] = a[p + 1];
                }
                if (inverse) plan.complexInverse(buf, 0, false);
                else plan.complexForward(buf, 0);
                for (int k = 0, p = base; k < n; k++, p += stride) {
                    a[p] = buf[2 * k] * scale;
                    a[p + 1] = buf[2 * k + 1] * scale;
                }
            }
        });
    }

    static void complex(float[] a, int outer, int n, int inner, boolean inverse, double scale) {
        FloatFFT_1D plan = floatPlan(n);
        float s = (float) scale;
        if (inner == 1) {
            forChunks(outer, (long) outer * n, (from, to) -> {
                for (int r = from; r < to; r++) {
                    int o = 2 * r * n;
                    if (inverse) plan.complexInverse(a, o, false);
                    else plan.complexForward(a, o);
                    if (s != 1) for (int k = o; k < o + 2 * n; k++) a[k] *= s;
                }
            });
            return;
        }
        int stride = 2 * inner;
        forChunks(outer * inner, (long) outer * inner * n, (from, to) -> {
            float[] buf = new float[2 * n];
            for (int c = from; c < to; c++) {
                int base = 2 * ((c / inner) * n * inner + c % inner);
                for (int k = 0, p = base; k < n; k++, p += stride) {
                    buf[2 * k] = a[p];
                    buf[2 * k + 1] = a[p + 1];
                }
                if (inverse) plan.complexInverse(buf, 0, false);
                else plan.complexForward(buf, 0);
                for (int k = 0, p = base; k < n; k++, p += stride) {
                    a[p] = buf[2 * k] * s;
                    a[p + 1] = buf[2 * k + 1] * s;
                }
            }
        });
    }

    // ---- real to half spectrum and back, along the last axis
    //
    // JTransforms' realForward packs the n/2+1 bins into n values: a[2k], a[2k+1] = re, im of bin k for
    // 0 < k < ceil(n/2), a[0] = re of bin 0 and a[1] = re of the Nyquist bin (n even) or im of the last bin
    // (n odd; its re is a[n-1]). Apart from slot 1, that is the half spectrum's own layout, so a row is
    // transformed in the output's place and only slot 1 moves. realInverse reads the same packing, so the
    // imaginary parts of DC (and Nyquist, n even) are dropped, as in numpy's irfft.

    /** rfft of {@code rows} real rows of length n: [rows, n] to [rows, n/2+1, 2]. */
    static double[] rfft(double[] x, int rows, int n, double scale) {
        int h = 2 * (n / 2 + 1);
        double[] out = new double[rows * h];
        DoubleFFT_1D plan = n > 1 ? doublePlan(n) : null;
        forChunks(rows, (long) rows * n, (from, to) -> {
            for (int r = from; r < to; r++) {
                int o = r * h;
                System.arraycopy(x, r * n, out, o, n);
                if (plan != null) plan.realForward(out, o);
                double packed = out[o + 1];
                out[o + 1] = 0;
                out[o + n] = packed; // n even: re of Nyquist, whose im (slot n+1) stays 0; n odd: im of the last bin
                if (scale != 1) for (int k = o; k < o + h; k++) out[k] *= scale;
            }
        });
        return out;
    }

    static float[] rfft(float[] x, int rows, int n, double scale) {
        int h = 2 * (n / 2 + 1);
        float s = (float) scale;
        float[] out = new float[rows * h];
        FloatFFT_1D plan = n > 1 ? floatPlan(n) : null;
        forChunks(rows, (long) rows * n, (from, to) -> {
            for (int r = from; r < to; r++) {
                int o = r * h;
                System.arraycopy(x, r * n, out, o, n);
                if (plan != null) plan.realForward(out, o);
                float packed = out[o + 1];
                out[o + 1] = 0;
                out[o + n] = packed;
                if (s != 1) for (int k = o; k < o + h; k++) out[k] *= s;
            }
        });
        return out;
    }

    /**
     * irfft of {@code rows} half spectra of n/2+1 bins to real rows of length n: the exact inverse of rfft (1/n)
     * times {@code relative}. Unlike its other transforms, JTransforms' unscaled realInverse is off by 2 for
     * powers of two (its split-radix path), so the 1/n is left to it and only the rest applied here.
     */
    static double[] irfft(double[] z, int rows, int n, double relative) {
        int h = 2 * (n / 2 + 1);
        double[] out = new double[rows * n];
        DoubleFFT_1D plan = n > 1 ? doublePlan(n) : null;
        forChunks(rows, (long) rows * n, (from, to) -> {
            for (int r = from; r < to; r++) {
                int o = r * n, i = r * h;
                System.arraycopy(z, i, out, o, n);
                if (plan != null) {
                    out[o + 1] = z[i + n];
                    plan.realInverse(out, o, true);
                }
                if (relative != 1) for (int k = o; k < o + n; k++) out[k] *= relative;
            }
        });
        return out;
    }

    static float[] irfft(float[] z, int rows, int n, double relative) {
        int h = 2 * (n / 2 + 1);
        float s = (float) relative;
        float[] out = new float[rows * n];
        FloatFFT_1D plan = n > 1 ? floatPlan(n) : null;
        forChunks(rows, (long) rows * n, (from, to) -> {
            for (int r = from; r < to; r++) {
                int o = r * n, i = r * h;
                System.arraycopy(z, i, out, o, n);
                if (plan != null) {
                    out[o + 1] = z[i + n];
                    plan.realInverse(out, o, true);
                }
                if (s != 1) for (int k = o; k < o + n; k++) out[k] *= s;
            }
        });
        return out;
    }
}
