package callisto.engine;

import java.util.List;

/**
 * A failed cell, as Jupyter shows it.
 *
 * @param ename     the error's name: an exception class, {@code CompileError}, {@code Interrupted}, {@code SystemExit}
 * @param evalue    its message
 * @param traceback the lines to show, with ANSI colours readable on light and dark backgrounds
 */
public record CellError(String ename, String evalue, List<String> traceback) {
    public CellError {
        traceback = List.copyOf(traceback);
    }

    /** The traceback without colour codes, for logs and terminals that do not render ANSI. */
    public String plainText() {
        return Ansi.strip(String.join("\n", traceback));
    }
}
