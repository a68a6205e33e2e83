package callisto.datasets;

import java.io.IOException;
import java.nio.file.Path;

/** A data file that cannot be read as what it claims to be; the message names the file and the problem. */
public final class BadFileException extends IOException {
    private static final long serialVersionUID = 1L;
    private final transient Path file;

    public BadFileException(Path file, String problem) {
        super(file + ": " + problem);
        this.file = file;
    }

    /** The file that is malformed. */
    public Path file() {
        return file;
    }
}
