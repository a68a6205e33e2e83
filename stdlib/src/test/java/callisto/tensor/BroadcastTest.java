package callisto.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.function.BiFunction;
import java.util.function.DoubleBinaryOperator;
import org.junit.jupiter.api.Test;

/** Elementwise ops between a full tensor and one broadcast along leading and trailing dims, element by element. */
class BroadcastTest {
    static final int[] SHAPE = {2, 3, 4, 5};

    @Test
    void everyBroadcastPatternMatchesTheDefinition() {
        var g = new Generator(4);
        List<int[]> smalls = List.of(new int[] {3, 1, 1}, new int[] {1, 3, 1, 1}, new int[] {4, 1}, new int[] {2, 3, 1, 1},
                new int[] {3, 4, 1}, new int[] {2, 1, 1, 1}, new int[] {2, 1, 4, 1}, new int[] {1, 5}, new int[] {3, 1, 5}, new int[] {1});
        List<BiFunction<Tensor, Tensor, Tensor>> ops = List.of(Tensor::add, Tensor::sub, Tensor::mul, Tensor::div);
        List<DoubleBinaryOperator> defs = List.of((p, q) -> p + q, (p, q) -> p - q, (p, q) -> p * q, (p, q) -> p / q);
        for (DType dt : new DType[] {DType.FLOAT64, DType.FLOAT32}) {
            Tensor full = g.uniform(0.5, 2, SHAPE).to(dt);
            for (int[] s : smalls) {
                Tensor small = g.uniform(0.5, 2, s).to(dt);
                for (int k = 0; k < ops.size(); k++) {
                    check(ops.get(k).apply(full, small), full, small, defs.get(k), false, s);
                    check(ops.get(k).apply(small, full), full, small, defs.get(k), true, s);
                }
            }
        }
    }

    private static void check(Tensor got, Tensor full, Tensor small, DoubleBinaryOperator def, boolean smallFirst, int[] s) {
        double tol = full.dtype() == DType.FLOAT32 ? 1e-6 : 0;
        int pad = SHAPE.length - s.length;
        for (int a = 0; a < 2; a++) for (int b = 0; b < 3; b++) for (int c = 0; c < 4; c++) for (int d = 0; d < 5; d++) {
            int[] at = {a, b, c, d}, si = new int[s.length];
            for (int i = 0; i < s.length; i++) si[i] = s[i] == 1 ? 0 : at[i + pad];
            double x = full.get(at), y = small.get(si);
            double want = smallFirst ? def.applyAsDouble(y, x) : def.applyAsDouble(x, y);
            assertEquals(want, got.get(at), tol * Math.abs(want), java.util.Arrays.toString(s) + " at " + java.util.Arrays.toString(at));
        }
    }

    @Test
    void rowBlocksAreFoundOnlyWhereTheyHold() {
        assertEquals(20, Kernels.rowBlock(new int[] {3, 1, 1}, SHAPE));
        assertEquals(5, Kernels.rowBlock(new int[] {2, 3, 4, 1}, SHAPE));
        assertEquals(60, Kernels.rowBlock(new int[] {2, 1, 1, 1}, SHAPE), "a leading match with 1s after it");
        assertEquals(0, Kernels.rowBlock(new int[] {2, 1, 4, 1}, SHAPE), "a 1 between matching dims is no single run");
        assertEquals(1, Kernels.rowBlock(new int[] {4, 5}, SHAPE), "no trailing 1s: not a run pattern");
    }
}
