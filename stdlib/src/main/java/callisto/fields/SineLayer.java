package callisto.fields;

import callisto.nn.Init;
import callisto.nn.Linear;
import callisto.nn.Module;
import callisto.nn.Sine;
import callisto.tensor.DType;
import callisto.tensor.Generator;
import callisto.tensor.Tensor;

/**
 * One SIREN layer (Sitzmann et al. 2020): {@code sin(ω0·(x Wᵀ + b))}, a {@link Linear} (state keys
 * {@code "linear.weight"}, {@code "linear.bias"}) followed by {@link Sine}. The weight gets SIREN's initialization
 * ({@link Init#siren}): U(±1/in) in the first layer, where ω0 alone spreads the inputs over several periods, and
 * U(±√(6/in)/ω0) later, which keeps the pre-activations' distribution the same through depth. The bias keeps
 * {@link Linear}'s U(±1/√in), as the reference implementation.
 */
public final class SineLayer extends Module {
    private final Linear linear;
    private final Sine sine;
    private final boolean firstLayer;

    /** Float32. */
    public SineLayer(int inFeatures, int outFeatures, double omega0, boolean firstLayer, Generator generator) {
        this(inFeatures, outFeatures, omega0, firstLayer, DType.FLOAT32, generator);
    }

    public SineLayer(int inFeatures, int outFeatures, double omega0, boolean firstLayer, DType dtype, Generator generator) {
        if (!(omega0 > 0) || Double.isInfinite(omega0)) {
            throw new IllegalArgumentException("SineLayer: omega0 " + omega0 + " must be positive and finite");
        }
        if (generator == null) throw new IllegalArgumentException("SineLayer: generator is null");
        this.firstLayer = firstLayer;
        linear = registerModule("linear", new Linear(inFeatures, outFeatures, true, dtype, generator));
        Init.siren(linear.weight(), firstLayer, omega0, generator);
        sine = registerModule("activation", new Sine(omega0));
    }

    @Override
    public Tensor forward(Tensor x) {
        return sine.forward(linear.forward(x));
    }

    public Linear linear() {
        return linear;
    }

    public double omega0() {
        return sine.omega0();
    }

    public boolean isFirstLayer() {
        return firstLayer;
    }

    @Override
    protected String extraRepr() {
        return "first_layer=" + firstLayer; // the Linear and the Sine children show the rest
    }
}
