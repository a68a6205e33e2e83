package callisto.tensor;

/**
 * The closed set of primitives every tensor operation lowers to. Each has a forward kernel and a
 * vector-Jacobian product written in these same primitives ({@link Kernels}, {@link Derivatives}), so a
 * gradient is itself a differentiable graph and derivatives of any order follow.
 */
sealed interface Op {
    record Add() implements Op {
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

    /** x to a constant power. */
    record Pow(double exponent) implements Op {
    }

    /** Sum over {@code dims} (sorted, distinct), keeping them as size 1 when {@code keepDim}. */
    record Sum(int[] dims, boolean keepDim) implements Op {
    }

    /** Broadcast to {@code shape} (NumPy rules). */
    record Expand(int[] shape) implements Op {
    }

    record Reshape(int[] shape) implements Op {
    }

    /** Swap the last two dims. */
    record Transpose() implements Op {
    }

    /** 2-D matrix product. */
    record MatMul() implements Op {
    }

    /** {@code where(mask, a, b)}: a where the mask is nonzero, else b (broadcasting); the mask has no gradient. */
    record Where() implements Op {
    }

    /** Elements {@code start .. start+length-1} along {@code dim}. */
    record Narrow(int dim, int start, int length) implements Op {
    }

    /** Zeros around the input along {@code dim}: {@code before} before it, to total {@code size}; narrow's adjoint. */
    record Pad(int dim, int before, int size) implements Op {
    }

    /** A user function with its own VJP (itself written in tensor ops, so it differentiates again). */
    record Custom(CustomFunction function) implements Op {
    }
}
