package callisto.operators;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import callisto.tensor.DType;
import callisto.tensor.Generator;
import callisto.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.function.Supplier;

class MgConvTest {
    private static final DType F64 = DType.FLOAT64;
    private static final double OMEGA = 2.0 / 3;

    // ---- gradients

    @Test
    void gradients1dEveryBoundary() {
        for (Boundary b : Boundary.values()) {
            var g = new Generator(1);
            var m = new MgConv(2, 1, 1, 2, 1, 1, 1, b, F64, g);
            OperatorTesting.gradcheckModule(m, g.randn(F64, 1, 2, 4), false);
        }
    }

    @Test
    void secondOrderGradients1d() {
        var g = new Generator(2);
        var m = new MgConv(1, 1, 1, 2, 1, 0, 2, Boundary.PERIODIC, F64, g);
        OperatorTesting.gradcheckModule(m, g.randn(F64, 1, 1, 4), true);
    }

    @Test
    void gradients2d() {
        for (Boundary b : Boundary.values()) {
            var g = new Generator(3);
            var m = new MgConv(1, 1, 2, 2, 1, 0, 1, b, F64, g);
            OperatorTesting.gradcheckModule(m, g.randn(F64, 1, 1, 4, 4), false);
        }
    }

    @Test
    void linearInTheInput() {
        var g = new Generator(4);
        var m = new MgConv(2, 3, 1, 3, 2, 1, 2, Boundary.NEUMANN, F64, g);
        Tensor x = g.randn(F64, 2, 2, 16), y = g.randn(F64, 2, 2, 16);
        Tensor lhs = m.forward(x.mul(2).add(y.mul(-3))), rhs = m.forward(x).mul(2).add(m.forward(y).mul(-3));
        assertArrayEquals(rhs.toArray(), lhs.toArray(), 1e-10);
        assertArrayEquals(new int[] {2, 3, 16}, lhs.shape());
    }

    // ---- boundary modes on a known input

    /** One level, one step, S = [1, 0, 0] (u_i = f_{i−1}): the value read left of the grid is the boundary's. */
    @Test
    void boundaryPadding1d() {
        double[] f = {1, 2, 3, 4};
        double[][] expected = {{0, 1, 2, 3}, {2, 1, 2, 3}, {4, 1, 2, 3}}; // Dirichlet, Neumann (mirror), periodic
        for (Boundary b : Boundary.values()) {
            var m = new MgConv(1, 1, 1, 1, 1, 0, 1, b, F64, new Generator(5));
            OperatorTesting.set(m, "levels.0.S.weight", 1, 0, 0);
            assertArrayEquals(expected[b.ordinal()], m.forward(Tensor.of(f, 1, 1, 4)).toArray(), 0, b.toString());
        }
    }

    /** S reads the neighbour up and to the left: the first row and column show the padding in both dims. */
    @Test
    void boundaryPadding2d() {
        double[] f = {1, 2, 3, 4, 5, 6, 7, 8, 9};
        double[][] expected = {
            {0, 0, 0, 0, 1, 2, 0, 4, 5},   // zeros
            {5, 4, 5, 2, 1, 2, 5, 4, 5},   // reflect: row −1 is row 1, column −1 is column 1
            {9, 7, 8, 3, 1, 2, 6, 4, 5}};  // circular
        for (Boundary b : Boundary.values()) {
            var m = new MgConv(1, 1, 2, 1, 1, 0, 1, b, F64, new Generator(6));
            OperatorTesting.set(m, "levels.0.S.weight", 1, 0, 0, 0, 0, 0, 0, 0, 0);
            assertArrayEquals(expected[b.ordinal()], m.forward(Tensor.of(f, 1, 1, 3, 3)).toArray(), 0, b.toString());
        }
    }

    // ---- classical weights: textbook multigrid

    /** Sets the Poisson stencil, weighted Jacobi, full weighting and linear interpolation on every level. */
    static MgConv classical(int n, int levels, int pre, int post, int cycles, Boundary b) {
        var m = new MgConv(1, 1, 1, levels, pre, post, cycles, b, F64, new Generator(7));
        double h = 1.0 / n;
        for (int l = 0; l < levels; l++) {
            double hl = h * (1 << l), h2 = hl * hl;
            OperatorTesting.set(m, "levels." + l + ".A.weight", -1 / h2, 2 / h2, -1 / h2);
            OperatorTesting.set(m, "levels." + l + ".S.weight", 0, OMEGA * h2 / 2, 0);
            if (l < levels - 1) {
                OperatorTesting.set(m, "levels." + l + ".R.weight", 0.25, 0.5, 0.25);
                OperatorTesting.set(m, "levels." + l + ".P.weight", 0.5, 1, 0.5);
            }
        }
        return m;
    }

    /** The textbook V-cycle on plain arrays, in its own words: ghosts by the boundary, restriction at even points. */
    static final class Textbook {
        final Boundary b;
        final int pre, post, levels;

        Textbook(Boundary b, int levels, int pre, int post) {
            this.b = b;
            this.levels = levels;
            this.pre = pre;
            this.post = post;
        }

        double at(double[] u, int i) {
            int n = u.length;
            if (i >= 0 && i < n) return u[i];
            return switch (b) {
                case DIRICHLET -> 0;
                case PERIODIC -> u[Math.floorMod(i, n)];
                case NEUMANN -> u[i < 0 ? -i : 2 * (n - 1) - i];
            };
        }

        double[] laplacian(double[] u, double h) {
            double[] r = new double[u.length];
            for (int i = 0; i < u.length; i++) r[i] = (2 * u[i] - at(u, i - 1) - at(u, i + 1)) / (h * h);
            return r;
        }

        double[] jacobi(double[] f, double[] u, double h) {
            double[] au = laplacian(u, h), r = new double[u.length];
            for (int i = 0; i < u.length; i++) r[i] = u[i] + OMEGA * h * h / 2 * (f[i] - au[i]);
            return r;
        }

        double[] restrict(double[] r) {
            double[] c = new double[r.length / 2];
            for (int i = 0; i < c.length; i++) c[i] = 0.25 * at(r, 2 * i - 1) + 0.5 * r[2 * i] + 0.25 * at(r, 2 * i + 1);
            return c;
        }

        /** Linear interpolation: even fine points copy, odd ones average their coarse neighbours. */
        double[] prolong(double[] e) {
            double[] fine = new double[2 * e.length];
            for (int i = 0; i < e.length; i++) {
                fine[2 * i] = e[i];
                double right = i + 1 < e.length ? e[i + 1] : switch (b) {
                    case DIRICHLET -> 0;
                    case PERIODIC -> e[0];
                    case NEUMANN -> 0; // the transposed reflect adds the overhang back inside (see below)
                };
                fine[2 * i + 1] = 0.5 * (e[i] + right);
            }
            if (b == Boundary.NEUMANN) fine[1] += 0.5 * e[0]; // the half at fine −1 is mirrored onto fine 1
            return fine;
        }

        double[] vcycle(double[] f, double[] u, double h, int level) {
            boolean coarsest = level == levels - 1;
            int steps = coarsest ? pre + post : pre;
            for (int i = 0; i < steps; i++) u = jacobi(f, u, h);
            if (coarsest) return u;
            double[] au = laplacian(u, h), r = new double[f.length];
            for (int i = 0; i < f.length; i++) r[i] = f[i] - au[i];
            double[] fc = restrict(r);
            double[] e = prolong(vcycle(fc, new double[fc.length], 2 * h, level + 1));
            for (int i = 0; i < u.length; i++) u[i] += e[i];
            for (int i = 0; i < post; i++) u = jacobi(f, u, h);
            return u;
        }
    }

    private static double[] rhs(int n, long seed, boolean zeroMean) {
        double[] f = new Generator(seed).randn(F64, n).toArray();
        if (zeroMean) {
            double mean = java.util.Arrays.stream(f).average().orElse(0);
            for (int i = 0; i < n; i++) f[i] -= mean;
        }
        return f;
    }

    @Test
    void classicalWeightsGiveTheTextbookVCycle() {
        int n = 32, levels = 4, pre = 2, post = 1, cycles = 3;
        for (Boundary b : Boundary.values()) {
            double[] f = rhs(n, 11, b != Boundary.DIRICHLET);
            var textbook = new Textbook(b, levels, pre, post);
            double[] u = new double[n];
            for (int c = 0; c < cycles; c++) u = textbook.vcycle(f, u, 1.0 / n, 0);
            double[] ours = classical(n, levels, pre, post, cycles, b).forward(Tensor.of(f, 1, 1, n)).toArray();
            double scale = java.util.Arrays.stream(u).map(Math::abs).max().orElse(1);
            assertArrayEquals(u, ours, 1e-10 * scale, b.toString());
        }
    }

    /** ‖f − A u_k‖ / ‖f − A u_{k−1}‖, the worst over cycles 3..8, with the layer's own cycles. */
    static double contraction(int n, int levels, int pre, int post, Boundary b) {
        double[] f = rhs(n, 12, true);
        var textbook = new Textbook(b, levels, pre, post);
        Tensor ft = Tensor.of(f, 1, 1, n);
        double worst = 0, previous = norm(f);
        var m = classical(n, levels, pre, post, 1, b);
        Tensor u = null;
        for (int c = 1; c <= 8; c++) {
            u = m.cycle(0, ft, u);
            double r = norm(subtract(f, textbook.laplacian(u.toArray(), 1.0 / n)));
            if (c >= 3) worst = Math.max(worst, r / previous);
            previous = r;
        }
        return worst;
    }

    private static double norm(double[] v) {
        double s = 0;
        for (double x : v) s += x * x;
        return Math.sqrt(s);
    }

    private static double[] subtract(double[] a, double[] b) {
        double[] r = new double[a.length];
        for (int i = 0; i < a.length; i++) r[i] = a[i] - b[i];
        return r;
    }

    /** Periodic Poisson, down to 4 points: textbook V(2,1) contraction, the same at every n. */
    @Test
    void residualContractsIndependentlyOfN() {
        double[] rho = new double[3];
        int[] sizes = {64, 128, 256};
        for (int i = 0; i < 3; i++) {
            int n = sizes[i], levels = Integer.numberOfTrailingZeros(n) - 1;
            rho[i] = contraction(n, levels, 2, 1, Boundary.PERIODIC);
            assertTrue(rho[i] < 0.2, "n = " + n + ": residual contraction " + rho[i]);
        }
        assertTrue(Math.abs(rho[2] - rho[0]) < 0.05, "contraction depends on n: " + java.util.Arrays.toString(rho));
        // more smoothing contracts more, as it must
        assertTrue(contraction(128, 6, 2, 2, Boundary.PERIODIC) < rho[1]);
    }

    /**
     * The same (h-scaled) classical weights at two resolutions approximate one continuous operator, (−d²/dx²)⁻¹ on the
     * periodic unit interval: ten V-cycles on a smooth zero-mean f give u within O(h²) of the exact solution.
     */
    @Test
    void convergesToTheContinuousSolutionAtSecondOrder() {
        double[] error = new double[2];
        for (int i = 0; i < 2; i++) {
            int n = 64 << i, levels = Integer.numberOfTrailingZeros(n) - 1;
            double[] f = new double[n], exact = new double[n];
            for (int j = 0; j < n; j++) {
                double x = (double) j / n, k1 = 2 * Math.PI, k2 = 4 * Math.PI;
                f[j] = Math.cos(k1 * x) + Math.sin(k2 * x);
                exact[j] = Math.cos(k1 * x) / (k1 * k1) + Math.sin(k2 * x) / (k2 * k2);
            }
            double[] u = classical(n, levels, 2, 1, 10, Boundary.PERIODIC).forward(Tensor.of(f, 1, 1, n)).toArray();
            for (int j = 0; j < n; j++) error[i] = Math.max(error[i], Math.abs(u[j] - exact[j]));
        }
        double order = Math.log(error[0] / error[1]) / Math.log(2);
        assertTrue(error[1] < 1e-4 && Math.abs(order - 2) < 0.2, "errors " + java.util.Arrays.toString(error) + ", order " + order);
    }

    // ---- parameters and errors

    @Test
    void parameterCount() {
        int in = 3, out = 5, levels = 4;
        long perLevel1d = 2L * 3 * in * out, transfer1d = 3L * (in * in + out * out);
        long coarsestA1d = 3L * in * out; // a V(1,0) cycle never applies the coarsest A
        var m1 = new MgConv(in, out, 1, levels, 1, 0, 1, Boundary.DIRICHLET, F64, new Generator(8));
        assertEquals(levels * perLevel1d + (levels - 1) * transfer1d - coarsestA1d, m1.numParameters());
        var m2 = MgConv.of2d(in, out, levels, Boundary.PERIODIC, new Generator(8));
        assertEquals(3 * (levels * perLevel1d + (levels - 1) * transfer1d - coarsestA1d), m2.numParameters());
        var m3 = new MgConv(in, out, 1, levels, 2, 1, 1, Boundary.DIRICHLET, F64, new Generator(8));
        assertEquals(levels * perLevel1d + (levels - 1) * transfer1d, m3.numParameters());
        assertEquals(null, m1.namedParameters().get("levels.3.A.weight"));
        assertArrayEquals(new int[] {in, out, 3}, m3.namedParameters().get("levels.3.A.weight").shape());
        assertEquals(DType.FLOAT32, m2.parameters().get(0).dtype());
        assertArrayEquals(new int[] {in, out, 3}, m1.namedParameters().get("levels.0.A.weight").shape());
        assertArrayEquals(new int[] {out, in, 3}, m1.namedParameters().get("levels.0.S.weight").shape());
        assertArrayEquals(new int[] {in, in, 3}, m1.namedParameters().get("levels.2.R.weight").shape());
        assertArrayEquals(new int[] {out, out, 3}, m1.namedParameters().get("levels.2.P.weight").shape());
        assertEquals(null, m1.namedParameters().get("levels.3.R.weight"));
    }

    /** A parameter that never reaches the output would be counted in numParameters but never trained. */
    @Test
    void everyParameterGetsAGradient() {
        int[][] cycles = {{1, 0, 1}, {2, 1, 1}, {1, 0, 2}, {0, 1, 1}};
        for (int[] c : cycles) {
            for (int levels : new int[] {1, 3}) {
                var m = new MgConv(2, 3, 1, levels, c[0], c[1], c[2], Boundary.DIRICHLET, F64, new Generator(11));
                Tensor loss = m.forward(new Generator(12).randn(F64, 2, 2, 8)).pow(2).sum();
                loss.backward();
                for (var e : m.namedParameters().entrySet()) {
                    String what = "V(" + c[0] + "," + c[1] + ") x" + c[2] + ", " + levels + " levels: " + e.getKey();
                    assertTrue(e.getValue().grad() != null, what + " has no gradient");
                    assertTrue(e.getValue().grad().abs().sum().item() > 0, what + " has a zero gradient");
                }
            }
        }
    }

    @Test
    void sameSeedSameOperator() {
        Supplier<MgConv> make = () -> MgConv.of1d(2, 2, 3, Boundary.NEUMANN, new Generator(9));
        Tensor x = new Generator(10).randn(DType.FLOAT32, 2, 2, 8);
        assertArrayEquals(make.get().forward(x).toArray(), make.get().forward(x).toArray(), 0);
    }

    @Test
    void argumentAndShapeErrors() {
        var g = new Generator(11);
        var m = MgConv.of1d(2, 3, 3, Boundary.DIRICHLET, g);
        var e = assertThrows(IllegalArgumentException.class, () -> m.forward(Tensor.zeros(DType.FLOAT32, 1, 2, 10)));
        assertTrue(e.getMessage().contains("10") && e.getMessage().contains("2^(levels - 1) = 4"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> m.forward(Tensor.zeros(DType.FLOAT32, 1, 3, 8)));
        assertTrue(e.getMessage().contains("[1, 3, 8]") && e.getMessage().contains("[batch, 2, n]"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> m.forward(Tensor.zeros(DType.FLOAT32, 2, 8)));
        var neumann = MgConv.of1d(1, 1, 3, Boundary.NEUMANN, g);
        e = assertThrows(IllegalArgumentException.class, () -> neumann.forward(Tensor.zeros(DType.FLOAT32, 1, 1, 4)));
        assertTrue(e.getMessage().contains("NEUMANN"), e.getMessage());
        var m2 = MgConv.of2d(1, 1, 2, Boundary.PERIODIC, g);
        e = assertThrows(IllegalArgumentException.class, () -> m2.forward(Tensor.zeros(DType.FLOAT32, 1, 1, 4, 5)));
        assertTrue(e.getMessage().contains("5"), e.getMessage());
        assertArrayEquals(new int[] {1, 1, 4, 6}, m2.forward(Tensor.zeros(DType.FLOAT32, 1, 1, 4, 6)).shape());
        assertThrows(IllegalArgumentException.class, () -> new MgConv(1, 1, 3, 2, 1, 0, 1, Boundary.PERIODIC, F64, g));
        assertThrows(IllegalArgumentException.class, () -> new MgConv(1, 1, 1, 0, 1, 0, 1, Boundary.PERIODIC, F64, g));
        assertThrows(IllegalArgumentException.class, () -> new MgConv(1, 1, 1, 2, 0, 0, 1, Boundary.PERIODIC, F64, g));
        assertThrows(IllegalArgumentException.class, () -> new MgConv(1, 1, 1, 2, 1, 0, 0, Boundary.PERIODIC, F64, g));
        assertThrows(IllegalArgumentException.class, () -> new MgConv(0, 1, 1, 2, 1, 0, 1, Boundary.PERIODIC, F64, g));
        assertThrows(IllegalArgumentException.class, () -> new MgConv(1, 1, 1, 2, 1, 0, 1, null, F64, g));
    }
}
