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
public final class ConvTranspose2d extends ConvLayer {
    /** A square kernel, stride 1, no padding, bias, float32. */
    public ConvTranspose2d(int inChannels, int outChannels, int kernelSize, Generator generator) {
        this(inChannels, outChannels, new int[] {kernelSize, kernelSize}, ConvOptions.defaults(), true, DType.FLOAT32, generator);
    }

    public ConvTranspose2d(int inChannels, int outChannels, int[] kernelSize, ConvOptions options, boolean bias,
                           DType dtype, Generator generator) {
        super("ConvTranspose2d", inChannels, outChannels, Convs.kernel2("ConvTranspose2d", kernelSize), options, bias, dtype, generator, true);
    }

    @Override
    public Tensor forward(Tensor x) {
        return Conv.convTranspose2d(x, weight(), bias(), options);
    }
}
