package callisto.cli;

import callisto.engine.Engine;
import callisto.kernel.ConnectionFile;
import callisto.kernel.Kernel;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code callisto kernel -f FILE}: a Jupyter kernel for the client that wrote the connection file. Jupyter
 * starts it through the kernelspec that {@code callisto kernel install} writes.
 */
@Command(name = "kernel", mixinStandardHelpOptions = true,
        description = "Run as a Jupyter kernel (Jupyter starts this), or install/uninstall its kernelspec.",
        subcommands = {KernelSpecCommands.Install.class, KernelSpecCommands.Uninstall.class})
final class KernelCommand implements Callable<Integer> {
    // not required by picocli: then `kernel install` would demand it too
    @Option(names = {"-f", "--connection-file"}, paramLabel = "FILE",
            description = "The connection file Jupyter wrote (ports, key).")
    Path connectionFile;

    @Override
    public Integer call() throws Exception {
        // the engine routes System.err to the running cell; the kernel's own log goes to the process's stderr
        var log = new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8);
        if (connectionFile == null) {
            log.println("callisto kernel: give -f CONNECTION_FILE (Jupyter does), or run `callisto kernel install` to install the kernelspec");
            return 2;
        }
        ConnectionFile connection;
        try {
            connection = ConnectionFile.read(connectionFile);
        } catch (ConnectionFile.BadConnectionFile e) {
            log.println("callisto kernel: " + e.getMessage());
            return 2;
        }
        // the sockets bind while JShell starts, so the frontend sees the kernel at once; the engine is not
        // closed: the process ends right after, and a cell that ignored the interrupt could keep JShell open
        var kernel = new Kernel(connection, Engine.takePrestarted(), log);
        onSigint(kernel, log);
        return kernel.run();
    }

    /**
     * SIGINT interrupts the running cell instead of ending the JVM: Jupyter sends it when a kernelspec says
     * {@code "interrupt_mode": "signal"}, and a terminal's Ctrl-C does the same.
     */
    @SuppressWarnings("restriction") // sun.misc.Signal (jdk.unsupported) is the JDK's only way to handle a signal
    private static void onSigint(Kernel kernel, PrintStream log) {
        try {
            sun.misc.Signal.handle(new sun.misc.Signal("INT"), sig -> kernel.interrupt());
        } catch (IllegalArgumentException e) {
            log.println("callisto kernel: SIGINT cannot be handled here (" + e.getMessage() + "); interrupts come by message only");
        }
    }
}
