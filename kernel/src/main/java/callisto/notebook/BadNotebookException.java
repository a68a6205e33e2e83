package callisto.notebook;

import java.nio.file.Path;

/** A file that cannot be run as a notebook: missing, not JSON, not nbformat 4, not Java. The message names both. */
public final class BadNotebookException extends Exception {
    private final Path file;

    BadNotebookException(Path file, String problem) {
        super(file + ": " + problem);
        this.file = file;
    }

    /** The offending file. */
    public Path file() {
        return file;
    }
}
