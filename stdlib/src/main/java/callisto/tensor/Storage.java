package callisto.tensor;

/**
 * The values behind a tensor and its views: one Java array ({@code double[]}, {@code float[]}, {@code int[]},
 * {@code long[]} or {@code boolean[]}) and a version counter that in-place operations bump, so that a backward
 * pass notices when a value it needs was overwritten.
 */
final class Storage {
    final Object array;
    final int length;
    int version;

    Storage(Object array, int length) {
        this.array = array;
        this.length = length;
    }

    static Object allocate(DType dtype, int n) {
        return switch (dtype) {
            case FLOAT64 -> new double[n];
            case FLOAT32 -> new float[n];
            case INT64 -> new long[n];
            case INT32 -> new int[n];
            case BOOL -> new boolean[n];
        };
    }

    static double getDouble(Object array, DType dtype, int i) {
        return switch (dtype) {
            case FLOAT64 -> ((double[]) array)[i];
            case FLOAT32 -> ((float[]) array)[i];
            case INT64 -> ((long[]) array)[i];
            case INT32 -> ((int[]) array)[i];
            case BOOL -> ((boolean[]) array)[i] ? 1 : 0;
        };
    }

    static long getLong(Object array, DType dtype, int i) {
        return switch (dtype) {
            case FLOAT64 -> (long) ((double[]) array)[i];
            case FLOAT32 -> (long) ((float[]) array)[i];
            case INT64 -> ((long[]) array)[i];
            case INT32 -> ((int[]) array)[i];
            case BOOL -> ((boolean[]) array)[i] ? 1 : 0;
        };
    }

    /** Stores element j of src converted to {@code dtype}: integers from an integer source keep all 64 bits. */
    static void set(Object array, DType dtype, int i, Object src, DType srcType, int j) {
        switch (dtype) {
            case FLOAT64 -> ((double[]) array)[i] = getDouble(src, srcType, j);
            case FLOAT32 -> ((float[]) array)[i] = (float) getDouble(src, srcType, j);
            case INT64 -> ((long[]) array)[i] = getLong(src, srcType, j);
            case INT32 -> ((int[]) array)[i] = (int) getLong(src, srcType, j);
            case BOOL -> ((boolean[]) array)[i] = srcType == DType.BOOL ? ((boolean[]) src)[j] : getDouble(src, srcType, j) != 0;
        }
    }
}
