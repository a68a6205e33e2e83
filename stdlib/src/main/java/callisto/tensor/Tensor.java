package callisto.tensor;

import static callisto.tensor.DType.BOOL;
import static callisto.tensor.DType.FLOAT32;
import static callisto.tensor.DType.FLOAT64;
import static callisto.tensor.DType.INT32;
import static callisto.tensor.DType.INT64;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * An n-dimensional array (float32, float64, int32, int64 or bool) that records the operations on it, for
 * derivatives of any order.
 *
 * <p>Operations broadcast like NumPy and promote dtypes like PyTorch ({@link DType}). Reshaping a contiguous
 * tensor, {@link #permute}, {@link #transpose}, {@link #narrow}, {@link #select}, {@link #expand} and
 * {@link #detach} return views that share storage. A float tensor made with
 * {@link #requiresGrad(boolean) requiresGrad(true)} is a leaf; results of operations on it carry the
 * operation that made them, and {@link #backward()} or {@link Autograd#grad} walk that graph back. Gradients
 * are computed with these same operations, so with {@code createGraph} they can be differentiated again
 * (Hessians, Laplacians, PINN residuals).
 *
 * <p>Values written with {@code double} (Java's default) are float64; {@code float[]} values are float32.
 * In-place operations end in an underscore ({@code add_}); they refuse tensors that record gradients, and a
 * backward pass that needs a value overwritten in place fails with an error saying so.
 */
public final class Tensor {
    final DType dtype;
    final Storage storage;
    final int offset;
    final int[] shape;
    final int[] strides;
    private final int numel;
    private final boolean contiguous;
    private boolean requiresGrad;
    Node node;
    Tensor grad;

    /** What made a non-leaf tensor: the primitive, its inputs and their versions when it ran. */
    static final class Node {
        final Op op;
        final Tensor[] inputs;
        final int[] versions;
        final int outVersion;
        boolean freed;

        Node(Op op, Tensor[] inputs, Tensor out) {
            this.op = op;
            this.inputs = inputs;
            versions = new int[inputs.length];
            for (int i = 0; i < inputs.length; i++) versions[i] = inputs[i].storage.version;
            outVersion = out.storage.version;
        }
    }

    /** A view; shape and strides arrays are never mutated once a tensor holds them, so views share them freely. */
    Tensor(DType dtype, Storage storage, int offset, int[] shape, int[] strides) {
        this(dtype, storage, offset, shape, strides, Shape.size(shape), Shape.isRowMajor(shape, strides));
    }

    private Tensor(DType dtype, Storage storage, int offset, int[] shape, int[] strides, int numel, boolean contiguous) {
        this.dtype = dtype;
        this.storage = storage;
        this.offset = offset;
        this.shape = shape;
        this.strides = strides;
        this.numel = numel;
        this.contiguous = contiguous;
    }

    /** A contiguous tensor over {@code array} (which it now owns). */
    static Tensor wrap(DType dtype, Object array, int[] shape) {
        int n = Shape.size(shape);
        return new Tensor(dtype, new Storage(array, n), 0, shape, Shape.rowMajor(shape), n, true);
    }

    private static Tensor checked(DType dtype, Object array, int length, int[] shape) {
        int[] s = shape.clone();
        for (int d : s) if (d < 0) throw new IllegalArgumentException("tensor: negative size in shape " + Shape.str(s));
        if (length != Shape.size(s)) {
            throw new IllegalArgumentException("tensor: " + length + " values do not fill shape " + Shape.str(s));
        }
        return wrap(dtype, array, s);
    }

    // ---- creation

    /** A 1-D float64 tensor of the given values. */
    public static Tensor of(double... values) {
        return wrap(FLOAT64, values.clone(), new int[] {values.length});
    }

    /** A 2-D float64 tensor from rows of equal length. */
    public static Tensor of(double[][] rows) {
        int cols = rows.length == 0 ? 0 : rows[0].length;
        double[] d = new double[rows.length * cols];
        for (int i = 0; i < rows.length; i++) {
            if (rows[i].length != cols) {
                throw new IllegalArgumentException("Tensor.of: row " + i + " has " + rows[i].length + " values, row 0 has " + cols);
            }
            System.arraycopy(rows[i], 0, d, i * cols, cols);
        }
        return wrap(FLOAT64, d, new int[] {rows.length, cols});
    }

    /** A float64 tensor of {@code values} laid out row-major in {@code shape}. */
    public static Tensor of(double[] values, int... shape) {
        return checked(FLOAT64, values.clone(), values.length, shape);
    }

    /** A 1-D float32 tensor (not an overload of {@code of}: Java would pick it for {@code of(1, 2)}). */
    public static Tensor ofFloats(float... values) {
        return wrap(FLOAT32, values.clone(), new int[] {values.length});
    }

    /** A float32 tensor of {@code values} in {@code shape}. */
    public static Tensor of(float[] values, int... shape) {
        return checked(FLOAT32, values.clone(), values.length, shape);
    }

    /** A 1-D bool tensor (a mask). */
    public static Tensor of(boolean... values) {
        return wrap(BOOL, values.clone(), new int[] {values.length});
    }

    /** A bool tensor of {@code values} in {@code shape}. */
    public static Tensor of(boolean[] values, int... shape) {
        return checked(BOOL, values.clone(), values.length, shape);
    }

    /** A 1-D int64 tensor (indices). */
    public static Tensor ofLongs(long... values) {
        return wrap(INT64, values.clone(), new int[] {values.length});
    }

    /** An int64 tensor of {@code values} in {@code shape}. */
    public static Tensor ofLongs(long[] values, int... shape) {
        return checked(INT64, values.clone(), values.length, shape);
    }

    /** A 1-D int32 tensor. */
    public static Tensor ofInts(int... values) {
        return wrap(INT32, values.clone(), new int[] {values.length});
    }

    /** An int32 tensor of {@code values} in {@code shape}. */
    public static Tensor ofInts(int[] values, int... shape) {
        return checked(INT32, values.clone(), values.length, shape);
    }

    /** A 0-dimensional float64 tensor. */
    public static Tensor scalar(double value) {
        return wrap(FLOAT64, new double[] {value}, new int[0]);
    }

    /** A 0-dimensional tensor of {@code dtype}. */
    public static Tensor scalar(DType dtype, double value) {
        return full(dtype, value);
    }

    public static Tensor zeros(int... shape) {
        return full(FLOAT64, 0, shape);
    }

    public static Tensor zeros(DType dtype, int... shape) {
        return full(dtype, 0, shape);
    }

    public static Tensor ones(int... shape) {
        return full(FLOAT64, 1, shape);
    }

    public static Tensor ones(DType dtype, int... shape) {
        return full(dtype, 1, shape);
    }

    public static Tensor full(double value, int... shape) {
        return full(FLOAT64, value, shape);
    }

    /** A tensor of {@code dtype} filled with {@code value}. */
    public static Tensor full(DType dtype, double value, int... shape) {
        for (int d : shape) if (d < 0) throw new IllegalArgumentException("full: negative size in shape " + Shape.str(shape));
        int n = Shape.size(shape);
        Object a = Storage.allocate(dtype, n);
        switch (dtype) {
            case FLOAT64 -> Arrays.fill((double[]) a, value);
            case FLOAT32 -> Arrays.fill((float[]) a, (float) value);
            case INT64 -> Arrays.fill((long[]) a, (long) value);
            case INT32 -> Arrays.fill((int[]) a, (int) value);
            case BOOL -> Arrays.fill((boolean[]) a, value != 0);
        }
        return checked(dtype, a, n, shape);
    }

    /** Zeros of {@code like}'s shape and dtype. */
    public static Tensor zerosLike(Tensor like) {
        return full(like.dtype, 0, like.shape);
    }

    /** Ones of {@code like}'s shape and dtype. */
    public static Tensor onesLike(Tensor like) {
        return full(like.dtype, 1, like.shape);
    }

    /** The n × n identity (float64). */
    public static Tensor eye(int n) {
        return eye(FLOAT64, n);
    }

    public static Tensor eye(DType dtype, int n) {
        boolean[] diagonal = new boolean[n * n];
        for (int i = 0; i < n; i++) diagonal[i * n + i] = true;
        return wrap(BOOL, diagonal, new int[] {n, n}).to(dtype);
    }

    /** 0, 1, ..., n-1 as int64, as PyTorch's {@code arange(n)}. */
    public static Tensor arange(int n) {
        if (n < 0) throw new IllegalArgumentException("arange: n = " + n + " is negative");
        long[] d = new long[n];
        for (int i = 0; i < n; i++) d[i] = i;
        return wrap(INT64, d, new int[] {n});
    }

    /** start, start + step, ... below end (float64). */
    public static Tensor arange(double start, double end, double step) {
        if (step == 0 || !Double.isFinite(step)) throw new IllegalArgumentException("arange: step " + step + " must be finite and nonzero");
        int n = (int) Math.max(0, Math.ceil((end - start) / step));
        double[] d = new double[n];
        for (int i = 0; i < n; i++) d[i] = start + i * step;
        return wrap(FLOAT64, d, new int[] {n});
    }

    /** {@code steps} evenly spaced values from start to end inclusive (float64). */
    public static Tensor linspace(double start, double end, int steps) {
        if (steps < 0) throw new IllegalArgumentException("linspace: steps = " + steps + " is negative");
        double[] d = new double[steps];
        double h = steps > 1 ? (end - start) / (steps - 1) : 0;
        for (int i = 0; i < steps; i++) d[i] = i == steps - 1 && steps > 1 ? end : start + i * h;
        return wrap(FLOAT64, d, new int[] {steps});
    }

    // ---- properties

    public int[] shape() {
        return shape.clone();
    }

    /** The size of one dim (negative counts from the end). */
    public int size(int dim) {
        return shape[Shape.normalizeDim("size", dim, shape.length)];
    }

    /** Elements to step in storage per index of each dim. */
    public int[] stride() {
        return strides.clone();
    }

    public DType dtype() {
        return dtype;
    }

    public int dim() {
        return shape.length;
    }

    public int numel() {
        return numel;
    }

    /** Whether the values lie row-major without gaps (views made by permute, narrow or expand may not). */
    public boolean isContiguous() {
        return contiguous;
    }

    /** The single value of a one-element tensor. */
    public double item() {
        if (numel() != 1) throw new IllegalStateException("item: the tensor has " + numel() + " values, not 1");
        return Storage.getDouble(storage.array, dtype, offset);
    }

    /** The value at {@code index} (one per dim). */
    public double get(int... index) {
        return Storage.getDouble(storage.array, dtype, position("get", index));
    }

    private int position(String op, int[] index) {
        if (index.length != shape.length) {
            throw new IllegalArgumentException(op + ": " + index.length + " indices for a tensor of shape " + Shape.str(shape));
        }
        int p = offset;
        for (int d = 0; d < index.length; d++) {
            int i = index[d] < 0 ? index[d] + shape[d] : index[d];
            if (i < 0 || i >= shape[d]) {
                throw new IndexOutOfBoundsException(op + ": index " + index[d] + " is out of range for dim " + d + " of " + Shape.str(shape));
            }
            p += i * strides[d];
        }
        return p;
    }

    /** The value at row-major position {@code i}, whatever the layout. */
    double valueAt(int i) {
        int p = offset;
        for (int d = shape.length - 1; d >= 0; d--) {
            p += (i % shape[d]) * strides[d];
            i /= shape[d];
        }
        return Storage.getDouble(storage.array, dtype, p);
    }

    /** A copy of the values, row-major, as doubles. */
    public double[] toArray() {
        return (double[]) Kernels.copy(this, FLOAT64);
    }

    public float[] toFloatArray() {
        return (float[]) Kernels.copy(this, FLOAT32);
    }

    public long[] toLongArray() {
        return (long[]) Kernels.copy(this, INT64);
    }

    public int[] toIntArray() {
        return (int[]) Kernels.copy(this, INT32);
    }

    public boolean[] toBooleanArray() {
        return (boolean[]) Kernels.copy(this, BOOL);
    }

    public boolean requiresGrad() {
        return requiresGrad;
    }

    /** Marks a float leaf as needing gradients; returns it. */
    public Tensor requiresGrad(boolean value) {
        if (node != null) throw new IllegalStateException("requiresGrad: only leaves can be marked; detach() this result first");
        if (value && !dtype.isFloatingPoint()) {
            throw new IllegalStateException("requiresGrad: a " + dtype.pythonName() + " tensor cannot have gradients; convert it with to(DType.FLOAT64)");
        }
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

    /** The same values (shared storage), cut from the graph. */
    public Tensor detach() {
        return new Tensor(dtype, storage, offset, shape, strides, numel, contiguous);
    }

    /** This tensor converted to {@code dtype} (itself when it already is); gradients flow between float types. */
    public Tensor to(DType target) {
        if (target == dtype) return this;
        Tensor in = dtype.isFloatingPoint() && target.isFloatingPoint() ? this : detach();
        return apply(new Op.Cast(target), shape, in);
    }

    /** A copy with its own storage (differentiable), as PyTorch's clone. */
    @Override
    public Tensor clone() {
        return apply(new Op.Cast(dtype), shape, this);
    }

    /** This tensor if it is contiguous, else a contiguous copy. */
    public Tensor contiguous() {
        return isContiguous() ? this : clone();
    }

    static DType resultType(Tensor a, Tensor b) {
        return DType.promote(a.dtype, a.shape.length == 0, b.dtype, b.shape.length == 0);
    }

    /** A 0-d tensor for a Java number in an op with this tensor: it keeps this dtype unless it needs a wider kind. */
    private Tensor number(double c) {
        boolean integral = c == Math.rint(c) && Math.abs(c) < 0x1p53;
        return !dtype.isFloatingPoint() && integral ? wrap(INT64, new long[] {(long) c}, new int[0]) : scalar(c);
    }

    private Tensor floating() {
        return dtype.isFloatingPoint() ? this : to(FLOAT64);
    }

    // ---- elementwise (broadcasting)

    private Tensor arithmetic(String name, Op op, Tensor other) {
        int[] s = Shape.broadcast(name, shape, other.shape);
        if (resultType(this, other) == BOOL) {
            throw new IllegalArgumentException(name + ": both tensors are bool; use logicalAnd/logicalOr, or convert with to(DType.INT64)");
        }
        return apply(op, s, this, other);
    }

    public Tensor add(Tensor other) {
        return arithmetic("add", new Op.Add(), other);
    }

    public Tensor sub(Tensor other) {
        return arithmetic("sub", new Op.Sub(), other);
    }

    public Tensor mul(Tensor other) {
        return arithmetic("mul", new Op.Mul(), other);
    }

    /** True division: integers divide as float64. */
    public Tensor div(Tensor other) {
        return arithmetic("div", new Op.Div(), other);
    }

    public Tensor add(double c) {
        return add(number(c));
    }

    public Tensor sub(double c) {
        return sub(number(c));
    }

    public Tensor mul(double c) {
        return mul(number(c));
    }

    public Tensor div(double c) {
        return div(number(c));
    }

    /** c - this. */
    public Tensor rsub(double c) {
        return number(c).sub(this);
    }

    public Tensor neg() {
        if (dtype == BOOL) throw new IllegalArgumentException("neg: a bool tensor; use logicalNot");
        return apply(new Op.Neg(), shape, this);
    }

    private Tensor math(Op op) {
        Tensor x = floating();
        return apply(op, x.shape, x);
    }

    public Tensor exp() {
        return math(new Op.Exp());
    }

    public Tensor log() {
        return math(new Op.Log());
    }

    public Tensor sin() {
        return math(new Op.Sin());
    }

    public Tensor cos() {
        return math(new Op.Cos());
    }

    public Tensor tanh() {
        return math(new Op.Tanh());
    }

    public Tensor sqrt() {
        return math(new Op.Sqrt());
    }

    public Tensor log1p() {
        return math(new Op.Log1p());
    }

    public Tensor expm1() {
        return math(new Op.Expm1());
    }

    /** The error function, 2/√π ∫₀ˣ e^{-t²} dt. */
    public Tensor erf() {
        return math(new Op.Erf());
    }

    public Tensor tan() {
        return sin().div(cos());
    }

    public Tensor rsqrt() {
        return pow(-0.5);
    }

    /** -1, 0 or 1, in this dtype; a constant (no gradient). */
    public Tensor sign() {
        DType t = dtype == BOOL ? INT64 : dtype;
        return gt(0).to(t).sub(lt(0).to(t));
    }

    /** x · sigmoid(x). */
    public Tensor silu() {
        return mul(sigmoid());
    }

    /** GELU as PyTorch's default: x Φ(x) = 0.5 x (1 + erf(x / √2)). */
    public Tensor gelu() {
        return math(new Op.Gelu());
    }

    /** GELU's vector-Jacobian product g·(Φ(x) + x φ(x)), one fused op (x and g of one shape). */
    static Tensor geluGrad(Tensor x, Tensor g) {
        Tensor xf = x.floating();
        return apply(new Op.GeluGrad(), xf.shape, xf, g.to(xf.dtype()));
    }

    /** GELU, tanh approximation: 0.5 x (1 + tanh(√(2/π) (x + 0.044715 x³))). */
    public Tensor geluTanh() {
        Tensor inner = add(pow(3).mul(0.044715)).mul(Math.sqrt(2 / Math.PI));
        return mul(inner.tanh().add(1)).mul(0.5);
    }

    /** x for x > 0, else {@code slope} · x. */
    public Tensor leakyRelu(double slope) {
        return where(gt(0), this, mul(slope));
    }

    /** x for x > 0, else α (e^x - 1). */
    public Tensor elu(double alpha) {
        return where(gt(0), this, minimum(scalar(0)).expm1().mul(alpha));
    }

    /** Each value to the power {@code exponent}. */
    public Tensor pow(double exponent) {
        return math(new Op.Pow(exponent));
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

    private Tensor compare(int code, Tensor other) {
        String name = Kernels.COMPARISONS[code];
        return Kernels.compare(code, this, other, Shape.broadcast(name, shape, other.shape));
    }

    /** this > other as a bool mask (a constant). */
    public Tensor gt(Tensor other) {
        return compare(0, other);
    }

    public Tensor lt(Tensor other) {
        return compare(1, other);
    }

    public Tensor ge(Tensor other) {
        return compare(2, other);
    }

    public Tensor le(Tensor other) {
        return compare(3, other);
    }

    public Tensor eq(Tensor other) {
        return compare(4, other);
    }

    public Tensor ne(Tensor other) {
        return compare(5, other);
    }

    public Tensor gt(double c) {
        return gt(number(c));
    }

    public Tensor lt(double c) {
        return lt(number(c));
    }

    public Tensor ge(double c) {
        return ge(number(c));
    }

    public Tensor le(double c) {
        return le(number(c));
    }

    public Tensor eq(double c) {
        return eq(number(c));
    }

    public Tensor ne(double c) {
        return ne(number(c));
    }

    /** Elementwise and of two masks (nonzero counts as true). */
    public Tensor logicalAnd(Tensor other) {
        return compare(6, other);
    }

    public Tensor logicalOr(Tensor other) {
        return compare(7, other);
    }

    public Tensor logicalXor(Tensor other) {
        return compare(8, other);
    }

    public Tensor logicalNot() {
        return eq(0);
    }

    /** max(x, 0); one fused op for floats (NaN stays NaN), a where for integers. The gradient at 0 is 0, as PyTorch's. */
    public Tensor relu() {
        return dtype.isFloatingPoint() ? apply(new Op.Relu(), shape, this) : where(gt(0), this, number(0));
    }

    /** ReLU's vector-Jacobian product g·[x &gt; 0], one fused op (x and g of one shape). */
    static Tensor reluGrad(Tensor x, Tensor g) {
        return apply(new Op.ReluGrad(), x.shape, x, g.to(x.dtype()));
    }

    public Tensor abs() {
        return where(ge(0), this, neg());
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
        return maximum(number(min)).minimum(number(max));
    }

    /** log(1 + e^x), computed without overflow: max(x, 0) + log(1 + e^-|x|). */
    public Tensor softplus() {
        return relu().add(abs().neg().exp().add(1).log());
    }

    // ---- reductions

    private int[] allDims() {
        int[] all = new int[shape.length];
        for (int i = 0; i < all.length; i++) all[i] = i;
        return all;
    }

    /** The sum of all values, as a 0-d tensor (int64 for integers and bools). */
    public Tensor sum() {
        return sum(allDims(), false);
    }

    /** Sums over {@code dims} (negative counts from the end). */
    public Tensor sum(int[] dims, boolean keepDim) {
        int[] ds = Arrays.stream(dims).map(d -> Shape.normalizeDim("sum", d, shape.length)).distinct().sorted().toArray();
        return apply(new Op.Sum(ds, keepDim), reduced(ds, keepDim), this);
    }

    public Tensor sum(int dim, boolean keepDim) {
        return sum(new int[] {dim}, keepDim);
    }

    private int[] reduced(int[] sortedDims, boolean keepDim) {
        int[] out = keepDim ? shape.clone() : new int[shape.length - sortedDims.length];
        if (keepDim) {
            for (int d : sortedDims) out[d] = 1;
        } else {
            for (int i = 0, j = 0; i < shape.length; i++) if (Arrays.binarySearch(sortedDims, i) < 0) out[j++] = shape[i];
        }
        return out;
    }

    private Tensor requireFloat(String op) {
        if (!dtype.isFloatingPoint()) {
            throw new IllegalArgumentException(op + ": a " + dtype.pythonName() + " tensor; convert it with to(DType.FLOAT64) first");
        }
        return this;
    }

    public Tensor mean() {
        return requireFloat("mean").sum().div(numel());
    }

    /** Mean over {@code dim}. */
    public Tensor mean(int dim, boolean keepDim) {
        int d = Shape.normalizeDim("mean", dim, shape.length);
        return requireFloat("mean").sum(d, keepDim).div(shape[d]);
    }

    /** Mean over {@code dims}. */
    public Tensor mean(int[] dims, boolean keepDim) {
        int count = 1;
        for (int d : Arrays.stream(dims).map(d -> Shape.normalizeDim("mean", d, shape.length)).distinct().toArray()) count *= shape[d];
        return requireFloat("mean").sum(dims, keepDim).div(count);
    }

    /** The product along {@code dim}; its gradient is right at zeros too. */
    public Tensor prod(int dim, boolean keepDim) {
        int d = Shape.normalizeDim("prod", dim, shape.length);
        Tensor p = apply(new Op.Prod(d), reduced(new int[] {d}, true), this);
        return keepDim ? p : p.squeeze(d);
    }

    /** The product of all values. */
    public Tensor prod() {
        return reshape(-1).prod(0, false);
    }

    /** Running sums along {@code dim}. */
    public Tensor cumsum(int dim) {
        int d = Shape.normalizeDim("cumsum", dim, shape.length);
        return apply(new Op.Cumsum(d), shape.clone(), this);
    }

    /** The largest value along {@code dim}; its gradient goes to the first place it occurs, as PyTorch's max. */
    public Tensor max(int dim, boolean keepDim) {
        return extreme("max", dim, keepDim, true);
    }

    /** The smallest value along {@code dim}. */
    public Tensor min(int dim, boolean keepDim) {
        return extreme("min", dim, keepDim, false);
    }

    /** The largest value, as a 0-d tensor. */
    public Tensor max() {
        return reshape(-1).max(0, false);
    }

    public Tensor min() {
        return reshape(-1).min(0, false);
    }

    private Tensor extreme(String op, int dim, boolean keepDim, boolean max) {
        int d = Shape.normalizeDim(op, dim, shape.length);
        Tensor[] vi = Kernels.extreme(this, d, max);
        Tensor values = vi[0];
        if (requiresGrad && GradMode.enabled()) { // select the winner with a mask, so the gradient reaches it
            int[] along = new int[shape.length];
            Arrays.fill(along, 1);
            along[d] = shape[d];
            Tensor hit = arange(shape[d]).reshape(along).eq(vi[1]);
            values = where(hit, this, number(0)).sum(d, true);
        }
        return keepDim ? values : values.squeeze(d);
    }

    /** The index (int64) of the first largest value along {@code dim}. */
    public Tensor argmax(int dim, boolean keepDim) {
        int d = Shape.normalizeDim("argmax", dim, shape.length);
        Tensor i = Kernels.extreme(this, d, true)[1];
        return keepDim ? i : i.squeeze(d);
    }

    public Tensor argmin(int dim, boolean keepDim) {
        int d = Shape.normalizeDim("argmin", dim, shape.length);
        Tensor i = Kernels.extreme(this, d, false)[1];
        return keepDim ? i : i.squeeze(d);
    }

    /** The row-major index of the largest value. */
    public Tensor argmax() {
        return reshape(-1).argmax(0, false);
    }

    public Tensor argmin() {
        return reshape(-1).argmin(0, false);
    }

    /** log(sum(exp(x))) along {@code dim}, shifted by the (constant) maximum so large values do not overflow. */
    public Tensor logsumexp(int dim, boolean keepDim) {
        int d = Shape.normalizeDim("logsumexp", dim, shape.length);
        Tensor m = Kernels.extreme(requireFloat("logsumexp"), d, true)[0];
        Tensor finiteM = where(m.abs().lt(Double.POSITIVE_INFINITY), m, scalar(0)); // all -inf: no shift
        Tensor out = sub(finiteM).exp().sum(d, true).log().add(finiteM);
        return keepDim ? out : out.squeeze(d);
    }

    /** exp(x) / sum(exp(x)) along {@code dim}. */
    public Tensor softmax(int dim) {
        return sub(logsumexp(dim, true)).exp();
    }

    /** x - logsumexp(x) along {@code dim}. */
    public Tensor logSoftmax(int dim) {
        return sub(logsumexp(dim, true));
    }

    /** The largest values along {@code dim}; ties share the gradient equally (as PyTorch's amax). */
    public Tensor amax(int dim, boolean keepDim) {
        int d = Shape.normalizeDim("amax", dim, shape.length);
        Tensor mask = eq(Kernels.extreme(this, d, true)[0]);
        Tensor out = where(mask, this, number(0)).sum(d, true).div(mask.sum(d, true));
        return keepDim ? out : out.squeeze(d);
    }

    /** The smallest values along {@code dim}; ties share the gradient. */
    public Tensor amin(int dim, boolean keepDim) {
        return neg().amax(dim, keepDim).neg();
    }

    /** Variance over {@code dim}, with Bessel's correction when {@code unbiased} (PyTorch's default). */
    public Tensor var(int dim, boolean keepDim, boolean unbiased) {
        int d = Shape.normalizeDim("var", dim, shape.length);
        Tensor centred = sub(mean(d, true));
        return centred.pow(2).sum(d, keepDim).div(shape[d] - (unbiased ? 1 : 0));
    }

    /** Variance of all values (unbiased). */
    public Tensor var() {
        return reshape(-1).var(0, false, true);
    }

    /** Standard deviation over {@code dim}. */
    public Tensor std(int dim, boolean keepDim, boolean unbiased) {
        return var(dim, keepDim, unbiased).sqrt();
    }

    /** Standard deviation of all values (unbiased). */
    public Tensor std() {
        return var().sqrt();
    }

    /** The Euclidean norm of all values. */
    public Tensor norm() {
        return pow(2).sum().sqrt();
    }

    /** The Euclidean norm along {@code dim}. */
    public Tensor norm(int dim, boolean keepDim) {
        return pow(2).sum(dim, keepDim).sqrt();
    }

    // ---- shape and views

    /** Broadcast to {@code shape} (a view). */
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
        var dims = new ArrayList<Integer>();
        for (int i = 0; i < shape.length; i++) {
            if (i < lead || (target[i - lead] == 1 && shape[i] != 1)) dims.add(i);
        }
        Tensor s = sum(dims.stream().mapToInt(Integer::intValue).toArray(), true);
        return s.reshape(target);
    }

    /** The same values in another shape (one dim may be -1); a view when this is contiguous. */
    public Tensor reshape(int... target) {
        int[] t = target.clone();
        int infer = -1, known = 1, n = numel();
        for (int i = 0; i < t.length; i++) {
            if (t[i] == -1) {
                if (infer >= 0) throw new IllegalArgumentException("reshape: only one dim can be -1 in " + Shape.str(target));
                infer = i;
            } else if (t[i] < 0) {
                throw new IllegalArgumentException("reshape: negative size " + t[i] + " in " + Shape.str(target));
            } else {
                known *= t[i];
            }
        }
        if (infer >= 0 && known != 0) t[infer] = n / known;
        if (Shape.size(t) != n) {
            throw new IllegalArgumentException("reshape: " + Shape.str(shape) + " (" + n + " values) cannot become " + Shape.str(target));
        }
        return Arrays.equals(shape, t) ? this : apply(new Op.Reshape(t), t, this);
    }

    /** A reshaped view; fails when this is not contiguous (use {@link #reshape}, which copies then). */
    public Tensor view(int... target) {
        Tensor r = reshape(target);
        if (r.storage != storage) {
            throw new IllegalStateException("view: the tensor of shape " + Shape.str(shape) + " with strides "
                    + Shape.str(strides) + " cannot be viewed as " + Shape.str(target) + "; use reshape(...), which copies");
        }
        return r;
    }

    /** All dims in one. */
    public Tensor flatten() {
        return reshape(-1);
    }

    /** Dims {@code start..end} (inclusive) merged into one. */
    public Tensor flatten(int start, int end) {
        int s = Shape.normalizeDim("flatten", start, shape.length), e = Shape.normalizeDim("flatten", end, shape.length);
        if (s > e) throw new IllegalArgumentException("flatten: start dim " + start + " is after end dim " + end);
        int[] out = new int[shape.length - (e - s)];
        for (int i = 0, j = 0; i < shape.length; i++) {
            if (i <= s || i > e) out[j++] = shape[i];
            else out[j - 1] *= shape[i];
        }
        return reshape(out);
    }

    /** Drops every dim of size 1. */
    public Tensor squeeze() {
        return reshape(Arrays.stream(shape).filter(d -> d != 1).toArray());
    }

    /** Drops {@code dim} if its size is 1. */
    public Tensor squeeze(int dim) {
        int d = Shape.normalizeDim("squeeze", dim, shape.length);
        if (shape[d] != 1) return this;
        int[] out = new int[shape.length - 1];
        for (int i = 0, j = 0; i < shape.length; i++) if (i != d) out[j++] = shape[i];
        return reshape(out);
    }

    /** Inserts a dim of size 1 at {@code dim}. */
    public Tensor unsqueeze(int dim) {
        int d = Shape.normalizeDim("unsqueeze", dim, shape.length + 1);
        int[] out = new int[shape.length + 1];
        for (int i = 0, j = 0; i < out.length; i++) out[i] = i == d ? 1 : shape[j++];
        return reshape(out);
    }

    /** Dims reordered: dim i of the result is dim {@code dims[i]} of this (a view). */
    public Tensor permute(int... dims) {
        if (dims.length != shape.length) {
            throw new IllegalArgumentException("permute: " + dims.length + " dims for a tensor of shape " + Shape.str(shape));
        }
        int[] perm = new int[dims.length];
        boolean[] seen = new boolean[dims.length];
        boolean identity = true;
        int[] out = new int[dims.length];
        for (int i = 0; i < dims.length; i++) {
            perm[i] = Shape.normalizeDim("permute", dims[i], shape.length);
            if (seen[perm[i]]) throw new IllegalArgumentException("permute: dim " + dims[i] + " repeats in " + Shape.str(dims));
            seen[perm[i]] = true;
            identity &= perm[i] == i;
            out[i] = shape[perm[i]];
        }
        return identity ? this : apply(new Op.Permute(perm), out, this);
    }

    /** Swaps two dims (a view). */
    public Tensor transpose(int dim0, int dim1) {
        int a = Shape.normalizeDim("transpose", dim0, shape.length), b = Shape.normalizeDim("transpose", dim1, shape.length);
        int[] perm = allDims();
        perm[a] = b;
        perm[b] = a;
        return permute(perm);
    }

    /** Swaps the last two dims (a view). */
    public Tensor transpose() {
        if (shape.length < 2) throw new IllegalArgumentException("transpose: needs 2 or more dims, got " + Shape.str(shape));
        return transpose(-2, -1);
    }

    /** Elements {@code start .. start+length-1} along {@code dim} (a view). */
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

    /** Elements {@code start} (inclusive) to {@code end} (exclusive) along {@code dim}; negative counts from the end. */
    public Tensor slice(int dim, int start, int end) {
        int d = Shape.normalizeDim("slice", dim, shape.length);
        int s = Math.clamp(start < 0 ? start + shape[d] : start, 0, shape[d]);
        int e = Math.clamp(end < 0 ? end + shape[d] : end, s, shape[d]);
        return narrow(d, s, e - s);
    }

    /** The slice at {@code index} along {@code dim}, without that dim (a view). */
    public Tensor select(int dim, int index) {
        int d = Shape.normalizeDim("select", dim, shape.length);
        int i = index < 0 ? index + shape[d] : index;
        if (i < 0 || i >= shape[d]) {
            throw new IndexOutOfBoundsException("select: index " + index + " is out of range for dim " + dim + " of " + Shape.str(shape));
        }
        return narrow(d, i, 1).squeeze(d);
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
        if (tensors.isEmpty()) throw new IllegalArgumentException("stack: no tensors");
        int d = Shape.normalizeDim("stack", dim, tensors.getFirst().shape.length + 1);
        return cat(tensors.stream().map(t -> t.unsqueeze(d)).toList(), d);
    }

    /** Pieces of {@code size} along {@code dim} (the last may be smaller), as views. */
    public List<Tensor> split(int size, int dim) {
        int d = Shape.normalizeDim("split", dim, shape.length);
        if (size <= 0) throw new IllegalArgumentException("split: size " + size + " must be positive");
        var parts = new ArrayList<Tensor>();
        for (int start = 0; start < shape[d]; start += size) parts.add(narrow(d, start, Math.min(size, shape[d] - start)));
        return parts;
    }

    /** {@code chunks} nearly equal pieces along {@code dim}, as PyTorch's chunk. */
    public List<Tensor> chunk(int chunks, int dim) {
        int d = Shape.normalizeDim("chunk", dim, shape.length);
        return split(Math.max(1, (shape[d] + chunks - 1) / chunks), d);
    }

    // ---- products

    /**
     * Matrix product as PyTorch's matmul: 1-D · 1-D is a dot product, a 1-D side is a vector, and leading
     * dims of 3-D and higher operands are batch dims that broadcast.
     */
    public Tensor matmul(Tensor other) {
        int ra = shape.length, rb = other.shape.length;
        if (ra == 0 || rb == 0) {
            throw new IllegalArgumentException("matmul: " + Shape.str(shape) + " @ " + Shape.str(other.shape) + ": both sides need at least 1 dim");
        }
        if (ra == 1 && rb == 1) return unsqueeze(0).matmul(other.unsqueeze(1)).reshape();
        if (rb == 1) return matmul(other.unsqueeze(1)).squeeze(-1);
        if (ra == 1) return unsqueeze(0).matmul(other).squeeze(-2);
        int k = shape[ra - 1], k2 = other.shape[rb - 2];
        if (k != k2) {
            throw new IllegalArgumentException("matmul: " + Shape.str(shape) + " @ " + Shape.str(other.shape)
                    + ": inner sizes " + k + " and " + k2 + " differ");
        }
        if (!dtype.isFloatingPoint() || !other.dtype.isFloatingPoint()) {
            throw new IllegalArgumentException("matmul: " + dtype.pythonName() + " @ " + other.dtype.pythonName()
                    + ": both sides must be float; convert with to(DType.FLOAT64)");
        }
        int[] batch = Shape.broadcast("matmul", Arrays.copyOf(shape, ra - 2), Arrays.copyOf(other.shape, rb - 2));
        int[] sa = Arrays.copyOf(batch, batch.length + 2), sb = sa.clone(), out = sa.clone();
        sa[batch.length] = shape[ra - 2];
        sa[batch.length + 1] = k;
        sb[batch.length] = k;
        sb[batch.length + 1] = other.shape[rb - 1];
        out[batch.length] = shape[ra - 2];
        out[batch.length + 1] = other.shape[rb - 1];
        return apply(new Op.MatMul(), out, expand(sa), other.expand(sb));
    }

    /** 2-D matrix product. */
    public Tensor mm(Tensor other) {
        if (shape.length != 2 || other.shape.length != 2) {
            throw new IllegalArgumentException("mm: " + Shape.str(shape) + " @ " + Shape.str(other.shape) + ": both must be 2-D");
        }
        return matmul(other);
    }

    /** Batched matrix product of [b, n, k] and [b, k, m]. */
    public Tensor bmm(Tensor other) {
        if (shape.length != 3 || other.shape.length != 3 || shape[0] != other.shape[0]) {
            throw new IllegalArgumentException("bmm: " + Shape.str(shape) + " @ " + Shape.str(other.shape)
                    + ": both must be 3-D with the same batch size");
        }
        return matmul(other);
    }

    /** Dot product of two 1-D tensors. */
    public Tensor dot(Tensor other) {
        if (shape.length != 1 || other.shape.length != 1 || shape[0] != other.shape[0]) {
            throw new IllegalArgumentException("dot: " + Shape.str(shape) + " · " + Shape.str(other.shape) + ": need two 1-D tensors of one size");
        }
        return matmul(other);
    }

    /** The slices at {@code index} (int64 or int32) along {@code dim}; see {@link Indexing#indexSelect}. */
    public Tensor indexSelect(int dim, Tensor index) {
        return Indexing.indexSelect(this, dim, index);
    }

    /** {@code out[i][j] = this[index[i][j]][j]} for dim 0, and so on; see {@link Indexing#gather}. */
    public Tensor gather(int dim, Tensor index) {
        return Indexing.gather(this, dim, index);
    }

    /** A copy with {@code value} where {@code mask} (bool, broadcast) is true; see {@link Indexing#maskedFill}. */
    public Tensor maskedFill(Tensor mask, double value) {
        return Indexing.maskedFill(this, mask, value);
    }

    /** A copy with {@code src} added at {@code index} along {@code dim} (duplicates sum); see {@link Scatter#scatterAdd}. */
    public Tensor scatterAdd(int dim, Tensor index, Tensor src) {
        return Scatter.scatterAdd(this, dim, index, src);
    }

    /** Einstein summation, e.g. {@code einsum("bij,bjk->bik", a, b)}; see {@link Einsum}. */
    public static Tensor einsum(String equation, Tensor... operands) {
        return Einsum.evaluate(equation, operands);
    }

    /** {@code function} applied to inputs, recorded so that its own backward gives the gradient. */
    public static Tensor apply(CustomFunction function, Tensor... inputs) {
        int[][] shapes = new int[inputs.length][];
        for (int i = 0; i < inputs.length; i++) shapes[i] = inputs[i].shape.clone();
        return apply(new Op.Custom(function), function.shape(shapes), inputs);
    }

    // ---- in place

    /**
     * Writes {@code value} (broadcast to this shape, converted to this dtype) into this tensor's storage.
     * Allowed only where no gradient can be corrupted: not on a tensor that records gradients while recording
     * is on; the version bump makes a later backward that needs the old values fail.
     */
    private Tensor assign(String op, Tensor value) {
        checkWritable(op);
        if (!Arrays.equals(Shape.broadcast(op, shape, value.shape), shape)) {
            throw new IllegalArgumentException(op + ": the result has shape " + Shape.str(Shape.broadcast(op, shape, value.shape))
                    + ", the tensor " + Shape.str(shape) + " (in-place ops cannot change the shape)");
        }
        if (value.dtype.isFloatingPoint() && !dtype.isFloatingPoint()) {
            throw new IllegalArgumentException(op + ": a " + value.dtype.pythonName() + " result cannot be stored in a "
                    + dtype.pythonName() + " tensor");
        }
        for (int d = 0; d < shape.length; d++) {
            if (strides[d] == 0 && shape[d] > 1) {
                throw new IllegalArgumentException(op + ": the tensor is an expanded view (several elements share memory); use contiguous() first");
            }
        }
        Object src = Kernels.dense(Kernels.expandView(value, shape), dtype);
        Kernels.scatter(src, this);
        storage.version++;
        return this;
    }

    private void checkWritable(String op) {
        if (requiresGrad && GradMode.enabled()) {
            throw new IllegalStateException(op + ": this tensor " + (node == null ? "requires grad" : "is part of a recorded graph")
                    + "; do in-place updates inside GradMode.noGrad(), or use the out-of-place " + op.substring(0, op.length() - 1));
        }
    }

    /** add_/sub_/mul_/div_: straight into the storage when both sides are plain float arrays (optimizer steps). */
    private Tensor arithmetic_(String op, int code, Tensor other, java.util.function.Supplier<Tensor> general) {
        boolean plain = dtype.isFloatingPoint() && contiguous && offset == 0 && storage.length == numel;
        boolean fits = other.numel == 1 && other.shape.length <= shape.length ? other.dtype.isFloatingPoint() || other.shape.length == 0
                : other.dtype == dtype && Arrays.equals(other.shape, shape);
        if (!plain || !fits) return inPlace(op, general);
        checkWritable(op);
        Kernels.inPlace(code, this, other);
        storage.version++;
        return this;
    }

    private Tensor inPlace(String op, java.util.function.Supplier<Tensor> value) {
        Tensor v;
        try (var off = GradMode.noGrad()) {
            v = value.get();
        }
        return assign(op, v);
    }

    public Tensor add_(Tensor other) {
        return arithmetic_("add_", Kernels.ADD, other, () -> detach().add(other.detach()));
    }

    /** this += alpha · other. */
    public Tensor add_(Tensor other, double alpha) {
        return add_(other.detach().mul(alpha));
    }

    public Tensor add_(double c) {
        return arithmetic_("add_", Kernels.ADD, number(c), () -> detach().add(c));
    }

    public Tensor sub_(Tensor other) {
        return arithmetic_("sub_", Kernels.SUB, other, () -> detach().sub(other.detach()));
    }

    /** this -= alpha · other. */
    public Tensor sub_(Tensor other, double alpha) {
        return sub_(other.detach().mul(alpha));
    }

    public Tensor sub_(double c) {
        return arithmetic_("sub_", Kernels.SUB, number(c), () -> detach().sub(c));
    }

    public Tensor mul_(Tensor other) {
        return arithmetic_("mul_", Kernels.MUL, other, () -> detach().mul(other.detach()));
    }

    public Tensor mul_(double c) {
        return arithmetic_("mul_", Kernels.MUL, number(c), () -> detach().mul(c));
    }

    public Tensor div_(Tensor other) {
        return arithmetic_("div_", Kernels.DIV, other, () -> detach().div(other.detach()));
    }

    public Tensor div_(double c) {
        return arithmetic_("div_", Kernels.DIV, number(c), () -> detach().div(c));
    }

    public Tensor clamp_(double min, double max) {
        return inPlace("clamp_", () -> detach().clamp(min, max));
    }

    /** Copies {@code source}'s values (broadcast) into this tensor. */
    public Tensor copy_(Tensor source) {
        return inPlace("copy_", source::detach);
    }

    public Tensor fill_(double value) {
        return inPlace("fill_", () -> number(value));
    }

    public Tensor zero_() {
        return fill_(0);
    }

    // ---- autodiff

    /** Backpropagates from this scalar, accumulating into the {@code grad()} of every leaf that requires it. */
    public void backward() {
        if (numel() != 1) {
            throw new IllegalStateException("backward: the tensor has shape " + Shape.str(shape)
                    + "; call backward(gradient) or reduce it to a scalar first");
        }
        backward(onesLike(this), false, false);
    }

    /** Backpropagates {@code gradient} (the gradient of some scalar with respect to this tensor). */
    public void backward(Tensor gradient, boolean retainGraph, boolean createGraph) {
        Autograd.backward(this, gradient, retainGraph, createGraph);
    }

    private static Tensor apply(Op op, int[] outShape, Tensor... inputs) {
        Tensor out = Kernels.forward(op, inputs, outShape);
        if (GradMode.enabled()) {
            for (Tensor t : inputs) {
                if (t.requiresGrad) {
                    out.requiresGrad = true;
                    out.node = new Node(op, inputs, out);
                    break;
                }
            }
        }
        return out;
    }

    // ---- printing

    @Override
    public String toString() {
        return TensorFormat.format(this);
    }
}
