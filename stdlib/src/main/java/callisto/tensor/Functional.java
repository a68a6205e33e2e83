package callisto.tensor;

import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Derivatives of functions of one tensor, built from {@link Autograd#grad} (no vmap needed): vector-Jacobian
 * and Jacobian-vector products, full Jacobians and Hessians, Hessian-vector products. All results are
 * recorded, so they can be differentiated again.
 */
public final class Functional {
    private Functional() {
    }

    /** {@code vᵀ J} of {@code f} at {@code x} (shape of x). */
    public static Tensor vjp(UnaryOperator<Tensor> f, Tensor x, Tensor v) {
        Tensor in = input(x);
        Tensor out = f.apply(in);
        Tensor g = Autograd.grad(List.of(out), List.of(in), List.of(v), true, true, true).getFirst();
        return g == null ? Tensor.zerosLike(x) : g;
    }

    /**
     * {@code J v} of {@code f} at {@code x} (shape of f(x)), by the double-vjp trick: {@code uᵀ J} is linear in u,
     * and its gradient with respect to u along v is {@code J v}.
     */
    public static Tensor jvp(UnaryOperator<Tensor> f, Tensor x, Tensor v) {
        Tensor in = input(x);
        Tensor out = f.apply(in);
        Tensor u = Tensor.zerosLike(out).requiresGrad(true);
        Tensor g = Autograd.grad(List.of(out), List.of(in), List.of(u), true, true, true).getFirst();
        if (g == null || !g.requiresGrad()) return Tensor.zerosLike(out);
        Tensor jv = Autograd.grad(List.of(g), List.of(u), List.of(v), true, true, true).getFirst();
        return jv == null ? Tensor.zerosLike(out) : jv;
    }

    /** The Jacobian of {@code f} at {@code x}, shaped [f(x).numel, x.numel]. */
    public static Tensor jacobian(UnaryOperator<Tensor> f, Tensor x) {
        Tensor in = input(x);
        Tensor out = f.apply(in);
        int m = out.numel(), n = x.numel();
        double[] j = new double[m * n];
        for (int r = 0; r < m; r++) {
            double[] seed = new double[m];
            seed[r] = 1;
            Tensor g = Autograd.grad(List.of(out), List.of(in), List.of(Tensor.of(seed, out.shape).to(out.dtype)), false, true, true).getFirst();
            if (g != null) System.arraycopy(g.toArray(), 0, j, r * n, n);
        }
        return Tensor.of(j, m, n).to(x.dtype);
    }

    /** The Hessian of a scalar {@code f} at {@code x}, shaped [x.numel, x.numel]. */
    public static Tensor hessian(UnaryOperator<Tensor> f, Tensor x) {
        return jacobian(y -> grad(f, y), x);
    }

    /** {@code H v} for a scalar {@code f} at {@code x}: forward-over-reverse, without forming H. */
    public static Tensor hvp(UnaryOperator<Tensor> f, Tensor x, Tensor v) {
        return jvp(y -> grad(f, y), x, v);
    }

    /** The gradient of a scalar {@code f} at {@code x}, recorded (differentiable again). */
    public static Tensor grad(UnaryOperator<Tensor> f, Tensor x) {
        Tensor in = x.requiresGrad() ? x : input(x);
        Tensor g = Autograd.grad(List.of(f.apply(in)), List.of(in), null, true, true, true).getFirst();
        return g == null ? Tensor.zerosLike(x) : g;
    }

    /**
     * The per-sample Jacobian of a batch of residuals [b] with respect to parameters: a [b, P] tensor whose row
     * i is d residual[i] / d (all parameters, flattened in order), as Exact Gauss-Newton needs. One reverse pass
     * per sample, no vmap.
     */
    public static Tensor perSampleJacobian(Tensor residuals, List<Tensor> parameters) {
        if (residuals.dim() != 1) {
            throw new IllegalArgumentException("perSampleJacobian: residuals must be 1-D [b], got " + Shape.str(residuals.shape));
        }
        int b = residuals.numel(), p = 0;
        for (Tensor t : parameters) p += t.numel();
        double[] j = new double[b * p];
        for (int i = 0; i < b; i++) {
            double[] seed = new double[b];
            seed[i] = 1;
            List<Tensor> g = Autograd.grad(List.of(residuals), parameters, List.of(Tensor.of(seed).to(residuals.dtype)), false, true, true);
            int at = i * p;
            for (int k = 0; k < parameters.size(); k++) {
                int n = parameters.get(k).numel();
                if (g.get(k) != null) System.arraycopy(g.get(k).toArray(), 0, j, at, n);
                at += n;
            }
        }
        return Tensor.of(j, b, p).to(residuals.dtype);
    }

    private static Tensor input(Tensor x) {
        return x.requiresGrad() ? x : x.detach().requiresGrad(true);
    }
}
