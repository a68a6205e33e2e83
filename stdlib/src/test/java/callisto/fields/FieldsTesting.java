package callisto.fields;

import callisto.nn.Module;
import callisto.tensor.GradCheck;
import callisto.tensor.Tensor;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.function.Function;

/** Float64 gradient checks of a module with respect to its input and every parameter, through functionalCall. */
final class FieldsTesting {
    private FieldsTesting() {
    }

    static void gradcheckModule(Module m, Tensor x, boolean second) {
        var params = m.namedParameters();
        var names = new ArrayList<>(params.keySet());
        Tensor[] inputs = new Tensor[names.size() + 1];
        inputs[0] = x;
        for (int i = 0; i < names.size(); i++) inputs[1 + i] = params.get(names.get(i)).detach();
        Function<Tensor[], Tensor> f = xs -> {
            var map = new LinkedHashMap<String, Tensor>();
            for (int i = 0; i < names.size(); i++) map.put(names.get(i), xs[1 + i]);
            return m.functionalCall(map, xs[0]);
        };
        GradCheck.gradcheck(f, inputs);
        if (second) GradCheck.gradgradcheck(f, inputs);
    }

    static double maxAbsDiff(double[] a, double[] b) {
        if (a.length != b.length) throw new AssertionError("lengths " + a.length + " and " + b.length + " differ");
        double m = 0;
        for (int i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
        return m;
    }
}
