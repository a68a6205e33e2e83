package callisto.nn;

import callisto.tensor.Conv;
import callisto.tensor.ConvOptions;
import callisto.tensor.DType;
import callisto.tensor.Generator;
import callisto.tensor.Tensor;

/**
 * 1-D transposed convolution over [N, C, L] (or [C, L]) by {@link Conv#convTranspose1d}, as
 * {@code nn.ConvTranspose1d}: weight [in, out / groups, k], bias [out]; both start U(±1/√fanIn) with, as in PyTorch,
 * fanIn = out / groups · k. Output padding comes in {@link ConvOptions#outputPadding}; a padding mode other than
 * zeros makes it the adjoint of the convolution with that mode.
 */
public final class ConvTranspose1d extends ConvLayer {
    /** Stride 1, no padding, bias, float32. */
    public ConvTranspose1d(int inChannels, int outChannels, int kernelSize, Generator generator) {
        this(inChannels, outChannels, kernelSize, ConvOptions.defaults(), true, DType.FLOAT32, generator);
    }

    public ConvTranspose1d(int inChannels, int outChannels, int kernelSize, ConvOptions options, boolean bias,
                           DType dtype, Generator generator) {
        super("ConvTranspose1d", inChannels, outChannels, new int[] {kernelSize}, options, bias, dtype, generator, true);
    }

    @Override
    public Tensor forward(Tensor x) {
        return Conv.convTranspose1d(x, weight(), bias(), options);
    }
}
