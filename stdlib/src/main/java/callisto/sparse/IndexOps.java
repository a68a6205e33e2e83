package callisto.sparse;

import callisto.tensor.CustomFunction;
import callisto.tensor.DType;
import callisto.tensor.Tensor;

/**
 * The two linear index maps that move values between a sparse matrix and the tensors it is made from: each is
 * the other's adjoint, so their backwards call each other and every order of derivative exists.
 */
final class IndexOps {
    private IndexOps() {
    }

    /** {@code out[e] = src[index[e]]} on 1-D tensors; {@code src} has {@code srcLength} elements. */
    static Tensor gather(Tensor src, int[] index, int srcLength) {
        return Tensor.apply(new Gather(index, srcLength), src);
    }

    /** {@code out[index[e]] += src[e]} for e in increasing order (a fixed summation order). */
    static Tensor scatterSum(Tensor src, int[] index, int outLength) {
        return Tensor.apply(new ScatterSum(index, outLength), src);
    }

    private record Gather(int[] index, int srcLength) implements CustomFunction {
        @Override
        public int[] shape(int[]... inputShapes) {
            return new int[] {index.length};
        }

        @Override
        public Tensor forward(Tensor... inputs) {
            double[] src = inputs[0].toArray(), out = new double[index.length];
            for (int e = 0; e < index.length; e++) out[e] = src[index[e]];
            return SparseKernels.tensor(out, inputs[0].dtype(), index.length);
        }

        @Override
        public Tensor[] backward(Tensor[] inputs, Tensor output, Tensor grad) {
            return new Tensor[] {scatterSum(grad, index, srcLength)};
        }
    }

    private record ScatterSum(int[] index, int outLength) implements CustomFunction {
        @Override
        public int[] shape(int[]... inputShapes) {
            return new int[] {outLength};
        }

        @Override
        public Tensor forward(Tensor... inputs) {
            double[] src = inputs[0].toArray(), out = new double[outLength];
            for (int e = 0; e < index.length; e++) out[index[e]] += src[e];
            return SparseKernels.tensor(out, inputs[0].dtype(), outLength);
        }

        @Override
        public Tensor[] backward(Tensor[] inputs, Tensor output, Tensor grad) {
            return new Tensor[] {gather(grad, index, outLength)};
        }
    }

    static boolean isFloat(Tensor t) {
        return t.dtype() == DType.FLOAT32 || t.dtype() == DType.FLOAT64;
    }
}
