package callisto.optim;

import callisto.tensor.GradMode;
import callisto.tensor.Tensor;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * A torch-style optimizer: a thin stateful wrapper over a {@link GradientTransform}. {@link #step()} reads each
 * parameter's {@code grad()}, runs the transform, and adds the updates to the parameters in place (under
 * {@link GradMode#noGrad()}); parameters without a gradient are skipped (their state is kept as it is).
 *
 * <pre>{@code
 * Optimizer opt = Optimizers.adamW(model.namedParameters(), 1e-3, 1e-2);
 * for (...) { opt.zeroGrad(); loss(model).backward(); opt.step(); }
 * }</pre>
 */
public class Optimizer {
    private final Map<String, Tensor> params;
    @SuppressWarnings("rawtypes")
    private final GradientTransform transform;
    private OptState state;

    Optimizer(Map<String, Tensor> params, GradientTransform<?> transform) {
        if (params.isEmpty()) throw new IllegalArgumentException("Optimizer.of: params is empty; expected at least one named tensor");
        for (var e : params.entrySet()) {
            if (e.getValue() == null) throw new IllegalArgumentException("Optimizer.of: parameter '" + e.getKey() + "' is null");
            if (!e.getValue().dtype().isFloatingPoint()) {
                throw new IllegalArgumentException("Optimizer.of: parameter '" + e.getKey() + "' has dtype " + e.getValue().dtype()
                        + "; expected a floating-point tensor");
            }
        }
        this.params = Collections.unmodifiableMap(new LinkedHashMap<>(params));
        this.transform = transform;
        this.state = transform.init(this.params);
    }

    /** An optimizer applying {@code transform} to {@code params} (name to tensor, in registration order). */
    public static Optimizer of(Map<String, Tensor> params, GradientTransform<?> transform) {
        return new Optimizer(params, transform);
    }

    /** The parameters, by name. */
    public Map<String, Tensor> params() {
        return params;
    }

    /** The transform this optimizer runs. */
    public GradientTransform<?> transform() {
        return transform;
    }

    /** The transform's current state record. */
    public OptState stateRecord() {
        return state;
    }

    /** Clears every parameter's gradient. */
    public void zeroGrad() {
        for (Tensor p : params.values()) p.zeroGrad();
    }

    /** One update from the parameters' current gradients. */
    public void step() {
        Map<String, Tensor> grads = new LinkedHashMap<>();
        for (var e : params.entrySet()) {
            Tensor g = e.getValue().grad();
            if (g != null) grads.put(e.getKey(), g.detach());
        }
        if (grads.isEmpty()) return;
        apply(grads);
    }

    /**
     * One update from explicit gradients (name to tensor, a subset of the parameters), e.g. ones returned by a
     * functional gradient instead of accumulated in {@code grad()}. A gradient whose shape differs from its
     * parameter's, or an unknown name, is an {@link IllegalArgumentException} naming the parameter.
     */
    public void step(Map<String, Tensor> grads) {
        if (grads.isEmpty()) return;
        apply(new LinkedHashMap<>(grads));
    }

    /**
     * Calls {@code lossClosure} (which must clear the gradients, compute the loss and call {@code backward()}), then
     * {@link #step()}; returns the loss. Optimizers that evaluate the loss more than once per step override this.
     */
    public Tensor step(Supplier<Tensor> lossClosure) {
        Tensor loss = lossClosure.get();
        step();
        return loss;
    }

    /** Runs the transform on {@code grads} (a subset of the parameters, by name) and applies the updates. */
    @SuppressWarnings("unchecked")
    protected void apply(Map<String, Tensor> grads) {
        Buf.checkShapes("Optimizer.step", grads, params);
        Update<?> u = transform.update(grads, state, params);
        try (var off = GradMode.noGrad()) {
            for (var e : u.updates().entrySet()) params.get(e.getKey()).add_(e.getValue());
        }
        state = u.state();
    }

    /**
     * The optimizer's state as named tensors with dotted keys ({@code "adam.mu.layer.weight"}, {@code "adam.step"});
     * the tensors are the state's own (immutable by convention; {@link #loadState} copies).
     */
    public Map<String, Tensor> state() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        state.save(prefix(), out);
        return out;
    }

    /**
     * Restores a state saved by {@link #state()} of an optimizer with the same transform and parameters. A missing
     * key or a wrong shape is an {@link IllegalArgumentException} naming the key; values are copied into the
     * parameters' dtypes.
     */
    public void loadState(Map<String, Tensor> saved) {
        state = state.load(prefix(), saved);
    }

    private String prefix() {
        return state instanceof Transforms.ChainState ? "" : transform.name() + ".";
    }
}
