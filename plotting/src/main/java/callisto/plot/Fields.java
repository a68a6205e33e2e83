package callisto.plot;

import callisto.tensor.Tensor;
import java.util.Arrays;

/** Reads 2-D fields, vector fields and RGB images out of tensors and arrays, with errors that name the shape. */
final class Fields {
    private Fields() {
    }

    /** A scalar field, row-major: {@code v[i * w + j]} is row i, column j. */
    record Scalar(double[] v, int h, int w) {
        double at(int i, int j) {
            return v[i * w + j];
        }

        double[][] rows() {
            double[][] r = new double[h][];
            for (int i = 0; i < h; i++) r[i] = Arrays.copyOfRange(v, i * w, (i + 1) * w);
            return r;
        }

        String shape() {
            return "[" + h + ", " + w + "]";
        }

        /** {min, max} of the finite values, or null when there are none. */
        double[] range() {
            double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
            for (double x : v) {
                if (Double.isFinite(x)) {
                    lo = Math.min(lo, x);
                    hi = Math.max(hi, x);
                }
            }
            return lo <= hi ? new double[] {lo, hi} : null;
        }
    }

    static String shape(Tensor t) {
        return Arrays.toString(t.shape());
    }

    static Tensor notNull(String op, String arg, Tensor t) {
        if (t == null) throw new IllegalArgumentException(op + ": " + arg + " is null");
        return t;
    }

    /** A 2-D tensor, or a one-channel [H,W,1] or [1,H,W] one. */
    static Scalar scalar(String op, String arg, Tensor t) {
        notNull(op, arg, t);
        int[] s = t.shape();
        if (s.length == 2) return check(op, arg, new Scalar(t.toArray(), s[0], s[1]), shape(t));
        if (s.length == 3 && s[2] == 1) return check(op, arg, new Scalar(t.toArray(), s[0], s[1]), shape(t));
        if (s.length == 3 && s[0] == 1) return check(op, arg, new Scalar(t.toArray(), s[1], s[2]), shape(t));
        throw new IllegalArgumentException(op + ": expected " + arg + " as a 2-D tensor, got shape " + shape(t));
    }

    static Scalar scalar(String op, String arg, double[][] a) {
        if (a == null || a.length == 0 || a[0] == null || a[0].length == 0) {
            throw new IllegalArgumentException(op + ": " + arg + " is empty (expected rows of values)");
        }
        int w = a[0].length;
        double[] v = new double[a.length * w];
        for (int i = 0; i < a.length; i++) {
            if (a[i] == null || a[i].length != w) {
                throw new IllegalArgumentException(op + ": " + arg + " row " + i + " has " + (a[i] == null ? 0 : a[i].length)
                        + " values, row 0 has " + w);
            }
            System.arraycopy(a[i], 0, v, i * w, w);
        }
        return new Scalar(v, a.length, w);
    }

    private static Scalar check(String op, String arg, Scalar f, String shape) {
        if (f.h() == 0 || f.w() == 0) throw new IllegalArgumentException(op + ": " + arg + " is empty, shape " + shape);
        return f;
    }

    /** Whether {@code t} has the shape of an RGB image: [H,W,3] or [3,H,W]. */
    static boolean isRgb(Tensor t) {
        int[] s = t.shape();
        return s.length == 3 && (s[2] == 3 || s[0] == 3);
    }

    /**
     * An RGB image with values in [0, 1] as packed ARGB pixels, row-major; channels last wins when both fit.
     * NaN in any channel gives a transparent pixel.
     */
    static int[] rgb(String op, Tensor t) {
        int[] s = t.shape();
        boolean last = s[2] == 3;
        int h = last ? s[0] : s[1], w = last ? s[1] : s[2];
        if (h == 0 || w == 0) throw new IllegalArgumentException(op + ": the RGB image is empty, shape " + shape(t));
        double[] v = t.toArray();
        double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
        for (double x : v) {
            if (!Double.isNaN(x)) {
                lo = Math.min(lo, x);
                hi = Math.max(hi, x);
            }
        }
        // Small rounding past the ends is clamped; values far out are a mistake (0..255 data) rather than noise.
        if (lo < -1e-3 || hi > 1 + 1e-3) {
            throw new IllegalArgumentException(op + ": an RGB image of shape " + shape(t) + " needs values in [0, 1], got ["
                    + lo + ", " + hi + "]" + (hi > 1.5 ? " (divide 0..255 data by 255)" : ""));
        }
        int[] px = new int[h * w];
        int plane = h * w;
        for (int p = 0; p < plane; p++) {
            double r = last ? v[3 * p] : v[p], g = last ? v[3 * p + 1] : v[plane + p], b = last ? v[3 * p + 2] : v[2 * plane + p];
            px[p] = Double.isNaN(r) || Double.isNaN(g) || Double.isNaN(b) ? 0 : 0xff000000 | byte8(r) << 16 | byte8(g) << 8 | byte8(b);
        }
        return px;
    }

    static int rgbHeight(Tensor t) {
        int[] s = t.shape();
        return s[2] == 3 ? s[0] : s[1];
    }

    static int rgbWidth(Tensor t) {
        int[] s = t.shape();
        return s[2] == 3 ? s[1] : s[2];
    }

    private static int byte8(double x) {
        return (int) Math.round(Math.max(0, Math.min(1, x)) * 255);
    }

    /** The two components of a vector field of shape [H,W,2] (channels last wins) or [2,H,W]. */
    static Scalar[] pair(String op, String arg, Tensor t) {
        notNull(op, arg, t);
        int[] s = t.shape();
        if (s.length != 3 || (s[2] != 2 && s[0] != 2)) {
            throw new IllegalArgumentException(op + ": expected " + arg + " of shape [H,W,2] or [2,H,W], got shape " + shape(t));
        }
        boolean last = s[2] == 2;
        int h = last ? s[0] : s[1], w = last ? s[1] : s[2];
        if (h < 2 || w < 2) throw new IllegalArgumentException(op + ": " + arg + " needs at least a 2x2 grid, got shape " + shape(t));
        double[] v = t.toArray();
        double[] a = new double[h * w], b = new double[h * w];
        for (int p = 0; p < h * w; p++) {
            a[p] = last ? v[2 * p] : v[p];
            b[p] = last ? v[2 * p + 1] : v[h * w + p];
        }
        return new Scalar[] {new Scalar(a, h, w), new Scalar(b, h, w)};
    }

    /** Two 2-D tensors of one shape. */
    static Scalar[] pair(String op, String a, Tensor ta, String b, Tensor tb) {
        Scalar fa = scalar(op, a, ta), fb = scalar(op, b, tb);
        if (fa.h() != fb.h() || fa.w() != fb.w()) {
            throw new IllegalArgumentException(op + ": " + a + " has shape " + shape(ta) + " but " + b + " has shape " + shape(tb));
        }
        return new Scalar[] {fa, fb};
    }
}
