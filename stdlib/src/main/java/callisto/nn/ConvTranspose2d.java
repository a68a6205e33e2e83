package callisto.nn;

import callisto.tensor.Conv;
import callisto.tensor.ConvOptions;
import callisto.tensor.DType;
import callisto.tensor.Generator;
import callisto.tensor.Tensor;

/**
 * 2-D transposed convolution by {@link Conv#convTranspose2d}, as {@code nn.ConvTranspose2d}: weight
 * [in, out / groups, kh, kw], bias [out]; both start U(±1/√fanIn) where, as in PyTorch, fanIn is taken from the
 * weight's dim 1: out / groups · kh · kw. Output padding comes in {@link ConvOptions#outputPadding}.
 */
public final class ConvTranspose2d extends Module {
    private final int inChannels, outChannels;
    private final int[] kernelSize;
    private final ConvOptions options;
    private final boolean hasBias;

    /** A square kernel, stride 1, no padding, bias, float32. */
    public ConvTranspose2d(int inChannels, int outChannels, int kernelSize, Generator generator) {
        this(inChannels, outChannels, new int[] {kernelSize, kernelSize}, ConvOptions.defaults(), true, DType.FLOAT32, generator);
    }

    public ConvTranspose2d(int inChannels, int outChannels, int[] kernelSize, ConvOptions options, boolean bias,
                           DType dtype, Generator generator) {
        int[] k = Convs.kernel2("ConvTranspose2d", kernelSize);
        int groups = Convs.check("ConvTranspose2d", inChannels, outChannels, k, options, dtype);
        this.inChannels = inChannels;
        this.outChannels = outChannels;
        this.kernelSize = k;
        this.options = options;
        double bound = 1 / Math.sqrt((double) outChannels / groups * k[0] * k[1]);
        registerParameter("weight", Init.uniform(Tensor.zeros(dtype, inChannels, outChannels / groups, k[0], k[1]),
                -bound, bound, generator));
        hasBias = bias;
        if (bias) registerParameter("bias", Init.uniform(Tensor.zeros(dtype, outChannels), -bound, bound, generator));
    }

    @Override
    public Tensor forward(Tensor x) {
        return Conv.convTranspose2d(x, weight(), bias(), options);
    }

    public Tensor weight() {
        return parameter("weight");
    }

    public Tensor bias() {
        return parameter("bias");
    }

    @Override
    protected String extraRepr() {
        return inChannels + ", " + outChannels + ", kernel_size=" + Layers.pair(kernelSize) + ", " + Convs.repr(options, 2, true) + ", bias=" + hasBias;
    }
}
