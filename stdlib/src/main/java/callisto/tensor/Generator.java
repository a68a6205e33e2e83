package callisto.tensor;

import java.util.SplittableRandom;

/**
 * A seeded source of random tensors. The same seed gives the same numbers on every run and every machine:
 * SplittableRandom's algorithm is fixed by its specification, and normals use StrictMath.
 */
public final class Generator {
    private final SplittableRandom random;

    public Generator(long seed) {
        random = new SplittableRandom(seed);
    }

    /** Uniform on [0, 1). */
    public Tensor rand(int... shape) {
        double[] d = new double[Shape.size(shape)];
        for (int i = 0; i < d.length; i++) d[i] = random.nextDouble();
        return new Tensor(d, shape.clone());
    }

    /** Standard normal (Box–Muller). */
    public Tensor randn(int... shape) {
        double[] d = new double[Shape.size(shape)];
        for (int i = 0; i < d.length; i += 2) {
            double u = 1 - random.nextDouble(), v = random.nextDouble(); // u in (0, 1]: log(u) is finite
            double r = StrictMath.sqrt(-2 * StrictMath.log(u));
            d[i] = r * StrictMath.cos(2 * Math.PI * v);
            if (i + 1 < d.length) d[i + 1] = r * StrictMath.sin(2 * Math.PI * v);
        }
        return new Tensor(d, shape.clone());
    }

    /** Integers uniform on [low, high), as float64 values. */
    public Tensor randint(int low, int high, int... shape) {
        if (low >= high) throw new IllegalArgumentException("randint: low " + low + " must be below high " + high);
        double[] d = new double[Shape.size(shape)];
        for (int i = 0; i < d.length; i++) d[i] = random.nextInt(low, high);
        return new Tensor(d, shape.clone());
    }

    /** 1 with probability {@code p}, else 0. */
    public Tensor bernoulli(double p, int... shape) {
        if (!(p >= 0 && p <= 1)) throw new IllegalArgumentException("bernoulli: p = " + p + " is not in [0, 1]");
        double[] d = new double[Shape.size(shape)];
        for (int i = 0; i < d.length; i++) d[i] = random.nextDouble() < p ? 1 : 0;
        return new Tensor(d, shape.clone());
    }

    /** A random ordering of 0..n-1 (Fisher–Yates). */
    public int[] permutation(int n) {
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
}
