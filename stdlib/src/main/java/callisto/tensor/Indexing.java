package callisto.tensor;

import java.util.Arrays;

/**
 * Integer and mask indexing as in PyTorch: {@code index_select}, {@code gather}, {@code masked_select},
 * {@code masked_fill}, advanced indexing {@code x[i, j]}, {@code index_put} and {@code index_add}.
 *
 * <p>Index tensors are int64 or int32. Every result is differentiable with respect to the float input (to any
 * order: the gradient of a gather is a scatter-add and the reverse), and where an index repeats the gradients
 * of its copies sum. Results are new tensors; nothing is written in place.
 */
public final class Indexing {
    private Indexing() {
    }

    /** The slices {@code index[0], index[1], ...} of {@code x} along {@code dim}; {@code index} is 1-D (or 0-d). */
    public static Tensor indexSelect(Tensor x, int dim, Tensor index) {
        int d = Shape.normalizeDim("indexSelect", dim, Math.max(1, x.dim()));
        if (index.dim() > 1) {
            throw new IllegalArgumentException("indexSelect: index must be 1-D, got shape " + Shape.str(index.shape));
        }
        if (x.dim() == 0) return indexSelect(x.reshape(1), 0, index).reshape(index.dim() == 0 ? new int[0] : new int[] {index.numel()});
        int[] p = IndexingKernels.positions("indexSelect", "index", index, x.shape[d], false);
        return Tensor.apply(new IndexingKernels.RowTake(d, p, x.shape.clone()), x);
    }

    /**
     * {@code out[i][j][k] = x[index[i][j][k]][j][k]} for {@code dim = 0} (and so on): the output has the index's
     * shape; the index has x's rank and is no larger than x in the other dims.
     */
    public static Tensor gather(Tensor x, int dim, Tensor index) {
        int d = Shape.normalizeDim("gather", dim, x.dim());
        checkAlongDim("gather", "x", x.shape, d, index.shape);
        int[] full = x.shape.clone();
        full[d] = index.shape[d];
        Tensor line = IndexingKernels.rowIndex(index, d, full);
        if (line != null) { // whole slices: the same values as indexSelect, with row kernels
            IndexingKernels.requireIndex("gather", "index", index);
            return Tensor.apply(new IndexingKernels.RowTake(d, IndexingKernels.positions("gather", "index", line, x.shape[d], false),
                    x.shape.clone()), x);
        }
        int[] p = IndexingKernels.positions("gather", "index", index, x.shape[d], false);
        int[] off = IndexingKernels.alongDim(x.shape, d, index.shape, p);
        return Tensor.apply(new IndexingKernels.Take(off, x.shape.clone(), index.shape.clone()), x);
    }

    /** Index of the same rank as {@code shape}, no larger in any dim but {@code dim}. */
    static void checkAlongDim(String op, String arg, int[] shape, int dim, int[] indexShape) {
        boolean ok = indexShape.length == shape.length;
        for (int k = 0; ok && k < shape.length; k++) ok = k == dim || indexShape[k] <= shape[k];
        if (!ok) {
            throw new IllegalArgumentException(op + ": index of shape " + Shape.str(indexShape) + " does not fit " + arg
                    + " of shape " + Shape.str(shape) + " (expected the same rank and sizes no larger except at dim " + dim + ")");
        }
    }

    /** The values of {@code x} where the bool {@code mask} (broadcast with x) is true, as a 1-D tensor, row-major. */
    public static Tensor maskedSelect(Tensor x, Tensor mask) {
        requireMask("maskedSelect", mask);
        int[] shape = Shape.broadcast("maskedSelect", x.shape, mask.shape);
        boolean[] m = (boolean[]) Kernels.dense(Kernels.expandView(mask, shape), DType.BOOL);
        int count = 0;
        for (boolean b : m) if (b) count++;
        int[] off = new int[count];
        for (int i = 0, j = 0; i < m.length; i++) if (m[i]) off[j++] = i;
        return Tensor.apply(new IndexingKernels.Take(off, shape, new int[] {count}), x.expand(shape));
    }

    /** {@code x} with {@code value} where the bool {@code mask} (broadcast to x's shape) is true. */
    public static Tensor maskedFill(Tensor x, Tensor mask, double value) {
        return maskedFill(x, mask, Tensor.scalar(x.dtype, value));
    }

    /** {@code x} with the 0-d {@code value} where {@code mask} is true; differentiable in both x and value. */
    public static Tensor maskedFill(Tensor x, Tensor mask, Tensor value) {
        requireMask("maskedFill", mask);
        if (value.dim() != 0) {
            throw new IllegalArgumentException("maskedFill: value must be 0-d, got shape " + Shape.str(value.shape));
        }
        if (!Arrays.equals(Shape.broadcast("maskedFill", x.shape, mask.shape), x.shape)) {
            throw new IllegalArgumentException("maskedFill: mask of shape " + Shape.str(mask.shape)
                    + " does not broadcast to x of shape " + Shape.str(x.shape));
        }
        return Tensor.where(mask, value.to(x.dtype), x);
    }

    private static void requireMask(String op, Tensor mask) {
        if (mask.dtype != DType.BOOL) {
            throw new IllegalArgumentException(op + ": mask must be bool, got " + mask.dtype.pythonName()
                    + " of shape " + Shape.str(mask.shape) + " (make one with a comparison such as x.gt(0))");
        }
    }

    /**
     * Advanced indexing over the leading dims, as {@code x[i, j]} in PyTorch with integer tensors {@code i, j}:
     * the index tensors broadcast to a shape B and the result has shape B followed by x's remaining dims.
     * Negative values count from the end.
     */
    public static Tensor index(Tensor x, Tensor... indices) {
        Advanced a = Advanced.of("index", x.shape, indices);
        Tensor rows = x.reshape(a.rowsShape());
        return Tensor.apply(new IndexingKernels.RowTake(0, a.rows, rows.shape.clone()), rows).reshape(a.resultShape());
    }

    /**
     * {@code x} with {@code x[indices] = values} (out of place), {@code values} broadcast to the shape
     * {@link #index} would give. With {@code accumulate} repeated positions sum all their values into x;
     * without, the last occurrence wins (and only it gets a gradient).
     */
    public static Tensor indexPut(Tensor x, Tensor[] indices, Tensor values, boolean accumulate) {
        Advanced a = Advanced.of("indexPut", x.shape, indices);
        int[] target = a.resultShape();
        if (!Arrays.equals(Shape.broadcast("indexPut", values.shape, target), target)) {
            throw new IllegalArgumentException("indexPut: values of shape " + Shape.str(values.shape)
                    + " do not broadcast to the indexed shape " + Shape.str(target));
        }
        int lead = a.rowsShape()[0];
        int[] rowsShape = a.rowsShape();
        rowsShape[0] = a.rows.length;
        Tensor v = values.to(x.dtype).expand(target).reshape(rowsShape);
        int[] slab = a.rowsShape();
        if (accumulate) {
            Tensor added = Tensor.apply(new IndexingKernels.RowPutAdd(0, a.rows, lead, rowsShape), v);
            return x.add(added.reshape(x.shape));
        }
        int[] winners = a.rows.clone();
        boolean[] hit = new boolean[lead];
        for (int i = winners.length - 1; i >= 0; i--) { // the last write of each position is the one that stays
            if (hit[winners[i]]) winners[i] = -1;
            else hit[winners[i]] = true;
        }
        Tensor put = Tensor.apply(new IndexingKernels.RowPutAdd(0, winners, lead, rowsShape), v);
        int[] maskShape = slab.clone();
        Arrays.fill(maskShape, 1, maskShape.length, 1);
        Tensor mask = Tensor.of(hit, maskShape);
        return Tensor.where(mask, put, x.reshape(slab)).reshape(x.shape);
    }

    /** {@code x} plus {@code source} added at {@code index} along {@code dim}, as PyTorch's index_add (repeats sum). */
    public static Tensor indexAdd(Tensor x, int dim, Tensor index, Tensor source) {
        int d = Shape.normalizeDim("indexAdd", dim, x.dim());
        if (index.dim() > 1) throw new IllegalArgumentException("indexAdd: index must be 1-D, got shape " + Shape.str(index.shape));
        int[] expected = x.shape.clone();
        expected[d] = index.numel();
        if (!Arrays.equals(source.shape, expected)) {
            throw new IllegalArgumentException("indexAdd: source has shape " + Shape.str(source.shape) + ", expected "
                    + Shape.str(expected) + " (x of shape " + Shape.str(x.shape) + " with dim " + d + " the index length)");
        }
        int[] p = IndexingKernels.positions("indexAdd", "index", index, x.shape[d], false);
        return x.add(Tensor.apply(new IndexingKernels.RowPutAdd(d, p, x.shape[d], expected), source.to(x.dtype)));
    }

    /** Integer-array indices over the leading dims, flattened into row numbers of x viewed as [rows, rest...]. */
    private record Advanced(int[] rows, int[] broadcast, int[] shape, int k) {
        static Advanced of(String op, int[] shape, Tensor[] indices) {
            int k = indices.length;
            if (k == 0 || k > shape.length) {
                throw new IllegalArgumentException(op + ": " + k + " index tensors for x of shape " + Shape.str(shape)
                        + " (expected 1 to " + shape.length + ")");
            }
            int[] b = indices[0].shape;
            for (Tensor t : indices) b = Shape.broadcast(op, b, t.shape);
            int n = Shape.size(b);
            int[] rows = new int[n];
            for (int d = 0; d < k; d++) {
                IndexingKernels.requireIndex(op, "index " + d, indices[d]);
                Tensor full = Kernels.expandView(indices[d], b);
                int[] p;
                try {
                    p = IndexingKernels.positions(op, "index " + d, full, shape[d], true);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(e.getMessage() + " at dim " + d + " of x of shape " + Shape.str(shape), e);
                }
                for (int i = 0; i < n; i++) rows[i] = rows[i] * shape[d] + p[i];
            }
            return new Advanced(rows, b, shape, k);
        }

        /** x as [product of the indexed dims, remaining dims...]. */
        int[] rowsShape() {
            int[] s = new int[1 + shape.length - k];
            s[0] = 1;
            for (int d = 0; d < k; d++) s[0] *= shape[d];
            System.arraycopy(shape, k, s, 1, shape.length - k);
            return s;
        }

        int[] resultShape() {
            int[] s = Arrays.copyOf(broadcast, broadcast.length + shape.length - k);
            System.arraycopy(shape, k, s, broadcast.length, shape.length - k);
            return s;
        }
    }
}
