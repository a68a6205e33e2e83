package callisto.ode;

import callisto.tensor.Autograd;
import callisto.tensor.CustomFunction;
import callisto.tensor.GradMode;
import callisto.tensor.Tensor;
import java.util.List;

/**
 * Runs work with gradient recording on from inside a first-order backward pass, which runs with recording off.
 * The adjoint method needs vector-Jacobian products of f there, and {@link GradMode} has no public switch back
 * on; a backward pass with {@code createGraph} turns recording on, so this records a one-node graph while
 * recording is on (at construction) and, when asked to run, differentiates it with {@code createGraph}: the
 * node's backward runs the work.
 */
final class GradScope {
    private final Tensor leaf, root;
    private Runnable task;

    /** Call while recording is on (where the adjoint's forward is recorded). */
    GradScope() {
        leaf = Tensor.zeros(1).requiresGrad(true);
        root = Tensor.apply(new Hook(), leaf);
    }

    void run(Runnable work) {
        if (GradMode.enabled()) {
            work.run();
            return;
        }
        task = work;
        try {
            Autograd.grad(List.of(root), List.of(leaf), List.of(Tensor.ones(1)), true, true, true);
        } finally {
            task = null;
        }
    }

    private final class Hook implements CustomFunction {
        @Override
        public int[] shape(int[]... inputShapes) {
            return new int[] {1};
        }

        @Override
        public Tensor forward(Tensor... inputs) {
            return Tensor.zeros(1);
        }

        @Override
        public Tensor[] backward(Tensor[] inputs, Tensor output, Tensor grad) {
            task.run();
            return new Tensor[] {Tensor.zeros(1)};
        }
    }
}
