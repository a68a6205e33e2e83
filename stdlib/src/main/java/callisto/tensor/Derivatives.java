package callisto.tensor;

/**
 * The vector-Jacobian product of each primitive, written with tensor operations: when the graph is being
 * recorded (createGraph), these are new differentiable nodes, which is what makes gradients of gradients work.
 */
final class Derivatives {
    private static final double TWO_OVER_SQRT_PI = 2 / Math.sqrt(Math.PI);

    private Derivatives() {
    }

    /**
     * Gradients for each input of {@code out = op(in...)} given the gradient {@code g} of {@code out}; null for
     * an input that needs none (no requiresGrad), so a frozen weight or a target costs nothing.
     */
    static Tensor[] vjp(Op op, Tensor[] in, Tensor out, Tensor g) {
        boolean a0 = in[0].requiresGrad(), a1 = in.length > 1 && in[1].requiresGrad();
        return switch (op) {
            case Op.Add a -> new Tensor[] {a0 ? g.sumTo(in[0].shape) : null, a1 ? g.sumTo(in[1].shape) : null};
            case Op.Sub s -> new Tensor[] {a0 ? g.sumTo(in[0].shape) : null, a1 ? g.neg().sumTo(in[1].shape) : null};
            case Op.Mul m -> new Tensor[] {a0 ? g.mul(in[1]).sumTo(in[0].shape) : null, a1 ? g.mul(in[0]).sumTo(in[1].shape) : null};
            case Op.Div d -> new Tensor[] {a0 ? g.div(in[1]).sumTo(in[0].shape) : null,
                a1 ? g.neg().mul(in[0]).div(in[1].mul(in[1])).sumTo(in[1].shape) : null};
            case Op.Neg n -> new Tensor[] {g.neg()};
            case Op.Exp e -> new Tensor[] {g.mul(out)};
            case Op.Log l -> new Tensor[] {g.div(in[0])};
            case Op.Sin s -> new Tensor[] {g.mul(in[0].cos())};
            case Op.Cos c -> new Tensor[] {g.mul(in[0].sin()).neg()};
            case Op.Tanh t -> new Tensor[] {g.mul(out.mul(out).rsub(1))};
            case Op.Sqrt s -> new Tensor[] {g.div(out.mul(2))};
            case Op.Log1p l -> new Tensor[] {g.div(in[0].add(1))};
            case Op.Expm1 e -> new Tensor[] {g.mul(out.add(1))};
            case Op.Erf e -> new Tensor[] {g.mul(in[0].pow(2).neg().exp().mul(TWO_OVER_SQRT_PI))};
            case Op.Gelu u -> new Tensor[] {Tensor.geluGrad(in[0], g)};
            // out = g (Φ + x φ): d/dg = Φ + x φ, d/dx = g φ (2 − x²), as φ' = −x φ
            case Op.GeluGrad u -> new Tensor[] {
                    g.mul(in[1]).mul(in[0].pow(2).mul(-0.5).exp().mul(1 / Math.sqrt(2 * Math.PI))).mul(in[0].pow(2).rsub(2)),
                    Tensor.geluGrad(in[0], g)};
            case Op.Relu u -> new Tensor[] {Tensor.reluGrad(in[0], g)};
            case Op.ReluGrad u -> new Tensor[] {null, Tensor.reluGrad(in[0], g)}; // piecewise linear: nothing for x
            case Op.Pow p -> new Tensor[] {p.exponent() == 0 ? g.mul(0)
                : g.mul(in[0].pow(p.exponent() - 1).mul(p.exponent()))};
            case Op.Sum s -> {
                int[] kept = in[0].shape.clone();
                for (int d : s.dims()) kept[d] = 1;
                yield new Tensor[] {g.reshape(kept).expand(in[0].shape)};
            }
            case Op.Prod p -> new Tensor[] {g.mul(productOfOthers(in[0], p.dim()))};
            case Op.Cumsum c -> new Tensor[] {g.sum(c.dim(), true).sub(g.cumsum(c.dim())).add(g)}; // reversed cumsum
            case Op.Expand e -> new Tensor[] {g.sumTo(in[0].shape)};
            case Op.Reshape r -> new Tensor[] {g.reshape(in[0].shape)};
            case Op.Permute p -> {
                int[] inverse = new int[p.perm().length];
                for (int i = 0; i < inverse.length; i++) inverse[p.perm()[i]] = i;
                yield new Tensor[] {g.permute(inverse)};
            }
            case Op.MatMul m -> new Tensor[] {a0 ? g.matmul(in[1].transpose()) : null, a1 ? in[0].transpose().matmul(g) : null};
            case Op.Narrow n -> new Tensor[] {g.pad(n.dim(), n.start(), in[0].shape[n.dim()])};
            case Op.Pad p -> new Tensor[] {g.narrow(p.dim(), p.before(), in[0].shape[p.dim()])};
            case Op.Cast c -> new Tensor[] {in[0].dtype.isFloatingPoint() ? g.to(in[0].dtype) : null};
            case Op.Custom c -> {
                Tensor[] grads = c.function().backward(in, out, g);
                if (grads.length != in.length) {
                    throw new IllegalStateException("custom function: backward returned " + grads.length
                            + " gradients for " + in.length + " inputs");
                }
                yield grads;
            }
            case Op.Where w -> {
                Tensor zero = Tensor.scalar(0);
                yield new Tensor[] {null, a1 ? Tensor.where(in[0], g, zero).sumTo(in[1].shape) : null,
                    in[2].requiresGrad() ? Tensor.where(in[0], zero, g).sumTo(in[2].shape) : null};
            }
        };
    }

    /**
     * For each element, the product of the others along {@code dim}, exact at zeros and differentiable again.
     * With at most one zero in a row: a = the product of the nonzero values, b = the zero itself (or 1); the
     * answer is a at the zero and a / x · b elsewhere (b keeps the derivative with respect to the zero). With
     * two or more zeros, the product over a copy of the row with the element's own place set to 1 (O(n²), rare).
     */
    private static Tensor productOfOthers(Tensor x, int dim) {
        Tensor zero = x.eq(0), one = Tensor.scalar(1);
        if (zero.sum(dim, true).max().item() >= 2) {
            int n = x.shape[dim];
            Tensor row = x.transpose(dim, -1).unsqueeze(-2); // [..., 1, n]
            int[] square = row.shape();
            square[square.length - 2] = n;
            Tensor self = Tensor.arange(n).reshape(n, 1).eq(Tensor.arange(n).reshape(1, n));
            return Tensor.where(self, one, row.expand(square)).prod(-1, false).transpose(dim, -1);
        }
        Tensor nonzero = Tensor.where(zero, one, x);
        Tensor a = nonzero.prod(dim, true), b = Tensor.where(zero, x, one).prod(dim, true);
        return Tensor.where(zero, a, a.div(nonzero).mul(b));
    }

    /** Whether an op's VJP reads its inputs' or output's values (so overwriting them in place corrupts it). */
    static boolean readsValues(Op op) {
        return switch (op) {
            case Op.Add a -> false;
            case Op.Sub s -> false;
            case Op.Neg n -> false;
            case Op.Sum s -> false;
            case Op.Cumsum c -> false;
            case Op.Expand e -> false;
            case Op.Reshape r -> false;
            case Op.Permute p -> false;
            case Op.Narrow n -> false;
            case Op.Pad p -> false;
            case Op.Cast c -> false;
            default -> true;
        };
    }
}
