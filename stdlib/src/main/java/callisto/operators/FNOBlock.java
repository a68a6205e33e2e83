package callisto.operators;

import callisto.nn.Module;
import callisto.tensor.DType;
import callisto.tensor.Generator;
import callisto.tensor.Tensor;
import java.util.Arrays;

/**
 * One block of a neural operator: {@code σ(K(x) + W x + b)}, with K a channel-mixing operator layer given to the
 * constructor (a {@link SpectralConv1d} or {@link SpectralConv2d} for FNO; any Module mapping
 * [batch, in, spatial...] to [batch, out, spatial...] at the same resolution), W x + b a pointwise linear skip
 * (a 1×1 convolution, U(±1/√in) as PyTorch's), and σ an activation (none for the last block of FNO).
 *
 * <p>Passing the layer in keeps variants out of the model: another kernel K is a new layer, not a new block or a
 * forked FNO. State keys: {@code conv.*} (the layer's own), {@code skip.weight} [out, in], {@code skip.bias}
 * [out], {@code activation.*} when it has any.
 */
public final class FNOBlock extends Module {
    private final int inChannels, outChannels;
    private final Module conv, skip, activation;

    /** A block with {@code channels} in and out. */
    public FNOBlock(Module conv, int channels, Module activation, DType dtype, Generator generator) {
        this(conv, channels, channels, activation, dtype, generator);
    }

    /**
     * @param conv       the operator layer K, [batch, inChannels, ...] to [batch, outChannels, ...]
     * @param activation applied to the sum, or null for none
     */
    public FNOBlock(Module conv, int inChannels, int outChannels, Module activation, DType dtype, Generator generator) {
        if (conv == null) throw new IllegalArgumentException("FNOBlock: conv is null; pass the operator layer, e.g. a SpectralConv1d");
        this.inChannels = inChannels;
        this.outChannels = outChannels;
        this.conv = registerModule("conv", conv);
        this.skip = registerModule("skip", new ChannelLinear(inChannels, outChannels, dtype, generator));
        this.activation = activation == null ? null : registerModule("activation", activation);
    }

    @Override
    public Tensor forward(Tensor x) {
        if (x == null || x.dim() < 3 || x.size(1) != inChannels) {
            throw new IllegalArgumentException("FNOBlock.forward: input shape " + (x == null ? "null" : Arrays.toString(x.shape()))
                    + " must be [batch, " + inChannels + ", spatial...]");
        }
        Tensor k = conv.forward(x), s = skip.forward(x);
        if (!Arrays.equals(k.shape(), s.shape())) {
            throw new IllegalArgumentException("FNOBlock.forward: conv output shape " + Arrays.toString(k.shape())
                    + " differs from the skip's " + Arrays.toString(s.shape()) + " for input " + Arrays.toString(x.shape())
                    + "; conv must keep the resolution and give " + outChannels + " channels");
        }
        Tensor y = k.add(s);
        return activation == null ? y : activation.forward(y);
    }

    /** The operator layer K. */
    public Module conv() {
        return conv;
    }

    /** The activation, or null. */
    public Module activation() {
        return activation;
    }

    public int inChannels() {
        return inChannels;
    }

    public int outChannels() {
        return outChannels;
    }
}
