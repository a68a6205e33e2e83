package callisto.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** %classpath, %load, %vars, %env and %%shell. */
class SessionMagicsTest {
    static Engine engine;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        engine = Engine.start();
    }

    @AfterAll
    static void stop() {
        engine.close();
    }

    static Recorder run(String code) {
        var out = new Recorder();
        CellResult r = engine.execute(code, out);
        if (r.error() != null) out.stream("error", r.error().ename() + ": " + r.error().evalue());
        return out;
    }

    @Test
    void classpathAddsAFolderOnceAndLaterCellsUseIt() throws Exception {
        Path src = dir.resolve("src/greet/Greeter.java");
        Files.createDirectories(src.getParent());
        Files.writeString(src, "package greet; public class Greeter { public static String hi() { return \"hi from a jar\"; } }");
        Path classes = dir.resolve("classes");
        assertEquals(0, ToolProvider.getSystemJavaCompiler().run(null, null, null, "-d", classes.toString(), src.toString()));
        assertTrue(run("%classpath " + classes).out().startsWith("added " + classes), "first time");
        assertTrue(run("%classpath " + classes).out().startsWith("already on the classpath"), "no duplicates");
        CellResult r = engine.execute("greet.Greeter.hi()", new Recorder());
        assertNull(r.error(), String.valueOf(r.error()));
        assertEquals("hi from a jar", r.value());
        assertTrue(run("%classpath").out().contains(classes.toString()));
        assertTrue(run("%classpath /no/such/jar.jar").text("error").contains("/no/such/jar.jar does not exist"));
    }

    @Test
    void loadRunsAFileAndVarsListsWhatItDeclared() throws Exception {
        Path file = dir.resolve("helpers.jsh");
        Files.writeString(file, "int loadedCount = 41;\nString loadedName = \"callisto\";\nloadedCount + 1");
        CellResult r = engine.execute("%load " + file, new Recorder());
        assertNull(r.error(), String.valueOf(r.error()));
        assertEquals(42, r.value());
        String vars = run("%vars").out();
        assertTrue(vars.lines().anyMatch(l -> l.matches("loadedCount\\s+int\\s+41")), vars);
        assertTrue(vars.lines().anyMatch(l -> l.matches("loadedName\\s+String\\s+\"callisto\"")), vars);
        assertTrue(run("%load " + dir.resolve("missing.jsh")).text("error").contains("is not a file"));
        Files.writeString(file, "int broken = \"no\";");
        assertTrue(run("%load " + file).text("error").startsWith("CompileError"));
    }

    @Test
    void envSetsVariablesForShellCommandsWhichStreamAndFailLoudly() {
        assertTrue(run("%env CALLISTO_MAGIC_TEST=forty two").out().contains("CALLISTO_MAGIC_TEST=forty two"));
        assertEquals("forty two\n", run("%env CALLISTO_MAGIC_TEST").out());
        var out = run("%%shell\necho \"$CALLISTO_MAGIC_TEST\"\necho oops >&2");
        assertEquals("forty two\n", out.out());
        assertEquals("oops\n", out.err());
        assertTrue(run("%%shell\nexit 3").text("error").contains("exited with status 3"));
        assertTrue(run("%env NO_SUCH_VARIABLE_HERE").text("error").contains("is not set"));
    }

    @Test
    void anInterruptStopsAShellCommand() throws Exception {
        var timer = Thread.ofPlatform().start(() -> {
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                return;
            }
            engine.interrupt();
        });
        long t0 = System.nanoTime();
        CellResult r = engine.execute("%%shell\nsleep 30", new Recorder());
        double seconds = (System.nanoTime() - t0) / 1e9;
        timer.join();
        assertNotNull(r.error());
        assertTrue(seconds < 5, "stopped after " + seconds + " s");
        assertNull(engine.execute("1 + 1", new Recorder()).error(), "the session goes on");
    }
}
