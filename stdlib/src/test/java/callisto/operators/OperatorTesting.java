package callisto.operators;

import callisto.nn.Module;
import callisto.tensor.GradCheck;
import callisto.tensor.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.function.Function;

/** Finite-difference checks of an operator module with respect to its input and all its parameters. */
final class OperatorTesting {
    private OperatorTesting() {
    }

    /** Gradcheck (and gradgradcheck when {@code second}) of x, params ↦ m(x), the params bound by functionalCall. */
    static void gradcheckModule(Module m, Tensor x, boolean second) {
        var params = m.namedParameters();
        var names = new ArrayList<>(params.keySet());
        Tensor[] inputs = new Tensor[names.size() + 1];
        inputs[0] = x;
        for (int i = 0; i < names.size(); i++) inputs[i + 1] = params.get(names.get(i)).detach();
        Function<Tensor[], Tensor> f = xs -> {
            var bound = new LinkedHashMap<String, Tensor>();
            for (int i = 0; i < names.size(); i++) bound.put(names.get(i), xs[i + 1]);
            return m.functionalCall(bound, xs[0]);
        };
        GradCheck.gradcheck(f, inputs);
        if (second) GradCheck.gradgradcheck(f, inputs);
    }

    static double maxAbsDiff(double[] a, double[] b) {
        if (a.length != b.length) throw new AssertionError("lengths " + a.length + " and " + b.length + " differ");
        double d = 0;
        for (int i = 0; i < a.length; i++) d = Math.max(d, Math.abs(a[i] - b[i]));
        return d;
    }
}
