package callisto.cli;

import callisto.engine.Engine;
import callisto.kernel.Kernel;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code callisto} command line. {@code ./callisto test} is handled by the launcher script (it runs Maven). */
@Command(name = "callisto", mixinStandardHelpOptions = true, version = "callisto " + Kernel.VERSION,
        description = "Reproduce machine-learning papers as executable notebooks on the JVM.",
        subcommands = {RunCommand.class, ShellCommand.class, KernelCommand.class,
                BenchCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.err);
    }

    /** The process's stdout as it was at start: a prestarted engine routes System.out to cells. */
    private static final java.io.PrintStream STDOUT = System.out;

    /**
     * The process's stderr as it was at start, for the CLI's messages and progress lines: while the prestarted
     * engine runs its startup script, System.err is routed to that script's output and would swallow them.
     */
    private static final java.io.PrintStream STDERR = System.err;

    public static void main(String[] args) {
        // JShell warms up while we read notebooks or bind the kernel's sockets
        if (args.length > 0 && (args[0].equals("run") || args[0].equals("kernel") && !isSpecCommand(args))) Engine.prestart();
        System.exit(execute(args));
    }

    private static boolean isSpecCommand(String[] args) {
        return args.length > 1 && (args[1].equals("install") || args[1].equals("uninstall"));
    }

    /** Runs the CLI and returns its exit code (for tests: no System.exit). */
    public static int execute(String... args) {
        return execute(null, args);
    }

    /** Runs the CLI with its messages and progress going to {@code err} (null: stderr). */
    public static int execute(java.io.PrintWriter err, String... args) {
        var cli = new CommandLine(new Main());
        cli.setOut(new java.io.PrintWriter(STDOUT, true)); // --help and --version, even after Engine.prestart()
        cli.setErr(err != null ? err : new java.io.PrintWriter(STDERR, true));
        cli.setExecutionExceptionHandler((e, commandLine, parsed) -> {
            commandLine.getErr().println("callisto: " + e.getMessage());
            return 2;
        });
        return cli.execute(args);
    }
}
