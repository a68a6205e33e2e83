package callisto.nn;

import callisto.tensor.ConvOptions;
import callisto.tensor.DType;

import java.util.Arrays;

/** Argument checks shared by the convolution layers. */
final class Convs {
    private Convs() {
    }

    /** (kh, kw) from one or two values. */
    static int[] kernel2(String op, int[] kernel) {
        if (kernel == null || kernel.length < 1 || kernel.length > 2) {
            throw new IllegalArgumentException(op + ": kernelSize " + Arrays.toString(kernel) + " must have 1 or 2 values");
        }
        return kernel.length == 1 ? new int[] {kernel[0], kernel[0]} : kernel.clone();
    }

    /** Checks the arguments and returns the group count. */
    static int check(String op, int in, int out, int[] kernel, ConvOptions options, DType dtype) {
        Layers.checkPositive(op, "inChannels", in);
        Layers.checkPositive(op, "outChannels", out);
        for (int k : kernel) Layers.checkPositive(op, "kernelSize " + Arrays.toString(kernel) + " entry", k);
        if (options == null) throw new IllegalArgumentException(op + ": options is null; use ConvOptions.defaults()");
        Layers.checkFloat(op, dtype);
        int groups = options.groups();
        if (in % groups != 0 || out % groups != 0) {
            throw new IllegalArgumentException(op + ": inChannels " + in + " and outChannels " + out
                    + " must both be divisible by groups " + groups);
        }
        return groups;
    }
}
