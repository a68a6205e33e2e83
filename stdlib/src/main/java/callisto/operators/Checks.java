package callisto.operators;

import callisto.tensor.DType;
import callisto.tensor.Tensor;
import java.util.Arrays;

/** Argument checks shared by the operator layers. */
final class Checks {
    private Checks() {
    }

    static void positive(String op, String name, int value) {
        if (value < 1) throw new IllegalArgumentException(op + ": " + name + " " + value + " must be >= 1");
    }

    static void floating(String op, DType dtype) {
        if (dtype == null || !dtype.isFloatingPoint()) {
            throw new IllegalArgumentException(op + ": dtype " + dtype + " must be FLOAT32 or FLOAT64");
        }
    }

    static void generator(String op, Object generator) {
        if (generator == null) throw new IllegalArgumentException(op + ": generator is null; pass a seeded callisto.tensor.Generator");
    }

    /** x must be [batch, channels, spatial...] with {@code spatialDims} spatial dims and the given channel count. */
    static void channelFirst(String op, Tensor x, int spatialDims, int channels, String layout) {
        if (x == null) throw new IllegalArgumentException(op + ": input is null; expected " + layout);
        if (x.dim() != spatialDims + 2 || x.size(1) != channels) {
            throw new IllegalArgumentException(op + ": input shape " + Arrays.toString(x.shape()) + " must be " + layout
                    + " with channels = " + channels);
        }
        if (!x.dtype().isFloatingPoint()) {
            throw new IllegalArgumentException(op + ": input dtype " + x.dtype() + " must be FLOAT32 or FLOAT64");
        }
    }
}
