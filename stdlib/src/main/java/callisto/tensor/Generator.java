package callisto.tensor;

/**
 * A seeded source of random tensors. The same seed gives the same numbers on every run and every machine: the
 * stream is SplitMix64 (Steele, Lea and Flood, 2014), whose whole state is one 64-bit counter, and normals use
 * StrictMath. A float32 tensor holds the float64 draws rounded, so both precisions see the same stream.
 *
 * <p>{@link #getState()} and {@link #setState} save and restore the position in the stream, as PyTorch's
 * {@code Generator.get_state} / {@code set_state}: a checkpoint that stores them resumes with exactly the draws
 * an uninterrupted run would have made.
 */
public final class Generator {
    private static final long GAMMA = 0x9e3779b97f4a7c15L;
    private long state;

    public Generator(long seed) {
        state = seed;
    }

    /** The position in the stream, an int64 tensor of shape [1]. */
    public Tensor getState() {
        return Tensor.wrap(DType.INT64, new long[] {state}, new int[] {1});
    }

    /** Moves to a position returned by {@link #getState()}. */
    public void setState(Tensor state) {
        if (state == null || state.dtype() != DType.INT64 || state.numel() != 1) {
            throw new IllegalArgumentException("Generator.setState: expected the int64 tensor of one element that getState() returns, got "
                    + (state == null ? "null" : state.dtype().pythonName() + " of shape " + Shape.str(state.shape())));
        }
        this.state = state.toLongArray()[0];
    }

    private long nextLong() {
        long z = state += GAMMA;
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    /** Uniform on [0, 1) with 53 random bits. */
    private double nextDouble() {
        return (nextLong() >>> 11) * 0x1.0p-53;
    }

    /** Uniform on [0, bound), bound > 0, without modulo bias: draws falling in the incomplete last block are redrawn. */
    private long nextBelow(long bound) {
        long bits, value;
        do {
            bits = nextLong() >>> 1;
            value = bits % bound;
        } while (bits - value + (bound - 1) < 0);
        return value;
    }

    private static int size(String op, int[] shape) {
        for (int d : shape) if (d < 0) throw new IllegalArgumentException(op + ": negative size in shape " + Shape.str(shape));
        return Shape.size(shape);
    }

    /** Uniform on [0, 1), float64. */
    public Tensor rand(int... shape) {
        double[] d = new double[size("rand", shape)];
        for (int i = 0; i < d.length; i++) d[i] = nextDouble();
        return Tensor.wrap(DType.FLOAT64, d, shape.clone());
    }

    /** Uniform on [0, 1) in a float dtype. */
    public Tensor rand(DType dtype, int... shape) {
        return rand(shape).to(floating("rand", dtype));
    }

    /** Uniform on [low, high), float64. */
    public Tensor uniform(double low, double high, int... shape) {
        if (!(low < high)) throw new IllegalArgumentException("uniform: low " + low + " must be below high " + high);
        double[] d = new double[size("uniform", shape)];
        for (int i = 0; i < d.length; i++) d[i] = low + (high - low) * nextDouble();
        return Tensor.wrap(DType.FLOAT64, d, shape.clone());
    }

    /** Standard normal (Box–Muller), float64. */
    public Tensor randn(int... shape) {
        double[] d = new double[size("randn", shape)];
        for (int i = 0; i < d.length; i += 2) {
            double u = 1 - nextDouble(), v = nextDouble(); // u in (0, 1]: log(u) is finite
            double r = StrictMath.sqrt(-2 * StrictMath.log(u));
            d[i] = r * StrictMath.cos(2 * Math.PI * v);
            if (i + 1 < d.length) d[i + 1] = r * StrictMath.sin(2 * Math.PI * v);
        }
        return Tensor.wrap(DType.FLOAT64, d, shape.clone());
    }

    /** Standard normal in a float dtype. */
    public Tensor randn(DType dtype, int... shape) {
        return randn(shape).to(floating("randn", dtype));
    }

    /** Normal with the given mean and standard deviation, float64. */
    public Tensor normal(double mean, double std, int... shape) {
        if (!(std >= 0)) throw new IllegalArgumentException("normal: std " + std + " must be >= 0");
        return randn(shape).mul(std).add(mean);
    }

    /** Integers uniform on [low, high), int64. */
    public Tensor randint(long low, long high, int... shape) {
        if (low >= high) throw new IllegalArgumentException("randint: low " + low + " must be below high " + high);
        long[] d = new long[size("randint", shape)];
        for (int i = 0; i < d.length; i++) d[i] = high - low > 0 ? low + nextBelow(high - low) : nextInRange(low, high);
        return Tensor.wrap(DType.INT64, d, shape.clone());
    }

    /** 1 with probability {@code p}, else 0 (float64). */
    public Tensor bernoulli(double p, int... shape) {
        if (!(p >= 0 && p <= 1)) throw new IllegalArgumentException("bernoulli: p = " + p + " is not in [0, 1]");
        double[] d = new double[size("bernoulli", shape)];
        for (int i = 0; i < d.length; i++) d[i] = nextDouble() < p ? 1 : 0;
        return Tensor.wrap(DType.FLOAT64, d, shape.clone());
    }

    /** A random ordering of 0..n-1 (Fisher–Yates). */
    public int[] permutation(int n) {
        if (n < 0) throw new IllegalArgumentException("permutation: n = " + n + " is negative");
        int[] p = new int[n];
        for (int i = 0; i < n; i++) p[i] = i;
        for (int i = n - 1; i > 0; i--) {
            int j = (int) nextBelow(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    /** A random ordering of 0..n-1 as an int64 tensor, as PyTorch's randperm. */
    public Tensor randperm(int n) {
        return Tensor.ofInts(permutation(n)).to(DType.INT64);
    }

    /** A range wider than Long.MAX_VALUE: redraw whole longs until one falls inside (at most two tries expected). */
    private long nextInRange(long low, long high) {
        long r;
        do r = nextLong(); while (r < low || r >= high);
        return r;
    }

    private static DType floating(String op, DType dtype) {
        if (!dtype.isFloatingPoint()) throw new IllegalArgumentException(op + ": dtype " + dtype.pythonName() + " is not a float type");
        return dtype;
    }
}
