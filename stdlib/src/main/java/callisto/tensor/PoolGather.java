package callisto.tensor;

/**
 * Picks one element of each input plane per output element, at indices fixed when it is made (max pooling's
 * arg-maxes): {@code y[p, j] = x[p, index[p, j]]} for planes p. Its gradient scatters and sums into the chosen
 * positions, whose gradient is the gather again, so max pooling differentiates to any order (away from ties).
 */
record PoolGather(int[] index, int inPlane, int outPlane, int[] inShape, int[] outShape, boolean adjoint)
        implements CustomFunction {
    @Override
    public int[] shape(int[]... in) {
        return (adjoint ? inShape : outShape).clone();
    }

    @Override
    public Tensor forward(Tensor... in) {
        Tensor x = in[0];
        DType dt = x.dtype.isFloatingPoint() ? x.dtype : DType.FLOAT64;
        int[] shape = shape(x.shape);
        Object src = Kernels.dense(x, dt), dst = Storage.allocate(dt, Shape.size(shape));
        int planes = outPlane == 0 ? 0 : index.length / outPlane;
        if (dt == DType.FLOAT32) {
            float[] s = (float[]) src, d = (float[]) dst;
            for (int p = 0; p < planes; p++) {
                int ib = p * inPlane, ob = p * outPlane;
                if (adjoint) for (int j = 0; j < outPlane; j++) d[ib + index[ob + j]] += s[ob + j];
                else for (int j = 0; j < outPlane; j++) d[ob + j] = s[ib + index[ob + j]];
            }
        } else {
            double[] s = (double[]) src, d = (double[]) dst;
            for (int p = 0; p < planes; p++) {
                int ib = p * inPlane, ob = p * outPlane;
                if (adjoint) for (int j = 0; j < outPlane; j++) d[ib + index[ob + j]] += s[ob + j];
                else for (int j = 0; j < outPlane; j++) d[ob + j] = s[ib + index[ob + j]];
            }
        }
        return Tensor.wrap(dt, dst, shape);
    }

    @Override
    public Tensor[] backward(Tensor[] in, Tensor out, Tensor grad) {
        return new Tensor[] {Tensor.apply(new PoolGather(index, inPlane, outPlane, inShape, outShape, !adjoint), grad)};
    }
}
