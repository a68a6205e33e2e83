package callisto.optim;

import callisto.tensor.DType;
import callisto.tensor.Tensor;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/** Array plumbing shared by the transforms: they compute on double[] and store tensors in the parameters' dtype. */
final class Buf {
    private Buf() {}

    static double[] get(Tensor t) {
        return t.toArray();
    }

    /** A tensor of {@code like}'s shape and dtype holding {@code v}. */
    static Tensor make(double[] v, Tensor like) {
        if (like.dtype() == DType.FLOAT32) {
            float[] f = new float[v.length];
            for (int i = 0; i < v.length; i++) f[i] = (float) v[i];
            return Tensor.of(f, like.shape());
        }
        return Tensor.of(v, like.shape());
    }

    static Map<String, Tensor> full(Map<String, Tensor> params, double value) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (var e : params.entrySet()) {
            double[] v = new double[e.getValue().numel()];
            if (value != 0) Arrays.fill(v, value);
            out.put(e.getKey(), make(v, e.getValue()));
        }
        return out;
    }

    /** Copies of the values (own storage): state must not alias parameters that are updated in place. */
    static Map<String, Tensor> values(Map<String, Tensor> params) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (var e : params.entrySet()) out.put(e.getKey(), make(e.getValue().toArray(), e.getValue()));
        return out;
    }

    static Map<String, Tensor> copy(Map<String, Tensor> m) {
        return new LinkedHashMap<>(m);
    }

    /** The state entry of parameter {@code key}, failing with the parameter's name when the state lacks it. */
    static double[] state(String fn, Map<String, Tensor> m, String key) {
        Tensor t = m.get(key);
        if (t == null) {
            throw new IllegalArgumentException(fn + ": no state for parameter '" + key + "'; the transform was initialised with "
                    + m.keySet());
        }
        return t.toArray();
    }

    static void checkShapes(String fn, Map<String, Tensor> grads, Map<String, Tensor> params) {
        for (var e : grads.entrySet()) {
            Tensor p = params.get(e.getKey());
            if (p == null) {
                throw new IllegalArgumentException(fn + ": gradient for unknown parameter '" + e.getKey() + "'; the parameters are "
                        + params.keySet());
            }
            if (!Arrays.equals(p.shape(), e.getValue().shape())) {
                throw new IllegalArgumentException(fn + ": the gradient of parameter '" + e.getKey() + "' has shape "
                        + Arrays.toString(e.getValue().shape()) + ", expected the parameter's shape " + Arrays.toString(p.shape()));
            }
        }
    }

    static void saveMap(String prefix, Map<String, Tensor> m, Map<String, Tensor> out) {
        for (var e : m.entrySet()) out.put(prefix + e.getKey(), e.getValue());
    }

    static Map<String, Tensor> loadMap(String prefix, Map<String, Tensor> template, Map<String, Tensor> in) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (var e : template.entrySet()) {
            String key = prefix + e.getKey();
            Tensor t = in.get(key);
            if (t == null) throw new IllegalArgumentException("Optimizer.loadState: missing key '" + key + "'");
            if (!Arrays.equals(t.shape(), e.getValue().shape())) {
                throw new IllegalArgumentException("Optimizer.loadState: '" + key + "' has shape " + Arrays.toString(t.shape())
                        + ", expected " + Arrays.toString(e.getValue().shape()));
            }
            out.put(e.getKey(), make(t.toArray(), e.getValue()));
        }
        return out;
    }

    static void saveLong(String key, long v, Map<String, Tensor> out) {
        out.put(key, Tensor.scalar(DType.INT64, v));
    }

    static long loadLong(String key, Map<String, Tensor> in) {
        Tensor t = in.get(key);
        if (t == null) throw new IllegalArgumentException("Optimizer.loadState: missing key '" + key + "'");
        return (long) t.item();
    }

    static void saveDouble(String key, double v, Map<String, Tensor> out) {
        out.put(key, Tensor.scalar(DType.FLOAT64, v));
    }

    static double loadDouble(String key, Map<String, Tensor> in) {
        Tensor t = in.get(key);
        if (t == null) throw new IllegalArgumentException("Optimizer.loadState: missing key '" + key + "'");
        return t.item();
    }

    static double positive(String fn, String arg, double v) {
        if (!(v > 0) || Double.isInfinite(v)) throw new IllegalArgumentException(fn + ": " + arg + " must be positive and finite, got " + v);
        return v;
    }

    static double nonNegative(String fn, String arg, double v) {
        if (!(v >= 0) || Double.isInfinite(v)) throw new IllegalArgumentException(fn + ": " + arg + " must be >= 0 and finite, got " + v);
        return v;
    }

    static double beta(String fn, String arg, double v) {
        if (!(v >= 0 && v < 1)) throw new IllegalArgumentException(fn + ": " + arg + " must be in [0, 1), got " + v);
        return v;
    }
}
