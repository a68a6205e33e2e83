package callisto.operators;

import callisto.nn.Conv1d;
import callisto.nn.Conv2d;
import callisto.nn.Init;
import callisto.nn.Module;
import callisto.nn.Sequential;
import callisto.tensor.ConvOptions;
import callisto.tensor.DType;
import callisto.tensor.Generator;
import callisto.tensor.Tensor;

import java.util.Arrays;
import java.util.function.Supplier;

/**
 * The multigrid neural operator of He et al., "MgNO: Efficient Parameterization of Linear Operators via
 * Multigrid" (ICLR 2024): a pointwise lifting to {@code width} channels, {@code layers} nonlinear operator layers
 * {@code O(u) = σ(W u + b)} where the linear operator W between the width neurons is a multigrid V-cycle
 * ({@link MgConv}) and b a per-channel bias, then a pointwise projection to {@code outChannels}. σ is GELU.
 *
 * <p>Inputs [batch, inChannels, n] (1-D) or [batch, inChannels, h, w] (2-D); n must suit the operator (a multiple
 * of 2^(levels − 1) for MgConv). The linear operator is a constructor argument, so a variant (another cycle, another
 * parameterization) is a new layer, not a new model. The paper's bias is a function; here it is a constant function
 * per channel, which keeps the model free of any one resolution. Parameter names: {@code lifting.weight},
 * {@code lifting.bias}, {@code layers.i.operator....}, {@code layers.i.bias} [width], {@code projection.weight},
 * {@code projection.bias}.
 */
public final class MgNO extends Module {
    private final Module lifting, projection;
    private final Sequential layers;
    private final int inChannels, outChannels, width, dims;

    /** One neuron layer σ(W u + b) with W the given linear operator (width → width). */
    static final class OperatorLayer extends Module {
        private final Module operator;

        OperatorLayer(Module operator, int width, DType dtype) {
            this.operator = registerModule("operator", operator);
            registerParameter("bias", Init.zeros(Tensor.zeros(dtype, width)));
        }

        @Override
        public Tensor forward(Tensor u) {
            Tensor y = operator.forward(u);
            int[] view = new int[y.dim()];
            Arrays.fill(view, 1);
            view[1] = y.size(1);
            return y.add(parameter("bias").reshape(view)).gelu();
        }
    }

    /**
     * @param linearOperator makes each layer's linear operator from width to width channels (called {@code layers}
     *                       times, in order)
     */
    public MgNO(int inChannels, int outChannels, int width, int layers, int dims, Supplier<? extends Module> linearOperator,
                DType dtype, Generator generator) {
        if (inChannels < 1 || outChannels < 1 || width < 1 || layers < 1) {
            throw new IllegalArgumentException("MgNO: inChannels " + inChannels + ", outChannels " + outChannels + ", width "
                    + width + " and layers " + layers + " must all be >= 1");
        }
        if (dims != 1 && dims != 2) throw new IllegalArgumentException("MgNO: dims = " + dims + "; expected 1 or 2");
        if (linearOperator == null) throw new IllegalArgumentException("MgNO: linearOperator is null");
        this.inChannels = inChannels;
        this.outChannels = outChannels;
        this.width = width;
        this.dims = dims;
        lifting = registerModule("lifting", pointwise(dims, inChannels, width, dtype, generator));
        this.layers = new Sequential();
        for (int i = 0; i < layers; i++) {
            Module op = linearOperator.get();
            if (op == null) throw new IllegalArgumentException("MgNO: linearOperator gave null for layer " + i);
            this.layers.add(new OperatorLayer(op, width, dtype));
        }
        registerModule("layers", this.layers);
        projection = registerModule("projection", pointwise(dims, width, outChannels, dtype, generator));
    }

    /**
     * A 1-D MgNO, float32, each layer one V(1,0) cycle over {@code levels} grids with the given boundary.
     */
    public static MgNO of1d(int inChannels, int outChannels, int width, int layers, int levels, Boundary boundary,
                            Generator generator) {
        return new MgNO(inChannels, outChannels, width, layers, 1,
                () -> MgConv.of1d(width, width, levels, boundary, generator), DType.FLOAT32, generator);
    }

    /** A 2-D MgNO, float32, each layer one V(1,0) cycle over {@code levels} grids with the given boundary. */
    public static MgNO of2d(int inChannels, int outChannels, int width, int layers, int levels, Boundary boundary,
                            Generator generator) {
        return new MgNO(inChannels, outChannels, width, layers, 2,
                () -> MgConv.of2d(width, width, levels, boundary, generator), DType.FLOAT32, generator);
    }

    static Module pointwise(int dims, int in, int out, DType dtype, Generator g) {
        return dims == 1 ? new Conv1d(in, out, 1, ConvOptions.defaults(), true, dtype, g)
                : new Conv2d(in, out, new int[] {1, 1}, ConvOptions.defaults(), true, dtype, g);
    }

    @Override
    public Tensor forward(Tensor x) {
        if (x == null || x.dim() != dims + 2 || x.size(1) != inChannels) {
            throw new IllegalArgumentException("MgNO.forward: input has shape " + (x == null ? "null" : Arrays.toString(x.shape()))
                    + "; expected " + (dims == 1 ? "[batch, " + inChannels + ", n]" : "[batch, " + inChannels + ", h, w]"));
        }
        return projection.forward(layers.forward(lifting.forward(x)));
    }

    @Override
    protected String extraRepr() {
        return "in=" + inChannels + ", out=" + outChannels + ", width=" + width + ", dims=" + dims;
    }
}
