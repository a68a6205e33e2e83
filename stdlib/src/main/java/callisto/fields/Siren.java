package callisto.fields;

import callisto.nn.Init;
import callisto.nn.Linear;
import callisto.nn.Sequential;
import callisto.tensor.DType;
import callisto.tensor.Generator;

/**
 * A SIREN (Sitzmann et al. 2020): {@code layers} {@link SineLayer}s of width {@code hidden} and an output layer,
 * linear by default (with weights U(±√(6/hidden)/ω0), as the reference) or one more sine layer. The first layer has
 * its own ω0 (30 in the paper, as the hidden ω0). A {@link Sequential}: state keys "0.linear.weight", ...,
 * "{layers}.weight". Build with
 * {@code Siren.builder(2, 256, 3, 1).omega0(30).generator(new Generator(0)).build()}.
 */
public final class Siren extends Sequential {
    private Siren() {
    }

    /**
     * Starts a SIREN from {@code in} coordinates through {@code layers} sine layers of width {@code hidden} to
     * {@code out} outputs.
     */
    public static Builder builder(int in, int hidden, int layers, int out) {
        return new Builder(in, hidden, layers, out);
    }

    /** Options of a {@link Siren}; defaults: ω0 = 30 for every layer, linear last layer, float32, seed 0. */
    public static final class Builder {
        private final int in, hidden, layers, out;
        private double omega0 = 30, firstOmega0 = 30;
        private boolean linearLast = true;
        private DType dtype = DType.FLOAT32;
        private Generator generator;

        private Builder(int in, int hidden, int layers, int out) {
            if (in < 1 || hidden < 1 || layers < 1 || out < 1) {
                throw new IllegalArgumentException("Siren.builder: in " + in + ", hidden " + hidden + ", layers " + layers
                        + " and out " + out + " must all be >= 1");
            }
            this.in = in;
            this.hidden = hidden;
            this.layers = layers;
            this.out = out;
        }

        /** ω0 of the hidden layers (and of a sine output layer). */
        public Builder omega0(double value) {
            omega0 = positive("omega0", value);
            return this;
        }

        /** ω0 of the first layer. */
        public Builder firstOmega0(double value) {
            firstOmega0 = positive("firstOmega0", value);
            return this;
        }

        /** Whether the output layer is linear (true) or a sine layer. */
        public Builder linearLast(boolean value) {
            linearLast = value;
            return this;
        }

        public Builder dtype(DType value) {
            if (value == null || !value.isFloatingPoint()) {
                throw new IllegalArgumentException("Siren.Builder.dtype: dtype " + value + " must be FLOAT32 or FLOAT64");
            }
            dtype = value;
            return this;
        }

        public Builder generator(Generator value) {
            generator = value;
            return this;
        }

        private static double positive(String name, double value) {
            if (!(value > 0) || Double.isInfinite(value)) {
                throw new IllegalArgumentException("Siren.Builder." + name + ": " + value + " must be positive and finite");
            }
            return value;
        }

        public Siren build() {
            Generator g = generator == null ? new Generator(0) : generator;
            Siren s = new Siren();
            s.add(new SineLayer(in, hidden, firstOmega0, true, dtype, g));
            for (int i = 1; i < layers; i++) s.add(new SineLayer(hidden, hidden, omega0, false, dtype, g));
            if (linearLast) {
                Linear last = new Linear(hidden, out, true, dtype, g);
                Init.siren(last.weight(), false, omega0, g);
                s.add(last);
            } else {
                s.add(new SineLayer(hidden, out, omega0, false, dtype, g));
            }
            return s;
        }
    }
}
