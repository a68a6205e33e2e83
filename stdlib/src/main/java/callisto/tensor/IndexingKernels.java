package callisto.tensor;

import java.util.stream.IntStream;

/**
 * The linear gather and scatter primitives behind {@link Indexing}, {@link Scatter} and {@link GridSample}, as
 * custom functions that are each other's adjoints: the VJP of a take is an add-put of the gradient and the VJP
 * of an add-put is a take, so derivatives of every order exist and duplicate indices sum their gradients.
 *
 * <p>Positions are checked before they get here. A position of -1 means "no element": a take reads zero there
 * and an add-put skips it (empty segments of scatter max, out-of-bounds corners of grid sampling).
 * Sums run in index order, one thread per output range, so every run gives the same bits.
 */
final class IndexingKernels {
    /** Below this many multiply-adds a parallel split costs more than it saves. */
    private static final int PARALLEL_WORK = 1 << 18;

    private IndexingKernels() {
    }

    // ---- index checks

    static void requireIndex(String op, String arg, Tensor index) {
        if (index.dtype != DType.INT64 && index.dtype != DType.INT32) {
            throw new IllegalArgumentException(op + ": " + arg + " must be an int64 or int32 tensor, got "
                    + index.dtype.pythonName() + " of shape " + Shape.str(index.shape)
                    + (index.dtype == DType.BOOL ? " (to select with a bool mask use Indexing.maskedSelect)" : ""));
        }
    }

    /** The index values as positions in [0, size); negative values count from the end when {@code wrap}. */
    static int[] positions(String op, String arg, Tensor index, int size, boolean wrap) {
        requireIndex(op, arg, index);
        int[] p = new int[index.numel()];
        if (index.dtype == DType.INT32) {
            int[] v = (int[]) Kernels.dense(index, DType.INT32);
            for (int i = 0; i < p.length; i++) p[i] = check(op, arg, v[i], size, wrap);
        } else {
            long[] v = (long[]) Kernels.dense(index, DType.INT64);
            for (int i = 0; i < p.length; i++) p[i] = check(op, arg, v[i], size, wrap);
        }
        return p;
    }

    private static int check(String op, String arg, long value, int size, boolean wrap) {
        long j = wrap && value < 0 ? value + size : value;
        if (j < 0 || j >= size) {
            throw new IllegalArgumentException(op + ": " + arg + " value " + value + " is out of range for a dim of size "
                    + size + " (expected " + (wrap ? -size + " <= index < " : "0 <= index < ") + size + ")");
        }
        return (int) j;
    }

    /** Storage offsets (for {@code strides}) of every row-major position of {@code shape[from..to)}. */
    static int[] offsets(int[] shape, int[] strides, int from, int to) {
        int count = 1;
        for (int d = from; d < to; d++) count *= shape[d];
        int[] off = new int[count];
        int filled = 1;
        for (int d = from; d < to; d++) { // each dim multiplies the table, keeping row-major order
            for (int q = filled - 1; q >= 0; q--) {
                int base = off[q];
                for (int c = shape[d] - 1; c >= 0; c--) off[q * shape[d] + c] = base + c * strides[d];
            }
            filled *= shape[d];
        }
        return off;
    }

    /**
     * For each row-major position of an index of shape {@code indexShape} along {@code dim}, the row-major
     * offset into a tensor of shape {@code shape} (at least as large in every other dim) with that dim replaced
     * by the index value; -1 stays -1.
     */
    static int[] alongDim(int[] shape, int dim, int[] indexShape, int[] index) {
        int[] strides = Shape.strides(shape);
        int[] outerOff = offsets(indexShape, strides, 0, dim), innerOff = offsets(indexShape, strides, dim + 1, indexShape.length);
        int n = indexShape[dim], sd = strides[dim], p = 0;
        int[] off = new int[index.length];
        for (int o : outerOff) {
            for (int i = 0; i < n; i++) {
                for (int k : innerOff) {
                    int j = index[p];
                    off[p++] = j < 0 ? -1 : o + j * sd + k;
                }
            }
        }
        return off;
    }

    /**
     * The 1-D index along {@code dim} when {@code index} is one broadcast over whole slices (stride 0 or size 1
     * in every other dim, and those sizes equal {@code shape}'s), as {@code ids.unsqueeze(1).expand(E, F)} in
     * message passing; else null. Such an index needs row kernels, not one offset per element.
     */
    static Tensor rowIndex(Tensor index, int dim, int[] shape) {
        if (index.dim() != shape.length || index.numel() == 0) return null;
        for (int k = 0; k < shape.length; k++) {
            if (k == dim) continue;
            if (index.shape[k] != shape[k] || (index.shape[k] > 1 && index.strides[k] != 0)) return null;
        }
        Tensor line = index;
        for (int k = shape.length - 1; k >= 0; k--) if (k != dim) line = line.select(k, 0);
        return line;
    }

    static boolean isSorted(int[] index) {
        for (int i = 1; i < index.length; i++) if (index[i] < index[i - 1]) return false;
        return true;
    }

    private static Object values(Tensor t) {
        return Kernels.dense(t, t.dtype);
    }

    private static void requireAddable(String op, DType dtype) {
        if (dtype == DType.BOOL) throw new IllegalArgumentException(op + ": cannot add bool values; convert with to(DType.INT64)");
    }

    // ---- elementwise take / add-put over flat offsets

    /**
     * out[p] = in[offsets[p]] (0 where -1): gather, masked select, scatter max/min. {@code known}, when not
     * null, is that result already computed (scatter max finds the values while it picks their places).
     */
    record Take(int[] offsets, int[] inShape, int[] outShape, Tensor known) implements CustomFunction {
        Take(int[] offsets, int[] inShape, int[] outShape) {
            this(offsets, inShape, outShape, null);
        }

        @Override
        public int[] shape(int[]... inputShapes) {
            return outShape.clone();
        }

        @Override
        public Tensor forward(Tensor... inputs) {
            if (known != null) return known;
            Tensor x = inputs[0];
            Object in = values(x), out = Storage.allocate(x.dtype, offsets.length);
            int[] off = offsets;
            switch (x.dtype) {
                case FLOAT64 -> {
                    double[] a = (double[]) in, o = (double[]) out;
                    for (int p = 0; p < off.length; p++) if (off[p] >= 0) o[p] = a[off[p]];
                }
                case FLOAT32 -> {
                    float[] a = (float[]) in, o = (float[]) out;
                    for (int p = 0; p < off.length; p++) if (off[p] >= 0) o[p] = a[off[p]];
                }
                case INT64 -> {
                    long[] a = (long[]) in, o = (long[]) out;
                    for (int p = 0; p < off.length; p++) if (off[p] >= 0) o[p] = a[off[p]];
                }
                case INT32 -> {
                    int[] a = (int[]) in, o = (int[]) out;
                    for (int p = 0; p < off.length; p++) if (off[p] >= 0) o[p] = a[off[p]];
                }
                case BOOL -> {
                    boolean[] a = (boolean[]) in, o = (boolean[]) out;
                    for (int p = 0; p < off.length; p++) if (off[p] >= 0) o[p] = a[off[p]];
                }
            }
            return Tensor.wrap(x.dtype, out, outShape.clone());
        }

        @Override
        public Tensor[] backward(Tensor[] inputs, Tensor output, Tensor grad) {
            return new Tensor[] {Tensor.apply(new PutAdd(offsets, outShape, inShape), grad.to(inputs[0].dtype))};
        }
    }

    /** out = zeros(outShape); out[offsets[p]] += in[p] (skipping -1), in row-major order of p. */
    record PutAdd(int[] offsets, int[] inShape, int[] outShape) implements CustomFunction {
        @Override
        public int[] shape(int[]... inputShapes) {
            return outShape.clone();
        }

        @Override
        public Tensor forward(Tensor... inputs) {
            Tensor x = inputs[0];
            requireAddable("scatterAdd", x.dtype);
            Object in = values(x), out = Storage.allocate(x.dtype, Shape.size(outShape));
            int[] off = offsets;
            switch (x.dtype) {
                case FLOAT64 -> {
                    double[] a = (double[]) in, o = (double[]) out;
                    for (int p = 0; p < off.length; p++) if (off[p] >= 0) o[off[p]] += a[p];
                }
                case FLOAT32 -> {
                    float[] a = (float[]) in, o = (float[]) out;
                    for (int p = 0; p < off.length; p++) if (off[p] >= 0) o[off[p]] += a[p];
                }
                case INT64 -> {
                    long[] a = (long[]) in, o = (long[]) out;
                    for (int p = 0; p < off.length; p++) if (off[p] >= 0) o[off[p]] += a[p];
                }
                case INT32 -> {
                    int[] a = (int[]) in, o = (int[]) out;
                    for (int p = 0; p < off.length; p++) if (off[p] >= 0) o[off[p]] += a[p];
                }
                case BOOL -> throw new AssertionError();
            }
            return Tensor.wrap(x.dtype, out, outShape.clone());
        }

        @Override
        public Tensor[] backward(Tensor[] inputs, Tensor output, Tensor grad) {
            return new Tensor[] {Tensor.apply(new Take(offsets, outShape, inShape), grad.to(inputs[0].dtype))};
        }
    }

    // ---- whole rows: index select / index add along one dim

    /** Viewing the input as [outer, n, inner]: out[o, i, :] = in[o, index[i], :] (zeros where -1); indexSelect. */
    record RowTake(int dim, int[] index, int[] inShape) implements CustomFunction {
        @Override
        public int[] shape(int[]... inputShapes) {
            int[] s = inShape.clone();
            s[dim] = index.length;
            return s;
        }

        @Override
        public Tensor forward(Tensor... inputs) {
            Tensor x = inputs[0];
            int[] outShape = shape();
            int outer = Kernels.outer(inShape, dim), inner = Kernels.inner(inShape, dim), n = inShape[dim], m = index.length;
            Object in = values(x), out = Storage.allocate(x.dtype, Shape.size(outShape));
            for (int o = 0; o < outer; o++) {
                for (int i = 0; i < m; i++) {
                    if (index[i] >= 0) System.arraycopy(in, (o * n + index[i]) * inner, out, (o * m + i) * inner, inner);
                }
            }
            return Tensor.wrap(x.dtype, out, outShape);
        }

        @Override
        public Tensor[] backward(Tensor[] inputs, Tensor output, Tensor grad) {
            return new Tensor[] {Tensor.apply(new RowPutAdd(dim, index, inShape[dim], shape()), grad.to(inputs[0].dtype))};
        }
    }

    /**
     * Viewing the input as [outer, m, inner] and the output as [outer, n, inner]: out[o, index[i], :] +=
     * in[o, i, :], i ascending; indexAdd, scatter sum and segmentSum. Sorted indices along dim 0 (segment ids)
     * split into ranges of whole segments; otherwise the split is by columns. Either way each output element
     * is summed by one thread in index order.
     */
    record RowPutAdd(int dim, int[] index, int n, int[] inShape) implements CustomFunction {
        @Override
        public int[] shape(int[]... inputShapes) {
            int[] s = inShape.clone();
            s[dim] = n;
            return s;
        }

        @Override
        public Tensor forward(Tensor... inputs) {
            Tensor x = inputs[0];
            requireAddable("indexAdd", x.dtype);
            int[] outShape = shape();
            int outer = Kernels.outer(inShape, dim), inner = Kernels.inner(inShape, dim), m = index.length;
            Object in = values(x), out = Storage.allocate(x.dtype, Shape.size(outShape));
            long work = (long) outer * m * inner;
            int cpus = Runtime.getRuntime().availableProcessors();
            if (work < PARALLEL_WORK || cpus == 1) {
                addRows(x.dtype, in, out, index, 0, m, outer, m, n, inner, 0, inner);
            } else if (outer == 1 && isSorted(index)) {
                int parts = Math.min(cpus * 4, m), per = (m + parts - 1) / parts;
                int[] cuts = new int[parts + 1];
                for (int c = 1; c < parts; c++) { // move each cut forward to a segment start: one owner per segment
                    int at = Math.max(cuts[c - 1], Math.min(m, c * per));
                    while (at > 0 && at < m && index[at] == index[at - 1]) at++;
                    cuts[c] = at;
                }
                cuts[parts] = m;
                IntStream.range(0, parts).parallel().forEach(c ->
                        addRows(x.dtype, in, out, index, cuts[c], cuts[c + 1], 1, m, n, inner, 0, inner));
            } else {
                int parts = Math.max(1, Math.min(cpus, inner / 8));
                if (parts == 1) {
                    addRows(x.dtype, in, out, index, 0, m, outer, m, n, inner, 0, inner);
                } else {
                    int per = (inner + parts - 1) / parts;
                    IntStream.range(0, parts).parallel().forEach(c -> addRows(x.dtype, in, out, index, 0, m, outer, m, n,
                            inner, Math.min(inner, c * per), Math.min(inner, (c + 1) * per)));
                }
            }
            return Tensor.wrap(x.dtype, out, outShape);
        }

        @Override
        public Tensor[] backward(Tensor[] inputs, Tensor output, Tensor grad) {
            return new Tensor[] {Tensor.apply(new RowTake(dim, index, shape()), grad.to(inputs[0].dtype))};
        }
    }

    /** Rows {@code from..to} of the index, columns {@code k0..k1} of each row. */
    private static void addRows(DType dt, Object in, Object out, int[] index, int from, int to, int outer, int m, int n,
            int inner, int k0, int k1) {
        for (int o = 0; o < outer; o++) {
            for (int i = from; i < to; i++) {
                int j = index[i];
                if (j < 0) continue;
                int s = (o * m + i) * inner, d = (o * n + j) * inner;
                switch (dt) {
                    case FLOAT64 -> {
                        double[] a = (double[]) in, b = (double[]) out;
                        for (int k = k0; k < k1; k++) b[d + k] += a[s + k];
                    }
                    case FLOAT32 -> {
                        float[] a = (float[]) in, b = (float[]) out;
                        for (int k = k0; k < k1; k++) b[d + k] += a[s + k];
                    }
                    case INT64 -> {
                        long[] a = (long[]) in, b = (long[]) out;
                        for (int k = k0; k < k1; k++) b[d + k] += a[s + k];
                    }
                    case INT32 -> {
                        int[] a = (int[]) in, b = (int[]) out;
                        for (int k = k0; k < k1; k++) b[d + k] += a[s + k];
                    }
                    case BOOL -> throw new AssertionError();
                }
            }
        }
    }
}
