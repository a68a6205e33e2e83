package callisto.operators;

import callisto.nn.GELU;
import callisto.nn.Module;
import callisto.nn.Sequential;
import callisto.tensor.DType;
import callisto.tensor.Generator;
import callisto.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * The Fourier neural operator (Li et al., "Fourier Neural Operator for Parametric Partial Differential
 * Equations"), in 1-D or 2-D: the grid coordinates appended to the input channels, a pointwise lifting to
 * {@code width} channels, {@code layers} {@link FNOBlock}s (GELU after each but the last), and a pointwise
 * projection MLP (width → projectionWidth, GELU, → outChannels).
 *
 * <p>Input [batch, inChannels, n] (1-D) or [batch, inChannels, h, w] (2-D), output the same with outChannels.
 * Every layer is pointwise or spectral, so a model trained at one resolution runs at another unchanged. The grid
 * channels are x_j = j/n (and i/h, j/w in 2-D, row coordinate first): points of the periodic unit interval,
 * the same physical point having the same coordinate at every resolution.
 *
 * <p>{@link #of1d} and {@link #of2d} build the paper's model; the constructor takes any block layer, so
 * {@code new FNO(1, 1, 1, 32, 4, () -> myLayer(...), 64, DType.FLOAT32, g)} is a variant without a new model.
 * State keys: {@code lifting.*}, {@code blocks.<i>.conv.*}, {@code blocks.<i>.skip.*}, {@code projection.0.*},
 * {@code projection.2.*}.
 */
public final class FNO extends Module {
    private final int inChannels, outChannels, spatialDims, width;
    private final Module lifting, blocks, projection;

    /**
     * @param spatialDims     1 or 2
     * @param conv            makes each block's operator layer, width → width channels (called {@code layers} times,
     *                        after the lifting is initialized, so a shared generator draws in state-key order)
     * @param projectionWidth hidden width of the projection MLP (the paper: 128 at width 64)
     */
    public FNO(int inChannels, int outChannels, int spatialDims, int width, int layers, Supplier<? extends Module> conv,
               int projectionWidth, DType dtype, Generator generator) {
        Checks.positive("FNO", "inChannels", inChannels);
        Checks.positive("FNO", "outChannels", outChannels);
        Checks.positive("FNO", "width", width);
        Checks.positive("FNO", "layers", layers);
        Checks.positive("FNO", "projectionWidth", projectionWidth);
        if (spatialDims != 1 && spatialDims != 2) throw new IllegalArgumentException("FNO: spatialDims " + spatialDims + " must be 1 or 2");
        if (conv == null) throw new IllegalArgumentException("FNO: conv supplier is null");
        Checks.floating("FNO", dtype);
        Checks.generator("FNO", generator);
        this.inChannels = inChannels;
        this.outChannels = outChannels;
        this.spatialDims = spatialDims;
        this.width = width;
        lifting = registerModule("lifting", new ChannelLinear(inChannels + spatialDims, width, dtype, generator));
        var list = new ArrayList<Module>();
        for (int l = 0; l < layers; l++) {
            Module k = conv.get();
            if (k == null) throw new IllegalArgumentException("FNO: conv supplier returned null for block " + l);
            list.add(new FNOBlock(k, width, l + 1 < layers ? new GELU() : null, dtype, generator));
        }
        blocks = registerModule("blocks", new Sequential(list));
        projection = registerModule("projection", new Sequential(new ChannelLinear(width, projectionWidth, dtype, generator),
                new GELU(), new ChannelLinear(projectionWidth, outChannels, dtype, generator)));
    }

    /** The 1-D FNO of the paper with {@link SpectralConv1d} blocks, projection width 2·width, float32. */
    public static FNO of1d(int inChannels, int outChannels, int modes, int width, int layers, Generator generator) {
        return of1d(inChannels, outChannels, modes, width, layers, DType.FLOAT32, generator);
    }

    /** {@link #of1d(int, int, int, int, int, Generator)} in {@code dtype}. */
    public static FNO of1d(int inChannels, int outChannels, int modes, int width, int layers, DType dtype, Generator generator) {
        Checks.positive("FNO.of1d", "modes", modes);
        Checks.generator("FNO.of1d", generator);
        return new FNO(inChannels, outChannels, 1, width, layers, () -> new SpectralConv1d(width, width, modes, dtype, generator),
                2 * width, dtype, generator);
    }

    /** The 2-D FNO of the paper with {@link SpectralConv2d} blocks, projection width 2·width, float32. */
    public static FNO of2d(int inChannels, int outChannels, int modes1, int modes2, int width, int layers, Generator generator) {
        return of2d(inChannels, outChannels, modes1, modes2, width, layers, DType.FLOAT32, generator);
    }

    /** {@link #of2d(int, int, int, int, int, int, Generator)} in {@code dtype}. */
    public static FNO of2d(int inChannels, int outChannels, int modes1, int modes2, int width, int layers, DType dtype,
                           Generator generator) {
        Checks.positive("FNO.of2d", "modes1", modes1);
        Checks.positive("FNO.of2d", "modes2", modes2);
        Checks.generator("FNO.of2d", generator);
        return new FNO(inChannels, outChannels, 2, width, layers,
                () -> new SpectralConv2d(width, width, modes1, modes2, dtype, generator), 2 * width, dtype, generator);
    }

    @Override
    public Tensor forward(Tensor x) {
        String layout = spatialDims == 1 ? "[batch, " + inChannels + ", n]" : "[batch, " + inChannels + ", h, w]";
        Checks.channelFirst("FNO.forward", x, spatialDims, inChannels, layout);
        Tensor h = lifting.forward(Tensor.cat(List.of(x, grid(x)), 1));
        return projection.forward(blocks.forward(h));
    }

    /** The coordinate channels [batch, spatialDims, spatial...] for x's resolution, in x's dtype. */
    private Tensor grid(Tensor x) {
        int b = x.size(0);
        if (spatialDims == 1) {
            int n = x.size(2);
            return coordinates(n, x.dtype()).reshape(1, 1, n).expand(b, 1, n);
        }
        int h = x.size(2), w = x.size(3);
        Tensor rows = coordinates(h, x.dtype()).reshape(1, 1, h, 1).expand(b, 1, h, w);
        Tensor cols = coordinates(w, x.dtype()).reshape(1, 1, 1, w).expand(b, 1, h, w);
        return Tensor.cat(List.of(rows, cols), 1);
    }

    private static Tensor coordinates(int n, DType dtype) {
        return Tensor.arange(n).to(dtype).div(n);
    }

    public int inChannels() {
        return inChannels;
    }

    public int outChannels() {
        return outChannels;
    }

    /** 1 or 2. */
    public int spatialDims() {
        return spatialDims;
    }

    public int width() {
        return width;
    }

    @Override
    protected String extraRepr() {
        return "in_channels=" + inChannels + ", out_channels=" + outChannels + ", dims=" + spatialDims + ", width=" + width;
    }
}
