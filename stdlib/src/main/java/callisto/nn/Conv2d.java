package callisto.nn;

import callisto.tensor.Conv;
import callisto.tensor.ConvOptions;
import callisto.tensor.DType;
import callisto.tensor.Generator;
import callisto.tensor.Tensor;

/**
 * 2-D convolution over [N, C, H, W] (or [C, H, W]) by {@link Conv#conv2d}, as {@code nn.Conv2d}: weight
 * [out, in / groups, kh, kw], bias [out]; both start U(±1/√fanIn) with fanIn = in / groups · kh · kw.
 * Stride, padding (including "same" and padding modes), dilation and groups come in {@link ConvOptions}.
 */
public final class Conv2d extends ConvLayer {
    /** A square kernel, stride 1, no padding, bias, float32. */
    public Conv2d(int inChannels, int outChannels, int kernelSize, Generator generator) {
        this(inChannels, outChannels, new int[] {kernelSize, kernelSize}, ConvOptions.defaults(), true, DType.FLOAT32, generator);
    }

    /** {@code kernelSize} is (kh, kw), or one value for both. */
    public Conv2d(int inChannels, int outChannels, int[] kernelSize, ConvOptions options, boolean bias, DType dtype,
                  Generator generator) {
        super("Conv2d", inChannels, outChannels, Convs.kernel2("Conv2d", kernelSize), options, bias, dtype, generator, false);
    }

    @Override
    public Tensor forward(Tensor x) {
        return Conv.conv2d(x, weight(), bias(), options);
    }
}
