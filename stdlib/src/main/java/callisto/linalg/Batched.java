package callisto.linalg;

import callisto.runtime.Cancellation;
import callisto.tensor.DType;
import callisto.tensor.Tensor;
import java.util.Arrays;
import java.util.function.IntConsumer;

/**
 * The forward computations of {@link Linalg} on whole batches: copies the (broadcast, same-batch) operands out
 * once, runs one backend call per matrix, in batch order, and reports the first failing matrix by its batch
 * index. No autograd here; {@link Linalg} wraps these in custom functions.
 */
final class Batched {
    private Batched() {
    }

    /** One call per matrix in batch order: on the LAPACK thread for the native backend, else here. */
    private static void forEach(boolean nat, int count, long work, IntConsumer body) {
        if (nat) {
            LapackThread.forEach(count, work, body);
            return;
        }
        for (int i = 0; i < count; i++) {
            Cancellation.check();
            body.accept(i);
        }
    }

    /** n³ for the largest side n of A's matrices: the work measure for threading. */
    private static long cube(Tensor a) {
        long n = Math.max(rows(a), cols(a));
        return n * n * n;
    }

    static int rows(Tensor t) {
        return t.size(-2);
    }

    static int cols(Tensor t) {
        return t.size(-1);
    }

    static int[] batchShape(Tensor t) {
        return Arrays.copyOf(t.shape(), t.dim() - 2);
    }

    static int batchCount(Tensor t) {
        int c = 1;
        for (int d : batchShape(t)) c *= d;
        return c;
    }

    static int[] withMatrix(int[] batch, int... tail) {
        int[] s = Arrays.copyOf(batch, batch.length + tail.length);
        System.arraycopy(tail, 0, s, batch.length, tail.length);
        return s;
    }

    static Tensor result(double[] values, DType dtype, int... shape) {
        return Tensor.of(values, shape).to(dtype);
    }

    private static boolean single(Tensor t) {
        return t.dtype() == DType.FLOAT32;
    }

    /** "the matrix at batch index [1, 2] of A [3, 4, 5, 5]" (or "A [5, 5]" when unbatched). */
    static String which(String arg, Tensor t, int b) {
        int[] batch = batchShape(t);
        String shape = Arrays.toString(t.shape());
        if (batch.length == 0) return arg + " " + shape;
        int[] index = new int[batch.length];
        for (int d = batch.length - 1, r = b; d >= 0; d--) {
            index[d] = r % batch[d];
            r /= batch[d];
        }
        return "the matrix at batch index " + Arrays.toString(index) + " of " + arg + " " + shape;
    }

    /** X = A⁻¹B; A [..., n, n], B [..., n, k] with the same batch shape. */
    static Tensor solve(String fn, String arg, Tensor a, Tensor b) {
        int n = rows(a), k = cols(b), count = batchCount(a);
        double[] av = a.toArray(), bv = b.toArray(), x = new double[count * n * k];
        boolean nat = Linalg.nativeFor(n, n, false), single = single(a);
        forEach(nat, count, cube(a), i -> {
            int info = nat ? NativeLapack.solve(single, n, k, av, i * n * n, bv, i * n * k, x, i * n * k)
                    : JavaLapack.solve(n, k, av, i * n * n, bv, i * n * k, x, i * n * k);
            if (info > 0) {
                throw new ArithmeticException(fn + ": " + which(arg, a, i) + " is singular (U[" + (info - 1) + ", "
                        + (info - 1) + "] = 0 in its LU factorisation); B has shape " + Arrays.toString(b.shape()));
            }
        });
        return result(x, a.dtype(), b.shape());
    }

    /** Triangular solve; left: B [..., n, k], else B [..., k, n]; same batch shape as A. */
    static Tensor solveTriangular(String fn, String arg, Tensor a, Tensor b, boolean upper, boolean left, boolean unit) {
        int n = rows(a), k = left ? cols(b) : rows(b), count = batchCount(a);
        double[] av = a.toArray(), bv = b.toArray(), x = new double[count * n * k];
        boolean nat = Linalg.nativeFor(n, n, false), single = single(a);
        forEach(nat, count, cube(a), i -> {
            int info = nat ? NativeLapack.solveTriangular(single, upper, left, unit, n, k, av, i * n * n, bv, i * n * k, x, i * n * k)
                    : JavaLapack.solveTriangular(upper, left, unit, n, k, av, i * n * n, bv, i * n * k, x, i * n * k);
            if (info > 0) {
                throw new ArithmeticException(fn + ": " + which(arg, a, i) + " is singular (its diagonal element "
                        + (info - 1) + " is 0); B has shape " + Arrays.toString(b.shape()));
            }
        });
        return result(x, a.dtype(), b.shape());
    }

    /** Lower Cholesky factors of the lower triangles of A [..., n, n]. */
    static Tensor cholesky(Tensor a) {
        int n = rows(a), count = batchCount(a);
        double[] av = a.toArray(), l = new double[count * n * n];
        boolean nat = Linalg.nativeFor(rows(a), cols(a), false), single = single(a);
        forEach(nat, count, cube(a), i -> {
            int info = nat ? NativeLapack.cholesky(single, n, av, i * n * n, l, i * n * n)
                    : JavaLapack.cholesky(n, av, i * n * n, l, i * n * n);
            if (info > 0) {
                throw new ArithmeticException("cholesky: " + which("A", a, i) + " is not positive definite: its leading minor of order "
                        + info + " is not positive");
            }
        });
        return result(l, a.dtype(), a.shape());
    }

    /** Reduced QR of A [..., m, n], packed per matrix as Q (m·k values) then R (k·n), k = min(m, n). */
    static Tensor qr(Tensor a) {
        int m = rows(a), n = cols(a), k = Math.min(m, n), count = batchCount(a), size = m * k + k * n;
        double[] av = a.toArray(), out = new double[count * size], q = new double[m * k], r = new double[k * n];
        boolean nat = Linalg.nativeFor(rows(a), cols(a), false), single = single(a);
        forEach(nat, count, cube(a), i -> {
            if (nat) NativeLapack.qr(single, m, n, av, i * m * n, q, 0, r, 0);
            else JavaLapack.qr(m, n, av, i * m * n, q, 0, r, 0);
            System.arraycopy(q, 0, out, i * size, m * k);
            System.arraycopy(r, 0, out, i * size + m * k, k * n);
        });
        return result(out, a.dtype(), withMatrix(batchShape(a), size));
    }

    /** Eigendecomposition of symmetric A [..., n, n] (lower triangle), packed as w (n) then V (n·n). */
    static Tensor eigh(Tensor a) {
        int n = rows(a), count = batchCount(a), size = n + n * n;
        double[] av = a.toArray(), out = new double[count * size];
        boolean nat = Linalg.nativeFor(rows(a), cols(a), true), single = single(a);
        forEach(nat, count, cube(a), i -> {
            int info = nat ? NativeLapack.eigh(single, n, av, i * n * n, out, i * size, out, i * size + n)
                    : JavaLapack.eigh(n, av, i * n * n, out, i * size, out, i * size + n);
            if (info > 0) throw new ArithmeticException("eigh: the algorithm did not converge for " + which("A", a, i));
        });
        return result(out, a.dtype(), withMatrix(batchShape(a), size));
    }

    /** Reduced SVD of A [..., m, n], packed as U (m·k), s (k), Vh (k·n). */
    static Tensor svd(Tensor a) {
        int m = rows(a), n = cols(a), k = Math.min(m, n), count = batchCount(a), size = m * k + k + k * n;
        double[] av = a.toArray(), out = new double[count * size];
        boolean nat = Linalg.nativeFor(rows(a), cols(a), true), single = single(a);
        forEach(nat, count, cube(a), i -> {
            int o = i * size;
            int info = nat ? NativeLapack.svd(single, m, n, av, i * m * n, out, o, out, o + m * k, out, o + m * k + k)
                    : JavaLapack.svd(m, n, av, i * m * n, out, o, out, o + m * k, out, o + m * k + k);
            if (info > 0) throw new ArithmeticException("svd: the algorithm did not converge for " + which("A", a, i));
        });
        return result(out, a.dtype(), withMatrix(batchShape(a), size));
    }

    /** The relative cutoff below which lstsq and pinv treat singular values as zero: eps · max(m, n). */
    static double rcond(Tensor a) {
        double eps = a.dtype() == DType.FLOAT32 ? Math.ulp(1f) : Math.ulp(1.0);
        return eps * Math.max(rows(a), cols(a));
    }

    /** Minimum-norm least squares X [..., n, k] of A [..., m, n], B [..., m, k] (same batch shape). */
    static Tensor lstsq(Tensor a, Tensor b) {
        int m = rows(a), n = cols(a), k = cols(b), count = batchCount(a);
        double[] av = a.toArray(), bv = b.toArray(), x = new double[count * n * k];
        boolean nat = Linalg.nativeFor(rows(a), cols(a), true), single = single(a);
        double rcond = rcond(a);
        forEach(nat, count, cube(a), i -> {
            int info = nat ? NativeLapack.lstsq(single, m, n, k, av, i * m * n, bv, i * m * k, x, i * n * k, rcond)
                    : JavaLapack.lstsq(m, n, k, av, i * m * n, bv, i * m * k, x, i * n * k, rcond);
            if (info > 0) throw new ArithmeticException("lstsq: the SVD did not converge for " + which("A", a, i));
        });
        return result(x, a.dtype(), withMatrix(batchShape(a), n, k));
    }

    /** Per matrix of A [..., n, n]: {det, sign, log|det|}, as three arrays over the batch. */
    static double[][] det(Tensor a) {
        int n = rows(a), count = batchCount(a);
        double[] av = a.toArray(), one = new double[3];
        double[][] out = new double[3][count];
        boolean nat = Linalg.nativeFor(rows(a), cols(a), false), single = single(a);
        forEach(nat, count, cube(a), i -> {
            if (nat) NativeLapack.det(single, n, av, i * n * n, one);
            else JavaLapack.det(n, av, i * n * n, one);
            for (int j = 0; j < 3; j++) out[j][i] = one[j];
        });
        return out;
    }
}
