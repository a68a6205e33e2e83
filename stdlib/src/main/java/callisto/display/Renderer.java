package callisto.display;

/**
 * Renders values of a type this library does not own (a chart, a table), found by {@link java.util.ServiceLoader}:
 * list the implementation in {@code META-INF/services/callisto.display.Renderer}.
 *
 * <p>Among renderers whose {@link #type()} accepts a value, the highest {@link #priority()} wins, then the most
 * specific type.
 *
 * @param <T> the type rendered
 */
public interface Renderer<T> {
    /** The values this renderer accepts (instances of this type or its subtypes). */
    Class<T> type();

    /** The bundle for {@code value}; it must include text/plain. */
    DisplayData render(T value);

    /** Higher wins; built-ins use 0. */
    default int priority() {
        return 0;
    }
}
