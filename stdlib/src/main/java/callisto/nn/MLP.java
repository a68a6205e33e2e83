package callisto.nn;

import callisto.tensor.DType;
import callisto.tensor.Generator;

import java.util.Arrays;
import java.util.function.Supplier;

/**
 * A multilayer perceptron: {@link Linear} layers between consecutive widths with an activation after each but the
 * last (unless asked). It is a {@link Sequential}, so state keys are PyTorch's ("0.weight", "2.bias", ...).
 * Build with {@code MLP.builder(2, 64, 64, 1).activation(Tanh::new).generator(new Generator(0)).build()}.
 */
public final class MLP extends Sequential {
    private MLP() {
    }

    /** Starts an MLP through {@code widths} (input width first, at least two). */
    public static Builder builder(int... widths) {
        return new Builder(widths);
    }

    /** Options of an {@link MLP}; defaults: ReLU, no last activation, bias, float32, generator seed 0. */
    public static final class Builder {
        private final int[] widths;
        private Supplier<? extends Module> activation = ReLU::new;
        private boolean lastActivation = false, bias = true;
        private DType dtype = DType.FLOAT32;
        private Generator generator;

        private Builder(int[] widths) {
            if (widths == null || widths.length < 2) {
                throw new IllegalArgumentException("MLP.builder: widths " + Arrays.toString(widths) + " need at least an input and an output width");
            }
            for (int w : widths) Layers.checkPositive("MLP.builder", "width in " + Arrays.toString(widths), w);
            this.widths = widths.clone();
        }

        /** A fresh activation module per hidden layer, e.g. {@code Tanh::new} or {@code () -> new Sine(30)}. */
        public Builder activation(Supplier<? extends Module> value) {
            if (value == null) throw new IllegalArgumentException("MLP.Builder.activation: null supplier");
            activation = value;
            return this;
        }

        /** Whether the output layer is followed by the activation too. */
        public Builder lastActivation(boolean value) {
            lastActivation = value;
            return this;
        }

        public Builder bias(boolean value) {
            bias = value;
            return this;
        }

        public Builder dtype(DType value) {
            Layers.checkFloat("MLP.Builder.dtype", value);
            dtype = value;
            return this;
        }

        public Builder generator(Generator value) {
            generator = value;
            return this;
        }

        public MLP build() {
            Generator g = generator == null ? new Generator(0) : generator;
            MLP mlp = new MLP();
            for (int i = 0; i + 1 < widths.length; i++) {
                mlp.add(new Linear(widths[i], widths[i + 1], bias, dtype, g));
                if (i + 2 < widths.length || lastActivation) mlp.add(activation.get());
            }
            return mlp;
        }
    }
}
