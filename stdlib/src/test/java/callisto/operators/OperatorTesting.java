package callisto.operators;

import callisto.nn.Module;
import callisto.nn.ModuleCheck;
import callisto.tensor.GradMode;
import callisto.tensor.Tensor;

/** Test helpers for the operators: module gradient checks (through ModuleCheck), weights set by name, closeness. */
final class OperatorTesting {
    private OperatorTesting() {
    }

    /** Float64 gradcheck (and, when asked, gradgradcheck) of m with respect to x and every parameter. */
    static void gradcheckModule(Module m, Tensor x, boolean second) {
        ModuleCheck.gradcheck(m, x);
        if (second) ModuleCheck.gradgradcheck(m, x);
    }

    /** Overwrites the parameter {@code name} of m with {@code values} (row-major, the parameter's shape). */
    static void set(Module m, String name, double... values) {
        Tensor p = m.namedParameters().get(name);
        if (p == null) throw new IllegalArgumentException("no parameter " + name + " in " + m.namedParameters().keySet());
        try (var ignored = GradMode.noGrad()) {
            p.copy_(Tensor.of(values, p.shape()).to(p.dtype()));
        }
    }

    static double maxAbsDiff(double[] a, double[] b) {
        if (a.length != b.length) throw new AssertionError("lengths " + a.length + " and " + b.length + " differ");
        double d = 0;
        for (int i = 0; i < a.length; i++) d = Math.max(d, Math.abs(a[i] - b[i]));
        return d;
    }
}
