package callisto.tensor;

import java.util.Arrays;

/**
 * Resampling with the names and semantics of PyTorch's {@code torch.nn.functional}: {@code interpolate} (nearest,
 * nearest-exact, linear, bilinear, area) and pixel (un)shuffle, for [n, c, l] or [n, c, h, w] inputs.
 *
 * <p>The coordinate mapping is PyTorch's: output position o reads input coordinate {@code (o + ½)·scale - ½}
 * (half-pixel centers, clamped at 0) unless {@code alignCorners}, where the corner samples align and the
 * coordinate is {@code o·(in - 1)/(out - 1)}; scale is in/out, or 1/scaleFactor when a scale factor is given.
 * Nearest takes input index ⌊o·scale⌋, nearest-exact ⌊(o + ½)·scale⌋ (both computed in float32, as PyTorch), and
 * area averages each output's share of the input (adaptive average pooling). Each mode is a separable linear map,
 * differentiable to any order; the gradient sums into the input positions each output read.
 */
public final class Resize {
    private Resize() {
    }

    /** How {@link #interpolate} samples between input positions. */
    public enum Mode {
        /** The input element at ⌊o·scale⌋ (PyTorch's {@code 'nearest'}); 1-D or 2-D. */
        NEAREST,
        /** The input element at ⌊(o + ½)·scale⌋, centered (PyTorch's {@code 'nearest-exact'}); 1-D or 2-D. */
        NEAREST_EXACT,
        /** Linear between the two nearest positions; 1-D inputs [n, c, l]. */
        LINEAR,
        /** Bilinear between the four nearest positions; 2-D inputs [n, c, h, w]. */
        BILINEAR,
        /** The average over each output's share of the input, {@link Pool#adaptiveAvgPool2d} (PyTorch's {@code 'area'}). */
        AREA
    }

    /** {@code F.interpolate(x, size, mode)} without aligned corners. */
    public static Tensor interpolate(Tensor x, int[] size, Mode mode) {
        return interpolate(x, size, mode, false);
    }

    /** {@code F.interpolate(x, size, mode, align_corners)}: one size per spatial dim (or one for all). */
    public static Tensor interpolate(Tensor x, int[] size, Mode mode, boolean alignCorners) {
        int spatial = spatialDims(x, mode, alignCorners);
        if (size == null || (size.length != 1 && size.length != spatial)) {
            throw new IllegalArgumentException("interpolate: size " + Arrays.toString(size) + " for input "
                    + Shape.str(x.shape) + ": expected 1 or " + spatial + " values");
        }
        int[] out = new int[spatial];
        for (int i = 0; i < spatial; i++) {
            out[i] = size[size.length == 1 ? 0 : i];
            if (out[i] < 1) {
                throw new IllegalArgumentException("interpolate: size " + Arrays.toString(size) + ": expected values >= 1");
            }
        }
        return resample(x, spatial, out, null, mode, alignCorners);
    }

    /** {@code F.interpolate(x, scale_factor=scaleFactor, mode=mode)} in every spatial dim. */
    public static Tensor interpolate(Tensor x, double scaleFactor, Mode mode) {
        return interpolate(x, new double[] {scaleFactor}, mode, false);
    }

    /**
     * {@code F.interpolate(x, scale_factor, mode, align_corners)}: output size ⌊in·scaleFactor⌋ per dim, and the
     * mapping uses 1/scaleFactor itself (PyTorch's default {@code recompute_scale_factor=None}).
     */
    public static Tensor interpolate(Tensor x, double[] scaleFactor, Mode mode, boolean alignCorners) {
        int spatial = spatialDims(x, mode, alignCorners);
        if (scaleFactor == null || (scaleFactor.length != 1 && scaleFactor.length != spatial)) {
            throw new IllegalArgumentException("interpolate: scaleFactor " + Arrays.toString(scaleFactor)
                    + " for input " + Shape.str(x.shape) + ": expected 1 or " + spatial + " values");
        }
        int[] out = new int[spatial];
        double[] scales = new double[spatial];
        for (int i = 0; i < spatial; i++) {
            scales[i] = scaleFactor[scaleFactor.length == 1 ? 0 : i];
            int in = x.shape[x.dim() - spatial + i];
            out[i] = (int) Math.floor(in * scales[i]);
            if (!(scales[i] > 0) || Double.isInfinite(scales[i]) || out[i] < 1) {
                throw new IllegalArgumentException("interpolate: scaleFactor " + Arrays.toString(scaleFactor)
                        + " for input " + Shape.str(x.shape) + " gives output size " + out[i] + " in spatial dim " + i
                        + "; expected a finite positive factor giving at least 1");
            }
        }
        return resample(x, spatial, out, scales, mode, alignCorners);
    }

    private static int spatialDims(Tensor x, Mode mode, boolean alignCorners) {
        if (mode == null) throw new IllegalArgumentException("interpolate: mode is null");
        if (!x.dtype.isFloatingPoint()) {
            throw new IllegalArgumentException("interpolate: input is " + x.dtype.pythonName() + "; expected a float tensor");
        }
        boolean linear = mode == Mode.LINEAR || mode == Mode.BILINEAR;
        if (!linear && alignCorners) {
            throw new IllegalArgumentException("interpolate: alignCorners only applies to LINEAR and BILINEAR, not " + mode);
        }
        int need = switch (mode) {
            case LINEAR -> 3;
            case BILINEAR -> 4;
            default -> x.dim() == 3 || x.dim() == 4 ? x.dim() : -1;
        };
        if (x.dim() != need) {
            throw new IllegalArgumentException("interpolate: mode " + mode + " needs a "
                    + (linear ? need + "-D" : "3-D [n, c, l] or 4-D [n, c, h, w]") + " input, got " + Shape.str(x.shape));
        }
        return x.dim() - 2;
    }

    private static Tensor resample(Tensor x, int spatial, int[] size, double[] scales, Mode mode, boolean alignCorners) {
        if (mode == Mode.AREA) {
            return spatial == 1 ? Pool.adaptiveAvgPool1d(x, size[0]) : Pool.adaptiveAvgPool2d(x, size);
        }
        boolean single = x.dtype == DType.FLOAT32;
        ConvAxisMap[] maps = new ConvAxisMap[spatial];
        for (int i = 0; i < spatial; i++) {
            int in = x.shape[x.dim() - spatial + i], n = size[i];
            double scale = scales == null ? 0 : scales[i];
            var map = new ConvAxisMap.Builder(in, n);
            for (int o = 0; o < n; o++) {
                switch (mode) {
                    case NEAREST -> map.tap(nearest(o, in, n, scale), 1);
                    case NEAREST_EXACT -> map.tap(nearestExact(o, in, n, scale), 1);
                    default -> {
                        if (single) linear32(map, o, in, n, scale, alignCorners);
                        else linear64(map, o, in, n, scale, alignCorners);
                    }
                }
                map.next();
            }
            maps[i] = map.build();
        }
        // the maps commute; the one along the last dim runs element by element, so it goes where the tensor is
        // smaller: first when the height grows
        int r = x.dim();
        if (spatial == 2 && size[0] > x.shape[r - 2]) return maps[0].apply(maps[1].apply(x, r - 1), r - 2);
        Tensor out = x;
        for (int i = 0; i < spatial; i++) out = maps[i].apply(out, r - spatial + i);
        return out;
    }

    /** PyTorch's {@code nearest_idx}, in float32 as there. */
    static int nearest(int o, int in, int out, double scaleFactor) {
        if (out == in) return o;
        if (out == 2 * in) return o >> 1;
        float scale = scaleFactor > 0 ? (float) (1.0 / scaleFactor) : (float) in / out;
        return Math.min((int) Math.floor((float) o * scale), in - 1);
    }

    /** PyTorch's {@code nearest_neighbor_exact_compute_source_index}, in float32 as there. */
    static int nearestExact(int o, int in, int out, double scaleFactor) {
        float scale = scaleFactor > 0 ? (float) (1.0 / scaleFactor) : (float) in / out;
        return Math.min((int) Math.floor(((float) o + 0.5f) * scale), in - 1);
    }

    /** PyTorch's area_pixel_compute_scale / source_index / guard_index_and_lambda, in float64. */
    private static void linear64(ConvAxisMap.Builder map, int o, int in, int out, double scaleFactor, boolean align) {
        double scale = align ? (out > 1 ? (in - 1.0) / (out - 1) : 0)
                : scaleFactor > 0 ? 1.0 / scaleFactor : (double) in / out;
        double src = align ? scale * o : Math.max(scale * (o + 0.5) - 0.5, 0);
        int i0 = Math.min((int) Math.floor(src), in - 1);
        double lambda = Math.min(Math.max(src - i0, 0), 1);
        map.tap(i0, 1 - lambda).tap(i0 + (i0 < in - 1 ? 1 : 0), lambda);
    }

    /** The same in float32, the arithmetic PyTorch uses for float inputs. */
    private static void linear32(ConvAxisMap.Builder map, int o, int in, int out, double scaleFactor, boolean align) {
        float scale = align ? (out > 1 ? (float) (in - 1) / (out - 1) : 0f)
                : scaleFactor > 0 ? (float) (1.0 / scaleFactor) : (float) in / out;
        float src = align ? scale * o : Math.max(scale * (o + 0.5f) - 0.5f, 0f);
        int i0 = Math.min((int) Math.floor(src), in - 1);
        float lambda = Math.min(Math.max(src - i0, 0f), 1f);
        map.tap(i0, 1f - lambda).tap(i0 + (i0 < in - 1 ? 1 : 0), lambda);
    }

    // ---- pixel shuffle

    /**
     * {@code F.pixel_shuffle(x, r)}: [..., c·r², h, w] to [..., c, h·r, w·r], channel c·r² + i·r + j going to
     * offset (i, j) of each r × r block.
     */
    public static Tensor pixelShuffle(Tensor x, int upscale) {
        int r = x.dim();
        if (r < 3 || upscale < 1 || x.shape[r - 3] % (upscale * upscale) != 0) {
            throw new IllegalArgumentException("pixelShuffle: input " + Shape.str(x.shape) + " with upscale " + upscale
                    + ": expected [..., c·" + upscale + "², h, w] (3 or more dims, channels divisible by "
                    + upscale * upscale + ")");
        }
        int[] lead = Arrays.copyOf(x.shape, r - 3);
        int c = x.shape[r - 3] / (upscale * upscale), h = x.shape[r - 2], w = x.shape[r - 1], b = lead.length;
        Tensor t = x.reshape(concat(lead, c, upscale, upscale, h, w));
        int[] perm = identity(b + 5);
        perm[b + 1] = b + 3;
        perm[b + 2] = b + 1;
        perm[b + 3] = b + 4;
        perm[b + 4] = b + 2;
        return t.permute(perm).reshape(concat(lead, c, h * upscale, w * upscale));
    }

    /** {@code F.pixel_unshuffle(x, r)}: the inverse of {@link #pixelShuffle}, [..., c, h·r, w·r] to [..., c·r², h, w]. */
    public static Tensor pixelUnshuffle(Tensor x, int downscale) {
        int r = x.dim();
        if (r < 3 || downscale < 1 || x.shape[r - 2] % downscale != 0 || x.shape[r - 1] % downscale != 0) {
            throw new IllegalArgumentException("pixelUnshuffle: input " + Shape.str(x.shape) + " with downscale "
                    + downscale + ": expected [..., c, h, w] (3 or more dims) with h and w divisible by " + downscale);
        }
        int[] lead = Arrays.copyOf(x.shape, r - 3);
        int c = x.shape[r - 3], h = x.shape[r - 2] / downscale, w = x.shape[r - 1] / downscale, b = lead.length;
        Tensor t = x.reshape(concat(lead, c, h, downscale, w, downscale));
        int[] perm = identity(b + 5);
        perm[b + 1] = b + 2;
        perm[b + 2] = b + 4;
        perm[b + 3] = b + 1;
        perm[b + 4] = b + 3;
        return t.permute(perm).reshape(concat(lead, c * downscale * downscale, h, w));
    }

    private static int[] identity(int n) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) p[i] = i;
        return p;
    }

    private static int[] concat(int[] lead, int... rest) {
        int[] s = Arrays.copyOf(lead, lead.length + rest.length);
        System.arraycopy(rest, 0, s, lead.length, rest.length);
        return s;
    }
}
