package callisto.operators;

import callisto.fft.Complex;
import callisto.fft.FFT;
import callisto.nn.Module;
import callisto.tensor.DType;
import callisto.tensor.Generator;
import callisto.tensor.Tensor;
import java.util.Arrays;

/**
 * The 2-D Fourier layer of FNO: {@code y = irfft2(W · rfft2(x))} keeping, as the FNO paper, the frequencies
 * with |k_y| < modes1 (both the positive rows [0, modes1) and the negative rows [h − modes1, h) of the spectrum)
 * and 0 ≤ k_x < modes2 (the half spectrum of a real field holds only those); all others are dropped.
 *
 * <p>Input [batch, in, h, w], output [batch, out, h, w] at the input's own resolution; any h ≥ 2·modes1 and
 * w/2 + 1 ≥ modes2 works with the same weights. The weight is the complex pair tensor
 * [in, out, 2·modes1, modes2, 2], positive-frequency rows first (the reference's two weight blocks, stacked);
 * initialized (1/(in·out))·U[0, 1) in the real and imaginary parts, as the FNO reference.
 */
public final class SpectralConv2d extends Module {
    private final int inChannels, outChannels, modes1, modes2;

    /** Float32. */
    public SpectralConv2d(int inChannels, int outChannels, int modes1, int modes2, Generator generator) {
        this(inChannels, outChannels, modes1, modes2, DType.FLOAT32, generator);
    }

    public SpectralConv2d(int inChannels, int outChannels, int modes1, int modes2, DType dtype, Generator generator) {
        Checks.positive("SpectralConv2d", "inChannels", inChannels);
        Checks.positive("SpectralConv2d", "outChannels", outChannels);
        Checks.positive("SpectralConv2d", "modes1", modes1);
        Checks.positive("SpectralConv2d", "modes2", modes2);
        Checks.floating("SpectralConv2d", dtype);
        Checks.generator("SpectralConv2d", generator);
        this.inChannels = inChannels;
        this.outChannels = outChannels;
        this.modes1 = modes1;
        this.modes2 = modes2;
        double scale = 1.0 / (inChannels * outChannels);
        registerParameter("weight", generator.rand(inChannels, outChannels, 2 * modes1, modes2, 2).mul(scale).to(dtype));
    }

    @Override
    public Tensor forward(Tensor x) {
        Checks.channelFirst("SpectralConv2d.forward", x, 2, inChannels, "[batch, " + inChannels + ", h, w]");
        int h = x.size(2), w = x.size(3), wBins = w / 2 + 1;
        if (h < 2 * modes1 || wBins < modes2) {
            throw new IllegalArgumentException("SpectralConv2d.forward: input shape " + Arrays.toString(x.shape())
                    + " is too coarse for modes1 = " + modes1 + ", modes2 = " + modes2 + "; need h >= " + 2 * modes1
                    + " and w >= " + (2 * modes2 - 2));
        }
        Tensor weight = weight();
        if (weight.dtype() != x.dtype()) {
            throw new IllegalArgumentException("SpectralConv2d.forward: input dtype " + x.dtype() + " differs from the weight's "
                    + weight.dtype() + "; convert one (Module.to or Tensor.to)");
        }
        Tensor low = FFT.lowModes2(FFT.rfft2(x), modes1, modes2);
        Tensor mixed = Complex.einsum("bixy,ioxy->boxy", low, weight);
        return FFT.irfft2(FFT.padModes2(mixed, h, wBins), h, w);
    }

    /** The complex weight [in, out, 2·modes1, modes2, 2]. */
    public Tensor weight() {
        return parameter("weight");
    }

    public int inChannels() {
        return inChannels;
    }

    public int outChannels() {
        return outChannels;
    }

    public int modes1() {
        return modes1;
    }

    public int modes2() {
        return modes2;
    }

    @Override
    protected String extraRepr() {
        return "in_channels=" + inChannels + ", out_channels=" + outChannels + ", modes1=" + modes1 + ", modes2=" + modes2;
    }
}
