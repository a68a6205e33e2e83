package callisto.operators;

import callisto.nn.AvgPool1d;
import callisto.nn.AvgPool2d;
import callisto.nn.Conv1d;
import callisto.nn.Conv2d;
import callisto.nn.ConvTranspose1d;
import callisto.nn.ConvTranspose2d;
import callisto.nn.MaxPool1d;
import callisto.nn.MaxPool2d;
import callisto.nn.Module;
import callisto.nn.Sequential;
import callisto.tensor.ConvOptions;
import callisto.tensor.DType;
import callisto.tensor.Generator;
import callisto.tensor.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A U-Net (Ronneberger et al. 2015) without batch norm, 1-D or 2-D, the CNN baseline of operator-learning papers.
 * Level d (0 to {@code depth}) has {@code baseChannels · 2^d} channels and a block conv3–GELU–conv3–GELU (zero
 * padding 1, so sizes are kept); going down is a 2× max or average pool, going up a stride-2 transposed conv (kernel
 * 2) halving the channels, whose output is concatenated with the skip from the same level before that level's
 * block; a pointwise conv maps to {@code outChannels}. Input [batch, in, n] or [batch, in, h, w] with every spatial
 * size a multiple of 2^depth.
 */
public final class UNet extends Module {
    /** How the encoder goes down a level. */
    public enum Pooling {
        /** 2× max pooling, as the original U-Net. */
        MAX,
        /** 2× average pooling. */
        AVG
    }

    private final int inChannels, outChannels, baseChannels, depth, dims;
    private final Pooling pooling;
    private final List<Module> down = new ArrayList<>(), up = new ArrayList<>(), decoder = new ArrayList<>();
    private final Module pool, head;

    public UNet(int inChannels, int outChannels, int baseChannels, int depth, int dims, Pooling pooling, DType dtype,
                Generator generator) {
        if (inChannels < 1 || outChannels < 1 || baseChannels < 1 || depth < 0) {
            throw new IllegalArgumentException("UNet: inChannels " + inChannels + ", outChannels " + outChannels
                    + " and baseChannels " + baseChannels + " must be >= 1, depth " + depth + " >= 0");
        }
        if (depth > 20) throw new IllegalArgumentException("UNet: depth = " + depth + "; expected at most 20");
        if (dims != 1 && dims != 2) throw new IllegalArgumentException("UNet: dims = " + dims + "; expected 1 or 2");
        if (pooling == null) throw new IllegalArgumentException("UNet: pooling is null");
        this.inChannels = inChannels;
        this.outChannels = outChannels;
        this.baseChannels = baseChannels;
        this.depth = depth;
        this.dims = dims;
        this.pooling = pooling;
        var encoders = new Sequential();
        for (int d = 0; d <= depth; d++) {
            var block = block(d == 0 ? inChannels : channels(d - 1), channels(d), dtype, generator);
            encoders.add(block);
            down.add(block);
        }
        registerModule("encoder", encoders);
        var ups = new Sequential();
        var decoders = new Sequential();
        for (int d = depth; d >= 1; d--) {
            var opts = ConvOptions.defaults().stride(2);
            Module u = dims == 1 ? new ConvTranspose1d(channels(d), channels(d - 1), 2, opts, true, dtype, generator)
                    : new ConvTranspose2d(channels(d), channels(d - 1), new int[] {2, 2}, opts, true, dtype, generator);
            ups.add(u);
            up.add(u);
            var block = block(2 * channels(d - 1), channels(d - 1), dtype, generator);
            decoders.add(block);
            decoder.add(block);
        }
        registerModule("up", ups);
        registerModule("decoder", decoders);
        head = registerModule("head", MgNO.pointwise(dims, baseChannels, outChannels, dtype, generator));
        pool = pooling == Pooling.MAX ? (dims == 1 ? new MaxPool1d(2) : new MaxPool2d(2))
                : (dims == 1 ? new AvgPool1d(2) : new AvgPool2d(2));
    }

    /** A 1-D U-Net with max pooling, float32. */
    public static UNet of1d(int inChannels, int outChannels, int baseChannels, int depth, Generator generator) {
        return new UNet(inChannels, outChannels, baseChannels, depth, 1, Pooling.MAX, DType.FLOAT32, generator);
    }

    /** A 2-D U-Net with max pooling, float32. */
    public static UNet of2d(int inChannels, int outChannels, int baseChannels, int depth, Generator generator) {
        return new UNet(inChannels, outChannels, baseChannels, depth, 2, Pooling.MAX, DType.FLOAT32, generator);
    }

    private int channels(int level) {
        return baseChannels << level;
    }

    private Module block(int in, int out, DType dtype, Generator g) {
        var opts = ConvOptions.defaults().padding(1);
        return new Sequential(conv(in, out, opts, dtype, g), new callisto.nn.GELU(), conv(out, out, opts, dtype, g),
                new callisto.nn.GELU());
    }

    private Module conv(int in, int out, ConvOptions opts, DType dtype, Generator g) {
        return dims == 1 ? new Conv1d(in, out, 3, opts, true, dtype, g)
                : new Conv2d(in, out, new int[] {3, 3}, opts, true, dtype, g);
    }

    @Override
    public Tensor forward(Tensor x) {
        if (x == null || x.dim() != dims + 2 || x.size(1) != inChannels) {
            throw new IllegalArgumentException("UNet.forward: input has shape " + (x == null ? "null" : Arrays.toString(x.shape()))
                    + "; expected " + (dims == 1 ? "[batch, " + inChannels + ", n]" : "[batch, " + inChannels + ", h, w]"));
        }
        for (int d = 2; d < x.dim(); d++) {
            if (x.size(d) % (1 << depth) != 0) {
                throw new IllegalArgumentException("UNet.forward: spatial size " + x.size(d) + " of input "
                        + Arrays.toString(x.shape()) + " must be a multiple of 2^depth = " + (1 << depth));
            }
        }
        var skips = new ArrayList<Tensor>();
        Tensor h = x;
        for (int d = 0; d <= depth; d++) {
            if (d > 0) h = pool.forward(h);
            h = down.get(d).forward(h);
            skips.add(h);
        }
        for (int i = 0; i < depth; i++) {
            int d = depth - 1 - i; // the level we come up to
            h = up.get(i).forward(h);
            h = decoder.get(i).forward(Tensor.cat(List.of(h, skips.get(d)), 1));
        }
        return head.forward(h);
    }

    @Override
    protected String extraRepr() {
        return "in=" + inChannels + ", out=" + outChannels + ", base_channels=" + baseChannels + ", depth=" + depth
                + ", dims=" + dims + ", pooling=" + pooling.name().toLowerCase(java.util.Locale.ROOT);
    }
}
