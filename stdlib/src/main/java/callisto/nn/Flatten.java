package callisto.nn;

import callisto.tensor.Tensor;

/** Merges dims {@code startDim..endDim} (inclusive, negative from the end), as {@code nn.Flatten} (default 1..-1). */
public final class Flatten extends Module {
    private final int startDim, endDim;

    public Flatten() {
        this(1, -1);
    }

    public Flatten(int startDim, int endDim) {
        this.startDim = startDim;
        this.endDim = endDim;
    }

    @Override
    public Tensor forward(Tensor x) {
        return x.flatten(startDim, endDim);
    }

    @Override
    protected String extraRepr() {
        return "start_dim=" + startDim + ", end_dim=" + endDim;
    }
}
