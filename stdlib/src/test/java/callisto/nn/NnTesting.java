package callisto.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import callisto.tensor.Tensor;

/** Test helpers: module gradient checks (through the public ModuleCheck) and closeness. */
final class NnTesting {
    private NnTesting() {
    }

    static void gradcheckModule(Module m, Tensor x, boolean second) {
        ModuleCheck.gradcheck(m, x);
        if (second) ModuleCheck.gradgradcheck(m, x);
    }

    static void assertClose(double[] expected, Tensor actual, double tol) {
        assertArrayEquals(expected, actual.toArray(), tol);
    }
}
