package callisto.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@code callisto run} writes is checked by Jupyter's own nbformat library (Debian's python3-nbformat,
 * installed by .ci/run): valid against the nbformat 4 schema, and byte for byte what nbformat itself would write.
 */
class NbformatTest {
    private static final String CHECK = """
            import sys, nbformat
            for path in sys.argv[1:]:
                text = open(path, encoding="utf-8").read()
                nb = nbformat.reads(text, as_version=4)
                nbformat.validate(nb)
                again = nbformat.writes(nb)
                if not again.endswith("\\n"):
                    again += "\\n"
                print(("SAME " if again == text else "DIFFERENT ") + path)
            """;

    @TempDir
    Path out;

    @Test
    void outputsAreValidAndWrittenAsJupyterWrites() throws Exception {
        Path fixtures = Cli.ROOT.resolve("kernel/src/test/resources/notebooks");
        var inputs = new ArrayList<String>(List.of("run", "--output", out.toString(), "--allow-errors", "--timeout", "2",
                "-p", "FAST=true", "-p", "steps=3"));
        try (var files = Files.list(fixtures)) {
            files.filter(p -> p.toString().endsWith(".ipynb")).sorted().forEach(p -> inputs.add(p.toString()));
        }
        inputs.add(Cli.ROOT.resolve("tutorials/01-working-in-a-notebook.ipynb").toString());
        var r = Cli.run(Map.of(), null, 600, inputs.toArray(String[]::new));
        assertEquals(1, r.exit(), "the error and timeout fixtures fail, the rest run: " + r.err());

        var written = new ArrayList<String>();
        try (var files = Files.list(out)) {
            files.filter(p -> p.toString().endsWith(".ipynb")).sorted().forEach(p -> written.add(p.toString()));
        }
        assertTrue(written.size() >= 7, "written: " + written);
        var cmd = new ArrayList<>(List.of("/usr/bin/python3", "-c", CHECK));
        cmd.addAll(written);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String report = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), "nbformat rejected a notebook (is python3-nbformat installed?):\n" + report);
        assertEquals(written.size(), report.lines().filter(l -> l.startsWith("SAME ")).count(), report);
    }
}
