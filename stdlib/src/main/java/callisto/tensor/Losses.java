package callisto.tensor;

/** Loss functions, as compositions of tensor operations (so they differentiate to any order). Each returns the mean. */
public final class Losses {
    private Losses() {
    }

    /** Mean squared error. */
    public static Tensor mse(Tensor prediction, Tensor target) {
        return prediction.sub(target).pow(2).mean();
    }

    /**
     * Cross-entropy of {@code logits} [N, C], as PyTorch's {@code cross_entropy}: against class indices when
     * {@code targets} is an integer tensor [N], against target probabilities when it is a float tensor [N, C].
     */
    public static Tensor crossEntropy(Tensor logits, Tensor targets) {
        if (logits.dim() != 2) {
            throw new IllegalArgumentException("crossEntropy: logits must be [N, C], got " + Shape.str(logits.shape));
        }
        if (targets.dtype.isFloatingPoint()) {
            if (!java.util.Arrays.equals(targets.shape, logits.shape)) {
                throw new IllegalArgumentException("crossEntropy: probabilities " + Shape.str(targets.shape)
                        + " do not match logits " + Shape.str(logits.shape));
            }
            return logits.logSoftmax(1).mul(targets).sum(1, false).mean().neg();
        }
        return nll("crossEntropy", logits.logSoftmax(1), targets);
    }

    /** Cross-entropy against class indices. */
    public static Tensor crossEntropy(Tensor logits, int[] targets) {
        return crossEntropy(logits, Tensor.ofInts(targets).to(DType.INT64));
    }

    /**
     * Negative log-likelihood of log-probabilities [N, C] at class indices [N] (int64 or int32), as PyTorch's
     * {@code nll_loss}; an index outside [0, C) is an error naming it.
     */
    public static Tensor nll(Tensor logProbabilities, Tensor targets) {
        return nll("nll", logProbabilities, targets);
    }

    private static Tensor nll(String op, Tensor logProbabilities, Tensor targets) {
        if (logProbabilities.dim() != 2) {
            throw new IllegalArgumentException(op + ": log-probabilities must be [N, C], got " + Shape.str(logProbabilities.shape));
        }
        int n = logProbabilities.shape[0], c = logProbabilities.shape[1];
        if (targets.dtype.isFloatingPoint() || targets.dtype == DType.BOOL || targets.dim() != 1 || targets.shape[0] != n) {
            throw new IllegalArgumentException(op + ": targets must be " + n + " class indices (int64 [" + n + "]), got "
                    + targets.dtype.pythonName() + " " + Shape.str(targets.shape));
        }
        long[] t = targets.toLongArray();
        for (int i = 0; i < n; i++) {
            if (t[i] < 0 || t[i] >= c) {
                throw new IllegalArgumentException(op + ": target[" + i + "] = " + t[i] + " is not a class in [0, " + c + ")");
            }
        }
        Tensor hit = targets.reshape(n, 1).eq(Tensor.arange(c).reshape(1, c));
        return Tensor.where(hit, logProbabilities, Tensor.scalar(0)).sum(1, false).mean().neg();
    }

    /** Binary cross-entropy on logits, stable for large |x|: mean(softplus(x) - x * y). */
    public static Tensor bceWithLogits(Tensor logits, Tensor targets) {
        return logits.softplus().sub(logits.mul(targets)).mean();
    }

    /** Huber loss: quadratic within {@code delta}, linear beyond. */
    public static Tensor huber(Tensor prediction, Tensor target, double delta) {
        Tensor r = prediction.sub(target).abs();
        Tensor quadratic = r.pow(2).mul(0.5);
        Tensor linear = r.sub(0.5 * delta).mul(delta);
        return Tensor.where(r.le(delta), quadratic, linear).mean();
    }
}
