package callisto.engine;

import callisto.runtime.Cancellation;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/** Magics about the session around the code: its classpath, variables, files, environment and shell. */
final class SessionMagics {
    private SessionMagics() {
    }

    static void register(Engine engine) {
        engine.registerMagic("classpath", "%classpath [PATH...]: add jars or class folders to the session, or list what was added",
                (args, body, cell) -> {
                    if (args.isEmpty()) {
                        var added = engine.addedClasspath();
                        cell.sink().stream("stdout", added.isEmpty() ? "(nothing added; the session has Callisto's own classpath)\n"
                                : String.join("\n", added) + "\n");
                        return;
                    }
                    for (String entry : args.split("[\\s" + java.io.File.pathSeparator + "]+")) {
                        if (!Files.exists(Path.of(entry))) throw new IllegalArgumentException("%classpath: " + entry + " does not exist");
                        boolean added = engine.addToClasspath(entry);
                        cell.sink().stream("stdout", (added ? "added " : "already on the classpath: ") + Path.of(entry).toAbsolutePath().normalize() + "\n");
                    }
                });
        engine.registerMagic("maven", MavenMagic.SUMMARY, new MavenMagic());
        engine.registerMagic("load", "%load FILE: run a file of Java code in this cell", (args, body, cell) -> {
            if (args.isEmpty()) throw new IllegalArgumentException("%load: give a file, e.g. %load helpers.jsh");
            Path file = Path.of(args);
            if (!Files.isRegularFile(file)) throw new IllegalArgumentException("%load: " + file.toAbsolutePath() + " is not a file");
            CellError error = cell.runJava(Files.readString(file, StandardCharsets.UTF_8), 0);
            if (error != null) throw new BuiltinMagics.MagicFailure(error);
        });
        engine.registerMagic("vars", "%vars: the session's variables with their types and values", (args, body, cell) -> {
            var vars = engine.variables();
            if (vars.isEmpty()) {
                cell.sink().stream("stdout", "(no variables)\n");
                return;
            }
            int wn = 4, wt = 4;
            for (var v : vars) {
                wn = Math.max(wn, v.name().length());
                wt = Math.max(wt, v.type().length());
            }
            var sb = new StringBuilder(String.format("%-" + wn + "s  %-" + wt + "s  %s%n", "name", "type", "value"));
            for (var v : vars) {
                String value = v.value().replace("\n", " ");
                if (value.length() > 80) value = value.substring(0, 77) + "...";
                sb.append(String.format("%-" + wn + "s  %-" + wt + "s  %s%n", v.name(), v.type(), value));
            }
            cell.sink().stream("stdout", sb.toString());
        });
        engine.registerMagic("env", "%env [NAME[=VALUE]]: show the environment, or set a variable for %%shell commands",
                (args, body, cell) -> {
                    Map<String, String> env = new TreeMap<>(System.getenv());
                    env.putAll(engine.shellEnvironment);
                    int eq = args.indexOf('=');
                    if (args.isEmpty()) {
                        var sb = new StringBuilder();
                        env.forEach((k, v) -> sb.append(k).append('=').append(v).append('\n'));
                        cell.sink().stream("stdout", sb.toString());
                    } else if (eq < 0) {
                        String v = env.get(args);
                        if (v == null) throw new IllegalArgumentException("%env: " + args + " is not set");
                        cell.sink().stream("stdout", v + "\n");
                    } else {
                        String name = args.substring(0, eq).strip();
                        if (name.isEmpty()) throw new IllegalArgumentException("%env: no name before '=' in " + args);
                        engine.shellEnvironment.put(name, args.substring(eq + 1).strip());
                        cell.sink().stream("stdout", "env: " + name + "=" + engine.shellEnvironment.get(name)
                                + " (for %%shell; System.getenv of this JVM cannot change)\n");
                    }
                });
        engine.registerMagic("shell", "%%shell: run the cell's body with bash, output streamed; interrupt stops it",
                (args, body, cell) -> {
                    String script = body != null ? body : args;
                    var pb = new ProcessBuilder("bash", "-c", script);
                    pb.environment().putAll(engine.shellEnvironment);
                    Process p = pb.start();
                    p.getOutputStream().close();
                    Thread out = pump(p.getInputStream(), "stdout", cell), err = pump(p.getErrorStream(), "stderr", cell);
                    try {
                        while (!p.waitFor(50, TimeUnit.MILLISECONDS)) Cancellation.check();
                    } finally {
                        if (p.isAlive()) {
                            p.descendants().forEach(ProcessHandle::destroy);
                            p.destroy();
                            if (!p.waitFor(2, TimeUnit.SECONDS)) p.destroyForcibly();
                        }
                        out.join(2000);
                        err.join(2000);
                    }
                    if (p.exitValue() != 0) throw new IllegalStateException("%%shell: the command exited with status " + p.exitValue());
                });
    }

    private static Thread pump(InputStream in, String stream, Engine.Cell cell) {
        return Thread.ofPlatform().daemon().start(() -> {
            var decoder = new java.io.InputStreamReader(in, StandardCharsets.UTF_8);
            char[] chars = new char[4096];
            try (decoder) {
                for (int n; (n = decoder.read(chars)) > 0; ) cell.sink().stream(stream, new String(chars, 0, n));
            } catch (IOException e) {
                // the process ended or was stopped: nothing more to show
            }
        });
    }
}
