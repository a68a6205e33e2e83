package callisto.tensor;

import java.util.Arrays;

/**
 * A sparse linear map along one dim: {@code out[o] = Σ weight[t] · in[index[t]]} over the taps
 * {@code t ∈ [start[o], start[o+1])}. Padding in every mode, nearest and linear interpolation and average pooling
 * are such maps (applied once per spatial dim, since they are separable); their gradient is the adjoint map (the
 * same taps, scattered and summed), whose gradient is the map again, so they differentiate to any order.
 */
record ConvAxisMap(int inSize, int outSize, int[] start, int[] index, double[] weight) {

    /** Whether every output copies one input (padding, nearest): the forward is then a plain gather. */
    boolean copies() {
        if (index.length != outSize) return false;
        for (int o = 0; o < outSize; o++) if (start[o] != o || weight[o] != 1) return false;
        return true;
    }

    /** Taps collected in output order. */
    static final class Builder {
        private final int inSize, outSize;
        private final int[] start;
        private int[] index = new int[16];
        private double[] weight = new double[16];
        private int taps, row;

        Builder(int inSize, int outSize) {
            this.inSize = inSize;
            this.outSize = outSize;
            start = new int[outSize + 1];
        }

        /** Adds a tap to the current output position. */
        Builder tap(int i, double w) {
            if (taps == index.length) {
                index = Arrays.copyOf(index, 2 * taps);
                weight = Arrays.copyOf(weight, 2 * taps);
            }
            index[taps] = i;
            weight[taps++] = w;
            return this;
        }

        /** Closes the current output position. */
        Builder next() {
            start[++row] = taps;
            return this;
        }

        ConvAxisMap build() {
            if (row != outSize) throw new IllegalStateException("ConvAxisMap: " + row + " of " + outSize + " rows");
            return new ConvAxisMap(inSize, outSize, start, Arrays.copyOf(index, taps), Arrays.copyOf(weight, taps));
        }
    }

    /** This map along {@code dim} of {@code x} (differentiable). */
    Tensor apply(Tensor x, int dim) {
        int d = Shape.normalizeDim("axis map", dim, x.dim());
        if (x.shape[d] != inSize) {
            throw new IllegalStateException("axis map: dim " + d + " of " + Shape.str(x.shape) + " is not " + inSize);
        }
        return Tensor.apply(new Fn(this, d, false), x);
    }

    /** The adjoint (transpose) of this map along {@code dim} of {@code x}, whose size there is outSize (differentiable). */
    Tensor applyAdjoint(Tensor x, int dim) {
        int d = Shape.normalizeDim("axis map", dim, x.dim());
        if (x.shape[d] != outSize) {
            throw new IllegalStateException("axis map adjoint: dim " + d + " of " + Shape.str(x.shape) + " is not " + outSize);
        }
        return Tensor.apply(new Fn(this, d, true), x);
    }

    private record Fn(ConvAxisMap map, int dim, boolean adjoint, boolean copies) implements CustomFunction {
        Fn(ConvAxisMap map, int dim, boolean adjoint) {
            this(map, dim, adjoint, !adjoint && map.copies());
        }

        @Override
        public int[] shape(int[]... in) {
            int[] s = in[0].clone();
            s[dim] = adjoint ? map.inSize : map.outSize;
            return s;
        }

        @Override
        public Tensor forward(Tensor... in) {
            Tensor x = in[0];
            DType dt = x.dtype.isFloatingPoint() ? x.dtype : DType.FLOAT64;
            int[] outShape = shape(x.shape);
            int inner = 1, outer = 1;
            for (int i = dim + 1; i < x.shape.length; i++) inner *= x.shape[i];
            for (int i = 0; i < dim; i++) outer *= x.shape[i];
            Object src = Kernels.dense(x, dt);
            Object dst = Storage.allocate(dt, Shape.size(outShape));
            if (dt == DType.FLOAT32) run((float[]) src, (float[]) dst, outer, inner);
            else run((double[]) src, (double[]) dst, outer, inner);
            return Tensor.wrap(dt, dst, outShape);
        }

        private void run(double[] x, double[] y, int outer, int inner) {
            int nIn = map.inSize, nOut = map.outSize;
            int[] start = map.start, index = map.index;
            double[] weight = map.weight;
            if (copies) {
                for (int b = 0; b < outer; b++) {
                    int xb = b * nIn * inner, yb = b * nOut * inner;
                    if (inner == 1) for (int o = 0; o < nOut; o++) y[yb + o] = x[xb + index[o]];
                    else for (int o = 0; o < nOut; o++) System.arraycopy(x, xb + index[o] * inner, y, yb + o * inner, inner);
                }
                return;
            }
            if (inner == 1) { // the last dim: one sum (or scatter) per output, no inner loop
                for (int b = 0; b < outer; b++) {
                    int xb = b * (adjoint ? nOut : nIn), yb = b * (adjoint ? nIn : nOut);
                    for (int o = 0; o < nOut; o++) {
                        if (adjoint) {
                            double v = x[xb + o];
                            for (int t = start[o]; t < start[o + 1]; t++) y[yb + index[t]] += weight[t] * v;
                        } else {
                            double sum = 0;
                            for (int t = start[o]; t < start[o + 1]; t++) sum += weight[t] * x[xb + index[t]];
                            y[yb + o] = sum;
                        }
                    }
                }
                return;
            }
            for (int b = 0; b < outer; b++) {
                for (int o = 0; o < nOut; o++) {
                    int at = (b * nOut + o) * inner;
                    for (int t = start[o]; t < start[o + 1]; t++) {
                        int other = (b * nIn + index[t]) * inner;
                        double w = weight[t];
                        if (adjoint) for (int i = 0; i < inner; i++) y[other + i] += w * x[at + i];
                        else for (int i = 0; i < inner; i++) y[at + i] += w * x[other + i];
                    }
                }
            }
        }

        private void run(float[] x, float[] y, int outer, int inner) {
            int nIn = map.inSize, nOut = map.outSize;
            int[] start = map.start, index = map.index;
            double[] weight = map.weight;
            if (copies) {
                for (int b = 0; b < outer; b++) {
                    int xb = b * nIn * inner, yb = b * nOut * inner;
                    if (inner == 1) for (int o = 0; o < nOut; o++) y[yb + o] = x[xb + index[o]];
                    else for (int o = 0; o < nOut; o++) System.arraycopy(x, xb + index[o] * inner, y, yb + o * inner, inner);
                }
                return;
            }
            if (inner == 1) { // the last dim: one sum (or scatter) per output, no inner loop
                for (int b = 0; b < outer; b++) {
                    int xb = b * (adjoint ? nOut : nIn), yb = b * (adjoint ? nIn : nOut);
                    for (int o = 0; o < nOut; o++) {
                        if (adjoint) {
                            float v = x[xb + o];
                            for (int t = start[o]; t < start[o + 1]; t++) y[yb + index[t]] += (float) weight[t] * v;
                        } else {
                            float sum = 0;
                            for (int t = start[o]; t < start[o + 1]; t++) sum += (float) weight[t] * x[xb + index[t]];
                            y[yb + o] = sum;
                        }
                    }
                }
                return;
            }
            for (int b = 0; b < outer; b++) {
                for (int o = 0; o < nOut; o++) {
                    int at = (b * nOut + o) * inner;
                    for (int t = start[o]; t < start[o + 1]; t++) {
                        int other = (b * nIn + index[t]) * inner;
                        float w = (float) weight[t];
                        if (adjoint) for (int i = 0; i < inner; i++) y[other + i] += w * x[at + i];
                        else for (int i = 0; i < inner; i++) y[at + i] += w * x[other + i];
                    }
                }
            }
        }

        @Override
        public Tensor[] backward(Tensor[] in, Tensor out, Tensor grad) {
            return new Tensor[] {Tensor.apply(new Fn(map, dim, !adjoint), grad)};
        }
    }
}
