package callisto.optim;

import callisto.tensor.GradMode;
import callisto.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/** What SAM and GAM share: gradients as flat arrays by name, their global norm, moving the parameters and back. */
final class Perturbation {
    private Perturbation() {
    }

    /** The current gradients of the parameters that have one, as flat copies. */
    static Map<String, double[]> gradients(Map<String, Tensor> params) {
        Map<String, double[]> g = new LinkedHashMap<>();
        for (var e : params.entrySet()) {
            if (e.getValue().grad() != null) g.put(e.getKey(), e.getValue().grad().toArray());
        }
        return g;
    }

    /** The global L2 norm over all arrays. */
    static double norm(Map<String, double[]> m) {
        double sq = 0;
        for (double[] a : m.values()) for (double x : a) sq += x * x;
        return Math.sqrt(sq);
    }

    /** Copies of the values of the parameters named in {@code keys}, for {@link #restore}. */
    static Map<String, Tensor> save(Map<String, Tensor> params, Map<String, double[]> keys) {
        Map<String, Tensor> moved = new LinkedHashMap<>();
        for (String k : keys.keySet()) moved.put(k, params.get(k));
        return Buf.values(moved);
    }

    /** {@code θ += c·v} in place, for the parameters in {@code v}. */
    static void perturb(Map<String, Tensor> params, Map<String, double[]> v, double c) {
        try (var off = GradMode.noGrad()) {
            for (var e : v.entrySet()) {
                double[] a = e.getValue().clone();
                for (int i = 0; i < a.length; i++) a[i] *= c;
                Tensor p = params.get(e.getKey());
                p.add_(Buf.make(a, p));
            }
        }
    }

    /** Copies the saved values back (exactly, not by subtracting the perturbations). */
    static void restore(Map<String, Tensor> params, Map<String, Tensor> saved) {
        try (var off = GradMode.noGrad()) {
            for (var e : saved.entrySet()) params.get(e.getKey()).copy_(e.getValue());
        }
    }

    /** The gradients after one more closure call, for the keys of {@code like}; a missing gradient is zero. */
    static Map<String, double[]> gradientsAfter(Map<String, Tensor> params, Supplier<Tensor> lossClosure, Map<String, double[]> like) {
        lossClosure.get();
        Map<String, double[]> out = new LinkedHashMap<>();
        for (var e : like.entrySet()) {
            Tensor gr = params.get(e.getKey()).grad();
            out.put(e.getKey(), gr == null ? new double[e.getValue().length] : gr.toArray());
        }
        return out;
    }
}
