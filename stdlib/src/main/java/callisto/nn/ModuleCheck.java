package callisto.nn;

import callisto.tensor.GradCheck;
import callisto.tensor.Tensor;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.function.Function;

/**
 * Finite-difference checks of a module's derivatives with respect to its input and every parameter at once, as
 * {@link GradCheck} does for functions: the parameters are bound as plain inputs through
 * {@link Module#functionalCall}, so a new layer is checked the way the library's own are. Use float64 modules and
 * inputs ({@code module.to(DType.FLOAT64)}); an integer input (Embedding's indices) is held fixed.
 *
 * <pre>{@code
 * var layer = new MyLayer(3, 4, new Generator(0)).to(DType.FLOAT64);
 * ModuleCheck.gradcheck(layer, new Generator(1).randn(2, 3));
 * ModuleCheck.gradgradcheck(layer, new Generator(1).randn(2, 3)); // where it is twice differentiable
 * }</pre>
 */
public final class ModuleCheck {
    private ModuleCheck() {
    }

    /** {@link GradCheck#gradcheck} of (x, parameters) ↦ module(x); throws AssertionError at the first mismatch. */
    public static void gradcheck(Module module, Tensor x) {
        var bound = bind(module, x);
        GradCheck.gradcheck(bound.f, bound.inputs);
    }

    /** {@link GradCheck#gradgradcheck} of (x, parameters) ↦ module(x): the second derivatives too. */
    public static void gradgradcheck(Module module, Tensor x) {
        var bound = bind(module, x);
        GradCheck.gradgradcheck(bound.f, bound.inputs);
    }

    private record Bound(Function<Tensor[], Tensor> f, Tensor[] inputs) {
    }

    private static Bound bind(Module module, Tensor x) {
        if (module == null || x == null) throw new IllegalArgumentException("ModuleCheck: module and input must not be null");
        var params = module.namedParameters();
        List<String> names = new ArrayList<>(params.keySet());
        int offset = x.dtype().isFloatingPoint() ? 1 : 0;
        Tensor[] inputs = new Tensor[names.size() + offset];
        if (offset == 1) inputs[0] = x;
        for (int i = 0; i < names.size(); i++) inputs[offset + i] = params.get(names.get(i)).detach();
        Function<Tensor[], Tensor> f = xs -> {
            var map = new LinkedHashMap<String, Tensor>();
            for (int i = 0; i < names.size(); i++) map.put(names.get(i), xs[offset + i]);
            return module.functionalCall(map, offset == 1 ? xs[0] : x);
        };
        return new Bound(f, inputs);
    }
}
