package callisto.tensor;

import java.util.Locale;

/** PyTorch's print format: aligned columns, a shared number style, and "..." past 1000 elements. */
final class TensorFormat {
    private static final int EDGE = 3, THRESHOLD = 1000, INDENT = "tensor(".length();

    private TensorFormat() {
    }

    static String format(Tensor t) {
        var sb = new StringBuilder("tensor(");
        double[] v = t.toArray();
        if (v.length == 0) {
            sb.append("[]");
            if (t.dim() > 1) sb.append(", size=").append(Shape.str(t.shape).replace('[', '(').replace(']', ')'));
        } else {
            boolean summarise = v.length > THRESHOLD;
            String style = style(t.dtype, v);
            int width = 0;
            for (double x : v) width = Math.max(width, number(t.dtype, style, x).length());
            append(sb, t.shape, v, 0, 0, width, style, t.dtype, summarise);
        }
        if (t.dtype == DType.FLOAT32 || t.dtype == DType.INT32) sb.append(", dtype=").append(t.dtype.pythonName());
        if (t.node != null) sb.append(", gradFn=").append(t.node.op.getClass().getSimpleName());
        else if (t.requiresGrad()) sb.append(", requiresGrad=true");
        return sb.append(')').toString();
    }

    /** "int" when every finite value is whole, "sci" when magnitudes span too much for fixed point, else "fixed". */
    private static String style(DType dtype, double[] v) {
        if (!dtype.isFloatingPoint()) return "plain";
        double max = 0, min = Double.POSITIVE_INFINITY;
        boolean whole = true;
        for (double x : v) {
            if (!Double.isFinite(x)) continue;
            double a = Math.abs(x);
            whole &= x == Math.rint(x);
            max = Math.max(max, a);
            if (a > 0) min = Math.min(min, a);
        }
        if (whole) return max < 1e8 ? "int" : "sci";
        return max >= 1e8 || min < 1e-4 || max / min > 1e3 ? "sci" : "fixed";
    }

    private static String number(DType dtype, String style, double x) {
        if (dtype == DType.BOOL) return x != 0 ? "True" : "False";
        if (style.equals("plain")) return Long.toString((long) x);
        if (Double.isNaN(x)) return "nan";
        if (Double.isInfinite(x)) return x > 0 ? "inf" : "-inf";
        return switch (style) {
            case "int" -> String.format(Locale.ROOT, "%.0f.", x);
            case "sci" -> String.format(Locale.ROOT, "%.4e", x);
            default -> String.format(Locale.ROOT, "%.4f", x);
        };
    }

    private static void append(StringBuilder sb, int[] shape, double[] v, int dim, int offset, int width, String style,
            DType dtype, boolean summarise) {
        if (shape.length == 0) {
            sb.append(number(dtype, style, v[0]));
            return;
        }
        int stride = 1;
        for (int d = dim + 1; d < shape.length; d++) stride *= shape[d];
        sb.append('[');
        boolean last = dim == shape.length - 1;
        for (int i = 0; i < shape[dim]; i++) {
            if (summarise && shape[dim] > 2 * EDGE && i == EDGE) {
                sb.append(last ? "..., " : "...,\n" + " ".repeat(INDENT + dim + 1));
                i = shape[dim] - EDGE;
            }
            if (last) {
                String s = number(dtype, style, v[offset + i]);
                sb.append(" ".repeat(width - s.length())).append(s);
            } else {
                append(sb, shape, v, dim + 1, offset + i * stride, width, style, dtype, summarise);
            }
            if (i < shape[dim] - 1) {
                sb.append(last ? ", " : ",\n" + "\n".repeat(shape.length - dim - 2) + " ".repeat(INDENT + dim + 1));
            }
        }
        sb.append(']');
    }
}
