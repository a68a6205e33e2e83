package callisto.nn;

import callisto.tensor.Conv;
import callisto.tensor.ConvOptions;
import callisto.tensor.DType;
import callisto.tensor.Generator;
import callisto.tensor.Tensor;

/**
 * 1-D convolution over [N, C, L] (or [C, L]) by {@link Conv#conv1d}, as {@code nn.Conv1d}: weight
 * [out, in / groups, k], bias [out]; both start U(±1/√fanIn) with fanIn = in / groups · k (PyTorch's default).
 */
public final class Conv1d extends Module {
    private final int inChannels, outChannels, kernelSize;
    private final ConvOptions options;
    private final boolean hasBias;

    /** Stride 1, no padding, bias, float32. */
    public Conv1d(int inChannels, int outChannels, int kernelSize, Generator generator) {
        this(inChannels, outChannels, kernelSize, ConvOptions.defaults(), true, DType.FLOAT32, generator);
    }

    public Conv1d(int inChannels, int outChannels, int kernelSize, ConvOptions options, boolean bias, DType dtype,
                  Generator generator) {
        int groups = Convs.check("Conv1d", inChannels, outChannels, new int[] {kernelSize}, options, dtype);
        this.inChannels = inChannels;
        this.outChannels = outChannels;
        this.kernelSize = kernelSize;
        this.options = options;
        double bound = 1 / Math.sqrt((double) inChannels / groups * kernelSize);
        registerParameter("weight", Init.uniform(Tensor.zeros(dtype, outChannels, inChannels / groups, kernelSize),
                -bound, bound, generator));
        hasBias = bias;
        if (bias) registerParameter("bias", Init.uniform(Tensor.zeros(dtype, outChannels), -bound, bound, generator));
    }

    @Override
    public Tensor forward(Tensor x) {
        return Conv.conv1d(x, weight(), bias(), options);
    }

    public Tensor weight() {
        return parameter("weight");
    }

    public Tensor bias() {
        return parameter("bias");
    }

    @Override
    protected String extraRepr() {
        return inChannels + ", " + outChannels + ", kernel_size=(" + kernelSize + ",), " + Convs.repr(options, 1, false) + ", bias=" + hasBias;
    }
}
