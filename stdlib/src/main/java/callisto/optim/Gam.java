package callisto.optim;

import callisto.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Gradient-norm aware minimisation (Zhang, Xu, Yu, Zou and Cui, "Gradient Norm Aware Minimization Seeks First-Order
 * Flatness and Improves Generalization", CVPR 2023, arXiv:2303.03108), combined with SAM, as a four-pass step around a
 * base transform.
 *
 * <p>GAM penalises first-order flatness, {@code R¹_ρ(θ) = ρ·max_{‖δ‖≤ρ} ‖∇L(θ + δ)‖}. Its Algorithm 1 ascends the
 * gradient norm once, {@code θ_adv = θ + ρ·f/‖f‖} with {@code f = ∇‖∇L(θ)‖ = ∇²L·∇L/‖∇L‖}, and descends
 * {@code h_loss + α·ρ·∇‖∇L(θ_adv)‖}. The two Hessian-vector products are replaced here by the paper's first-order
 * approximation (its Appendix D, the "accelerated GAM" the authors release), a finite difference of gradients along
 * the normalised gradient with SAM's radius ρ': {@code ∇‖∇L(θ)‖ ≈ (∇L(θ + ρ'·ĝ) − ∇L(θ))/ρ'}, ĝ = ∇L(θ)/‖∇L(θ)‖;
 * the first of those gradients is SAM's, which serves as the zeroth-order term {@code h_loss}. With global norms over
 * every parameter that has a gradient and ξ = 1e-12:
 * <pre>
 * g0 = ∇L(θ)
 * g1 = ∇L(θ + ρ'·g0/(‖g0‖ + ξ))                      SAM's gradient (zeroth-order flatness)
 * d  = g1 − g0                                        ∝ ∇‖∇L(θ)‖
 * θ_adv = θ + ρ·d/(‖d‖ + ξ)                           gradient-norm ascent
 * g2 = ∇L(θ_adv),  g3 = ∇L(θ_adv + ρ'·g2/(‖g2‖ + ξ))
 * h  = g1 + α·ρ·(g3 − g2)/ρ'                          ≈ ∇L_SAM(θ) + α·∇R¹_ρ(θ)
 * </pre>
 * the parameters are put back to θ and the base transform steps with h. Reading of the paper where it leaves a choice:
 * this is the SAM-combined objective {@code L_SAM + α·R¹_ρ} with the finite-difference Hessian-vector products, not
 * the exact ones of Algorithm 1; the gradient-decomposition heuristic (γ) of the released code is left out.
 *
 * <p>Only {@link #step(Supplier)} is available: the closure must clear the gradients, compute the loss, call
 * {@code backward()} and return the loss; it is called four times. Parameters without a gradient at θ are left out;
 * one without a gradient at a perturbed point counts as a zero gradient there.
 */
public final class Gam extends Optimizer {
    private static final double XI = 1e-12;
    private final double rho, rhoPrime, alpha;

    Gam(Map<String, Tensor> params, GradientTransform<?> base, double rho, double rhoPrime, double alpha) {
        super(params, base);
        this.rho = Buf.positive("Optimizers.gam", "rho", rho);
        this.rhoPrime = Buf.positive("Optimizers.gam", "rhoPrime", rhoPrime);
        this.alpha = Buf.nonNegative("Optimizers.gam", "alpha", alpha);
    }

    /** Unsupported: GAM needs to evaluate the loss four times. */
    @Override
    public void step() {
        throw new IllegalStateException("Gam.step: GAM evaluates the loss four times; call step(lossClosure)");
    }

    /** Unsupported: GAM needs the loss at perturbed points, not given gradients. */
    @Override
    public void step(Map<String, Tensor> grads) {
        step();
    }

    /** The four-pass step; returns the loss at the unperturbed parameters. */
    @Override
    public Tensor step(Supplier<Tensor> lossClosure) {
        Tensor loss = lossClosure.get();
        Map<String, Tensor> params = params();
        Map<String, double[]> g0 = Perturbation.gradients(params);
        if (g0.isEmpty()) return loss;
        Map<String, Tensor> saved = Perturbation.save(params, g0);
        Map<String, Tensor> h = new LinkedHashMap<>();
        try {
            Perturbation.perturb(params, g0, rhoPrime / (Perturbation.norm(g0) + XI));
            Map<String, double[]> g1 = Perturbation.gradientsAfter(params, lossClosure, g0);
            Perturbation.restore(params, saved);
            Map<String, double[]> d = new LinkedHashMap<>();
            for (var e : g0.entrySet()) {
                double[] a = g1.get(e.getKey()).clone(), b = e.getValue();
                for (int i = 0; i < a.length; i++) a[i] -= b[i];
                d.put(e.getKey(), a);
            }
            Perturbation.perturb(params, d, rho / (Perturbation.norm(d) + XI));
            Map<String, double[]> g2 = Perturbation.gradientsAfter(params, lossClosure, g0);
            Perturbation.perturb(params, g2, rhoPrime / (Perturbation.norm(g2) + XI));
            Map<String, double[]> g3 = Perturbation.gradientsAfter(params, lossClosure, g0);
            double c = alpha * rho / rhoPrime;
            for (var e : g1.entrySet()) {
                double[] a = e.getValue(), b2 = g2.get(e.getKey()), b3 = g3.get(e.getKey());
                for (int i = 0; i < a.length; i++) a[i] += c * (b3[i] - b2[i]);
                h.put(e.getKey(), Buf.make(a, params.get(e.getKey())));
            }
        } finally {
            Perturbation.restore(params, saved);
        }
        apply(h);
        return loss;
    }
}
