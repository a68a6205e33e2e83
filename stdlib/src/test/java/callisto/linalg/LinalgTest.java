package callisto.linalg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import callisto.tensor.DType;
import callisto.tensor.Generator;
import callisto.tensor.Tensor;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each function against identities checked with naive loops here (residuals, orthogonality, reconstruction,
 * Laplace expansion, normal equations, Moore–Penrose conditions), on seeded random well-conditioned matrices,
 * batched, in float64 and float32, on both backends; the backends against each other.
 */
class LinalgTest {
    @BeforeAll
    static void report() {
        System.out.println("LinalgTest: default backend " + Linalg.backend() + "; native "
                + (Linalg.nativeAvailable() ? "available" : "missing (" + NativeLapack.FAILURE + ")"));
    }

    @AfterEach
    void restore() {
        Linalg.useAutomaticBackend();
    }

    static Stream<String> backends() {
        return Stream.of("java", "native");
    }

    static void use(String backend) {
        if (backend.equals("native")) {
            Assumptions.assumeTrue(Linalg.nativeAvailable(), () -> "OpenBLAS missing: " + NativeLapack.FAILURE);
        }
        Linalg.useNative(backend.equals("native"));
    }

    // ---- independent reference helpers (plain loops on arrays)

    /** A batch of general matrices made well conditioned by a dominant diagonal. */
    static Tensor general(Generator g, int[] batch, int n) {
        Tensor a = g.randn(withTail(batch, n, n));
        return a.add(Tensor.eye(n).mul(n + 1.0));
    }

    /** A batch of symmetric positive definite matrices X Xᵀ + n I. */
    static Tensor spd(Generator g, int[] batch, int n) {
        Tensor x = g.randn(withTail(batch, n, n));
        return x.matmul(x.transpose(-2, -1)).add(Tensor.eye(n).mul(n));
    }

    static int[] withTail(int[] batch, int... tail) {
        int[] s = Arrays.copyOf(batch, batch.length + tail.length);
        System.arraycopy(tail, 0, s, batch.length, tail.length);
        return s;
    }

    /** C = A·B for row-major matrices, per batch element (both with the same batch count). */
    static double[] mul(double[] a, double[] b, int count, int m, int k, int n) {
        double[] c = new double[count * m * n];
        for (int t = 0; t < count; t++) {
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    double s = 0;
                    for (int l = 0; l < k; l++) s += a[t * m * k + i * k + l] * b[t * k * n + l * n + j];
                    c[t * m * n + i * n + j] = s;
                }
            }
        }
        return c;
    }

    static double[] transpose(double[] a, int count, int m, int n) {
        double[] t = new double[a.length];
        for (int b = 0; b < count; b++) for (int i = 0; i < m; i++) for (int j = 0; j < n; j++) t[b * m * n + j * m + i] = a[b * m * n + i * n + j];
        return t;
    }

    static double maxAbsDiff(double[] a, double[] b) {
        assertEquals(a.length, b.length, "lengths");
        double d = 0;
        for (int i = 0; i < a.length; i++) d = Math.max(d, Math.abs(a[i] - b[i]));
        return d;
    }

    static void close(double[] want, double[] got, double tol, String what) {
        double d = maxAbsDiff(want, got);
        assertTrue(d <= tol, () -> what + ": max difference " + d + " > " + tol);
    }

    static double[] identities(int count, int n) {
        double[] e = new double[count * n * n];
        for (int b = 0; b < count; b++) for (int i = 0; i < n; i++) e[b * n * n + i * n + i] = 1;
        return e;
    }

    /** Determinant by Laplace expansion along the first row. */
    static double laplace(double[] a, int off, int n) {
        if (n == 1) return a[off];
        double det = 0;
        for (int c = 0; c < n; c++) {
            double[] minor = new double[(n - 1) * (n - 1)];
            for (int i = 1, p = 0; i < n; i++) for (int j = 0; j < n; j++) if (j != c) minor[p++] = a[off + i * n + j];
            det += (c % 2 == 0 ? 1 : -1) * a[off + c] * laplace(minor, 0, n - 1);
        }
        return det;
    }

    /** X = A⁻¹B by Gauss–Jordan with partial pivoting (one matrix). */
    static double[] gaussJordan(double[] a0, double[] b0, int n, int k) {
        double[] a = a0.clone(), b = b0.clone();
        for (int c = 0; c < n; c++) {
            int p = c;
            for (int i = c + 1; i < n; i++) if (Math.abs(a[i * n + c]) > Math.abs(a[p * n + c])) p = i;
            for (int j = 0; j < n; j++) { double t = a[c * n + j]; a[c * n + j] = a[p * n + j]; a[p * n + j] = t; }
            for (int j = 0; j < k; j++) { double t = b[c * k + j]; b[c * k + j] = b[p * k + j]; b[p * k + j] = t; }
            for (int i = 0; i < n; i++) {
                if (i == c) continue;
                double f = a[i * n + c] / a[c * n + c];
                for (int j = 0; j < n; j++) a[i * n + j] -= f * a[c * n + j];
                for (int j = 0; j < k; j++) b[i * k + j] -= f * b[c * k + j];
            }
        }
        for (int i = 0; i < n; i++) for (int j = 0; j < k; j++) b[i * k + j] /= a[i * n + i];
        return b;
    }

    // ---- solves

    @ParameterizedTest
    @MethodSource("backends")
    void solveResidualWithBroadcastBatch(String backend) {
        use(backend);
        var g = new Generator(1);
        Tensor a = general(g, new int[] {2, 1}, 5), b = g.randn(3, 5, 2);
        Tensor x = Linalg.solve(a, b);
        assertArrayEquals(new int[] {2, 3, 5, 2}, x.shape());
        double[] av = a.expand(2, 3, 5, 5).contiguous().toArray(), bv = b.expand(2, 3, 5, 2).contiguous().toArray();
        close(bv, mul(av, x.toArray(), 6, 5, 5, 2), 1e-12, "A X - B");
        Tensor xv = Linalg.solve(a.select(0, 0).select(0, 0), Tensor.of(1.0, 2, 3, 4, 5));
        assertArrayEquals(new int[] {5}, xv.shape());
        close(gaussJordan(a.select(0, 0).select(0, 0).toArray(), new double[] {1, 2, 3, 4, 5}, 5, 1), xv.toArray(), 1e-12, "vector solve");
    }

    @ParameterizedTest
    @MethodSource("backends")
    void solveTriangularAllVariants(String backend) {
        use(backend);
        var g = new Generator(2);
        int n = 4, k = 3;
        for (boolean upper : new boolean[] {false, true}) {
            for (boolean left : new boolean[] {false, true}) {
                for (boolean unit : new boolean[] {false, true}) {
                    Tensor a = general(g, new int[] {2}, n), b = g.randn(left ? new int[] {2, n, k} : new int[] {2, k, n});
                    Tensor x = Linalg.solveTriangular(a, b, upper, left, unit);
                    // the matrix the solve must have used: the chosen triangle, ones on the diagonal if unit
                    double[] t = a.toArray();
                    for (int bi = 0; bi < 2; bi++) {
                        for (int i = 0; i < n; i++) {
                            for (int j = 0; j < n; j++) {
                                if (upper ? j < i : j > i) t[bi * n * n + i * n + j] = 0;
                                if (unit && i == j) t[bi * n * n + i * n + j] = 1;
                            }
                        }
                    }
                    double[] ax = left ? mul(t, x.toArray(), 2, n, n, k) : mul(x.toArray(), t, 2, k, n, n);
                    close(b.toArray(), ax, 1e-12, "triangular upper=" + upper + " left=" + left + " unit=" + unit);
                }
            }
        }
    }

    @ParameterizedTest
    @MethodSource("backends")
    void choleskyAndCholeskySolve(String backend) {
        use(backend);
        var g = new Generator(3);
        Tensor a = spd(g, new int[] {3}, 6);
        Tensor l = Linalg.cholesky(a);
        double[] lv = l.toArray();
        for (int b = 0; b < 3; b++) for (int i = 0; i < 6; i++) for (int j = i + 1; j < 6; j++) assertEquals(0, lv[b * 36 + i * 6 + j]);
        close(a.toArray(), mul(lv, transpose(lv, 3, 6, 6), 3, 6, 6, 6), 1e-11, "L Lᵀ - A");
        Tensor b = g.randn(3, 6, 2);
        Tensor x = Linalg.choleskySolve(b, l);
        close(b.toArray(), mul(a.toArray(), x.toArray(), 3, 6, 6, 2), 1e-11, "A X - B");
    }

    @ParameterizedTest
    @MethodSource("backends")
    void invTimesAIsIdentity(String backend) {
        use(backend);
        var g = new Generator(4);
        Tensor a = general(g, new int[] {2, 2}, 5);
        close(identities(4, 5), mul(Linalg.inv(a).toArray(), a.toArray(), 4, 5, 5, 5), 1e-12, "inv(A) A - I");
    }

    // ---- decompositions

    static Stream<int[]> rectangles() {
        return Stream.of(new int[] {5, 3}, new int[] {4, 4}, new int[] {3, 6}, new int[] {1, 4}, new int[] {7, 1});
    }

    static Stream<Object[]> backendsAndRectangles() {
        return backends().flatMap(b -> rectangles().map(r -> new Object[] {b, r[0], r[1]}));
    }

    @ParameterizedTest
    @MethodSource("backendsAndRectangles")
    void qrIsOrthonormalTimesUpperTriangular(String backend, int m, int n) {
        use(backend);
        var g = new Generator(5 + m * 10 + n);
        Tensor a = g.randn(2, m, n);
        var qr = Linalg.qr(a);
        int k = Math.min(m, n);
        assertArrayEquals(new int[] {2, m, k}, qr.q().shape());
        assertArrayEquals(new int[] {2, k, n}, qr.r().shape());
        double[] q = qr.q().toArray(), r = qr.r().toArray();
        close(identities(2, k), mul(transpose(q, 2, m, k), q, 2, k, m, k), 1e-13, "QᵀQ - I");
        close(a.toArray(), mul(q, r, 2, m, k, n), 1e-13, "QR - A");
        for (int b = 0; b < 2; b++) for (int i = 0; i < k; i++) for (int j = 0; j < Math.min(i, n); j++) assertEquals(0, r[b * k * n + i * n + j]);
    }

    @ParameterizedTest
    @MethodSource("backends")
    void eighSatisfiesTheEigenEquation(String backend) {
        use(backend);
        var g = new Generator(6);
        int n = 6;
        Tensor x = g.randn(3, n, n), a = x.add(x.transpose(-2, -1));
        var e = Linalg.eigh(a);
        double[] w = e.eigenvalues().toArray(), v = e.eigenvectors().toArray(), av = a.toArray();
        close(identities(3, n), mul(transpose(v, 3, n, n), v, 3, n, n, n), 1e-13, "VᵀV - I");
        double[] vw = v.clone();
        for (int b = 0; b < 3; b++) for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) vw[b * n * n + i * n + j] *= w[b * n + j];
        close(vw, mul(av, v, 3, n, n, n), 1e-12, "A V - V diag(w)");
        for (int b = 0; b < 3; b++) for (int i = 1; i < n; i++) assertTrue(w[b * n + i - 1] <= w[b * n + i], "ascending");
        // only the lower triangle is read
        Tensor lowerOnly = a.mul(Tensor.of(new double[] {1, 0, 0, 0, 0, 0, 1, 1, 0, 0, 0, 0, 1, 1, 1, 0, 0, 0,
            1, 1, 1, 1, 0, 0, 1, 1, 1, 1, 1, 0, 1, 1, 1, 1, 1, 1}, n, n));
        close(w, Linalg.eigh(lowerOnly).eigenvalues().toArray(), 1e-12, "eigenvalues from the lower triangle");
    }

    @ParameterizedTest
    @MethodSource("backends")
    void eighOfDiagonalZeroAndRepeatedEigenvalues(String backend) {
        use(backend);
        for (Tensor a : List.of(Tensor.of(new double[][] {{3, 0, 0}, {0, 1, 0}, {0, 0, 2}}), Tensor.zeros(3, 3),
                Tensor.eye(4).mul(2), Tensor.of(new double[][] {{2, 1, 0, 0}, {1, 2, 0, 0}, {0, 0, 3, 0}, {0, 0, 0, 1}}))) {
            int n = a.size(0);
            var e = Linalg.eigh(a);
            double[] w = e.eigenvalues().toArray(), v = e.eigenvectors().toArray(), vw = v.clone();
            for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) vw[i * n + j] *= w[j];
            close(identities(1, n), mul(transpose(v, 1, n, n), v, 1, n, n, n), 1e-14, "VᵀV - I");
            close(vw, mul(a.toArray(), v, 1, n, n, n), 1e-14, "A V - V diag(w)");
            for (int i = 1; i < n; i++) assertTrue(w[i - 1] <= w[i], "ascending");
        }
        assertArrayEquals(new double[] {1, 2, 3}, Linalg.eigh(Tensor.of(new double[][] {{3, 0, 0}, {0, 1, 0}, {0, 0, 2}}))
                .eigenvalues().toArray(), 1e-15);
    }

    @ParameterizedTest
    @MethodSource("backendsAndRectangles")
    void svdReconstructs(String backend, int m, int n) {
        use(backend);
        var g = new Generator(7 + m * 10 + n);
        Tensor a = g.randn(2, m, n);
        var svd = Linalg.svd(a);
        int k = Math.min(m, n);
        double[] u = svd.u().toArray(), s = svd.s().toArray(), vh = svd.vh().toArray();
        close(identities(2, k), mul(transpose(u, 2, m, k), u, 2, k, m, k), 1e-13, "UᵀU - I");
        close(identities(2, k), mul(vh, transpose(vh, 2, k, n), 2, k, n, k), 1e-13, "Vh Vhᵀ - I");
        double[] us = u.clone();
        for (int b = 0; b < 2; b++) for (int i = 0; i < m; i++) for (int j = 0; j < k; j++) us[b * m * k + i * k + j] *= s[b * k + j];
        close(a.toArray(), mul(us, vh, 2, m, k, n), 1e-13, "U S Vh - A");
        for (int b = 0; b < 2; b++) {
            for (int i = 0; i < k; i++) {
                assertTrue(s[b * k + i] >= 0, "s >= 0");
                if (i > 0) assertTrue(s[b * k + i - 1] >= s[b * k + i], "descending");
            }
        }
    }

    @ParameterizedTest
    @MethodSource("backends")
    void svdOfRankDeficientMatrixHasOrthonormalU(String backend) {
        use(backend);
        var g = new Generator(8);
        Tensor x = g.randn(6, 2), y = g.randn(2, 4), a = x.matmul(y); // rank 2 of 4
        var svd = Linalg.svd(a);
        double[] u = svd.u().toArray(), s = svd.s().toArray();
        close(identities(1, 4), mul(transpose(u, 1, 6, 4), u, 1, 4, 6, 4), 1e-12, "UᵀU - I");
        assertTrue(s[2] < 1e-12 && s[3] < 1e-12, "two zero singular values: " + Arrays.toString(s));
        // one null direction in a square matrix: 7 of 8 dims taken, every basis vector may keep little length
        for (Tensor sq : List.of(g.randn(8, 7).matmul(g.randn(7, 8)), Tensor.zeros(8, 8), Tensor.ones(5, 5))) {
            int n = sq.size(0);
            var d = Linalg.svd(sq);
            double[] du = d.u().toArray(), dvh = d.vh().toArray();
            close(identities(1, n), mul(transpose(du, 1, n, n), du, 1, n, n, n), 1e-12, "UᵀU - I");
            close(identities(1, n), mul(dvh, transpose(dvh, 1, n, n), 1, n, n, n), 1e-12, "Vh Vhᵀ - I");
        }
    }

    @ParameterizedTest
    @MethodSource("backends")
    void jacobiConvergesOnManyRandomMatrices(String backend) {
        use(backend);
        // this stream once held an 8×8 (index 203) that a too strict orthogonality test left rotating forever
        var g = new Generator(1);
        g.randn(1250, 4, 4);
        g.randn(1250, 4, 1);
        int count = 312, n = 8;
        Tensor a = g.randn(count, n, n);
        var svd = Linalg.svd(a);
        double[] us = svd.u().toArray(), s = svd.s().toArray();
        for (int b = 0; b < count; b++) for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) us[b * n * n + i * n + j] *= s[b * n + j];
        close(a.toArray(), mul(us, svd.vh().toArray(), count, n, n, n), 1e-12, "U S Vh - A");
        Tensor sym = a.add(a.transpose(-2, -1));
        var e = Linalg.eigh(sym);
        double[] v = e.eigenvectors().toArray(), w = e.eigenvalues().toArray(), vw = v.clone();
        for (int b = 0; b < count; b++) for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) vw[b * n * n + i * n + j] *= w[b * n + j];
        close(vw, mul(sym.toArray(), v, count, n, n, n), 1e-12, "A V - V diag(w)");
    }

    // ---- least squares and pseudo-inverse

    @ParameterizedTest
    @MethodSource("backends")
    void lstsqMatchesNormalEquationsOnTallSystems(String backend) {
        use(backend);
        var g = new Generator(9);
        int m = 7, n = 3, k = 2;
        Tensor a = g.randn(2, m, n), b = g.randn(2, m, k);
        double[] x = Linalg.lstsq(a, b).toArray(), av = a.toArray(), bv = b.toArray();
        for (int t = 0; t < 2; t++) {
            double[] at = transpose(Arrays.copyOfRange(av, t * m * n, (t + 1) * m * n), 1, m, n);
            double[] ata = mul(at, Arrays.copyOfRange(av, t * m * n, (t + 1) * m * n), 1, n, m, n);
            double[] atb = mul(at, Arrays.copyOfRange(bv, t * m * k, (t + 1) * m * k), 1, n, m, k);
            close(gaussJordan(ata, atb, n, k), Arrays.copyOfRange(x, t * n * k, (t + 1) * n * k), 1e-12, "normal equations");
        }
        // a vector right-hand side
        double[] xv = Linalg.lstsq(a.select(0, 0), b.select(0, 0).select(1, 0)).toArray();
        for (int i = 0; i < n; i++) assertEquals(x[i * k], xv[i], 1e-12);
    }

    @ParameterizedTest
    @MethodSource("backends")
    void lstsqOfWideSystemIsTheMinimumNormSolution(String backend) {
        use(backend);
        var g = new Generator(10);
        int m = 3, n = 6;
        Tensor a = g.randn(m, n), b = g.randn(m, 1);
        double[] av = a.toArray(), at = transpose(av, 1, m, n);
        // x = Aᵀ (A Aᵀ)⁻¹ b
        double[] y = gaussJordan(mul(av, at, 1, m, n, m), b.toArray(), m, 1);
        close(mul(at, y, 1, n, m, 1), Linalg.lstsq(a, b).toArray(), 1e-12, "minimum-norm solution");
    }

    static void moorePenrose(Tensor a, Tensor p, double tol) {
        int m = a.size(-2), n = a.size(-1);
        double[] av = a.toArray(), pv = p.toArray();
        double[] ap = mul(av, pv, 1, m, n, m), pa = mul(pv, av, 1, n, m, n);
        close(av, mul(ap, av, 1, m, m, n), tol, "A P A = A");
        close(pv, mul(pa, pv, 1, n, n, m), tol, "P A P = P");
        close(ap, transpose(ap, 1, m, m), tol, "(A P)ᵀ = A P");
        close(pa, transpose(pa, 1, n, n), tol, "(P A)ᵀ = P A");
    }

    @ParameterizedTest
    @MethodSource("backends")
    void pinvSatisfiesMoorePenrose(String backend) {
        use(backend);
        var g = new Generator(11);
        for (Tensor a : List.of(g.randn(6, 3), g.randn(3, 5), g.randn(5, 2).matmul(g.randn(2, 4)))) {
            moorePenrose(a, Linalg.pinv(a), 1e-12);
        }
        // rank-deficient lstsq is pinv(A) B, the minimum-norm least-squares solution
        Tensor a = g.randn(5, 2).matmul(g.randn(2, 4)), b = g.randn(5, 2);
        close(Linalg.pinv(a).matmul(b).toArray(), Linalg.lstsq(a, b).toArray(), 1e-11, "lstsq = pinv B (rank 2)");
    }

    // ---- determinants

    @ParameterizedTest
    @MethodSource("backends")
    void detMatchesLaplaceExpansion(String backend) {
        use(backend);
        var g = new Generator(12);
        Tensor a = g.randn(2, 3, 4, 4);
        double[] av = a.toArray(), det = Linalg.det(a).toArray();
        var s = Linalg.slogdet(a);
        double[] sign = s.sign().toArray(), log = s.logabsdet().toArray(), logdet = Linalg.logdet(a).toArray();
        assertArrayEquals(new int[] {2, 3}, Linalg.det(a).shape());
        for (int b = 0; b < 6; b++) {
            double want = laplace(av, b * 16, 4);
            assertEquals(want, det[b], 1e-12 * Math.max(1, Math.abs(want)));
            assertEquals(Math.signum(want), sign[b]);
            assertEquals(Math.log(Math.abs(want)), log[b], 1e-12);
            if (want > 0) assertEquals(Math.log(want), logdet[b], 1e-12);
            else assertTrue(Double.isNaN(logdet[b]), "logdet of a negative determinant is NaN");
        }
        Tensor singular = Tensor.of(new double[][] {{1, 2}, {2, 4}});
        assertEquals(0, Linalg.det(singular).item());
        assertEquals(0, Linalg.slogdet(singular).sign().item());
        assertEquals(Double.NEGATIVE_INFINITY, Linalg.logdet(singular).item());
    }

    // ---- dtypes and backends

    @ParameterizedTest
    @MethodSource("backends")
    void float32KeepsItsDtypeAndMatchesFloat64(String backend) {
        use(backend);
        var g = new Generator(13);
        Tensor a = spd(g, new int[] {2}, 5), b = g.randn(2, 5, 2);
        Tensor af = a.to(DType.FLOAT32), bf = b.to(DType.FLOAT32);
        List<Tensor[]> pairs = List.of(
                new Tensor[] {Linalg.solve(a, b), Linalg.solve(af, bf)},
                new Tensor[] {Linalg.cholesky(a), Linalg.cholesky(af)},
                new Tensor[] {Linalg.inv(a), Linalg.inv(af)},
                new Tensor[] {Linalg.det(a).div(Linalg.det(a)), Linalg.det(af).div(Linalg.det(af))},
                new Tensor[] {Linalg.eigh(a).eigenvalues(), Linalg.eigh(af).eigenvalues()},
                new Tensor[] {Linalg.svd(a).s(), Linalg.svd(af).s()},
                new Tensor[] {Linalg.qr(a).r().abs(), Linalg.qr(af).r().abs()},
                new Tensor[] {Linalg.lstsq(a, b), Linalg.lstsq(af, bf)},
                new Tensor[] {Linalg.pinv(a), Linalg.pinv(af)},
                new Tensor[] {Linalg.solveTriangular(a, b, true, true, false), Linalg.solveTriangular(af, bf, true, true, false)});
        for (int i = 0; i < pairs.size(); i++) {
            Tensor d = pairs.get(i)[0], f = pairs.get(i)[1];
            assertEquals(DType.FLOAT32, f.dtype(), "case " + i);
            assertEquals(DType.FLOAT64, d.dtype(), "case " + i);
            double scale = Arrays.stream(d.toArray()).map(Math::abs).max().orElse(1);
            close(d.toArray(), f.to(DType.FLOAT64).toArray(), 1e-4 * Math.max(1, scale), "float32 vs float64, case " + i);
        }
    }

    @Test
    void backendsAgree() {
        Assumptions.assumeTrue(Linalg.nativeAvailable(), "OpenBLAS missing");
        var g = new Generator(14);
        Tensor a = spd(g, new int[] {2}, 7), r = g.randn(2, 7, 4), b = g.randn(2, 7, 3);
        Tensor[][] results = new Tensor[2][];
        for (int i = 0; i < 2; i++) {
            Linalg.useNative(i == 1);
            var e = Linalg.eigh(a);
            var svd = Linalg.svd(r);
            Tensor v = e.eigenvectors(), u = svd.u();
            results[i] = new Tensor[] {Linalg.solve(a, b), Linalg.cholesky(a), Linalg.inv(a), Linalg.det(a),
                Linalg.slogdet(a).logabsdet(), e.eigenvalues(), v.mul(v), svd.s(), u.mul(u), svd.vh().mul(svd.vh()),
                Linalg.qr(r).q().abs(), Linalg.qr(r).r().abs(), Linalg.lstsq(r, b), Linalg.pinv(r),
                Linalg.solveTriangular(a, b, false, true, false), Linalg.solveTriangular(a, b.transpose(-2, -1), true, false, true)};
        }
        for (int i = 0; i < results[0].length; i++) {
            double scale = Math.max(1, Arrays.stream(results[0][i].toArray()).map(Math::abs).max().orElse(1));
            close(results[0][i].toArray(), results[1][i].toArray(), 1e-11 * scale, "java vs lapack, result " + i);
        }
    }

    @Test
    void largeNativeSolveFromASmallStackThread() throws Exception {
        Assumptions.assumeTrue(Linalg.nativeAvailable(), "OpenBLAS missing");
        Linalg.useNative(true);
        var g = new Generator(15);
        Tensor a = general(g, new int[] {2}, 256), b = g.randn(2, 256, 3);
        a.matmul(a); // 256³ lets Gemm give OpenBLAS all cores, so its threaded getrf runs below
        Tensor[] x = new Tensor[1];
        Throwable[] failure = new Throwable[1];
        // threaded getrf/potrf need more stack than this; LapackThread must carry the calls
        Thread t = new Thread(null, () -> {
            try {
                x[0] = Linalg.solve(a, b);
                Linalg.cholesky(spd(g, new int[0], 256));
            } catch (Throwable e) {
                failure[0] = e;
            }
        }, "small-stack", 256 << 10);
        t.start();
        t.join();
        if (failure[0] != null) throw new AssertionError(failure[0]);
        close(b.toArray(), mul(a.toArray(), x[0].toArray(), 2, 256, 256, 3), 1e-10, "A X - B");
    }

    @Test
    void automaticBackendSendsSmallMatricesToJava() {
        Linalg.useAutomaticBackend();
        assertEquals(Linalg.nativeAvailable(), Linalg.usingNative());
        assertTrue(!Linalg.nativeFor(Linalg.AUTO_NATIVE_MIN_SIZE - 1, 3, false));
        assertEquals(Linalg.nativeAvailable(), Linalg.nativeFor(3, Linalg.AUTO_NATIVE_MIN_SIZE, false));
        assertTrue(!Linalg.nativeFor(Linalg.AUTO_NATIVE_MIN_SIZE_ITERATIVE - 1, 3, true));
        assertEquals(Linalg.nativeAvailable(), Linalg.nativeFor(Linalg.AUTO_NATIVE_MIN_SIZE_ITERATIVE, 3, true));
        var g = new Generator(16);
        for (int n : new int[] {3, Linalg.AUTO_NATIVE_MIN_SIZE + 1}) {
            Tensor a = general(g, new int[] {2}, n), b = g.randn(2, n, 2);
            close(b.toArray(), mul(a.toArray(), Linalg.solve(a, b).toArray(), 2, n, n, 2), 1e-12, "auto, n = " + n);
        }
    }

    // ---- errors

    @ParameterizedTest
    @MethodSource("backends")
    void errorsNameTheFunctionShapesAndBatchIndex(String backend) {
        use(backend);
        var e1 = assertThrows(IllegalArgumentException.class, () -> Linalg.solve(Tensor.zeros(3, 4), Tensor.zeros(3, 1)));
        assertTrue(e1.getMessage().startsWith("solve: A has shape [3, 4]"), e1.getMessage());
        var e2 = assertThrows(IllegalArgumentException.class,
                () -> Linalg.solve(Tensor.zeros(2, 3, 3), Tensor.zeros(4, 3, 1)));
        assertTrue(e2.getMessage().contains("[2, 3, 3]") && e2.getMessage().contains("[4, 3, 1]")
                && e2.getMessage().contains("do not broadcast"), e2.getMessage());
        var e3 = assertThrows(IllegalArgumentException.class, () -> Linalg.cholesky(Tensor.zeros(DType.INT64, 2, 2)));
        assertTrue(e3.getMessage().contains("cholesky: A is int64"), e3.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Linalg.det(Tensor.zeros(2, 3)));
        assertThrows(IllegalArgumentException.class, () -> Linalg.eigh(Tensor.zeros(3)));
        assertThrows(IllegalArgumentException.class, () -> Linalg.solveTriangular(Tensor.eye(3), Tensor.zeros(2, 3), true, true, false));

        Tensor batch = Tensor.stack(List.of(Tensor.eye(3), Tensor.eye(3), Tensor.zeros(3, 3)), 0).reshape(3, 1, 3, 3);
        var s = assertThrows(ArithmeticException.class, () -> Linalg.solve(batch, Tensor.ones(3, 1, 3, 1)));
        assertTrue(s.getMessage().startsWith("solve: the matrix at batch index [2, 0] of A [3, 1, 3, 3] is singular"), s.getMessage());
        var i = assertThrows(ArithmeticException.class, () -> Linalg.inv(batch));
        assertTrue(i.getMessage().startsWith("inv: the matrix at batch index [2, 0] of A [3, 1, 3, 3] is singular"), i.getMessage());
        var cs = assertThrows(ArithmeticException.class, () -> Linalg.choleskySolve(Tensor.ones(3, 1), Tensor.zeros(3, 3)));
        assertTrue(cs.getMessage().startsWith("choleskySolve: L [3, 3] is singular"), cs.getMessage());

        Tensor notPd = Tensor.stack(List.of(Tensor.eye(3), Tensor.of(new double[][] {{4, 0, 0}, {0, 1, 2}, {0, 2, 1}})), 0);
        var c = assertThrows(ArithmeticException.class, () -> Linalg.cholesky(notPd));
        assertTrue(c.getMessage().equals("cholesky: the matrix at batch index [1] of A [2, 3, 3] is not positive definite: "
                + "its leading minor of order 3 is not positive"), c.getMessage());
    }
}
