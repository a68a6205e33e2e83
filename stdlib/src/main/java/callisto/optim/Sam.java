package callisto.optim;

import callisto.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Sharpness-aware minimisation (Foret et al. 2021): a two-pass step. With the gradient g at w,
 * {@code e = ρ·g/(‖g‖ + 1e-12)} (global norm over all parameters that have a gradient); the gradient is
 * evaluated again at {@code w + e}, the parameters are put back to w, and the base transform steps with that second
 * gradient. Only {@link #step(Supplier)} is available: the closure must clear the gradients, compute the loss,
 * call {@code backward()} and return the loss; it is called twice.
 */
public final class Sam extends Optimizer {
    private final double rho;

    Sam(Map<String, Tensor> params, GradientTransform<?> base, double rho) {
        super(params, base);
        this.rho = Buf.positive("Optimizers.sam", "rho", rho);
    }

    /** Unsupported: SAM needs to evaluate the loss twice. */
    @Override
    public void step() {
        throw new IllegalStateException("Sam.step: SAM evaluates the loss twice; call step(lossClosure)");
    }

    /** The two-pass step; returns the loss at the unperturbed parameters. */
    @Override
    public Tensor step(Supplier<Tensor> lossClosure) {
        Tensor loss = lossClosure.get();
        Map<String, Tensor> params = params();
        Map<String, double[]> g = Perturbation.gradients(params);
        if (g.isEmpty()) return loss;
        Map<String, Tensor> saved = Perturbation.save(params, g);
        try {
            Perturbation.perturb(params, g, rho / (Perturbation.norm(g) + 1e-12));
            lossClosure.get();
        } finally {
            Perturbation.restore(params, saved);
        }
        Map<String, Tensor> grads = new LinkedHashMap<>();
        for (var e : params.entrySet()) {
            Tensor gr = e.getValue().grad();
            if (gr != null) grads.put(e.getKey(), gr.detach());
        }
        if (!grads.isEmpty()) apply(grads);
        return loss;
    }
}
