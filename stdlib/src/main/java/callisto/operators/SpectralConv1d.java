package callisto.operators;

import callisto.fft.Complex;
import callisto.fft.FFT;
import callisto.nn.Module;
import callisto.tensor.DType;
import callisto.tensor.Generator;
import callisto.tensor.Tensor;
import java.util.Arrays;

/**
 * The 1-D Fourier layer of FNO: {@code y = irfft(W · rfft(x))}, where W is a learned complex [in, out] matrix for
 * each of the lowest {@code modes} frequencies and every higher frequency is dropped.
 *
 * <p>Input [batch, in, n], output [batch, out, n] at the input's own n: the weight acts on Fourier modes, not on
 * grid points, so one layer applies at any resolution with n/2 + 1 ≥ modes (with the default "backward" FFT
 * norm, a band-limited function sampled at n or 2n points is mapped to the same function). The weight is the
 * complex pair tensor [in, out, modes, 2]; initialized as the FNO reference, (1/(in·out))·U[0, 1) in both the
 * real and the imaginary part. No bias: the {@link FNOBlock} skip carries it.
 */
public final class SpectralConv1d extends Module {
    private final int inChannels, outChannels, modes;

    /** Float32. */
    public SpectralConv1d(int inChannels, int outChannels, int modes, Generator generator) {
        this(inChannels, outChannels, modes, DType.FLOAT32, generator);
    }

    public SpectralConv1d(int inChannels, int outChannels, int modes, DType dtype, Generator generator) {
        Checks.positive("SpectralConv1d", "inChannels", inChannels);
        Checks.positive("SpectralConv1d", "outChannels", outChannels);
        Checks.positive("SpectralConv1d", "modes", modes);
        Checks.floating("SpectralConv1d", dtype);
        Checks.generator("SpectralConv1d", generator);
        this.inChannels = inChannels;
        this.outChannels = outChannels;
        this.modes = modes;
        double scale = 1.0 / (inChannels * outChannels);
        registerParameter("weight", generator.rand(inChannels, outChannels, modes, 2).mul(scale).to(dtype));
    }

    @Override
    public Tensor forward(Tensor x) {
        Checks.channelFirst("SpectralConv1d.forward", x, 1, inChannels, "[batch, " + inChannels + ", n]");
        int n = x.size(2), bins = n / 2 + 1;
        if (bins < modes) {
            throw new IllegalArgumentException("SpectralConv1d.forward: input shape " + Arrays.toString(x.shape()) + " has n = " + n
                    + ", whose " + bins + " rfft bins are fewer than modes = " + modes + "; need n >= " + (2 * modes - 2));
        }
        Tensor w = weight();
        if (w.dtype() != x.dtype()) {
            throw new IllegalArgumentException("SpectralConv1d.forward: input dtype " + x.dtype() + " differs from the weight's "
                    + w.dtype() + "; convert one (Module.to or Tensor.to)");
        }
        Tensor low = FFT.lowModes(FFT.rfft(x), modes);
        Tensor mixed = Complex.einsum("bim,iom->bom", low, w);
        return FFT.irfft(FFT.padModes(mixed, bins), n);
    }

    /** The complex weight [in, out, modes, 2]. */
    public Tensor weight() {
        return parameter("weight");
    }

    public int inChannels() {
        return inChannels;
    }

    public int outChannels() {
        return outChannels;
    }

    public int modes() {
        return modes;
    }

    @Override
    protected String extraRepr() {
        return "in_channels=" + inChannels + ", out_channels=" + outChannels + ", modes=" + modes;
    }
}
