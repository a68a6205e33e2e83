package callisto.tensor;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/**
 * Reverse-mode differentiation over the recorded graph. Every vector-Jacobian product is computed with tensor
 * operations; with {@code createGraph} those are recorded too, so the gradients can be differentiated again.
 */
public final class Autograd {
    private Autograd() {
    }

    /**
     * The gradients of {@code outputs} (weighted by {@code gradOutputs}, null meaning ones for scalars) with
     * respect to {@code inputs}, as PyTorch's {@code torch.autograd.grad}.
     *
     * @param createGraph record the gradient computation, for higher derivatives
     * @param retainGraph keep the graph for another pass (needed whenever you differentiate again)
     * @param allowUnused return null for an input the outputs do not depend on, instead of failing
     */
    public static List<Tensor> grad(List<Tensor> outputs, List<Tensor> inputs, List<Tensor> gradOutputs,
            boolean createGraph, boolean retainGraph, boolean allowUnused) {
        var grads = run(outputs, seeds("grad", outputs, gradOutputs), createGraph, retainGraph);
        var result = new ArrayList<Tensor>();
        for (int i = 0; i < inputs.size(); i++) {
            Tensor g = grads.get(inputs.get(i));
            if (g == null && !allowUnused) {
                throw new IllegalArgumentException("grad: input " + i + " (shape " + Shape.str(inputs.get(i).shape)
                        + ") is not used to compute the outputs; pass allowUnused=true to get null for it");
            }
            result.add(g == null || createGraph ? g : g.detach());
        }
        return result;
    }

    /** d output / d input for a scalar output, keeping the graph so the result can be differentiated again. */
    public static Tensor grad(Tensor output, Tensor input, boolean createGraph) {
        return grad(List.of(output), List.of(input), null, createGraph, createGraph, false).getFirst();
    }

    static void backward(Tensor root, Tensor gradient, boolean retainGraph, boolean createGraph) {
        var grads = run(List.of(root), seeds("backward", List.of(root), List.of(gradient)), createGraph, retainGraph);
        try (var mode = GradMode.set(createGraph)) {
            for (var e : grads.entrySet()) {
                Tensor t = e.getKey();
                if (t.node != null || !t.requiresGrad()) continue;
                Tensor g = createGraph ? e.getValue() : e.getValue().detach();
                t.grad = t.grad == null ? g : t.grad.add(g);
                if (!createGraph) t.grad = t.grad.detach();
            }
        }
    }

    private static List<Tensor> seeds(String op, List<Tensor> outputs, List<Tensor> gradOutputs) {
        var seeds = new ArrayList<Tensor>();
        for (int i = 0; i < outputs.size(); i++) {
            Tensor out = outputs.get(i);
            Tensor g = gradOutputs == null ? null : gradOutputs.get(i);
            if (g == null) {
                if (out.numel() != 1) {
                    throw new IllegalArgumentException(op + ": output " + i + " has shape " + Shape.str(out.shape)
                            + "; give a gradient for it (only scalars default to 1)");
                }
                g = Tensor.onesLike(out);
            } else if (!java.util.Arrays.equals(g.shape, out.shape)) {
                throw new IllegalArgumentException(op + ": the gradient for output " + i + " has shape "
                        + Shape.str(g.shape) + ", the output " + Shape.str(out.shape));
            }
            seeds.add(g);
        }
        return seeds;
    }

    /** One reverse sweep; returns the gradient of every tensor reached. */
    private static IdentityHashMap<Tensor, Tensor> run(List<Tensor> roots, List<Tensor> seeds, boolean create, boolean retain) {
        var grads = new IdentityHashMap<Tensor, Tensor>();
        for (int i = 0; i < roots.size(); i++) {
            if (!roots.get(i).requiresGrad()) {
                throw new IllegalArgumentException("grad: output " + i + " does not require grad (no input of it was marked requiresGrad)");
            }
            accumulate(grads, roots.get(i), seeds.get(i));
        }
        List<Tensor> order = topologicalOrder(roots);
        try (var mode = GradMode.set(create)) {
            for (int k = order.size() - 1; k >= 0; k--) {
                Tensor t = order.get(k);
                Tensor g = grads.get(t);
                if (g == null || t.node == null) continue;
                if (t.node.freed) {
                    throw new IllegalStateException("backward: the graph through " + t.node.op.getClass().getSimpleName()
                            + " was freed by an earlier backward pass; pass retainGraph=true to that one");
                }
                Tensor[] in = t.node.inputs;
                checkVersions(t);
                Tensor[] vjps = Derivatives.vjp(t.node.op, in, t, g);
                for (int i = 0; i < in.length; i++) {
                    if (in[i].requiresGrad() && vjps[i] != null) accumulate(grads, in[i], vjps[i]);
                }
                if (!retain) t.node.freed = true;
            }
        }
        return grads;
    }

    private static void checkVersions(Tensor t) {
        Tensor.Node node = t.node;
        if (!Derivatives.readsValues(node.op)) return;
        boolean changed = t.storage.version != node.outVersion;
        for (int i = 0; i < node.inputs.length && !changed; i++) changed = node.inputs[i].storage.version != node.versions[i];
        if (changed) {
            throw new IllegalStateException("backward: a value the gradient of " + node.op.getClass().getSimpleName()
                    + " (output shape " + Shape.str(t.shape) + ") needs was modified by an in-place operation after it"
                    + " was used; use the out-of-place op, or clone() the tensor before modifying it");
        }
    }

    private static void accumulate(IdentityHashMap<Tensor, Tensor> grads, Tensor t, Tensor g) {
        if (g.dtype != t.dtype) g = g.to(t.dtype); // a float32 input of a float64 result gets a float32 gradient
        Tensor prev = grads.get(t);
        grads.put(t, prev == null ? g : prev.add(g));
    }

    /** Tensors reachable from the roots, each after all the tensors it was computed from. */
    private static List<Tensor> topologicalOrder(List<Tensor> roots) {
        var order = new ArrayList<Tensor>();
        Set<Tensor> seen = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
        var stack = new ArrayDeque<Object[]>(); // {tensor, next input index}
        for (Tensor r : roots) {
            if (!seen.add(r)) continue;
            stack.push(new Object[] {r, 0});
            while (!stack.isEmpty()) {
                Object[] top = stack.peek();
                Tensor t = (Tensor) top[0];
                int next = (Integer) top[1];
                Tensor[] in = t.node == null ? new Tensor[0] : t.node.inputs;
                if (next < in.length) {
                    top[1] = next + 1;
                    if (in[next].requiresGrad() && seen.add(in[next])) stack.push(new Object[] {in[next], 0});
                } else {
                    stack.pop();
                    order.add(t);
                }
            }
        }
        return order;
    }
}
