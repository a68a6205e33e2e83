package callisto.nn;

import callisto.tensor.Tensor;

/** The skip connection {@code x + f(x)}; {@code f} (registered as "fn") must keep the shape. */
public final class Residual extends Module {
    private final Module fn;

    public Residual(Module fn) {
        this.fn = registerModule("fn", fn);
    }

    @Override
    public Tensor forward(Tensor x) {
        Tensor y = fn.forward(x);
        if (!java.util.Arrays.equals(y.shape(), x.shape())) {
            throw new IllegalArgumentException("Residual.forward: fn maps shape " + Layers.shape(x) + " to "
                    + Layers.shape(y) + "; x + fn(x) needs the same shape");
        }
        return x.add(y);
    }
}
