package callisto.nn;

import callisto.tensor.DType;
import callisto.tensor.GradMode;
import callisto.tensor.Tensor;

/**
 * Batch normalization over channel dim 1, shared by {@link BatchNorm1d} and {@link BatchNorm2d}, as PyTorch's
 * {@code _BatchNorm}. Training: each channel is normalized by its batch mean and biased variance, and the buffers
 * {@code running_mean} and {@code running_var} move by {@code momentum} towards the batch mean and the unbiased
 * variance ({@code num_batches_tracked} counts the updates). Evaluation: the running statistics are used.
 * Weight starts at ones and bias at zeros.
 */
public abstract class BatchNorm extends Module {
    private final int numFeatures;
    private final double eps, momentum;
    private final boolean affine;

    protected BatchNorm(int numFeatures, double eps, double momentum, boolean affine, DType dtype) {
        Layers.checkPositive(typeName(), "numFeatures", numFeatures);
        if (!(eps > 0)) throw new IllegalArgumentException(typeName() + ": eps " + eps + " must be positive");
        if (!(momentum >= 0 && momentum <= 1)) throw new IllegalArgumentException(typeName() + ": momentum " + momentum + " must be in [0, 1]");
        Layers.checkFloat(typeName(), dtype);
        this.numFeatures = numFeatures;
        this.eps = eps;
        this.momentum = momentum;
        this.affine = affine;
        if (affine) {
            registerParameter("weight", Tensor.ones(dtype, numFeatures));
            registerParameter("bias", Tensor.zeros(dtype, numFeatures));
        }
        registerBuffer("running_mean", Tensor.zeros(dtype, numFeatures));
        registerBuffer("running_var", Tensor.ones(dtype, numFeatures));
        registerBuffer("num_batches_tracked", Tensor.zeros(DType.INT64));
    }

    /** Whether {@code x} has a rank this layer accepts. */
    protected abstract boolean acceptsRank(int rank);

    /** The accepted shapes, for error messages. */
    protected abstract String expectedShape();

    @Override
    public Tensor forward(Tensor x) {
        if (!acceptsRank(x.dim()) || x.size(1) != numFeatures) {
            throw new IllegalArgumentException(typeName() + ".forward: input shape " + Layers.shape(x) + "; expected "
                    + expectedShape() + " with C = " + numFeatures);
        }
        int[] dims = new int[x.dim() - 1];
        int[] channel = new int[x.dim()];
        java.util.Arrays.fill(channel, 1);
        channel[1] = numFeatures;
        for (int d = 0, j = 0; d < x.dim(); d++) if (d != 1) dims[j++] = d;
        Tensor mean, var;
        if (isTraining()) {
            int n = x.numel() / numFeatures;
            if (n < 2) {
                throw new IllegalArgumentException(typeName() + ".forward: input shape " + Layers.shape(x)
                        + " has " + n + " value per channel; training needs more than 1");
            }
            mean = x.mean(dims, true);
            Tensor centered = x.sub(mean);
            var = centered.mul(centered).mean(dims, true);
            try (var off = GradMode.noGrad()) {
                Tensor runningMean = runningMean(), runningVar = runningVar();
                Tensor m = mean.detach().reshape(numFeatures), v = var.detach().reshape(numFeatures).mul(n / (n - 1.0));
                runningMean.mul_(1 - momentum).add_(m.mul(momentum));
                runningVar.mul_(1 - momentum).add_(v.mul(momentum));
                buffer("num_batches_tracked").add_(1);
            }
            Tensor y = centered.mul(var.add(eps).rsqrt());
            return affine(y, channel);
        }
        mean = runningMean().reshape(channel);
        var = runningVar().reshape(channel);
        return affine(x.sub(mean).mul(var.add(eps).rsqrt()), channel);
    }

    private Tensor affine(Tensor y, int[] channel) {
        return affine ? y.mul(parameter("weight").reshape(channel)).add(parameter("bias").reshape(channel)) : y;
    }

    public Tensor runningMean() {
        return buffer("running_mean");
    }

    public Tensor runningVar() {
        return buffer("running_var");
    }

    @Override
    protected String extraRepr() {
        return numFeatures + ", eps=" + eps + ", momentum=" + momentum + ", affine=" + affine;
    }
}
