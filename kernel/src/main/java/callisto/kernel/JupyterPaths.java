package callisto.kernel;

import java.nio.file.Path;

/** Jupyter's per-user data directory, found as Jupyter itself finds it. */
public final class JupyterPaths {
    private JupyterPaths() {
    }

    /** {@code $JUPYTER_DATA_DIR}, else ~/Library/Jupyter on macOS, else {@code $XDG_DATA_HOME/jupyter} or ~/.local/share/jupyter. */
    public static Path dataDir() {
        String data = System.getenv("JUPYTER_DATA_DIR");
        if (data != null && !data.isBlank()) return Path.of(data);
        Path home = Path.of(System.getProperty("user.home"));
        if (System.getProperty("os.name", "").startsWith("Mac")) return home.resolve("Library/Jupyter");
        String xdg = System.getenv("XDG_DATA_HOME");
        return (xdg != null && !xdg.isBlank() ? Path.of(xdg) : home.resolve(".local/share")).resolve("jupyter");
    }
}
