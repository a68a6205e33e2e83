package callisto.nn;

import callisto.tensor.DType;
import callisto.tensor.Generator;
import callisto.tensor.Tensor;

/**
 * {@code y = x Wᵀ + b}, as PyTorch's {@code nn.Linear}: weight [out, in], bias [out] (optional), both initialized
 * U(±1/√in) (PyTorch's {@code kaiming_uniform_(a=√5)} and its bias rule). Input [..., in], output [..., out].
 */
public final class Linear extends Module {
    private final int inFeatures, outFeatures;
    private final boolean hasBias;

    /** Float32 with bias. */
    public Linear(int inFeatures, int outFeatures, Generator generator) {
        this(inFeatures, outFeatures, true, DType.FLOAT32, generator);
    }

    public Linear(int inFeatures, int outFeatures, boolean bias, DType dtype, Generator generator) {
        if (inFeatures < 1 || outFeatures < 1) {
            throw new IllegalArgumentException("Linear: inFeatures " + inFeatures + " and outFeatures " + outFeatures + " must be >= 1");
        }
        Layers.checkFloat("Linear", dtype);
        this.inFeatures = inFeatures;
        this.outFeatures = outFeatures;
        double bound = 1 / Math.sqrt(inFeatures);
        registerParameter("weight", Init.uniform(Tensor.zeros(dtype, outFeatures, inFeatures), -bound, bound, generator));
        hasBias = bias;
        if (bias) registerParameter("bias", Init.uniform(Tensor.zeros(dtype, outFeatures), -bound, bound, generator));
    }

    @Override
    public Tensor forward(Tensor x) {
        if (x.dim() < 1 || x.size(-1) != inFeatures) {
            throw new IllegalArgumentException("Linear.forward: input shape " + java.util.Arrays.toString(x.shape())
                    + " must end in inFeatures = " + inFeatures);
        }
        Tensor y = x.matmul(weight().transpose());
        return hasBias ? y.add(bias()) : y;
    }

    public Tensor weight() {
        return parameter("weight");
    }

    /** The bias, or null when built without one. */
    public Tensor bias() {
        return parameter("bias");
    }

    public int inFeatures() {
        return inFeatures;
    }

    public int outFeatures() {
        return outFeatures;
    }

    @Override
    protected String extraRepr() {
        return "in_features=" + inFeatures + ", out_features=" + outFeatures + ", bias=" + hasBias;
    }
}
