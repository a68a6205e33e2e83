package callisto.nn;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import callisto.tensor.CustomFunction;
import callisto.tensor.DType;
import callisto.tensor.Generator;
import callisto.tensor.Tensor;
import org.junit.jupiter.api.Test;

class ModuleCheckTest {
    /** y = x · w elementwise with a VJP for w that is off by a factor of two: wrong only in the parameter's gradient. */
    static final class WrongScale extends Module {
        private static final CustomFunction SCALE = new CustomFunction() {
            @Override
            public int[] shape(int[]... inputShapes) {
                return inputShapes[0];
            }

            @Override
            public Tensor forward(Tensor... inputs) {
                return inputs[0].mul(inputs[1]);
            }

            @Override
            public Tensor[] backward(Tensor[] inputs, Tensor output, Tensor grad) {
                return new Tensor[] {grad.mul(inputs[1]), grad.mul(inputs[0]).mul(2)};
            }
        };

        WrongScale() {
            registerParameter("w", Tensor.of(0.5, -1.5, 2.0));
        }

        @Override
        public Tensor forward(Tensor x) {
            return Tensor.apply(SCALE, x, parameter("w"));
        }
    }

    @Test
    void passesForALinearLayerAndCatchesAWrongParameterGradient() {
        var linear = new Linear(3, 2, true, DType.FLOAT64, new Generator(0));
        Tensor x = new Generator(1).randn(4, 3);
        ModuleCheck.gradcheck(linear, x);
        ModuleCheck.gradgradcheck(linear, x);
        var e = assertThrows(AssertionError.class, () -> ModuleCheck.gradcheck(new WrongScale(), new Generator(2).randn(2, 3)));
        assertTrue(e.getMessage() != null && !e.getMessage().isEmpty());
    }

    @Test
    void anIntegerInputIsHeldFixed() {
        var embedding = new Embedding(5, 3, DType.FLOAT64, new Generator(3));
        ModuleCheck.gradcheck(embedding, Tensor.ofInts(new int[] {4, 0, 2}).to(DType.INT64));
    }
}
