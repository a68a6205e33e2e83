package callisto.pde;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import callisto.tensor.DType;
import callisto.tensor.Generator;
import callisto.tensor.Tensor;
import java.util.function.DoubleBinaryOperator;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** Finite-difference solves against manufactured solutions: second order, and the Darcy data sets' law. */
class EllipticTest {
    /** f(x, y) on the n×n nodes, row index = y, column index = x. */
    static Tensor nodes(int n, DoubleBinaryOperator f) {
        double[] v = new double[n * n];
        for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) v[i * n + j] = f.applyAsDouble(j / (n - 1.0), i / (n - 1.0));
        return Tensor.of(v, n, n);
    }

    /** The observed order between the max errors on 17, 33 and 65 nodes. */
    static double[] orders(Function<Integer, Double> error) {
        double e1 = error.apply(17), e2 = error.apply(33), e3 = error.apply(65);
        return new double[] {Math.log(e1 / e2) / Math.log(2), Math.log(e2 / e3) / Math.log(2)};
    }

    static void assertSecondOrder(double[] p) {
        for (double o : p) assertTrue(o > 1.85 && o < 2.2, "observed orders " + java.util.Arrays.toString(p));
    }

    static final DoubleBinaryOperator EXACT = (x, y) -> Math.sin(Math.PI * x) * Math.sin(2 * Math.PI * y);

    @Test
    void poissonIsSecondOrder() {
        assertSecondOrder(orders(n -> Elliptic.poisson(nodes(n, (x, y) -> 5 * Math.PI * Math.PI * EXACT.applyAsDouble(x, y)))
                .sub(nodes(n, EXACT)).abs().max().item()));
    }

    @Test
    void indefiniteHelmholtzIsSecondOrder() {
        double k = 6; // k² = 36 lies between the eigenvalues 2π² and 5π²: an indefinite system, solved by GMRES
        assertSecondOrder(orders(n -> Elliptic.helmholtz(nodes(n, (x, y) -> (5 * Math.PI * Math.PI - k * k) * EXACT.applyAsDouble(x, y)), k)
                .sub(nodes(n, EXACT)).abs().max().item()));
    }

    @Test
    void darcyWithSmoothCoefficientIsSecondOrder() {
        // u = sin πx sin 2πy, a = 1 + x + y²: f = -(a_x u_x + a_y u_y + a Δu)
        DoubleBinaryOperator a = (x, y) -> 1 + x + y * y;
        DoubleBinaryOperator f = (x, y) -> {
            double ux = Math.PI * Math.cos(Math.PI * x) * Math.sin(2 * Math.PI * y);
            double uy = 2 * Math.PI * Math.sin(Math.PI * x) * Math.cos(2 * Math.PI * y);
            double lap = -5 * Math.PI * Math.PI * EXACT.applyAsDouble(x, y);
            return -(1 * ux + 2 * y * uy + a.applyAsDouble(x, y) * lap);
        };
        assertSecondOrder(orders(n -> Elliptic.darcy(nodes(n, a), nodes(n, f)).sub(nodes(n, EXACT)).abs().max().item()));
    }

    @Test
    void darcyWithUnitCoefficientIsPoisson() {
        Tensor f = nodes(21, (x, y) -> Math.exp(x) * Math.cos(3 * y));
        Tensor both = Tensor.stack(java.util.List.of(f, f.mul(2)), 0);
        Tensor u = Elliptic.darcy(Tensor.onesLike(both), both);
        assertTrue(u.select(0, 0).sub(Elliptic.poisson(f)).abs().max().item() < 1e-9);
        assertTrue(u.select(0, 1).sub(u.select(0, 0).mul(2)).abs().max().item() < 1e-9, "linear in f, per sample");
    }

    @Test
    void oneDimensionalDarcyIsSecondOrder() {
        // -((1 + x) u')' = 1, u(0) = u(1) = 0: u = ln(1 + x) / ln 2 - x
        Function<Integer, Double> error = n -> {
            double[] a = new double[n], exact = new double[n];
            for (int j = 0; j < n; j++) {
                double x = j / (n - 1.0);
                a[j] = 1 + x;
                exact[j] = Math.log(1 + x) / Math.log(2) - x;
            }
            Tensor at = Tensor.of(a, 1, n);
            return Darcy.solve1d(at, Tensor.onesLike(at)).sub(Tensor.of(exact, 1, n)).abs().max().item();
        };
        assertSecondOrder(orders(error));
    }

    @Test
    void darcyDataSetsFollowTheLaw() {
        var d2 = Darcy.generate(new Generator(3), 3, 29);
        assertArrayEquals(new int[] {3, 29, 29}, d2.u().shape());
        assertEquals(DType.FLOAT32, d2.a().dtype());
        double[] a = d2.a().toArray();
        assertTrue(java.util.Arrays.stream(a).allMatch(v -> v == 3 || v == 12), "a takes the values 3 and 12 only");
        assertTrue(java.util.Arrays.stream(a).anyMatch(v -> v == 3) && java.util.Arrays.stream(a).anyMatch(v -> v == 12));
        Tensor u = d2.u();
        Tensor interior = u.narrow(1, 1, 27).narrow(2, 1, 27);
        assertTrue(interior.min().item() > 0, "f = 1 > 0 makes u positive inside (maximum principle)");
        assertEquals(0, u.select(1, 0).abs().max().item(), 0, "u = 0 on the boundary");
        // between the solutions for a = 12 and a = 3 everywhere (comparison principle)
        Tensor low = Elliptic.poisson(Tensor.ones(29, 29)).div(12), high = Elliptic.poisson(Tensor.ones(29, 29)).div(3);
        for (int s = 0; s < 3; s++) {
            assertTrue(u.select(0, s).to(DType.FLOAT64).sub(low).min().item() > -1e-6);
            assertTrue(high.sub(u.select(0, s).to(DType.FLOAT64)).min().item() > -1e-6);
        }
        var d1 = Darcy.generate1d(new Generator(3), 1000, 64);
        assertArrayEquals(new int[] {1000, 64}, d1.u().shape());
        assertTrue(d1.u().narrow(1, 1, 62).min().item() > 0);
    }

    @Test
    void neumannFieldsHaveTheLawsVarianceAtTheWallsAndInside() {
        var grf = GaussianRandomField.darcy();
        int n = 33;
        Tensor u = grf.sampleNeumann(new Generator(8), 6000, n);
        for (int j : new int[] {0, 8, 16}) {
            double x = j / (n - 1.0), var = 0;
            for (int k = 1; k < n; k++) var += 2 * Math.pow(Math.cos(Math.PI * k * x), 2) * Math.pow(Math.PI * Math.PI * k * k + 9, -2);
            Tensor col = u.select(1, j);
            assertEquals(var, col.mul(col).mean().item(), 0.06 * var, "variance at x = " + x);
        }
        // 2-D: the variance at a corner and at the centre, from the orthonormal cosine modes cos(πkx) cos(πly)
        int m = 9;
        Tensor u2 = grf.sampleNeumann(new Generator(9), 6000, m, m);
        assertArrayEquals(new int[] {6000, m, m}, u2.shape());
        for (int[] at : new int[][] {{0, 0}, {4, 4}, {0, 4}}) {
            double var = 0;
            for (int k = 0; k < m; k++) {
                for (int l = 0; l < m; l++) {
                    if (k == 0 && l == 0) continue;
                    double phi = (k == 0 ? 1 : Math.sqrt(2)) * Math.cos(Math.PI * k * at[0] / (m - 1.0))
                            * (l == 0 ? 1 : Math.sqrt(2)) * Math.cos(Math.PI * l * at[1] / (m - 1.0));
                    var += phi * phi * Math.pow(Math.PI * Math.PI * (k * k + l * l) + 9, -2);
                }
            }
            Tensor v = u2.select(1, at[0]).select(1, at[1]);
            assertEquals(var, v.mul(v).mean().item(), 0.06 * var, "variance at node " + java.util.Arrays.toString(at));
        }
    }

    @Test
    void badInputIsNamed() {
        var e = assertThrows(IllegalArgumentException.class, () -> Elliptic.darcy(Tensor.zeros(5, 5), Tensor.ones(5, 5)));
        assertTrue(e.getMessage().contains("positive"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Elliptic.poisson(Tensor.ones(4, 5)));
        assertTrue(e.getMessage().contains("[4, 5]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Darcy.solve1d(Tensor.ones(2, 5), Tensor.ones(2, 6)));
        assertTrue(e.getMessage().contains("[2, 6]"), e.getMessage());
    }
}
