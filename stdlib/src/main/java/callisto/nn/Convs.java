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

    /** PyTorch's repr of the options: stride always, the others only when not their defaults. */
    static String repr(ConvOptions o, int dims, boolean transposed) {
        var s = new StringBuilder("stride=").append(tuple(o.stride(), dims));
        if (o.samePadding()) s.append(", padding='same'");
        else if (Arrays.stream(o.padding()).anyMatch(v -> v != 0)) s.append(", padding=").append(tuple(o.padding(), dims));
        if (Arrays.stream(o.dilation()).anyMatch(v -> v != 1)) s.append(", dilation=").append(tuple(o.dilation(), dims));
        if (transposed && Arrays.stream(o.outputPadding()).anyMatch(v -> v != 0)) {
            s.append(", output_padding=").append(tuple(o.outputPadding(), dims));
        }
        if (o.groups() != 1) s.append(", groups=").append(o.groups());
        if (o.paddingMode() != callisto.tensor.Conv.PaddingMode.ZEROS) {
            s.append(", padding_mode=").append(o.paddingMode().name().toLowerCase(java.util.Locale.ROOT));
        }
        return s.toString();
    }

    static String tuple(int[] v, int dims) {
        if (dims == 1) return "(" + v[0] + ",)";
        return "(" + v[0] + ", " + v[v.length > 1 ? 1 : 0] + ")";
    }
}
