package callisto.fields;

import static callisto.fields.FieldsTesting.maxAbsDiff;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import callisto.tensor.DType;
import callisto.tensor.GradCheck;
import callisto.tensor.Generator;
import callisto.tensor.Tensor;

import java.util.function.BiFunction;

import org.junit.jupiter.api.Test;

class RegistrationTest {
    static final DType F64 = DType.FLOAT64;

    /** A displacement [1, h, w, 2] from pixel-unit vectors (dx, dy) at row i, column j. */
    static Tensor pixelField(int h, int w, BiFunction<Integer, Integer, double[]> f) {
        double[] out = new double[h * w * 2];
        for (int i = 0; i < h; i++) {
            for (int j = 0; j < w; j++) {
                double[] v = f.apply(i, j);
                out[(i * w + j) * 2] = v[0] * 2 / (w - 1);
                out[(i * w + j) * 2 + 1] = v[1] * 2 / (h - 1);
            }
        }
        return Tensor.of(out, 1, h, w, 2);
    }

    @Test
    void zeroDisplacementIsTheIdentity() {
        var g = new Generator(1);
        Tensor image = g.randn(2, 3, 5, 6);
        assertArrayEquals(image.toArray(), Registration.warp(image, Tensor.zeros(F64, 2, 5, 6, 2)).toArray(), 1e-12);
        Tensor volume = g.randn(1, 2, 3, 4, 5);
        assertArrayEquals(volume.toArray(), Registration.warp(volume, Tensor.zeros(F64, 1, 3, 4, 5, 3)).toArray(), 1e-12);
    }

    @Test
    void warpSamplesTheImageOnTheDisplacementsGrid() {
        Tensor image = new Generator(7).randn(1, 1, 5, 5);
        // a 3x3 grid over the same square sits on image pixels 0, 2, 4 in each dim (aligned corners)
        double[] coarse = Registration.warp(image, Tensor.zeros(F64, 1, 3, 3, 2)).toArray(), fine = image.toArray();
        for (int i = 0; i < 3; i++) for (int j = 0; j < 3; j++) assertEquals(fine[2 * i * 5 + 2 * j], coarse[i * 3 + j], 1e-12);
    }

    @Test
    void subPixelShiftOfARampIsTheShiftedRamp() {
        int h = 8, w = 10;
        double a = 0.7, b = -1.3, c = 0.25, dx = 0.3, dy = -0.45;
        double[] ramp = new double[h * w];
        for (int i = 0; i < h; i++) for (int j = 0; j < w; j++) ramp[i * w + j] = a * j + b * i + c;
        Tensor image = Tensor.of(ramp, 1, 1, h, w);
        double[] warped = Registration.warp(image, pixelField(h, w, (i, j) -> new double[] {dx, dy})).toArray();
        int checked = 0;
        for (int i = 1; i < h; i++) { // rows where i + dy stays inside, columns where j + dx does
            for (int j = 0; j < w - 1; j++) {
                assertEquals(a * (j + dx) + b * (i + dy) + c, warped[i * w + j], 1e-12, "pixel " + i + ", " + j);
                checked++;
            }
        }
        assertEquals((h - 1) * (w - 1), checked);
    }

    @Test
    void scalingAndSquaringAConstantVelocityIsItsTranslation() {
        Tensor v = pixelField(16, 12, (i, j) -> new double[] {1.7, -2.3});
        Tensor phi = Registration.integrate(v, 7);
        assertTrue(maxAbsDiff(v.toArray(), phi.toArray()) < 1e-12, "exp(v) of a constant v is the shift by v");
        assertArrayEquals(v.toArray(), Registration.integrate(v, 0).toArray(), 0);
        // 3-D: a constant (x, y, z) velocity
        double[] c = {0.2, -0.1, 0.3};
        Tensor v3 = Tensor.of(c).reshape(1, 1, 1, 1, 3).expand(1, 4, 5, 6, 3).contiguous();
        assertTrue(maxAbsDiff(v3.toArray(), Registration.integrate(v3, 5).toArray()) < 1e-12);
    }

    @Test
    void scalingAndSquaringALinearVelocityIsTheMatrixPowerAndNearTheExponential() {
        int n = 33, steps = 8;
        double m = (n - 1) / 2.0;
        double[][] a = {{0.02, -0.1}, {0.1, 0.01}};
        // v(p) = A(p - m): the first step is the map I + A/2^N, squared N times; bilinear resampling of an affine
        // field is exact, so away from the border (where clamping reads constants) the result is (I + A/2^N)^(2^N)
        double[][] power = {{1 + a[0][0] / (1 << steps), a[0][1] / (1 << steps)}, {a[1][0] / (1 << steps), 1 + a[1][1] / (1 << steps)}};
        for (int k = 0; k < steps; k++) power = times(power, power);
        Tensor v = pixelField(n, n, (i, j) -> new double[] {a[0][0] * (j - m) + a[0][1] * (i - m), a[1][0] * (j - m) + a[1][1] * (i - m)});
        double[] phi = Registration.integrate(v, steps).toArray();
        double[] ex = linear(n, power), exp = linear(n, expm(a));
        double worst = 0, worstExp = 0;
        for (int i = 8; i < n - 8; i++) {
            for (int j = 8; j < n - 8; j++) {
                for (int k = 0; k < 2; k++) {
                    int at = (i * n + j) * 2 + k;
                    worst = Math.max(worst, Math.abs(phi[at] - ex[at]));
                    worstExp = Math.max(worstExp, Math.abs(phi[at] - exp[at]));
                }
            }
        }
        assertTrue(worst < 1e-12, "interior error " + worst + " against the matrix power");
        assertTrue(worstExp < 1e-4, "interior error " + worstExp + " against exp(A)"); // O(|A|²/2^N) per unit length
    }

    /** The normalized displacement of p -> m + M(p - m) on an n x n grid. */
    static double[] linear(int n, double[][] mat) {
        double m = (n - 1) / 2.0;
        return pixelField(n, n, (i, j) -> new double[] {(mat[0][0] - 1) * (j - m) + mat[0][1] * (i - m),
                mat[1][0] * (j - m) + (mat[1][1] - 1) * (i - m)}).toArray();
    }

    static double[][] times(double[][] x, double[][] y) {
        double[][] r = new double[2][2];
        for (int i = 0; i < 2; i++) for (int j = 0; j < 2; j++) r[i][j] = x[i][0] * y[0][j] + x[i][1] * y[1][j];
        return r;
    }

    /** exp(A) of a 2x2 matrix by its Taylor series. */
    static double[][] expm(double[][] a) {
        double[][] sum = {{1, 0}, {0, 1}}, term = {{1, 0}, {0, 1}};
        for (int k = 1; k < 30; k++) {
            double[][] next = new double[2][2];
            for (int r = 0; r < 2; r++) for (int c = 0; c < 2; c++) next[r][c] = (term[r][0] * a[0][c] + term[r][1] * a[1][c]) / k;
            term = next;
            for (int r = 0; r < 2; r++) for (int c = 0; c < 2; c++) sum[r][c] += term[r][c];
        }
        return sum;
    }

    @Test
    void composeAppliesTheSecondFieldFirst() {
        Tensor a = pixelField(9, 9, (i, j) -> new double[] {0.5 * j, 0});         // φa(p) = (1.5 x, y)
        Tensor b = pixelField(9, 9, (i, j) -> new double[] {1, 0});               // φb(p) = (x + 1, y)
        // φa(φb(p)) = (1.5(x + 1), y): displacement (0.5 x + 1.5, 0) where x + 1 stays inside
        Tensor expected = pixelField(9, 9, (i, j) -> new double[] {0.5 * j + 1.5, 0});
        double[] got = Registration.compose(a, b).toArray(), ex = expected.toArray();
        for (int i = 0; i < 9; i++) for (int j = 0; j < 8; j++) assertEquals(ex[(i * 9 + j) * 2], got[(i * 9 + j) * 2], 1e-12);
    }

    @Test
    void jacobianDeterminantOfAnAffineMapIsItsDeterminant() {
        double[][] mat = {{1.3, 0.4}, {-0.2, 0.8}};
        Tensor u = pixelField(7, 9, (i, j) -> new double[] {(mat[0][0] - 1) * j + mat[0][1] * i + 2, mat[1][0] * j + (mat[1][1] - 1) * i - 1});
        double det = mat[0][0] * mat[1][1] - mat[0][1] * mat[1][0];
        Tensor jd = Registration.jacobianDeterminant(u);
        assertArrayEquals(new int[] {1, 7, 9}, jd.shape());
        for (double v : jd.toArray()) assertEquals(det, v, 1e-12);
        assertEquals(0, Registration.foldFraction(u));
        // 3-D: φ(p) = M p, u in normalized units component k scaled by 2/(n_k - 1)
        double[][] m3 = {{1.1, 0.2, 0}, {0.1, 0.9, -0.3}, {0.05, 0.2, 1.2}};
        int d = 4, h = 5, w = 6;
        int[] size = {w, h, d}; // size along coordinate k (x, y, z)
        double[] out = new double[d * h * w * 3];
        for (int z = 0; z < d; z++)
            for (int y = 0; y < h; y++)
                for (int x = 0; x < w; x++) {
                    double[] p = {x, y, z};
                    for (int k = 0; k < 3; k++) {
                        double phi = m3[k][0] * p[0] + m3[k][1] * p[1] + m3[k][2] * p[2];
                        out[((z * h + y) * w + x) * 3 + k] = (phi - p[k]) * 2 / (size[k] - 1);
                    }
                }
        double det3 = m3[0][0] * (m3[1][1] * m3[2][2] - m3[1][2] * m3[2][1]) - m3[0][1] * (m3[1][0] * m3[2][2] - m3[1][2] * m3[2][0])
                + m3[0][2] * (m3[1][0] * m3[2][1] - m3[1][1] * m3[2][0]);
        for (double v : Registration.jacobianDeterminant(Tensor.of(out, 1, d, h, w, 3)).toArray()) assertEquals(det3, v, 1e-12);
    }

    @Test
    void foldFractionCountsTheMirroredRows() {
        int h = 10, w = 6;
        // φ = (s(y)·x, y) with s = -1 on rows 7..9: det = s exactly (∂φ_y/∂x = 0 kills the cross term)
        Tensor u = pixelField(h, w, (i, j) -> new double[] {(i >= 7 ? -2.0 : 0.0) * j, 0});
        assertEquals(0.3, Registration.foldFraction(u), 1e-15);
        Tensor mirror = pixelField(h, w, (i, j) -> new double[] {-2.0 * j, 0});
        assertEquals(1, Registration.foldFraction(mirror));
    }

    @Test
    void endPointErrorIsInPixels() {
        Tensor a = new Generator(2).randn(2, 6, 8, 2).mul(0.1);
        assertEquals(0, Registration.endPointError(a, a).item(), 0);
        Tensor b = a.add(pixelField(6, 8, (i, j) -> new double[] {3, -4}));
        assertEquals(5, Registration.endPointError(a, b).item(), 1e-12);
    }

    @Test
    void maskedEndPointErrorAveragesOverTheMask() {
        int h = 5, w = 6;
        Tensor a = new Generator(4).randn(1, h, w, 2).mul(0.1);
        // errors of 1 px in the left half (columns 0-2) and 3 px in the right half
        Tensor b = a.add(pixelField(h, w, (i, j) -> new double[] {0, j < 3 ? 1 : 3}));
        double[] left = new double[h * w], ones = new double[h * w];
        for (int q = 0; q < h * w; q++) {
            left[q] = q % w < 3 ? 1 : 0;
            ones[q] = 1;
        }
        assertEquals(1, Registration.endPointError(a, b, Tensor.of(left, 1, h, w)).item(), 1e-12);
        assertEquals(2, Registration.endPointError(a, b, Tensor.of(ones, 1, h, w)).item(), 1e-12);
        assertEquals(Registration.endPointError(a, b).item(), Registration.endPointError(a, b, Tensor.of(ones, 1, h, w)).item(), 1e-12);
        // weights: 3 on the left, 1 on the right give (3·1 + 1·3) / 4 per row pair
        double[] weights = new double[h * w];
        for (int q = 0; q < h * w; q++) weights[q] = q % w < 3 ? 3 : 1;
        assertEquals(1.5, Registration.endPointError(a, b, Tensor.of(weights, 1, h, w)).item(), 1e-12);
        GradCheck.gradcheck(t -> Registration.endPointError(t[0], t[1], Tensor.of(weights, 1, h, w)), a, b);
        var e = assertThrows(IllegalArgumentException.class, () -> Registration.endPointError(a, b, Tensor.zeros(F64, 1, h, w + 1)));
        assertTrue(e.getMessage().contains("[1, 5, 7]") && e.getMessage().contains("[1, 5, 6]"), e.getMessage());
    }

    @Test
    void nccIsOneForAnAffineIntensityMapAndSymmetric() {
        var g = new Generator(3);
        Tensor a = g.randn(2, 2, 6, 7), b = g.randn(2, 2, 6, 7);
        assertEquals(1, Registration.ncc(a, a.mul(2.5).add(0.7)).item(), 1e-12);
        assertEquals(-1, Registration.ncc(a, a.mul(-0.3)).item(), 1e-12);
        assertEquals(Registration.ncc(a, b).item(), Registration.ncc(b, a).item(), 1e-15);
        // per-sample Pearson correlation, averaged
        double[] x = a.toArray(), y = b.toArray();
        int n = x.length / 2;
        double mean = 0;
        for (int s = 0; s < 2; s++) {
            double mx = 0, my = 0;
            for (int i = 0; i < n; i++) { mx += x[s * n + i]; my += y[s * n + i]; }
            mx /= n;
            my /= n;
            double sxy = 0, sxx = 0, syy = 0;
            for (int i = 0; i < n; i++) {
                double dx = x[s * n + i] - mx, dy = y[s * n + i] - my;
                sxy += dx * dy; sxx += dx * dx; syy += dy * dy;
            }
            mean += sxy / Math.sqrt(sxx * syy) / 2;
        }
        assertEquals(mean, Registration.ncc(a, b).item(), 1e-12);
    }

    @Test
    void localNccMatchesWindowedCorrelation() {
        var g = new Generator(4);
        int c = 2, h = 6, w = 7, win = 3;
        double eps = 1e-5;
        Tensor a = g.randn(1, c, h, w), b = g.randn(1, c, h, w);
        double[] x = a.toArray(), y = b.toArray();
        double total = 0;
        int count = 0;
        for (int ch = 0; ch < c; ch++) {
            for (int i = 0; i + win <= h; i++) {
                for (int j = 0; j + win <= w; j++) {
                    double mx = 0, my = 0;
                    for (int di = 0; di < win; di++) for (int dj = 0; dj < win; dj++) {
                        mx += x[(ch * h + i + di) * w + j + dj];
                        my += y[(ch * h + i + di) * w + j + dj];
                    }
                    mx /= win * win;
                    my /= win * win;
                    double sxy = 0, sxx = 0, syy = 0;
                    for (int di = 0; di < win; di++) for (int dj = 0; dj < win; dj++) {
                        double dx = x[(ch * h + i + di) * w + j + dj] - mx, dy = y[(ch * h + i + di) * w + j + dj] - my;
                        sxy += dx * dy; sxx += dx * dx; syy += dy * dy;
                    }
                    total += sxy * sxy / (sxx * syy + eps);
                    count++;
                }
            }
        }
        assertEquals(total / count, Registration.localNcc(a, b, win).item(), 1e-12);
        assertEquals(Registration.localNcc(a, b, win).item(), Registration.localNcc(b, a, win).item(), 1e-15);
        assertEquals(1, Registration.localNcc(a, a.mul(-1.7).add(3), win, 0).item(), 1e-9);
        Tensor vol = g.randn(1, 1, 5, 5, 5);
        assertEquals(1, Registration.localNcc(vol, vol.mul(0.4).add(1), 3, 0).item(), 1e-9);
    }

    @Test
    void smoothnessAndBendingEnergyOfKnownFields() {
        double[][] m = {{0.3, -0.2}, {0.5, 0.1}};
        Tensor affine = pixelField(6, 7, (i, j) -> new double[] {m[0][0] * j + m[0][1] * i + 1, m[1][0] * j + m[1][1] * i});
        assertEquals(0.09 + 0.04 + 0.25 + 0.01, Registration.smoothness(affine).item(), 1e-12);
        assertEquals(0, Registration.bendingEnergy(affine).item(), 1e-20);
        double q = 0.05;
        // u_x = q x², u_y = q x y: ∂xx u_x = 2q, ∂xy u_y = q (counted twice), everything else 0
        Tensor curved = pixelField(6, 7, (i, j) -> new double[] {q * j * j, q * j * i});
        assertEquals(4 * q * q + 2 * q * q, Registration.bendingEnergy(curved).item(), 1e-12);
        assertEquals(0, Registration.smoothness(Tensor.zeros(F64, 1, 4, 4, 2)).item(), 0);
    }

    @Test
    void gradchecksToSecondOrder() {
        var g = new Generator(5);
        Tensor image = g.randn(1, 2, 4, 5), disp = g.uniform(-0.3, 0.3, 1, 3, 4, 2);
        GradCheck.gradcheck(t -> Registration.warp(t[0], t[1]), image, disp);
        GradCheck.gradgradcheck(t -> Registration.warp(t[0], t[1]), image, disp);
        Tensor vel = g.uniform(-0.2, 0.2, 1, 4, 4, 2);
        GradCheck.gradcheck(t -> Registration.integrate(t[0], 2), vel);
        GradCheck.gradgradcheck(t -> Registration.integrate(t[0], 2), vel);
        Tensor a = g.randn(2, 1, 4, 4), b = g.randn(2, 1, 4, 4);
        GradCheck.gradcheck(t -> Registration.ncc(t[0], t[1]), a, b);
        GradCheck.gradgradcheck(t -> Registration.ncc(t[0], t[1]), a, b);
        GradCheck.gradcheck(t -> Registration.localNcc(t[0], t[1], 3), a, b);
        GradCheck.gradgradcheck(t -> Registration.localNcc(t[0], t[1], 3), a, b);
        Tensor u = g.randn(1, 4, 4, 2).mul(0.2);
        GradCheck.gradcheck(t -> Registration.smoothness(t[0]), u);
        GradCheck.gradgradcheck(t -> Registration.smoothness(t[0]), u);
        GradCheck.gradcheck(t -> Registration.bendingEnergy(t[0]), u);
        GradCheck.gradgradcheck(t -> Registration.bendingEnergy(t[0]), u);
        GradCheck.gradcheck(t -> Registration.jacobianDeterminant(t[0]), u);
        GradCheck.gradgradcheck(t -> Registration.jacobianDeterminant(t[0]), u);
        GradCheck.gradcheck(t -> Registration.endPointError(t[0], t[1]), u, u.add(0.3));
    }

    @Test
    void badArgumentsAreNamed() {
        Tensor image = Tensor.zeros(F64, 1, 1, 4, 4);
        var e = assertThrows(IllegalArgumentException.class, () -> Registration.warp(image, Tensor.zeros(F64, 2, 4, 4, 2)));
        assertTrue(e.getMessage().contains("[1, 1, 4, 4]") && e.getMessage().contains("[2, 4, 4, 2]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Registration.warp(image, Tensor.zeros(F64, 1, 4, 4, 3)));
        assertTrue(e.getMessage().contains("displacement of shape [1, 4, 4, 3]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Registration.warp(image, Tensor.zeros(DType.FLOAT32, 1, 4, 4, 2)));
        assertTrue(e.getMessage().contains("FLOAT64") && e.getMessage().contains("FLOAT32"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Registration.integrate(Tensor.zeros(F64, 1, 4, 4, 2), -1));
        assertTrue(e.getMessage().contains("steps -1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Registration.localNcc(image, image, 5));
        assertTrue(e.getMessage().contains("window 5"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Registration.ncc(image, Tensor.zeros(F64, 1, 1, 4, 5)));
        assertTrue(e.getMessage().contains("[1, 1, 4, 4]") && e.getMessage().contains("[1, 1, 4, 5]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Registration.jacobianDeterminant(Tensor.zeros(F64, 1, 1, 4, 2)));
        assertTrue(e.getMessage().contains("spatial size >= 2"), e.getMessage());
    }
}
