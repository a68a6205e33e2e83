package callisto.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code callisto kernel} driven by Jupyter's own Python client (Debian's python3-jupyter-client and
 * python3-jupyter-kernel-test, installed by .ci/run): our checks in {@code kernel/client_checks.py}, then
 * jupyter_kernel_test's conformance suite on the kernelspec {@code callisto kernel install} writes, the checks of
 * {@code kernel/manager_checks.py} on kernels Jupyter's KernelManager starts (restart, SIGINT, System.exit, late
 * output, user_expressions), and {@code jupyter nbconvert --execute} of the tutorials and notebooks with the installed kernel.
 */
class KernelTest {
    private static final Path RESOURCES = Cli.ROOT.resolve("tests/src/test/resources/kernel");
    private static final String PYTHON = "/usr/bin/python3";

    @TempDir
    Path dir;

    @Test
    void jupyterClientDrivesTheKernel() throws Exception {
        Path connection = dir.resolve("kernel-test.json");
        Files.writeString(connection, connectionFile());
        Path kernelErr = dir.resolve("kernel.err");
        var builder = new ProcessBuilder("bash", Cli.ROOT.resolve("callisto").toString(), "kernel", "-f",
                connection.toString())
                .directory(Cli.ROOT.toFile())
                .redirectOutput(dir.resolve("kernel.out").toFile())
                .redirectError(kernelErr.toFile());
        builder.environment().put("JUPYTER_DATA_DIR", dir.resolve("data").toString()); // the history goes here
        Process kernel = builder.start();
        try {
            var client = python(Map.of(), RESOURCES.resolve("client_checks.py").toString(), connection.toString());
            String log = Files.readString(kernelErr);
            for (String check : List.of("kernel_info", "execute_result", "stream", "display_data", "compile_error",
                    "silent", "is_complete", "history", "stdin", "comm", "forged_rejected", "interrupt", "shutdown_reply")) {
                assertTrue(client.out().lines().anyMatch(l -> l.equals("PASS " + check)),
                        "check " + check + " did not pass:\n" + client.out() + "\nkernel stderr:\n" + log);
            }
            assertEquals(0, client.exit(), client.out());
            assertTrue(kernel.waitFor(20, TimeUnit.SECONDS), "the kernel did not exit after shutdown_reply");
            assertEquals(0, kernel.exitValue(), "kernel exit code; stderr:\n" + Files.readString(kernelErr));
            assertTrue(Files.readString(kernelErr).contains("dropped a message: invalid signature"),
                    "the forged message should be logged: " + Files.readString(kernelErr));
        } finally {
            kernel.descendants().forEach(ProcessHandle::destroyForcibly);
            kernel.destroyForcibly();
        }
    }

    /** Installs the kernelspecs into a temporary prefix; returns the environment that makes Jupyter see only them. */
    private Map<String, String> installed() throws Exception {
        Path prefix = dir.resolve("prefix");
        var install = Cli.run("kernel", "install", "--prefix", prefix.toString());
        assertEquals(0, install.exit(), install.all());
        var signal = Cli.run("kernel", "install", "--prefix", prefix.toString(), "--name", "callisto-signal", "--interrupt-mode", "signal");
        assertEquals(0, signal.exit(), signal.all());
        Path spec = prefix.resolve("share/jupyter/kernels/callisto");
        String json = Files.readString(spec.resolve("kernel.json"));
        // a plain java argv: the JDK 25 the launcher found, the jar, no shell in between
        assertTrue(json.startsWith("{\"argv\":[\"" + Path.of(System.getProperty("java.home"), "bin", "java"))
                && json.contains("\"-jar\",\"" + Cli.ROOT.resolve("kernel/target/callisto.jar") + "\"")
                && json.contains("--add-modules=jdk.incubator.vector") && json.contains("{connection_file}")
                && json.contains("\"interrupt_mode\":\"message\"") && json.contains("\"display_name\":\"Java (Callisto)\""), json);
        for (String logo : List.of("logo-32x32.png", "logo-64x64.png", "logo-svg.svg")) assertTrue(Files.size(spec.resolve(logo)) > 100, logo);
        assertTrue(Files.readString(prefix.resolve("share/jupyter/kernels/callisto-signal/kernel.json")).contains("\"interrupt_mode\":\"signal\""));
        return Map.of("JUPYTER_PATH", prefix.resolve("share/jupyter").toString(),
                "JUPYTER_DATA_DIR", dir.resolve("data").toString(), "JUPYTER_RUNTIME_DIR", dir.resolve("runtime").toString());
    }

    @Test
    void jupyterKernelTestSuitePasses() throws Exception {
        var suite = python(installed(), RESOURCES.resolve("kernel_tests.py").toString());
        assertEquals(0, suite.exit(), "jupyter_kernel_test failed (is python3-jupyter-kernel-test installed?):\n"
                + suite.out());
        for (String test : List.of("test_kernel_info", "test_execute_stdout", "test_execute_stderr", "test_error",
                "test_execute_result", "test_display_data", "test_clear_output", "test_is_complete")) {
            assertTrue(suite.out().lines().anyMatch(l -> l.startsWith(test + " ") && l.endsWith("... ok")),
                    test + " did not pass:\n" + suite.out());
        }
    }

    @Test
    void kernelsStartedByJupyterRestartAndTakeSigint() throws Exception {
        var checks = python(installed(), RESOURCES.resolve("manager_checks.py").toString());
        for (String check : List.of("start", "user_expressions", "system_exit", "background_thread", "interrupt_idle", "restart", "sigint")) {
            assertTrue(checks.out().lines().anyMatch(l -> l.equals("PASS " + check)), "check " + check + " did not pass:\n" + checks.out());
        }
        assertEquals(0, checks.exit(), checks.out());
        checks.out().lines().filter(l -> l.startsWith("TIME ")).forEach(System.out::println);
    }

    @Test
    void nbconvertExecutesTheTutorialsAndNotebooksWithTheInstalledKernel() throws Exception {
        var env = installed();
        Path out = dir.resolve("executed");
        var cmd = new ArrayList<>(List.of("/usr/bin/jupyter-nbconvert", "--to", "notebook", "--execute",
                "--ExecutePreprocessor.kernel_name=callisto", "--ExecutePreprocessor.timeout=300", "--output-dir", out.toString()));
        int given = cmd.size();
        for (String folder : List.of("tutorials", "notebooks")) {
            try (var files = Files.walk(Cli.ROOT.resolve(folder))) {
                files.filter(f -> f.toString().endsWith(".ipynb") && !f.toString().contains(".ipynb_checkpoints"))
                        .sorted().forEach(f -> cmd.add(f.toString()));
            }
        }
        int notebooks = cmd.size() - given;
        var r = command(env, cmd);
        assertEquals(0, r.exit(), "jupyter nbconvert --execute failed (is jupyter-nbconvert installed?):\n" + r.out());
        try (var files = Files.list(out)) {
            var executed = files.toList();
            assertEquals(notebooks, executed.size(), executed.toString());
            for (Path nb : executed) {
                String json = Files.readString(nb);
                assertTrue(json.contains("\"execution_count\": 1") && !json.contains("\"output_type\": \"error\""), nb + ":\n" + json);
            }
        }
    }

    /** A fresh connection file: free ports on loopback and a random key, as jupyter_client writes one. */
    private static String connectionFile() throws IOException {
        var ports = new ArrayList<Integer>();
        var sockets = new ArrayList<ServerSocket>();
        try {
            for (int i = 0; i < 5; i++) {
                var s = new ServerSocket(0);
                sockets.add(s);
                ports.add(s.getLocalPort());
            }
        } finally {
            for (var s : sockets) s.close();
        }
        byte[] key = new byte[16];
        new SecureRandom().nextBytes(key);
        return """
                {"shell_port": %d, "iopub_port": %d, "stdin_port": %d, "control_port": %d, "hb_port": %d,
                 "ip": "127.0.0.1", "key": "%s", "transport": "tcp", "signature_scheme": "hmac-sha256",
                 "kernel_name": "callisto"}
                """.formatted(ports.get(0), ports.get(1), ports.get(2), ports.get(3), ports.get(4),
                HexFormat.of().formatHex(key));
    }

    private static Cli.Result python(Map<String, String> env, String... args) throws Exception {
        var cmd = new ArrayList<>(List.of(PYTHON, "-u"));
        cmd.addAll(List.of(args));
        return command(env, cmd);
    }

    private static Cli.Result command(Map<String, String> env, List<String> cmd) throws Exception {
        var pb = new ProcessBuilder(cmd).directory(Cli.ROOT.toFile()).redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p = pb.start();
        // read while it runs: a full pipe would stall it
        var out = new StringBuilder();
        // line by line: a kernel the script started may hold the pipe open after the script has ended
        Thread reader = Thread.ofPlatform().start(() -> {
            try (var lines = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    synchronized (out) {
                        out.append(line).append('\n');
                    }
                }
            } catch (IOException e) {
                synchronized (out) {
                    out.append("(reading output failed: ").append(e).append(')');
                }
            }
        });
        if (!p.waitFor(300, TimeUnit.SECONDS)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
        reader.join(10_000);
        synchronized (out) {
            return new Cli.Result(p.isAlive() ? -1 : p.exitValue(), out.toString(), "");
        }
    }
}
