package callisto.tensor;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * An n-dimensional array of float64 values that records the operations on it, for derivatives of any order.
 *
 * <p>Operations broadcast like NumPy. A tensor made with {@link #requiresGrad(boolean) requiresGrad(true)}
 * is a leaf; results of operations on it carry the operation that made them, and {@link #backward()} or
 * {@link Autograd#grad} walk that graph back. Gradients are computed with these same operations, so with
 * {@code createGraph} they can be differentiated again (Hessians, Laplacians, PINN residuals).
 *
 * <p>This first slice is float64 and contiguous; other dtypes, views and fast kernels come later.
 */
public final class Tensor {
    final double[] data;
    final int[] shape;
    private boolean requiresGrad;
    Node node;
    Tensor grad;

    /** What made a non-leaf tensor: the primitive and its inputs. Freed after a backward pass without retainGraph. */
    static final class Node {
        final Op op;
        final Tensor[] inputs;
        boolean freed;

        Node(Op op, Tensor[] inputs) {
            this.op = op;
            this.inputs = inputs;
        }
    }

    Tensor(double[] data, int[] shape) {
        if (data.length != Shape.size(shape)) {
            throw new IllegalArgumentException("tensor: " + data.length + " values do not fill shape " + Shape.str(shape));
        }
        this.data = data;
        this.shape = shape;
    }

    // ---- creation

    /** A 1-D tensor of the given values. */
    public static Tensor of(double... values) {
        return new Tensor(values.clone(), new int[] {values.length});
    }

    /** A 2-D tensor from rows of equal length. */
    public static Tensor of(double[][] rows) {
        int cols = rows.length == 0 ? 0 : rows[0].length;
        double[] d = new double[rows.length * cols];
        for (int i = 0; i < rows.length; i++) {
            if (rows[i].length != cols) {
                throw new IllegalArgumentException("Tensor.of: row " + i + " has " + rows[i].length + " values, row 0 has " + cols);
            }
            System.arraycopy(rows[i], 0, d, i * cols, cols);
        }
        return new Tensor(d, new int[] {rows.length, cols});
    }

    /** A tensor of {@code values} laid out row-major in {@code shape}. */
    public static Tensor of(double[] values, int... shape) {
        return new Tensor(values.clone(), shape.clone());
    }

    /** A 0-dimensional tensor. */
    public static Tensor scalar(double value) {
        return new Tensor(new double[] {value}, new int[0]);
    }

    public static Tensor zeros(int... shape) {
        return full(0, shape);
    }

    public static Tensor ones(int... shape) {
        return full(1, shape);
    }

    public static Tensor full(double value, int... shape) {
        double[] d = new double[Shape.size(shape)];
        Arrays.fill(d, value);
        return new Tensor(d, shape.clone());
    }

    /** 0, 1, ..., n-1. */
    public static Tensor arange(int n) {
        double[] d = new double[n];
        for (int i = 0; i < n; i++) d[i] = i;
        return new Tensor(d, new int[] {n});
    }

    // ---- properties

    public int[] shape() {
        return shape.clone();
    }

    public int dim() {
        return shape.length;
    }

    public int numel() {
        return data.length;
    }

    /** The single value of a one-element tensor. */
    public double item() {
        if (data.length != 1) throw new IllegalStateException("item: the tensor has " + data.length + " values, not 1");
        return data[0];
    }

    /** A copy of the values, row-major. */
    public double[] toArray() {
        return data.clone();
    }

    public boolean requiresGrad() {
        return requiresGrad;
    }

    /** Marks a leaf as needing gradients; returns it. */
    public Tensor requiresGrad(boolean value) {
        if (node != null) throw new IllegalStateException("requiresGrad: only leaves can be marked; detach() this result first");
        requiresGrad = value;
        return this;
    }

    /** Whether no operation made this tensor (or it was not recorded). */
    public boolean isLeaf() {
        return node == null;
    }

    /** The gradient accumulated by {@link #backward()}, or null. */
    public Tensor grad() {
        return grad;
    }

    /** Clears the accumulated gradient. */
    public void zeroGrad() {
        grad = null;
    }

    /** The same values, cut from the graph. */
    public Tensor detach() {
        return new Tensor(data, shape);
    }

    // ---- elementwise (broadcasting)

    public Tensor add(Tensor other) {
        return apply(new Op.Add(), Shape.broadcast("add", shape, other.shape), this, other);
    }

    public Tensor sub(Tensor other) {
        return add(other.neg());
    }

    public Tensor mul(Tensor other) {
        return apply(new Op.Mul(), Shape.broadcast("mul", shape, other.shape), this, other);
    }

    public Tensor div(Tensor other) {
        return apply(new Op.Div(), Shape.broadcast("div", shape, other.shape), this, other);
    }

    public Tensor add(double c) {
        return add(scalar(c));
    }

    public Tensor mul(double c) {
        return mul(scalar(c));
    }

    public Tensor neg() {
        return apply(new Op.Neg(), shape, this);
    }

    public Tensor exp() {
        return apply(new Op.Exp(), shape, this);
    }

    public Tensor log() {
        return apply(new Op.Log(), shape, this);
    }

    public Tensor sin() {
        return apply(new Op.Sin(), shape, this);
    }

    public Tensor cos() {
        return apply(new Op.Cos(), shape, this);
    }

    public Tensor tanh() {
        return apply(new Op.Tanh(), shape, this);
    }

    public Tensor sqrt() {
        return apply(new Op.Sqrt(), shape, this);
    }

    public Tensor log1p() {
        return apply(new Op.Log1p(), shape, this);
    }

    public Tensor expm1() {
        return apply(new Op.Expm1(), shape, this);
    }

    public Tensor tan() {
        return sin().div(cos());
    }

    public Tensor rsqrt() {
        return pow(-0.5);
    }

    /** -1, 0 or 1; a constant (no gradient). */
    public Tensor sign() {
        return gt(scalar(0)).add(lt(scalar(0)).neg());
    }

    /** x · sigmoid(x). */
    public Tensor silu() {
        return mul(sigmoid());
    }

    /** GELU, tanh approximation: 0.5 x (1 + tanh(√(2/π) (x + 0.044715 x³))). */
    public Tensor gelu() {
        Tensor inner = add(pow(3).mul(0.044715)).mul(Math.sqrt(2 / Math.PI));
        return mul(inner.tanh().add(1)).mul(0.5);
    }

    /** x for x > 0, else {@code slope} · x. */
    public Tensor leakyRelu(double slope) {
        return where(gt(scalar(0)), this, mul(slope));
    }

    /** x for x > 0, else α (e^x - 1). */
    public Tensor elu(double alpha) {
        return where(gt(scalar(0)), this, minimum(scalar(0)).expm1().mul(alpha));
    }

    /** Each value to the power {@code exponent}. */
    public Tensor pow(double exponent) {
        return apply(new Op.Pow(exponent), shape, this);
    }

    /** 1 / (1 + e^-x), as a composition. */
    public Tensor sigmoid() {
        return neg().exp().add(1).pow(-1);
    }

    /** {@code mask ? a : b} elementwise, broadcasting all three; the mask gets no gradient. */
    public static Tensor where(Tensor mask, Tensor a, Tensor b) {
        int[] shape = Shape.broadcast("where", Shape.broadcast("where", mask.shape, a.shape), b.shape);
        return apply(new Op.Where(), shape, mask.detach(), a, b);
    }

    /** 1 where this > other, else 0; a constant (no gradient). */
    public Tensor gt(Tensor other) {
        return compare("gt", other, (x, y) -> x > y);
    }

    /** 1 where this < other, else 0; a constant. */
    public Tensor lt(Tensor other) {
        return compare("lt", other, (x, y) -> x < y);
    }

    /** 1 where this >= other, else 0; a constant. */
    public Tensor ge(Tensor other) {
        return compare("ge", other, (x, y) -> x >= y);
    }

    /** 1 where this <= other, else 0; a constant. */
    public Tensor le(Tensor other) {
        return compare("le", other, (x, y) -> x <= y);
    }

    /** 1 where this == other, else 0; a constant. */
    public Tensor eq(Tensor other) {
        return compare("eq", other, (x, y) -> x == y);
    }

    private interface DoublePredicate2 {
        boolean test(double x, double y);
    }

    private Tensor compare(String op, Tensor other, DoublePredicate2 p) {
        int[] s = Shape.broadcast(op, shape, other.shape);
        double[] x = detach().expand(s).data, y = other.detach().expand(s).data, out = new double[x.length];
        for (int i = 0; i < out.length; i++) out[i] = p.test(x[i], y[i]) ? 1 : 0;
        return new Tensor(out, s);
    }

    public Tensor relu() {
        return where(gt(scalar(0)), this, scalar(0));
    }

    public Tensor abs() {
        return where(ge(scalar(0)), this, neg());
    }

    /** Elementwise maximum (broadcasting); at ties the gradient goes to this. */
    public Tensor maximum(Tensor other) {
        return where(ge(other), this, other);
    }

    /** Elementwise minimum (broadcasting); at ties the gradient goes to this. */
    public Tensor minimum(Tensor other) {
        return where(le(other), this, other);
    }

    public Tensor clamp(double min, double max) {
        if (min > max) throw new IllegalArgumentException("clamp: min " + min + " is above max " + max);
        return maximum(scalar(min)).minimum(scalar(max));
    }

    /** log(1 + e^x), computed without overflow: max(x, 0) + log(1 + e^-|x|). */
    public Tensor softplus() {
        return relu().add(abs().neg().exp().add(1).log());
    }

    // ---- reductions and shape

    /** log(sum(exp(x))) along {@code dim}, shifted by the (constant) maximum so large values do not overflow. */
    public Tensor logsumexp(int dim, boolean keepDim) {
        int d = Shape.normalizeDim("logsumexp", dim, shape.length);
        int[] kept = shape.clone();
        kept[d] = 1;
        Tensor m = new Tensor(Kernels.maxAlong(this, d), kept);
        Tensor finiteM = where(m.abs().lt(scalar(Double.POSITIVE_INFINITY)), m, scalar(0)); // all -inf: no shift
        Tensor out = sub(finiteM).exp().sum(d, true).log().add(finiteM);
        return keepDim ? out : out.sum(d, false);
    }

    /** exp(x) / sum(exp(x)) along {@code dim}. */
    public Tensor softmax(int dim) {
        return sub(logsumexp(dim, true)).exp();
    }

    /** x - logsumexp(x) along {@code dim}. */
    public Tensor logSoftmax(int dim) {
        return sub(logsumexp(dim, true));
    }

    /** The sum of all values, as a 0-d tensor. */
    public Tensor sum() {
        int[] all = new int[shape.length];
        for (int i = 0; i < all.length; i++) all[i] = i;
        return sum(all, false);
    }

    /** Sums over {@code dims} (negative counts from the end). */
    public Tensor sum(int[] dims, boolean keepDim) {
        int[] ds = Arrays.stream(dims).map(d -> Shape.normalizeDim("sum", d, shape.length)).distinct().sorted().toArray();
        int[] out = keepDim ? shape.clone() : new int[shape.length - ds.length];
        if (keepDim) {
            for (int d : ds) out[d] = 1;
        } else {
            for (int i = 0, j = 0; i < shape.length; i++) if (Arrays.binarySearch(ds, i) < 0) out[j++] = shape[i];
        }
        return apply(new Op.Sum(ds, keepDim), out, this);
    }

    public Tensor sum(int dim, boolean keepDim) {
        return sum(new int[] {dim}, keepDim);
    }

    public Tensor mean() {
        return sum().mul(1.0 / data.length);
    }

    /** Broadcast to {@code shape}. */
    public Tensor expand(int... target) {
        int[] b = Shape.broadcast("expand", shape, target);
        if (!Arrays.equals(b, target)) {
            throw new IllegalArgumentException("expand: " + Shape.str(shape) + " cannot be expanded to " + Shape.str(target));
        }
        return Arrays.equals(shape, target) ? this : apply(new Op.Expand(target.clone()), target.clone(), this);
    }

    /** Sums broadcast dims away: the inverse of expand, and how a broadcast input gets its gradient. */
    Tensor sumTo(int[] target) {
        if (Arrays.equals(shape, target)) return this;
        int lead = shape.length - target.length;
        var dims = new java.util.ArrayList<Integer>();
        for (int i = 0; i < shape.length; i++) {
            if (i < lead || (target[i - lead] == 1 && shape[i] != 1)) dims.add(i);
        }
        Tensor s = sum(dims.stream().mapToInt(Integer::intValue).toArray(), true);
        return s.reshape(target);
    }

    public Tensor reshape(int... target) {
        int[] t = target.clone();
        int infer = -1, known = 1;
        for (int i = 0; i < t.length; i++) {
            if (t[i] == -1) {
                if (infer >= 0) throw new IllegalArgumentException("reshape: only one dim can be -1 in " + Shape.str(target));
                infer = i;
            } else {
                known *= t[i];
            }
        }
        if (infer >= 0 && known != 0) t[infer] = data.length / known;
        if (Shape.size(t) != data.length) {
            throw new IllegalArgumentException("reshape: " + Shape.str(shape) + " (" + data.length + " values) cannot become " + Shape.str(target));
        }
        return Arrays.equals(shape, t) ? this : apply(new Op.Reshape(t), t, this);
    }

    /** Swaps the last two dims. */
    public Tensor transpose() {
        if (shape.length < 2) throw new IllegalArgumentException("transpose: needs 2 or more dims, got " + Shape.str(shape));
        int[] t = shape.clone();
        t[t.length - 1] = shape[shape.length - 2];
        t[t.length - 2] = shape[shape.length - 1];
        return apply(new Op.Transpose(), t, this);
    }

    /** Matrix product of 2-D tensors (a 1-D right side is a column). */
    public Tensor matmul(Tensor other) {
        if (shape.length == 2 && other.shape.length == 1) return matmul(other.reshape(other.shape[0], 1)).reshape(shape[0]);
        if (shape.length != 2 || other.shape.length != 2) {
            throw new IllegalArgumentException("matmul: " + Shape.str(shape) + " @ " + Shape.str(other.shape)
                    + ": this slice multiplies 2-D tensors");
        }
        if (shape[1] != other.shape[0]) {
            throw new IllegalArgumentException("matmul: " + Shape.str(shape) + " @ " + Shape.str(other.shape)
                    + ": inner sizes " + shape[1] + " and " + other.shape[0] + " differ");
        }
        return apply(new Op.MatMul(), new int[] {shape[0], other.shape[1]}, this, other);
    }

    /** Elements {@code start .. start+length-1} along {@code dim}. */
    public Tensor narrow(int dim, int start, int length) {
        int d = Shape.normalizeDim("narrow", dim, shape.length);
        if (start < 0 || length < 0 || start + length > shape[d]) {
            throw new IllegalArgumentException("narrow: [" + start + ", " + (start + length) + ") is outside dim " + dim
                    + " of size " + shape[d] + " in " + Shape.str(shape));
        }
        if (start == 0 && length == shape[d]) return this;
        int[] out = shape.clone();
        out[d] = length;
        return apply(new Op.Narrow(d, start, length), out, this);
    }

    /** This tensor inside zeros along {@code dim}: {@code before} zeros first, {@code size} in all. */
    Tensor pad(int dim, int before, int size) {
        int[] out = shape.clone();
        out[dim] = size;
        return apply(new Op.Pad(dim, before, size), out, this);
    }

    /** Joins tensors along an existing dim; all other dims must match. */
    public static Tensor cat(List<Tensor> tensors, int dim) {
        if (tensors.isEmpty()) throw new IllegalArgumentException("cat: no tensors");
        Tensor first = tensors.getFirst();
        int d = Shape.normalizeDim("cat", dim, first.shape.length);
        int total = 0;
        for (int i = 0; i < tensors.size(); i++) {
            int[] s = tensors.get(i).shape;
            for (int k = 0; k < first.shape.length; k++) {
                if (s.length != first.shape.length || (k != d && s[k] != first.shape[k])) {
                    throw new IllegalArgumentException("cat: tensor " + i + " has shape " + Shape.str(s)
                            + ", tensor 0 " + Shape.str(first.shape) + " (only dim " + d + " may differ)");
                }
            }
            total += s[d];
        }
        Tensor out = null;
        int at = 0;
        for (Tensor t : tensors) { // a sum of padded pieces: its gradient is narrow, which is exactly right
            Tensor piece = t.pad(d, at, total);
            out = out == null ? piece : out.add(piece);
            at += t.shape[d];
        }
        return out;
    }

    /** Joins tensors of one shape along a new dim. */
    public static Tensor stack(List<Tensor> tensors, int dim) {
        int rank = tensors.getFirst().shape.length + 1;
        int d = Shape.normalizeDim("stack", dim, rank);
        var expanded = new java.util.ArrayList<Tensor>();
        for (Tensor t : tensors) {
            int[] s = new int[rank];
            for (int i = 0, j = 0; i < rank; i++) s[i] = i == d ? 1 : t.shape[j++];
            expanded.add(t.reshape(s));
        }
        return cat(expanded, d);
    }

    /** Pieces of {@code size} along {@code dim} (the last may be smaller). */
    public List<Tensor> split(int size, int dim) {
        int d = Shape.normalizeDim("split", dim, shape.length);
        if (size <= 0) throw new IllegalArgumentException("split: size " + size + " must be positive");
        var parts = new java.util.ArrayList<Tensor>();
        for (int start = 0; start < shape[d]; start += size) parts.add(narrow(d, start, Math.min(size, shape[d] - start)));
        return parts;
    }

    /** {@code chunks} nearly equal pieces along {@code dim}, as PyTorch's chunk. */
    public List<Tensor> chunk(int chunks, int dim) {
        int d = Shape.normalizeDim("chunk", dim, shape.length);
        return split(Math.max(1, (shape[d] + chunks - 1) / chunks), d);
    }

    /** The largest values along {@code dim}; ties share the gradient equally (as PyTorch's amax). */
    public Tensor amax(int dim, boolean keepDim) {
        int d = Shape.normalizeDim("amax", dim, shape.length);
        int[] kept = shape.clone();
        kept[d] = 1;
        Tensor mask = eq(new Tensor(Kernels.maxAlong(this, d), kept));
        Tensor out = mul(mask).sum(d, true).div(mask.sum(d, true));
        return keepDim ? out : out.sum(d, false);
    }

    /** The smallest values along {@code dim}; ties share the gradient. */
    public Tensor amin(int dim, boolean keepDim) {
        return neg().amax(dim, keepDim).neg();
    }

    /** Mean over {@code dim}. */
    public Tensor mean(int dim, boolean keepDim) {
        int d = Shape.normalizeDim("mean", dim, shape.length);
        return sum(d, keepDim).mul(1.0 / shape[d]);
    }

    /** Variance over {@code dim}, with Bessel's correction when {@code unbiased} (PyTorch's default). */
    public Tensor var(int dim, boolean keepDim, boolean unbiased) {
        int d = Shape.normalizeDim("var", dim, shape.length);
        Tensor centred = sub(mean(d, true));
        return centred.pow(2).sum(d, keepDim).mul(1.0 / (shape[d] - (unbiased ? 1 : 0)));
    }

    /** Standard deviation over {@code dim}. */
    public Tensor std(int dim, boolean keepDim, boolean unbiased) {
        return var(dim, keepDim, unbiased).sqrt();
    }

    /** The Euclidean norm of all values. */
    public Tensor norm() {
        return pow(2).sum().sqrt();
    }

    /** {@code function} applied to inputs, recorded so that its own backward gives the gradient. */
    public static Tensor apply(CustomFunction function, Tensor... inputs) {
        int[][] shapes = new int[inputs.length][];
        for (int i = 0; i < inputs.length; i++) shapes[i] = inputs[i].shape.clone();
        return apply(new Op.Custom(function), function.shape(shapes), inputs);
    }

    // ---- autodiff

    /** Backpropagates from this scalar, accumulating into the {@code grad()} of every leaf that requires it. */
    public void backward() {
        if (data.length != 1) {
            throw new IllegalStateException("backward: the tensor has shape " + Shape.str(shape)
                    + "; call backward(gradient) or reduce it to a scalar first");
        }
        backward(ones(shape), false, false);
    }

    /** Backpropagates {@code gradient} (the gradient of some scalar with respect to this tensor). */
    public void backward(Tensor gradient, boolean retainGraph, boolean createGraph) {
        Autograd.backward(this, gradient, retainGraph, createGraph);
    }

    private static Tensor apply(Op op, int[] outShape, Tensor... inputs) {
        var out = new Tensor(Kernels.forward(op, inputs, outShape), outShape);
        if (GradMode.enabled()) {
            for (Tensor t : inputs) {
                if (t.requiresGrad) {
                    out.requiresGrad = true;
                    out.node = new Node(op, inputs);
                    break;
                }
            }
        }
        return out;
    }

    // ---- printing

    @Override
    public String toString() {
        var sb = new StringBuilder("tensor(");
        format(sb, 0, 0, 7);
        if (node != null) sb.append(", gradFn=").append(node.op.getClass().getSimpleName());
        else if (requiresGrad) sb.append(", requiresGrad=true");
        return sb.append(')').toString();
    }

    private int format(StringBuilder sb, int dim, int offset, int indent) {
        if (shape.length == 0) {
            sb.append(number(data[0]));
            return 1;
        }
        sb.append('[');
        int stride = Shape.size(Arrays.copyOfRange(shape, dim + 1, shape.length));
        boolean summarise = shape[dim] > 6 && data.length > 1000;
        for (int i = 0; i < shape[dim]; i++) {
            if (summarise && i == 3) {
                sb.append(dim == shape.length - 1 ? "..., " : "...,\n" + " ".repeat(indent + dim + 1));
                i = shape[dim] - 3;
            }
            if (dim == shape.length - 1) {
                sb.append(number(data[offset + i]));
            } else {
                format(sb, dim + 1, offset + i * stride, indent);
            }
            if (i < shape[dim] - 1) {
                sb.append(dim == shape.length - 1 ? ", " : ",\n" + "\n".repeat(shape.length - dim - 2) + " ".repeat(indent + dim + 1));
            }
        }
        sb.append(']');
        return 0;
    }

    private static String number(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e16) return String.format(Locale.ROOT, "%.0f.", v);
        return String.format(Locale.ROOT, "%.4f", v);
    }
}
