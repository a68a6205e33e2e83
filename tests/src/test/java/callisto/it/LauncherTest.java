package callisto.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The launcher finds a JDK 25 by itself, whatever the machine's default java is. */
class LauncherTest {
    @Test
    void findsAJdk25WithoutJavaHome() throws Exception {
        var env = new HashMap<String, String>();
        env.put("JAVA_HOME", null);
        var r = Cli.run(env, null, 600, "--version");
        assertEquals(0, r.exit(), r.all());
        assertTrue(r.out().contains("callisto 0.1.0"), r.all());
    }

    @Test
    void skipsAJavaHomeOlderThan25() throws Exception {
        var r = Cli.run(Map.of("JAVA_HOME", "/usr/lib/jvm/java-17-openjdk-amd64"), null, 600, "--version");
        assertEquals(0, r.exit(), r.all());
        assertTrue(r.out().contains("callisto 0.1.0"), r.all());
    }

    @Test
    void saysWhatToInstallWhenThereIsNoJdk25() throws Exception {
        var env = new HashMap<String, String>();
        env.put("JAVA_HOME", null);
        env.put("CALLISTO_JVM_DIRS", "/nonexistent-jvm-dir");
        var r = Cli.run(env, null, 60, "--version");
        assertEquals(2, r.exit(), r.all());
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.err().contains("no JDK 25 or newer found") && r.err().contains("install"), r.err());
    }

    @Test
    void subcommandHelpReachesStdoutEvenWhenTheEngineStartsEarly() throws Exception {
        for (String command : new String[] {"run", "kernel"}) { // both prestart the engine, which routes System.out
            var r = Cli.run(Map.of(), null, 600, command, "--help");
            assertEquals(0, r.exit(), r.all());
            assertTrue(r.out().startsWith("Usage: callisto " + command), r.all());
        }
    }

    @Test
    void unknownCommandIsAnErrorWithUsage() throws Exception {
        var r = Cli.run("frobnicate");
        assertEquals(2, r.exit(), r.all());
        assertTrue(r.err().contains("Unmatched argument") || r.err().contains("Unknown"), r.err());
    }

    @Test
    void runReportsBadInputAndEachNotebookOnStderrWhileTheEngineStarts(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        // the messages come before the first cell, while the prestarted engine runs its startup script
        var broken = java.nio.file.Files.writeString(dir.resolve("broken.ipynb"), "{\"cells\": [ not JSON");
        var good = java.nio.file.Files.writeString(dir.resolve("good.ipynb"), "{\"cells\": [{\"cell_type\": \"code\","
                + " \"execution_count\": null, \"metadata\": {}, \"outputs\": [], \"source\": \"1 + 1\"}],"
                + " \"metadata\": {}, \"nbformat\": 4, \"nbformat_minor\": 5}");
        var r = Cli.run("run", broken.toString(), good.toString());
        assertEquals(2, r.exit(), r.all());
        assertTrue(r.err().contains("callisto run: " + broken) && r.err().contains("invalid JSON"), r.all());
        assertTrue(r.err().lines().anyMatch(l -> l.equals(good.toString())), r.all());
        assertTrue(r.err().contains("[1/1]") && r.err().contains("ok: 1 cells"), r.all());
    }
}
