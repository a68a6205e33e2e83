package callisto.linalg;

import callisto.tensor.CustomFunction;
import callisto.tensor.DType;
import callisto.tensor.Tensor;
import java.util.Arrays;
import java.util.List;

/**
 * Linear algebra with {@code torch.linalg}'s semantics: every function takes matrices in the last two dims and
 * batches over the leading ones (broadcasting them where two operands meet), keeps float32 or float64, and is
 * differentiable.
 *
 * <p><b>Backends.</b> LAPACK from OpenBLAS through the FFM API when {@code libopenblas.so.0} loads (the
 * {@code s}/{@code d} Fortran routines: gesv, trtrs, potrf, geqrf/orgqr, syevd, gesdd, gelsd, getrf), else a
 * pure-JVM implementation (LU with partial pivoting, substitution, Cholesky, Householder QR, tridiagonal QL
 * for {@link #eigh}, one-sided Jacobi for {@link #svd}; float32 is computed in double there and rounded). The system
 * property {@code callisto.linalg.native} ({@code auto}, default; {@code true}; {@code false}) picks the initial
 * backend and {@link #useNative} switches it; {@code auto} keeps small matrices in Java, where a downcall costs
 * more than the work ({@link #useAutomaticBackend}). The two agree to rounding where the result is unique; eigenvector
 * and singular vector signs may differ between them, as between LAPACK builds.
 *
 * <p><b>Gradients.</b> Each function is a {@link CustomFunction} whose backward is written in tensor operations
 * (matmul, transpose, {@link #solve}, {@link #solveTriangular}, {@link #inv}), so gradients differentiate again.
 * Rules: solve {@code gB = A⁻ᵀg, gA = −gB Xᵀ}; triangular solves likewise, restricted to the triangle read;
 * cholesky after Murray (2016); qr, eigh and svd as in PyTorch; det {@code g·det·A⁻ᵀ}; lstsq and pinv through
 * the derivative of the pseudo-inverse (Golub–Pereyra), valid where the rank does not change. {@link #cholesky}
 * and {@link #eigh} read only the lower triangle and return the symmetric gradient (as PyTorch), so check them on
 * symmetrised inputs. The eigh and svd gradients divide by differences of eigenvalues (squared singular values):
 * with repeated values they are infinite or NaN unless the loss does not depend on the choice of basis within
 * the degenerate subspace, and even then this implementation does not detect that case; svd's also divides by
 * the singular values when U or Vh is not square. {@link #det}'s gradient needs an invertible matrix.
 *
 * <p><b>Errors.</b> A shape that does not fit ({@code IllegalArgumentException}) and a singular or indefinite
 * matrix ({@code ArithmeticException}) name the function, the argument's shape and the failing batch index.
 */
public final class Linalg {
    /**
     * Under {@code auto}, matrices whose largest side is below this stay in Java for the direct factorisations
     * (LU, triangular solves, Cholesky, QR, det). Measured per matrix on 2 busy shared cores (a throwaway benchmark,
     * batches of ~20000 elements): Java's LU solve took 0.4, 0.7, 4–4.6, 10–12 µs at n = 4, 8, 16, 32, LAPACK's (downcall
     * and copies included) 5–6, 1.4–1.8, 3–4.4, 8–9 µs; Cholesky and QR were about even at 16, LAPACK ahead from 32.
     */
    static final int AUTO_NATIVE_MIN_SIZE = 16;
    /** The same for the iterative ones (eigh, svd, lstsq, pinv): even at n = 8, LAPACK 2–6× faster from 16. */
    static final int AUTO_NATIVE_MIN_SIZE_ITERATIVE = 8;

    private enum Mode { AUTO, NATIVE, JAVA }

    private static volatile Mode mode = initialBackend();

    private Linalg() {
    }

    /** Q (m×k, orthonormal columns) and R (k×n, upper triangular) of a reduced QR, k = min(m, n). */
    public record QR(Tensor q, Tensor r) {
    }

    /** Eigenvalues in ascending order [..., n] and the orthonormal eigenvectors as columns [..., n, n]. */
    public record Eigh(Tensor eigenvalues, Tensor eigenvectors) {
    }

    /** A = U · diag(s) · Vh with U [..., m, k], s [..., k] descending, Vh [..., k, n], k = min(m, n). */
    public record SVD(Tensor u, Tensor s, Tensor vh) {
    }

    /** det = sign · exp(logabsdet); sign is 0 (and logabsdet −∞) for a singular matrix. */
    public record Slogdet(Tensor sign, Tensor logabsdet) {
    }

    // ---- backend

    private static Mode initialBackend() {
        String p = System.getProperty("callisto.linalg.native", "auto").strip().toLowerCase();
        return switch (p) {
            case "auto" -> Mode.AUTO;
            case "true" -> {
                requireNative();
                yield Mode.NATIVE;
            }
            case "false" -> Mode.JAVA;
            default -> throw new IllegalArgumentException("callisto.linalg.native: " + p + ": expected auto, true or false");
        };
    }

    private static void requireNative() {
        if (!NativeLapack.available()) {
            throw new IllegalStateException("Linalg: OpenBLAS's LAPACK did not load (" + NativeLapack.FAILURE
                    + "); install libopenblas0-pthread or use the Java backend (useNative(false))");
        }
    }

    /** Whether OpenBLAS's LAPACK loaded. */
    public static boolean nativeAvailable() {
        return NativeLapack.available();
    }

    /**
     * Forces LAPACK ({@code true}; fails when it did not load) or the pure-JVM backend for every size, on all
     * threads; {@link #useAutomaticBackend} undoes it.
     */
    public static void useNative(boolean on) {
        if (on) requireNative();
        mode = on ? Mode.NATIVE : Mode.JAVA;
    }

    /**
     * The default: LAPACK when it loaded, except for small matrices (under {@value #AUTO_NATIVE_MIN_SIZE} on a side
     * for the direct factorisations, {@value #AUTO_NATIVE_MIN_SIZE_ITERATIVE} for eigh and svd), which Java does
     * faster than a downcall.
     */
    public static void useAutomaticBackend() {
        mode = Mode.AUTO;
    }

    /** Whether LAPACK serves large matrices (forced, or automatic with LAPACK loaded). */
    public static boolean usingNative() {
        return mode == Mode.NATIVE || mode == Mode.AUTO && NativeLapack.available();
    }

    /** The backend in use, e.g. {@code auto: lapack (libopenblas.so.0) from 8×8, else java} or {@code java}. */
    public static String backend() {
        String lapack = "lapack (" + NativeLapack.PATH + ")";
        return switch (mode) {
            case NATIVE -> lapack;
            case JAVA -> "java";
            case AUTO -> NativeLapack.available() ? "auto: " + lapack + " from n = " + AUTO_NATIVE_MIN_SIZE
                    + " (eigh, svd: " + AUTO_NATIVE_MIN_SIZE_ITERATIVE + "), else java"
                    : "auto: java (" + NativeLapack.FAILURE + ")";
        };
    }

    /** Whether LAPACK computes on rows×cols matrices now (iterative: eigh, svd and what uses it). */
    static boolean nativeFor(int rows, int cols, boolean iterative) {
        return switch (mode) {
            case NATIVE -> true;
            case JAVA -> false;
            case AUTO -> NativeLapack.available()
                    && Math.max(rows, cols) >= (iterative ? AUTO_NATIVE_MIN_SIZE_ITERATIVE : AUTO_NATIVE_MIN_SIZE);
        };
    }

    // ---- argument checks

    private static String str(Tensor t) {
        return Arrays.toString(t.shape());
    }

    private static void requireMatrix(String fn, String arg, Tensor t) {
        if (t.dim() < 2) {
            throw new IllegalArgumentException(fn + ": " + arg + " has shape " + str(t)
                    + "; expected a matrix or a batch of them (2 or more dims)");
        }
        if (!t.dtype().isFloatingPoint()) {
            throw new IllegalArgumentException(fn + ": " + arg + " is " + t.dtype().pythonName()
                    + "; expected float32 or float64 (convert with to(DType.FLOAT64))");
        }
    }

    private static void requireSquare(String fn, String arg, Tensor t) {
        requireMatrix(fn, arg, t);
        if (t.size(-1) != t.size(-2)) {
            throw new IllegalArgumentException(fn + ": " + arg + " has shape " + str(t) + "; expected square matrices [..., n, n]");
        }
    }

    private static DType common(Tensor a, Tensor b) {
        return a.dtype() == b.dtype() ? a.dtype() : DType.FLOAT64;
    }

    /** The broadcast of the batch dims of a and b, or an error naming both shapes. */
    private static int[] batch(String fn, Tensor a, Tensor b) {
        int[] x = Batched.batchShape(a), y = Batched.batchShape(b);
        int[] out = new int[Math.max(x.length, y.length)];
        for (int i = 0; i < out.length; i++) {
            int p = i - (out.length - x.length), q = i - (out.length - y.length);
            int dx = p < 0 ? 1 : x[p], dy = q < 0 ? 1 : y[q];
            if (dx != dy && dx != 1 && dy != 1) {
                throw new IllegalArgumentException(fn + ": the batch dims of A " + str(a) + " and B " + str(b)
                        + " do not broadcast (" + dx + " vs " + dy + ")");
            }
            out[i] = dx == 1 ? dy : dx;
        }
        return out;
    }

    /** PyTorch's rule for a vector right-hand side: B [n], or B [..., n] when A is [..., n, n]. */
    private static boolean isVector(Tensor a, Tensor b) {
        return b.dim() == 1 || (b.dim() == a.dim() - 1 && Arrays.equals(b.shape(), Arrays.copyOf(a.shape(), a.dim() - 1)));
    }

    // ---- tensor helpers for the backward rules

    private static Tensor mT(Tensor t) {
        return t.transpose(-2, -1);
    }

    private static Tensor eye(int n, DType dtype) {
        return Tensor.eye(dtype, n);
    }

    /** The 0/1 mask of a triangle (upper or lower; strict leaves out the diagonal). */
    private static Tensor triangle(int n, boolean upper, boolean strict, DType dtype) {
        double[] m = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) m[i * n + j] = (upper ? j > i : j < i) || (!strict && i == j) ? 1 : 0;
        }
        return Tensor.of(m, n, n).to(dtype);
    }

    private static Tensor diagEmbed(Tensor v) {
        return v.unsqueeze(-1).mul(eye(v.size(-1), v.dtype()));
    }

    private static Tensor unpack(Tensor packed, int start, int... tail) {
        int[] batch = Arrays.copyOf(packed.shape(), packed.dim() - 1);
        int len = 1;
        for (int t : tail) len *= t;
        return packed.narrow(-1, start, len).reshape(Batched.withMatrix(batch, tail));
    }

    // ---- solves

    /**
     * X with A·X = B: A [..., n, n], B [..., n, k] (or a vector [..., n]); batch dims broadcast. Throws
     * {@link ArithmeticException} for a singular A, naming its batch index.
     */
    public static Tensor solve(Tensor a, Tensor b) {
        requireSquare("solve", "A", a);
        if (b.dim() < 1) throw new IllegalArgumentException("solve: B has shape " + str(b) + "; expected [..., n] or [..., n, k]");
        boolean vector = isVector(a, b);
        Tensor bm = vector ? b.unsqueeze(-1) : b;
        requireMatrix("solve", "B", bm);
        int n = a.size(-1);
        if (bm.size(-2) != n) {
            throw new IllegalArgumentException("solve: A " + str(a) + " and B " + str(b) + ": B needs " + n + " rows");
        }
        int[] batch = batch("solve", a, bm);
        DType dt = common(a, bm);
        Tensor x = Tensor.apply(new SolveFn("solve"), a.to(dt).expand(Batched.withMatrix(batch, n, n)),
                bm.to(dt).expand(Batched.withMatrix(batch, n, bm.size(-1))));
        return vector ? x.squeeze(-1) : x;
    }

    /** A·X = B; {@code fn} names the public function in errors. */
    private record SolveFn(String fn) implements CustomFunction {
        @Override
        public int[] shape(int[]... s) {
            return s[1];
        }

        @Override
        public Tensor forward(Tensor... in) {
            return Batched.solve(fn, "A", in[0], in[1]);
        }

        @Override
        public Tensor[] backward(Tensor[] in, Tensor out, Tensor g) {
            Tensor gb = solve(mT(in[0]), g);
            return new Tensor[] {in[0].requiresGrad() ? gb.matmul(mT(out)).neg() : null, in[1].requiresGrad() ? gb : null};
        }
    }

    /**
     * X with A·X = B ({@code left}) or X·A = B, A triangular [..., n, n] (only its {@code upper} or lower triangle
     * is read; with {@code unitDiagonal} its diagonal is taken as ones), B [..., n, k] (left) or [..., k, n].
     */
    public static Tensor solveTriangular(Tensor a, Tensor b, boolean upper, boolean left, boolean unitDiagonal) {
        return solveTriangular("solveTriangular", "A", a, b, upper, left, unitDiagonal);
    }

    private static Tensor solveTriangular(String fn, String arg, Tensor a, Tensor b, boolean upper, boolean left,
                                          boolean unitDiagonal) {
        requireSquare(fn, arg, a);
        requireMatrix(fn, "B", b);
        int n = a.size(-1);
        if ((left ? b.size(-2) : b.size(-1)) != n) {
            throw new IllegalArgumentException(fn + ": " + arg + " " + str(a) + " and B " + str(b) + ": with left = " + left
                    + " B needs " + n + (left ? " rows" : " columns"));
        }
        int[] batch = batch(fn, a, b);
        DType dt = common(a, b);
        return Tensor.apply(new TriangularFn(fn, arg, upper, left, unitDiagonal), a.to(dt).expand(Batched.withMatrix(batch, n, n)),
                b.to(dt).expand(Batched.withMatrix(batch, b.size(-2), b.size(-1))));
    }

    private record TriangularFn(String fn, String arg, boolean upper, boolean left, boolean unit) implements CustomFunction {
        @Override
        public int[] shape(int[]... s) {
            return s[1];
        }

        @Override
        public Tensor forward(Tensor... in) {
            return Batched.solveTriangular(fn, arg, in[0], in[1], upper, left, unit);
        }

        @Override
        public Tensor[] backward(Tensor[] in, Tensor out, Tensor g) {
            Tensor a = in[0];
            Tensor gb = solveTriangular(mT(a), g, !upper, left, unit);
            Tensor ga = null;
            if (a.requiresGrad()) {
                ga = (left ? gb.matmul(mT(out)) : mT(out).matmul(gb)).neg()
                        .mul(triangle(a.size(-1), upper, unit, a.dtype()));
            }
            return new Tensor[] {ga, in[1].requiresGrad() ? gb : null};
        }
    }

    /** The lower Cholesky factor L (A = L·Lᵀ) of symmetric positive definite A [..., n, n], from its lower triangle. */
    public static Tensor cholesky(Tensor a) {
        requireSquare("cholesky", "A", a);
        return Tensor.apply(new CholeskyFn(), a);
    }

    private static final class CholeskyFn implements CustomFunction {
        @Override
        public int[] shape(int[]... s) {
            return s[0];
        }

        @Override
        public Tensor forward(Tensor... in) {
            return Batched.cholesky(in[0]);
        }

        @Override
        public Tensor[] backward(Tensor[] in, Tensor l, Tensor g) {
            int n = l.size(-1);
            DType dt = l.dtype();
            Tensor p = mT(l).matmul(g).mul(triangle(n, false, false, dt));
            p = p.add(mT(p.mul(triangle(n, false, true, dt)))).mul(0.5); // Φ(Lᵀ gL), symmetrised
            Tensor ga = solveTriangular(mT(l), p, true, true, false);
            return new Tensor[] {solveTriangular(l, ga, false, false, false)};
        }
    }

    /** X with A·X = B given A's lower Cholesky factor L [..., n, n]; B [..., n, k] (as torch.cholesky_solve). */
    public static Tensor choleskySolve(Tensor b, Tensor l) {
        requireSquare("choleskySolve", "L", l);
        requireMatrix("choleskySolve", "B", b);
        if (b.size(-2) != l.size(-1)) {
            throw new IllegalArgumentException("choleskySolve: B " + str(b) + " and L " + str(l) + ": B needs " + l.size(-1) + " rows");
        }
        Tensor y = solveTriangular("choleskySolve", "L", l, b, false, true, false);
        return solveTriangular("choleskySolve", "Lᵀ", mT(l), y, true, true, false);
    }

    /** X with A·X = I for square A [..., n, n]; singular A throws {@link ArithmeticException}. */
    public static Tensor inv(Tensor a) {
        requireSquare("inv", "A", a);
        return Tensor.apply(new SolveFn("inv"), a, eye(a.size(-1), a.dtype()).expand(a.shape()));
    }

    // ---- decompositions

    /** The reduced QR decomposition of A [..., m, n] (Householder; R's diagonal may be negative, as LAPACK's). */
    public static QR qr(Tensor a) {
        requireMatrix("qr", "A", a);
        int m = a.size(-2), n = a.size(-1), k = Math.min(m, n);
        Tensor packed = Tensor.apply(new QrFn(), a);
        return new QR(unpack(packed, 0, m, k), unpack(packed, m * k, k, n));
    }

    private static final class QrFn implements CustomFunction {
        @Override
        public int[] shape(int[]... s) {
            int[] a = s[0];
            int m = a[a.length - 2], n = a[a.length - 1], k = Math.min(m, n);
            return Batched.withMatrix(Arrays.copyOf(a, a.length - 2), m * k + k * n);
        }

        @Override
        public Tensor forward(Tensor... in) {
            return Batched.qr(in[0]);
        }

        @Override
        public Tensor[] backward(Tensor[] in, Tensor out, Tensor g) {
            Tensor a = in[0];
            int m = a.size(-2), n = a.size(-1), k = Math.min(m, n);
            Tensor q = unpack(out, 0, m, k), r = unpack(out, m * k, k, n);
            Tensor gq = unpack(g, 0, m, k), gr = unpack(g, m * k, k, n);
            if (m >= n) return new Tensor[] {qrBackward(q, r, gq, gr)};
            // A = [A1 A2] with A1 = Q R1 square, R2 = Qᵀ A2: R2 sends gradient to Q and to A2
            Tensor a2 = a.narrow(-1, k, n - k), gr2 = gr.narrow(-1, k, n - k);
            Tensor ga1 = qrBackward(q, r.narrow(-1, 0, k), gq.add(a2.matmul(mT(gr2))), gr.narrow(-1, 0, k));
            return new Tensor[] {Tensor.cat(List.of(ga1, q.matmul(gr2)), -1)};
        }

        /** m ≥ n: gA = (gQ + Q·copyutl(M))·R⁻ᵀ with M = gR·Rᵀ − Qᵀ·gQ. */
        private static Tensor qrBackward(Tensor q, Tensor r, Tensor gq, Tensor gr) {
            int n = r.size(-1);
            Tensor mm = gr.matmul(mT(r)).sub(mT(q).matmul(gq));
            Tensor sym = mm.mul(triangle(n, true, false, mm.dtype())).add(mT(mm.mul(triangle(n, true, true, mm.dtype()))));
            return solveTriangular(mT(r), gq.add(q.matmul(sym)), false, false, false);
        }
    }

    /** Eigenvalues (ascending) and eigenvectors of symmetric A [..., n, n], from its lower triangle. */
    public static Eigh eigh(Tensor a) {
        requireSquare("eigh", "A", a);
        int n = a.size(-1);
        Tensor packed = Tensor.apply(new EighFn(), a);
        return new Eigh(unpack(packed, 0, n), unpack(packed, n, n, n));
    }

    private static final class EighFn implements CustomFunction {
        @Override
        public int[] shape(int[]... s) {
            int n = s[0][s[0].length - 1];
            return Batched.withMatrix(Arrays.copyOf(s[0], s[0].length - 2), n + n * n);
        }

        @Override
        public Tensor forward(Tensor... in) {
            return Batched.eigh(in[0]);
        }

        @Override
        public Tensor[] backward(Tensor[] in, Tensor out, Tensor g) {
            int n = in[0].size(-1);
            Tensor w = unpack(out, 0, n), v = unpack(out, n, n, n), gw = unpack(g, 0, n), gv = unpack(g, n, n, n);
            Tensor vtgv = mT(v).matmul(gv);
            Tensor skew = vtgv.sub(mT(vtgv)).mul(0.5);
            Tensor gaps = w.unsqueeze(-2).sub(w.unsqueeze(-1)).add(eye(n, w.dtype())); // w_j − w_i, 1 on the diagonal
            return new Tensor[] {v.matmul(skew.div(gaps).add(diagEmbed(gw))).matmul(mT(v))};
        }
    }

    /** The reduced singular value decomposition of A [..., m, n]. */
    public static SVD svd(Tensor a) {
        requireMatrix("svd", "A", a);
        int m = a.size(-2), n = a.size(-1), k = Math.min(m, n);
        Tensor packed = Tensor.apply(new SvdFn(), a);
        return new SVD(unpack(packed, 0, m, k), unpack(packed, m * k, k), unpack(packed, m * k + k, k, n));
    }

    private static final class SvdFn implements CustomFunction {
        @Override
        public int[] shape(int[]... s) {
            int[] a = s[0];
            int m = a[a.length - 2], n = a[a.length - 1], k = Math.min(m, n);
            return Batched.withMatrix(Arrays.copyOf(a, a.length - 2), m * k + k + k * n);
        }

        @Override
        public Tensor forward(Tensor... in) {
            return Batched.svd(in[0]);
        }

        @Override
        public Tensor[] backward(Tensor[] in, Tensor out, Tensor g) {
            int m = in[0].size(-2), n = in[0].size(-1), k = Math.min(m, n);
            Tensor u = unpack(out, 0, m, k), s = unpack(out, m * k, k), vh = unpack(out, m * k + k, k, n);
            Tensor gu = unpack(g, 0, m, k), gs = unpack(g, m * k, k), gvh = unpack(g, m * k + k, k, n);
            Tensor s2 = s.mul(s);
            Tensor gaps = s2.unsqueeze(-2).sub(s2.unsqueeze(-1)).add(eye(k, s.dtype())); // s_j² − s_i²
            Tensor utgu = mT(u).matmul(gu), vtgv = vh.matmul(mT(gvh));
            Tensor inner = utgu.sub(mT(utgu)).div(gaps).mul(s.unsqueeze(-2))
                    .add(s.unsqueeze(-1).mul(vtgv.sub(mT(vtgv)).div(gaps)))
                    .add(diagEmbed(gs));
            Tensor ga = u.matmul(inner).matmul(vh);
            Tensor sinv = s.pow(-1);
            if (m > k) ga = ga.add(gu.sub(u.matmul(utgu)).mul(sinv.unsqueeze(-2)).matmul(vh));
            if (n > k) ga = ga.add(u.matmul(gvh.sub(gvh.matmul(mT(vh)).matmul(vh)).mul(sinv.unsqueeze(-1))));
            return new Tensor[] {ga};
        }
    }

    // ---- least squares and pseudo-inverse

    /**
     * The minimum-norm least-squares solution X [..., n, k] of A·X ≈ B, A [..., m, n], B [..., m, k] (or a vector
     * [..., m]); singular values at or below eps·max(m, n)·s₁ count as zero (torch.linalg.lstsq's solution with
     * the gelsd driver).
     */
    public static Tensor lstsq(Tensor a, Tensor b) {
        requireMatrix("lstsq", "A", a);
        if (b.dim() < 1) throw new IllegalArgumentException("lstsq: B has shape " + str(b) + "; expected [..., m] or [..., m, k]");
        boolean vector = isVector(a, b) && b.size(-1) == a.size(-2);
        Tensor bm = vector ? b.unsqueeze(-1) : b;
        requireMatrix("lstsq", "B", bm);
        int m = a.size(-2), n = a.size(-1);
        if (bm.size(-2) != m) {
            throw new IllegalArgumentException("lstsq: A " + str(a) + " and B " + str(b) + ": B needs " + m + " rows");
        }
        int[] batch = batch("lstsq", a, bm);
        DType dt = common(a, bm);
        Tensor x = Tensor.apply(new LstsqFn(), a.to(dt).expand(Batched.withMatrix(batch, m, n)),
                bm.to(dt).expand(Batched.withMatrix(batch, m, bm.size(-1))));
        return vector ? x.squeeze(-1) : x;
    }

    private static final class LstsqFn implements CustomFunction {
        @Override
        public int[] shape(int[]... s) {
            int[] a = s[0], b = s[1];
            return Batched.withMatrix(Arrays.copyOf(a, a.length - 2), a[a.length - 1], b[b.length - 1]);
        }

        @Override
        public Tensor forward(Tensor... in) {
            return Batched.lstsq(in[0], in[1]);
        }

        @Override
        public Tensor[] backward(Tensor[] in, Tensor out, Tensor g) {
            Tensor p = pinv(in[0]);
            return new Tensor[] {in[0].requiresGrad() ? pinvBackward(in[0], p, g.matmul(mT(in[1]))) : null,
                in[1].requiresGrad() ? mT(p).matmul(g) : null};
        }
    }

    /**
     * The Moore–Penrose pseudo-inverse [..., n, m] of A [..., m, n], through the SVD; singular values at or below
     * eps·max(m, n)·s₁ count as zero (torch.linalg.pinv's default).
     */
    public static Tensor pinv(Tensor a) {
        requireMatrix("pinv", "A", a);
        return Tensor.apply(new PinvFn(), a);
    }

    private static final class PinvFn implements CustomFunction {
        @Override
        public int[] shape(int[]... s) {
            int[] a = s[0];
            return Batched.withMatrix(Arrays.copyOf(a, a.length - 2), a[a.length - 1], a[a.length - 2]);
        }

        @Override
        public Tensor forward(Tensor... in) {
            Tensor a = in[0];
            int m = a.size(-2), n = a.size(-1), k = Math.min(m, n);
            if (k == 0) return Tensor.zeros(a.dtype(), shape(a.shape()));
            Tensor packed = Batched.svd(a);
            Tensor u = unpack(packed, 0, m, k), s = unpack(packed, m * k, k), vh = unpack(packed, m * k + k, k, n);
            Tensor cut = s.narrow(-1, 0, 1).mul(Batched.rcond(a));
            Tensor sinv = Tensor.where(s.gt(cut), s.pow(-1), Tensor.scalar(0).to(a.dtype()));
            return mT(vh).mul(sinv.unsqueeze(-2)).matmul(mT(u)).contiguous();
        }

        @Override
        public Tensor[] backward(Tensor[] in, Tensor out, Tensor g) {
            return new Tensor[] {pinvBackward(in[0], out, g)};
        }
    }

    /** The gradient of A for the upstream gradient G of P = A⁺ (constant rank). */
    private static Tensor pinvBackward(Tensor a, Tensor p, Tensor g) {
        Tensor pt = mT(p), gt = mT(g);
        Tensor t1 = pt.matmul(g).matmul(pt).neg();
        Tensor t2 = gt.sub(a.matmul(p.matmul(gt))).matmul(p.matmul(pt));
        Tensor t3 = pt.matmul(p).matmul(gt.sub(gt.matmul(p).matmul(a)));
        return t1.add(t2).add(t3);
    }

    // ---- determinants

    /** The determinant of square A [..., n, n], through LU (0 for a singular matrix). */
    public static Tensor det(Tensor a) {
        requireSquare("det", "A", a);
        double[][] r = Batched.det(a);
        return Tensor.apply(new DetFn(Batched.result(r[0], a.dtype(), Batched.batchShape(a)), false), a);
    }

    /** Sign and log of the absolute value of the determinant; only logabsdet carries a gradient. */
    public static Slogdet slogdet(Tensor a) {
        requireSquare("slogdet", "A", a);
        double[][] r = Batched.det(a);
        int[] batch = Batched.batchShape(a);
        Tensor logabs = Tensor.apply(new DetFn(Batched.result(r[2], a.dtype(), batch), true), a);
        return new Slogdet(Batched.result(r[1], a.dtype(), batch), logabs);
    }

    /** log det A: NaN where the determinant is negative, −∞ where it is 0 (as torch.logdet). */
    public static Tensor logdet(Tensor a) {
        requireSquare("logdet", "A", a);
        Slogdet s = slogdet(a);
        return s.logabsdet().add(s.sign().log());
    }

    /**
     * det or log|det| of A, whose value the caller computed with the sign (one LU for both); the gradient is
     * g·det·A⁻ᵀ or g·A⁻ᵀ.
     */
    private record DetFn(Tensor value, boolean log) implements CustomFunction {
        @Override
        public int[] shape(int[]... s) {
            return Arrays.copyOf(s[0], s[0].length - 2);
        }

        @Override
        public Tensor forward(Tensor... in) {
            return value;
        }

        @Override
        public Tensor[] backward(Tensor[] in, Tensor out, Tensor g) {
            Tensor scale = log ? g : g.mul(out);
            return new Tensor[] {scale.unsqueeze(-1).unsqueeze(-1).mul(mT(inv(in[0])))};
        }
    }
}
