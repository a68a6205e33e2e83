package callisto.nn;

import callisto.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;

/** Modules applied in order, registered under their indices "0", "1", ..., as PyTorch's {@code nn.Sequential}. */
public class Sequential extends Module {
    private final List<Module> layers = new ArrayList<>();

    public Sequential(Module... modules) {
        for (Module m : modules) add(m);
    }

    public Sequential(List<? extends Module> modules) {
        for (Module m : modules) add(m);
    }

    /** Appends {@code module} under the next index; returns this. */
    public final Sequential add(Module module) {
        registerModule(String.valueOf(layers.size()), module);
        layers.add(module);
        return this;
    }

    public final Module get(int index) {
        if (index < 0 || index >= layers.size()) {
            throw new IllegalArgumentException(typeName() + ".get: index " + index + " is not in [0, " + layers.size() + ")");
        }
        return layers.get(index);
    }

    public final int size() {
        return layers.size();
    }

    @Override
    public Tensor forward(Tensor x) {
        for (Module m : layers) x = m.forward(x);
        return x;
    }
}
