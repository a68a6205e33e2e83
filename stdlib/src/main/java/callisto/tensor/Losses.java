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
     * Cross-entropy of {@code logits} [N, C] against class indices, as PyTorch's {@code cross_entropy}: the mean
     * of -log softmax(logits)[n, target[n]].
     */
    public static Tensor crossEntropy(Tensor logits, int[] targets) {
        if (logits.dim() != 2) {
            throw new IllegalArgumentException("crossEntropy: logits must be [N, C], got " + Shape.str(logits.shape));
        }
        int n = logits.shape[0], c = logits.shape[1];
        if (targets.length != n) {
            throw new IllegalArgumentException("crossEntropy: " + targets.length + " targets for " + n + " rows of logits");
        }
        double[] onehot = new double[n * c];
        for (int i = 0; i < n; i++) {
            if (targets[i] < 0 || targets[i] >= c) {
                throw new IllegalArgumentException("crossEntropy: target[" + i + "] = " + targets[i] + " is not a class in [0, " + c + ")");
            }
            onehot[i * c + targets[i]] = 1;
        }
        return crossEntropy(logits, new Tensor(onehot, new int[] {n, c}));
    }

    /** Cross-entropy against target probabilities [N, C] (rows summing to 1). */
    public static Tensor crossEntropy(Tensor logits, Tensor probabilities) {
        return logits.logSoftmax(1).mul(probabilities).sum(1, false).mean().neg();
    }

    /** Binary cross-entropy on logits, stable for large |x|: mean(softplus(x) - x * y). */
    public static Tensor bceWithLogits(Tensor logits, Tensor targets) {
        return logits.softplus().sub(logits.mul(targets)).mean();
    }

    /** Huber loss: quadratic within {@code delta}, linear beyond. */
    public static Tensor huber(Tensor prediction, Tensor target, double delta) {
        Tensor r = prediction.sub(target).abs();
        Tensor quadratic = r.pow(2).mul(0.5);
        Tensor linear = r.sub(Tensor.scalar(0.5 * delta)).mul(delta);
        return Tensor.where(r.le(Tensor.scalar(delta)), quadratic, linear).mean();
    }
}
