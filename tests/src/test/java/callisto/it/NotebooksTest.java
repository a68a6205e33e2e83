package callisto.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/** Every notebook and tutorial in the repository executes headless with {@code ./callisto run}, in FAST mode. */
class NotebooksTest {
    @TempDir
    Path out;

    static List<Path> notebooks() throws IOException {
        try (Stream<Path> walk = Stream.of("notebooks", "tutorials").map(Cli.ROOT::resolve).filter(Files::isDirectory)
                .flatMap(d -> {
                    try {
                        return Files.walk(d).toList().stream();
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                })) {
            return walk.filter(p -> p.toString().endsWith(".ipynb") && !p.toString().contains(".ipynb_checkpoints"))
                    .sorted().toList();
        }
    }

    @Test
    void thereAreNotebooksToRun() throws IOException {
        assertFalse(notebooks().isEmpty(), "no notebooks under notebooks/ or tutorials/");
    }

    @TestFactory
    Stream<DynamicTest> everyNotebookRuns() throws IOException {
        return notebooks().stream().map(nb -> DynamicTest.dynamicTest(Cli.ROOT.relativize(nb).toString(), () -> {
            byte[] before = Files.readAllBytes(nb);
            var r = Cli.run("run", nb.toString(), "--output", out.toString(), "-p", "FAST=true", "--timeout", "300");
            assertEquals(0, r.exit(), r.err());
            Path written = out.resolve(nb.getFileName());
            assertTrue(Files.exists(written), r.err());
            assertTrue(Files.readString(written).contains("\"execution_count\": 1"), "no cell ran");
            assertEquals(new String(before), new String(Files.readAllBytes(nb)), "the notebook itself was modified");
        }));
    }
}
