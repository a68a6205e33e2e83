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
}
