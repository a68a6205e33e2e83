package callisto.nn;

import callisto.tensor.Generator;
import callisto.tensor.GradMode;
import callisto.tensor.Tensor;

import java.util.Arrays;

/**
 * Parameter initializers, as PyTorch's {@code torch.nn.init}: each fills its tensor in place (under
 * {@link GradMode#noGrad()}, so parameters that require gradients can be filled), draws from the given seeded
 * {@link Generator} in float64 and returns the tensor. Fan-in and fan-out follow PyTorch: for a weight of shape
 * [out, in, k...] fan-in is {@code in · ∏k} and fan-out {@code out · ∏k}.
 */
public final class Init {
    private Init() {
    }

    /** Fills with U(low, high). */
    public static Tensor uniform(Tensor t, double low, double high, Generator generator) {
        if (!(low < high)) throw new IllegalArgumentException("Init.uniform: low " + low + " must be below high " + high);
        return fill(t, generator.uniform(low, high, t.shape()));
    }

    /** Fills with N(mean, std²). */
    public static Tensor normal(Tensor t, double mean, double std, Generator generator) {
        if (!(std >= 0)) throw new IllegalArgumentException("Init.normal: std " + std + " must be >= 0");
        return fill(t, generator.normal(mean, std, t.shape()));
    }

    /** Fills with {@code value}. */
    public static Tensor constant(Tensor t, double value) {
        try (var off = GradMode.noGrad()) {
            t.fill_(value);
        }
        return t;
    }

    public static Tensor zeros(Tensor t) {
        return constant(t, 0);
    }

    public static Tensor ones(Tensor t) {
        return constant(t, 1);
    }

    /** {@code [fanIn, fanOut]} of a weight with at least 2 dims, as PyTorch's {@code _calculate_fan_in_and_fan_out}. */
    public static int[] fans(Tensor t) {
        int[] s = t.shape();
        if (s.length < 2) {
            throw new IllegalArgumentException("Init.fans: fan in and fan out need a tensor with at least 2 dims, got shape "
                    + Arrays.toString(s));
        }
        int receptive = 1;
        for (int d = 2; d < s.length; d++) receptive *= s[d];
        return new int[] {s[1] * receptive, s[0] * receptive};
    }

    /**
     * The recommended gain for a nonlinearity, as {@code torch.nn.init.calculate_gain}: 1 for "linear", "conv1d",
     * "conv2d", "conv3d", "conv_transpose1d/2d/3d" and "sigmoid", 5/3 for "tanh", √2 for "relu",
     * √(2 / (1 + slope²)) for "leaky_relu" (with {@code param} the negative slope), 3/4 for "selu".
     */
    public static double calculateGain(String nonlinearity, double param) {
        return switch (nonlinearity) {
            case "linear", "conv1d", "conv2d", "conv3d", "conv_transpose1d", "conv_transpose2d", "conv_transpose3d",
                 "sigmoid" -> 1;
            case "tanh" -> 5.0 / 3;
            case "relu" -> Math.sqrt(2);
            case "leaky_relu" -> Math.sqrt(2 / (1 + param * param));
            case "selu" -> 0.75;
            default -> throw new IllegalArgumentException("Init.calculateGain: nonlinearity '" + nonlinearity
                    + "' is not one of linear, conv1d, conv2d, conv3d, conv_transpose1d/2d/3d, sigmoid, tanh, relu, leaky_relu, selu");
        };
    }

    /** {@link #calculateGain(String, double)} with PyTorch's default leaky_relu slope 0.01. */
    public static double calculateGain(String nonlinearity) {
        return calculateGain(nonlinearity, 0.01);
    }

    /** Glorot uniform: U(±gain·√(6 / (fanIn + fanOut))). */
    public static Tensor xavierUniform(Tensor t, double gain, Generator generator) {
        int[] f = fans(t);
        double bound = gain * Math.sqrt(6.0 / (f[0] + f[1]));
        return uniform(t, -bound, bound, generator);
    }

    public static Tensor xavierUniform(Tensor t, Generator generator) {
        return xavierUniform(t, 1, generator);
    }

    /** Glorot normal: N(0, gain²·2 / (fanIn + fanOut)). */
    public static Tensor xavierNormal(Tensor t, double gain, Generator generator) {
        int[] f = fans(t);
        return normal(t, 0, gain * Math.sqrt(2.0 / (f[0] + f[1])), generator);
    }

    public static Tensor xavierNormal(Tensor t, Generator generator) {
        return xavierNormal(t, 1, generator);
    }

    private static int fan(String op, Tensor t, String mode) {
        int[] f = fans(t);
        return switch (mode) {
            case "fan_in" -> f[0];
            case "fan_out" -> f[1];
            default -> throw new IllegalArgumentException(op + ": mode '" + mode + "' is not fan_in or fan_out");
        };
    }

    /**
     * He uniform, as {@code kaiming_uniform_(t, a, mode, nonlinearity)}: U(±gain·√(3 / fan)) with the gain of
     * {@code nonlinearity} ("relu", "leaky_relu" with slope {@code a}, "linear", "tanh", ...) and fan "fan_in" or
     * "fan_out".
     */
    public static Tensor kaimingUniform(Tensor t, double a, String mode, String nonlinearity, Generator generator) {
        int n = fan("Init.kaimingUniform", t, mode);
        double bound = calculateGain(nonlinearity, a) * Math.sqrt(3.0 / n);
        return uniform(t, -bound, bound, generator);
    }

    /** He uniform for ReLU with fan_in, PyTorch's defaults. */
    public static Tensor kaimingUniform(Tensor t, Generator generator) {
        return kaimingUniform(t, 0, "fan_in", "leaky_relu", generator);
    }

    /** He normal, as {@code kaiming_normal_(t, a, mode, nonlinearity)}: N(0, gain² / fan). */
    public static Tensor kaimingNormal(Tensor t, double a, String mode, String nonlinearity, Generator generator) {
        int n = fan("Init.kaimingNormal", t, mode);
        return normal(t, 0, calculateGain(nonlinearity, a) / Math.sqrt(n), generator);
    }

    /** He normal for ReLU with fan_in, PyTorch's defaults. */
    public static Tensor kaimingNormal(Tensor t, Generator generator) {
        return kaimingNormal(t, 0, "fan_in", "leaky_relu", generator);
    }

    /**
     * A (semi-)orthogonal matrix times {@code gain}, as {@code orthogonal_}: the tensor is viewed as [rows, rest];
     * the Q factor of a Gaussian matrix (Householder QR in float64, signs fixed so R's diagonal is positive, which
     * makes Q Haar-distributed) fills it, with orthonormal rows when rows ≤ rest and orthonormal columns otherwise.
     */
    public static Tensor orthogonal(Tensor t, double gain, Generator generator) {
        if (t.dim() < 2) {
            throw new IllegalArgumentException("Init.orthogonal: needs a tensor with at least 2 dims, got shape "
                    + Arrays.toString(t.shape()));
        }
        int rows = t.size(0), cols = t.numel() / Math.max(rows, 1);
        double[] g = generator.randn(rows, cols).toArray();
        boolean wide = rows < cols;
        int m = wide ? cols : rows, n = wide ? rows : cols; // factor the tall [m, n] matrix
        double[] a = new double[m * n];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                if (wide) a[j * n + i] = g[i * cols + j];
                else a[i * n + j] = g[i * cols + j];
            }
        }
        double[] q = householderQ(a, m, n);
        double[] out = new double[rows * cols];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) out[i * cols + j] = gain * (wide ? q[j * n + i] : q[i * n + j]);
        }
        return fill(t, Tensor.of(out, t.shape()));
    }

    public static Tensor orthogonal(Tensor t, Generator generator) {
        return orthogonal(t, 1, generator);
    }

    /** The thin Q [m, n] (m ≥ n) of a = QR with diag(R) ≥ 0; {@code a} is overwritten. */
    static double[] householderQ(double[] a, int m, int n) {
        double[][] v = new double[n][];
        double[] sign = new double[n];
        for (int k = 0; k < n; k++) {
            double norm = 0;
            for (int i = k; i < m; i++) norm += a[i * n + k] * a[i * n + k];
            norm = Math.sqrt(norm);
            double alpha = a[k * n + k] >= 0 ? -norm : norm; // reflect away from the diagonal entry: no cancellation
            double[] u = new double[m - k];
            for (int i = k; i < m; i++) u[i - k] = a[i * n + k];
            u[0] -= alpha;
            double un = 0;
            for (double x : u) un += x * x;
            un = Math.sqrt(un);
            if (un > 0) for (int i = 0; i < u.length; i++) u[i] /= un;
            v[k] = u;
            for (int j = k; j < n; j++) {
                double dot = 0;
                for (int i = k; i < m; i++) dot += u[i - k] * a[i * n + j];
                for (int i = k; i < m; i++) a[i * n + j] -= 2 * u[i - k] * dot;
            }
            sign[k] = a[k * n + k] < 0 ? -1 : 1;
        }
        // Q = H_0 H_1 ... H_{n-1} applied to the first n columns of the identity, then columns scaled by sign(R_kk)
        double[] q = new double[m * n];
        for (int j = 0; j < n; j++) q[j * n + j] = 1;
        for (int k = n - 1; k >= 0; k--) {
            double[] u = v[k];
            for (int j = 0; j < n; j++) {
                double dot = 0;
                for (int i = k; i < m; i++) dot += u[i - k] * q[i * n + j];
                for (int i = k; i < m; i++) q[i * n + j] -= 2 * u[i - k] * dot;
            }
        }
        for (int i = 0; i < m; i++) for (int j = 0; j < n; j++) q[i * n + j] *= sign[j];
        return q;
    }

    /**
     * SIREN's initialization (Sitzmann et al. 2020) of a weight [out, in]: U(±1/in) for the first layer, else
     * U(±√(6/in)/ω0), so that sin(ω0·(Wx + b)) keeps its activations' distribution through depth.
     */
    public static Tensor siren(Tensor t, boolean firstLayer, double omega0, Generator generator) {
        if (!(omega0 > 0)) throw new IllegalArgumentException("Init.siren: omega0 " + omega0 + " must be positive");
        int in = fans(t)[0];
        double bound = firstLayer ? 1.0 / in : Math.sqrt(6.0 / in) / omega0;
        return uniform(t, -bound, bound, generator);
    }

    private static Tensor fill(Tensor t, Tensor values) {
        if (!t.dtype().isFloatingPoint()) {
            throw new IllegalArgumentException("Init: tensor is " + t.dtype() + "; initializers fill float tensors");
        }
        try (var off = GradMode.noGrad()) {
            t.copy_(values);
        }
        return t;
    }
}
