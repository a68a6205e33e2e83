package callisto.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import callisto.runtime.Cancellation;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CancellationException;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Both GEMM backends against a naive triple loop in double, over shapes, transposes, strides and beta. */
class GemmTest {
    private static final int[][] SHAPES = {
            {0, 0, 0}, {0, 3, 2}, {3, 0, 2}, {3, 4, 0}, {1, 1, 1}, {1, 7, 1}, {7, 1, 3}, {3, 5, 7}, {4, 16, 5},
            {5, 17, 9}, {17, 33, 65}, {64, 64, 64}, {97, 31, 300}, {130, 70, 90}, {33, 260, 19}, {200, 150, 270}};

    @BeforeAll
    static void report() {
        System.out.println("GemmTest: backend " + Gemm.backend() + "; native "
                + (BlasNative.available() ? BlasNative.PATH : "missing (" + BlasNative.FAILURE + ")"));
    }

    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (String backend : List.of("java", "native")) {
            for (int[] s : SHAPES) {
                for (int t = 0; t < 4; t++) out.add(Arguments.of(backend, s[0], s[1], s[2], (t & 1) != 0, (t & 2) != 0));
            }
        }
        return out.stream();
    }

    private static void assumeBackend(String backend) {
        if (backend.equals("native")) {
            Assumptions.assumeTrue(BlasNative.available(), () -> "OpenBLAS missing, native skipped: " + BlasNative.FAILURE);
        }
    }

    /** A stored rows×cols matrix at offset {@code off} with row stride {@code ld}, padding filled with junk. */
    private record Stored(double[] values, int off, int ld) {
        static Stored random(SplittableRandom rnd, int rows, int cols) {
            int ld = Math.max(1, cols) + rnd.nextInt(4), off = rnd.nextInt(5);
            double[] v = new double[off + rows * ld + rnd.nextInt(3)];
            for (int i = 0; i < v.length; i++) v[i] = rnd.nextDouble(-1, 1);
            return new Stored(v, off, ld);
        }

        double at(int r, int c) {
            return values[off + r * ld + c];
        }

        float[] floats() {
            float[] f = new float[values.length];
            for (int i = 0; i < f.length; i++) f[i] = (float) values[i];
            return f;
        }
    }

    @ParameterizedTest(name = "{0} m={1} n={2} k={3} transA={4} transB={5}")
    @MethodSource("cases")
    void matchesNaiveLoop(String backend, int m, int n, int k, boolean ta, boolean tb) {
        assumeBackend(backend);
        var rnd = new SplittableRandom(31L * m + 7L * n + k + (ta ? 1000 : 0) + (tb ? 2000 : 0));
        Stored a = Stored.random(rnd, ta ? k : m, ta ? m : k), b = Stored.random(rnd, tb ? n : k, tb ? k : n);
        for (boolean acc : new boolean[] {false, true}) {
            Stored c0 = Stored.random(rnd, m, n);
            if (!acc) { // beta = 0 must not read C: fill the target region with NaN
                for (int i = 0; i < m; i++) for (int j = 0; j < n; j++) c0.values[c0.off + i * c0.ld + j] = Double.NaN;
            }
            double[] want = c0.values.clone();
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    double s = acc ? c0.at(i, j) : 0;
                    for (int p = 0; p < k; p++) s += (ta ? a.at(p, i) : a.at(i, p)) * (tb ? b.at(j, p) : b.at(p, j));
                    want[c0.off + i * c0.ld + j] = s;
                }
            }
            // float64
            double[] cd = c0.values.clone();
            if (backend.equals("java")) {
                Gemm.gemmJava(ta, tb, m, n, k, a.values, a.off, a.ld, b.values, b.off, b.ld, cd, c0.off, c0.ld, acc);
            } else {
                Gemm.gemmNative(ta, tb, m, n, k, a.values, a.off, a.ld, b.values, b.off, b.ld, cd, c0.off, c0.ld, acc);
            }
            compare(want, cd, c0, m, n, 1e-12 * (k + 1), "f64 accumulate=" + acc);
            // float32: inputs rounded to float; error grows with k
            float[] cf = c0.floats();
            float[] af = a.floats(), bf = b.floats();
            if (backend.equals("java")) {
                Gemm.gemmJava(ta, tb, m, n, k, af, a.off, a.ld, bf, b.off, b.ld, cf, c0.off, c0.ld, acc);
            } else {
                Gemm.gemmNative(ta, tb, m, n, k, af, a.off, a.ld, bf, b.off, b.ld, cf, c0.off, c0.ld, acc);
            }
            double[] cfd = new double[cf.length];
            for (int i = 0; i < cf.length; i++) cfd[i] = cf[i];
            compare(want, cfd, c0, m, n, 1e-6 * (k + 4) * 2, "f32 accumulate=" + acc);
        }
    }

    /** Inside the m×n target: close to {@code want}; outside (padding, offsets): untouched. */
    private static void compare(double[] want, double[] got, Stored c, int m, int n, double tol, String what) {
        for (int x = 0; x < want.length; x++) {
            int r = (x - c.off) / c.ld, col = (x - c.off) % c.ld;
            boolean inside = x >= c.off && r < m && col < n;
            if (inside) {
                if (!(Math.abs(got[x] - want[x]) <= tol)) {
                    fail(what + ": C[" + r + "," + col + "] = " + got[x] + ", expected " + want[x] + " (tol " + tol + ")");
                }
            } else if (Double.compare((float) got[x], (float) want[x]) != 0) {
                fail(what + ": element " + x + " outside C changed: " + got[x] + " vs " + want[x]);
            }
        }
    }

    @Test
    void largeProductUsesThreadsAndMatchesNative() {
        // Large enough for the Java backend's second thread and for OpenBLAS's own threads.
        int m = 300, n = 260, k = 270;
        var rnd = new SplittableRandom(5);
        float[] a = new float[m * k], b = new float[k * n];
        for (int i = 0; i < a.length; i++) a[i] = (float) rnd.nextDouble(-1, 1);
        for (int i = 0; i < b.length; i++) b[i] = (float) rnd.nextDouble(-1, 1);
        float[] c = new float[m * n];
        Gemm.gemmJava(false, false, m, n, k, a, 0, k, b, 0, n, c, 0, n, false);
        for (int i = 0; i < m; i += 37) {
            for (int j = 0; j < n; j += 11) {
                double s = 0;
                for (int p = 0; p < k; p++) s += (double) a[i * k + p] * b[p * n + j];
                assertEquals(s, c[i * n + j], 1e-4, "C[" + i + "," + j + "]");
            }
        }
        Assumptions.assumeTrue(BlasNative.available(), "OpenBLAS missing, native comparison skipped");
        float[] cn = new float[m * n];
        Gemm.gemmNative(false, false, m, n, k, a, 0, k, b, 0, n, cn, 0, n, false);
        for (int i = 0; i < c.length; i++) assertEquals(cn[i], c[i], 1e-4, "element " + i);
    }

    @Test
    void dispatchMatchesBothSidesOfTheNativeThreshold() {
        for (int s : new int[] {8, 40}) { // 8³ below Gemm.NATIVE_MIN_WORK, 40³ above
            double[] a = new double[s * s], b = new double[s * s], c = new double[s * s];
            for (int i = 0; i < a.length; i++) {
                a[i] = i % 7 - 3;
                b[i] = i % 5 - 2;
            }
            Gemm.gemm(false, false, s, s, s, a, 0, s, b, 0, s, c, 0, s, false);
            double s00 = 0;
            for (int p = 0; p < s; p++) s00 += a[p] * b[p * s];
            assertEquals(s00, c[0], 0);
        }
    }

    @Test
    void badArgumentsAreNamed() {
        float[] x = new float[12];
        var e = assertThrows(IllegalArgumentException.class,
                () -> Gemm.gemm(false, false, 3, 4, 4, x, 0, 3, x.clone(), 0, 4, new float[12], 0, 4, false));
        assertTrue(e.getMessage().contains("lda = 3"), e.getMessage());
        var o = assertThrows(IndexOutOfBoundsException.class,
                () -> Gemm.gemm(false, false, 3, 4, 4, x, 1, 4, x.clone(), 0, 4, new float[12], 0, 4, false));
        assertTrue(o.getMessage().contains("gemm: a"), o.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> Gemm.gemm(false, false, 2, 2, 2, x, 0, 2, x, 4, 2, x, 2, 2, false));
    }

    @Test
    void interruptStopsTheJavaBackend() {
        var token = new Cancellation.Token();
        token.cancel();
        Cancellation.bind(token);
        try {
            int n = 256;
            assertThrows(CancellationException.class, () -> Gemm.gemmJava(false, false, n, n, n,
                    new float[n * n], 0, n, new float[n * n], 0, n, new float[n * n], 0, n, false));
        } finally {
            Cancellation.bind(null);
        }
    }
}
