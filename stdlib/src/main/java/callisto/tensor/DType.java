package callisto.tensor;

/**
 * The element types of a tensor: floating point for values and gradients, integers for indices, bool for masks.
 *
 * <p>Mixed operations promote as PyTorch does: bool &lt; integers &lt; floating point, the wider type within a
 * kind, except that a 0-d tensor (a scalar) does not widen a dimensioned one of the same kind, so
 * {@code x.mul(2.0)} stays float32 when x is.
 */
public enum DType {
    BOOL(0, 1),
    INT32(1, 4),
    INT64(1, 8),
    FLOAT32(2, 4),
    FLOAT64(2, 8);

    private final int kind;
    private final int bytes;

    DType(int kind, int bytes) {
        this.kind = kind;
        this.bytes = bytes;
    }

    /** Whether values of this type can carry gradients. */
    public boolean isFloatingPoint() {
        return kind == 2;
    }

    /** Bytes per element. */
    public int itemSize() {
        return bytes;
    }

    /** The lower-case name PyTorch and NumPy use ("float32"). */
    public String pythonName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    static DType promote(DType a, boolean aScalar, DType b, boolean bScalar) {
        if (a == b) return a;
        if (aScalar != bScalar) { // a scalar decides only when it is of a higher kind
            DType tensor = aScalar ? b : a, scalar = aScalar ? a : b;
            return scalar.kind > tensor.kind ? scalar : tensor;
        }
        if (a.kind != b.kind) return a.kind > b.kind ? a : b;
        return a.bytes >= b.bytes ? a : b;
    }
}
