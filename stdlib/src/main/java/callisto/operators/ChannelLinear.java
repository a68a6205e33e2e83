package callisto.operators;

import callisto.nn.Init;
import callisto.nn.Module;
import callisto.tensor.DType;
import callisto.tensor.Generator;
import callisto.tensor.Tensor;
import java.util.Arrays;

/**
 * A linear map of the channels at every point, {@code y[b, o, s] = Σ_i W[o, i] x[b, i, s] + bias[o]}: a 1×1
 * convolution for any number of spatial dims. Weight [out, in] and bias [out], both U(±1/√in) as PyTorch's
 * {@code Conv1d(in, out, 1)}. Input [batch, in, spatial...], output [batch, out, spatial...].
 */
final class ChannelLinear extends Module {
    private final int inChannels, outChannels;

    ChannelLinear(int inChannels, int outChannels, DType dtype, Generator generator) {
        Checks.positive("ChannelLinear", "inChannels", inChannels);
        Checks.positive("ChannelLinear", "outChannels", outChannels);
        Checks.floating("ChannelLinear", dtype);
        Checks.generator("ChannelLinear", generator);
        this.inChannels = inChannels;
        this.outChannels = outChannels;
        double bound = 1 / Math.sqrt(inChannels);
        registerParameter("weight", Init.uniform(Tensor.zeros(dtype, outChannels, inChannels), -bound, bound, generator));
        registerParameter("bias", Init.uniform(Tensor.zeros(dtype, outChannels), -bound, bound, generator));
    }

    @Override
    public Tensor forward(Tensor x) {
        if (x == null || x.dim() < 2 || x.size(1) != inChannels) {
            throw new IllegalArgumentException("ChannelLinear.forward: input shape " + (x == null ? "null" : Arrays.toString(x.shape()))
                    + " must be [batch, " + inChannels + ", spatial...]");
        }
        int[] shape = x.shape();
        int points = x.numel() / (shape[0] * inChannels);
        Tensor y = parameter("weight").matmul(x.reshape(shape[0], inChannels, points)).add(parameter("bias").reshape(outChannels, 1));
        shape[1] = outChannels;
        return y.reshape(shape);
    }

    @Override
    protected String extraRepr() {
        return "in_channels=" + inChannels + ", out_channels=" + outChannels;
    }
}
