package callisto.cli;

import callisto.notebook.BadNotebookException;
import callisto.notebook.HtmlExport;
import callisto.notebook.Notebook;
import callisto.notebook.NotebookRunner;
import callisto.notebook.Parameters;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code callisto run}: executes notebooks headless, one fresh session each. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Execute notebooks headless, in order, one session each.",
            "Exit 0 when every cell ran, 1 when a cell failed, 2 for bad input."})
final class RunCommand implements Callable<Integer> {
    @picocli.CommandLine.Parameters(arity = "1..*", paramLabel = "NOTEBOOK|DIR",
            description = "Notebooks, or folders searched for *.ipynb (checkpoints skipped).")
    List<Path> inputs;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @ArgGroup(exclusive = true)
    Destination destination;

    static final class Destination {
        @Option(names = "--inplace", description = "Write the executed notebook over the input.")
        boolean inplace;

        @Option(names = "--output", paramLabel = "DIR", description = "Write executed notebooks into DIR.")
        Path output;
    }

    @Option(names = "--timeout", paramLabel = "SECONDS", description = "Interrupt a cell that runs longer (default: none).")
    double timeout;

    @Option(names = {"-p", "--parameter"}, paramLabel = "NAME=VALUE",
            description = "Set a parameter after the cell tagged 'parameters' (int, long, double, boolean, else String).")
    List<String> parameters = new ArrayList<>();

    @Option(names = "--allow-errors", description = "Keep running after a failing cell.")
    boolean allowErrors;

    @Option(names = "--html", description = "Also write a standalone HTML page (images embedded) beside each output.")
    boolean html;

    private record Job(Path file, Path relative) {
    }

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        Parameters params;
        try {
            params = Parameters.parse(parameters);
        } catch (IllegalArgumentException e) {
            err.println("callisto run: " + e.getMessage());
            return 2;
        }
        if (timeout < 0) {
            err.println("callisto run: --timeout " + timeout + ": must be positive");
            return 2;
        }
        var jobs = new ArrayList<Job>();
        int exit = 0;
        for (Path input : inputs) {
            if (Files.isDirectory(input)) {
                List<Path> found = find(input);
                if (found.isEmpty()) err.println("callisto run: " + input + ": no notebooks found");
                for (Path f : found) jobs.add(new Job(f, input.relativize(f)));
            } else {
                jobs.add(new Job(input, input.getFileName()));
            }
        }
        if (destination != null && destination.output != null) {
            var seen = new java.util.HashMap<Path, Path>();
            for (Job job : jobs) {
                Path other = seen.putIfAbsent(job.relative().normalize(), job.file());
                if (other != null) {
                    err.println("callisto run: " + job.file() + " and " + other + " would both be written to "
                            + destination.output.resolve(job.relative()) + "; run them with separate --output folders");
                    return 2;
                }
            }
        }
        var runner = new NotebookRunner(params, timeout, allowErrors, err);
        for (Job job : jobs) {
            Notebook nb;
            try {
                nb = Notebook.read(job.file());
            } catch (BadNotebookException e) {
                err.println("callisto run: " + e.getMessage());
                exit = Math.max(exit, 2);
                continue;
            }
            err.println(job.file());
            NotebookRunner.Result r = runner.run(nb);
            Path target = destination == null ? null
                    : destination.inplace ? job.file() : destination.output.resolve(job.relative());
            String written = "";
            try {
                if (target != null) {
                    nb.write(target);
                    written = " -> " + target;
                }
                if (html) {
                    Path page = htmlPath(target != null ? target : job.file());
                    HtmlExport.write(nb, page);
                    written += (written.isEmpty() ? " -> " : ", ") + page;
                }
            } catch (IOException | RuntimeException e) {
                err.println("callisto run: " + job.file() + ": could not write the output: " + e.getMessage());
                exit = Math.max(exit, 2);
            }
            err.printf(Locale.ROOT, "  %s: %d cells in %.1fs%s%n", r.ok() ? "ok" : "FAILED", r.cellsRun(), r.seconds(),
                    written);
            if (!r.ok()) exit = Math.max(exit, 1);
            err.flush();
        }
        err.flush();
        return exit;
    }

    private static Path htmlPath(Path notebook) {
        String name = notebook.getFileName().toString();
        String base = name.endsWith(".ipynb") ? name.substring(0, name.length() - 6) : name;
        return notebook.resolveSibling(base + ".html");
    }

    private static List<Path> find(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(p -> p.getFileName().toString().endsWith(".ipynb") && Files.isRegularFile(p))
                    .filter(p -> !dir.relativize(p).toString().contains(".ipynb_checkpoints"))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(dir + ": cannot be listed", e);
        }
    }
}
