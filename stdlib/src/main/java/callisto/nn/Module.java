package callisto.nn;

import callisto.tensor.Generator;
import callisto.tensor.GradMode;
import callisto.tensor.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A neural-network building block, as PyTorch's {@code nn.Module}: it owns named parameters (leaf tensors with
 * gradients), named buffers (state that is saved but not trained, such as BatchNorm's running statistics) and named
 * submodules. State is always keyed by dotted path ({@code "layers.0.weight"}) in registration order, never by
 * position, so a state dict survives reordering code that does not rename things.
 *
 * <p>Subclasses register everything in their constructor with {@link #registerParameter}, {@link #registerBuffer}
 * and {@link #registerModule}, and implement {@link #forward}. Loading a state dict copies values into the
 * registered tensors in place, so subclasses may keep them in fields.
 */
public abstract class Module {
    private final LinkedHashMap<String, Tensor> parameters = new LinkedHashMap<>();
    private final LinkedHashMap<String, Tensor> buffers = new LinkedHashMap<>();
    private final LinkedHashMap<String, Module> children = new LinkedHashMap<>();
    private final LinkedHashMap<String, Generator> generators = new LinkedHashMap<>();
    private boolean training = true;

    /** The module's computation. */
    public abstract Tensor forward(Tensor x);

    /** Runs {@link #forward}, as calling a PyTorch module: {@code model.call(x)}. */
    public final Tensor call(Tensor x) {
        return forward(x);
    }

    // ---- registration

    /** Registers {@code tensor} as the parameter {@code name} and marks it as requiring gradients; returns it. */
    protected final Tensor registerParameter(String name, Tensor tensor) {
        checkName("registerParameter", name);
        if (tensor == null) throw new IllegalArgumentException("registerParameter: parameter '" + name + "' is null");
        if (!tensor.dtype().isFloatingPoint()) {
            throw new IllegalArgumentException("registerParameter: parameter '" + name + "' is " + tensor.dtype()
                    + "; parameters must be floating point");
        }
        if (!tensor.isLeaf()) {
            throw new IllegalArgumentException("registerParameter: parameter '" + name + "' is not a leaf; detach() it first");
        }
        tensor.requiresGrad(true);
        parameters.put(name, tensor);
        return tensor;
    }

    /** Registers {@code tensor} as the buffer {@code name}: saved in {@link #stateDict()}, never trained. */
    protected final Tensor registerBuffer(String name, Tensor tensor) {
        checkName("registerBuffer", name);
        if (tensor == null) throw new IllegalArgumentException("registerBuffer: buffer '" + name + "' is null");
        buffers.put(name, tensor);
        return tensor;
    }

    /** Registers {@code module} as the submodule {@code name}; returns it. */
    protected final <M extends Module> M registerModule(String name, M module) {
        checkName("registerModule", name);
        if (module == null) throw new IllegalArgumentException("registerModule: module '" + name + "' is null");
        if (module == this) throw new IllegalArgumentException("registerModule: module '" + name + "' is the module itself");
        children.put(name, module);
        return module;
    }

    /**
     * Registers the random generator a module draws from while training (Dropout's masks), so that
     * {@link #namedGenerators()} finds it and a checkpoint can save its position; returns it.
     */
    protected final Generator registerGenerator(String name, Generator generator) {
        checkName("registerGenerator", name);
        if (generator == null) throw new IllegalArgumentException("registerGenerator: generator '" + name + "' is null");
        generators.put(name, generator);
        return generator;
    }

    private void checkName(String op, String name) {
        if (name == null || name.isEmpty() || name.contains(".")) {
            throw new IllegalArgumentException(op + ": name '" + name + "' must be non-empty and contain no '.'");
        }
        if (parameters.containsKey(name) || buffers.containsKey(name) || children.containsKey(name) || generators.containsKey(name)) {
            throw new IllegalArgumentException(op + ": name '" + name + "' is already registered in " + typeName());
        }
    }

    /** This module's own parameter {@code name} as currently bound (see {@link #functionalCall}), or null. */
    protected final Tensor parameter(String name) {
        return parameters.get(name);
    }

    /** This module's own buffer {@code name} as currently bound, or null. */
    protected final Tensor buffer(String name) {
        return buffers.get(name);
    }

    /**
     * Runs {@link #forward} with some parameters or buffers replaced by the given tensors (keys as in
     * {@link #stateDict()}), as {@code torch.func.functional_call}: gradients then flow to the given tensors, which
     * lets a caller differentiate with respect to parameters as plain inputs (gradcheck, meta-learning, ensembles).
     * The module's own tensors are restored afterwards, even when forward throws. Not for concurrent use of one module.
     */
    public final Tensor functionalCall(Map<String, Tensor> replacements, Tensor x) {
        if (replacements == null) throw new IllegalArgumentException("functionalCall: replacements is null");
        var modules = namedModules();
        var restore = new ArrayList<Runnable>();
        try {
            for (var e : replacements.entrySet()) {
                String key = e.getKey();
                int dot = key.lastIndexOf('.');
                Module m = modules.get(dot < 0 ? "" : key.substring(0, dot));
                String local = key.substring(dot + 1);
                Map<String, Tensor> table = m == null ? null
                        : m.parameters.containsKey(local) ? m.parameters : m.buffers.containsKey(local) ? m.buffers : null;
                if (table == null) {
                    throw new IllegalArgumentException("functionalCall: key '" + key + "' is no parameter or buffer of " + typeName());
                }
                Tensor old = table.get(local);
                if (e.getValue() == null || !Arrays.equals(old.shape(), e.getValue().shape())) {
                    throw new IllegalArgumentException("functionalCall: key '" + key + "' has shape "
                            + (e.getValue() == null ? "null" : Arrays.toString(e.getValue().shape())) + " but the module's is "
                            + Arrays.toString(old.shape()));
                }
                table.put(local, e.getValue());
                restore.add(() -> table.put(local, old));
            }
            return forward(x);
        } finally {
            for (Runnable r : restore.reversed()) r.run();
        }
    }

    // ---- traversal

    /** The parameters of this module and all submodules, in {@link #namedParameters()} order. */
    public final List<Tensor> parameters() {
        return new ArrayList<>(namedParameters().values());
    }

    /**
     * Parameters by dotted path: this module's own first (in registration order), then each submodule's under its
     * name, as PyTorch's {@code named_parameters()}. A tensor shared by two modules appears once, under its first path.
     */
    public final LinkedHashMap<String, Tensor> namedParameters() {
        return collectOnce(m -> m.parameters);
    }

    /** Each module's own entries by dotted path, depth first; an object reachable twice appears under its first path. */
    private <T> LinkedHashMap<String, T> collectOnce(java.util.function.Function<Module, Map<String, T>> own) {
        var out = new LinkedHashMap<String, T>();
        Set<T> seen = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        for (var e : namedModules().entrySet()) {
            for (var x : own.apply(e.getValue()).entrySet()) {
                if (seen.add(x.getValue())) out.put(join(e.getKey(), x.getKey()), x.getValue());
            }
        }
        return out;
    }

    /** Buffers by dotted path, in the same order as {@link #namedParameters()}. */
    public final LinkedHashMap<String, Tensor> namedBuffers() {
        var out = new LinkedHashMap<String, Tensor>();
        for (var e : namedModules().entrySet()) {
            for (var b : e.getValue().buffers.entrySet()) out.put(join(e.getKey(), b.getKey()), b.getValue());
        }
        return out;
    }

    /**
     * The random generators of this module and its submodules by dotted path ({@code "layers.2.generator"}); one
     * generator shared by several modules appears once, under its first path. Not part of {@link #stateDict()}
     * (as in PyTorch); {@code callisto.train.Trainer} checkpoints their states beside it.
     */
    public final LinkedHashMap<String, Generator> namedGenerators() {
        return collectOnce(m -> m.generators);
    }

    /** This module (under the empty name) and every submodule by dotted path, depth first in registration order. */
    public final LinkedHashMap<String, Module> namedModules() {
        var out = new LinkedHashMap<String, Module>();
        collect("", out, java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>()));
        return out;
    }

    private void collect(String prefix, LinkedHashMap<String, Module> out, Set<Module> seen) {
        if (!seen.add(this)) return;
        out.put(prefix, this);
        for (var c : children.entrySet()) c.getValue().collect(join(prefix, c.getKey()), out, seen);
    }

    /** The direct submodules by name. */
    public final LinkedHashMap<String, Module> namedChildren() {
        return new LinkedHashMap<>(children);
    }

    private static String join(String prefix, String name) {
        return prefix.isEmpty() ? name : prefix + "." + name;
    }

    /** The number of scalar parameters (each shared tensor counted once). */
    public final long numParameters() {
        return numParameters(false);
    }

    /** The number of scalar parameters, only those requiring gradients when {@code trainableOnly}. */
    public final long numParameters(boolean trainableOnly) {
        long n = 0;
        for (Tensor p : parameters()) if (!trainableOnly || p.requiresGrad()) n += p.numel();
        return n;
    }

    /** Clears the gradients of every parameter. */
    public final void zeroGrad() {
        for (Tensor p : parameters()) p.zeroGrad();
    }

    /**
     * Runs {@code fn} on every submodule and then on this module (children first), as PyTorch's {@code apply}:
     * e.g. {@code model.apply(m -> { if (m instanceof Linear l) Init.xavierUniform(l.weight(), g); })}; returns this.
     */
    public final Module apply(java.util.function.Consumer<Module> fn) {
        var modules = new ArrayList<>(namedModules().values());
        for (int i = modules.size() - 1; i >= 0; i--) fn.accept(modules.get(i));
        return this;
    }

    /**
     * Converts every floating-point parameter and buffer to {@code dtype} (integer buffers such as BatchNorm's batch
     * count stay as they are), as PyTorch's {@code module.to(dtype)}; returns this. Parameters become new leaves with
     * the same requiresGrad, so an optimizer must be built after the conversion, as in PyTorch.
     */
    public final Module to(callisto.tensor.DType dtype) {
        if (dtype == null || !dtype.isFloatingPoint()) {
            throw new IllegalArgumentException("Module.to: dtype " + dtype + " must be FLOAT32 or FLOAT64");
        }
        for (Module m : namedModules().values()) {
            for (var e : m.parameters.entrySet()) {
                Tensor p = e.getValue();
                if (p.dtype() != dtype) e.setValue(p.detach().to(dtype).clone().requiresGrad(p.requiresGrad()));
            }
            for (var e : m.buffers.entrySet()) {
                Tensor b = e.getValue();
                if (b.dtype().isFloatingPoint() && b.dtype() != dtype) e.setValue(b.detach().to(dtype).clone());
            }
        }
        return this;
    }

    // ---- modes

    /** Sets training mode here and in every submodule (Dropout drops, BatchNorm uses batch statistics); returns this. */
    public final Module train() {
        return train(true);
    }

    /** Sets training ({@code true}) or evaluation mode recursively; returns this. */
    public final Module train(boolean mode) {
        for (Module m : namedModules().values()) m.training = mode;
        return this;
    }

    /** Evaluation mode, recursively (Dropout is the identity, BatchNorm uses running statistics); returns this. */
    public final Module eval() {
        return train(false);
    }

    /** Whether this module is in training mode (the default) rather than evaluation mode. */
    public final boolean isTraining() {
        return training;
    }

    /** Stops gradients for the parameters of this module and its submodules (requiresGrad false); returns this. */
    public final Module freeze() {
        for (Tensor p : parameters()) p.requiresGrad(false);
        return this;
    }

    /** Undoes {@link #freeze()}: every parameter here and below requires gradients again; returns this. */
    public final Module unfreeze() {
        for (Tensor p : parameters()) p.requiresGrad(true);
        return this;
    }

    // ---- state

    /**
     * Parameters and buffers by dotted path, as detached copies (changing them changes nothing in the model):
     * per module its parameters, then its buffers, then its submodules, as PyTorch's {@code state_dict()}.
     */
    public final LinkedHashMap<String, Tensor> stateDict() {
        var out = new LinkedHashMap<String, Tensor>();
        try (var off = GradMode.noGrad()) {
            for (var e : namedModules().entrySet()) {
                Module m = e.getValue();
                for (var p : m.parameters.entrySet()) out.putIfAbsent(join(e.getKey(), p.getKey()), p.getValue().detach().clone());
                for (var b : m.buffers.entrySet()) out.putIfAbsent(join(e.getKey(), b.getKey()), b.getValue().detach().clone());
            }
        }
        return out;
    }

    /**
     * Copies {@code state} into this model's parameters and buffers in place (converting dtype when they differ).
     * Strict as PyTorch's default: every key must be present, none may be extra, and shapes must match, otherwise an
     * IllegalArgumentException names the key (and both shapes); nothing is copied unless all keys check out.
     */
    public final void loadStateDict(Map<String, Tensor> state) {
        if (state == null) throw new IllegalArgumentException("loadStateDict: state is null");
        var own = new LinkedHashMap<String, Tensor>();
        for (var e : namedModules().entrySet()) {
            Module m = e.getValue();
            for (var p : m.parameters.entrySet()) own.putIfAbsent(join(e.getKey(), p.getKey()), p.getValue());
            for (var b : m.buffers.entrySet()) own.putIfAbsent(join(e.getKey(), b.getKey()), b.getValue());
        }
        var missing = new ArrayList<String>();
        for (String k : own.keySet()) if (!state.containsKey(k)) missing.add(k);
        var unexpected = new ArrayList<String>();
        for (String k : state.keySet()) if (!own.containsKey(k)) unexpected.add(k);
        if (!missing.isEmpty() || !unexpected.isEmpty()) {
            throw new IllegalArgumentException("loadStateDict: state for " + typeName()
                    + (missing.isEmpty() ? "" : " is missing keys " + missing)
                    + (missing.isEmpty() || unexpected.isEmpty() ? "" : " and")
                    + (unexpected.isEmpty() ? "" : " has unexpected keys " + unexpected));
        }
        for (var e : own.entrySet()) {
            Tensor source = state.get(e.getKey());
            if (source == null) throw new IllegalArgumentException("loadStateDict: key '" + e.getKey() + "' maps to null");
            if (!Arrays.equals(source.shape(), e.getValue().shape())) {
                throw new IllegalArgumentException("loadStateDict: key '" + e.getKey() + "' has shape "
                        + Arrays.toString(source.shape()) + " in the state but " + Arrays.toString(e.getValue().shape())
                        + " in the model");
            }
            if (source.dtype().isFloatingPoint() && !e.getValue().dtype().isFloatingPoint()) {
                throw new IllegalArgumentException("loadStateDict: key '" + e.getKey() + "' is " + source.dtype()
                        + " in the state but " + e.getValue().dtype() + " in the model");
            }
        }
        try (var off = GradMode.noGrad()) {
            for (var e : own.entrySet()) e.getValue().copy_(state.get(e.getKey()));
        }
    }

    // ---- display

    /** The class name shown in {@link #toString()} and {@link #summary()}. */
    protected String typeName() {
        return getClass().getSimpleName();
    }

    /** The constructor arguments shown inside the parentheses of {@link #toString()}, as PyTorch's {@code extra_repr}. */
    protected String extraRepr() {
        return "";
    }

    /** A nested description in PyTorch's repr layout: {@code Sequential(\n  (0): Linear(in_features=2, ...)\n)}. */
    @Override
    public String toString() {
        if (children.isEmpty()) return typeName() + "(" + extraRepr() + ")";
        var s = new StringBuilder(typeName()).append('(');
        if (!extraRepr().isEmpty()) s.append("\n  ").append(extraRepr());
        for (var c : children.entrySet()) {
            s.append("\n  (").append(c.getKey()).append("): ").append(c.getValue().toString().replace("\n", "\n  "));
        }
        return s.append("\n)").toString();
    }

    /**
     * A text table with one row per module (path, type, the shapes and count of its own parameters, and how many of
     * them are trainable), then totals, for a notebook cell.
     */
    public final String summary() {
        var rows = new ArrayList<String[]>();
        rows.add(new String[] {"Name", "Type", "Parameters", "Shapes", "Trainable"});
        for (var e : namedModules().entrySet()) {
            Module m = e.getValue();
            long count = 0, trainable = 0;
            var shapes = new ArrayList<String>();
            for (var p : m.parameters.entrySet()) {
                count += p.getValue().numel();
                if (p.getValue().requiresGrad()) trainable += p.getValue().numel();
                shapes.add(p.getKey() + Arrays.toString(p.getValue().shape()));
            }
            rows.add(new String[] {e.getKey().isEmpty() ? "(root)" : e.getKey(), m.typeName(), String.format(Locale.ROOT, "%,d", count),
                    String.join(" ", shapes), String.format(Locale.ROOT, "%,d", trainable)});
        }
        int[] width = new int[5];
        for (String[] r : rows) for (int i = 0; i < 5; i++) width[i] = Math.max(width[i], r[i].length());
        var s = new StringBuilder();
        for (int j = 0; j < rows.size(); j++) {
            String[] r = rows.get(j);
            for (int i = 0; i < 5; i++) {
                boolean numeric = i == 2 || i == 4;
                String cell = numeric ? " ".repeat(width[i] - r[i].length()) + r[i] : r[i] + " ".repeat(width[i] - r[i].length());
                s.append(cell).append(i < 4 ? "  " : "");
            }
            s.append('\n');
            if (j == 0) s.append("-".repeat(Arrays.stream(width).sum() + 8)).append('\n');
        }
        long total = numParameters(), trainable = numParameters(true);
        s.append(String.format(Locale.ROOT, "Total parameters: %,d\nTrainable parameters: %,d\nNon-trainable parameters: %,d\n",
                total, trainable, total - trainable));
        return s.toString();
    }
}
