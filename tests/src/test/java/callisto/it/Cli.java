package callisto.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs {@code ./callisto} from the repository root as a user would, in a child process. */
final class Cli {
    static final Path ROOT = Path.of(System.getProperty("callisto.root", "..")).toAbsolutePath().normalize();

    record Result(int exit, String out, String err) {
        String all() {
            return out + err;
        }
    }

    private Cli() {
    }

    static Result run(Map<String, String> env, String stdin, long timeoutSeconds, String... args)
            throws IOException, InterruptedException {
        var cmd = new ArrayList<String>(List.of("bash", ROOT.resolve("callisto").toString()));
        cmd.addAll(List.of(args));
        var pb = new ProcessBuilder(cmd).directory(ROOT.toFile());
        env.forEach((k, v) -> {
            if (v == null) {
                pb.environment().remove(k);
            } else {
                pb.environment().put(k, v);
            }
        });
        Path out = Files.createTempFile("callisto-out-", ".txt");
        Path err = Files.createTempFile("callisto-err-", ".txt");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile());
        Process p = pb.start();
        try (var in = p.getOutputStream()) {
            if (stdin != null) in.write(stdin.getBytes(StandardCharsets.UTF_8));
        }
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            throw new AssertionError("./callisto " + String.join(" ", args) + " did not finish in " + timeoutSeconds + " s");
        }
        try {
            return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    static Result run(String... args) throws IOException, InterruptedException {
        return run(Map.of(), null, 600, args);
    }
}
