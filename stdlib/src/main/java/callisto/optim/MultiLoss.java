package callisto.optim;

import callisto.tensor.Autograd;
import callisto.tensor.Generator;
import callisto.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Combining the gradients of several losses into one update direction, for multi-task training and
 * physics-informed networks (PDE residual, boundary and data losses pulling in different directions).
 *
 * <p>Gradients come as named maps (parameter name to tensor, as {@link Optimizer#step(Map)} takes them), one map per
 * loss, all with the same names and shapes; {@link #combineFlat} takes single flat vectors instead. Each method
 * works on the concatenation of a map's tensors as one vector in float64 and returns tensors in the gradients'
 * dtypes.
 *
 * <ul>
 *   <li>{@link #pcgrad} — PCGrad (Yu et al. 2020, "Gradient Surgery for Multi-Task Learning"): each task gradient
 *       {@code g_i} is projected, in turn over the other tasks {@code j} (random order per task, or fixed), onto the
 *       normal plane of {@code g_j} whenever {@code g_i · g_j < 0}: {@code g_i -= (g_i · g_j) / |g_j|² g_j}
 *       (with the original {@code g_j}, as the paper); the projected gradients are summed.</li>
 *   <li>{@link #config} — ConFIG (Liu et al. 2024, "ConFIG: Towards Conflict-free Training of Physics Informed
 *       Neural Networks", eq. 2): with the unit gradients {@code u_i = g_i / |g_i|} stacked as the rows of
 *       {@code U}, {@code x = U⁺ 1} (the minimum-norm solution of {@code u_i · x = 1} for all i, computed as
 *       {@code Uᵀ (U Uᵀ)⁺ 1}), {@code v = x / |x|}, and the update is {@code (Σ_i g_i · v) v}. Its cosine with every
 *       unit gradient is the same, {@code 1 / |x|}, and positive.</li>
 *   <li>{@link #mgda} — MGDA (Désidéri 2012; Sener &amp; Koltun 2018): the minimum-norm point
 *       {@code d = Σ w_i g_i} of the convex hull of the gradients ({@code w} on the simplex), exact for two
 *       gradients, by pairwise Frank–Wolfe with exact line search on the Gram matrix otherwise. Every
 *       {@code g_i · d ≥ |d|²}, so a small step along {@code -d} decreases every loss unless {@code d = 0}
 *       (a Pareto-stationary point).</li>
 * </ul>
 *
 * <pre>{@code
 * Optimizer opt = Optimizers.adam(params, 1e-3);
 * Generator gen = new Generator(0);
 * for (...) MultiLoss.step(opt, params, List.of(() -> pdeLoss(params), () -> boundaryLoss(params)), Method.PCGRAD, gen);
 * }</pre>
 */
public final class MultiLoss {
    private MultiLoss() {}

    /** How {@link #combine} merges the loss gradients. */
    public enum Method {
        /** The plain sum of the gradients (the gradient of the summed loss). */
        SUM,
        /** PCGrad with a random projection order per task, drawn from the given {@link Generator}. */
        PCGRAD,
        /** PCGrad projecting onto the other tasks in index order (deterministic without a generator). */
        PCGRAD_FIXED,
        /** ConFIG: the equal-cosine conflict-free direction. */
        CONFIG,
        /** MGDA: the minimum-norm point of the convex hull. */
        MGDA
    }

    /**
     * The result of {@link #mgda}: the simplex weights of the gradients (in their order; non-negative, summing to 1)
     * and the combined direction {@code Σ w_i g_i}.
     */
    public record MinNorm(double[] weights, Map<String, Tensor> direction) {
        /** Copies the weights, so the record stays immutable. */
        public MinNorm {
            weights = weights.clone();
        }

        /** The weights (a copy). */
        @Override
        public double[] weights() {
            return weights.clone();
        }
    }

    // ---- named gradient maps

    /** PCGrad with a random order of the other tasks for each task, drawn from {@code generator}, as the paper. */
    public static Map<String, Tensor> pcgrad(List<Map<String, Tensor>> grads, Generator generator) {
        if (generator == null) throw new IllegalArgumentException("MultiLoss.pcgrad: generator is null; use pcgrad(grads) for the fixed order");
        Flat f = Flat.of("MultiLoss.pcgrad", grads);
        return f.unflatten(pcgrad(f.vectors, generator));
    }

    /** PCGrad projecting onto the other tasks in index order: deterministic, no randomness. */
    public static Map<String, Tensor> pcgrad(List<Map<String, Tensor>> grads) {
        Flat f = Flat.of("MultiLoss.pcgrad", grads);
        return f.unflatten(pcgrad(f.vectors, null));
    }

    /**
     * ConFIG's conflict-free direction (see the class comment for the formula). Zero gradients are left out of the
     * cosine conditions. When the unit gradients are linearly dependent (e.g. more losses than parameters) an
     * equal-cosine direction may not exist; the pseudo-inverse then gives the least-squares one, and exactly opposed
     * gradients give the zero direction.
     */
    public static Map<String, Tensor> config(List<Map<String, Tensor>> grads) {
        Flat f = Flat.of("MultiLoss.config", grads);
        return f.unflatten(config(f.vectors));
    }

    /** MGDA's minimum-norm convex combination of the gradients, with its weights. */
    public static MinNorm mgda(List<Map<String, Tensor>> grads) {
        Flat f = Flat.of("MultiLoss.mgda", grads);
        double[] w = minNormWeights(f.vectors);
        return new MinNorm(w, f.unflatten(weighted(f.vectors, w)));
    }

    /** The plain sum of the gradients. */
    public static Map<String, Tensor> sum(List<Map<String, Tensor>> grads) {
        Flat f = Flat.of("MultiLoss.sum", grads);
        double[] w = new double[f.vectors.length];
        Arrays.fill(w, 1);
        return f.unflatten(weighted(f.vectors, w));
    }

    /**
     * The gradients combined by {@code method}; {@code generator} is used by {@link Method#PCGRAD} only (and must
     * then be non-null).
     */
    public static Map<String, Tensor> combine(List<Map<String, Tensor>> grads, Method method, Generator generator) {
        if (method == null) throw new IllegalArgumentException("MultiLoss.combine: method is null; expected one of " + Arrays.toString(Method.values()));
        return switch (method) {
            case SUM -> sum(grads);
            case PCGRAD -> {
                if (generator == null) {
                    throw new IllegalArgumentException("MultiLoss.combine: method PCGRAD needs a Generator (got null); pass one or use PCGRAD_FIXED");
                }
                yield pcgrad(grads, generator);
            }
            case PCGRAD_FIXED -> pcgrad(grads);
            case CONFIG -> config(grads);
            case MGDA -> mgda(grads).direction();
        };
    }

    /** {@link #combine} on flat gradient vectors (each a tensor of the same shape), giving a tensor of that shape. */
    public static Tensor combineFlat(List<Tensor> grads, Method method, Generator generator) {
        if (grads == null || grads.isEmpty()) throw new IllegalArgumentException("MultiLoss.combineFlat: grads is empty; expected at least one gradient");
        List<Map<String, Tensor>> maps = new ArrayList<>();
        for (int i = 0; i < grads.size(); i++) {
            if (grads.get(i) == null) throw new IllegalArgumentException("MultiLoss.combineFlat: gradient " + i + " is null");
            maps.add(Map.of("g", grads.get(i)));
        }
        return combine(maps, method, generator).get("g");
    }

    // ---- autograd and optimizer plumbing

    /**
     * Each loss's gradient with respect to {@code params}, by name; the losses are evaluated in order and their graphs
     * released after use. A parameter a loss does not depend on gets a zero gradient. Each loss must be a scalar.
     */
    public static List<Map<String, Tensor>> gradients(List<Supplier<Tensor>> losses, Map<String, Tensor> params) {
        return gradients("MultiLoss.gradients", losses, params, null);
    }

    private static List<Map<String, Tensor>> gradients(String fn, List<Supplier<Tensor>> losses, Map<String, Tensor> params,
            double[] values) {
        if (losses == null || losses.isEmpty()) throw new IllegalArgumentException(fn + ": losses is empty; expected at least one loss");
        if (params == null || params.isEmpty()) throw new IllegalArgumentException(fn + ": params is empty; expected at least one named tensor");
        List<String> names = new ArrayList<>(params.keySet());
        List<Tensor> inputs = new ArrayList<>();
        for (String n : names) {
            Tensor p = params.get(n);
            if (p == null || !p.requiresGrad()) {
                throw new IllegalArgumentException(fn + ": parameter '" + n + "' " + (p == null ? "is null" : "does not require grad")
                        + "; expected a leaf tensor with requiresGrad(true)");
            }
            inputs.add(p);
        }
        List<Map<String, Tensor>> out = new ArrayList<>();
        for (int i = 0; i < losses.size(); i++) {
            Tensor loss = losses.get(i).get();
            if (loss == null || loss.numel() != 1) {
                throw new IllegalArgumentException(fn + ": loss " + i + " has shape "
                        + (loss == null ? "null" : Arrays.toString(loss.shape())) + "; expected a scalar");
            }
            if (values != null) values[i] = loss.item();
            Map<String, Tensor> g = new LinkedHashMap<>();
            if (!loss.requiresGrad()) {
                for (String n : names) g.put(n, Tensor.zerosLike(params.get(n)));
            } else {
                List<Tensor> gs = Autograd.grad(List.of(loss), inputs, null, false, false, true);
                for (int k = 0; k < names.size(); k++) {
                    Tensor gk = gs.get(k);
                    g.put(names.get(k), gk == null ? Tensor.zerosLike(inputs.get(k)) : gk);
                }
            }
            out.add(g);
        }
        return out;
    }

    /**
     * One optimizer step along the combination of the losses' gradients: evaluates each loss, differentiates it with
     * respect to {@code params}, combines by {@code method} (which must not be {@link Method#PCGRAD}: that needs the
     * overload with a {@link Generator}) and calls {@link Optimizer#step(Map)}. Returns the loss values before the
     * step.
     */
    public static double[] step(Optimizer optimizer, Map<String, Tensor> params, List<Supplier<Tensor>> losses, Method method) {
        return step(optimizer, params, losses, method, null);
    }

    /** {@link #step(Optimizer, Map, List, Method)} with the generator for {@link Method#PCGRAD}'s random orders. */
    public static double[] step(Optimizer optimizer, Map<String, Tensor> params, List<Supplier<Tensor>> losses, Method method,
            Generator generator) {
        if (optimizer == null) throw new IllegalArgumentException("MultiLoss.step: optimizer is null");
        if (losses == null || losses.isEmpty()) throw new IllegalArgumentException("MultiLoss.step: losses is empty; expected at least one loss");
        if (method == Method.PCGRAD && generator == null) {
            throw new IllegalArgumentException("MultiLoss.step: method PCGRAD needs a Generator (got null); pass one or use PCGRAD_FIXED");
        }
        double[] values = new double[losses.size()];
        List<Map<String, Tensor>> grads = gradients("MultiLoss.step", losses, params, values);
        optimizer.step(combine(grads, method, generator));
        return values;
    }

    // ---- the algorithms, on float64 vectors

    static double[] pcgrad(double[][] g, Generator generator) {
        int m = g.length, n = g[0].length;
        double[] sq = new double[m];
        for (int j = 0; j < m; j++) sq[j] = dot(g[j], g[j]);
        double[] out = new double[n];
        for (int i = 0; i < m; i++) {
            double[] gi = g[i].clone();
            int[] order = generator != null ? generator.permutation(m) : identity(m);
            for (int j : order) {
                if (j == i || sq[j] == 0) continue;
                double d = dot(gi, g[j]);
                if (d < 0) axpy(-d / sq[j], g[j], gi);
            }
            for (int k = 0; k < n; k++) out[k] += gi[k];
        }
        return out;
    }

    static double[] config(double[][] g) {
        int n = g[0].length;
        // a zero gradient has no direction to agree with: it takes no part in the equal-cosine system
        List<double[]> units = new ArrayList<>();
        for (double[] gi : g) {
            double norm = Math.sqrt(dot(gi, gi));
            if (norm == 0) continue;
            double[] u = gi.clone();
            for (int k = 0; k < n; k++) u[k] /= norm;
            units.add(u);
        }
        double[] out = new double[n];
        int m = units.size();
        if (m == 0) return out;
        double[][] gram = new double[m][m];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j <= i; j++) gram[i][j] = gram[j][i] = dot(units.get(i), units.get(j));
        }
        double[] ones = new double[m];
        Arrays.fill(ones, 1);
        double[] c = pinvSymmetric(gram, ones);
        double[] x = new double[n];
        for (int i = 0; i < m; i++) axpy(c[i], units.get(i), x);
        double xn = Math.sqrt(dot(x, x));
        // x = 0 only when no direction has a positive cosine with all of them (e.g. exactly opposite gradients)
        if (!(xn > 0)) return out;
        for (int k = 0; k < n; k++) x[k] /= xn;
        double scale = 0;
        for (double[] gi : g) scale += dot(gi, x);
        for (int k = 0; k < n; k++) out[k] = scale * x[k];
        return out;
    }

    static double[] minNormWeights(double[][] g) {
        int m = g.length;
        double[][] gram = new double[m][m];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j <= i; j++) gram[i][j] = gram[j][i] = dot(g[i], g[j]);
        }
        return minNormGram(gram);
    }

    /** The simplex weights minimising {@code wᵀ M w} for the Gram matrix {@code M}. */
    static double[] minNormGram(double[][] gram) {
        int m = gram.length;
        double[] w = new double[m];
        if (m == 1) {
            w[0] = 1;
            return w;
        }
        if (m == 2) {
            double gamma = lineMin(gram[1][1], gram[0][1], gram[0][0]);
            w[0] = gamma;
            w[1] = 1 - gamma;
            return w;
        }
        // start from the best pair (Sener & Koltun's initialisation), then pairwise Frank-Wolfe: move weight from the
        // worst active vertex to the best one with an exact line search; linear convergence on the simplex
        double best = Double.POSITIVE_INFINITY;
        for (int i = 0; i < m; i++) {
            for (int j = i + 1; j < m; j++) {
                double gamma = lineMin(gram[j][j], gram[i][j], gram[i][i]);
                double v = gamma * gamma * gram[i][i] + 2 * gamma * (1 - gamma) * gram[i][j] + (1 - gamma) * (1 - gamma) * gram[j][j];
                if (v < best) {
                    best = v;
                    Arrays.fill(w, 0);
                    w[i] = gamma;
                    w[j] = 1 - gamma;
                }
            }
        }
        double scale = 0;
        for (int i = 0; i < m; i++) scale = Math.max(scale, gram[i][i]);
        double[] mw = new double[m];
        for (int i = 0; i < m; i++) for (int j = 0; j < m; j++) mw[i] += gram[i][j] * w[j];
        for (int iter = 0; iter < 100_000; iter++) {
            int t = 0, s = -1;
            for (int i = 1; i < m; i++) if (mw[i] < mw[t]) t = i;
            for (int i = 0; i < m; i++) if (w[i] > 0 && (s < 0 || mw[i] > mw[s])) s = i;
            double gap = mw[s] - mw[t];
            if (s == t || gap <= 1e-15 * scale) break;
            double curv = gram[t][t] + gram[s][s] - 2 * gram[t][s];
            double step = curv > 0 ? Math.min(w[s], gap / curv) : w[s];
            if (!(step > 0)) break;
            w[t] += step;
            w[s] -= step;
            if (w[s] < 1e-300) w[s] = 0;
            for (int i = 0; i < m; i++) mw[i] += step * (gram[i][t] - gram[i][s]);
        }
        double total = 0;
        for (double v : w) total += v;
        for (int i = 0; i < m; i++) w[i] /= total;
        return w;
    }

    /** The {@code γ ∈ [0, 1]} minimising {@code |γ a + (1 - γ) b|²}, given {@code b·b}, {@code a·b}, {@code a·a}. */
    private static double lineMin(double bb, double ab, double aa) {
        double den = aa + bb - 2 * ab;
        if (!(den > 0)) return aa <= bb ? 1 : 0;
        return Math.clamp((bb - ab) / den, 0.0, 1.0);
    }

    /** {@code A⁺ b} for a symmetric positive semi-definite {@code A} (cyclic Jacobi eigendecomposition). */
    static double[] pinvSymmetric(double[][] a0, double[] b) {
        int m = a0.length;
        double[][] a = new double[m][];
        for (int i = 0; i < m; i++) a[i] = a0[i].clone();
        double[][] v = new double[m][m];
        for (int i = 0; i < m; i++) v[i][i] = 1;
        for (int sweep = 0; sweep < 100; sweep++) {
            double off = 0, diag = 0;
            for (int i = 0; i < m; i++) {
                diag += a[i][i] * a[i][i];
                for (int j = i + 1; j < m; j++) off += a[i][j] * a[i][j];
            }
            if (off <= 1e-32 * diag) break;
            for (int p = 0; p < m; p++) {
                for (int q = p + 1; q < m; q++) {
                    if (a[p][q] == 0) continue;
                    double theta = (a[q][q] - a[p][p]) / (2 * a[p][q]);
                    double t = Math.signum(theta == 0 ? 1 : theta) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
                    double c = 1 / Math.sqrt(t * t + 1), s = t * c;
                    for (int k = 0; k < m; k++) {
                        double akp = a[k][p], akq = a[k][q];
                        a[k][p] = c * akp - s * akq;
                        a[k][q] = s * akp + c * akq;
                    }
                    for (int k = 0; k < m; k++) {
                        double apk = a[p][k], aqk = a[q][k];
                        a[p][k] = c * apk - s * aqk;
                        a[q][k] = s * apk + c * aqk;
                    }
                    for (int k = 0; k < m; k++) {
                        double vkp = v[k][p], vkq = v[k][q];
                        v[k][p] = c * vkp - s * vkq;
                        v[k][q] = s * vkp + c * vkq;
                    }
                }
            }
        }
        double max = 0;
        for (int i = 0; i < m; i++) max = Math.max(max, Math.abs(a[i][i]));
        // numpy's pinv cutoff: eigenvalues below m·eps·max are treated as zero (dependent unit gradients)
        double cutoff = Math.max(m, 1) * 1e-15 * max * 10;
        double[] out = new double[m];
        for (int k = 0; k < m; k++) {
            double lambda = a[k][k];
            if (lambda <= cutoff) continue;
            double proj = 0;
            for (int i = 0; i < m; i++) proj += v[i][k] * b[i];
            proj /= lambda;
            for (int i = 0; i < m; i++) out[i] += proj * v[i][k];
        }
        return out;
    }

    private static double[] weighted(double[][] g, double[] w) {
        double[] out = new double[g[0].length];
        for (int i = 0; i < g.length; i++) if (w[i] != 0) axpy(w[i], g[i], out);
        return out;
    }

    private static int[] identity(int m) {
        int[] p = new int[m];
        for (int i = 0; i < m; i++) p[i] = i;
        return p;
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int k = 0; k < a.length; k++) s += a[k] * b[k];
        return s;
    }

    private static void axpy(double alpha, double[] x, double[] y) {
        for (int k = 0; k < x.length; k++) y[k] += alpha * x[k];
    }

    /** The gradient maps as float64 vectors (keys in the first map's order), and the way back. */
    private static final class Flat {
        final double[][] vectors;
        final Map<String, Tensor> like;

        private Flat(double[][] vectors, Map<String, Tensor> like) {
            this.vectors = vectors;
            this.like = like;
        }

        static Flat of(String fn, List<Map<String, Tensor>> grads) {
            if (grads == null || grads.isEmpty()) throw new IllegalArgumentException(fn + ": grads is empty; expected at least one gradient map");
            Map<String, Tensor> first = grads.getFirst();
            if (first == null || first.isEmpty()) throw new IllegalArgumentException(fn + ": gradient map 0 is " + (first == null ? "null" : "empty"));
            int n = 0;
            for (var e : first.entrySet()) {
                Tensor t = e.getValue();
                if (t == null) throw new IllegalArgumentException(fn + ": gradient 0 for '" + e.getKey() + "' is null");
                if (!t.dtype().isFloatingPoint()) {
                    throw new IllegalArgumentException(fn + ": gradient 0 for '" + e.getKey() + "' has dtype " + t.dtype()
                            + "; expected a floating-point tensor");
                }
                n += t.numel();
            }
            double[][] v = new double[grads.size()][n];
            for (int i = 0; i < grads.size(); i++) {
                Map<String, Tensor> gi = grads.get(i);
                if (gi == null) throw new IllegalArgumentException(fn + ": gradient map " + i + " is null");
                if (!gi.keySet().equals(first.keySet())) {
                    var missing = new ArrayList<>(first.keySet());
                    missing.removeAll(gi.keySet());
                    var extra = new ArrayList<>(gi.keySet());
                    extra.removeAll(first.keySet());
                    throw new IllegalArgumentException(fn + ": gradient map " + i + " has keys " + gi.keySet() + " but map 0 has "
                            + first.keySet() + " (missing " + missing + ", extra " + extra + ")");
                }
                int off = 0;
                for (var e : first.entrySet()) {
                    Tensor t = gi.get(e.getKey());
                    if (t == null) throw new IllegalArgumentException(fn + ": gradient " + i + " for '" + e.getKey() + "' is null");
                    if (!Arrays.equals(t.shape(), e.getValue().shape())) {
                        throw new IllegalArgumentException(fn + ": gradient " + i + " for '" + e.getKey() + "' has shape "
                                + Arrays.toString(t.shape()) + "; expected " + Arrays.toString(e.getValue().shape())
                                + " as in gradient 0");
                    }
                    if (!t.dtype().isFloatingPoint()) {
                        throw new IllegalArgumentException(fn + ": gradient " + i + " for '" + e.getKey() + "' has dtype " + t.dtype()
                                + "; expected a floating-point tensor");
                    }
                    double[] a = t.toArray();
                    for (int j = 0; j < a.length; j++) {
                        if (!Double.isFinite(a[j])) {
                            throw new IllegalArgumentException(fn + ": gradient " + i + " for '" + e.getKey() + "' has a non-finite value "
                                    + a[j] + " at element " + j);
                        }
                    }
                    System.arraycopy(a, 0, v[i], off, a.length);
                    off += a.length;
                }
            }
            return new Flat(v, first);
        }

        Map<String, Tensor> unflatten(double[] x) {
            Map<String, Tensor> out = new LinkedHashMap<>();
            int off = 0;
            for (var e : like.entrySet()) {
                int k = e.getValue().numel();
                out.put(e.getKey(), Buf.make(Arrays.copyOfRange(x, off, off + k), e.getValue()));
                off += k;
            }
            return out;
        }
    }
}
