package callisto.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class TensorTest {
    static Tensor random(long seed, double lo, double hi, int... shape) {
        int n = 1;
        for (int d : shape) n *= d;
        return Tensor.of(new SplittableRandom(seed).doubles(n, lo, hi).toArray(), shape);
    }

    /** x³ as a custom function: a hand-written VJP (3x² g) in tensor ops, so it has second derivatives too. */
    static final CustomFunction CUBE = new CustomFunction() {
        @Override
        public int[] shape(int[]... inputShapes) {
            return inputShapes[0];
        }

        @Override
        public Tensor forward(Tensor... inputs) {
            return inputs[0].mul(inputs[0]).mul(inputs[0]);
        }

        @Override
        public Tensor[] backward(Tensor[] inputs, Tensor output, Tensor grad) {
            return new Tensor[] {grad.mul(inputs[0].pow(2)).mul(3)};
        }
    };

    @Test
    void catSplitAndStatisticsValues() {
        Tensor a = Tensor.of(new double[][] {{1, 2, 3}, {4, 5, 6}});
        assertArrayEquals(new double[] {1, 2, 3, 4, 5, 6, 7, 8, 9}, Tensor.cat(List.of(a, Tensor.of(new double[][] {{7, 8, 9}})), 0).toArray());
        assertArrayEquals(new double[] {1, 2, 3, 0, 4, 5, 6, 0}, Tensor.cat(List.of(a, Tensor.zeros(2, 1)), 1).toArray());
        assertArrayEquals(new int[] {2, 2, 3}, Tensor.stack(List.of(a, a), 0).shape());
        assertArrayEquals(new double[] {2, 3, 5, 6}, a.narrow(1, 1, 2).toArray());
        assertEquals(2, a.split(2, 1).size());
        assertArrayEquals(new double[] {3, 6}, a.split(2, 1).get(1).toArray());
        assertArrayEquals(new double[] {3, 6}, a.amax(1, false).toArray());
        assertArrayEquals(new double[] {1, 2, 3}, a.amin(0, false).toArray());
        assertArrayEquals(new double[] {1, 1}, a.var(1, false, true).toArray(), 1e-12);
        assertArrayEquals(new double[] {1.5, 1.5, 1.5}, a.std(0, false, false).toArray(), 1e-12);
        assertEquals(Math.sqrt(91), a.norm().item(), 1e-12);
        var e = assertThrows(IllegalArgumentException.class, () -> Tensor.cat(List.of(a, Tensor.zeros(3, 3)), 1));
        assertTrue(e.getMessage().contains("tensor 1 has shape [3, 3]"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> a.narrow(1, 2, 2));
    }

    @Test
    void log1pAndExpm1KeepTheirDigitsNearZero() {
        assertEquals(1e-17, Tensor.scalar(1e-17).log1p().item(), 1e-30);
        assertEquals(1e-17, Tensor.scalar(1e-17).expm1().item(), 1e-30);
        assertArrayEquals(new double[] {-1, 0, 1}, Tensor.of(-2, 0, 3).sign().toArray());
    }

    @Test
    void tiesInAmaxShareTheGradient() {
        Tensor x = Tensor.of(1, 3, 3).requiresGrad(true);
        x.amax(0, false).backward();
        assertArrayEquals(new double[] {0, 0.5, 0.5}, x.grad().toArray());
    }

    /** Values at least 0.1 from 0 (and from ±1/3 after the clamp test's scaling): kinks stay out of the stencil. */
    static Tensor awayFromZero(long seed, int... shape) {
        double[] d = random(seed, 0.1, 0.3, shape).toArray();
        var signs = new SplittableRandom(seed + 100);
        for (int i = 0; i < d.length; i++) d[i] *= signs.nextBoolean() ? 1 : -1;
        return Tensor.of(d, shape);
    }

    record Case(String name, Function<Tensor[], Tensor> f, Tensor[] inputs) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Case c(String name, Function<Tensor[], Tensor> f, Tensor... inputs) {
        return new Case(name, f, inputs);
    }

    /** Every op, with broadcasting where it applies; all are twice differentiable on these inputs. */
    static Stream<Arguments> ops() {
        Tensor a = random(1, -1, 1, 2, 3), b = random(2, -1, 1, 3), pos = random(3, 0.5, 2, 2, 3);
        Tensor col = random(4, -1, 1, 2, 1), m = random(5, -1, 1, 3, 4), v = random(6, -1, 1, 3);
        return Stream.of(
                c("add broadcast", x -> x[0].add(x[1]), a, b),
                c("add column", x -> x[0].add(x[1]), a, col),
                c("sub", x -> x[0].sub(x[1]), a, b),
                c("mul broadcast", x -> x[0].mul(x[1]), a, b),
                c("div broadcast", x -> x[0].div(x[1]), a, pos),
                c("neg", x -> x[0].neg(), a),
                c("exp", x -> x[0].exp(), a),
                c("log", x -> x[0].log(), pos),
                c("sin", x -> x[0].sin(), a),
                c("cos", x -> x[0].cos(), a),
                c("tanh", x -> x[0].tanh(), a),
                c("sqrt", x -> x[0].sqrt(), pos),
                c("pow 3", x -> x[0].pow(3), a),
                c("pow -1.5", x -> x[0].pow(-1.5), pos),
                c("sigmoid", x -> x[0].sigmoid(), a),
                c("sum all", x -> x[0].mul(x[0]).sum(), a),
                c("sum dim 0 keepDim", x -> x[0].mul(x[0]).sum(0, true), a),
                c("sum dim -1", x -> x[0].mul(x[0]).sum(-1, false), a),
                c("mean", x -> x[0].exp().mean(), a),
                c("expand", x -> x[0].expand(4, 3).mul(x[0].expand(4, 3)), b),
                c("reshape", x -> x[0].reshape(3, 2).mul(x[0].reshape(3, 2)), a),
                c("reshape -1", x -> x[0].reshape(-1).sin(), a),
                c("transpose", x -> x[0].transpose().mul(x[0].transpose().exp()), a),
                c("matmul", x -> x[0].matmul(x[1]).tanh(), a, m),
                c("matmul vector", x -> x[0].matmul(x[1]).pow(2), a, v),
                c("relu", x -> x[0].relu().pow(2), awayFromZero(11, 2, 3)),
                c("abs", x -> x[0].abs().pow(3), awayFromZero(12, 2, 3)),
                c("maximum broadcast", x -> x[0].maximum(x[1]).pow(2), a, b.add(0.013)),
                c("minimum", x -> x[0].minimum(x[1]).exp(), a, random(13, -1, 1, 2, 3)),
                c("clamp", x -> x[0].mul(3).clamp(-1, 1).pow(2), awayFromZero(14, 2, 3)),
                c("where", x -> Tensor.where(x[0].gt(Tensor.scalar(0)), x[0].pow(2), x[1].sin()), a, random(15, -1, 1, 3)),
                c("softplus", x -> x[0].mul(5).softplus(), a),
                c("logsumexp", x -> x[0].logsumexp(1, false), a),
                c("softmax", x -> x[0].softmax(0).mul(x[1]), a, random(16, -1, 1, 2, 3)),
                c("logSoftmax", x -> x[0].logSoftmax(-1).pow(2), a),
                c("mse", x -> Losses.mse(x[0], x[1]), a, random(17, -1, 1, 2, 3)),
                c("crossEntropy indices", x -> Losses.crossEntropy(x[0], new int[] {2, 0}), a),
                c("crossEntropy probabilities", x -> Losses.crossEntropy(x[0], x[1].softmax(1)), a, random(18, -1, 1, 2, 3)),
                c("bceWithLogits", x -> Losses.bceWithLogits(x[0].mul(4), x[1]), a, new Generator(3).bernoulli(0.5, 2, 3)),
                c("huber", x -> Losses.huber(x[0], x[1], 0.5), awayFromZero(19, 2, 3), random(20, -0.01, 0.01, 2, 3)),
                c("narrow", x -> x[0].narrow(1, 1, 2).pow(2), a),
                c("cat dim 0", x -> Tensor.cat(List.of(x[0], x[1].reshape(1, 3)), 0).sin().mul(Tensor.arange(3)), a, b),
                c("cat dim 1", x -> Tensor.cat(List.of(x[0], x[1]), 1).pow(2), a, col),
                c("stack", x -> Tensor.stack(List.of(x[0], x[1]), 0).tanh(), b, random(21, -1, 1, 3)),
                c("split", x -> x[0].split(2, 1).get(1).exp().add(x[0].split(2, 1).get(0).sum()), a),
                c("chunk", x -> x[0].chunk(2, 0).get(1).pow(3), a),
                c("amax", x -> x[0].amax(1, false).pow(2), a),
                c("amin keepDim", x -> x[0].amin(0, true).exp(), a),
                c("mean dim", x -> x[0].exp().mean(0, false), a),
                c("var", x -> x[0].var(1, false, true), a),
                c("std", x -> x[0].std(0, true, false), a),
                c("norm", x -> x[0].norm(), a),
                c("custom cube", x -> Tensor.apply(CUBE, x[0]).sin(), a),
                c("log1p", x -> x[0].log1p(), pos),
                c("expm1", x -> x[0].expm1(), a),
                c("tan", x -> x[0].tan(), a),
                c("rsqrt", x -> x[0].rsqrt(), pos),
                c("silu", x -> x[0].silu(), a),
                c("gelu", x -> x[0].gelu(), a),
                c("leakyRelu", x -> x[0].leakyRelu(0.1).pow(2), awayFromZero(22, 2, 3)),
                c("elu", x -> x[0].elu(1.5).pow(2), awayFromZero(23, 2, 3)),
                c("erf", x -> x[0].mul(1.5).erf(), a),
                c("gelu tanh", x -> x[0].geluTanh(), a),
                c("prod", x -> x[0].prod(1, false), a),
                c("prod with a zero", x -> x[0].prod(0, true).sin(), Tensor.of(new double[] {0.5, 0, -0.7, 1.2, 0.3, 0.9}, 3, 2)),
                c("prod with two zeros", x -> x[0].prod(), Tensor.of(0, 0.5, 0, 2)),
                c("cumsum", x -> x[0].cumsum(1).pow(2), a),
                c("cumsum dim 0", x -> x[0].cumsum(0).sin(), random(24, -1, 1, 3, 2)),
                c("max dim", x -> x[0].max(1, false).pow(2), a),
                c("min all", x -> x[0].min().exp(), a),
                c("permute 3-D", x -> x[0].permute(2, 0, 1).mul(x[1]), random(25, -1, 1, 2, 3, 4), random(26, -1, 1, 4, 2, 3)),
                c("transpose dims", x -> x[0].transpose(0, 2).sin(), random(27, -1, 1, 2, 3, 4)),
                c("select", x -> x[0].select(1, 2).pow(2), a),
                c("slice", x -> x[0].slice(1, -2, 3).exp(), a),
                c("squeeze unsqueeze flatten", x -> x[0].unsqueeze(0).squeeze(0).flatten().pow(2), a),
                c("batched matmul broadcast", x -> x[0].matmul(x[1]).tanh(), random(28, -1, 1, 2, 1, 3, 4), random(29, -1, 1, 3, 4, 2)),
                c("bmm", x -> x[0].bmm(x[1]).pow(2), random(30, -1, 1, 2, 3, 4), random(31, -1, 1, 2, 4, 2)),
                c("matmul of views", x -> x[0].transpose().matmul(x[1].transpose()).sin(), random(32, -1, 1, 4, 3), random(33, -1, 1, 2, 4)),
                c("dot", x -> x[0].dot(x[1]).pow(2), v, random(34, -1, 1, 3)),
                c("einsum batch", x -> Tensor.einsum("bij,bjk->bik", x[0], x[1]).sin(), random(35, -1, 1, 2, 3, 4), random(36, -1, 1, 2, 4, 2)),
                c("einsum outer and sum", x -> Tensor.einsum("i,j->ij", x[0], x[1]).pow(2).add(Tensor.einsum("ij->", x[2])), v, b, a),
                c("einsum three operands", x -> Tensor.einsum("ij,jk,k", x[0], x[1], x[2]).pow(2), a, m, random(37, -1, 1, 4)),
                c("to float64 of float32 view", x -> x[0].to(DType.FLOAT64).mul(x[0]), a),
                c("clone", x -> x[0].clone().mul(x[0]), a),
                c("nll", x -> Losses.nll(x[0].logSoftmax(1), Tensor.ofLongs(1, 2)), a),
                c("composite mlp", x -> x[1].matmul(x[0].matmul(x[1]).tanh().transpose()).sum(), random(7, -1, 1, 3, 3),
                        random(8, -1, 1, 3, 3))
        ).map(Arguments::of);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("ops")
    void gradcheck(Case c) {
        GradCheck.gradcheck(c.f(), c.inputs());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("ops")
    void gradgradcheck(Case c) {
        GradCheck.gradgradcheck(c.f(), c.inputs());
    }

    @Test
    void gradcheckCatchesAWrongDerivative() {
        // |x| via sqrt(x^2) is fine, but a function whose graph lies (detach in the middle) must fail the check
        var e = assertThrows(AssertionError.class, () -> GradCheck.gradcheck(x -> x[0].mul(x[0].detach()), random(9, 0.5, 1, 3)));
        assertTrue(e.getMessage().contains("gradcheck"), e.getMessage());
    }

    @Test
    void broadcastingValues() {
        Tensor a = Tensor.of(new double[][] {{1, 2, 3}, {4, 5, 6}});
        assertArrayEquals(new double[] {11, 22, 33, 14, 25, 36}, a.add(Tensor.of(10, 20, 30)).toArray());
        assertArrayEquals(new double[] {2, 3, 4, 6, 7, 8}, a.add(Tensor.of(new double[] {1, 2}, 2, 1)).toArray());
        assertArrayEquals(new int[] {2, 3}, a.add(Tensor.scalar(1)).shape());
        assertArrayEquals(new double[] {5, 7, 9}, a.sum(0, false).toArray());
        assertArrayEquals(new double[] {6, 15}, a.sum(1, false).toArray());
        assertArrayEquals(new int[] {2, 1}, a.sum(1, true).shape());
        assertEquals(21, a.sum().item());
        assertArrayEquals(new double[] {1, 4, 2, 5, 3, 6}, a.transpose().toArray());
        Tensor m = Tensor.of(new double[][] {{1, 0}, {0, 1}, {1, 1}});
        assertArrayEquals(new double[] {4, 5, 10, 11}, a.matmul(m).toArray());
    }

    @Test
    void errorsNameTheOpAndBothShapes() {
        var e = assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(3, 4).matmul(Tensor.zeros(5, 2)));
        assertEquals("matmul: [3, 4] @ [5, 2]: inner sizes 4 and 5 differ", e.getMessage());
        var b = assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(2, 3).add(Tensor.zeros(4)));
        assertTrue(b.getMessage().startsWith("add: shapes [2, 3] and [4] cannot broadcast"), b.getMessage());
        var r = assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(2, 3).reshape(4, 2));
        assertTrue(r.getMessage().contains("[2, 3]") && r.getMessage().contains("[4, 2]"), r.getMessage());
    }

    @Test
    void laplacianOfSumSinIsMinusSumSin() {
        Tensor x = random(10, -2, 2, 5).requiresGrad(true);
        Tensor f = x.sin().sum();
        Tensor g = Autograd.grad(f, x, true);
        double laplacian = 0;
        for (int i = 0; i < 5; i++) {
            double[] e = new double[5];
            e[i] = 1;
            Tensor hii = Autograd.grad(g.mul(Tensor.of(e)).sum(), x, true).mul(Tensor.of(e)).sum();
            laplacian += hii.item();
        }
        assertEquals(-f.item(), laplacian, 1e-12);
    }

    @Test
    void hessianOfRosenbrock() {
        double a0 = -1.2, b0 = 1.0;
        Tensor a = Tensor.scalar(a0).requiresGrad(true), b = Tensor.scalar(b0).requiresGrad(true);
        Tensor one = Tensor.scalar(1);
        Tensor f = one.sub(a).pow(2).add(b.sub(a.pow(2)).pow(2).mul(100));
        List<Tensor> g = Autograd.grad(List.of(f), List.of(a, b), null, true, true, false);
        List<Tensor> row0 = Autograd.grad(List.of(g.get(0)), List.of(a, b), null, true, true, false);
        List<Tensor> row1 = Autograd.grad(List.of(g.get(1)), List.of(a, b), null, true, true, false);
        assertEquals(2 - 400 * b0 + 1200 * a0 * a0, row0.get(0).item(), 1e-9);
        assertEquals(-400 * a0, row0.get(1).item(), 1e-9);
        assertEquals(-400 * a0, row1.get(0).item(), 1e-9);
        assertEquals(200, row1.get(1).item(), 1e-9);
    }

    @Test
    void thirdDerivativeOfAPolynomial() {
        double x0 = 0.7;
        Tensor x = Tensor.scalar(x0).requiresGrad(true);
        Tensor p = x.pow(4).add(x.pow(3).mul(2));
        Tensor d1 = Autograd.grad(p, x, true);
        Tensor d2 = Autograd.grad(d1, x, true);
        Tensor d3 = Autograd.grad(d2, x, true);
        assertEquals(4 * Math.pow(x0, 3) + 6 * x0 * x0, d1.item(), 1e-12);
        assertEquals(12 * x0 * x0 + 12 * x0, d2.item(), 1e-12);
        assertEquals(24 * x0 + 12, d3.item(), 1e-12);
    }

    @Test
    void backwardAccumulatesIntoLeavesAndFreesTheGraph() {
        Tensor w = Tensor.of(1, 2, 3).requiresGrad(true);
        Tensor loss = w.mul(w).sum();
        loss.backward(Tensor.scalar(1), true, false);
        assertArrayEquals(new double[] {2, 4, 6}, w.grad().toArray());
        loss.backward();
        assertArrayEquals(new double[] {4, 8, 12}, w.grad().toArray(), "PyTorch accumulates");
        var e = assertThrows(IllegalStateException.class, loss::backward);
        assertTrue(e.getMessage().contains("freed") && e.getMessage().contains("retainGraph"), e.getMessage());
        w.zeroGrad();
        assertNull(w.grad());
    }

    @Test
    void noGradRecordsNothing() {
        Tensor w = Tensor.of(1, 2).requiresGrad(true);
        try (var off = GradMode.noGrad()) {
            Tensor y = w.mul(w);
            assertTrue(y.isLeaf());
            assertTrue(!y.requiresGrad());
        }
        assertTrue(!w.mul(w).isLeaf());
    }

    @Test
    void unusedInputsFailUnlessAllowed() {
        Tensor a = Tensor.of(1, 2).requiresGrad(true), b = Tensor.of(3, 4).requiresGrad(true);
        Tensor f = a.mul(a).sum();
        var e = assertThrows(IllegalArgumentException.class,
                () -> Autograd.grad(List.of(f), List.of(a, b), null, false, true, false));
        assertTrue(e.getMessage().contains("input 1") && e.getMessage().contains("allowUnused"), e.getMessage());
        assertNull(Autograd.grad(List.of(f), List.of(a, b), null, false, true, true).get(1));
    }

    @Test
    void softmaxAndLogsumexpAreStableAndRight() {
        Tensor x = Tensor.of(new double[][] {{1000, 1001, 1002}, {-5, 0, 5}});
        Tensor p = x.softmax(1);
        assertArrayEquals(new double[] {1, 1}, p.sum(1, false).toArray(), 1e-12);
        double lse = 1002 + Math.log(Math.exp(-2) + Math.exp(-1) + 1);
        assertEquals(lse, x.logsumexp(1, false).toArray()[0], 1e-9);
        Tensor minusInf = Tensor.full(Double.NEGATIVE_INFINITY, 1, 3);
        assertEquals(Double.NEGATIVE_INFINITY, minusInf.logsumexp(1, false).item());
    }

    @Test
    void crossEntropyMatchesItsDefinitionAndRejectsBadTargets() {
        Tensor logits = Tensor.of(new double[][] {{2, 1, 0}, {0, 0, 3}});
        double row0 = -(2 - Math.log(Math.exp(2) + Math.exp(1) + 1));
        double row1 = -(3 - Math.log(2 + Math.exp(3)));
        assertEquals((row0 + row1) / 2, Losses.crossEntropy(logits, new int[] {0, 2}).item(), 1e-12);
        var e = assertThrows(IllegalArgumentException.class, () -> Losses.crossEntropy(logits, new int[] {0, 3}));
        assertEquals("crossEntropy: target[1] = 3 is not a class in [0, 3)", e.getMessage());
    }

    @Test
    void generatorIsDeterministicAndWellDistributed() {
        assertArrayEquals(new Generator(7).randn(1000).toArray(), new Generator(7).randn(1000).toArray());
        double[] z = new Generator(1).randn(200_000).toArray();
        double mean = java.util.Arrays.stream(z).average().orElseThrow();
        double var = java.util.Arrays.stream(z).map(v -> (v - mean) * (v - mean)).average().orElseThrow();
        assertEquals(0, mean, 0.01);
        assertEquals(1, var, 0.01);
        double[] u = new Generator(2).rand(100_000).toArray();
        assertTrue(java.util.Arrays.stream(u).allMatch(v -> v >= 0 && v < 1));
        assertEquals(0.5, java.util.Arrays.stream(u).average().orElseThrow(), 0.01);
        int[] perm = new Generator(3).permutation(50);
        assertArrayEquals(java.util.stream.IntStream.range(0, 50).toArray(), java.util.Arrays.stream(perm).sorted().toArray());
        double[] ints = new Generator(4).randint(-2, 3, 10_000).toArray();
        assertTrue(java.util.Arrays.stream(ints).allMatch(v -> v >= -2 && v < 3 && v == Math.rint(v)));
        assertEquals(0.3, java.util.Arrays.stream(new Generator(5).bernoulli(0.3, 100_000).toArray()).average().orElseThrow(), 0.01);
    }

    @Test
    void printsLikePyTorch() {
        assertEquals("tensor([[1., 2.],\n        [3., 4.]])", Tensor.of(new double[][] {{1, 2}, {3, 4}}).toString());
        assertEquals("tensor(0.5000)", Tensor.scalar(0.5).toString());
        assertTrue(Tensor.of(1, 2).requiresGrad(true).mul(Tensor.of(1, 1)).toString().endsWith("gradFn=Mul)"));
    }
}
