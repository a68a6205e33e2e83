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
 * starts it through the kernelspec that {@code callisto install-kernel} writes.
 */
@Command(name = "kernel", mixinStandardHelpOptions = true,
        description = "Run as a Jupyter kernel (Jupyter starts this; see install-kernel).")
final class KernelCommand implements Callable<Integer> {
    @Option(names = {"-f", "--connection-file"}, required = true, paramLabel = "FILE",
            description = "The connection file Jupyter wrote (ports, key).")
    Path connectionFile;

    @Override
    public Integer call() throws Exception {
        // the engine routes System.err to the running cell; the kernel's own log goes to the process's stderr
        var log = new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8);
        ConnectionFile connection;
        try {
            connection = ConnectionFile.read(connectionFile);
        } catch (ConnectionFile.BadConnectionFile e) {
            log.println("callisto kernel: " + e.getMessage());
            return 2;
        }
        // the engine is not closed: the process ends right after, and a cell that ignored the interrupt
        // could keep JShell from closing
        return new Kernel(connection, Engine.startPrestarted(), log).run();
    }
}
