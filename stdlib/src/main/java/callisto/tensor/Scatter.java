package callisto.tensor;

import java.util.Arrays;

/**
 * Scatter reductions for message passing: PyTorch's {@code scatter_add}, torch_scatter's
 * {@code scatter(src, index, dim, dim_size, reduce)} and segment operations over node or edge lists
 * ({@code segmentSum}, {@code segmentMean}, {@code segmentMax}, {@code segmentSoftmax}).
 *
 * <p>Every result is the same bits on every run: each output element is accumulated by one thread, in index
 * order, whether the ids are sorted (split by segment) or not (split by feature column). Empty segments give
 * 0. For MAX and MIN the gradient goes to the first element (in index order) that attains the extreme.
 * Results are differentiable in {@code src} to any order; indices are int64 or int32 and get no gradient.
 */
public final class Scatter {
    private Scatter() {
    }

    /** How {@link #scatter} combines the values that land on one place. */
    public enum Reduce {
        SUM, MEAN, MAX, MIN
    }

    /**
     * {@code self} plus, for every position p of {@code index}, {@code src[p]} added at p with its {@code dim}
     * coordinate replaced by {@code index[p]} (PyTorch's scatter_add). The index has self's rank and is no
     * larger than {@code src}, nor than {@code self} outside {@code dim}.
     */
    public static Tensor scatterAdd(Tensor self, int dim, Tensor index, Tensor src) {
        int d = Shape.normalizeDim("scatterAdd", dim, self.dim());
        Indexing.checkAlongDim("scatterAdd", "self", self.shape, d, index.shape);
        boolean fits = src.dim() == index.dim();
        for (int k = 0; fits && k < src.dim(); k++) fits = index.shape[k] <= src.shape[k];
        if (!fits) {
            throw new IllegalArgumentException("scatterAdd: index of shape " + Shape.str(index.shape) + " does not fit src of shape "
                    + Shape.str(src.shape) + " (expected the same rank and sizes no larger)");
        }
        IndexingKernels.requireIndex("scatterAdd", "index", index);
        Tensor s = src.to(self.dtype);
        for (int k = 0; k < s.dim(); k++) s = s.narrow(k, 0, index.shape[k]);
        int[] full = self.shape.clone();
        full[d] = index.shape[d];
        Tensor line = IndexingKernels.rowIndex(index, d, full);
        if (line != null) { // ids expanded over whole slices (message passing): row kernels, no offset per element
            int[] rows = IndexingKernels.positions("scatterAdd", "index", line, self.shape[d], false);
            return self.add(Tensor.apply(new IndexingKernels.RowPutAdd(d, rows, self.shape[d], index.shape.clone()), s));
        }
        int[] p = IndexingKernels.positions("scatterAdd", "index", index, self.shape[d], false);
        int[] off = IndexingKernels.alongDim(self.shape, d, index.shape, p);
        return self.add(Tensor.apply(new IndexingKernels.PutAdd(off, index.shape.clone(), self.shape.clone()), s));
    }

    /** {@link #scatter(Tensor, Tensor, int, int, Reduce)} with {@code dimSize} one more than the largest index. */
    public static Tensor scatter(Tensor src, Tensor index, int dim, Reduce reduce) {
        IndexingKernels.requireIndex("scatter", "index", index);
        long max = -1;
        for (long v : index.toLongArray()) max = Math.max(max, v);
        return scatter(src, index, dim, (int) (max + 1), reduce);
    }

    /**
     * torch_scatter's scatter: the values of {@code src} reduced into a tensor of src's shape with {@code dim}
     * of size {@code dimSize}, each going to the place its {@code index} value names. A 1-D index of size
     * {@code src.size(dim)} picks whole slices (the message-passing case); otherwise the index has src's rank
     * (trailing dims may be missing) and broadcasts to src's shape.
     */
    public static Tensor scatter(Tensor src, Tensor index, int dim, int dimSize, Reduce reduce) {
        int d = Shape.normalizeDim("scatter", dim, src.dim());
        if (dimSize < 0) throw new IllegalArgumentException("scatter: dimSize " + dimSize + " is negative");
        IndexingKernels.requireIndex("scatter", "index", index);
        if (index.dim() == 1) {
            if (index.numel() != src.shape[d]) {
                throw new IllegalArgumentException("scatter: a 1-D index of shape " + Shape.str(index.shape) + " needs one value per slice of src "
                        + "of shape " + Shape.str(src.shape) + " along dim " + d + ", [" + src.shape[d] + "]");
            }
            return rows(src, d, IndexingKernels.positions("scatter", "index", index, dimSize, false), dimSize, reduce);
        }
        if (index.dim() > src.dim()) {
            throw new IllegalArgumentException("scatter: index of shape " + Shape.str(index.shape) + " has more dims than src of shape "
                    + Shape.str(src.shape));
        }
        int[] padded = Arrays.copyOf(index.shape, src.dim());
        Arrays.fill(padded, index.dim(), padded.length, 1);
        for (int k = 0; k < padded.length; k++) {
            if (padded[k] != 1 && padded[k] != src.shape[k]) {
                throw new IllegalArgumentException("scatter: index of shape " + Shape.str(index.shape) + " does not broadcast to src of shape "
                        + Shape.str(src.shape) + " (expected src's sizes or 1, trailing dims may be missing)");
            }
        }
        Tensor full = Kernels.expandView(index.reshape(padded), src.shape);
        Tensor line = IndexingKernels.rowIndex(full, d, src.shape);
        if (line != null) return rows(src, d, IndexingKernels.positions("scatter", "index", line, dimSize, false), dimSize, reduce);
        int[] p = IndexingKernels.positions("scatter", "index", full, dimSize, false);
        int[] outShape = src.shape.clone();
        outShape[d] = dimSize;
        int[] off = IndexingKernels.alongDim(outShape, d, src.shape, p);
        return elements(src, off, outShape, reduce);
    }

    /** Whole slices along {@code dim}: row kernels, no per-element offsets. */
    private static Tensor rows(Tensor src, int dim, int[] p, int dimSize, Reduce reduce) {
        requireFloatOrSum("scatter", src, reduce);
        return switch (reduce) {
            case SUM -> Tensor.apply(new IndexingKernels.RowPutAdd(dim, p, dimSize, src.shape.clone()), src);
            case MEAN -> {
                double[] count = new double[dimSize];
                for (int j : p) count[j]++;
                for (int j = 0; j < dimSize; j++) count[j] = Math.max(1, count[j]);
                int[] cs = new int[src.dim()];
                Arrays.fill(cs, 1);
                cs[dim] = dimSize;
                Tensor sum = Tensor.apply(new IndexingKernels.RowPutAdd(dim, p, dimSize, src.shape.clone()), src);
                yield sum.div(Tensor.of(count, cs).to(src.dtype));
            }
            case MAX, MIN -> {
                int[] outShape = src.shape.clone();
                outShape[dim] = dimSize;
                yield rowExtreme(src, dim, p, dimSize, reduce == Reduce.MAX, outShape);
            }
        };
    }

    private static Tensor elements(Tensor src, int[] off, int[] outShape, Reduce reduce) {
        requireFloatOrSum("scatter", src, reduce);
        return switch (reduce) {
            case SUM -> Tensor.apply(new IndexingKernels.PutAdd(off, src.shape.clone(), outShape), src);
            case MEAN -> {
                double[] count = new double[Shape.size(outShape)];
                for (int j : off) count[j]++;
                for (int j = 0; j < count.length; j++) count[j] = Math.max(1, count[j]);
                Tensor sum = Tensor.apply(new IndexingKernels.PutAdd(off, src.shape.clone(), outShape), src);
                yield sum.div(Tensor.of(count, outShape).to(src.dtype));
            }
            case MAX, MIN -> extreme(src, off, outShape, reduce == Reduce.MAX);
        };
    }

    private static void requireFloatOrSum(String op, Tensor src, Reduce reduce) {
        if (reduce != Reduce.SUM && !src.dtype.isFloatingPoint()) {
            throw new IllegalArgumentException(op + ": reduce " + reduce + " needs a float src, got " + src.dtype.pythonName()
                    + " (convert with to(DType.FLOAT64))");
        }
    }

    /**
     * The extremes of src's slices along {@code dim} grouped by {@code p}, as a take from src of the first
     * (in index order) place of each extreme, or of nothing (0) for an empty group.
     */
    private static Tensor rowExtreme(Tensor src, int dim, int[] p, int dimSize, boolean max, int[] outShape) {
        int outer = Kernels.outer(src.shape, dim), inner = Kernels.inner(src.shape, dim), m = p.length;
        Object x = Kernels.dense(src, src.dtype);
        double[] f64 = x instanceof double[] a ? a : null;
        float[] f32 = x instanceof float[] a ? a : null;
        int[] arg = new int[outer * dimSize * inner];
        double[] best = new double[arg.length]; // the current extremes beside their places: no reads back into src
        Arrays.fill(arg, -1);
        for (int o = 0; o < outer; o++) {
            for (int i = 0; i < m; i++) {
                int s = (o * m + i) * inner, d = (o * dimSize + p[i]) * inner;
                for (int k = 0; k < inner; k++) {
                    double v = f64 != null ? f64[s + k] : f32[s + k];
                    int at = d + k;
                    if (arg[at] < 0 || (max ? v > best[at] : v < best[at])) { // strict: ties keep the first
                        arg[at] = s + k;
                        best[at] = v;
                    }
                }
            }
        }
        return take(src, arg, best, outShape);
    }

    /** The same with one output offset per src element. */
    private static Tensor extreme(Tensor src, int[] off, int[] outShape, boolean max) {
        Object x = Kernels.dense(src, src.dtype);
        double[] f64 = x instanceof double[] a ? a : null;
        float[] f32 = x instanceof float[] a ? a : null;
        int[] arg = new int[Shape.size(outShape)];
        double[] best = new double[arg.length];
        Arrays.fill(arg, -1);
        for (int q = 0; q < off.length; q++) {
            int o = off[q];
            double v = f64 != null ? f64[q] : f32[q];
            if (arg[o] < 0 || (max ? v > best[o] : v < best[o])) {
                arg[o] = q;
                best[o] = v;
            }
        }
        return take(src, arg, best, outShape);
    }

    /** src taken at {@code arg}, whose values (0 where -1) are {@code values} already. */
    private static Tensor take(Tensor src, int[] arg, double[] values, int[] outShape) {
        Tensor known = Tensor.wrap(DType.FLOAT64, values, outShape.clone()).to(src.dtype);
        return Tensor.apply(new IndexingKernels.Take(arg, src.shape.clone(), outShape.clone(), known), src);
    }

    // ---- segments: rows of src (dim 0) grouped by ids

    /** Sums of the rows of {@code src} with each id: shape [numSegments, src's other dims...]. */
    public static Tensor segmentSum(Tensor src, Tensor ids, int numSegments) {
        return segment("segmentSum", src, ids, numSegments, Reduce.SUM);
    }

    /** Means of the rows with each id (0 for an id with no rows). */
    public static Tensor segmentMean(Tensor src, Tensor ids, int numSegments) {
        return segment("segmentMean", src, ids, numSegments, Reduce.MEAN);
    }

    /** Elementwise maxima of the rows with each id (0 for an id with no rows; gradient to the first maximum). */
    public static Tensor segmentMax(Tensor src, Tensor ids, int numSegments) {
        return segment("segmentMax", src, ids, numSegments, Reduce.MAX);
    }

    /** Elementwise minima of the rows with each id. */
    public static Tensor segmentMin(Tensor src, Tensor ids, int numSegments) {
        return segment("segmentMin", src, ids, numSegments, Reduce.MIN);
    }

    /**
     * Softmax over the rows that share an id, per feature (attention weights over a node's incoming edges): the
     * result has src's shape. Shifted by each segment's maximum, so large values do not overflow.
     */
    public static Tensor segmentSoftmax(Tensor src, Tensor ids, int numSegments) {
        int[] p = segmentIds("segmentSoftmax", src, ids, numSegments);
        if (!src.dtype.isFloatingPoint()) {
            throw new IllegalArgumentException("segmentSoftmax: src must be float, got " + src.dtype.pythonName());
        }
        int[] outShape = src.shape.clone();
        outShape[0] = numSegments;
        Tensor max = rowExtreme(src.detach(), 0, p, numSegments, true, outShape); // any shift gives the same softmax
        Tensor shift = Tensor.apply(new IndexingKernels.RowTake(0, p, outShape), max);
        shift = Tensor.where(shift.abs().lt(Double.POSITIVE_INFINITY), shift, Tensor.scalar(src.dtype, 0));
        Tensor e = src.sub(shift).exp();
        Tensor total = Tensor.apply(new IndexingKernels.RowPutAdd(0, p, numSegments, src.shape.clone()), e);
        return e.div(Tensor.apply(new IndexingKernels.RowTake(0, p, outShape), total));
    }

    private static Tensor segment(String op, Tensor src, Tensor ids, int numSegments, Reduce reduce) {
        int[] p = segmentIds(op, src, ids, numSegments);
        return rows(src, 0, p, numSegments, reduce);
    }

    private static int[] segmentIds(String op, Tensor src, Tensor ids, int numSegments) {
        if (src.dim() == 0) throw new IllegalArgumentException(op + ": src must have at least 1 dim, got a 0-d tensor");
        if (ids.dim() != 1 || ids.numel() != src.shape[0]) {
            throw new IllegalArgumentException(op + ": ids of shape " + Shape.str(ids.shape) + " do not match src of shape "
                    + Shape.str(src.shape) + " (expected 1-D ids with one per row, [" + src.shape[0] + "])");
        }
        if (numSegments < 0) throw new IllegalArgumentException(op + ": numSegments " + numSegments + " is negative");
        return IndexingKernels.positions(op, "ids", ids, numSegments, false);
    }
}
