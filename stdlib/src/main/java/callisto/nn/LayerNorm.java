package callisto.nn;

import callisto.tensor.DType;
import callisto.tensor.Tensor;

import java.util.Arrays;

/**
 * Normalizes over the trailing {@code normalizedShape} dims to zero mean and unit (biased) variance, then scales and
 * shifts elementwise (weight ones, bias zeros, when affine), as {@code nn.LayerNorm}.
 */
public final class LayerNorm extends Module {
    private final int[] normalizedShape;
    private final double eps;
    private final boolean affine;

    /** eps 1e-5, affine, float32. */
    public LayerNorm(int... normalizedShape) {
        this(normalizedShape, 1e-5, true, DType.FLOAT32);
    }

    public LayerNorm(int[] normalizedShape, double eps, boolean elementwiseAffine, DType dtype) {
        if (normalizedShape == null || normalizedShape.length == 0) {
            throw new IllegalArgumentException("LayerNorm: normalizedShape " + Arrays.toString(normalizedShape) + " needs at least one dim");
        }
        for (int d : normalizedShape) Layers.checkPositive("LayerNorm", "normalizedShape " + Arrays.toString(normalizedShape) + " entry", d);
        if (!(eps > 0)) throw new IllegalArgumentException("LayerNorm: eps " + eps + " must be positive");
        Layers.checkFloat("LayerNorm", dtype);
        this.normalizedShape = normalizedShape.clone();
        this.eps = eps;
        affine = elementwiseAffine;
        if (affine) {
            registerParameter("weight", Tensor.ones(dtype, normalizedShape));
            registerParameter("bias", Tensor.zeros(dtype, normalizedShape));
        }
    }

    @Override
    public Tensor forward(Tensor x) {
        int k = normalizedShape.length;
        if (x.dim() < k || !Arrays.equals(Arrays.copyOfRange(x.shape(), x.dim() - k, x.dim()), normalizedShape)) {
            throw new IllegalArgumentException("LayerNorm.forward: input shape " + Layers.shape(x) + " must end in "
                    + Arrays.toString(normalizedShape));
        }
        int[] dims = new int[k];
        for (int i = 0; i < k; i++) dims[i] = x.dim() - k + i;
        Tensor centered = x.sub(x.mean(dims, true));
        Tensor var = centered.mul(centered).mean(dims, true);
        Tensor y = centered.mul(var.add(eps).rsqrt());
        return affine ? y.mul(parameter("weight")).add(parameter("bias")) : y;
    }

    @Override
    protected String extraRepr() {
        return "normalized_shape=" + Arrays.toString(normalizedShape) + ", eps=" + eps + ", elementwise_affine=" + affine;
    }
}
