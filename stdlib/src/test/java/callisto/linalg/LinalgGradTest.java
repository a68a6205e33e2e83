package callisto.linalg;

import static org.junit.jupiter.api.Assertions.assertEquals;

import callisto.tensor.DType;
import callisto.tensor.Generator;
import callisto.tensor.GradCheck;
import callisto.tensor.Tensor;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Finite-difference checks (float64) of every function's gradient on both backends, and of second derivatives
 * for solve, solveTriangular, inv, det, slogdet/logdet, cholesky and choleskySolve. Cholesky and eigh read one
 * triangle and return the symmetric gradient, so they are checked through (X + Xᵀ)/2; eigh and svd outputs are
 * made sign-invariant (squared vector entries) since eigenvector signs are arbitrary.
 */
class LinalgGradTest {
    @AfterEach
    void restore() {
        Linalg.useAutomaticBackend();
    }

    static Stream<String> backends() {
        return LinalgTest.backends();
    }

    private static Tensor sym(Tensor x) {
        return x.add(x.transpose(-2, -1)).mul(0.5);
    }

    private static void both(Function<Tensor[], Tensor> f, Tensor... inputs) {
        GradCheck.gradcheck(f, inputs);
        GradCheck.gradgradcheck(f, inputs);
    }

    @ParameterizedTest
    @MethodSource("backends")
    void solve(String backend) {
        LinalgTest.use(backend);
        var g = new Generator(21);
        both(x -> Linalg.solve(x[0], x[1]), LinalgTest.general(g, new int[] {2}, 3), g.randn(2, 3, 2));
        // broadcast batch: A shared by two right-hand sides, and a vector B
        both(x -> Linalg.solve(x[0], x[1]), LinalgTest.general(g, new int[0], 3), g.randn(2, 3, 1));
        GradCheck.gradcheck(x -> Linalg.solve(x[0], x[1]), LinalgTest.general(g, new int[0], 3), g.randn(3));
    }

    @ParameterizedTest
    @MethodSource("backends")
    void solveTriangular(String backend) {
        LinalgTest.use(backend);
        var g = new Generator(22);
        for (boolean upper : new boolean[] {false, true}) {
            for (boolean left : new boolean[] {false, true}) {
                for (boolean unit : new boolean[] {false, true}) {
                    Tensor a = LinalgTest.general(g, new int[0], 3), b = left ? g.randn(3, 2) : g.randn(2, 3);
                    both(x -> Linalg.solveTriangular(x[0], x[1], upper, left, unit), a, b);
                }
            }
        }
    }

    @ParameterizedTest
    @MethodSource("backends")
    void invDetLogdet(String backend) {
        LinalgTest.use(backend);
        var g = new Generator(23);
        Tensor a = LinalgTest.general(g, new int[] {2}, 3);
        both(x -> Linalg.inv(x[0]), a);
        both(x -> Linalg.det(x[0]), a);
        both(x -> Linalg.logdet(x[0]), a); // diagonally dominant with a positive diagonal: det > 0
        both(x -> Linalg.slogdet(x[0]).logabsdet(), g.randn(3, 3));
    }

    @ParameterizedTest
    @MethodSource("backends")
    void choleskyAndCholeskySolve(String backend) {
        LinalgTest.use(backend);
        var g = new Generator(24);
        Tensor a = LinalgTest.spd(g, new int[] {2}, 3);
        both(x -> Linalg.cholesky(sym(x[0])), a);
        Tensor l = Linalg.cholesky(LinalgTest.spd(g, new int[0], 3));
        both(x -> Linalg.choleskySolve(x[0], x[1]), g.randn(3, 2), l);
    }

    @ParameterizedTest
    @MethodSource("backends")
    void qr(String backend) {
        LinalgTest.use(backend);
        var g = new Generator(25);
        for (int[] s : new int[][] {{4, 3}, {3, 3}, {2, 4}}) {
            GradCheck.gradcheck(x -> {
                var qr = Linalg.qr(x[0]);
                return Tensor.cat(List.of(qr.q().reshape(-1), qr.r().reshape(-1)), 0);
            }, g.randn(s));
        }
    }

    @ParameterizedTest
    @MethodSource("backends")
    void eigh(String backend) {
        LinalgTest.use(backend);
        var g = new Generator(26);
        GradCheck.gradcheck(x -> {
            var e = Linalg.eigh(sym(x[0]));
            Tensor v = e.eigenvectors();
            return Tensor.cat(List.of(e.eigenvalues().reshape(-1), v.mul(v).reshape(-1)), 0);
        }, g.randn(2, 4, 4));
    }

    @ParameterizedTest
    @MethodSource("backends")
    void svd(String backend) {
        LinalgTest.use(backend);
        var g = new Generator(27);
        for (int[] s : new int[][] {{4, 3}, {3, 3}, {2, 4}}) {
            GradCheck.gradcheck(x -> {
                var svd = Linalg.svd(x[0]);
                Tensor u = svd.u(), vh = svd.vh();
                // a sign flip of a (u, v) pair leaves u∘u, v∘v and u_i v_jᵀ unchanged
                Tensor outer = u.narrow(-1, 0, 1).matmul(vh.narrow(-2, 0, 1));
                return Tensor.cat(List.of(svd.s().reshape(-1), u.mul(u).reshape(-1), vh.mul(vh).reshape(-1),
                        outer.reshape(-1)), 0);
            }, g.randn(s));
        }
    }

    @ParameterizedTest
    @MethodSource("backends")
    void lstsqAndPinv(String backend) {
        LinalgTest.use(backend);
        var g = new Generator(28);
        GradCheck.gradcheck(x -> Linalg.lstsq(x[0], x[1]), g.randn(5, 3), g.randn(5, 2)); // tall, full rank
        GradCheck.gradcheck(x -> Linalg.lstsq(x[0], x[1]), g.randn(2, 4), g.randn(2, 1)); // wide: minimum norm
        GradCheck.gradcheck(x -> Linalg.pinv(x[0]), g.randn(4, 3));
        GradCheck.gradcheck(x -> Linalg.pinv(x[0]), g.randn(2, 3, 5));
    }

    /** Every function's loss, for a float32 vs float64 comparison of first derivatives. */
    private static final List<Function<Tensor, Tensor>> LOSSES = List.of(
            a -> Linalg.solve(a, a.narrow(-1, 0, 2)).sum(),
            a -> Linalg.solveTriangular(a, a.narrow(-1, 0, 2), true, true, false).sum(),
            a -> Linalg.inv(a).sum(),
            a -> Linalg.det(a).sum(),
            a -> Linalg.logdet(a).sum(),
            a -> Linalg.cholesky(sym(a)).sum(),
            a -> Linalg.choleskySolve(a.narrow(-1, 0, 2), Linalg.cholesky(sym(a))).sum(),
            a -> Linalg.qr(a).r().abs().sum(),
            a -> Linalg.eigh(sym(a)).eigenvalues().mul(Tensor.of(1.0, 2, 3, 4).to(a.dtype())).sum(),
            a -> Linalg.svd(a).s().mul(Tensor.of(1.0, 2, 3, 4).to(a.dtype())).sum(),
            a -> Linalg.lstsq(a, a.narrow(-1, 0, 2)).sum(),
            a -> Linalg.pinv(a).sum());

    @ParameterizedTest
    @MethodSource("backends")
    void float32GradientsKeepTheirDtypeAndMatchFloat64(String backend) {
        LinalgTest.use(backend);
        Tensor base = LinalgTest.spd(new Generator(29), new int[] {2}, 4);
        for (int i = 0; i < LOSSES.size(); i++) {
            Tensor a64 = base.detach().requiresGrad(true), a32 = base.to(DType.FLOAT32).requiresGrad(true);
            LOSSES.get(i).apply(a64).backward();
            LOSSES.get(i).apply(a32).backward();
            assertEquals(DType.FLOAT32, a32.grad().dtype(), "loss " + i);
            double[] want = a64.grad().toArray(), got = a32.grad().to(DType.FLOAT64).toArray();
            double scale = 1;
            for (double w : want) scale = Math.max(scale, Math.abs(w));
            for (int k = 0; k < want.length; k++) assertEquals(want[k], got[k], 2e-4 * scale, "loss " + i + " element " + k);
        }
    }

    @ParameterizedTest
    @MethodSource("backends")
    void detGradientIsTheCofactorMatrix(String backend) {
        LinalgTest.use(backend);
        Tensor a = Tensor.of(new double[][] {{2, 1}, {3, 5}}).requiresGrad(true);
        Linalg.det(a).backward();
        // d det / d a_ij of [[a, b], [c, d]] is [[d, -c], [-b, a]]
        double[] want = {5, -3, -1, 2}, got = a.grad().toArray();
        for (int i = 0; i < 4; i++) assertEquals(want[i], got[i], 1e-12);
    }
}
