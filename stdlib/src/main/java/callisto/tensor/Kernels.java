package callisto.tensor;

import static callisto.tensor.DType.BOOL;
import static callisto.tensor.DType.FLOAT32;
import static callisto.tensor.DType.FLOAT64;
import static callisto.tensor.DType.INT64;

import java.util.function.DoubleUnaryOperator;

/**
 * Forward computation of each primitive. Kernels read any layout (views, broadcasts) and write fresh
 * contiguous results; movement primitives return views. Hot layouts (same shape, scalar, a trailing-dims
 * bias) run straight loops over the arrays; anything else is first gathered into row-major order.
 */
final class Kernels {
    static final int ADD = 0, SUB = 1, MUL = 2, DIV = 3;

    private Kernels() {
    }

    static Tensor forward(Op op, Tensor[] in, int[] shape) {
        return switch (op) {
            case Op.Add a -> binary(ADD, in[0], in[1], shape);
            case Op.Sub s -> binary(SUB, in[0], in[1], shape);
            case Op.Mul m -> binary(MUL, in[0], in[1], shape);
            case Op.Div d -> binary(DIV, in[0], in[1], shape);
            case Op.Neg n -> unary(Simd.NEG, in[0]);
            case Op.Exp e -> unary(Simd.EXP, in[0]);
            case Op.Log l -> unary(Simd.LOG, in[0]);
            case Op.Sin s -> unary(Simd.SIN, in[0]);
            case Op.Cos c -> unary(Simd.COS, in[0]);
            case Op.Tanh t -> unary(Simd.TANH, in[0]);
            case Op.Sqrt s -> unary(Simd.SQRT, in[0]);
            case Op.Log1p l -> unary(Simd.LOG1P, in[0]);
            case Op.Expm1 e -> unary(Simd.EXPM1, in[0]);
            case Op.Erf e -> erf(in[0]);
            case Op.Gelu u -> gelu(in[0]);
            case Op.GeluGrad u -> geluGrad(in[0], in[1]);
            case Op.Relu u -> relu(in[0]);
            case Op.ReluGrad u -> reluGrad(in[0], in[1]);
            case Op.Pow p -> pow(in[0], p.exponent());
            case Op.Sum s -> sum(in[0], s.dims(), shape);
            case Op.Prod p -> prod(in[0], p.dim());
            case Op.Cumsum c -> cumsum(in[0], c.dim());
            case Op.Expand e -> expandView(in[0], e.shape());
            case Op.Reshape r -> reshape(in[0], r.shape());
            case Op.Permute p -> permute(in[0], p.perm());
            case Op.Narrow n -> narrow(in[0], n.dim(), n.start(), n.length());
            case Op.Pad p -> pad(in[0], p.dim(), p.before(), p.size());
            case Op.MatMul m -> matmul(in[0], in[1], shape);
            case Op.Where w -> where(in[0], in[1], in[2], shape);
            case Op.Cast c -> Tensor.wrap(c.dtype(), copy(in[0], c.dtype()), in[0].shape);
            case Op.Custom c -> custom(c.function(), in, shape);
        };
    }

    // ---- layout

    /**
     * The values of {@code t} in row-major order as an array of {@code to}: its own storage when that already
     * is exactly this (so callers must not write to it), else a copy.
     */
    static Object dense(Tensor t, DType to) {
        if (t.dtype == to && t.offset == 0 && t.storage.length == t.numel() && t.isContiguous()) return t.storage.array;
        return copy(t, to);
    }

    /** A fresh row-major array of {@code t}'s values converted to {@code to}. */
    static Object copy(Tensor t, DType to) {
        Object out = Storage.allocate(to, t.numel());
        copyInto(t, out, to, 0);
        return out;
    }

    static double[] denseDouble(Tensor t) {
        return (double[]) dense(t, FLOAT64);
    }

    /** Writes t's values row-major into {@code out} (of dtype {@code to}) from index {@code at}. */
    static void copyInto(Tensor t, Object out, DType to, int at) {
        int n = t.numel();
        if (n == 0) return;
        Object src = t.storage.array;
        DType from = t.dtype;
        if (t.isContiguous()) {
            if (from == to) System.arraycopy(src, t.offset, out, at, n);
            else convert(src, from, t.offset, out, to, at, n);
            return;
        }
        int[] shape = t.shape, strides = t.strides;
        int last = shape.length - 1, len = shape[last], st = strides[last];
        int[] idx = new int[shape.length];
        int s = t.offset;
        for (int i = at; i < at + n; i += len) {
            if (from == to && to == FLOAT64) {
                double[] a = (double[]) src, o = (double[]) out;
                for (int j = 0; j < len; j++) o[i + j] = a[s + j * st];
            } else if (from == to && to == FLOAT32) {
                float[] a = (float[]) src, o = (float[]) out;
                for (int j = 0; j < len; j++) o[i + j] = a[s + j * st];
            } else {
                for (int j = 0; j < len; j++) Storage.set(out, to, i + j, src, from, s + j * st);
            }
            for (int d = last - 1; d >= 0; d--) { // odometer over the outer dims
                if (++idx[d] < shape[d]) {
                    s += strides[d];
                    break;
                }
                s -= strides[d] * (shape[d] - 1);
                idx[d] = 0;
            }
        }
    }

    /** Writes row-major {@code src} (of t's dtype) into t's storage, following its strides: copyInto's inverse. */
    static void scatter(Object src, Tensor t) {
        int n = t.numel();
        if (n == 0) return;
        Object dst = t.storage.array;
        if (t.isContiguous()) {
            System.arraycopy(src, 0, dst, t.offset, n);
            return;
        }
        int[] shape = t.shape, strides = t.strides;
        int last = shape.length - 1, len = shape[last], st = strides[last];
        int[] idx = new int[shape.length];
        int s = t.offset;
        for (int i = 0; i < n; i += len) {
            for (int j = 0; j < len; j++) Storage.set(dst, t.dtype, s + j * st, src, t.dtype, i + j);
            for (int d = last - 1; d >= 0; d--) {
                if (++idx[d] < shape[d]) {
                    s += strides[d];
                    break;
                }
                s -= strides[d] * (shape[d] - 1);
                idx[d] = 0;
            }
        }
    }

    private static void convert(Object src, DType from, int so, Object dst, DType to, int d0, int n) {
        if (from == FLOAT32 && to == FLOAT64) {
            float[] a = (float[]) src;
            double[] o = (double[]) dst;
            for (int i = 0; i < n; i++) o[d0 + i] = a[so + i];
        } else if (from == FLOAT64 && to == FLOAT32) {
            double[] a = (double[]) src;
            float[] o = (float[]) dst;
            for (int i = 0; i < n; i++) o[d0 + i] = (float) a[so + i];
        } else {
            for (int i = 0; i < n; i++) Storage.set(dst, to, d0 + i, src, from, so + i);
        }
    }

    /** A view of {@code t} broadcast to {@code shape}: stride 0 where it is repeated. */
    static Tensor expandView(Tensor t, int[] shape) {
        int lead = shape.length - t.shape.length;
        int[] strides = new int[shape.length];
        for (int i = lead; i < shape.length; i++) {
            strides[i] = t.shape[i - lead] == 1 && shape[i] != 1 ? 0 : t.strides[i - lead];
        }
        return new Tensor(t.dtype, t.storage, t.offset, shape, strides);
    }

    private static Tensor reshape(Tensor t, int[] shape) {
        int[] strides = Shape.viewStrides(t.shape, t.strides, shape);
        return strides != null ? new Tensor(t.dtype, t.storage, t.offset, shape, strides)
                : Tensor.wrap(t.dtype, copy(t, t.dtype), shape);
    }

    private static Tensor permute(Tensor t, int[] perm) {
        int[] shape = new int[perm.length], strides = new int[perm.length];
        for (int i = 0; i < perm.length; i++) {
            shape[i] = t.shape[perm[i]];
            strides[i] = t.strides[perm[i]];
        }
        return new Tensor(t.dtype, t.storage, t.offset, shape, strides);
    }

    private static Tensor narrow(Tensor t, int dim, int start, int length) {
        int[] shape = t.shape.clone();
        shape[dim] = length;
        return new Tensor(t.dtype, t.storage, t.offset + start * t.strides[dim], shape, t.strides);
    }

    /** The number of blocks before {@code dim}: the product of the sizes in front of it. */
    static int outer(int[] shape, int dim) {
        int n = 1;
        for (int i = 0; i < dim; i++) n *= shape[i];
        return n;
    }

    /** The contiguous run after {@code dim}: the product of the sizes behind it. */
    static int inner(int[] shape, int dim) {
        int n = 1;
        for (int i = dim + 1; i < shape.length; i++) n *= shape[i];
        return n;
    }

    private static Tensor pad(Tensor a, int dim, int before, int size) {
        int outer = outer(a.shape, dim), inner = inner(a.shape, dim), n = a.shape[dim];
        int[] shape = a.shape.clone();
        shape[dim] = size;
        Object x = dense(a, a.dtype), out = Storage.allocate(a.dtype, outer * size * inner);
        int block = n * inner;
        if (block == 1 && x instanceof float[] xf) { // one value per row: a strided store
            float[] of = (float[]) out;
            for (int o = 0, dst = before * inner; o < outer; o++, dst += size * inner) of[dst] = xf[o];
        } else if (block == 1 && x instanceof double[] xd) {
            double[] od = (double[]) out;
            for (int o = 0, dst = before * inner; o < outer; o++, dst += size * inner) od[dst] = xd[o];
        } else if (block < 16 && x instanceof float[] xf) { // short blocks (stacking re and im): a call per block costs more than the copy
            float[] of = (float[]) out;
            for (int o = 0; o < outer; o++) for (int k = 0, src = o * block, dst = (o * size + before) * inner; k < block; k++) of[dst + k] = xf[src + k];
        } else if (block < 16 && x instanceof double[] xd) {
            double[] od = (double[]) out;
            for (int o = 0; o < outer; o++) for (int k = 0, src = o * block, dst = (o * size + before) * inner; k < block; k++) od[dst + k] = xd[src + k];
        } else {
            for (int o = 0; o < outer; o++) System.arraycopy(x, o * block, out, (o * size + before) * inner, block);
        }
        return Tensor.wrap(a.dtype, out, shape);
    }

    // ---- elementwise

    private static Tensor binary(int code, Tensor a, Tensor b, int[] shape) {
        DType dt = Tensor.resultType(a, b);
        if (code == DIV && !dt.isFloatingPoint()) dt = FLOAT64;
        int n = Shape.size(shape), na = a.numel(), nb = b.numel();
        Object out = Storage.allocate(dt, n);
        if (n == 0) return Tensor.wrap(dt, out, shape);
        if (na == n && nb == n) {
            flat(code, dt, dense(a, dt), 0, dense(b, dt), 0, out, 0, n);
        } else if (na == n && nb == 1) {
            scalar(code, dt, dense(a, dt), Storage.getDouble(dense(b, dt), dt, 0), false, out, n);
        } else if (nb == n && na == 1) {
            scalar(code, dt, dense(b, dt), Storage.getDouble(dense(a, dt), dt, 0), true, out, n);
        } else if (na == n && Shape.isSuffix(b.shape, shape)) { // a bias over the trailing dims
            Object x = dense(a, dt), y = dense(b, dt);
            for (int r = 0; r < n; r += nb) flat(code, dt, x, r, y, 0, out, r, nb);
        } else if (nb == n && Shape.isSuffix(a.shape, shape)) {
            Object x = dense(a, dt), y = dense(b, dt);
            for (int r = 0; r < n; r += na) flat(code, dt, x, 0, y, r, out, r, na);
        } else if (na == n && rowBlock(b.shape, shape) >= 16) { // a per-channel bias: [C, 1] over [B, C, N]
            rows(code, dt, dense(a, dt), dense(b, dt), nb, rowBlock(b.shape, shape), false, out, n);
        } else if (nb == n && rowBlock(a.shape, shape) >= 16) { // (shorter runs cost more in calls than a copy)
            rows(code, dt, dense(b, dt), dense(a, dt), na, rowBlock(a.shape, shape), true, out, n);
        } else {
            flat(code, dt, dense(expandView(a, shape), dt), 0, dense(expandView(b, shape), dt), 0, out, 0, n);
        }
        return Tensor.wrap(dt, out, shape);
    }

    /**
     * When {@code small} broadcast to {@code shape} is constant over runs of trailing elements (its trailing
     * dims are 1, the dims before them match {@code shape}'s, any before those are 1 again), the length of those
     * runs; else 0. Then element r of {@code small} (taken cyclically) applies to run r.
     */
    static int rowBlock(int[] small, int[] shape) {
        int r = shape.length, pad = r - small.length;
        if (pad < 0) return 0;
        int k = r;
        while (k > pad && small[k - 1 - pad] == 1) k--;
        int run = 1;
        for (int i = k; i < r; i++) run *= shape[i];
        int i = k - 1;
        while (i >= pad && small[i - pad] == shape[i] && small[i - pad] != 1) i--;
        for (; i >= pad; i--) if (small[i - pad] != 1) return 0;
        return run;
    }

    /** {@code out} = x op (small[r % period] over run r), run length {@code run}; {@code left} puts small first. */
    private static void rows(int code, DType dt, Object x, Object small, int period, int run, boolean left, Object out, int n) {
        for (int r = 0, o = 0; o < n; r++, o += run) {
            double c = Storage.getDouble(small, dt, r % period);
            switch (dt) {
                case FLOAT64 -> Simd.scalar(code, (double[]) x, o, c, left, (double[]) out, o, run);
                case FLOAT32 -> Simd.scalar(code, (float[]) x, o, (float) c, left, (float[]) out, o, run);
                default -> {
                    long k = (long) c;
                    for (int i = o; i < o + run; i++) {
                        long v = Storage.getLong(x, dt, i);
                        setLong(out, dt, i, left ? integer(code, k, v) : integer(code, v, k));
                    }
                }
            }
        }
    }

    private static void flat(int code, DType dt, Object x, int xo, Object y, int yo, Object out, int oo, int n) {
        switch (dt) {
            case FLOAT64 -> Simd.binary(code, (double[]) x, xo, (double[]) y, yo, (double[]) out, oo, n);
            case FLOAT32 -> Simd.binary(code, (float[]) x, xo, (float[]) y, yo, (float[]) out, oo, n);
            default -> {
                for (int i = 0; i < n; i++) {
                    long u = Storage.getLong(x, dt, xo + i), v = Storage.getLong(y, dt, yo + i);
                    setLong(out, dt, oo + i, integer(code, u, v));
                }
            }
        }
    }

    /** x op c elementwise, or c op x when {@code left}. */
    private static void scalar(int code, DType dt, Object x, double c, boolean left, Object out, int n) {
        switch (dt) {
            case FLOAT64 -> Simd.scalar(code, (double[]) x, c, left, (double[]) out, n);
            case FLOAT32 -> Simd.scalar(code, (float[]) x, (float) c, left, (float[]) out, n);
            default -> {
                long k = (long) c;
                for (int i = 0; i < n; i++) {
                    long v = Storage.getLong(x, dt, i);
                    setLong(out, dt, i, left ? integer(code, k, v) : integer(code, v, k));
                }
            }
        }
    }

    /** t op= other, for a plain float t and an other of t's shape and dtype, or one element. */
    static void inPlace(int code, Tensor t, Tensor other) {
        int n = t.numel();
        if (other.numel() == 1) {
            double c = other.item();
            if (t.dtype == FLOAT64) Simd.scalar(code, (double[]) t.storage.array, c, false, (double[]) t.storage.array, n);
            else Simd.scalar(code, (float[]) t.storage.array, (float) c, false, (float[]) t.storage.array, n);
        } else if (t.dtype == FLOAT64) {
            double[] x = (double[]) t.storage.array;
            Simd.binary(code, x, 0, (double[]) dense(other, FLOAT64), 0, x, 0, n);
        } else {
            float[] x = (float[]) t.storage.array;
            Simd.binary(code, x, 0, (float[]) dense(other, FLOAT32), 0, x, 0, n);
        }
    }

    private static long integer(int code, long u, long v) {
        return switch (code) {
            case ADD -> u + v;
            case SUB -> u - v;
            case MUL -> u * v;
            default -> throw new AssertionError("integer division is promoted to float64");
        };
    }

    private static void setLong(Object out, DType dt, int i, long v) {
        if (dt == INT64) ((long[]) out)[i] = v;
        else ((int[]) out)[i] = (int) v;
    }

    private static Tensor unary(int code, Tensor a) {
        DType dt = a.dtype;
        int n = a.numel();
        Object x = dense(a, dt), out = Storage.allocate(dt, n);
        switch (dt) {
            case FLOAT64 -> Simd.unary(code, (double[]) x, (double[]) out, n);
            case FLOAT32 -> Simd.unary(code, (float[]) x, (float[]) out, n);
            default -> { // only neg reaches here: the math functions promote integers first
                for (int i = 0; i < n; i++) setLong(out, dt, i, -Storage.getLong(x, dt, i));
            }
        }
        return Tensor.wrap(dt, out, a.shape);
    }

    private static Tensor map(Tensor a, DoubleUnaryOperator f) {
        int n = a.numel();
        Object out = Storage.allocate(a.dtype, n);
        if (a.dtype == FLOAT32) {
            float[] x = (float[]) dense(a, FLOAT32), o = (float[]) out;
            for (int i = 0; i < n; i++) o[i] = (float) f.applyAsDouble(x[i]);
        } else {
            double[] x = denseDouble(a), o = (double[]) out;
            for (int i = 0; i < n; i++) o[i] = f.applyAsDouble(x[i]);
        }
        return Tensor.wrap(a.dtype, out, a.shape);
    }

    /** GELU elementwise in one pass: float32 vectorized ({@link Simd#gelu}), float64 with {@link #erf(double)}. */
    private static Tensor gelu(Tensor a) {
        int n = a.numel();
        Object out = Storage.allocate(a.dtype, n);
        if (a.dtype == FLOAT32) {
            Simd.gelu((float[]) dense(a, FLOAT32), (float[]) out, n, ERF_TAYLOR_FLOAT, ERFC_EXPONENT);
        } else {
            double[] x = denseDouble(a), o = (double[]) out;
            for (int i = 0; i < n; i++) o[i] = 0.5 * x[i] * (1 + erf(x[i] * SQRT_HALF));
        }
        return Tensor.wrap(a.dtype, out, a.shape);
    }

    /** g·(Φ(x) + x φ(x)) elementwise in one pass, for x and g of one shape and dtype. */
    private static Tensor geluGrad(Tensor x, Tensor g) {
        int n = x.numel();
        Object out = Storage.allocate(x.dtype, n);
        if (x.dtype == FLOAT32) {
            Simd.geluGrad((float[]) dense(x, FLOAT32), (float[]) dense(g, FLOAT32), (float[]) out, n, ERF_TAYLOR_FLOAT, ERFC_EXPONENT);
        } else {
            double[] xs = denseDouble(x), gs = denseDouble(g), o = (double[]) out;
            for (int i = 0; i < n; i++) {
                double v = xs[i];
                o[i] = gs[i] * (0.5 * (1 + erf(v * SQRT_HALF)) + v * Math.exp(-0.5 * v * v) * INV_SQRT_2PI);
            }
        }
        return Tensor.wrap(x.dtype, out, x.shape);
    }

    /** max(x, 0) as Math.max: NaN stays NaN, -0 becomes +0. */
    private static Tensor relu(Tensor a) {
        int n = a.numel();
        Object out = Storage.allocate(a.dtype, n);
        if (a.dtype == FLOAT32) Simd.relu((float[]) dense(a, FLOAT32), (float[]) out, n);
        else Simd.relu((double[]) dense(a, FLOAT64), (double[]) out, n);
        return Tensor.wrap(a.dtype, out, a.shape);
    }

    /** g where x &gt; 0, else 0 (so 0 at x = 0, as PyTorch), for x and g of one shape and dtype. */
    private static Tensor reluGrad(Tensor x, Tensor g) {
        int n = x.numel();
        Object out = Storage.allocate(x.dtype, n);
        if (x.dtype == FLOAT32) Simd.reluGrad((float[]) dense(x, FLOAT32), (float[]) dense(g, FLOAT32), (float[]) out, n);
        else Simd.reluGrad((double[]) dense(x, FLOAT64), (double[]) dense(g, FLOAT64), (double[]) out, n);
        return Tensor.wrap(x.dtype, out, x.shape);
    }

    private static final double INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);
    private static final double SQRT_HALF = Math.sqrt(0.5);

    /** The continued fraction x + (1/2)/(x + 1/(x + (3/2)/(x + …))) with erfc(x) = e^{−x²}/(√π · it); 40 terms are exact for x >= 5. */
    private static double erfcFraction(double x) {
        double f = x;
        for (int k = 40; k >= 1; k--) f = x + (k / 2.0) / f;
        return f;
    }

    /** erf elementwise: float32 vectorized ({@link Simd#erf}), float64 in a loop of its own that inlines {@link #erf(double)}. */
    private static Tensor erf(Tensor a) {
        int n = a.numel();
        Object out = Storage.allocate(a.dtype, n);
        if (a.dtype == FLOAT32) {
            Simd.erf((float[]) dense(a, FLOAT32), (float[]) out, n, ERF_TAYLOR_FLOAT, ERFC_EXPONENT);
        } else {
            double[] x = denseDouble(a), o = (double[]) out;
            for (int i = 0; i < n; i++) o[i] = erf(x[i]);
        }
        return Tensor.wrap(a.dtype, out, a.shape);
    }

    private static Tensor pow(Tensor a, double p) {
        if (p == 2) return binary(MUL, a, a, a.shape);
        if (p == 0.5) return unary(Simd.SQRT, a);
        if (p == 1) return Tensor.wrap(a.dtype, copy(a, a.dtype), a.shape);
        if (p == -1) return binary(DIV, Tensor.scalar(1).to(a.dtype), a, a.shape);
        return map(a, x -> Math.pow(x, p));
    }

    private static Tensor where(Tensor mask, Tensor a, Tensor b, int[] shape) {
        DType dt = Tensor.resultType(a, b);
        int n = Shape.size(shape);
        boolean[] m = (boolean[]) dense(expandView(mask, shape), BOOL);
        Object x = dense(expandView(a, shape), dt), y = dense(expandView(b, shape), dt), out = Storage.allocate(dt, n);
        switch (dt) {
            case FLOAT64 -> {
                double[] p = (double[]) x, q = (double[]) y, o = (double[]) out;
                for (int i = 0; i < n; i++) o[i] = m[i] ? p[i] : q[i];
            }
            case FLOAT32 -> {
                float[] p = (float[]) x, q = (float[]) y, o = (float[]) out;
                for (int i = 0; i < n; i++) o[i] = m[i] ? p[i] : q[i];
            }
            default -> {
                for (int i = 0; i < n; i++) Storage.set(out, dt, i, m[i] ? x : y, dt, i);
            }
        }
        return Tensor.wrap(dt, out, shape);
    }

    static final String[] COMPARISONS = {"gt", "lt", "ge", "le", "eq", "ne", "logicalAnd", "logicalOr", "logicalXor"};

    /** Elementwise comparison or logical op ({@link #COMPARISONS}) of two broadcast tensors, as a bool tensor. */
    static Tensor compare(int code, Tensor a, Tensor b, int[] shape) {
        DType dt = Tensor.resultType(a, b);
        int n = Shape.size(shape);
        Object x = dense(expandView(a, shape), dt), y = dense(expandView(b, shape), dt);
        boolean[] out = new boolean[n];
        boolean floating = dt.isFloatingPoint();
        for (int i = 0; i < n; i++) {
            int order; // -1, 0, 1, or 2 when a NaN makes the pair unordered (IEEE: only ne holds then)
            boolean xs, ys;
            if (floating) {
                double u = Storage.getDouble(x, dt, i), v = Storage.getDouble(y, dt, i);
                order = u < v ? -1 : u > v ? 1 : u == v ? 0 : 2; // -0.0 == 0.0
                xs = u != 0;
                ys = v != 0;
            } else { // longs compared as longs: doubles would merge values above 2^53
                long u = Storage.getLong(x, dt, i), v = Storage.getLong(y, dt, i);
                order = Long.compare(u, v);
                xs = u != 0;
                ys = v != 0;
            }
            out[i] = switch (code) {
                case 0 -> order == 1;
                case 1 -> order == -1;
                case 2 -> order == 1 || order == 0;
                case 3 -> order == -1 || order == 0;
                case 4 -> order == 0;
                case 5 -> order != 0;
                case 6 -> xs && ys;
                case 7 -> xs || ys;
                default -> xs != ys;
            };
        }
        return Tensor.wrap(BOOL, out, shape);
    }

    // ---- reductions

    /** Sums over dims into {@code shape} (the kept or squeezed result; either is the same row-major order). */
    private static Tensor sum(Tensor a, int[] dims, int[] shape) {
        DType dt = a.dtype.isFloatingPoint() ? a.dtype : INT64;
        int n = Shape.size(shape);
        Object out = Storage.allocate(dt, n);
        if (a.numel() == 0) return Tensor.wrap(dt, out, shape);
        boolean block = dims.length > 0 && dims[dims.length - 1] - dims[0] == dims.length - 1;
        if (block && dt.isFloatingPoint()) {
            int outer = outer(a.shape, dims[0]), inner = inner(a.shape, dims[dims.length - 1]);
            int r = a.numel() / outer / inner;
            Object x = dense(a, dt);
            if (dt == FLOAT64) {
                double[] p = (double[]) x, o = (double[]) out;
                if (inner == 1) for (int i = 0; i < outer; i++) o[i] = Simd.sum(p, i * r, r);
                else for (int i = 0; i < outer; i++) for (int k = 0; k < r; k++) Simd.accumulate(p, (i * r + k) * inner, o, i * inner, inner);
            } else {
                float[] p = (float[]) x, o = (float[]) out;
                if (inner == 1) for (int i = 0; i < outer; i++) o[i] = (float) chunkedSum(p, i * r, r);
                else for (int i = 0; i < outer; i++) for (int k = 0; k < r; k++) Simd.accumulate(p, (i * r + k) * inner, o, i * inner, inner);
            }
            return Tensor.wrap(dt, out, shape);
        }
        if (dt.isFloatingPoint() && dims.length > 1) {
            // dims in separate runs (a bias gradient: [B, C, N] over 0 and 2): one fast block sum per run, last run
            // first, instead of visiting every element through an index odometer
            int start = dims.length - 1;
            while (start > 0 && dims[start - 1] == dims[start] - 1) start--;
            int[] run = java.util.Arrays.copyOfRange(dims, start, dims.length), rest = java.util.Arrays.copyOf(dims, start);
            int[] partialShape = a.shape.clone();
            for (int d : run) partialShape[d] = 1;
            Tensor partial = sum(a, run, partialShape);
            int[] restShape = partialShape.clone();
            for (int d : rest) restShape[d] = 1;
            return Tensor.wrap(dt, sum(partial, rest, restShape).storage.array, shape);
        }
        int[] kept = a.shape.clone();
        for (int d : dims) kept[d] = 1;
        int[] so = Shape.broadcastStrides(kept, a.shape);
        Object x = dense(a, a.dtype);
        double[] accD = dt.isFloatingPoint() ? new double[n] : null;
        long[] accL = accD == null ? (long[]) out : null;
        int rank = a.shape.length;
        int[] idx = new int[rank];
        int io = 0;
        for (int i = 0, total = a.numel(); i < total; i++) {
            if (accD != null) accD[io] += Storage.getDouble(x, a.dtype, i);
            else accL[io] += Storage.getLong(x, a.dtype, i);
            for (int d = rank - 1; d >= 0; d--) {
                idx[d]++;
                io += so[d];
                if (idx[d] < a.shape[d]) break;
                io -= so[d] * a.shape[d];
                idx[d] = 0;
            }
        }
        if (accD != null) convert(accD, FLOAT64, 0, out, dt, 0, n);
        return Tensor.wrap(dt, out, shape);
    }

    /** A float sum in float vector blocks, the blocks added in double: cheap, and accurate for long rows. */
    private static double chunkedSum(float[] x, int from, int n) {
        double s = 0;
        for (int c = 0; c < n; c += 4096) s += Simd.sum(x, from + c, Math.min(4096, n - c));
        return s;
    }

    private static Tensor prod(Tensor a, int dim) {
        DType dt = a.dtype.isFloatingPoint() ? a.dtype : INT64;
        int outer = outer(a.shape, dim), inner = inner(a.shape, dim), r = a.shape[dim];
        int[] shape = a.shape.clone();
        shape[dim] = 1;
        Object x = dense(a, dt), out = Storage.allocate(dt, outer * inner);
        for (int o = 0; o < outer; o++) {
            for (int i = 0; i < inner; i++) {
                double pd = 1;
                long pl = 1;
                for (int k = 0; k < r; k++) {
                    int at = (o * r + k) * inner + i;
                    if (dt.isFloatingPoint()) pd *= Storage.getDouble(x, dt, at);
                    else pl *= Storage.getLong(x, dt, at);
                }
                if (dt == FLOAT64) ((double[]) out)[o * inner + i] = pd;
                else if (dt == FLOAT32) ((float[]) out)[o * inner + i] = (float) pd;
                else ((long[]) out)[o * inner + i] = pl;
            }
        }
        return Tensor.wrap(dt, out, shape);
    }

    private static Tensor cumsum(Tensor a, int dim) {
        DType dt = a.dtype.isFloatingPoint() ? a.dtype : INT64;
        int outer = outer(a.shape, dim), inner = inner(a.shape, dim), r = a.shape[dim];
        Object x = dense(a, dt), out = Storage.allocate(dt, a.numel());
        for (int o = 0; o < outer; o++) {
            for (int i = 0; i < inner; i++) {
                double sd = 0;
                long sl = 0;
                for (int k = 0; k < r; k++) {
                    int at = (o * r + k) * inner + i;
                    if (dt == FLOAT64) ((double[]) out)[at] = sd += ((double[]) x)[at];
                    else if (dt == FLOAT32) ((float[]) out)[at] = (float) (sd += ((float[]) x)[at]);
                    else ((long[]) out)[at] = sl += ((long[]) x)[at];
                }
            }
        }
        return Tensor.wrap(dt, out, a.shape);
    }

    /**
     * The largest (or smallest) value along {@code dim} and the first index where it occurs, kept as size 1.
     * NaN counts as larger than everything, as in PyTorch. Constants: gradients are built from the index.
     */
    static Tensor[] extreme(Tensor a, int dim, boolean max) {
        int outer = outer(a.shape, dim), inner = inner(a.shape, dim), r = a.shape[dim];
        if (r == 0) throw new IllegalArgumentException((max ? "max" : "min") + ": dim " + dim + " of " + Shape.str(a.shape) + " is empty");
        int[] shape = a.shape.clone();
        shape[dim] = 1;
        DType dt = a.dtype;
        Object x = dense(a, dt), values = Storage.allocate(dt, outer * inner);
        long[] index = new long[outer * inner];
        for (int o = 0; o < outer; o++) {
            for (int i = 0; i < inner; i++) {
                int best = (o * r) * inner + i, bestK = 0;
                for (int k = 1; k < r; k++) {
                    int at = (o * r + k) * inner + i;
                    if (better(x, dt, at, best, max)) {
                        best = at;
                        bestK = k;
                    }
                }
                Storage.set(values, dt, o * inner + i, x, dt, best);
                index[o * inner + i] = bestK;
            }
        }
        return new Tensor[] {Tensor.wrap(dt, values, shape), Tensor.wrap(INT64, index, shape)};
    }

    private static boolean better(Object x, DType dt, int at, int best, boolean max) {
        if (dt.isFloatingPoint()) {
            double v = Storage.getDouble(x, dt, at), b = Storage.getDouble(x, dt, best);
            if (Double.isNaN(b)) return false;
            return Double.isNaN(v) || (max ? v > b : v < b);
        }
        long v = Storage.getLong(x, dt, at), b = Storage.getLong(x, dt, best);
        return max ? v > b : v < b;
    }

    // ---- matmul

    private static Tensor matmul(Tensor a, Tensor b, int[] shape) {
        DType dt = Tensor.resultType(a, b);
        if (a.dtype != dt) a = Tensor.wrap(dt, copy(a, dt), a.shape);
        if (b.dtype != dt) b = Tensor.wrap(dt, copy(b, dt), b.shape);
        int rank = shape.length, n = shape[rank - 2], m = shape[rank - 1], k = a.shape[rank - 1];
        if (layout(a) == null) a = Tensor.wrap(dt, copy(a, dt), a.shape);
        if (layout(b) == null) b = Tensor.wrap(dt, copy(b, dt), b.shape);
        int[] la = layout(a), lb = layout(b);
        Object out = Storage.allocate(dt, Shape.size(shape));
        int batch = Shape.size(shape) / Math.max(1, n * m);
        if (n * m == 0) return Tensor.wrap(dt, out, shape);
        int[] idx = new int[rank - 2];
        int oa = a.offset, ob = b.offset;
        for (int t = 0; t < batch; t++) {
            if (dt == FLOAT32) {
                Gemm.gemm(la[0] == 1, lb[0] == 1, n, m, k, (float[]) a.storage.array, oa, la[1],
                        (float[]) b.storage.array, ob, lb[1], (float[]) out, t * n * m, m, false);
            } else {
                Gemm.gemm(la[0] == 1, lb[0] == 1, n, m, k, (double[]) a.storage.array, oa, la[1],
                        (double[]) b.storage.array, ob, lb[1], (double[]) out, t * n * m, m, false);
            }
            for (int d = rank - 3; d >= 0; d--) { // next batch index
                if (++idx[d] < shape[d]) {
                    oa += a.strides[d];
                    ob += b.strides[d];
                    break;
                }
                oa -= a.strides[d] * (shape[d] - 1);
                ob -= b.strides[d] * (shape[d] - 1);
                idx[d] = 0;
            }
        }
        return Tensor.wrap(dt, out, shape);
    }

    /**
     * How BLAS can read the matrices in the last two dims of {@code t} without a copy: {transposed (0/1),
     * leading dimension}, or null when the rows and columns are both strided.
     */
    private static int[] layout(Tensor t) {
        int r = t.shape.length;
        int rows = t.shape[r - 2], cols = t.shape[r - 1], sr = t.strides[r - 2], sc = t.strides[r - 1];
        if ((cols <= 1 || sc == 1) && (rows <= 1 || sr >= Math.max(1, cols))) {
            return new int[] {0, rows <= 1 ? Math.max(1, cols) : sr};
        }
        if ((rows <= 1 || sr == 1) && (cols <= 1 || sc >= Math.max(1, rows))) {
            return new int[] {1, cols <= 1 ? Math.max(1, rows) : sc};
        }
        return null;
    }

    private static Tensor custom(CustomFunction f, Tensor[] in, int[] outShape) {
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
        return out.detach();
    }

    // ---- special functions

    private static final double TWO_OVER_SQRT_PI = 1.1283791670955126;

    /**
     * The error function, fast: Taylor polynomials in x − x₀ about the midpoints x₀ of intervals of width 0.25 on
     * [0, 6) (odd ones about 0 on the first), of degree 18, from erf(x₀) (correctly rounded constants) and erf's
     * derivatives 2/√π (−1)ⁿ Hₙ(x₀) e^{−x₀²}; ±1 beyond 6. Within a few ulps of the definition at a
     * fixed cost per element, since GELU calls it for every activation.
     */
    static double erf(double x) {
        if (Double.isNaN(x)) return x;
        double ax = Math.abs(x);
        if (ax >= 6) return Math.copySign(1, x);
        double r;
        if (ax < ERF_STEP) {
            double x2 = ax * ax, p = 0;
            for (int k = ERF_TAYLOR.length - 1; k >= 0; k--) p = p * x2 + ERF_TAYLOR[k];
            r = ax * p;
        } else {
            int i = (int) (ax / ERF_STEP);
            double h = ax - ERF_STEP * (i + 0.5), p = 0;
            double[] c = ERF_PIECES[i];
            for (int k = c.length - 1; k >= 0; k--) p = p * h + c[k];
            r = p;
        }
        return Math.copySign(r, x);
    }

    private static final double ERF_STEP = 0.25;
    /** erf(x)/x = 2/√π Σ (-1)^n x^{2n} / (n! (2n+1)), in powers of x², for |x| < 0.25. */
    private static final double[] ERF_TAYLOR = new double[14];
    /** Taylor coefficients erf⁽ⁿ⁾(x₀)/n! about x₀ = 0.25 (i + 0.5), i = 1 .. 23 (row 0 unused). */
    private static final double[][] ERF_PIECES = new double[24][19];
    /** erf(0.25 (i + 0.5)) for i = 1 .. 23, correctly rounded (mpmath, 40 digits): the pieces' constant terms. */
    private static final double[] ERF_MIDPOINTS = {
            0.4041169094348223,
            0.623240882188418,
            0.7840750610598597,
            0.8883882317017078,
            0.9481700727820903,
            0.9784437332399837,
            0.9919900576701199,
            0.9973459706405177,
            0.9992170617821089,
            0.9997946242638588,
            0.9999521451602562,
            0.9999901032653747,
            0.9999981847185726,
            0.9999997048598075,
            0.999999957486056,
            0.9999999945765992,
            0.9999999993875167,
            0.9999999999387839,
            0.9999999999945866,
            0.9999999999995766,
            0.9999999999999707,
            0.9999999999999982,
            0.9999999999999999

    };

    /** The first 12 Taylor coefficients, enough below 1 for float32 (the tail form loses an ulp or two below 1). */
    private static final double[] ERF_TAYLOR_FLOAT = new double[12];
    /**
     * Chebyshev coefficients (in s = 2t − 1) of the smooth P(t) with erfc(x) = t·e^{−x² + P(t)}, t = 1/(1 + x/2),
     * for x >= 0 (t in (0, 1]): the float32 erf's tail, 14 terms.
     */
    static final double[] ERFC_EXPONENT = new double[14];

    static {
        double fact = 1;
        for (int n = 0; n < ERF_TAYLOR.length; n++) {
            if (n > 0) fact *= n;
            ERF_TAYLOR[n] = (n % 2 == 0 ? 1 : -1) * TWO_OVER_SQRT_PI / (fact * (2 * n + 1));
        }
        for (int i = 1; i < ERF_PIECES.length; i++) {
            double x0 = ERF_STEP * (i + 0.5), g = TWO_OVER_SQRT_PI * Math.exp(-x0 * x0);
            double[] c = ERF_PIECES[i];
            c[0] = ERF_MIDPOINTS[i - 1];
            double hPrev = 0, h = 1, nFact = 1; // Hermite H_{n-1}, H_n at x0, starting from H_0 = 1
            for (int n = 1; n < c.length; n++) {
                nFact *= n;
                c[n] = ((n - 1) % 2 == 0 ? 1 : -1) * g * h / nFact; // erf⁽ⁿ⁾ = 2/√π (−1)^{n−1} H_{n−1} e^{−x²}
                double next = 2 * x0 * h - 2 * (n - 1) * hPrev;
                hPrev = h;
                h = next;
            }
        }
        System.arraycopy(ERF_TAYLOR, 0, ERF_TAYLOR_FLOAT, 0, ERF_TAYLOR_FLOAT.length);
        int m = ERFC_EXPONENT.length;
        double[] f = new double[m];
        for (int k = 0; k < m; k++) {
            double t = (Math.cos(Math.PI * (k + 0.5) / m) + 1) / 2, x = 2 * (1 - t) / t;
            // 1 − erf loses digits for large x: there log erfc(x) + x² = −log √π − log(continued fraction), exactly
            f[k] = (x < 5 ? Math.log(1 - erf(x)) + x * x : -0.5 * Math.log(Math.PI) - Math.log(erfcFraction(x))) - Math.log(t);
        }
        for (int j = 0; j < m; j++) {
            double sum = 0;
            for (int k = 0; k < m; k++) sum += f[k] * Math.cos(Math.PI * j * (k + 0.5) / m);
            ERFC_EXPONENT[j] = 2.0 / m * sum;
        }
    }
}
