package callisto.tensor;

import java.util.Arrays;
import java.util.List;

/**
 * Spatial sampling as PyTorch's {@code grid_sample} and {@code affine_grid}, in 2-D ([N, C, H, W] inputs,
 * (x, y) grids) and 3-D ([N, C, D, H, W], (x, y, z)): for image registration, spatial transformers and
 * neural fields read from feature grids.
 *
 * <p>The sample is built from a gather of the corner values and weights that are tensor operations on the
 * grid, so it is differentiable in the input and (bilinear/trilinear) in the grid, to any order; second
 * derivatives in the grid hold inside cells, as the interpolant is piecewise polynomial. Without gradients
 * a fused loop computes the same values.
 */
public final class GridSample {
    private GridSample() {
    }

    /** Interpolation between the input's samples. */
    public enum Mode {
        /** Bilinear in 2-D, trilinear in 3-D. */
        BILINEAR,
        /** The nearest sample (ties round to even, as PyTorch). */
        NEAREST
    }

    /** What a coordinate outside the input reads. */
    public enum Padding {
        /** Zeros. */
        ZEROS,
        /** The nearest border value. */
        BORDER,
        /** The input mirrored at its borders. */
        REFLECTION
    }

    /** {@link #gridSample(Tensor, Tensor, Mode, Padding, boolean)} with PyTorch's defaults: bilinear, zeros, not aligned. */
    public static Tensor gridSample(Tensor input, Tensor grid) {
        return gridSample(input, grid, Mode.BILINEAR, Padding.ZEROS, false);
    }

    /**
     * Samples {@code input} [N, C, H, W] at the points {@code grid} [N, Ho, Wo, 2] (x across W, y across H,
     * -1 and 1 the outer edges of the corner pixels, or their centres with {@code alignCorners}), giving
     * [N, C, Ho, Wo]; or a 3-D input [N, C, D, H, W] at [N, Do, Ho, Wo, 3] points (x, y, z), giving
     * [N, C, Do, Ho, Wo]. As {@code torch.nn.functional.grid_sample}.
     */
    public static Tensor gridSample(Tensor input, Tensor grid, Mode mode, Padding padding, boolean alignCorners) {
        int s = check(input, grid);
        int n = input.shape[0], c = input.shape[1];
        int[] spatial = Arrays.copyOfRange(input.shape, 2, input.shape.length);
        int[] outSpatial = Arrays.copyOfRange(grid.shape, 1, grid.shape.length - 1);
        int points = Shape.size(outSpatial);
        int[] outShape = new int[2 + s];
        outShape[0] = n;
        outShape[1] = c;
        System.arraycopy(outSpatial, 0, outShape, 2, s);
        boolean recording = GradMode.enabled() && (input.requiresGrad() || (mode == Mode.BILINEAR && grid.requiresGrad()));
        if (!recording) return GridSampleKernel.sample(input, grid, mode, padding, alignCorners, outShape);

        Tensor flatGrid = grid.reshape(n, points, s);
        Tensor[] source = new Tensor[s]; // source[k]: coordinate k (x, y, z) in samples of spatial dim s-1-k
        for (int k = 0; k < s; k++) {
            source[k] = sourceIndex(flatGrid.select(2, k), spatial[s - 1 - k], padding, alignCorners);
        }
        int[] spatialStrides = Shape.strides(spatial);
        int plane = Shape.size(spatial);
        if (mode == Mode.NEAREST) {
            double[][] at = new double[s][];
            for (int k = 0; k < s; k++) {
                at[k] = source[k].toArray();
                for (int i = 0; i < at[k].length; i++) at[k][i] = Math.rint(at[k][i]);
            }
            int[] off = offsets(at, new int[s], spatial, spatialStrides, n, c, points, plane);
            return Tensor.apply(new IndexingKernels.Take(off, input.shape.clone(), new int[] {n, c, points}), input).reshape(outShape);
        }
        double[][] base = new double[s][];
        Tensor[] frac = new Tensor[s];
        for (int k = 0; k < s; k++) {
            base[k] = source[k].toArray();
            for (int i = 0; i < base[k].length; i++) base[k][i] = Math.floor(base[k][i]);
            frac[k] = source[k].sub(Tensor.of(base[k], n, points).to(input.dtype)); // the floor is a constant
        }
        int corners = 1 << s;
        int[] cornerOffsets = new int[corners * n * c * points];
        for (int q = 0; q < corners; q++) { // bit k of q: the upper neighbour along coordinate k
            int[] step = new int[s];
            for (int k = 0; k < s; k++) step[k] = (q >> k) & 1;
            int[] off = offsets(base, step, spatial, spatialStrides, n, c, points, plane);
            System.arraycopy(off, 0, cornerOffsets, q * off.length, off.length);
        }
        // corner weights as one broadcast product: [1 - f_k, f_k] along its own bit axis, bit s-1 first so that
        // the flattened axes count q = sum of bit k times 2^k
        Tensor w = null;
        for (int k = 0; k < s; k++) {
            int[] axes = new int[s + 2];
            Arrays.fill(axes, 1);
            axes[s - 1 - k] = 2;
            axes[s] = n;
            axes[s + 1] = points;
            Tensor pair = Tensor.stack(List.of(frac[k].rsub(1), frac[k]), 0).reshape(axes);
            w = w == null ? pair : w.mul(pair);
        }
        Tensor values = Tensor.apply(new IndexingKernels.Take(cornerOffsets, input.shape.clone(), new int[] {corners, n, c, points}), input);
        return values.mul(w.reshape(corners, n, 1, points)).sum(0, false).reshape(outShape);
    }

    /** Spatial rank 2 or 3, after checking the shapes and dtypes agree. */
    private static int check(Tensor input, Tensor grid) {
        int s = input.dim() - 2;
        if (s != 2 && s != 3) {
            throw new IllegalArgumentException("gridSample: input must be [N, C, H, W] or [N, C, D, H, W], got shape " + Shape.str(input.shape));
        }
        if (grid.dim() != s + 2 || grid.shape[s + 1] != s || grid.shape[0] != input.shape[0]) {
            String expected = s == 2 ? "[" + input.shape[0] + ", Ho, Wo, 2]" : "[" + input.shape[0] + ", Do, Ho, Wo, 3]";
            throw new IllegalArgumentException("gridSample: grid of shape " + Shape.str(grid.shape) + " does not match input of shape "
                    + Shape.str(input.shape) + " (expected " + expected + ")");
        }
        if (!input.dtype.isFloatingPoint() || input.dtype != grid.dtype) {
            throw new IllegalArgumentException("gridSample: input (" + input.dtype.pythonName() + ") and grid (" + grid.dtype.pythonName()
                    + ") must have the same float dtype");
        }
        return s;
    }

    /** Offsets into the input of the corner {@code base + step} of every (n, c, point), -1 where it lies outside. */
    private static int[] offsets(double[][] base, int[] step, int[] spatial, int[] spatialStrides, int n, int c, int points, int plane) {
        int s = spatial.length;
        int[] at = new int[n * points];
        for (int i = 0; i < at.length; i++) {
            int flat = 0;
            for (int k = 0; k < s && flat >= 0; k++) {
                double v = base[k][i] + step[k];
                int size = spatial[s - 1 - k];
                flat = v >= 0 && v < size ? flat + (int) v * spatialStrides[s - 1 - k] : -1;
            }
            at[i] = flat;
        }
        int[] off = new int[n * c * points];
        for (int b = 0; b < n; b++) {
            for (int ch = 0; ch < c; ch++) {
                int o = (b * c + ch) * points, in = (b * c + ch) * plane;
                for (int p = 0; p < points; p++) {
                    int f = at[b * points + p];
                    off[o + p] = f < 0 ? -1 : in + f;
                }
            }
        }
        return off;
    }

    /** grid_sampler_compute_source_index: the normalized coordinate in samples, then the padding rule. */
    private static Tensor sourceIndex(Tensor coord, int size, Padding padding, boolean alignCorners) {
        Tensor x = alignCorners ? coord.add(1).div(2).mul(size - 1) : coord.add(1).mul(size).sub(1).div(2);
        return switch (padding) {
            case ZEROS -> x;
            case BORDER -> x.clamp(0, size - 1);
            case REFLECTION -> (alignCorners ? reflect(x, 0, 2 * (size - 1)) : reflect(x, -1, 2 * size - 1)).clamp(0, size - 1);
        };
    }

    /** Folds x into [twiceLow / 2, twiceHigh / 2] by mirroring at its ends; the fold count is a constant. */
    private static Tensor reflect(Tensor x, int twiceLow, int twiceHigh) {
        if (twiceLow == twiceHigh) return x.mul(0);
        double min = twiceLow / 2.0, span = (twiceHigh - twiceLow) / 2.0;
        Tensor t = x.sub(min).abs();
        double[] flips = t.toArray();
        boolean[] even = new boolean[flips.length];
        for (int i = 0; i < flips.length; i++) {
            flips[i] = Math.floor(flips[i] / span);
            even[i] = flips[i] % 2 == 0;
        }
        Tensor extra = t.sub(Tensor.of(flips, t.shape).mul(span).to(x.dtype));
        return Tensor.where(Tensor.of(even, t.shape), extra.add(min), extra.rsub(span + min));
    }

    /**
     * The sampling grid of an affine map, as {@code torch.nn.functional.affine_grid}: for {@code theta}
     * [N, 2, 3] and {@code size} [N, C, H, W], the points theta · (x, y, 1) over the normalized output pixel
     * centres, [N, H, W, 2]; for [N, 3, 4] and [N, C, D, H, W], [N, D, H, W, 3]. Differentiable in theta.
     */
    public static Tensor affineGrid(Tensor theta, int[] size, boolean alignCorners) {
        int s = size.length - 2;
        if (s != 2 && s != 3) {
            throw new IllegalArgumentException("affineGrid: size must be [N, C, H, W] or [N, C, D, H, W], got " + Shape.str(size));
        }
        for (int d : size) if (d <= 0) throw new IllegalArgumentException("affineGrid: size " + Shape.str(size) + " has a non-positive entry");
        int[] expected = {size[0], s, s + 1};
        if (!Arrays.equals(theta.shape, expected) || !theta.dtype.isFloatingPoint()) {
            throw new IllegalArgumentException("affineGrid: theta has shape " + Shape.str(theta.shape) + " (" + theta.dtype.pythonName()
                    + "), expected a float tensor of shape " + Shape.str(expected) + " for size " + Shape.str(size));
        }
        int[] spatial = Arrays.copyOfRange(size, 2, size.length);
        int points = Shape.size(spatial);
        double[][] axis = new double[s][];
        for (int k = 0; k < s; k++) axis[k] = linspace(spatial[s - 1 - k], alignCorners);
        double[] base = new double[points * (s + 1)];
        int[] c = new int[s];
        for (int p = 0; p < points; p++) {
            for (int k = 0, rest = p; k < s; k++) { // spatial dims row-major: the last one (x) varies fastest
                c[k] = rest % spatial[s - 1 - k];
                rest /= spatial[s - 1 - k];
            }
            for (int k = 0; k < s; k++) base[p * (s + 1) + k] = axis[k][c[k]];
            base[p * (s + 1) + s] = 1;
        }
        Tensor grid = Tensor.of(base, points, s + 1).to(theta.dtype).matmul(theta.transpose(1, 2));
        int[] outShape = new int[s + 2];
        outShape[0] = size[0];
        System.arraycopy(spatial, 0, outShape, 1, s);
        outShape[s + 1] = s;
        return grid.reshape(outShape);
    }

    /** -1 to 1 in {@code steps} (pixel centres when not aligned: scaled by (steps - 1) / steps); 0 for one step. */
    private static double[] linspace(int steps, boolean alignCorners) {
        double[] v = new double[steps];
        if (steps == 1) return v;
        double scale = alignCorners ? steps - 1 : steps;
        for (int i = 0; i < steps; i++) v[i] = (2.0 * i - (steps - 1)) / scale;
        return v;
    }
}
