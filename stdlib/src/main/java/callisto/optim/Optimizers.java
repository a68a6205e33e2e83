package callisto.optim;

import static callisto.optim.Transforms.*;

import callisto.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Familiar optimizers, each a {@link Transforms#chain chain} of transforms wrapped in an {@link Optimizer}.
 * Where PyTorch has the optimizer, the update equations and defaults are PyTorch's ({@code torch.optim}, v2.x, not
 * foreach/fused, {@code maximize=False}); otherwise the paper's (as optax implements it). In the equations
 * {@code g} is the gradient, {@code p} the parameter, {@code t} the 1-based step, {@code lr} the learning rate.
 */
public final class Optimizers {
    private Optimizers() {}

    private static final Predicate<String> ALL = name -> true;

    /**
     * PyTorch's SGD: {@code g += wd·p}; with momentum μ, {@code b = g} at t = 1, then
     * {@code b = μ·b + (1−dampening)·g}, and {@code g = g + μ·b} (Nesterov) or {@code g = b}; {@code p −= lr·g}.
     */
    public static Optimizer sgd(Map<String, Tensor> params, double lr, double momentum, double dampening, boolean nesterov,
            double weightDecay) {
        return sgd(params, Schedule.constant(lr), momentum, dampening, nesterov, weightDecay);
    }

    /** {@link #sgd(Map, double, double, double, boolean, double)} with a learning-rate schedule. */
    public static Optimizer sgd(Map<String, Tensor> params, Schedule lr, double momentum, double dampening, boolean nesterov,
            double weightDecay) {
        List<GradientTransform<?>> ts = new ArrayList<>();
        if (weightDecay != 0) ts.add(addDecayedWeights(Buf.nonNegative("Optimizers.sgd", "weightDecay", weightDecay)));
        if (momentum != 0) ts.add(trace(Buf.nonNegative("Optimizers.sgd", "momentum", momentum), dampening, nesterov));
        else if (nesterov) throw new IllegalArgumentException("Optimizers.sgd: nesterov requires momentum > 0, got momentum=0");
        ts.add(scaleByLearningRate(lr));
        return Optimizer.of(params, chain(ts.toArray(GradientTransform<?>[]::new)));
    }

    /** Plain SGD: {@code p −= lr·g}. */
    public static Optimizer sgd(Map<String, Tensor> params, double lr) {
        return sgd(params, lr, 0, 0, false, 0);
    }

    /**
     * PyTorch's Adam: {@code g += wd·p} (coupled L2), {@code m = β1·m + (1−β1)·g}, {@code v = β2·v + (1−β2)·g²},
     * {@code p −= lr·(m/(1−β1^t)) / (sqrt(v̂)/sqrt(1−β2^t) + eps)}, v̂ = v, or max over steps of v with AMSGrad.
     */
    public static Optimizer adam(Map<String, Tensor> params, Schedule lr, double b1, double b2, double eps, double weightDecay,
            boolean amsgrad) {
        List<GradientTransform<?>> ts = new ArrayList<>();
        if (weightDecay != 0) ts.add(addDecayedWeights(Buf.nonNegative("Optimizers.adam", "weightDecay", weightDecay)));
        ts.add(scaleByAdam(b1, b2, eps, amsgrad));
        ts.add(scaleByLearningRate(lr));
        return Optimizer.of(params, chain(ts.toArray(GradientTransform<?>[]::new)));
    }

    /** Adam with PyTorch's defaults: β = (0.9, 0.999), eps = 1e-8, no weight decay. */
    public static Optimizer adam(Map<String, Tensor> params, double lr) {
        return adam(params, Schedule.constant(lr), 0.9, 0.999, 1e-8, 0, false);
    }

    /** Adam with PyTorch's defaults and a learning-rate schedule. */
    public static Optimizer adam(Map<String, Tensor> params, Schedule lr) {
        return adam(params, lr, 0.9, 0.999, 1e-8, 0, false);
    }

    /** Adam with the AMSGrad maximum (PyTorch's {@code Adam(amsgrad=True)}), defaults otherwise. */
    public static Optimizer amsgrad(Map<String, Tensor> params, double lr) {
        return adam(params, Schedule.constant(lr), 0.9, 0.999, 1e-8, 0, true);
    }

    /**
     * PyTorch's AdamW: {@code p −= lr·wd·p} (decoupled, on the parameters {@code decayMask} accepts), then Adam's
     * step without L2. As a chain: adam scaling, then {@code + wd·p}, then {@code ·(−lr)}.
     */
    public static Optimizer adamW(Map<String, Tensor> params, Schedule lr, double b1, double b2, double eps, Schedule weightDecay,
            Predicate<String> decayMask, boolean amsgrad) {
        return Optimizer.of(params, chain(scaleByAdam(b1, b2, eps, amsgrad), addDecayedWeights(weightDecay, decayMask),
                scaleByLearningRate(lr)));
    }

    /** AdamW with PyTorch's defaults β = (0.9, 0.999), eps = 1e-8, on every parameter. */
    public static Optimizer adamW(Map<String, Tensor> params, double lr, double weightDecay) {
        return adamW(params, Schedule.constant(lr), 0.9, 0.999, 1e-8, Schedule.constant(weightDecay), ALL, false);
    }

    /** AdamW with PyTorch's defaults, weight decay 0.01. */
    public static Optimizer adamW(Map<String, Tensor> params, double lr) {
        return adamW(params, lr, 1e-2);
    }

    /**
     * PyTorch's Adamax: {@code g += wd·p}, {@code m = β1·m + (1−β1)·g}, {@code u = max(β2·u, |g| + eps)},
     * {@code p −= lr/(1−β1^t)·m/u}. Defaults lr 2e-3, β (0.9, 0.999), eps 1e-8.
     */
    public static Optimizer adamax(Map<String, Tensor> params, double lr, double b1, double b2, double eps, double weightDecay) {
        return Optimizer.of(params, withDecay(weightDecay, scaleByAdamax(b1, b2, eps), scaleByLearningRate(lr)));
    }

    /** Adamax with PyTorch's defaults. */
    public static Optimizer adamax(Map<String, Tensor> params, double lr) {
        return adamax(params, lr, 0.9, 0.999, 1e-8, 0);
    }

    /**
     * PyTorch's NAdam (coupled weight decay): {@code μ_t = β1(1 − 0.5·0.96^(t·ψ))}, {@code Π_t = ∏ μ_i}, Adam's moments,
     * {@code d = sqrt(v/(1−β2^t)) + eps}, {@code p −= lr·(1−μ_t)/(1−Π_t)·g/d + lr·μ_{t+1}/(1−Π_t μ_{t+1})·m/d}.
     * Defaults lr 2e-3, β (0.9, 0.999), eps 1e-8, ψ = 4e-3.
     */
    public static Optimizer nadam(Map<String, Tensor> params, double lr, double b1, double b2, double eps, double weightDecay,
            double momentumDecay) {
        return Optimizer.of(params, withDecay(weightDecay, scaleByNadam(b1, b2, eps, momentumDecay), scaleByLearningRate(lr)));
    }

    /** NAdam with PyTorch's defaults. */
    public static Optimizer nadam(Map<String, Tensor> params, double lr) {
        return nadam(params, lr, 0.9, 0.999, 1e-8, 0, 4e-3);
    }

    /** PyTorch's RAdam (coupled weight decay), see {@link Transforms#scaleByRadam}; defaults β (0.9, 0.999), eps 1e-8. */
    public static Optimizer radam(Map<String, Tensor> params, double lr, double b1, double b2, double eps, double weightDecay) {
        return Optimizer.of(params, withDecay(weightDecay, scaleByRadam(b1, b2, eps), scaleByLearningRate(lr)));
    }

    /** RAdam with PyTorch's defaults. */
    public static Optimizer radam(Map<String, Tensor> params, double lr) {
        return radam(params, lr, 0.9, 0.999, 1e-8, 0);
    }

    /**
     * PyTorch's Adagrad: {@code g += wd·p}, {@code s += g²} (s starts at {@code initialAccumulator}),
     * {@code p −= lr/(1 + (t−1)·lrDecay) · g/(sqrt(s) + eps)}. Defaults lr 1e-2, eps 1e-10.
     */
    public static Optimizer adagrad(Map<String, Tensor> params, double lr, double lrDecay, double weightDecay, double initialAccumulator,
            double eps) {
        Schedule decayed = t -> lr / (1 + t * lrDecay);
        return Optimizer.of(params, withDecay(weightDecay, scaleByRss(initialAccumulator, eps), scaleByLearningRate(decayed)));
    }

    /** Adagrad with PyTorch's defaults. */
    public static Optimizer adagrad(Map<String, Tensor> params, double lr) {
        return adagrad(params, lr, 0, 0, 0, 1e-10);
    }

    /**
     * PyTorch's Adadelta: {@code g += wd·p}, {@code v = ρ·v + (1−ρ)·g²}, {@code Δ = sqrt(a + eps)/sqrt(v + eps)·g},
     * {@code a = ρ·a + (1−ρ)·Δ²}, {@code p −= lr·Δ}. Defaults lr 1.0, ρ 0.9, eps 1e-6.
     */
    public static Optimizer adadelta(Map<String, Tensor> params, double lr, double rho, double eps, double weightDecay) {
        return Optimizer.of(params, withDecay(weightDecay, scaleByAdadelta(rho, eps), scaleByLearningRate(lr)));
    }

    /** Adadelta with PyTorch's defaults. */
    public static Optimizer adadelta(Map<String, Tensor> params, double lr) {
        return adadelta(params, lr, 0.9, 1e-6, 0);
    }

    /**
     * PyTorch's RMSprop: {@code g += wd·p}, {@code v = α·v + (1−α)·g²}, {@code d = sqrt(v) + eps} (centered:
     * {@code sqrt(v − ḡ²) + eps} with {@code ḡ = α·ḡ + (1−α)·g}); with momentum μ, {@code b = μ·b + g/d},
     * {@code p −= lr·b}; else {@code p −= lr·g/d}. Defaults lr 1e-2, α 0.99, eps 1e-8.
     */
    public static Optimizer rmsprop(Map<String, Tensor> params, double lr, double alpha, double eps, double weightDecay, double momentum,
            boolean centered) {
        return rmsprop(params, Schedule.constant(lr), alpha, eps, weightDecay, momentum, centered);
    }

    /** RMSprop with a learning-rate schedule. */
    public static Optimizer rmsprop(Map<String, Tensor> params, Schedule lr, double alpha, double eps, double weightDecay, double momentum,
            boolean centered) {
        List<GradientTransform<?>> ts = new ArrayList<>();
        if (weightDecay != 0) ts.add(addDecayedWeights(Buf.nonNegative("Optimizers.rmsprop", "weightDecay", weightDecay)));
        ts.add(scaleByRms(alpha, eps, centered));
        if (momentum != 0) ts.add(trace(Buf.nonNegative("Optimizers.rmsprop", "momentum", momentum), 0, false));
        ts.add(scaleByLearningRate(lr));
        return Optimizer.of(params, chain(ts.toArray(GradientTransform<?>[]::new)));
    }

    /** RMSprop with PyTorch's defaults. */
    public static Optimizer rmsprop(Map<String, Tensor> params, double lr) {
        return rmsprop(params, lr, 0.99, 1e-8, 0, 0, false);
    }

    /** PyTorch's Rprop, see {@link Transforms#scaleByRprop}. */
    public static Optimizer rprop(Map<String, Tensor> params, double lr, double etaMinus, double etaPlus, double minStep, double maxStep) {
        return Optimizer.of(params, chain(scaleByRprop(lr, etaMinus, etaPlus, minStep, maxStep)));
    }

    /** Rprop with PyTorch's defaults: etas (0.5, 1.2), step sizes (1e-6, 50). */
    public static Optimizer rprop(Map<String, Tensor> params, double lr) {
        return rprop(params, lr, 0.5, 1.2, 1e-6, 50);
    }

    /**
     * Lion (Chen et al. 2023): {@code c = β1·m + (1−β1)·g}, {@code p −= lr·(sign(c) + wd·p)},
     * {@code m = β2·m + (1−β2)·g}. Defaults β (0.9, 0.99).
     */
    public static Optimizer lion(Map<String, Tensor> params, Schedule lr, double b1, double b2, Schedule weightDecay,
            Predicate<String> decayMask) {
        return Optimizer.of(params, chain(scaleByLion(b1, b2), addDecayedWeights(weightDecay, decayMask), scaleByLearningRate(lr)));
    }

    /** Lion with β (0.9, 0.99) and no weight decay. */
    public static Optimizer lion(Map<String, Tensor> params, double lr) {
        return lion(params, Schedule.constant(lr), 0.9, 0.99, Schedule.constant(0), ALL);
    }

    /**
     * LAMB (You et al. 2020, optax's lamb): Adam's scaled update {@code a}, {@code r = a + wd·p},
     * {@code p −= lr·r·‖p‖/‖r‖} per parameter (ratio 1 if a norm is 0). Defaults β (0.9, 0.999), eps 1e-6.
     */
    public static Optimizer lamb(Map<String, Tensor> params, Schedule lr, double b1, double b2, double eps, double weightDecay,
            Predicate<String> decayMask) {
        return Optimizer.of(params, chain(scaleByAdam(b1, b2, eps, false), addDecayedWeights(weightDecay, decayMask),
                scaleByTrustRatio(1, 0), scaleByLearningRate(lr)));
    }

    /** LAMB with the defaults, no weight decay. */
    public static Optimizer lamb(Map<String, Tensor> params, double lr) {
        return lamb(params, Schedule.constant(lr), 0.9, 0.999, 1e-6, 0, ALL);
    }

    /**
     * LARS (You et al. 2017, optax's lars): {@code r = g + wd·p}, {@code r ·= η·‖p‖/(‖r‖ + eps)} per parameter,
     * then momentum (trace) and {@code p −= lr·b}. Defaults η = 1e-3, eps 0, momentum 0.9.
     */
    public static Optimizer lars(Map<String, Tensor> params, double lr, double weightDecay, Predicate<String> decayMask,
            double trustCoefficient, double eps, double momentum, boolean nesterov) {
        return Optimizer.of(params, chain(addDecayedWeights(weightDecay, decayMask), scaleByTrustRatio(trustCoefficient, eps),
                trace(momentum, 0, nesterov), scaleByLearningRate(lr)));
    }

    /** LARS with the defaults, no weight decay. */
    public static Optimizer lars(Map<String, Tensor> params, double lr) {
        return lars(params, lr, 0, ALL, 1e-3, 0, 0.9, false);
    }

    /** Yogi (Zaheer et al. 2018), see {@link Transforms#scaleByYogi}; defaults β (0.9, 0.999), eps 1e-3, v₀ = 1e-6. */
    public static Optimizer yogi(Map<String, Tensor> params, double lr, double b1, double b2, double eps) {
        return Optimizer.of(params, chain(scaleByYogi(b1, b2, eps, 1e-6), scaleByLearningRate(lr)));
    }

    /** Yogi with the defaults. */
    public static Optimizer yogi(Map<String, Tensor> params, double lr) {
        return yogi(params, lr, 0.9, 0.999, 1e-3);
    }

    /** AdaBelief (Zhuang et al. 2020), see {@link Transforms#scaleByBelief}; defaults β (0.9, 0.999), eps = epsRoot = 1e-16. */
    public static Optimizer adaBelief(Map<String, Tensor> params, double lr, double b1, double b2, double eps, double epsRoot) {
        return Optimizer.of(params, chain(scaleByBelief(b1, b2, eps, epsRoot), scaleByLearningRate(lr)));
    }

    /** AdaBelief with the defaults. */
    public static Optimizer adaBelief(Map<String, Tensor> params, double lr) {
        return adaBelief(params, lr, 0.9, 0.999, 1e-16, 1e-16);
    }

    /** signSGD (Bernstein et al. 2018): {@code p −= lr·sign(g)}. */
    public static Optimizer signSgd(Map<String, Tensor> params, double lr) {
        return signSgd(params, Schedule.constant(lr));
    }

    /** signSGD with a learning-rate schedule (a decaying one lets it settle: its steps do not shrink with g). */
    public static Optimizer signSgd(Map<String, Tensor> params, Schedule lr) {
        return Optimizer.of(params, chain(scaleBySign(), scaleByLearningRate(lr)));
    }

    /**
     * Lookahead (Zhang et al. 2019) around {@code inner}'s transform, on its parameters: the inner optimizer takes
     * {@code k} fast steps, then the slow weights move {@code α} of the way to the fast ones and both continue from
     * there. Typical k = 5, α = 0.5. {@code inner} itself should not be stepped any more.
     */
    public static Optimizer lookahead(Optimizer inner, int k, double alpha) {
        return Optimizer.of(inner.params(), chain(Transforms.lookahead(inner.transform(), k, alpha)));
    }

    /**
     * FAdam (Hwang 2024, arXiv:2405.12807, Algorithm 1), see {@link Transforms#scaleByFadam} for the equations:
     * the bias-corrected EMA of g² as the diagonal Fisher f, the natural gradient {@code g/(f^p + ε_t)} RMS-clipped to c
     * before the momentum, weight decay {@code λ·θ/(f^p + ε_t)} clipped the same way, {@code p −= lr·(m + λ·w̄)}.
     */
    public static Optimizer fadam(Map<String, Tensor> params, Schedule lr, double b1, double b2, double eps, double clip, double p,
            double weightDecay) {
        return Optimizer.of(params, chain(scaleByFadam(b1, b2, eps, clip, p, weightDecay), scaleByLearningRate(lr)));
    }

    /** FAdam with the paper's defaults: β (0.9, 0.999), ε 1e-8, clip c 1, Fisher power p 1/2, weight decay λ 0.001. */
    public static Optimizer fadam(Map<String, Tensor> params, double lr) {
        return fadam(params, Schedule.constant(lr), 0.9, 0.999, 1e-8, 1, 0.5, 1e-3);
    }

    /** FAdam with the paper's defaults and a learning-rate schedule. */
    public static Optimizer fadam(Map<String, Tensor> params, Schedule lr) {
        return fadam(params, lr, 0.9, 0.999, 1e-8, 1, 0.5, 1e-3);
    }

    /**
     * GAM, gradient-norm aware minimisation (Zhang et al., CVPR 2023) around the base {@code transform}, combined with
     * SAM's zeroth-order term; see {@link Gam} for the step. {@code rho} is the radius of the neighbourhood whose largest
     * gradient norm is penalised, {@code rhoPrime} SAM's radius (also the finite-difference step), {@code alpha} the
     * weight of the first-order flatness term.
     */
    public static Gam gam(Map<String, Tensor> params, GradientTransform<?> transform, double rho, double rhoPrime, double alpha) {
        return new Gam(params, transform, rho, rhoPrime, alpha);
    }

    /** SAM (Foret et al. 2021) around the base {@code transform}, e.g. {@code chain(trace(0.9, 0, false), scaleByLearningRate(0.1))}; see {@link Sam}. */
    public static Sam sam(Map<String, Tensor> params, GradientTransform<?> transform, double rho) {
        return new Sam(params, transform, rho);
    }

    /**
     * PyTorch's Adafactor (see {@link Transforms#scaleByAdafactor}): defaults lr 1e-2, beta2Decay −0.8, eps1 = the
     * machine epsilon of float32 parameters or of float64 ones (PyTorch's {@code eps=(None, 1e-3)}; the float64 epsilon
     * is used when dtypes are mixed), eps2 1e-3, d 1.0, weight decay 0.
     */
    public static Optimizer adafactor(Map<String, Tensor> params, double lr, double beta2Decay, double eps1, double eps2, double d,
            double weightDecay) {
        return Optimizer.of(params, chain(scaleByAdafactor(lr, beta2Decay, eps1, eps2, d, weightDecay)));
    }

    /** Adafactor with PyTorch's defaults. */
    public static Optimizer adafactor(Map<String, Tensor> params, double lr) {
        boolean all32 = params.values().stream().allMatch(t -> t.dtype() == callisto.tensor.DType.FLOAT32);
        double eps1 = all32 ? Math.ulp(1.0f) : Math.ulp(1.0);
        return adafactor(params, lr, -0.8, eps1, 1e-3, 1.0, 0);
    }

    /**
     * Schedule-free SGD (Defazio et al. 2024), see {@link Transforms#scheduleFree}; the reference defaults are
     * lr 1.0, momentum β 0.9. Evaluate at {@link #scheduleFreeEvalParams}.
     */
    public static Optimizer scheduleFreeSgd(Map<String, Tensor> params, double lr, double momentum, double weightDecay, int warmupSteps) {
        return Optimizer.of(params, chain(scheduleFree(lr, momentum, weightDecay, warmupSteps, false, 0, 0)));
    }

    /**
     * Schedule-free AdamW (Defazio et al. 2024), see {@link Transforms#scheduleFree}; the reference defaults are
     * lr 0.0025, β (0.9, 0.999), eps 1e-8. Evaluate at {@link #scheduleFreeEvalParams}.
     */
    public static Optimizer scheduleFreeAdamW(Map<String, Tensor> params, double lr, double b1, double b2, double eps, double weightDecay,
            int warmupSteps) {
        return Optimizer.of(params, chain(scheduleFree(lr, b1, weightDecay, warmupSteps, true, b2, eps)));
    }

    /** Schedule-free AdamW with the reference defaults and no warmup. */
    public static Optimizer scheduleFreeAdamW(Map<String, Tensor> params, double lr) {
        return scheduleFreeAdamW(params, lr, 0.9, 0.999, 1e-8, 0, 0);
    }

    /**
     * The averaged point {@code x = y + (1 − 1/β)(z − y)} at which a schedule-free optimizer's model should be
     * evaluated (the parameters hold y, where gradients are taken), as new tensors by parameter name.
     */
    public static Map<String, Tensor> scheduleFreeEvalParams(Optimizer opt) {
        if (!(opt.stateRecord() instanceof Transforms.ChainState cs) || cs.states().size() != 1
                || !(cs.states().getFirst() instanceof Transforms.ScheduleFreeState sf)) {
            throw new IllegalArgumentException("Optimizers.scheduleFreeEvalParams: expected an optimizer from scheduleFreeSgd or "
                    + "scheduleFreeAdamW, got transform " + opt.transform().name());
        }
        Map<String, Tensor> out = new java.util.LinkedHashMap<>();
        double w = 1 - 1 / sf.beta();
        for (var e : opt.params().entrySet()) {
            double[] y = e.getValue().toArray(), z = sf.z().get(e.getKey()).toArray();
            for (int i = 0; i < y.length; i++) y[i] += w * (z[i] - y[i]);
            out.put(e.getKey(), Buf.make(y, e.getValue()));
        }
        return out;
    }

    /** DoG (Ivgi et al. 2023), learning-rate free; see {@link Transforms#scaleByDog}. The paper's r_ε factor is 1e-6. */
    public static Optimizer dog(Map<String, Tensor> params, double repsRel) {
        return Optimizer.of(params, chain(scaleByDog(repsRel)));
    }

    /** DoG with repsRel = 1e-6. */
    public static Optimizer dog(Map<String, Tensor> params) {
        return dog(params, 1e-6);
    }

    /**
     * SGD with the Polyak step size (see {@link Transforms#scaleByPolyak}); needs the loss, so it must be stepped
     * with {@link Optimizer#step(java.util.function.Supplier)}. optax's defaults: fMin 0, maxLr 1, eps 0.
     */
    public static Optimizer polyakSgd(Map<String, Tensor> params, double fMin, double maxLr, double eps) {
        double[] lossBox = {Double.NaN};
        return new Optimizer(params, chain(scaleByPolyak(() -> lossBox[0], fMin, maxLr, eps))) {
            @Override
            public void step() {
                throw new IllegalStateException("polyakSgd.step: the Polyak step size needs the loss; call step(lossClosure)");
            }

            @Override
            public void step(Map<String, Tensor> grads) {
                step();
            }

            @Override
            public Tensor step(java.util.function.Supplier<Tensor> lossClosure) {
                Tensor loss = lossClosure.get();
                lossBox[0] = loss.item();
                Map<String, Tensor> grads = new java.util.LinkedHashMap<>();
                for (var e : params().entrySet()) {
                    if (e.getValue().grad() != null) grads.put(e.getKey(), e.getValue().grad().detach());
                }
                if (!grads.isEmpty()) apply(grads);
                return loss;
            }
        };
    }

    /** Polyak-step SGD with optax's defaults. */
    public static Optimizer polyakSgd(Map<String, Tensor> params) {
        return polyakSgd(params, 0, 1, 0);
    }

    private static GradientTransform<?> withDecay(double weightDecay, GradientTransform<?>... rest) {
        if (weightDecay == 0) return chain(rest);
        GradientTransform<?>[] ts = new GradientTransform<?>[rest.length + 1];
        ts[0] = addDecayedWeights(Buf.nonNegative("Optimizers", "weightDecay", weightDecay));
        System.arraycopy(rest, 0, ts, 1, rest.length);
        return chain(ts);
    }
}
