package callisto.tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.function.Function;

/**
 * Finite-difference checks of derivatives in float64, as PyTorch's {@code gradcheck} and
 * {@code gradgradcheck}: for your own differentiable functions as much as for the library's.
 */
public final class GradCheck {
    private static final double EPS = 1e-6, ATOL = 1e-5, RTOL = 1e-3;

    private GradCheck() {
    }

    /**
     * Compares the Jacobian autograd gives for {@code f} at {@code inputs} with central differences; throws
     * {@link AssertionError} naming the input, element and both values at the first mismatch.
     */
    public static void gradcheck(Function<Tensor[], Tensor> f, Tensor... inputs) {
        Tensor[] x = leaves(inputs);
        Tensor out = f.apply(x);
        for (int j = 0; j < out.numel(); j++) {
            double[] seed = new double[out.numel()];
            seed[j] = 1;
            // an output that depends on no input (the gradient of a linear map) has zero derivatives
            List<Tensor> analytic = out.requiresGrad()
                    ? Autograd.grad(List.of(out), List.of(x), List.of(Tensor.of(seed, out.shape)), false, true, true)
                    : Arrays.asList(new Tensor[x.length]);
            for (int i = 0; i < x.length; i++) {
                for (int k = 0; k < x[i].numel(); k++) {
                    double numeric = centralDifference(f, x, i, k, j);
                    double a = analytic.get(i) == null ? 0 : analytic.get(i).valueAt(k);
                    if (Math.abs(a - numeric) > ATOL + RTOL * Math.abs(numeric)) {
                        throw new AssertionError(String.format(Locale.ROOT,
                                "gradcheck: d output[%d] / d input %d [%d]: autograd %.10g, finite difference %.10g",
                                j, i, k, a, numeric));
                    }
                }
            }
        }
    }

    /**
     * Checks second derivatives: the gradient of {@code v · f} (v fixed, seeded) with respect to the inputs,
     * projected on fixed random weights, must itself pass {@link #gradcheck}.
     */
    public static void gradgradcheck(Function<Tensor[], Tensor> f, Tensor... inputs) {
        var random = new SplittableRandom(42);
        Tensor probe = f.apply(leaves(inputs));
        Tensor v = Tensor.of(random.doubles(probe.numel(), -1, 1).toArray(), probe.shape);
        var weights = new ArrayList<Tensor>();
        for (Tensor t : inputs) weights.add(Tensor.of(random.doubles(t.numel(), -1, 1).toArray(), t.shape));
        gradcheck(x -> {
            Tensor out = f.apply(x);
            List<Tensor> g = Autograd.grad(List.of(out), Arrays.asList(x), List.of(v), true, true, true);
            Tensor total = Tensor.scalar(0);
            for (int i = 0; i < x.length; i++) if (g.get(i) != null) total = total.add(g.get(i).mul(weights.get(i)).sum());
            return total;
        }, inputs);
    }

    private static Tensor[] leaves(Tensor[] inputs) {
        Tensor[] x = new Tensor[inputs.length];
        for (int i = 0; i < inputs.length; i++) {
            if (inputs[i].dtype != DType.FLOAT64) {
                throw new IllegalArgumentException("gradcheck: input " + i + " is " + inputs[i].dtype.pythonName()
                        + "; finite differences need float64 (convert with to(DType.FLOAT64))");
            }
            x[i] = Tensor.of(inputs[i].toArray(), inputs[i].shape).requiresGrad(true);
        }
        return x;
    }

    private static double centralDifference(Function<Tensor[], Tensor> f, Tensor[] x, int i, int k, int j) {
        double[] values = (double[]) x[i].storage.array; // a fresh contiguous leaf: perturbed in place
        double saved = values[k];
        try { // grad mode stays on: gradgradcheck's function itself differentiates
            values[k] = saved + EPS;
            double plus = f.apply(x).valueAt(j);
            values[k] = saved - EPS;
            double minus = f.apply(x).valueAt(j);
            return (plus - minus) / (2 * EPS);
        } finally {
            values[k] = saved;
        }
    }
}
