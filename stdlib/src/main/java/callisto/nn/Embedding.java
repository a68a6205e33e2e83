package callisto.nn;

import callisto.tensor.DType;
import callisto.tensor.Generator;
import callisto.tensor.Indexing;
import callisto.tensor.Tensor;

/**
 * A lookup table of {@code numEmbeddings} vectors of size {@code embeddingDim}, as {@code nn.Embedding}: weight
 * [num, dim] initialized N(0, 1); indices (int64 or int32) of any shape give [..., dim]. Gradients of repeated
 * indices add up.
 */
public final class Embedding extends Module {
    private final int numEmbeddings, embeddingDim;
    
    public Embedding(int numEmbeddings, int embeddingDim, Generator generator) {
        this(numEmbeddings, embeddingDim, DType.FLOAT32, generator);
    }

    public Embedding(int numEmbeddings, int embeddingDim, DType dtype, Generator generator) {
        Layers.checkPositive("Embedding", "numEmbeddings", numEmbeddings);
        Layers.checkPositive("Embedding", "embeddingDim", embeddingDim);
        Layers.checkFloat("Embedding", dtype);
        this.numEmbeddings = numEmbeddings;
        this.embeddingDim = embeddingDim;
        registerParameter("weight", Init.normal(Tensor.zeros(dtype, numEmbeddings, embeddingDim), 0, 1, generator));
    }

    @Override
    public Tensor forward(Tensor indices) {
        if (indices.dtype() != DType.INT64 && indices.dtype() != DType.INT32) {
            throw new IllegalArgumentException("Embedding.forward: indices are " + indices.dtype() + "; expected INT64 or INT32");
        }
        int[] shape = java.util.Arrays.copyOf(indices.shape(), indices.dim() + 1);
        shape[indices.dim()] = embeddingDim;
        return Indexing.indexSelect(weight(), 0, indices.reshape(-1)).reshape(shape);
    }

    public Tensor weight() {
        return parameter("weight");
    }

    @Override
    protected String extraRepr() {
        return numEmbeddings + ", " + embeddingDim;
    }
}
