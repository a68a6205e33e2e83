package callisto.engine;

/**
 * A {@code %}-magic: {@code %name args} on a line before the code, or {@code %%name args} as a cell's first
 * line with the rest of the cell as its body. Register with {@link Engine#registerMagic}.
 */
@FunctionalInterface
public interface Magic {
    /**
     * Runs the magic.
     *
     * @param args the text after the magic's name, trimmed
     * @param body for a cell magic the rest of the cell; for a line magic null
     * @param cell the cell being run: its output, and a way to run Java code in it
     * @throws Exception to fail the cell; the message is shown to the user
     */
    void run(String args, String body, Engine.Cell cell) throws Exception;
}
