package callisto.fields;

import callisto.tensor.DType;
import callisto.tensor.Generator;
import callisto.tensor.Tensor;

import java.util.Arrays;

/**
 * Coordinates of pixel grids for neural fields, in the convention of {@link callisto.tensor.GridSample} with
 * {@code alignCorners = true} (the one used throughout {@code callisto.fields}): along a dim of n samples, sample i
 * sits at {@code −1 + 2i/(n − 1)}, so −1 and 1 are the centres of the first and last pixels (a dim of one sample
 * sits at 0). Coordinate columns run as gridSample's: x (across the last dim, W) first, then y (H), then z (D).
 * Evaluating a field at {@code coordinates(h, w)} and reshaping to [h, w, c] gives the image in row-major order.
 */
public final class Grids {
    private Grids() {
    }

    /** {@link #coordinates(DType, int...)} in float32. */
    public static Tensor coordinates(int... size) {
        return coordinates(DType.FLOAT32, size);
    }

    /**
     * The coordinates of every sample of a grid of {@code size} (1, 2 or 3 dims, e.g. (h, w)): [∏size, size.length],
     * rows in row-major order of the grid (the last dim fastest), columns (x, y, z). Reshape to
     * {@code [h, w, 2]} for gridSample's layout.
     */
    public static Tensor coordinates(DType dtype, int... size) {
        if (dtype == null || !dtype.isFloatingPoint()) {
            throw new IllegalArgumentException("Grids.coordinates: dtype " + dtype + " must be FLOAT32 or FLOAT64");
        }
        if (size == null || size.length < 1 || size.length > 3) {
            throw new IllegalArgumentException("Grids.coordinates: size " + Arrays.toString(size) + " must have 1, 2 or 3 dims");
        }
        for (int n : size) {
            if (n < 1) throw new IllegalArgumentException("Grids.coordinates: size " + Arrays.toString(size) + " must be positive");
        }
        int s = size.length;
        long total = 1;
        for (int n : size) total *= n;
        if (total * s > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("Grids.coordinates: size " + Arrays.toString(size) + " has too many points");
        }
        int points = (int) total;
        double[] out = new double[points * s];
        for (int p = 0; p < points; p++) {
            for (int k = 0, rest = p; k < s; k++) { // column k: spatial dim s-1-k, which varies fastest for k = 0
                int n = size[s - 1 - k];
                out[p * s + k] = axis(rest % n, n);
                rest /= n;
            }
        }
        return Tensor.of(out, points, s).to(dtype);
    }

    /** Sample i of n in normalized coordinates (aligned corners). */
    static double axis(int i, int n) {
        return n == 1 ? 0 : -1 + 2.0 * i / (n - 1);
    }

    /**
     * {@code count} distinct indices into {@code total} samples, drawn without replacement (int64 [count]): pick a
     * minibatch of pixels with {@code coords.indexSelect(0, idx)} and {@code values.indexSelect(0, idx)}.
     */
    public static Tensor randomIndices(int count, int total, Generator generator) {
        if (total < 1 || count < 1 || count > total) {
            throw new IllegalArgumentException("Grids.randomIndices: count " + count + " must be in [1, total] with total " + total + " >= 1");
        }
        if (generator == null) throw new IllegalArgumentException("Grids.randomIndices: generator is null");
        return Tensor.ofInts(Arrays.copyOf(generator.permutation(total), count)).to(DType.INT64);
    }

    /**
     * A seeded split of {@code total} sample indices into {@code count} and the other {@code total − count}: two
     * int64 index tensors, disjoint, together holding every index once ({@code torch.utils.data.random_split} with
     * two lengths). Fit a field on the first part and measure it on the held-out rest, so that memorising the
     * training pixels does not pass for a good fit. The first part is what {@link #randomIndices} draws from a
     * generator in the same state.
     */
    public static Tensor[] randomSplit(int count, int total, Generator generator) {
        if (total < 2 || count < 1 || count >= total) {
            throw new IllegalArgumentException("Grids.randomSplit: count " + count + " must be in [1, total - 1] with total " + total + " >= 2");
        }
        if (generator == null) throw new IllegalArgumentException("Grids.randomSplit: generator is null");
        int[] perm = generator.permutation(total);
        return new Tensor[] {Tensor.ofInts(Arrays.copyOfRange(perm, 0, count)).to(DType.INT64),
                Tensor.ofInts(Arrays.copyOfRange(perm, count, total)).to(DType.INT64)};
    }

    /** {@code count} points uniform in [−1, 1]^dims, [count, dims]: off-grid samples of a continuous field. */
    public static Tensor randomCoordinates(int count, int dims, DType dtype, Generator generator) {
        if (count < 1 || dims < 1) {
            throw new IllegalArgumentException("Grids.randomCoordinates: count " + count + " and dims " + dims + " must be >= 1");
        }
        if (dtype == null || !dtype.isFloatingPoint()) {
            throw new IllegalArgumentException("Grids.randomCoordinates: dtype " + dtype + " must be FLOAT32 or FLOAT64");
        }
        if (generator == null) throw new IllegalArgumentException("Grids.randomCoordinates: generator is null");
        return generator.uniform(-1, 1, count, dims).to(dtype);
    }
}
