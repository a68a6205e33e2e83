package callisto.tensor;

import callisto.tensor.GridSample.Mode;
import callisto.tensor.GridSample.Padding;

/**
 * Grid sampling in one pass over the output points, for when no gradient is recorded: the same sample as the
 * differentiable composition in {@link GridSample}, without its per-corner tensors. Source coordinates are
 * rounded to the input's precision at each step, as PyTorch computes them in the input's dtype.
 */
final class GridSampleKernel {
    private GridSampleKernel() {
    }

    static Tensor sample(Tensor input, Tensor grid, Mode mode, Padding padding, boolean alignCorners, int[] outShape) {
        boolean single = input.dtype == DType.FLOAT32;
        int s = input.dim() - 2, n = input.shape[0], c = input.shape[1];
        int[] spatial = java.util.Arrays.copyOfRange(input.shape, 2, input.shape.length);
        int[] strides = Shape.strides(spatial);
        int plane = Shape.size(spatial), points = Shape.size(java.util.Arrays.copyOfRange(outShape, 2, outShape.length));
        double[] in = Kernels.denseDouble(input), g = Kernels.denseDouble(grid), out = new double[n * c * points];
        double[] at = new double[s], frac = new double[s];
        int[] base = new int[s];
        int corners = 1 << s;
        for (int b = 0; b < n; b++) {
            for (int p = 0; p < points; p++) {
                for (int k = 0; k < s; k++) {
                    at[k] = source(g[(b * points + p) * s + k], spatial[s - 1 - k], padding, alignCorners, single);
                }
                if (mode == Mode.NEAREST) {
                    int flat = 0;
                    for (int k = 0; k < s && flat >= 0; k++) {
                        double v = Math.rint(at[k]);
                        flat = v >= 0 && v < spatial[s - 1 - k] ? flat + (int) v * strides[s - 1 - k] : -1;
                    }
                    if (flat < 0) continue;
                    for (int ch = 0; ch < c; ch++) out[(b * c + ch) * points + p] = in[(b * c + ch) * plane + flat];
                    continue;
                }
                for (int k = 0; k < s; k++) {
                    double f = Math.floor(at[k]);
                    base[k] = (int) Math.max(Integer.MIN_VALUE / 2.0, Math.min(Integer.MAX_VALUE / 2.0, f));
                    frac[k] = at[k] - f;
                }
                for (int q = 0; q < corners; q++) { // bit k of q: the upper neighbour along coordinate k
                    double w = 1;
                    int flat = 0;
                    for (int k = 0; k < s && flat >= 0; k++) {
                        int step = (q >> k) & 1, v = base[k] + step;
                        w *= step == 1 ? frac[k] : 1 - frac[k];
                        flat = v >= 0 && v < spatial[s - 1 - k] ? flat + v * strides[s - 1 - k] : -1;
                    }
                    if (flat < 0) continue;
                    for (int ch = 0; ch < c; ch++) out[(b * c + ch) * points + p] += w * in[(b * c + ch) * plane + flat];
                }
            }
        }
        return Tensor.wrap(DType.FLOAT64, out, outShape).to(input.dtype);
    }

    /** A normalized coordinate in samples, folded or clipped by the padding rule (grid_sampler_compute_source_index). */
    static double source(double coord, int size, Padding padding, boolean alignCorners, boolean single) {
        double x = alignCorners ? round(round(round(coord + 1, single) / 2, single) * (size - 1), single)
                : round(round(round(round(coord + 1, single) * size, single) - 1, single) / 2, single);
        return switch (padding) {
            case ZEROS -> x;
            case BORDER -> Math.min(size - 1, Math.max(x, 0));
            case REFLECTION -> Math.min(size - 1, Math.max(alignCorners ? reflect(x, 0, 2 * (size - 1), single)
                    : reflect(x, -1, 2 * size - 1, single), 0));
        };
    }

    private static double reflect(double x, int twiceLow, int twiceHigh, boolean single) {
        if (twiceLow == twiceHigh) return 0;
        double min = twiceLow / 2.0, span = (twiceHigh - twiceLow) / 2.0;
        double t = round(Math.abs(round(x - min, single)), single);
        double flips = Math.floor(t / span), extra = round(t - round(flips * span, single), single);
        return flips % 2 == 0 ? round(extra + min, single) : round(round(span + min, single) - extra, single);
    }

    private static double round(double v, boolean single) {
        return single ? (float) v : v;
    }
}
