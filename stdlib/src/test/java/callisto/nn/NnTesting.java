package callisto.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import callisto.tensor.GradCheck;
import callisto.tensor.Tensor;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.function.Function;

/** Gradient checks of a module with respect to its input and every parameter, through functionalCall. */
final class NnTesting {
    private NnTesting() {
    }

    static void gradcheckModule(Module m, Tensor x, boolean second) {
        var names = new ArrayList<>(m.namedParameters().keySet());
        var params = m.namedParameters();
        Tensor[] inputs = new Tensor[names.size() + (x.dtype().isFloatingPoint() ? 1 : 0)];
        int offset = inputs.length - names.size();
        if (offset == 1) inputs[0] = x;
        for (int i = 0; i < names.size(); i++) inputs[offset + i] = params.get(names.get(i)).detach();
        Function<Tensor[], Tensor> f = xs -> {
            var map = new LinkedHashMap<String, Tensor>();
            for (int i = 0; i < names.size(); i++) map.put(names.get(i), xs[offset + i]);
            return m.functionalCall(map, offset == 1 ? xs[0] : x);
        };
        GradCheck.gradcheck(f, inputs);
        if (second) GradCheck.gradgradcheck(f, inputs);
    }

    static void assertClose(double[] expected, Tensor actual, double tol) {
        assertArrayEquals(expected, actual.toArray(), tol);
    }
}
