package callisto.cli;

import callisto.engine.Engine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import jdk.jshell.tool.JavaShellToolBuilder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code callisto shell}: the JDK's own jshell, running snippets in this JVM through Callisto's execution
 * control (so System.exit is trapped and interrupts work), with Callisto's classpath, flags and imports.
 * Displays are written to a temporary folder and their path printed.
 */
@Command(name = "shell", mixinStandardHelpOptions = true,
        description = "An interactive JShell with the stdlib loaded. Extra arguments go to jshell.")
final class ShellCommand implements Callable<Integer> {
    @Parameters(arity = "0..*", paramLabel = "JSHELL-ARG", description = "Passed to jshell (e.g. a script file).")
    List<String> jshellArgs = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        Path startup = Files.createTempFile("callisto-startup-", ".jsh");
        startup.toFile().deleteOnExit();
        Files.writeString(startup, Engine.startupScript());
        var args = new ArrayList<String>(List.of(
                "--class-path", System.getProperty("java.class.path"),
                "--execution", "callisto",
                "--startup", startup.toString()));
        for (String flag : Engine.compilerOptions()) args.add("-C" + flag);
        args.addAll(jshellArgs);
        return JavaShellToolBuilder.builder().start(args.toArray(String[]::new));
    }
}
