package callisto.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import callisto.tensor.Conv.PaddingMode;
import org.junit.jupiter.api.Test;

/** Transposed convolutions with circular, reflect and replicate padding: the adjoints of the padded convolutions. */
class ConvTransposePaddingTest {
    private static final PaddingMode[] MODES = PaddingMode.values();

    /** Each mode's transposed convolution must satisfy <conv(x), y> = <x, convTranspose(y)> with the same weight. */
    @Test
    void isTheAdjointOfThePaddedConvolution1d() {
        var gen = new Generator(3);
        for (PaddingMode mode : MODES) {
            for (int stride : new int[] {1, 2}) {
                var opts = ConvOptions.defaults().stride(stride).padding(1).paddingMode(mode);
                Tensor x = gen.randn(DType.FLOAT64, 2, 3, 8), w = gen.randn(DType.FLOAT64, 4, 3, 3);
                Tensor cx = Conv.conv1d(x, w, null, opts);
                Tensor y = gen.randn(DType.FLOAT64, cx.shape());
                // a transposed weight is [in, out, k]: the convolution's [out, in, k] read the other way, the same tensor
                Tensor ty = Conv.convTranspose1d(y, w, null, opts.outputPadding(stride - 1));
                assertArrayEquals(x.shape(), ty.shape(), mode + " stride " + stride);
                assertEquals(cx.mul(y).sum().item(), x.mul(ty).sum().item(), 1e-10, mode + " stride " + stride);
            }
        }
    }

    @Test
    void isTheAdjointOfThePaddedConvolution2d() {
        var gen = new Generator(4);
        for (PaddingMode mode : MODES) {
            var opts = ConvOptions.defaults().stride(2).padding(1, 2).paddingMode(mode);
            Tensor x = gen.randn(DType.FLOAT64, 1, 2, 6, 8), w = gen.randn(DType.FLOAT64, 3, 2, 3, 5);
            Tensor cx = Conv.conv2d(x, w, null, opts);
            Tensor y = gen.randn(DType.FLOAT64, cx.shape());
            Tensor ty = Conv.convTranspose2d(y, w, null, opts.outputPadding(1));
            assertArrayEquals(x.shape(), ty.shape(), mode.toString());
            assertEquals(cx.mul(y).sum().item(), x.mul(ty).sum().item(), 1e-10, mode.toString());
        }
    }

    /** Circular linear interpolation written out: the last fine point takes half of the first coarse one. */
    @Test
    void circularProlongationWrapsRound() {
        Tensor coarse = Tensor.of(new double[] {1, 2, 3, 4}, 1, 1, 4);
        Tensor w = Tensor.of(new double[] {0.5, 1, 0.5}, 1, 1, 3);
        var opts = ConvOptions.defaults().stride(2).padding(1).outputPadding(1);
        double[] periodic = Conv.convTranspose1d(coarse, w, null, opts.paddingMode(PaddingMode.CIRCULAR)).toArray();
        assertArrayEquals(new double[] {1, 1.5, 2, 2.5, 3, 3.5, 4, 2.5}, periodic, 1e-12);
        double[] zeros = Conv.convTranspose1d(coarse, w, null, opts).toArray();
        assertArrayEquals(new double[] {1, 1.5, 2, 2.5, 3, 3.5, 4, 2}, zeros, 1e-12);
        // reflect: the outer position -1 (half of coarse 0) adds onto fine 1, the mirror image of -1
        double[] reflect = Conv.convTranspose1d(coarse, w, null, opts.paddingMode(PaddingMode.REFLECT)).toArray();
        assertArrayEquals(new double[] {1, 2, 2, 2.5, 3, 3.5, 4, 2}, reflect, 1e-12);
    }

    @Test
    void biasIsAddedPerChannel() {
        var gen = new Generator(5);
        Tensor x = gen.randn(DType.FLOAT64, 2, 2, 5), w = gen.randn(DType.FLOAT64, 2, 3, 3);
        Tensor b = Tensor.of(new double[] {1, -2, 3}, 3);
        var opts = ConvOptions.defaults().padding(1).paddingMode(PaddingMode.CIRCULAR);
        Tensor with = Conv.convTranspose1d(x, w, b, opts), without = Conv.convTranspose1d(x, w, null, opts);
        Tensor diff = with.sub(without);
        for (int c = 0; c < 3; c++) {
            assertEquals(b.valueAt(c), diff.select(1, c).mean().item(), 1e-12);
            assertEquals(0, diff.select(1, c).sub(b.valueAt(c)).abs().max().item(), 1e-12);
        }
        Tensor unbatched = Conv.convTranspose1d(x.select(0, 1), w, b, opts);
        assertArrayEquals(with.select(0, 1).toArray(), unbatched.toArray(), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> Conv.convTranspose1d(x, w, Tensor.zeros(DType.FLOAT64, 2), opts));
    }

    @Test
    void gradients1dToSecondOrder() {
        var gen = new Generator(6);
        for (PaddingMode mode : new PaddingMode[] {PaddingMode.CIRCULAR, PaddingMode.REFLECT, PaddingMode.REPLICATE}) {
            var opts = ConvOptions.defaults().stride(2).padding(1).outputPadding(1).paddingMode(mode);
            Tensor x = gen.randn(DType.FLOAT64, 1, 2, 3), w = gen.randn(DType.FLOAT64, 2, 2, 3), b = gen.randn(DType.FLOAT64, 2);
            GradCheck.gradcheck(t -> Conv.convTranspose1d(t[0], t[1], t[2], opts), x, w, b);
            // a product of x and w, so the second derivative (x with w) is nonzero
            GradCheck.gradgradcheck(t -> Conv.convTranspose1d(t[0], t[1], t[2], opts), x, w, b);
        }
    }

    @Test
    void gradients2dToSecondOrder() {
        var gen = new Generator(7);
        for (PaddingMode mode : new PaddingMode[] {PaddingMode.CIRCULAR, PaddingMode.REFLECT, PaddingMode.REPLICATE}) {
            var opts = ConvOptions.defaults().stride(2).padding(1).outputPadding(1).paddingMode(mode);
            Tensor x = gen.randn(DType.FLOAT64, 1, 1, 2, 2), w = gen.randn(DType.FLOAT64, 1, 2, 3, 3);
            GradCheck.gradcheck(t -> Conv.convTranspose2d(t[0], t[1], null, opts), x, w);
            GradCheck.gradgradcheck(t -> Conv.convTranspose2d(t[0], t[1], null, opts).pow(2), x, w);
        }
    }

    @Test
    void reflectNeedsPaddingSmallerThanTheOutput() {
        Tensor x = Tensor.zeros(DType.FLOAT64, 1, 1, 1), w = Tensor.zeros(DType.FLOAT64, 1, 1, 3);
        var opts = ConvOptions.defaults().padding(1).paddingMode(PaddingMode.REFLECT);
        var e = assertThrows(IllegalArgumentException.class, () -> Conv.convTranspose1d(x, w, null, opts));
        assertEquals(true, e.getMessage().contains("reflect"), e.getMessage());
    }
}
