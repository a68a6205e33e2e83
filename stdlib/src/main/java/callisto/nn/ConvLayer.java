package callisto.nn;

import callisto.tensor.ConvOptions;
import callisto.tensor.DType;
import callisto.tensor.Generator;
import callisto.tensor.Tensor;

/**
 * What the convolution layers share: channels, kernel, options, and a weight and optional bias drawn
 * U(±1/√fanIn) (PyTorch's default for its conv layers).
 */
abstract class ConvLayer extends Module {
    final int inChannels, outChannels;
    final int[] kernelSize;
    final ConvOptions options;
    final boolean hasBias, transposed;

    /**
     * Checks the arguments and registers "weight" of {@code weightShape} and, when {@code bias}, "bias" [out];
     * {@code fanIn} is the product PyTorch's init divides by.
     */
    ConvLayer(String op, int inChannels, int outChannels, int[] kernelSize, ConvOptions options, boolean bias, DType dtype,
              Generator generator, boolean transposed) {
        int groups = Convs.check(op, inChannels, outChannels, kernelSize, options, dtype);
        this.inChannels = inChannels;
        this.outChannels = outChannels;
        this.kernelSize = kernelSize.clone();
        this.options = options;
        this.hasBias = bias;
        this.transposed = transposed;
        int[] shape = new int[2 + kernelSize.length];
        shape[0] = transposed ? inChannels : outChannels;
        shape[1] = (transposed ? outChannels : inChannels) / groups;
        double fanIn = shape[1];
        for (int d = 0; d < kernelSize.length; d++) {
            shape[2 + d] = kernelSize[d];
            fanIn *= kernelSize[d];
        }
        double bound = 1 / Math.sqrt(fanIn);
        registerParameter("weight", Init.uniform(Tensor.zeros(dtype, shape), -bound, bound, generator));
        if (bias) registerParameter("bias", Init.uniform(Tensor.zeros(dtype, outChannels), -bound, bound, generator));
    }

    public Tensor weight() {
        return parameter("weight");
    }

    /** The bias, or null when the layer has none. */
    public Tensor bias() {
        return parameter("bias");
    }

    @Override
    protected String extraRepr() {
        String k = kernelSize.length == 1 ? "(" + kernelSize[0] + ",)" : Layers.pair(kernelSize);
        return inChannels + ", " + outChannels + ", kernel_size=" + k + ", "
                + Convs.repr(options, kernelSize.length, transposed) + ", bias=" + hasBias;
    }
}
