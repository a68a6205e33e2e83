package callisto.engine;

/**
 * What {@code System.exit}, {@code Runtime.exit} and {@code Runtime.halt} in cell code call instead: the engine
 * rewrites those calls in snippet bytecode, so a cell that exits ends with an error and the session lives on.
 */
public final class SnippetExit {
    private SnippetExit() {
    }

    /** Replaces {@code System.exit(status)}. */
    public static void exit(int status) {
        throw new ExitRequest("System.exit", status);
    }

    /** Replaces {@code runtime.exit(status)}. */
    public static void exit(Runtime runtime, int status) {
        throw new ExitRequest("Runtime.exit", status);
    }

    /** Replaces {@code runtime.halt(status)}. */
    public static void halt(Runtime runtime, int status) {
        throw new ExitRequest("Runtime.halt", status);
    }

    /** Thrown in place of exiting; an Error so that {@code catch (Exception e)} in a cell does not swallow it. */
    public static final class ExitRequest extends Error {
        private final int status;

        ExitRequest(String call, int status) {
            super(call + "(" + status + ") was called; the session keeps running");
            this.status = status;
        }

        /** The status the cell asked to exit with. */
        public int status() {
            return status;
        }
    }
}
