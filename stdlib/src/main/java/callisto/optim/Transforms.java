package callisto.optim;

import callisto.tensor.Tensor;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The gradient transforms optimizers are chained from, one idea each (optax's design), and {@link #chain}.
 *
 * <p>All transforms are elementwise per parameter unless stated (the global-norm clip and the trust ratio reduce).
 * A complex parameter is a real pair tensor (last dim 2, see {@code callisto.fft}); it is treated as its real view,
 * which is exactly what PyTorch's optimizers do for complex parameters ({@code torch.view_as_real} before the
 * elementwise update): Adam's second moment then holds re² and im² separately rather than |g|² per complex entry.
 * Global norms (clipByGlobalNorm, the trust ratio) over the real view equal the complex norms.
 *
 * <p>Step counts ({@code t}) are per transform, as in optax: a parameter that gets no gradient on some step keeps
 * its moments but shares the transform's count (PyTorch counts per parameter; the two agree whenever every
 * parameter gets a gradient at every step).
 */
public final class Transforms {
    private Transforms() {}

    // ---- states

    /** A step counter, for schedules. */
    public record CountState(long count) implements OptState {
        @Override
        public void save(String prefix, Map<String, Tensor> out) {
            Buf.saveLong(prefix + "count", count, out);
        }

        @Override
        public OptState load(String prefix, Map<String, Tensor> in) {
            return new CountState(Buf.loadLong(prefix + "count", in));
        }
    }

    /** A step count and one buffer per parameter (momentum, accumulators). */
    public record TraceState(long step, Map<String, Tensor> buf) implements OptState {
        @Override
        public void save(String prefix, Map<String, Tensor> out) {
            Buf.saveLong(prefix + "step", step, out);
            Buf.saveMap(prefix + "buf.", buf, out);
        }

        @Override
        public OptState load(String prefix, Map<String, Tensor> in) {
            return new TraceState(Buf.loadLong(prefix + "step", in), Buf.loadMap(prefix + "buf.", buf, in));
        }
    }

    /** Adam's state: step count, first moment, second moment, and (AMSGrad only, else empty) its running maximum. */
    public record AdamState(long step, Map<String, Tensor> mu, Map<String, Tensor> nu, Map<String, Tensor> nuMax) implements OptState {
        @Override
        public void save(String prefix, Map<String, Tensor> out) {
            Buf.saveLong(prefix + "step", step, out);
            Buf.saveMap(prefix + "mu.", mu, out);
            Buf.saveMap(prefix + "nu.", nu, out);
            Buf.saveMap(prefix + "nuMax.", nuMax, out);
        }

        @Override
        public OptState load(String prefix, Map<String, Tensor> in) {
            return new AdamState(Buf.loadLong(prefix + "step", in), Buf.loadMap(prefix + "mu.", mu, in),
                    Buf.loadMap(prefix + "nu.", nu, in), Buf.loadMap(prefix + "nuMax.", nuMax, in));
        }
    }

    /** NAdam's state: Adam's plus the running product of the momentum coefficients μ_1⋯μ_t. */
    public record NadamState(long step, double muProduct, Map<String, Tensor> mu, Map<String, Tensor> nu) implements OptState {
        @Override
        public void save(String prefix, Map<String, Tensor> out) {
            Buf.saveLong(prefix + "step", step, out);
            Buf.saveDouble(prefix + "muProduct", muProduct, out);
            Buf.saveMap(prefix + "mu.", mu, out);
            Buf.saveMap(prefix + "nu.", nu, out);
        }

        @Override
        public OptState load(String prefix, Map<String, Tensor> in) {
            return new NadamState(Buf.loadLong(prefix + "step", in), Buf.loadDouble(prefix + "muProduct", in),
                    Buf.loadMap(prefix + "mu.", mu, in), Buf.loadMap(prefix + "nu.", nu, in));
        }
    }

    /** FAdam's state: the step count, the momentum of the clipped natural gradient, and the bias-corrected Fisher diagonal. */
    public record FadamState(long step, Map<String, Tensor> momentum, Map<String, Tensor> fisher) implements OptState {
        @Override
        public void save(String prefix, Map<String, Tensor> out) {
            Buf.saveLong(prefix + "step", step, out);
            Buf.saveMap(prefix + "momentum.", momentum, out);
            Buf.saveMap(prefix + "fisher.", fisher, out);
        }

        @Override
        public OptState load(String prefix, Map<String, Tensor> in) {
            return new FadamState(Buf.loadLong(prefix + "step", in), Buf.loadMap(prefix + "momentum.", momentum, in),
                    Buf.loadMap(prefix + "fisher.", fisher, in));
        }
    }

    /** Two buffers per parameter (RMSprop centered: v and ḡ; Adadelta: v and Δ²; Rprop: previous grad and step size). */
    public record PairState(long step, Map<String, Tensor> a, Map<String, Tensor> b) implements OptState {
        @Override
        public void save(String prefix, Map<String, Tensor> out) {
            Buf.saveLong(prefix + "step", step, out);
            Buf.saveMap(prefix + "a.", a, out);
            Buf.saveMap(prefix + "b.", b, out);
        }

        @Override
        public OptState load(String prefix, Map<String, Tensor> in) {
            return new PairState(Buf.loadLong(prefix + "step", in), Buf.loadMap(prefix + "a.", a, in), Buf.loadMap(prefix + "b.", b, in));
        }
    }

    /** A chain's state: one per transform, saved under the transforms' (deduplicated) names. */
    public record ChainState(List<String> names, List<OptState> states) implements OptState {
        public ChainState {
            names = List.copyOf(names);
            states = List.copyOf(states);
        }

        @Override
        public void save(String prefix, Map<String, Tensor> out) {
            for (int i = 0; i < states.size(); i++) states.get(i).save(prefix + names.get(i) + ".", out);
        }

        @Override
        public OptState load(String prefix, Map<String, Tensor> in) {
            List<OptState> loaded = new ArrayList<>();
            for (int i = 0; i < states.size(); i++) loaded.add(states.get(i).load(prefix + names.get(i) + ".", in));
            return new ChainState(names, loaded);
        }
    }

    /** Lookahead's state: the inner (fast) optimizer's state, the slow weights, and the step count. */
    public record LookaheadState(long step, OptState fast, Map<String, Tensor> slow) implements OptState {
        @Override
        public void save(String prefix, Map<String, Tensor> out) {
            Buf.saveLong(prefix + "step", step, out);
            fast.save(prefix + "fast.", out);
            Buf.saveMap(prefix + "slow.", slow, out);
        }

        @Override
        public OptState load(String prefix, Map<String, Tensor> in) {
            return new LookaheadState(Buf.loadLong(prefix + "step", in), fast.load(prefix + "fast.", in),
                    Buf.loadMap(prefix + "slow.", slow, in));
        }
    }

    // ---- composition

    /**
     * The transforms applied in order, each to the previous one's updates, threading each one's state
     * (optax's {@code chain}). State keys are the transforms' names; a repeated name gets a suffix {@code _1, _2, ...}.
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public static GradientTransform<ChainState> chain(GradientTransform<?>... transforms) {
        GradientTransform<?>[] ts = transforms.clone();
        List<String> names = new ArrayList<>();
        Map<String, Integer> seen = new HashMap<>();
        for (GradientTransform<?> t : ts) {
            int n = seen.merge(t.name(), 1, Integer::sum);
            names.add(n == 1 ? t.name() : t.name() + "_" + (n - 1));
        }
        return GradientTransform.of("chain", params -> {
            List<OptState> states = new ArrayList<>();
            for (GradientTransform<?> t : ts) states.add(t.init(params));
            return new ChainState(names, states);
        }, (grads, state, params) -> {
            List<OptState> next = new ArrayList<>();
            Map<String, Tensor> u = grads;
            for (int i = 0; i < ts.length; i++) {
                Update<?> r = ((GradientTransform) ts[i]).update(u, state.states().get(i), params);
                u = r.updates();
                next.add(r.state());
            }
            return new Update<>(u, new ChainState(names, next));
        });
    }

    // ---- stateless scalings

    /** {@code u = c·g}. */
    public static GradientTransform<OptState> scale(double c) {
        return stateless("scale", (k, g, p) -> {
            for (int i = 0; i < g.length; i++) g[i] *= c;
            return g;
        });
    }

    /** {@code u = sign(g)}. */
    public static GradientTransform<OptState> scaleBySign() {
        return stateless("sign", (k, g, p) -> {
            for (int i = 0; i < g.length; i++) g[i] = Math.signum(g[i]);
            return g;
        });
    }

    /** {@code u = clamp(g, −c, c)}. */
    public static GradientTransform<OptState> clipByValue(double c) {
        Buf.nonNegative("Transforms.clipByValue", "c", c);
        return stateless("clip", (k, g, p) -> {
            for (int i = 0; i < g.length; i++) g[i] = Math.clamp(g[i], -c, c);
            return g;
        });
    }

    /**
     * Rescales all updates together so their global L2 norm is at most {@code maxNorm} (optax's
     * clip_by_global_norm): {@code u = g · maxNorm/‖g‖} when {@code ‖g‖ > maxNorm}, else {@code g}.
     */
    public static GradientTransform<OptState> clipByGlobalNorm(double maxNorm) {
        Buf.positive("Transforms.clipByGlobalNorm", "maxNorm", maxNorm);
        return GradientTransform.of("clipGlobalNorm", p -> OptState.Empty.INSTANCE, (grads, state, params) -> {
            Map<String, double[]> arrays = new LinkedHashMap<>();
            double sq = 0;
            for (var e : grads.entrySet()) {
                double[] g = Buf.get(e.getValue());
                for (double x : g) sq += x * x;
                arrays.put(e.getKey(), g);
            }
            double norm = Math.sqrt(sq);
            if (!(norm > maxNorm)) return new Update<>(grads, state);
            double c = maxNorm / norm;
            Map<String, Tensor> out = new LinkedHashMap<>();
            for (var e : arrays.entrySet()) {
                double[] g = e.getValue();
                for (int i = 0; i < g.length; i++) g[i] *= c;
                out.put(e.getKey(), Buf.make(g, grads.get(e.getKey())));
            }
            return new Update<>(out, state);
        });
    }

    /** {@code u = −lr·g}: the descent step. */
    public static GradientTransform<CountState> scaleByLearningRate(double lr) {
        return scaleByLearningRate(Schedule.constant(lr));
    }

    /** {@code u = −lr(t)·g} with {@code t} the number of previous updates. */
    public static GradientTransform<CountState> scaleByLearningRate(Schedule lr) {
        return scaleBySchedule("lr", t -> -lr.at(t));
    }

    /** {@code u = s(t)·g} with {@code t} the number of previous updates (optax's scale_by_schedule). */
    public static GradientTransform<CountState> scaleBySchedule(String name, Schedule s) {
        return GradientTransform.of(name, p -> new CountState(0), (grads, state, params) -> {
            double c = s.at(state.count());
            Map<String, Tensor> out = new LinkedHashMap<>();
            for (var e : grads.entrySet()) {
                double[] g = Buf.get(e.getValue());
                for (int i = 0; i < g.length; i++) g[i] *= c;
                out.put(e.getKey(), Buf.make(g, e.getValue()));
            }
            return new Update<>(out, new CountState(state.count() + 1));
        });
    }

    /** {@link #addDecayedWeights(Schedule, Predicate)} for every parameter. */
    public static GradientTransform<CountState> addDecayedWeights(double weightDecay) {
        return addDecayedWeights(Schedule.constant(weightDecay), name -> true);
    }

    /** {@link #addDecayedWeights(Schedule, Predicate)} with a constant decay. */
    public static GradientTransform<CountState> addDecayedWeights(double weightDecay, Predicate<String> mask) {
        return addDecayedWeights(Schedule.constant(weightDecay), mask);
    }

    /**
     * {@code u = g + wd(t)·p} for the parameters whose name {@code mask} accepts, {@code u = g} for the others.
     * Before the adaptive scaling it is PyTorch's coupled (L2) weight decay; after it (AdamW), the decoupled kind.
     */
    public static GradientTransform<CountState> addDecayedWeights(Schedule weightDecay, Predicate<String> mask) {
        return GradientTransform.of("decay", p -> new CountState(0), (grads, state, params) -> {
            double wd = weightDecay.at(state.count());
            Map<String, Tensor> out = new LinkedHashMap<>();
            for (var e : grads.entrySet()) {
                if (wd == 0 || !mask.test(e.getKey())) {
                    out.put(e.getKey(), e.getValue());
                    continue;
                }
                double[] g = Buf.get(e.getValue());
                double[] p = Buf.get(params.get(e.getKey()));
                for (int i = 0; i < g.length; i++) g[i] += wd * p[i];
                out.put(e.getKey(), Buf.make(g, e.getValue()));
            }
            return new Update<>(out, new CountState(state.count() + 1));
        });
    }

    /**
     * Per-parameter trust ratio (LARS/LAMB, optax's scale_by_trust_ratio):
     * {@code u = g · coef·‖p‖/(‖g‖ + eps)}, or {@code u = g} when {@code ‖p‖} or {@code ‖g‖} is 0.
     */
    public static GradientTransform<OptState> scaleByTrustRatio(double coef, double eps) {
        return stateless("trust", (k, g, p) -> {
            double pn = 0, gn = 0;
            for (int i = 0; i < g.length; i++) {
                pn += p[i] * p[i];
                gn += g[i] * g[i];
            }
            pn = Math.sqrt(pn);
            gn = Math.sqrt(gn);
            if (pn == 0 || gn == 0) return g;
            double r = coef * pn / (gn + eps);
            for (int i = 0; i < g.length; i++) g[i] *= r;
            return g;
        });
    }

    // ---- stateful scalings

    /**
     * Momentum, PyTorch SGD's form: {@code b_1 = g}, {@code b_t = μ·b_{t−1} + (1 − dampening)·g}; the update is
     * {@code g + μ·b_t} (Nesterov) or {@code b_t}. With dampening 0 this is optax's trace.
     */
    public static GradientTransform<TraceState> trace(double momentum, double dampening, boolean nesterov) {
        Buf.nonNegative("Transforms.trace", "momentum", momentum);
        if (nesterov && (momentum <= 0 || dampening != 0)) {
            throw new IllegalArgumentException("Transforms.trace: Nesterov momentum requires momentum > 0 and dampening 0, got momentum="
                    + momentum + ", dampening=" + dampening);
        }
        return GradientTransform.of("momentum", p -> new TraceState(0, Buf.full(p, 0)), (grads, s, params) -> {
            Map<String, Tensor> out = new LinkedHashMap<>(), buf = Buf.copy(s.buf());
            for (var e : grads.entrySet()) {
                double[] g = Buf.get(e.getValue()), b = Buf.state("Transforms.trace", s.buf(), e.getKey());
                for (int i = 0; i < g.length; i++) {
                    b[i] = s.step() == 0 ? g[i] : momentum * b[i] + (1 - dampening) * g[i];
                    g[i] = nesterov ? g[i] + momentum * b[i] : b[i];
                }
                out.put(e.getKey(), Buf.make(g, e.getValue()));
                buf.put(e.getKey(), Buf.make(b, e.getValue()));
            }
            return new Update<>(out, new TraceState(s.step() + 1, buf));
        });
    }

    /** {@link #trace(double, double, boolean)} without dampening. */
    public static GradientTransform<TraceState> scaleByMomentum(double momentum, boolean nesterov) {
        return trace(momentum, 0, nesterov);
    }

    /**
     * Adam's scaling (PyTorch's Adam without the learning rate): {@code m = β1·m + (1−β1)·g},
     * {@code v = β2·v + (1−β2)·g²}, {@code u = (m/(1−β1^t)) / (sqrt(v̂)/sqrt(1−β2^t) + eps)} where v̂ is v, or for
     * AMSGrad the running maximum of v (PyTorch takes the maximum of the uncorrected v).
     */
    public static GradientTransform<AdamState> scaleByAdam(double b1, double b2, double eps, boolean amsgrad) {
        String fn = "Transforms.scaleByAdam";
        Buf.beta(fn, "b1", b1);
        Buf.beta(fn, "b2", b2);
        Buf.nonNegative(fn, "eps", eps);
        return GradientTransform.of("adam", p -> new AdamState(0, Buf.full(p, 0), Buf.full(p, 0), amsgrad ? Buf.full(p, 0) : Map.of()),
                (grads, s, params) -> {
                    long t = s.step() + 1;
                    double bc1 = 1 - Math.pow(b1, t), sbc2 = Math.sqrt(1 - Math.pow(b2, t));
                    Map<String, Tensor> out = new LinkedHashMap<>(), mu = Buf.copy(s.mu()), nu = Buf.copy(s.nu()),
                            nuMax = amsgrad ? Buf.copy(s.nuMax()) : Map.of();
                    for (var e : grads.entrySet()) {
                        String k = e.getKey();
                        double[] g = Buf.get(e.getValue()), m = Buf.state(fn, s.mu(), k), v = Buf.state(fn, s.nu(), k);
                        double[] vm = amsgrad ? Buf.state(fn, s.nuMax(), k) : v;
                        for (int i = 0; i < g.length; i++) {
                            m[i] = b1 * m[i] + (1 - b1) * g[i];
                            v[i] = b2 * v[i] + (1 - b2) * g[i] * g[i];
                            if (amsgrad) vm[i] = Math.max(vm[i], v[i]);
                            g[i] = (m[i] / bc1) / (Math.sqrt(vm[i]) / sbc2 + eps);
                        }
                        Tensor like = e.getValue();
                        out.put(k, Buf.make(g, like));
                        mu.put(k, Buf.make(m, like));
                        nu.put(k, Buf.make(v, like));
                        if (amsgrad) nuMax.put(k, Buf.make(vm, like));
                    }
                    return new Update<>(out, new AdamState(t, mu, nu, nuMax));
                });
    }

    /** {@code x/d}, or 0 where d is 0: FAdam's entries with no Fisher information and ε_t = 0 do not move. */
    private static double over(double x, double d) {
        return d == 0 ? 0 : x / d;
    }

    /**
     * FAdam's scaling (Hwang 2024, "FAdam: Adam is a natural gradient optimizer using diagonal empirical Fisher
     * information", arXiv:2405.12807, Algorithm 1), the whole step but the learning rate. Per parameter tensor, with
     * RMS(x) = sqrt(mean(x²)) over that tensor:
     * <pre>
     * β̂2 = β2·(1 − β2^(t−1))/(1 − β2^t)            (so f is the bias-corrected EMA of g², f_1 = g²)
     * f  = β̂2·f + (1 − β̂2)·g²                       diagonal empirical Fisher
     * ε_t = ε·min(1, RMS(g))                         adaptive epsilon
     * ḡ  = g/(f^p + ε_t),   ḡ ← ḡ/max(1, RMS(ḡ)/c)    natural gradient, RMS-clipped
     * m  = β1·m + (1 − β1)·ḡ                         momentum of the natural gradient (no bias correction)
     * w̄  = θ/(f^p + ε_t),   w̄ ← w̄/max(1, RMS(w̄)/c)    weight decay as a natural gradient, RMS-clipped
     * u  = m + λ·w̄                                   (then −lr·u)
     * </pre>
     * The gradient is preconditioned before the momentum (Adam preconditions after it). The paper's defaults: β1 0.9,
     * β2 0.999, ε 1e-8, c 1, λ 0.001, p 1/2. Reading of the paper where implementations differ: the clip divides by
     * {@code max(1, RMS/c)} (some implementations divide by {@code max(1, RMS)/c}; the two agree at c = 1), and the
     * adaptive epsilon scales ε by {@code min(1, RMS(g))}. An entry whose denominator {@code f^p + ε_t} is 0 (all its
     * gradients so far 0, and ε_t = 0 because this step's tensor gradient is 0 or ε is) gets no natural gradient and no
     * decay, rather than 0/0.
     */
    public static GradientTransform<FadamState> scaleByFadam(double b1, double b2, double eps, double clip, double p, double weightDecay) {
        String fn = "Transforms.scaleByFadam";
        Buf.beta(fn, "b1", b1);
        Buf.beta(fn, "b2", b2);
        Buf.nonNegative(fn, "eps", eps);
        Buf.positive(fn, "clip", clip);
        Buf.positive(fn, "p", p);
        Buf.nonNegative(fn, "weightDecay", weightDecay);
        return GradientTransform.of("fadam", params -> new FadamState(0, Buf.full(params, 0), Buf.full(params, 0)), (grads, s, params) -> {
            long t = s.step() + 1;
            double bt = b2 * (1 - Math.pow(b2, t - 1)) / (1 - Math.pow(b2, t));
            Map<String, Tensor> out = new LinkedHashMap<>(), mom = Buf.copy(s.momentum()), fis = Buf.copy(s.fisher());
            for (var e : grads.entrySet()) {
                String k = e.getKey();
                double[] g = Buf.get(e.getValue()), m = Buf.state(fn, s.momentum(), k), f = Buf.state(fn, s.fisher(), k);
                int n = g.length;
                double gsq = 0;
                double[] denom = new double[n];
                for (int i = 0; i < n; i++) {
                    gsq += g[i] * g[i];
                    f[i] = bt * f[i] + (1 - bt) * g[i] * g[i];
                }
                double epsT = eps * Math.min(1, Math.sqrt(gsq / n));
                double nsq = 0;
                for (int i = 0; i < n; i++) {
                    denom[i] = (p == 0.5 ? Math.sqrt(f[i]) : Math.pow(f[i], p)) + epsT;
                    g[i] = over(g[i], denom[i]);
                    nsq += g[i] * g[i];
                }
                double gClip = Math.max(1, Math.sqrt(nsq / n) / clip);
                for (int i = 0; i < n; i++) m[i] = b1 * m[i] + (1 - b1) * g[i] / gClip;
                double[] u = m.clone();
                if (weightDecay != 0) {
                    double[] th = Buf.get(params.get(k)), w = new double[n];
                    double wsq = 0;
                    for (int i = 0; i < n; i++) {
                        w[i] = over(th[i], denom[i]);
                        wsq += w[i] * w[i];
                    }
                    double wClip = Math.max(1, Math.sqrt(wsq / n) / clip);
                    for (int i = 0; i < n; i++) u[i] += weightDecay * w[i] / wClip;
                }
                out.put(k, Buf.make(u, e.getValue()));
                mom.put(k, Buf.make(m, e.getValue()));
                fis.put(k, Buf.make(f, e.getValue()));
            }
            return new Update<>(out, new FadamState(t, mom, fis));
        });
    }

    /**
     * Adamax's scaling (PyTorch): {@code m = β1·m + (1−β1)·g}, {@code u∞ = max(β2·u∞, |g| + eps)},
     * {@code u = m / ((1−β1^t)·u∞)}.
     */
    public static GradientTransform<AdamState> scaleByAdamax(double b1, double b2, double eps) {
        String fn = "Transforms.scaleByAdamax";
        Buf.beta(fn, "b1", b1);
        Buf.beta(fn, "b2", b2);
        return GradientTransform.of("adamax", p -> new AdamState(0, Buf.full(p, 0), Buf.full(p, 0), Map.of()), (grads, s, params) -> {
            long t = s.step() + 1;
            double bc1 = 1 - Math.pow(b1, t);
            Map<String, Tensor> out = new LinkedHashMap<>(), mu = Buf.copy(s.mu()), nu = Buf.copy(s.nu());
            for (var e : grads.entrySet()) {
                String k = e.getKey();
                double[] g = Buf.get(e.getValue()), m = Buf.state(fn, s.mu(), k), u = Buf.state(fn, s.nu(), k);
                for (int i = 0; i < g.length; i++) {
                    m[i] = b1 * m[i] + (1 - b1) * g[i];
                    u[i] = Math.max(b2 * u[i], Math.abs(g[i]) + eps);
                    g[i] = m[i] / (bc1 * u[i]);
                }
                out.put(k, Buf.make(g, e.getValue()));
                mu.put(k, Buf.make(m, e.getValue()));
                nu.put(k, Buf.make(u, e.getValue()));
            }
            return new Update<>(out, new AdamState(t, mu, nu, Map.of()));
        });
    }

    /**
     * NAdam's scaling (PyTorch, momentum decay ψ): {@code μ_t = β1(1 − 0.5·0.96^(tψ))}, {@code Π_t = μ_1⋯μ_t},
     * moments as Adam, {@code d = sqrt(v/(1−β2^t)) + eps},
     * {@code u = (1−μ_t)/(1−Π_t)·g/d + μ_{t+1}/(1−Π_t·μ_{t+1})·m/d}.
     */
    public static GradientTransform<NadamState> scaleByNadam(double b1, double b2, double eps, double momentumDecay) {
        String fn = "Transforms.scaleByNadam";
        Buf.beta(fn, "b1", b1);
        Buf.beta(fn, "b2", b2);
        return GradientTransform.of("nadam", p -> new NadamState(0, 1, Buf.full(p, 0), Buf.full(p, 0)), (grads, s, params) -> {
            long t = s.step() + 1;
            double bc2 = 1 - Math.pow(b2, t);
            double muT = b1 * (1 - 0.5 * Math.pow(0.96, t * momentumDecay));
            double muNext = b1 * (1 - 0.5 * Math.pow(0.96, (t + 1) * momentumDecay));
            double prod = s.muProduct() * muT;
            double cg = (1 - muT) / (1 - prod), cm = muNext / (1 - prod * muNext);
            Map<String, Tensor> out = new LinkedHashMap<>(), mu = Buf.copy(s.mu()), nu = Buf.copy(s.nu());
            for (var e : grads.entrySet()) {
                String k = e.getKey();
                double[] g = Buf.get(e.getValue()), m = Buf.state(fn, s.mu(), k), v = Buf.state(fn, s.nu(), k);
                for (int i = 0; i < g.length; i++) {
                    m[i] = b1 * m[i] + (1 - b1) * g[i];
                    v[i] = b2 * v[i] + (1 - b2) * g[i] * g[i];
                    double d = Math.sqrt(v[i] / bc2) + eps;
                    g[i] = cg * g[i] / d + cm * m[i] / d;
                }
                out.put(k, Buf.make(g, e.getValue()));
                mu.put(k, Buf.make(m, e.getValue()));
                nu.put(k, Buf.make(v, e.getValue()));
            }
            return new Update<>(out, new NadamState(t, prod, mu, nu));
        });
    }

    /**
     * RAdam's scaling (PyTorch): moments as Adam, {@code ρ∞ = 2/(1−β2) − 1}, {@code ρ_t = ρ∞ − 2tβ2^t/(1−β2^t)};
     * if {@code ρ_t > 5}: {@code u = m̂ · r_t · sqrt(1−β2^t)/(sqrt(v) + eps)} with
     * {@code r_t = sqrt((ρ_t−4)(ρ_t−2)ρ∞/((ρ∞−4)(ρ∞−2)ρ_t))}, else {@code u = m̂}; {@code m̂ = m/(1−β1^t)}.
     */
    public static GradientTransform<AdamState> scaleByRadam(double b1, double b2, double eps) {
        String fn = "Transforms.scaleByRadam";
        Buf.beta(fn, "b1", b1);
        Buf.beta(fn, "b2", b2);
        return GradientTransform.of("radam", p -> new AdamState(0, Buf.full(p, 0), Buf.full(p, 0), Map.of()), (grads, s, params) -> {
            long t = s.step() + 1;
            double bc1 = 1 - Math.pow(b1, t), bc2 = 1 - Math.pow(b2, t);
            double rhoInf = 2 / (1 - b2) - 1, rhoT = rhoInf - 2 * t * Math.pow(b2, t) / bc2;
            boolean rectify = rhoT > 5;
            double r = rectify ? Math.sqrt((rhoT - 4) * (rhoT - 2) * rhoInf / ((rhoInf - 4) * (rhoInf - 2) * rhoT)) : 0;
            Map<String, Tensor> out = new LinkedHashMap<>(), mu = Buf.copy(s.mu()), nu = Buf.copy(s.nu());
            for (var e : grads.entrySet()) {
                String k = e.getKey();
                double[] g = Buf.get(e.getValue()), m = Buf.state(fn, s.mu(), k), v = Buf.state(fn, s.nu(), k);
                for (int i = 0; i < g.length; i++) {
                    m[i] = b1 * m[i] + (1 - b1) * g[i];
                    v[i] = b2 * v[i] + (1 - b2) * g[i] * g[i];
                    double mh = m[i] / bc1;
                    g[i] = rectify ? mh * r * Math.sqrt(bc2) / (Math.sqrt(v[i]) + eps) : mh;
                }
                out.put(k, Buf.make(g, e.getValue()));
                mu.put(k, Buf.make(m, e.getValue()));
                nu.put(k, Buf.make(v, e.getValue()));
            }
            return new Update<>(out, new AdamState(t, mu, nu, Map.of()));
        });
    }

    /**
     * RMSprop's scaling (PyTorch): {@code v = α·v + (1−α)·g²}; centered: {@code ḡ = α·ḡ + (1−α)·g},
     * {@code u = g/(sqrt(v − ḡ²) + eps)}; else {@code u = g/(sqrt(v) + eps)} (eps outside the root).
     */
    public static GradientTransform<PairState> scaleByRms(double alpha, double eps, boolean centered) {
        String fn = "Transforms.scaleByRms";
        Buf.beta(fn, "alpha", alpha);
        return GradientTransform.of("rms", p -> new PairState(0, Buf.full(p, 0), centered ? Buf.full(p, 0) : Map.of()), (grads, s, params) -> {
            Map<String, Tensor> out = new LinkedHashMap<>(), a = Buf.copy(s.a()), b = centered ? Buf.copy(s.b()) : Map.of();
            for (var e : grads.entrySet()) {
                String k = e.getKey();
                double[] g = Buf.get(e.getValue()), v = Buf.state(fn, s.a(), k), gm = centered ? Buf.state(fn, s.b(), k) : null;
                for (int i = 0; i < g.length; i++) {
                    v[i] = alpha * v[i] + (1 - alpha) * g[i] * g[i];
                    double var = v[i];
                    if (centered) {
                        gm[i] = alpha * gm[i] + (1 - alpha) * g[i];
                        var -= gm[i] * gm[i];
                    }
                    g[i] = g[i] / (Math.sqrt(var) + eps);
                }
                out.put(k, Buf.make(g, e.getValue()));
                a.put(k, Buf.make(v, e.getValue()));
                if (centered) b.put(k, Buf.make(gm, e.getValue()));
            }
            return new Update<>(out, new PairState(s.step() + 1, a, b));
        });
    }

    /** Adagrad's scaling (PyTorch): {@code s = s + g²} (s starts at {@code initial}), {@code u = g/(sqrt(s) + eps)}. */
    public static GradientTransform<TraceState> scaleByRss(double initial, double eps) {
        String fn = "Transforms.scaleByRss";
        Buf.nonNegative(fn, "initial", initial);
        return GradientTransform.of("rss", p -> new TraceState(0, Buf.full(p, initial)), (grads, s, params) -> {
            Map<String, Tensor> out = new LinkedHashMap<>(), buf = Buf.copy(s.buf());
            for (var e : grads.entrySet()) {
                double[] g = Buf.get(e.getValue()), acc = Buf.state(fn, s.buf(), e.getKey());
                for (int i = 0; i < g.length; i++) {
                    acc[i] += g[i] * g[i];
                    g[i] = g[i] / (Math.sqrt(acc[i]) + eps);
                }
                out.put(e.getKey(), Buf.make(g, e.getValue()));
                buf.put(e.getKey(), Buf.make(acc, e.getValue()));
            }
            return new Update<>(out, new TraceState(s.step() + 1, buf));
        });
    }

    /**
     * Adadelta's scaling (PyTorch): {@code v = ρ·v + (1−ρ)·g²}, {@code u = sqrt(Δ + eps)/sqrt(v + eps)·g},
     * {@code Δ = ρ·Δ + (1−ρ)·u²}.
     */
    public static GradientTransform<PairState> scaleByAdadelta(double rho, double eps) {
        String fn = "Transforms.scaleByAdadelta";
        Buf.beta(fn, "rho", rho);
        return GradientTransform.of("adadelta", p -> new PairState(0, Buf.full(p, 0), Buf.full(p, 0)), (grads, s, params) -> {
            Map<String, Tensor> out = new LinkedHashMap<>(), a = Buf.copy(s.a()), b = Buf.copy(s.b());
            for (var e : grads.entrySet()) {
                String k = e.getKey();
                double[] g = Buf.get(e.getValue()), v = Buf.state(fn, s.a(), k), d = Buf.state(fn, s.b(), k);
                for (int i = 0; i < g.length; i++) {
                    v[i] = rho * v[i] + (1 - rho) * g[i] * g[i];
                    double u = Math.sqrt(d[i] + eps) / Math.sqrt(v[i] + eps) * g[i];
                    d[i] = rho * d[i] + (1 - rho) * u * u;
                    g[i] = u;
                }
                out.put(k, Buf.make(g, e.getValue()));
                a.put(k, Buf.make(v, e.getValue()));
                b.put(k, Buf.make(d, e.getValue()));
            }
            return new Update<>(out, new PairState(s.step() + 1, a, b));
        });
    }

    /**
     * Rprop (PyTorch), which sets its own step sizes (so it is not followed by a learning rate): per element,
     * {@code s = g·g_prev}; the step size η is multiplied by {@code etaPlus} if s > 0, {@code etaMinus} if s < 0, and
     * clamped to [minStep, maxStep]; where s < 0 the gradient is taken as 0; {@code u = −sign(g)·η};
     * {@code g_prev = g}. Step sizes start at {@code lr}.
     */
    public static GradientTransform<PairState> scaleByRprop(double lr, double etaMinus, double etaPlus, double minStep, double maxStep) {
        String fn = "Transforms.scaleByRprop";
        if (!(0 < etaMinus && etaMinus < 1 && etaPlus > 1)) {
            throw new IllegalArgumentException(fn + ": need 0 < etaMinus < 1 < etaPlus, got etaMinus=" + etaMinus + ", etaPlus=" + etaPlus);
        }
        return GradientTransform.of("rprop", p -> new PairState(0, Buf.full(p, 0), Buf.full(p, lr)), (grads, s, params) -> {
            Map<String, Tensor> out = new LinkedHashMap<>(), a = Buf.copy(s.a()), b = Buf.copy(s.b());
            for (var e : grads.entrySet()) {
                String k = e.getKey();
                double[] g = Buf.get(e.getValue()), prev = Buf.state(fn, s.a(), k), eta = Buf.state(fn, s.b(), k);
                for (int i = 0; i < g.length; i++) {
                    double sg = Math.signum(g[i] * prev[i]);
                    double f = sg > 0 ? etaPlus : sg < 0 ? etaMinus : 1;
                    eta[i] = Math.clamp(eta[i] * f, minStep, maxStep);
                    double gi = sg < 0 ? 0 : g[i];
                    prev[i] = gi;
                    g[i] = -Math.signum(gi) * eta[i];
                }
                out.put(k, Buf.make(g, e.getValue()));
                a.put(k, Buf.make(prev, e.getValue()));
                b.put(k, Buf.make(eta, e.getValue()));
            }
            return new Update<>(out, new PairState(s.step() + 1, a, b));
        });
    }

    /**
     * Lion's scaling (Chen et al. 2023): {@code u = sign(β1·m + (1−β1)·g)}, then {@code m = β2·m + (1−β2)·g}.
     */
    public static GradientTransform<TraceState> scaleByLion(double b1, double b2) {
        String fn = "Transforms.scaleByLion";
        Buf.beta(fn, "b1", b1);
        Buf.beta(fn, "b2", b2);
        return GradientTransform.of("lion", p -> new TraceState(0, Buf.full(p, 0)), (grads, s, params) -> {
            Map<String, Tensor> out = new LinkedHashMap<>(), buf = Buf.copy(s.buf());
            for (var e : grads.entrySet()) {
                double[] g = Buf.get(e.getValue()), m = Buf.state(fn, s.buf(), e.getKey());
                for (int i = 0; i < g.length; i++) {
                    double c = b1 * m[i] + (1 - b1) * g[i];
                    m[i] = b2 * m[i] + (1 - b2) * g[i];
                    g[i] = Math.signum(c);
                }
                out.put(e.getKey(), Buf.make(g, e.getValue()));
                buf.put(e.getKey(), Buf.make(m, e.getValue()));
            }
            return new Update<>(out, new TraceState(s.step() + 1, buf));
        });
    }

    /**
     * Yogi's scaling, the paper's Algorithm 2 (Zaheer et al. 2018; no bias correction, whereas current optax also
     * bias-corrects and starts m at {@code initial}): {@code m = β1·m + (1−β1)·g} from m = 0,
     * {@code v = v − (1−β2)·sign(v − g²)·g²} from v = {@code initial}, {@code u = m/(sqrt(v) + eps)}.
     */
    public static GradientTransform<AdamState> scaleByYogi(double b1, double b2, double eps, double initial) {
        String fn = "Transforms.scaleByYogi";
        Buf.beta(fn, "b1", b1);
        Buf.beta(fn, "b2", b2);
        return GradientTransform.of("yogi", p -> new AdamState(0, Buf.full(p, 0), Buf.full(p, initial), Map.of()), (grads, s, params) -> {
            Map<String, Tensor> out = new LinkedHashMap<>(), mu = Buf.copy(s.mu()), nu = Buf.copy(s.nu());
            for (var e : grads.entrySet()) {
                String k = e.getKey();
                double[] g = Buf.get(e.getValue()), m = Buf.state(fn, s.mu(), k), v = Buf.state(fn, s.nu(), k);
                for (int i = 0; i < g.length; i++) {
                    double g2 = g[i] * g[i];
                    m[i] = b1 * m[i] + (1 - b1) * g[i];
                    v[i] = v[i] - (1 - b2) * Math.signum(v[i] - g2) * g2;
                    g[i] = m[i] / (Math.sqrt(v[i]) + eps);
                }
                out.put(k, Buf.make(g, e.getValue()));
                mu.put(k, Buf.make(m, e.getValue()));
                nu.put(k, Buf.make(v, e.getValue()));
            }
            return new Update<>(out, new AdamState(s.step() + 1, mu, nu, Map.of()));
        });
    }

    /**
     * AdaBelief's scaling (Zhuang et al. 2020, as optax's scale_by_belief and the authors' adabelief-pytorch):
     * {@code m = β1·m + (1−β1)·g}, {@code s = β2·s + (1−β2)·(g − m)² + epsRoot} (the new m; epsRoot is accumulated
     * into s), {@code u = (m/(1−β1^t)) / (sqrt(s/(1−β2^t)) + eps)}.
     */
    public static GradientTransform<AdamState> scaleByBelief(double b1, double b2, double eps, double epsRoot) {
        String fn = "Transforms.scaleByBelief";
        Buf.beta(fn, "b1", b1);
        Buf.beta(fn, "b2", b2);
        return GradientTransform.of("belief", p -> new AdamState(0, Buf.full(p, 0), Buf.full(p, 0), Map.of()), (grads, s, params) -> {
            long t = s.step() + 1;
            double bc1 = 1 - Math.pow(b1, t), bc2 = 1 - Math.pow(b2, t);
            Map<String, Tensor> out = new LinkedHashMap<>(), mu = Buf.copy(s.mu()), nu = Buf.copy(s.nu());
            for (var e : grads.entrySet()) {
                String k = e.getKey();
                double[] g = Buf.get(e.getValue()), m = Buf.state(fn, s.mu(), k), v = Buf.state(fn, s.nu(), k);
                for (int i = 0; i < g.length; i++) {
                    m[i] = b1 * m[i] + (1 - b1) * g[i];
                    double d = g[i] - m[i];
                    v[i] = b2 * v[i] + (1 - b2) * d * d + epsRoot;
                    g[i] = (m[i] / bc1) / (Math.sqrt(v[i] / bc2) + eps);
                }
                out.put(k, Buf.make(g, e.getValue()));
                mu.put(k, Buf.make(m, e.getValue()));
                nu.put(k, Buf.make(v, e.getValue()));
            }
            return new Update<>(out, new AdamState(t, mu, nu, Map.of()));
        });
    }

    /**
     * Lookahead (Zhang et al. 2019): the inner transform moves the fast weights; every {@code k} steps the slow
     * weights move {@code φ = φ + α(θ − φ)} and the fast weights are reset to them. The returned update takes the
     * parameters to the new fast weights (or the synced slow weights). Slow weights start at the parameters.
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public static GradientTransform<LookaheadState> lookahead(GradientTransform<?> inner, int k, double alpha) {
        if (k < 1) throw new IllegalArgumentException("Transforms.lookahead: k must be >= 1, got " + k);
        if (!(alpha > 0 && alpha <= 1)) throw new IllegalArgumentException("Transforms.lookahead: alpha must be in (0, 1], got " + alpha);
        return GradientTransform.of("lookahead", p -> new LookaheadState(0, inner.init(p), Buf.values(p)), (grads, s, params) -> {
            Update<?> r = ((GradientTransform) inner).update(grads, s.fast(), params);
            long t = s.step() + 1;
            boolean sync = t % k == 0;
            Map<String, Tensor> out = new LinkedHashMap<>(), slow = Buf.copy(s.slow());
            for (var e : r.updates().entrySet()) {
                String key = e.getKey();
                double[] u = Buf.get(e.getValue()), p = Buf.get(params.get(key));
                if (sync) {
                    double[] phi = Buf.state("Transforms.lookahead", s.slow(), key);
                    for (int i = 0; i < u.length; i++) {
                        phi[i] += alpha * (p[i] + u[i] - phi[i]);
                        u[i] = phi[i] - p[i];
                    }
                    slow.put(key, Buf.make(phi, e.getValue()));
                }
                out.put(key, Buf.make(u, e.getValue()));
            }
            return new Update<>(out, new LookaheadState(t, r.state(), slow));
        });
    }

    // ---- relative-step, schedule-free and parameter-free methods

    /** Adafactor's state: step count and, per parameter, the factored row/column second moments (or the full one). */
    public record AdafactorState(long step, Map<String, Tensor> row, Map<String, Tensor> col, Map<String, Tensor> full)
            implements OptState {
        @Override
        public void save(String prefix, Map<String, Tensor> out) {
            Buf.saveLong(prefix + "step", step, out);
            Buf.saveMap(prefix + "row.", row, out);
            Buf.saveMap(prefix + "col.", col, out);
            Buf.saveMap(prefix + "full.", full, out);
        }

        @Override
        public OptState load(String prefix, Map<String, Tensor> in) {
            return new AdafactorState(Buf.loadLong(prefix + "step", in), Buf.loadMap(prefix + "row.", row, in),
                    Buf.loadMap(prefix + "col.", col, in), Buf.loadMap(prefix + "full.", full, in));
        }
    }

    /**
     * PyTorch's Adafactor (torch.optim.Adafactor, Shazeer and Stern 2018), the whole step (not followed by a learning
     * rate): {@code 1−β2_t = t^beta2Decay}, {@code ρ_t = min(lr, 1/sqrt(t))}, {@code α_t = max(eps2, RMS(p))·ρ_t};
     * for a parameter of 2 or more dims (the last two factored, leading dims a batch) the row and column means of g²
     * are tracked, {@code R = lerp(R, mean_last(g²), 1−β2_t)}, {@code C = lerp(C, mean_{-2}(g²), 1−β2_t)},
     * {@code V = R·C / max(mean(R), eps1)}; otherwise {@code V = lerp(V, g², 1−β2_t)}; {@code U = g/sqrt(max(V, eps1²))},
     * {@code u = −α_t·U/max(1, RMS(U)/d) − lr·wd·p}. A complex pair parameter factors its real view's last two dims.
     */
    public static GradientTransform<AdafactorState> scaleByAdafactor(double lr, double beta2Decay, double eps1, double eps2, double d,
            double weightDecay) {
        String fn = "Transforms.scaleByAdafactor";
        Buf.positive(fn, "lr", lr);
        if (!(beta2Decay <= 0)) throw new IllegalArgumentException(fn + ": beta2Decay must be <= 0, got " + beta2Decay);
        Buf.positive(fn, "d", d);
        return GradientTransform.of("adafactor", params -> {
            Map<String, Tensor> row = new LinkedHashMap<>(), col = new LinkedHashMap<>(), full = new LinkedHashMap<>();
            for (var e : params.entrySet()) {
                Tensor p = e.getValue();
                int[] sh = p.shape();
                if (sh.length >= 2) {
                    int batch = p.numel() / (sh[sh.length - 1] * sh[sh.length - 2]);
                    row.put(e.getKey(), Buf.make(new double[batch * sh[sh.length - 2]], Tensor.zeros(p.dtype(), batch, sh[sh.length - 2])));
                    col.put(e.getKey(), Buf.make(new double[batch * sh[sh.length - 1]], Tensor.zeros(p.dtype(), batch, sh[sh.length - 1])));
                } else {
                    full.put(e.getKey(), Buf.make(new double[p.numel()], p));
                }
            }
            return new AdafactorState(0, row, col, full);
        }, (grads, s, params) -> {
            long t = s.step() + 1;
            double w = Math.pow(t, beta2Decay);
            double rho = Math.min(lr, 1 / Math.sqrt(t));
            Map<String, Tensor> out = new LinkedHashMap<>(), row = Buf.copy(s.row()), col = Buf.copy(s.col()), full = Buf.copy(s.full());
            for (var e : grads.entrySet()) {
                String k = e.getKey();
                double[] g = Buf.get(e.getValue()), p = Buf.get(params.get(k));
                double pn = 0;
                for (double x : p) pn += x * x;
                double alpha = Math.max(eps2, Math.sqrt(pn) / Math.sqrt(p.length)) * rho;
                double[] v = new double[g.length];
                int[] sh = e.getValue().shape();
                if (sh.length >= 2) {
                    int n = sh[sh.length - 2], m = sh[sh.length - 1], batch = g.length / (n * m);
                    double[] r = Buf.state(fn, s.row(), k), c = Buf.state(fn, s.col(), k);
                    for (int b = 0; b < batch; b++) {
                        int base = b * n * m;
                        double rMean = 0;
                        for (int i = 0; i < n; i++) {
                            double acc = 0;
                            for (int j = 0; j < m; j++) acc += g[base + i * m + j] * g[base + i * m + j];
                            r[b * n + i] += w * (acc / m - r[b * n + i]);
                            rMean += r[b * n + i];
                        }
                        rMean = Math.max(rMean / n, eps1);
                        for (int j = 0; j < m; j++) {
                            double acc = 0;
                            for (int i = 0; i < n; i++) acc += g[base + i * m + j] * g[base + i * m + j];
                            c[b * m + j] += w * (acc / n - c[b * m + j]);
                        }
                        for (int i = 0; i < n; i++) {
                            for (int j = 0; j < m; j++) v[base + i * m + j] = r[b * n + i] * c[b * m + j] / rMean;
                        }
                    }
                    row.put(k, Buf.make(r, s.row().get(k)));
                    col.put(k, Buf.make(c, s.col().get(k)));
                } else {
                    double[] f = Buf.state(fn, s.full(), k);
                    for (int i = 0; i < g.length; i++) {
                        f[i] += w * (g[i] * g[i] - f[i]);
                        v[i] = f[i];
                    }
                    full.put(k, Buf.make(f, e.getValue()));
                }
                double un = 0;
                for (int i = 0; i < g.length; i++) {
                    g[i] = g[i] / Math.sqrt(Math.max(v[i], eps1 * eps1));
                    un += g[i] * g[i];
                }
                double denom = Math.max(1.0, Math.sqrt(un) / (Math.sqrt(g.length) * d));
                for (int i = 0; i < g.length; i++) g[i] = -alpha / denom * g[i] - lr * weightDecay * p[i];
                out.put(k, Buf.make(g, e.getValue()));
            }
            return new Update<>(out, new AdafactorState(t, row, col, full));
        });
    }

    /**
     * The state of the schedule-free methods: the step, the averaging weights' running values, the base sequence z,
     * AdamW's second moment, and the interpolation β (a hyperparameter, kept here to recover the averaged iterate;
     * not saved).
     */
    public record ScheduleFreeState(long step, double lrMax, double weightSum, Map<String, Tensor> z, Map<String, Tensor> nu,
            double beta) implements OptState {
        @Override
        public void save(String prefix, Map<String, Tensor> out) {
            Buf.saveLong(prefix + "step", step, out);
            Buf.saveDouble(prefix + "lrMax", lrMax, out);
            Buf.saveDouble(prefix + "weightSum", weightSum, out);
            Buf.saveMap(prefix + "z.", z, out);
            Buf.saveMap(prefix + "nu.", nu, out);
        }

        @Override
        public OptState load(String prefix, Map<String, Tensor> in) {
            return new ScheduleFreeState(Buf.loadLong(prefix + "step", in), Buf.loadDouble(prefix + "lrMax", in),
                    Buf.loadDouble(prefix + "weightSum", in), Buf.loadMap(prefix + "z.", z, in), Buf.loadMap(prefix + "nu.", nu, in),
                    beta);
        }
    }

    /**
     * Schedule-free SGD or AdamW (Defazio et al. 2024, the reference {@code schedulefree} implementation with r = 0,
     * weight_lr_power = 2), the whole step. The parameters hold {@code y}; with {@code γ_t = lr·min(1, (t+1)/warmup)},
     * {@code c = γ_max²/Σγ_max²} (c = 1/(t+1) without warmup), and the direction {@code d = g + wd·y} (SGD) or
     * {@code d = g/(sqrt(v/(1−β2^t)) + eps) + wd·y} with {@code v = β2·v + (1−β2)·g²} (AdamW):
     * {@code y ← (1−c)·y + c·z + γ(β(1−c) − 1)·d}, {@code z ← z − γ·d}. The averaged iterate to evaluate is
     * {@code x = y + (1 − 1/β)(z − y)} ({@link Optimizers#scheduleFreeEvalParams}).
     */
    public static GradientTransform<ScheduleFreeState> scheduleFree(double lr, double beta, double weightDecay, int warmupSteps,
            boolean adam, double beta2, double eps) {
        String fn = "Transforms.scheduleFree";
        Buf.positive(fn, "lr", lr);
        if (!(beta > 0 && beta < 1)) throw new IllegalArgumentException(fn + ": beta must be in (0, 1), got " + beta);
        if (adam) Buf.beta(fn, "beta2", beta2);
        return GradientTransform.of(adam ? "sfAdamW" : "sfSgd", p -> new ScheduleFreeState(0, -1, 0, Buf.values(p),
                adam ? Buf.full(p, 0) : Map.of(), beta), (grads, s, params) -> {
                    long k = s.step();
                    double sched = k < warmupSteps ? (k + 1.0) / warmupSteps : 1.0;
                    double gamma = lr * sched;
                    double lrMax = Math.max(gamma, s.lrMax());
                    double weight = lrMax * lrMax;
                    double weightSum = s.weightSum() + weight;
                    double c = weightSum != 0 ? weight / weightSum : 0;
                    double bc2 = 1 - Math.pow(beta2, k + 1);
                    Map<String, Tensor> out = new LinkedHashMap<>(), z = Buf.copy(s.z()), nu = adam ? Buf.copy(s.nu()) : Map.of();
                    for (var e : grads.entrySet()) {
                        String key = e.getKey();
                        double[] g = Buf.get(e.getValue()), y = Buf.get(params.get(key)), zz = Buf.state(fn, s.z(), key);
                        double[] v = adam ? Buf.state(fn, s.nu(), key) : null;
                        for (int i = 0; i < g.length; i++) {
                            double d = g[i];
                            if (adam) {
                                v[i] = beta2 * v[i] + (1 - beta2) * g[i] * g[i];
                                d = d / (Math.sqrt(v[i] / bc2) + eps);
                            }
                            d += weightDecay * y[i];
                            double yNew = y[i] + c * (zz[i] - y[i]) + gamma * (beta * (1 - c) - 1) * d;
                            zz[i] -= gamma * d;
                            g[i] = yNew - y[i];
                        }
                        out.put(key, Buf.make(g, e.getValue()));
                        z.put(key, Buf.make(zz, e.getValue()));
                        if (adam) nu.put(key, Buf.make(v, e.getValue()));
                    }
                    return new Update<>(out, new ScheduleFreeState(k + 1, lrMax, weightSum, z, nu, beta));
                });
    }

    /** DoG's state: the initial point, the largest distance from it so far, and the sum of squared gradient norms. */
    public record DogState(long step, double rBar, double gradSqSum, Map<String, Tensor> x0) implements OptState {
        @Override
        public void save(String prefix, Map<String, Tensor> out) {
            Buf.saveLong(prefix + "step", step, out);
            Buf.saveDouble(prefix + "rBar", rBar, out);
            Buf.saveDouble(prefix + "gradSqSum", gradSqSum, out);
            Buf.saveMap(prefix + "x0.", x0, out);
        }

        @Override
        public OptState load(String prefix, Map<String, Tensor> in) {
            return new DogState(Buf.loadLong(prefix + "step", in), Buf.loadDouble(prefix + "rBar", in),
                    Buf.loadDouble(prefix + "gradSqSum", in), Buf.loadMap(prefix + "x0.", x0, in));
        }
    }

    /**
     * DoG, "distance over gradients" (Ivgi, Hinder and Carmon 2023), the whole step: with global norms over all
     * parameters, {@code r̄_t = max(r̄_{t−1}, ‖x_t − x_0‖)} starting from {@code r_ε = repsRel·(1 + ‖x_0‖)},
     * {@code G_t = G_{t−1} + ‖g_t‖²}, {@code u = −(r̄_t/sqrt(G_t))·g_t}.
     */
    public static GradientTransform<DogState> scaleByDog(double repsRel) {
        Buf.positive("Transforms.scaleByDog", "repsRel", repsRel);
        return GradientTransform.of("dog", p -> {
            double n = 0;
            for (Tensor t : p.values()) for (double x : t.toArray()) n += x * x;
            return new DogState(0, repsRel * (1 + Math.sqrt(n)), 0, Buf.values(p));
        }, (grads, s, params) -> {
            double dist = 0, gsq = 0;
            Map<String, double[]> gs = new LinkedHashMap<>();
            for (var e : s.x0().entrySet()) {
                double[] x = Buf.get(params.get(e.getKey())), x0 = e.getValue().toArray();
                for (int i = 0; i < x.length; i++) dist += (x[i] - x0[i]) * (x[i] - x0[i]);
            }
            for (var e : grads.entrySet()) {
                double[] g = Buf.get(e.getValue());
                for (double x : g) gsq += x * x;
                gs.put(e.getKey(), g);
            }
            double rBar = Math.max(s.rBar(), Math.sqrt(dist));
            double sum = s.gradSqSum() + gsq;
            double eta = sum > 0 ? rBar / Math.sqrt(sum) : 0;
            Map<String, Tensor> out = new LinkedHashMap<>();
            for (var e : gs.entrySet()) {
                double[] g = e.getValue();
                for (int i = 0; i < g.length; i++) g[i] *= -eta;
                out.put(e.getKey(), Buf.make(g, grads.get(e.getKey())));
            }
            return new Update<>(out, new DogState(s.step() + 1, rBar, sum, s.x0()));
        });
    }

    /**
     * The Polyak step size (SPS_max, Loizou et al. 2021; optax's polyak_sgd), the whole step:
     * {@code u = −min(maxLr, (f(x) − fMin)/(‖g‖² + eps))·g} with the global gradient norm. {@code loss} supplies
     * f(x) at the point where the gradients were taken ({@link Optimizers#polyakSgd} feeds it from the closure).
     */
    public static GradientTransform<OptState> scaleByPolyak(java.util.function.DoubleSupplier loss, double fMin, double maxLr, double eps) {
        Buf.positive("Transforms.scaleByPolyak", "maxLr", maxLr);
        return GradientTransform.of("polyak", p -> OptState.Empty.INSTANCE, (grads, s, params) -> {
            double gsq = 0;
            Map<String, double[]> gs = new LinkedHashMap<>();
            for (var e : grads.entrySet()) {
                double[] g = Buf.get(e.getValue());
                for (double x : g) gsq += x * x;
                gs.put(e.getKey(), g);
            }
            double gap = loss.getAsDouble() - fMin;
            double eta = gsq + eps > 0 ? Math.min(maxLr, gap / (gsq + eps)) : 0;
            Map<String, Tensor> out = new LinkedHashMap<>();
            for (var e : gs.entrySet()) {
                double[] g = e.getValue();
                for (int i = 0; i < g.length; i++) g[i] *= -eta;
                out.put(e.getKey(), Buf.make(g, grads.get(e.getKey())));
            }
            return new Update<>(out, s);
        });
    }

    // ---- helpers

    @FunctionalInterface
    private interface Elementwise {
        /** Maps the gradient array of parameter {@code key} (may be modified and returned) given the parameter values. */
        double[] apply(String key, double[] g, double[] p);
    }

    private static GradientTransform<OptState> stateless(String name, Elementwise f) {
        return GradientTransform.of(name, p -> OptState.Empty.INSTANCE, (grads, state, params) -> {
            Map<String, Tensor> out = new LinkedHashMap<>();
            for (var e : grads.entrySet()) {
                Tensor p = params.get(e.getKey());
                out.put(e.getKey(), Buf.make(f.apply(e.getKey(), Buf.get(e.getValue()), p == null ? null : Buf.get(p)), e.getValue()));
            }
            return new Update<>(out, state);
        });
    }
}
