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
 * jupyter_kernel_test's conformance suite on the kernelspec {@code callisto install-kernel} writes.
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

    @Test
    void jupyterKernelTestSuitePasses() throws Exception {
        Path prefix = dir.resolve("prefix");
        var install = Cli.run("install-kernel", "--prefix", prefix.toString());
        assertEquals(0, install.exit(), install.all());
        Path spec = prefix.resolve("share/jupyter/kernels/callisto/kernel.json");
        String json = Files.readString(spec);
        assertTrue(json.contains("\"" + Cli.ROOT.resolve("callisto") + "\"") && json.contains("{connection_file}")
                && json.contains("\"interrupt_mode\":\"message\""), json);

        // only the temporary kernelspec, wherever the user's own Jupyter files are
        var env = Map.of("JUPYTER_PATH", prefix.resolve("share/jupyter").toString(),
                "JUPYTER_DATA_DIR", dir.resolve("data").toString(), "JUPYTER_RUNTIME_DIR", dir.resolve("runtime").toString());
        var suite = python(env, RESOURCES.resolve("kernel_tests.py").toString());
        assertEquals(0, suite.exit(), "jupyter_kernel_test failed (is python3-jupyter-kernel-test installed?):\n"
                + suite.out());
        for (String test : List.of("test_kernel_info", "test_execute_stdout", "test_execute_stderr", "test_error",
                "test_execute_result", "test_display_data", "test_clear_output", "test_is_complete")) {
            assertTrue(suite.out().lines().anyMatch(l -> l.startsWith(test + " ") && l.endsWith("... ok")),
                    test + " did not pass:\n" + suite.out());
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
        var pb = new ProcessBuilder(cmd).directory(Cli.ROOT.toFile()).redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p = pb.start();
        // read while it runs: a full pipe would stall it
        var out = new StringBuilder();
        Thread reader = Thread.ofPlatform().start(() -> {
            try {
                out.append(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                out.append("(reading output failed: ").append(e).append(')');
            }
        });
        if (!p.waitFor(300, TimeUnit.SECONDS)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
        reader.join(10_000);
        return new Cli.Result(p.isAlive() ? -1 : p.exitValue(), out.toString(), "");
    }
}
