package callisto.optim;

import callisto.tensor.GradMode;
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
        Map<String, double[]> g = new LinkedHashMap<>();
        double sq = 0;
        for (var e : params().entrySet()) {
            Tensor gr = e.getValue().grad();
            if (gr == null) continue;
            double[] a = gr.toArray();
            for (double x : a) sq += x * x;
            g.put(e.getKey(), a);
        }
        if (g.isEmpty()) return loss;
        double c = rho / (Math.sqrt(sq) + 1e-12);
        Map<String, Tensor> eps = new LinkedHashMap<>();
        try (var off = GradMode.noGrad()) {
            for (var e : g.entrySet()) {
                double[] a = e.getValue();
                for (int i = 0; i < a.length; i++) a[i] *= c;
                Tensor p = params().get(e.getKey());
                Tensor d = Buf.make(a, p);
                eps.put(e.getKey(), d);
                p.add_(d);
            }
        }
        lossClosure.get();
        try (var off = GradMode.noGrad()) {
            for (var e : eps.entrySet()) params().get(e.getKey()).sub_(e.getValue());
        }
        Map<String, Tensor> grads = new LinkedHashMap<>();
        for (var e : params().entrySet()) {
            Tensor gr = e.getValue().grad();
            if (gr != null) grads.put(e.getKey(), gr.detach());
        }
        if (!grads.isEmpty()) apply(grads);
        return loss;
    }
}
