package callisto.fields;

import callisto.nn.Init;
import callisto.nn.Module;
import callisto.tensor.DType;
import callisto.tensor.Generator;
import callisto.tensor.Tensor;

import java.util.Arrays;
import java.util.List;

/**
 * Coordinate encodings that let an MLP fit high frequencies (the spectral bias of a plain ReLU MLP on raw
 * coordinates is what they counter). Input [..., inFeatures], output [..., {@link #outFeatures()}]; no trainable
 * parameters. Three kinds, built by the factories:
 *
 * <ul>
 *   <li>{@link #gaussian}: random Fourier features (Tancik et al. 2020) {@code [cos 2πxBᵀ, sin 2πxBᵀ]} with
 *       B [m, in] drawn from N(0, σ²) by a seeded generator and kept as the buffer {@code "B"} (saved in the state
 *       dict, never trained). σ sets the bandwidth: too small blurs, too large overfits with noise. Tancik et al.
 *       take coordinates in [0, 1]; on the [−1, 1] grids of {@link Grids}, half their σ gives the same features.</li>
 *   <li>{@link #positional}: NeRF's encoding {@code sin(2^k πx), cos(2^k πx)}, k = 0 … L−1, per input coordinate,
 *       optionally preceded by x itself.</li>
 *   <li>{@link #windowed}: the positional encoding with the coarse-to-fine window of Nerfies and BARF: band k is
 *       multiplied by {@code w_k(α) = (1 − cos(π·clamp(α − k, 0, 1)))/2}. α starts at 0 (only x passes) and is
 *       raised with {@link #setAlpha} as training goes, typically {@code α = L·step/annealSteps}; at α ≥ L every
 *       band has weight 1 and the encoding equals {@link #positional}.</li>
 * </ul>
 *
 * <p>Feature order: [x (when included), the sin block, the cos block]; inside a block, input coordinate i and
 * band k sit at {@code i·L + k} (Gaussian: feature j of B). The window weights are constants, so the encoding is
 * differentiable in x to any order.
 *
 * <pre>{@code
 * var enc = FourierFeatures.gaussian(2, 256, 5.0, DType.FLOAT32, new Generator(0));
 * var model = new Sequential(enc, MLP.builder(enc.outFeatures(), 256, 256, 1).build());
 * }</pre>
 */
public final class FourierFeatures extends Module {
    private final boolean gaussian;
    private final int inFeatures, numFrequencies, outFeatures;
    private final boolean includeInput;
    private final double sigma;
    private double alpha;

    private FourierFeatures(boolean gaussian, int inFeatures, int numFrequencies, boolean includeInput, double sigma, double alpha) {
        this.gaussian = gaussian;
        this.inFeatures = inFeatures;
        this.numFrequencies = numFrequencies;
        this.includeInput = includeInput;
        this.sigma = sigma;
        this.alpha = alpha;
        this.outFeatures = gaussian ? 2 * numFrequencies : inFeatures * 2 * numFrequencies + (includeInput ? inFeatures : 0);
    }

    /**
     * Gaussian random Fourier features: {@code numFeatures} frequencies drawn from N(0, σ²) into B [numFeatures, in],
     * giving {@code 2·numFeatures} outputs.
     */
    public static FourierFeatures gaussian(int inFeatures, int numFeatures, double sigma, DType dtype, Generator generator) {
        check("gaussian", inFeatures, numFeatures);
        if (!(sigma > 0) || Double.isInfinite(sigma)) {
            throw new IllegalArgumentException("FourierFeatures.gaussian: sigma " + sigma + " must be positive and finite");
        }
        if (dtype == null || !dtype.isFloatingPoint()) {
            throw new IllegalArgumentException("FourierFeatures.gaussian: dtype " + dtype + " must be FLOAT32 or FLOAT64");
        }
        if (generator == null) throw new IllegalArgumentException("FourierFeatures.gaussian: generator is null");
        var f = new FourierFeatures(true, inFeatures, numFeatures, false, sigma, Double.NaN);
        f.registerBuffer("B", Init.normal(Tensor.zeros(dtype, numFeatures, inFeatures), 0, sigma, generator));
        return f;
    }

    /** NeRF's positional encoding with {@code numFrequencies} = L bands: {@code in·2L} outputs, plus in with x. */
    public static FourierFeatures positional(int inFeatures, int numFrequencies, boolean includeInput) {
        check("positional", inFeatures, numFrequencies);
        return new FourierFeatures(false, inFeatures, numFrequencies, includeInput, Double.NaN, numFrequencies);
    }

    /** The positional encoding under the coarse-to-fine window, starting at α = 0; raise α with {@link #setAlpha}. */
    public static FourierFeatures windowed(int inFeatures, int numFrequencies, boolean includeInput) {
        check("windowed", inFeatures, numFrequencies);
        return new FourierFeatures(false, inFeatures, numFrequencies, includeInput, Double.NaN, 0);
    }

    private static void check(String op, int inFeatures, int numFrequencies) {
        if (inFeatures < 1 || numFrequencies < 1) {
            throw new IllegalArgumentException("FourierFeatures." + op + ": inFeatures " + inFeatures + " and "
                    + (op.equals("gaussian") ? "numFeatures " : "numFrequencies ") + numFrequencies + " must be >= 1");
        }
    }

    /**
     * Sets the window position α ≥ 0 of a positional encoding (bands k &lt; α − 1 fully on, k ≥ α off, the band
     * between eased in); α ≥ L turns every band fully on. Not part of the state dict: it follows the schedule.
     */
    public FourierFeatures setAlpha(double value) {
        if (gaussian) throw new IllegalStateException("FourierFeatures.setAlpha: Gaussian features have no frequency window");
        if (!(value >= 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException("FourierFeatures.setAlpha: alpha " + value + " must be finite and >= 0");
        }
        alpha = value;
        return this;
    }

    /** The window position α (L for {@link #positional}); NaN for Gaussian features. */
    public double alpha() {
        return alpha;
    }

    /** The window weights w_k(α) of the L bands. */
    double[] window() {
        double[] w = new double[numFrequencies];
        for (int k = 0; k < w.length; k++) w[k] = (1 - Math.cos(Math.PI * Math.min(Math.max(alpha - k, 0), 1))) / 2;
        return w;
    }

    public int inFeatures() {
        return inFeatures;
    }

    /** The number of output features. */
    public int outFeatures() {
        return outFeatures;
    }

    /** The Gaussian frequency matrix B [m, in], or null for positional encodings. */
    public Tensor frequencies() {
        return buffer("B");
    }

    @Override
    public Tensor forward(Tensor x) {
        if (x == null || x.dim() < 1 || x.size(-1) != inFeatures || !x.dtype().isFloatingPoint()) {
            throw new IllegalArgumentException("FourierFeatures.forward: input " + (x == null ? "null" : "of shape "
                    + Arrays.toString(x.shape()) + " (" + x.dtype() + ")") + " must be floating point and end in inFeatures = " + inFeatures);
        }
        if (gaussian) {
            Tensor proj = x.matmul(frequencies().to(x.dtype()).transpose()).mul(2 * Math.PI);
            return Tensor.cat(List.of(proj.cos(), proj.sin()), -1);
        }
        int l = numFrequencies;
        double[] freq = new double[l];
        for (int k = 0; k < l; k++) freq[k] = Math.scalb(Math.PI, k);
        int[] shape = x.shape();
        int[] flat = shape.clone();
        flat[flat.length - 1] = inFeatures * l;
        Tensor arg = x.unsqueeze(-1).mul(Tensor.of(freq).to(x.dtype())).reshape(flat);
        Tensor sin = arg.sin(), cos = arg.cos();
        if (alpha < l) { // some band is damped: weight both blocks
            double[] w = window(), tiled = new double[inFeatures * l];
            for (int i = 0; i < inFeatures; i++) System.arraycopy(w, 0, tiled, i * l, l);
            Tensor weights = Tensor.of(tiled).to(x.dtype());
            sin = sin.mul(weights);
            cos = cos.mul(weights);
        }
        return Tensor.cat(includeInput ? List.of(x, sin, cos) : List.of(sin, cos), -1);
    }

    @Override
    protected String extraRepr() {
        return gaussian ? "gaussian, in_features=" + inFeatures + ", num_features=" + numFrequencies + ", sigma=" + sigma
                : "positional, in_features=" + inFeatures + ", num_frequencies=" + numFrequencies + ", include_input=" + includeInput
                + ", alpha=" + alpha;
    }
}
