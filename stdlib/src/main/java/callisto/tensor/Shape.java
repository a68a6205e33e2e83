package callisto.tensor;

import java.util.Arrays;

/** Shape arithmetic: sizes, broadcasting, row-major strides. */
final class Shape {
    private Shape() {
    }

    static int size(int[] shape) {
        int n = 1;
        for (int d : shape) n = Math.multiplyExact(n, d);
        return n;
    }

    /** The last shape asked for and its strides: results of elementwise ops share their input's shape array. */
    private static volatile int[][] lastStrides = {new int[0], new int[0]};

    /** Row-major strides; the returned array is shared and must not be written. */
    static int[] rowMajor(int[] shape) {
        int[][] last = lastStrides;
        if (last[0] == shape) return last[1];
        int[] s = strides(shape);
        lastStrides = new int[][] {shape, s};
        return s;
    }

    static int[] strides(int[] shape) {
        int[] s = new int[shape.length];
        int acc = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            s[i] = acc;
            acc *= shape[i];
        }
        return s;
    }

    static boolean isRowMajor(int[] shape, int[] strides) {
        int expected = 1;
        for (int d = shape.length - 1; d >= 0; d--) {
            if (shape[d] != 1 && strides[d] != expected) return false;
            expected *= shape[d];
        }
        return true;
    }

    /** NumPy broadcasting of two shapes; the error names the op and both shapes. */
    static int[] broadcast(String op, int[] a, int[] b) {
        if (Arrays.equals(a, b)) return a;
        int n = Math.max(a.length, b.length);
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            int da = i < n - a.length ? 1 : a[i - (n - a.length)];
            int db = i < n - b.length ? 1 : b[i - (n - b.length)];
            if (da != db && da != 1 && db != 1) {
                throw new IllegalArgumentException(op + ": shapes " + str(a) + " and " + str(b)
                        + " cannot broadcast (sizes " + da + " and " + db + " at dim " + i + ")");
            }
            out[i] = da == 1 ? db : da;
        }
        return out;
    }

    /** Strides that read {@code shape} as if expanded to {@code target} (0 where broadcast). */
    static int[] broadcastStrides(int[] shape, int[] target) {
        int[] own = strides(shape);
        int[] s = new int[target.length];
        int offset = target.length - shape.length;
        for (int i = 0; i < target.length; i++) {
            int j = i - offset;
            s[i] = j < 0 || shape[j] == 1 ? 0 : own[j];
        }
        return s;
    }

    /**
     * Strides that read a tensor of {@code shape}/{@code strides} as {@code target} without moving values, or
     * null when no view can (then reshape copies). Walks both shapes from the back, matching runs of old dims
     * that are contiguous among themselves ("chunks") to runs of new dims of the same element count.
     */
    static int[] viewStrides(int[] shape, int[] strides, int[] target) {
        int[] out = new int[target.length];
        if (size(shape) == 0 || shape.length == 0) return strides(target);
        int v = target.length - 1;
        long chunkStride = strides[shape.length - 1], oldCount = 1, newCount = 1;
        for (int d = shape.length - 1; d >= 0; d--) {
            oldCount *= shape[d];
            boolean chunkEnds = d == 0 || (shape[d - 1] != 1 && strides[d - 1] != oldCount * chunkStride);
            if (!chunkEnds) continue;
            while (v >= 0 && (newCount < oldCount || target[v] == 1)) {
                out[v] = (int) (newCount * chunkStride);
                newCount *= target[v];
                v--;
            }
            if (newCount != oldCount) return null;
            if (d > 0) {
                chunkStride = strides[d - 1];
                oldCount = 1;
                newCount = 1;
            }
        }
        return v == -1 ? out : null;
    }

    /** Whether {@code shape}, without its leading 1s, is the trailing part of {@code target}. */
    static boolean isSuffix(int[] shape, int[] target) {
        int lead = 0;
        while (lead < shape.length && shape[lead] == 1) lead++;
        int k = shape.length - lead;
        if (k > target.length) return false;
        for (int i = 0; i < k; i++) if (shape[lead + i] != target[target.length - k + i]) return false;
        return true;
    }

    static int normalizeDim(String op, int dim, int rank) {
        int d = dim < 0 ? dim + rank : dim;
        if (d < 0 || d >= rank) {
            throw new IllegalArgumentException(op + ": dim " + dim + " is out of range for a tensor of rank " + rank);
        }
        return d;
    }

    static String str(int[] shape) {
        return Arrays.toString(shape);
    }
}
