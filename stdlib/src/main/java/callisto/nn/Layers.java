package callisto.nn;

import callisto.tensor.DType;
import callisto.tensor.Tensor;

import java.util.Arrays;

/** Argument checks shared by the layers. */
final class Layers {
    private Layers() {
    }

    static void checkFloat(String op, DType dtype) {
        if (dtype == null || !dtype.isFloatingPoint()) {
            throw new IllegalArgumentException(op + ": dtype " + dtype + " must be FLOAT32 or FLOAT64");
        }
    }

    static void checkPositive(String op, String name, int value) {
        if (value < 1) throw new IllegalArgumentException(op + ": " + name + " " + value + " must be >= 1");
    }

    static String shape(Tensor x) {
        return Arrays.toString(x.shape());
    }

    static String pair(int[] v) {
        return v.length == 1 ? "(" + v[0] + ", " + v[0] + ")" : "(" + v[0] + ", " + v[1] + ")";
    }
}
