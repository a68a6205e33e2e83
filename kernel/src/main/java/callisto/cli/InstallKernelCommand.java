package callisto.cli;

import callisto.notebook.Json;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code callisto install-kernel}: writes the kernelspec through which Jupyter starts {@code callisto kernel}.
 * The argv names this checkout's {@code ./callisto} launcher by its absolute path, so the kernel always runs the
 * build of the checkout it was installed from.
 */
@Command(name = "install-kernel", mixinStandardHelpOptions = true,
        description = "Install the Jupyter kernelspec \"callisto\" (default: for this user).")
final class InstallKernelCommand implements Callable<Integer> {
    static final String NAME = "callisto";

    static final class Where {
        @Option(names = "--user", description = "Into this user's Jupyter data dir (the default).")
        boolean user;

        @Option(names = "--prefix", paramLabel = "DIR", description = "Into DIR/share/jupyter/kernels (e.g. a virtualenv).")
        Path prefix;
    }

    @ArgGroup(exclusive = true)
    Where where = new Where();

    @Override
    public Integer call() throws Exception {
        String launcher = System.getenv("CALLISTO_LAUNCHER");
        if (launcher == null || !Files.isRegularFile(Path.of(launcher))) {
            System.err.println("callisto install-kernel: run it through the ./callisto launcher, whose path goes into "
                    + "the kernelspec (CALLISTO_LAUNCHER is " + (launcher == null ? "not set" : "\"" + launcher + "\"") + ")");
            return 2;
        }
        Path dir = kernelsDir().resolve(NAME);
        Files.createDirectories(dir);
        Path file = dir.resolve("kernel.json");
        Files.writeString(file, Json.writeCompact(spec(Path.of(launcher).toAbsolutePath().normalize())) + "\n",
                StandardCharsets.UTF_8);
        System.out.println("Installed kernelspec " + NAME + " in " + dir);
        return 0;
    }

    static Map<String, Object> spec(Path launcher) {
        var spec = new LinkedHashMap<String, Object>();
        spec.put("argv", List.of("bash", launcher.toString(), "kernel", "-f", "{connection_file}"));
        spec.put("display_name", "Java (Callisto)");
        spec.put("language", "java");
        spec.put("interrupt_mode", "message");
        spec.put("metadata", Map.of());
        return spec;
    }

    /** Where Jupyter looks for kernelspecs: {@code PREFIX/share/jupyter/kernels} or the user's data dir. */
    private Path kernelsDir() {
        if (where.prefix != null) return where.prefix.toAbsolutePath().resolve("share/jupyter/kernels");
        return callisto.kernel.JupyterPaths.dataDir().resolve("kernels");
    }
}
