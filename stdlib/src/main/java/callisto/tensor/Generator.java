package callisto.tensor;

import java.util.SplittableRandom;

/**
 * A seeded source of random tensors. The same seed gives the same numbers on every run and every machine:
 * SplittableRandom's algorithm is fixed by its specification, and normals use StrictMath. A float32 tensor
 * holds the float64 draws rounded, so both precisions see the same stream.
 */
public final class Generator {
    private final SplittableRandom random;

    public Generator(long seed) {
        random = new SplittableRandom(seed);
    }

    private static int size(String op, int[] shape) {
        for (int d : shape) if (d < 0) throw new IllegalArgumentException(op + ": negative size in shape " + Shape.str(shape));
        return Shape.size(shape);
    }

    /** Uniform on [0, 1), float64. */
    public Tensor rand(int... shape) {
        double[] d = new double[size("rand", shape)];
        for (int i = 0; i < d.length; i++) d[i] = random.nextDouble();
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
        for (int i = 0; i < d.length; i++) d[i] = low + (high - low) * random.nextDouble();
        return Tensor.wrap(DType.FLOAT64, d, shape.clone());
    }

    /** Standard normal (Box–Muller), float64. */
    public Tensor randn(int... shape) {
        double[] d = new double[size("randn", shape)];
        for (int i = 0; i < d.length; i += 2) {
            double u = 1 - random.nextDouble(), v = random.nextDouble(); // u in (0, 1]: log(u) is finite
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
        for (int i = 0; i < d.length; i++) d[i] = random.nextLong(low, high);
        return Tensor.wrap(DType.INT64, d, shape.clone());
    }

    /** 1 with probability {@code p}, else 0 (float64). */
    public Tensor bernoulli(double p, int... shape) {
        if (!(p >= 0 && p <= 1)) throw new IllegalArgumentException("bernoulli: p = " + p + " is not in [0, 1]");
        double[] d = new double[size("bernoulli", shape)];
        for (int i = 0; i < d.length; i++) d[i] = random.nextDouble() < p ? 1 : 0;
        return Tensor.wrap(DType.FLOAT64, d, shape.clone());
    }

    /** A random ordering of 0..n-1 (Fisher–Yates). */
    public int[] permutation(int n) {
        if (n < 0) throw new IllegalArgumentException("permutation: n = " + n + " is negative");
        int[] p = new int[n];
        for (int i = 0; i < n; i++) p[i] = i;
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
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

    private static DType floating(String op, DType dtype) {
        if (!dtype.isFloatingPoint()) throw new IllegalArgumentException(op + ": dtype " + dtype.pythonName() + " is not a float type");
        return dtype;
    }
}
