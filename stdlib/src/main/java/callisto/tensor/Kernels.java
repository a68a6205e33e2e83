package callisto.tensor;

import java.util.function.DoubleBinaryOperator;
import java.util.function.DoubleUnaryOperator;

/** Forward computation of each primitive on plain arrays. */
final class Kernels {
    private Kernels() {
    }

    static double[] forward(Op op, Tensor[] in, int[] outShape) {
        return switch (op) {
            case Op.Add a -> binary(in[0], in[1], outShape, Double::sum);
            case Op.Mul m -> binary(in[0], in[1], outShape, (x, y) -> x * y);
            case Op.Div d -> binary(in[0], in[1], outShape, (x, y) -> x / y);
            case Op.Neg n -> unary(in[0], x -> -x);
            case Op.Exp e -> unary(in[0], Math::exp);
            case Op.Log l -> unary(in[0], Math::log);
            case Op.Sin s -> unary(in[0], Math::sin);
            case Op.Cos c -> unary(in[0], Math::cos);
            case Op.Tanh t -> unary(in[0], Math::tanh);
            case Op.Sqrt s -> unary(in[0], Math::sqrt);
            case Op.Log1p l -> unary(in[0], Math::log1p);
            case Op.Expm1 e -> unary(in[0], Math::expm1);
            case Op.Pow p -> unary(in[0], powFunction(p.exponent()));
            case Op.Sum s -> sum(in[0], s.dims());
            case Op.Expand e -> expand(in[0], e.shape());
            case Op.Reshape r -> in[0].data.clone();
            case Op.Transpose t -> transpose(in[0]);
            case Op.MatMul m -> matmul(in[0], in[1]);
            case Op.Where w -> where(in[0], in[1], in[2], outShape);
            case Op.Narrow n -> narrow(in[0], n.dim(), n.start(), n.length());
            case Op.Pad p -> pad(in[0], p.dim(), p.before(), p.size());
            case Op.Custom c -> custom(c.function(), in, outShape);
        };
    }

    private static DoubleUnaryOperator powFunction(double p) {
        if (p == 2) return x -> x * x;
        if (p == 1) return x -> x;
        if (p == 0) return x -> 1;
        if (p == -1) return x -> 1 / x;
        if (p == 0.5) return Math::sqrt;
        return x -> Math.pow(x, p);
    }

    private static double[] unary(Tensor a, DoubleUnaryOperator f) {
        double[] x = a.data, out = new double[x.length];
        for (int i = 0; i < x.length; i++) out[i] = f.applyAsDouble(x[i]);
        return out;
    }

    private static double[] binary(Tensor a, Tensor b, int[] shape, DoubleBinaryOperator f) {
        int n = Shape.size(shape);
        double[] out = new double[n];
        double[] x = a.data, y = b.data;
        if (java.util.Arrays.equals(a.shape, shape) && java.util.Arrays.equals(b.shape, shape)) {
            for (int i = 0; i < n; i++) out[i] = f.applyAsDouble(x[i], y[i]);
            return out;
        }
        int[] sa = Shape.broadcastStrides(a.shape, shape), sb = Shape.broadcastStrides(b.shape, shape);
        int rank = shape.length;
        int[] idx = new int[rank];
        int ia = 0, ib = 0;
        for (int i = 0; i < n; i++) {
            out[i] = f.applyAsDouble(x[ia], y[ib]);
            for (int d = rank - 1; d >= 0; d--) { // odometer over the output index
                idx[d]++;
                ia += sa[d];
                ib += sb[d];
                if (idx[d] < shape[d]) break;
                ia -= sa[d] * shape[d];
                ib -= sb[d] * shape[d];
                idx[d] = 0;
            }
        }
        return out;
    }

    /** The number of blocks before {@code dim}: the product of the sizes in front of it. */
    private static int outer(int[] shape, int dim) {
        int n = 1;
        for (int i = 0; i < dim; i++) n *= shape[i];
        return n;
    }

    /** The contiguous run after {@code dim}: the product of the sizes behind it. */
    private static int inner(int[] shape, int dim) {
        int n = 1;
        for (int i = dim + 1; i < shape.length; i++) n *= shape[i];
        return n;
    }

    private static double[] narrow(Tensor a, int dim, int start, int length) {
        int outer = outer(a.shape, dim), inner = inner(a.shape, dim), n = a.shape[dim];
        double[] out = new double[outer * length * inner];
        for (int o = 0; o < outer; o++) {
            System.arraycopy(a.data, (o * n + start) * inner, out, o * length * inner, length * inner);
        }
        return out;
    }

    private static double[] pad(Tensor a, int dim, int before, int size) {
        int outer = outer(a.shape, dim), inner = inner(a.shape, dim), n = a.shape[dim];
        double[] out = new double[outer * size * inner];
        for (int o = 0; o < outer; o++) {
            System.arraycopy(a.data, o * n * inner, out, (o * size + before) * inner, n * inner);
        }
        return out;
    }

    private static double[] custom(CustomFunction f, Tensor[] in, int[] outShape) {
        Tensor out;
        try (var off = GradMode.noGrad()) {
            Tensor[] detached = new Tensor[in.length];
            for (int i = 0; i < in.length; i++) detached[i] = in[i].detach();
            out = f.forward(detached);
        }
        if (!java.util.Arrays.equals(out.shape, outShape)) {
            throw new IllegalStateException("custom function: forward returned shape " + Shape.str(out.shape)
                    + ", its shape() promised " + Shape.str(outShape));
        }
        return out.data;
    }

    private static double[] where(Tensor mask, Tensor a, Tensor b, int[] shape) {
        double[] m = expand(mask, shape), x = expand(a, shape), y = expand(b, shape);
        for (int i = 0; i < m.length; i++) m[i] = m[i] != 0 ? x[i] : y[i];
        return m;
    }

    /** The maximum along {@code dim}, kept as size 1 (a constant: used to shift logsumexp, never differentiated). */
    static double[] maxAlong(Tensor a, int dim) {
        int outer = outer(a.shape, dim), inner = inner(a.shape, dim), n = a.shape[dim];
        double[] out = new double[outer * inner];
        java.util.Arrays.fill(out, Double.NEGATIVE_INFINITY);
        for (int o = 0; o < outer; o++) {
            for (int k = 0; k < n; k++) {
                int base = (o * n + k) * inner;
                for (int i = 0; i < inner; i++) out[o * inner + i] = Math.max(out[o * inner + i], a.data[base + i]);
            }
        }
        return out;
    }

    private static double[] expand(Tensor a, int[] shape) {
        int n = Shape.size(shape);
        double[] out = new double[n];
        int[] sa = Shape.broadcastStrides(a.shape, shape);
        int rank = shape.length;
        int[] idx = new int[rank];
        int ia = 0;
        for (int i = 0; i < n; i++) {
            out[i] = a.data[ia];
            for (int d = rank - 1; d >= 0; d--) {
                idx[d]++;
                ia += sa[d];
                if (idx[d] < shape[d]) break;
                ia -= sa[d] * shape[d];
                idx[d] = 0;
            }
        }
        return out;
    }

    /** Sums over dims; the result is laid out in the kept-dims shape (size 1 where summed). */
    private static double[] sum(Tensor a, int[] dims) {
        int[] kept = a.shape.clone();
        for (int d : dims) kept[d] = 1;
        double[] out = new double[Shape.size(kept)];
        int[] so = Shape.broadcastStrides(kept, a.shape);
        int rank = a.shape.length;
        int[] idx = new int[rank];
        int io = 0;
        for (int i = 0; i < a.data.length; i++) {
            out[io] += a.data[i];
            for (int d = rank - 1; d >= 0; d--) {
                idx[d]++;
                io += so[d];
                if (idx[d] < a.shape[d]) break;
                io -= so[d] * a.shape[d];
                idx[d] = 0;
            }
        }
        return out;
    }

    private static double[] transpose(Tensor a) {
        int r = a.shape.length;
        int rows = a.shape[r - 2], cols = a.shape[r - 1], batch = a.data.length / (rows * cols);
        double[] out = new double[a.data.length];
        for (int b = 0; b < batch; b++) {
            int base = b * rows * cols;
            for (int i = 0; i < rows; i++) {
                for (int j = 0; j < cols; j++) out[base + j * rows + i] = a.data[base + i * cols + j];
            }
        }
        return out;
    }

    private static double[] matmul(Tensor a, Tensor b) {
        int n = a.shape[0], k = a.shape[1], m = b.shape[1];
        double[] x = a.data, y = b.data, out = new double[n * m];
        for (int i = 0; i < n; i++) {
            for (int p = 0; p < k; p++) {
                double v = x[i * k + p];
                int row = p * m, o = i * m;
                for (int j = 0; j < m; j++) out[o + j] += v * y[row + j];
            }
        }
        return out;
    }
}
