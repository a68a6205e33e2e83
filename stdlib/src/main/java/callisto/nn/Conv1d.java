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
public final class Conv1d extends ConvLayer {
    /** Stride 1, no padding, bias, float32. */
    public Conv1d(int inChannels, int outChannels, int kernelSize, Generator generator) {
        this(inChannels, outChannels, kernelSize, ConvOptions.defaults(), true, DType.FLOAT32, generator);
    }

    public Conv1d(int inChannels, int outChannels, int kernelSize, ConvOptions options, boolean bias, DType dtype,
                  Generator generator) {
        super("Conv1d", inChannels, outChannels, new int[] {kernelSize}, options, bias, dtype, generator, false);
    }

    @Override
    public Tensor forward(Tensor x) {
        return Conv.conv1d(x, weight(), bias(), options);
    }
}
