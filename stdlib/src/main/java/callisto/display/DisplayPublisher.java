package callisto.display;

/**
 * Where displays go: the Jupyter kernel, the headless notebook runner and the shell each install one.
 * Libraries never call this directly; they call {@link Display#display}.
 */
public interface DisplayPublisher {
    /** Shows a new output; {@code displayId} lets a later {@link #update} replace it. */
    void display(DisplayData data, String displayId);

    /** Replaces every earlier output shown with {@code displayId}. */
    void update(DisplayData data, String displayId);

    /** Clears the current cell's output; with {@code wait}, only when the next output arrives. */
    default void clearOutput(boolean wait) {
    }
}
