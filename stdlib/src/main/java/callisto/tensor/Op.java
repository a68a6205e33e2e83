package callisto.tensor;

/**
 * The closed set of primitives every tensor operation lowers to. Each has a forward kernel and a
 * vector-Jacobian product written in these same primitives ({@link Kernels}, {@link Derivatives}), so a
 * gradient is itself a differentiable graph and derivatives of any order follow. Movement primitives
 * (expand, reshape of a contiguous tensor, permute, narrow) make views that share the input's storage.
 */
sealed interface Op {
    record Add() implements Op {
    }

    /** a - b: a primitive, not add(neg), because every optimizer step and residual subtracts. */
    record Sub() implements Op {
    }

    record Mul() implements Op {
    }

    record Div() implements Op {
    }

    record Neg() implements Op {
    }

    record Exp() implements Op {
    }

    record Log() implements Op {
    }

    record Sin() implements Op {
    }

    record Cos() implements Op {
    }

    record Tanh() implements Op {
    }

    record Sqrt() implements Op {
    }

    /** log(1 + x), exact near 0 (composing log and add loses the digits there). */
    record Log1p() implements Op {
    }

    /** e^x - 1, exact near 0. */
    record Expm1() implements Op {
    }

    /** The error function: not a composition of the others. */
    record Erf() implements Op {
    }

    /** GELU, x Φ(x): a composition of mul, erf and add, fused because every activation of a GELU network pays it. */
    record Gelu() implements Op {
    }

    /** GELU's VJP g·(Φ(x) + x φ(x)) for inputs (x, g), fused like {@link Gelu}; it has its own VJP, so order two and up work. */
    record GeluGrad() implements Op {
    }

    /**
     * max(x, 0) for floats: in principle a where over a comparison, fused because a ReLU network pays it at every
     * activation (the composition, with its mask and broadcast zero, took 18× a sine's time forward and backward).
     */
    record Relu() implements Op {
    }

    /** ReLU's VJP g·[x &gt; 0] for inputs (x, g), fused like {@link Relu}; its VJP is itself for g and zero for x. */
    record ReluGrad() implements Op {
    }

    /** x to a constant power. */
    record Pow(double exponent) implements Op {
    }

    /** Sum over {@code dims} (sorted, distinct), keeping them as size 1 when {@code keepDim}. */
    record Sum(int[] dims, boolean keepDim) implements Op {
    }

    /** Product along {@code dim}, kept as size 1; a composition would fail at zeros. */
    record Prod(int dim) implements Op {
    }

    /** Running sum along {@code dim}: O(n), where a triangular matmul would be O(n²). */
    record Cumsum(int dim) implements Op {
    }

    /** Broadcast to {@code shape} (NumPy rules): a view with stride 0 on the broadcast dims. */
    record Expand(int[] shape) implements Op {
    }

    /** A view when the input is contiguous, else a copy. */
    record Reshape(int[] shape) implements Op {
    }

    /** Dims reordered: output dim i is input dim {@code perm[i]} (a view). */
    record Permute(int[] perm) implements Op {
    }

    /** Matrix product over the last two dims; leading (batch) dims are equal (the caller broadcasts them). */
    record MatMul() implements Op {
    }

    /** {@code where(mask, a, b)}: a where the mask is true, else b (broadcasting); the mask has no gradient. */
    record Where() implements Op {
    }

    /** Elements {@code start .. start+length-1} along {@code dim} (a view). */
    record Narrow(int dim, int start, int length) implements Op {
    }

    /** Zeros around the input along {@code dim}: {@code before} before it, to total {@code size}; narrow's adjoint. */
    record Pad(int dim, int before, int size) implements Op {
    }

    /** Conversion to another dtype; between floating types it passes gradients through (cast back). */
    record Cast(DType dtype) implements Op {
    }

    /** A user function with its own VJP (itself written in tensor ops, so it differentiates again). */
    record Custom(CustomFunction function) implements Op {
    }
}
