package callisto.nn;

import callisto.tensor.Conv;
import callisto.tensor.DType;
import callisto.tensor.Tensor;
import java.util.Arrays;
import java.util.List;

/**
 * Evaluation metrics as static functions on tensors. The inputs are converted to float64 first and the results are
 * float64 scalars; the tensor-valued scores ({@link #mse}, {@link #mae}, {@link #relativeL2}, {@link #psnr},
 * {@link #ssim}) are built from differentiable tensor operations, so they can also serve as losses (gradients flow
 * back to float32 inputs through the cast).
 *
 * <pre>{@code
 * double acc = Scores.accuracy(model.forward(x), labels);
 * double err = Scores.relativeL2(pred, truth).item();   // FNO's per-sample relative L2, averaged
 * Tensor loss = Scores.ssim(pred, truth, 1.0).rsub(1);  // 1 - SSIM as a loss
 * }</pre>
 */
public final class Scores {
    private Scores() {}

    /**
     * The fraction of correct predictions. {@code pred} is either class scores (logits or probabilities, a
     * floating-point tensor with one more dimension than {@code targets}, classes along dim 1 as in PyTorch's
     * {@code cross_entropy}: {@code [N, C]} for {@code [N]}, {@code [N, C, H, W]} for {@code [N, H, W]}), whose argmax
     * is the prediction, or the predicted classes themselves (the shape of {@code targets}).
     */
    public static double accuracy(Tensor pred, Tensor targets) {
        notNull("accuracy", pred, targets);
        Tensor classes;
        if (pred.dim() == targets.dim() + 1) {
            if (!pred.dtype().isFloatingPoint()) {
                throw new IllegalArgumentException("Scores.accuracy: pred has shape " + Arrays.toString(pred.shape()) + " and dtype "
                        + pred.dtype() + "; class scores (one more dim than targets) must be floating-point");
            }
            int[] expect = new int[targets.dim()];
            expect[0] = pred.dim() > 1 ? pred.size(0) : 0;
            for (int d = 1; d < targets.dim(); d++) expect[d] = pred.size(d + 1);
            if (targets.dim() > 0 && !Arrays.equals(expect, targets.shape())) {
                throw new IllegalArgumentException("Scores.accuracy: pred has shape " + Arrays.toString(pred.shape()) + " and targets "
                        + Arrays.toString(targets.shape()) + "; expected targets of shape " + Arrays.toString(expect)
                        + " (pred without its class dim 1)");
            }
            classes = pred.argmax(pred.dim() > 1 ? 1 : 0, false);
        } else if (Arrays.equals(pred.shape(), targets.shape())) {
            classes = pred;
        } else {
            throw new IllegalArgumentException("Scores.accuracy: pred has shape " + Arrays.toString(pred.shape()) + " and targets "
                    + Arrays.toString(targets.shape()) + "; expected class scores [N, C, ...] for targets [N, ...] or equal shapes");
        }
        double[] p = classes.toArray(), t = targets.toArray();
        if (t.length == 0) throw new IllegalArgumentException("Scores.accuracy: targets is empty");
        long correct = 0;
        for (int i = 0; i < t.length; i++) if (p[i] == t[i]) correct++;
        return (double) correct / t.length;
    }

    /** The mean squared error over all elements, a float64 scalar. */
    public static Tensor mse(Tensor pred, Tensor target) {
        Tensor d = diff("mse", pred, target);
        return d.mul(d).mean();
    }

    /** The mean absolute error over all elements, a float64 scalar. */
    public static Tensor mae(Tensor pred, Tensor target) {
        return diff("mae", pred, target).abs().mean();
    }

    /**
     * The relative L2 error {@code |pred - target|₂ / |target|₂} of each sample, taken over {@code dims}, averaged
     * over the remaining dims (the metric the Fourier Neural Operator papers report, their {@code LpLoss}). With no
     * {@code dims}, every dim but the first (the batch) is reduced. A sample whose target is zero gives infinity (or
     * NaN when its prediction is zero too).
     */
    public static Tensor relativeL2(Tensor pred, Tensor target, int... dims) {
        Tensor d = diff("relativeL2", pred, target);
        Tensor t = target.to(DType.FLOAT64);
        int[] r = sampleDims("relativeL2", pred, dims);
        Tensor num = d.mul(d).sum(r, false).sqrt();
        Tensor den = t.mul(t).sum(r, false).sqrt();
        return num.div(den).mean();
    }

    /**
     * The relative H1 error {@code |pred - target|_H1 / |target|_H1} of each sample, averaged over the batch, with
     * {@code |u|²_H1 = Σ u² + Σ_d Σ (∂_d u)²} over the grid dims {@code dims} (default: every dim but the first) and
     * the derivatives as forward differences on a grid of spacing {@code h} in every dim: the error the MgNO and
     * neural-operator papers report beside relative L2, as it also weighs how well gradients are matched.
     * Differentiable; needs at least 2 points along each grid dim.
     */
    public static Tensor relativeH1(Tensor pred, Tensor target, double h, int... dims) {
        if (!(h > 0) || Double.isInfinite(h)) {
            throw new IllegalArgumentException("Scores.relativeH1: h = " + h + "; expected a positive finite grid spacing");
        }
        Tensor d = diff("relativeH1", pred, target);
        Tensor t = target.to(DType.FLOAT64);
        int[] r = sampleDims("relativeH1", pred, dims);
        for (int dim : r) {
            if (pred.size(dim) < 2) {
                throw new IllegalArgumentException("Scores.relativeH1: dim " + dim + " of shape " + Arrays.toString(pred.shape())
                        + " has " + pred.size(dim) + " point; a derivative needs at least 2");
            }
        }
        return h1Squared(d, r, h).sqrt().div(h1Squared(t, r, h).sqrt()).mean();
    }

    /** The dims a per-sample score reduces: the given ones, or every dim but the batch. */
    private static int[] sampleDims(String op, Tensor pred, int[] dims) {
        int[] r = dims == null || dims.length == 0 ? tail(pred.dim()) : normalize(op, dims, pred.dim());
        if (r.length == 0) {
            throw new IllegalArgumentException("Scores." + op + ": pred has shape " + Arrays.toString(pred.shape())
                    + "; expected at least 2 dims (batch first) or explicit dims");
        }
        return r;
    }

    private static Tensor h1Squared(Tensor u, int[] dims, double h) {
        Tensor total = u.mul(u).sum(dims, false);
        for (int dim : dims) {
            int n = u.size(dim);
            Tensor du = u.narrow(dim, 1, n - 1).sub(u.narrow(dim, 0, n - 1)).div(h);
            total = total.add(du.mul(du).sum(dims, false));
        }
        return total;
    }

    /**
     * The peak signal-to-noise ratio {@code 10 log10(dataRange² / mse)} in decibels, the mse over all elements.
     * Identical inputs give {@code +Infinity} (mse 0; its gradient is then not finite).
     */
    public static Tensor psnr(Tensor pred, Tensor target, double dataRange) {
        if (!(dataRange > 0) || Double.isInfinite(dataRange)) {
            throw new IllegalArgumentException("Scores.psnr: dataRange = " + dataRange + "; expected a positive finite value");
        }
        Tensor m = mse(pred, target);
        if (m.item() == 0) return Tensor.scalar(Double.POSITIVE_INFINITY);
        return m.log().rsub(Math.log(dataRange * dataRange)).mul(10 / Math.log(10));
    }

    /**
     * The structural similarity index (Wang, Bovik, Sheikh &amp; Simoncelli 2004) of images {@code [N, C, H, W]}, with
     * the standard 11×11 Gaussian window of σ = 1.5, K1 = 0.01, K2 = 0.03. See
     * {@link #ssim(Tensor, Tensor, double, int, double, double, double)}.
     */
    public static Tensor ssim(Tensor pred, Tensor target, double dataRange) {
        return ssim(pred, target, dataRange, 11, 1.5, 0.01, 0.03);
    }

    /**
     * SSIM with a {@code windowSize}×{@code windowSize} normalized Gaussian window of standard deviation {@code sigma}:
     * per channel, the windowed means μ, variances σ² (biased: {@code E[x²] - μ²}) and covariance give the map
     * {@code ((2 μx μy + C1)(2 σxy + C2)) / ((μx² + μy² + C1)(σx² + σy² + C2))}, {@code C1 = (K1 L)²},
     * {@code C2 = (K2 L)²}, {@code L = dataRange}, averaged over the valid positions (the window inside the image,
     * as Wang's reference {@code ssim_index.m} with {@code filter2(..., 'valid')}), the channels and the batch.
     * The windowed means are (separable) grouped {@link Conv#conv2d} convolutions, so the score is differentiable.
     */
    public static Tensor ssim(Tensor pred, Tensor target, double dataRange, int windowSize, double sigma, double k1, double k2) {
        notNull("ssim", pred, target);
        if (pred.dim() != 4 || !Arrays.equals(pred.shape(), target.shape())) {
            throw new IllegalArgumentException("Scores.ssim: pred has shape " + Arrays.toString(pred.shape()) + " and target "
                    + Arrays.toString(target.shape()) + "; expected equal shapes [N, C, H, W]");
        }
        if (!(dataRange > 0) || Double.isInfinite(dataRange)) {
            throw new IllegalArgumentException("Scores.ssim: dataRange = " + dataRange + "; expected a positive finite value");
        }
        if (windowSize < 1 || !(sigma > 0)) {
            throw new IllegalArgumentException("Scores.ssim: windowSize = " + windowSize + ", sigma = " + sigma + "; expected both positive");
        }
        int c = pred.size(1), h = pred.size(2), w = pred.size(3);
        if (h < windowSize || w < windowSize) {
            throw new IllegalArgumentException("Scores.ssim: images are " + h + "×" + w + "; expected at least the window size "
                    + windowSize + " in both dims");
        }
        floating("ssim", pred, target);
        Tensor x = pred.to(DType.FLOAT64), y = target.to(DType.FLOAT64);
        double[] g = gaussian(windowSize, sigma);
        int ch = 5 * c;
        double[] col = new double[ch * windowSize];
        for (int i = 0; i < ch; i++) System.arraycopy(g, 0, col, i * windowSize, windowSize);
        Tensor wv = Tensor.of(col, ch, 1, windowSize, 1), wh = Tensor.of(col, ch, 1, 1, windowSize);
        Tensor stacked = Tensor.cat(List.of(x, y, x.mul(x), y.mul(y), x.mul(y)), 1);
        Tensor f = Conv.conv2d(Conv.conv2d(stacked, wv, null, 1, 0, 1, ch), wh, null, 1, 0, 1, ch);
        Tensor mx = f.narrow(1, 0, c), my = f.narrow(1, c, c);
        Tensor mxx = mx.mul(mx), myy = my.mul(my), mxy = mx.mul(my);
        Tensor vx = f.narrow(1, 2 * c, c).sub(mxx), vy = f.narrow(1, 3 * c, c).sub(myy), cxy = f.narrow(1, 4 * c, c).sub(mxy);
        double c1 = (k1 * dataRange) * (k1 * dataRange), c2 = (k2 * dataRange) * (k2 * dataRange);
        Tensor num = mxy.mul(2).add(c1).mul(cxy.mul(2).add(c2));
        Tensor den = mxx.add(myy).add(c1).mul(vx.add(vy).add(c2));
        return num.div(den).mean();
    }

    /** The normalized 1-D Gaussian window; the 2-D window is its outer product with itself. */
    static double[] gaussian(int size, double sigma) {
        double[] g = new double[size];
        double total = 0, center = (size - 1) / 2.0;
        for (int i = 0; i < size; i++) {
            double d = i - center;
            g[i] = Math.exp(-d * d / (2 * sigma * sigma));
            total += g[i];
        }
        for (int i = 0; i < size; i++) g[i] /= total;
        return g;
    }

    private static Tensor diff(String fn, Tensor pred, Tensor target) {
        notNull(fn, pred, target);
        if (!Arrays.equals(pred.shape(), target.shape())) {
            throw new IllegalArgumentException("Scores." + fn + ": pred has shape " + Arrays.toString(pred.shape()) + " and target "
                    + Arrays.toString(target.shape()) + "; expected equal shapes");
        }
        if (pred.numel() == 0) throw new IllegalArgumentException("Scores." + fn + ": inputs are empty (shape " + Arrays.toString(pred.shape()) + ")");
        floating(fn, pred, target);
        return pred.to(DType.FLOAT64).sub(target.to(DType.FLOAT64));
    }

    private static void floating(String fn, Tensor pred, Tensor target) {
        if (!pred.dtype().isFloatingPoint() || !target.dtype().isFloatingPoint()) {
            throw new IllegalArgumentException("Scores." + fn + ": pred has dtype " + pred.dtype() + " and target " + target.dtype()
                    + "; expected floating-point tensors");
        }
    }

    private static void notNull(String fn, Tensor pred, Tensor target) {
        if (pred == null || target == null) {
            throw new IllegalArgumentException("Scores." + fn + ": " + (pred == null ? "pred" : "target") + " is null");
        }
    }

    private static int[] tail(int rank) {
        int[] r = new int[Math.max(rank - 1, 0)];
        for (int i = 0; i < r.length; i++) r[i] = i + 1;
        return r;
    }

    private static int[] normalize(String fn, int[] dims, int rank) {
        int[] r = new int[dims.length];
        boolean[] seen = new boolean[rank];
        for (int i = 0; i < dims.length; i++) {
            int d = dims[i] < 0 ? dims[i] + rank : dims[i];
            if (d < 0 || d >= rank || seen[d]) {
                throw new IllegalArgumentException("Scores." + fn + ": dims = " + Arrays.toString(dims) + " for rank " + rank
                        + "; expected distinct dims in [-" + rank + ", " + rank + ")");
            }
            seen[d] = true;
            r[i] = d;
        }
        return r;
    }
}
