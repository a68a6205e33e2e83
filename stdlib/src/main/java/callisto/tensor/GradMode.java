package callisto.tensor;

/**
 * Whether operations record the graph, per thread. {@code try (var off = GradMode.noGrad()) { ... }} turns it
 * off for a block (evaluation, optimizer updates).
 */
public final class GradMode {
    private static final ThreadLocal<boolean[]> ENABLED = ThreadLocal.withInitial(() -> new boolean[] {true});

    private GradMode() {
    }

    public static boolean enabled() {
        return ENABLED.get()[0];
    }

    /** Stops recording until the returned scope closes. */
    public static Scope noGrad() {
        return set(false);
    }

    /**
     * Records again until the returned scope closes, even inside {@link #noGrad()} or a first-order backward pass
     * (torch.enable_grad): an adjoint solver differentiates its right-hand side there.
     */
    public static Scope enableGrad() {
        return set(true);
    }

    static Scope set(boolean on) {
        boolean[] flag = ENABLED.get();
        boolean previous = flag[0];
        flag[0] = on;
        return () -> flag[0] = previous;
    }

    /** A scope that restores the previous mode on close. */
    public interface Scope extends AutoCloseable {
        @Override
        void close();
    }
}
