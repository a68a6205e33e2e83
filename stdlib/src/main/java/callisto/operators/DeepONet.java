package callisto.operators;

import callisto.nn.MLP;
import callisto.nn.Module;
import callisto.nn.ReLU;
import callisto.tensor.DType;
import callisto.tensor.Generator;
import callisto.tensor.Tensor;
import java.util.Arrays;

/**
 * The deep operator network (Lu et al., DeepONet): {@code G(u)(y) = Σ_k b_k(u) t_k(y) + b₀}, with a branch network
 * b on the input function sampled at m fixed sensors and a trunk network t on the query coordinates.
 *
 * <p>{@link #forward(Tensor, Tensor)} takes u [batch, m] and queries y [q, d], shared across the batch, and gives
 * [batch, q]. The sensors are fixed: unlike {@link FNO}, a DeepONet reads its input at one discretization only
 * (the queries are free). {@link #forward(Tensor)}, the one-input form that {@link Module#functionalCall} and
 * trainers call, evaluates at a default query grid fixed at construction; {@link #of} sets it to the sensor
 * points x_j = j/m when d = 1 (so [batch, m] maps to [batch, m] on the same periodic grid), and without one the
 * one-input form throws. State keys: {@code branch.*}, {@code trunk.*}, {@code bias} [1] (zero at start).
 */
public final class DeepONet extends Module {
    private final Module branch, trunk;
    private final Tensor defaultQueries;

    /**
     * @param branch         [batch, m] to [batch, p]
     * @param trunk          [q, d] to [q, p], the same p
     * @param defaultQueries the [q, d] grid of {@link #forward(Tensor)}, or null for none
     */
    public DeepONet(Module branch, Module trunk, Tensor defaultQueries, DType dtype) {
        if (branch == null || trunk == null) throw new IllegalArgumentException("DeepONet: branch and trunk must not be null");
        Checks.floating("DeepONet", dtype);
        if (defaultQueries != null && defaultQueries.dim() != 2) {
            throw new IllegalArgumentException("DeepONet: defaultQueries shape " + Arrays.toString(defaultQueries.shape()) + " must be [q, d]");
        }
        this.branch = registerModule("branch", branch);
        this.trunk = registerModule("trunk", trunk);
        registerParameter("bias", Tensor.zeros(dtype, 1));
        this.defaultQueries = defaultQueries == null ? null : defaultQueries.detach();
    }

    /**
     * ReLU MLPs with {@code depth} hidden layers of {@code width}: branch m → basis (linear output), trunk
     * d → basis with the activation on its output layer too, as in Lu et al. (ReLU rather than tanh: on Burgers
     * fronts a tanh trunk of the raw coordinate learns far more slowly). Default queries: the sensors x_j = j/m
     * when {@code coordDims} is 1, none otherwise.
     */
    public static DeepONet of(int sensors, int coordDims, int width, int depth, int basis, DType dtype, Generator generator) {
        Checks.positive("DeepONet.of", "sensors", sensors);
        Checks.positive("DeepONet.of", "coordDims", coordDims);
        Checks.positive("DeepONet.of", "width", width);
        Checks.positive("DeepONet.of", "depth", depth);
        Checks.positive("DeepONet.of", "basis", basis);
        Checks.generator("DeepONet.of", generator);
        Module branch = MLP.builder(widths(sensors, width, depth, basis)).activation(ReLU::new).dtype(dtype).generator(generator).build();
        Module trunk = MLP.builder(widths(coordDims, width, depth, basis)).activation(ReLU::new).lastActivation(true)
                .dtype(dtype).generator(generator).build();
        Tensor grid = coordDims == 1 ? Tensor.arange(sensors).to(dtype).div(sensors).reshape(sensors, 1) : null;
        return new DeepONet(branch, trunk, grid, dtype);
    }

    /** Float32 {@link #of(int, int, int, int, int, DType, Generator)}. */
    public static DeepONet of(int sensors, int coordDims, int width, int depth, int basis, Generator generator) {
        return of(sensors, coordDims, width, depth, basis, DType.FLOAT32, generator);
    }

    private static int[] widths(int in, int width, int depth, int out) {
        int[] w = new int[depth + 2];
        Arrays.fill(w, width);
        w[0] = in;
        w[depth + 1] = out;
        return w;
    }

    /** G(u)(y): u [batch, m] at the sensors, y [q, d]; returns [batch, q]. */
    public Tensor forward(Tensor u, Tensor y) {
        if (u == null || u.dim() != 2) {
            throw new IllegalArgumentException("DeepONet.forward: u shape " + (u == null ? "null" : Arrays.toString(u.shape()))
                    + " must be [batch, sensors]");
        }
        if (y == null || y.dim() != 2) {
            throw new IllegalArgumentException("DeepONet.forward: y shape " + (y == null ? "null" : Arrays.toString(y.shape()))
                    + " must be [queries, coordDims]");
        }
        Tensor b = branch.forward(u), t = trunk.forward(y);
        if (b.dim() != 2 || t.dim() != 2 || b.size(1) != t.size(1)) {
            throw new IllegalArgumentException("DeepONet.forward: branch output " + Arrays.toString(b.shape()) + " (for u "
                    + Arrays.toString(u.shape()) + ") and trunk output " + Arrays.toString(t.shape()) + " (for y "
                    + Arrays.toString(y.shape()) + ") must be [batch, p] and [q, p] with one p");
        }
        return b.matmul(t.transpose()).add(parameter("bias"));
    }

    /** {@link #forward(Tensor, Tensor)} at the default query grid; throws when this DeepONet has none. */
    @Override
    public Tensor forward(Tensor u) {
        if (defaultQueries == null) {
            throw new IllegalStateException("DeepONet.forward(u): this DeepONet has no default query grid; call forward(u, y) with queries y [q, d]");
        }
        return forward(u, u == null ? defaultQueries : defaultQueries.to(u.dtype()));
    }

    /** The [q, d] queries of {@link #forward(Tensor)}, or null. */
    public Tensor defaultQueries() {
        return defaultQueries;
    }

    public Module branch() {
        return branch;
    }

    public Module trunk() {
        return trunk;
    }
}
