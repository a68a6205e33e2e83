package callisto.fields;

import callisto.nn.Module;
import callisto.nn.ModuleCheck;
import callisto.tensor.Tensor;

/** Test helpers for the fields: module gradient checks (through ModuleCheck) and closeness. */
final class FieldsTesting {
    private FieldsTesting() {
    }

    /** Float64 gradcheck (and, when asked, gradgradcheck) of m with respect to x and every parameter. */
    static void gradcheckModule(Module m, Tensor x, boolean second) {
        ModuleCheck.gradcheck(m, x);
        if (second) ModuleCheck.gradgradcheck(m, x);
    }

    static double maxAbsDiff(double[] a, double[] b) {
        if (a.length != b.length) throw new AssertionError("lengths " + a.length + " and " + b.length + " differ");
        double m = 0;
        for (int i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
        return m;
    }
}
