package callisto.operators;

import callisto.nn.Module;
import callisto.tensor.GradCheck;
import callisto.tensor.GradMode;
import callisto.tensor.Tensor;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.function.Function;

/** Test helpers for the operators: gradient checks through functionalCall, and setting weights by name. */
final class MgTesting {
    private MgTesting() {
    }

    /** Float64 gradcheck (and, when asked, gradgradcheck) of m with respect to x and every parameter. */
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

    /** Overwrites the parameter {@code name} of m with {@code values} (row-major, the parameter's shape). */
    static void set(Module m, String name, double... values) {
        Tensor p = m.namedParameters().get(name);
        if (p == null) throw new IllegalArgumentException("no parameter " + name + " in " + m.namedParameters().keySet());
        try (var ignored = GradMode.noGrad()) {
            p.copy_(Tensor.of(values, p.shape()).to(p.dtype()));
        }
    }
}
