package callisto.engine;

import callisto.display.DisplayData;

/**
 * How a cell ended.
 *
 * @param executionCount the cell's number, as in {@code In[n]}
 * @param value          the last expression's value (the real object), or null
 * @param display        {@code value} rendered, or null when the cell gave no result
 * @param error          why the cell failed, or null when it succeeded
 */
public record CellResult(int executionCount, Object value, DisplayData display, CellError error) {
    /** Whether the cell ran to the end. */
    public boolean ok() {
        return error == null;
    }

    /** Whether the cell ended with a value to show (an expression last, not a statement or void call). */
    public boolean hasResult() {
        return display != null;
    }
}
