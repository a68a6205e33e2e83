package callisto.tensor;

/**
 * The vector-Jacobian product of each primitive, written with tensor operations: when the graph is being
 * recorded (createGraph), these are new differentiable nodes, which is what makes gradients of gradients work.
 */
final class Derivatives {
    private Derivatives() {
    }

    /** Gradients for each input of {@code out = op(in...)} given the gradient {@code g} of {@code out}. */
    static Tensor[] vjp(Op op, Tensor[] in, Tensor out, Tensor g) {
        return switch (op) {
            case Op.Add a -> new Tensor[] {g.sumTo(in[0].shape), g.sumTo(in[1].shape)};
            case Op.Mul m -> new Tensor[] {g.mul(in[1]).sumTo(in[0].shape), g.mul(in[0]).sumTo(in[1].shape)};
            case Op.Div d -> new Tensor[] {g.div(in[1]).sumTo(in[0].shape),
                g.neg().mul(in[0]).div(in[1].mul(in[1])).sumTo(in[1].shape)};
            case Op.Neg n -> new Tensor[] {g.neg()};
            case Op.Exp e -> new Tensor[] {g.mul(out)};
            case Op.Log l -> new Tensor[] {g.div(in[0])};
            case Op.Sin s -> new Tensor[] {g.mul(in[0].cos())};
            case Op.Cos c -> new Tensor[] {g.mul(in[0].sin()).neg()};
            case Op.Tanh t -> new Tensor[] {g.mul(Tensor.scalar(1).sub(out.mul(out)))};
            case Op.Sqrt s -> new Tensor[] {g.div(out.mul(Tensor.scalar(2)))};
            case Op.Log1p l -> new Tensor[] {g.div(in[0].add(1))};
            case Op.Expm1 e -> new Tensor[] {g.mul(out.add(1))};
            case Op.Pow p -> new Tensor[] {p.exponent() == 0 ? g.mul(Tensor.scalar(0))
                : g.mul(in[0].pow(p.exponent() - 1).mul(Tensor.scalar(p.exponent())))};
            case Op.Sum s -> {
                int[] kept = in[0].shape.clone();
                for (int d : s.dims()) kept[d] = 1;
                yield new Tensor[] {g.reshape(kept).expand(in[0].shape)};
            }
            case Op.Expand e -> new Tensor[] {g.sumTo(in[0].shape)};
            case Op.Reshape r -> new Tensor[] {g.reshape(in[0].shape)};
            case Op.Transpose t -> new Tensor[] {g.transpose()};
            case Op.MatMul m -> new Tensor[] {g.matmul(in[1].transpose()), in[0].transpose().matmul(g)};
            case Op.Narrow n -> new Tensor[] {g.pad(n.dim(), n.start(), in[0].shape[n.dim()])};
            case Op.Pad p -> new Tensor[] {g.narrow(p.dim(), p.before(), in[0].shape[p.dim()])};
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
                yield new Tensor[] {null, Tensor.where(in[0], g, zero).sumTo(in[1].shape),
                    Tensor.where(in[0], zero, g).sumTo(in[2].shape)};
            }
        };
    }
}
