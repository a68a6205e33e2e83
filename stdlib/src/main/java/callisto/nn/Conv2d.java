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
public final class Conv2d extends Module {
    private final int inChannels, outChannels;
    private final int[] kernelSize;
    private final ConvOptions options;
    private final boolean hasBias;

    /** A square kernel, stride 1, no padding, bias, float32. */
    public Conv2d(int inChannels, int outChannels, int kernelSize, Generator generator) {
        this(inChannels, outChannels, new int[] {kernelSize, kernelSize}, ConvOptions.defaults(), true, DType.FLOAT32, generator);
    }

    /** {@code kernelSize} is (kh, kw), or one value for both. */
    public Conv2d(int inChannels, int outChannels, int[] kernelSize, ConvOptions options, boolean bias, DType dtype,
                  Generator generator) {
        int[] k = Convs.kernel2("Conv2d", kernelSize);
        int groups = Convs.check("Conv2d", inChannels, outChannels, k, options, dtype);
        this.inChannels = inChannels;
        this.outChannels = outChannels;
        this.kernelSize = k;
        this.options = options;
        double bound = 1 / Math.sqrt((double) inChannels / groups * k[0] * k[1]);
        registerParameter("weight", Init.uniform(Tensor.zeros(dtype, outChannels, inChannels / groups, k[0], k[1]),
                -bound, bound, generator));
        hasBias = bias;
        if (bias) registerParameter("bias", Init.uniform(Tensor.zeros(dtype, outChannels), -bound, bound, generator));
    }

    @Override
    public Tensor forward(Tensor x) {
        return Conv.conv2d(x, weight(), bias(), options);
    }

    public Tensor weight() {
        return parameter("weight");
    }

    public Tensor bias() {
        return parameter("bias");
    }

    @Override
    protected String extraRepr() {
        return inChannels + ", " + outChannels + ", kernel_size=" + Layers.pair(kernelSize) + ", " + Convs.repr(options, 2, false) + ", bias=" + hasBias;
    }
}
