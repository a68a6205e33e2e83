package callisto.cli;

import callisto.kernel.JupyterPaths;
import callisto.notebook.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code callisto kernel install} and {@code callisto kernel uninstall}: the kernelspec Jupyter starts us by. */
final class KernelSpecCommands {
    static final String DEFAULT_NAME = "callisto";

    private KernelSpecCommands() {
    }

    /** Where a kernelspec goes, as {@code jupyter kernelspec install} names the places. */
    static final class Where {
        @Option(names = "--user", description = "Into this user's Jupyter data dir (the default).")
        boolean user;

        @Option(names = "--sys-prefix", description = "Into the active Python environment (a virtualenv or conda env, else python3's sys.prefix).")
        boolean sysPrefix;

        @Option(names = "--prefix", paramLabel = "DIR", description = "Into DIR/share/jupyter/kernels.")
        Path prefix;

        Path kernelsDir() throws IOException, InterruptedException {
            if (prefix != null) return prefix.toAbsolutePath().normalize().resolve("share/jupyter/kernels");
            if (sysPrefix) return pythonPrefix().resolve("share/jupyter/kernels");
            return JupyterPaths.dataDir().resolve("kernels");
        }
    }

    @Command(name = "install", mixinStandardHelpOptions = true,
            description = "Install the Jupyter kernelspec \"Java (Callisto)\" (default: for this user).")
    static final class Install implements Callable<Integer> {
        @ArgGroup(exclusive = true)
        Where where = new Where();

        @Option(names = "--name", paramLabel = "NAME", description = "The kernelspec's name (default: ${DEFAULT-VALUE}).")
        String name = DEFAULT_NAME;

        @Option(names = "--jvm-opt", paramLabel = "OPT", description = "A JVM option for the kernel, e.g. --jvm-opt=-Xmx8g (repeatable).")
        List<String> jvmOpts = new ArrayList<>();

        @Option(names = "--interrupt-mode", paramLabel = "MODE", description = "message (default) or signal (Jupyter sends SIGINT).")
        String interruptMode = "message";

        @Override
        public Integer call() throws Exception {
            checkName(name);
            if (!interruptMode.equals("message") && !interruptMode.equals("signal")) {
                throw new IllegalArgumentException("--interrupt-mode: expected message or signal, got '" + interruptMode + "'");
            }
            Path jar = runningJar();
            Path dir = where.kernelsDir().resolve(name);
            Files.createDirectories(dir);
            KernelLogo.write(dir);
            callisto.runtime.AtomicFile.write(dir.resolve("kernel.json"), tmp -> Files.writeString(tmp,
                    Json.writeCompact(spec(jar, name, jvmOpts, interruptMode)) + "\n", StandardCharsets.UTF_8));
            System.out.println("Installed kernelspec " + name + " in " + dir);
            System.out.println("It runs the build in " + jar.getParent() + "; any ./callisto command rebuilds it when sources change.");
            return 0;
        }
    }

    @Command(name = "uninstall", mixinStandardHelpOptions = true, description = "Remove a kernelspec that install wrote.")
    static final class Uninstall implements Callable<Integer> {
        @ArgGroup(exclusive = true)
        Where where = new Where();

        @Option(names = "--name", paramLabel = "NAME", description = "The kernelspec's name (default: ${DEFAULT-VALUE}).")
        String name = DEFAULT_NAME;

        @Override
        public Integer call() throws Exception {
            checkName(name);
            Path dir = where.kernelsDir().resolve(name);
            Path spec = dir.resolve("kernel.json");
            if (!Files.isRegularFile(spec)) {
                System.err.println("callisto kernel uninstall: no kernelspec " + name + " in " + dir.getParent());
                return 1;
            }
            // only what install writes: a kernelspec someone else put under the same name is left alone
            String json = Files.readString(spec);
            if (!json.contains("callisto.jar") && !json.contains("/callisto\",\"kernel\"")) {
                System.err.println("callisto kernel uninstall: " + spec + " is not a Callisto kernelspec; left alone");
                return 1;
            }
            for (String f : List.of("kernel.json", KernelLogo.PNG_32, KernelLogo.PNG_64, KernelLogo.SVG)) Files.deleteIfExists(dir.resolve(f));
            try {
                Files.delete(dir);
            } catch (java.nio.file.DirectoryNotEmptyException e) {
                System.err.println("callisto kernel uninstall: kept " + dir + ": it holds files install did not write");
            }
            System.out.println("Removed kernelspec " + name + " from " + dir.getParent());
            return 0;
        }
    }

    private static void checkName(String name) {
        // Jupyter's own rule for kernelspec names
        if (!name.matches("[A-Za-z0-9._-]+")) {
            throw new IllegalArgumentException("--name: '" + name + "' may use only letters, digits, '.', '_' and '-'");
        }
    }

    /**
     * The kernelspec: a plain {@code java} argv (no shell, no Python) with the JDK this CLI runs on, the flags every
     * Callisto process takes, the class-data archive when there is one, and the user's JVM options; its env names the
     * {@code ./callisto} launcher that ran the install, when it did.
     */
    static Map<String, Object> spec(Path jar, String name, List<String> jvmOpts, String interruptMode) {
        var argv = new ArrayList<String>();
        argv.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        argv.addAll(jvmFlags(jar.resolveSibling("jvm.args")));
        Path cds = jar.resolveSibling("callisto.jsa");
        if (Files.isRegularFile(cds)) {
            argv.addAll(List.of("-XX:SharedArchiveFile=" + cds, "-Xlog:cds=off", "-Xlog:cds+dynamic=off"));
        }
        argv.addAll(jvmOpts);
        argv.addAll(List.of("-jar", jar.toString(), "kernel", "-f", "{connection_file}"));
        var spec = new LinkedHashMap<String, Object>();
        spec.put("argv", argv);
        spec.put("display_name", name.equals(DEFAULT_NAME) ? "Java (Callisto)" : "Java (Callisto: " + name + ")");
        spec.put("language", "java");
        spec.put("interrupt_mode", interruptMode);
        // the launcher that installed the kernel, so a notebook can run `callisto run` as the CLI would (tutorial 6)
        String launcher = System.getenv("CALLISTO_LAUNCHER");
        spec.put("env", launcher != null && Files.isRegularFile(Path.of(launcher)) ? Map.of("CALLISTO_LAUNCHER", launcher) : Map.of());
        spec.put("metadata", Map.of("debugger", false));
        return spec;
    }

    /** The flags the build wrote for every Callisto JVM (modules, native access). */
    private static List<String> jvmFlags(Path argsFile) {
        try {
            return Arrays.stream(Files.readString(argsFile).trim().split("\\s+")).filter(s -> !s.isEmpty()).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("kernel install: cannot read the JVM flags in " + argsFile + " (is the build complete?)", e);
        }
    }

    /** callisto.jar, which this code runs from; the kernelspec names it. */
    private static Path runningJar() {
        Path self;
        try {
            self = Path.of(KernelSpecCommands.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        if (!Files.isRegularFile(self) || !self.getFileName().toString().endsWith(".jar")) {
            throw new IllegalStateException("kernel install: run it through ./callisto, which runs the built jar (this runs from " + self + ")");
        }
        return self.toAbsolutePath().normalize();
    }

    /** The active Python environment's prefix: $VIRTUAL_ENV or $CONDA_PREFIX, else what python3 says. */
    private static Path pythonPrefix() throws IOException, InterruptedException {
        for (String var : List.of("VIRTUAL_ENV", "CONDA_PREFIX")) {
            String v = System.getenv(var);
            if (v != null && !v.isBlank()) return Path.of(v);
        }
        Process p;
        try {
            p = new ProcessBuilder("python3", "-c", "import sys; print(sys.prefix)").redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new IllegalStateException("--sys-prefix: no active virtualenv or conda env, and python3 cannot be run (" + e.getMessage() + "); use --prefix DIR");
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0 || out.isEmpty()) {
            throw new IllegalStateException("--sys-prefix: python3 did not report its sys.prefix (" + out + "); use --prefix DIR");
        }
        return Path.of(out);
    }
}
