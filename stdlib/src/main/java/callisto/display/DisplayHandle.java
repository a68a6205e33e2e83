package callisto.display;

import java.util.List;

/** An output shown by {@link Display#display}; {@link #update} replaces it in place (live plots, progress). */
public final class DisplayHandle {
    private final String id;
    private final List<String> mimeTypes;

    DisplayHandle(String id, List<String> mimeTypes) {
        this.id = id;
        this.mimeTypes = mimeTypes;
    }

    /** The display id the frontend knows this output by. */
    public String id() {
        return id;
    }

    /** Replaces the output with {@code value}, rendered like the original (same MIME restriction). */
    public DisplayHandle update(Object value) {
        Display.publisher().update(Display.render(value, mimeTypes), id);
        return this;
    }

    @Override
    public String toString() {
        return "DisplayHandle[" + id + "]";
    }
}
