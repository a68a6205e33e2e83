package callisto.notebook;

import callisto.engine.CellError;
import callisto.engine.CellResult;
import callisto.engine.Engine;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;

/**
 * Executes a notebook's code cells in order in one fresh engine, filling in outputs and execution counts as
 * Jupyter would. Stops at the first failing cell unless errors are allowed.
 */
public final class NotebookRunner {
    static final String PARAMETERS_TAG = "parameters";
    static final String INJECTED_TAG = "injected-parameters";

    private final Parameters parameters;
    private final double timeoutSeconds;
    private final boolean allowErrors;
    private final PrintWriter progress;

    /**
     * @param parameters     values injected after the {@code parameters} cell
     * @param timeoutSeconds per-cell limit; 0 or less for none
     * @param allowErrors    keep going after a failing cell
     * @param progress       where the one-line-per-cell progress goes
     */
    public NotebookRunner(Parameters parameters, double timeoutSeconds, boolean allowErrors, PrintWriter progress) {
        this.parameters = parameters;
        this.timeoutSeconds = timeoutSeconds;
        this.allowErrors = allowErrors;
        this.progress = progress;
    }

    /**
     * How a run went.
     *
     * @param cellsRun  code cells executed
     * @param failures  the errors, in cell order
     * @param seconds   wall time
     */
    public record Result(int cellsRun, List<CellError> failures, double seconds) {
        public boolean ok() {
            return failures.isEmpty();
        }
    }

    /** Runs {@code nb} in place (its tree gets the new outputs). */
    public Result run(Notebook nb) {
        long start = System.nanoTime();
        injectParameterCell(nb);
        List<Map<String, Object>> cells = nb.cells();
        // the injected parameter cell gets its source only when it runs, from what the parameters cell declared
        int codeCells = (int) cells.stream().filter(c -> "code".equals(c.get("cell_type"))
                && (!Notebook.source(c).isBlank() || Notebook.tags(c).contains(INJECTED_TAG))).count();
        var failures = new ArrayList<CellError>();
        var collector = new OutputCollector();
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "callisto-cell-timeout");
            t.setDaemon(true);
            return t;
        });
        int ran = 0;
        boolean stopped = false;
        boolean abandoned = false;
        try (Engine engine = Engine.startPrestarted()) {
            for (Map<String, Object> cell : cells) {
                if (!"code".equals(cell.get("cell_type"))) continue;
                if (stopped) {
                    cell.put("outputs", new ArrayList<>());
                    cell.put("execution_count", null);
                    continue;
                }
                if (Notebook.tags(cell).contains(INJECTED_TAG)) {
                    cell.put("source", new ArrayList<Object>(Notebook.lines(parameters.source(declared(engine)))));
                }
                String source = Notebook.source(cell);
                if (source.isBlank()) { // as nbclient: an empty cell is not run and takes no number
                    cell.put("outputs", new ArrayList<>());
                    cell.put("execution_count", null);
                    continue;
                }
                collector.startCell();
                long t0 = System.nanoTime();
                AtomicBoolean timedOut = new AtomicBoolean();
                int count = engine.executionCount() + 1;
                ScheduledFuture<?> alarm = timeoutSeconds > 0 ? timer.schedule(() -> {
                    timedOut.set(true);
                    engine.interrupt(count);
                }, (long) (timeoutSeconds * 1000), TimeUnit.MILLISECONDS) : null;
                CellResult r = execute(engine, source, collector);
                if (alarm != null) alarm.cancel(false);
                ran++;
                CellError error = r.error();
                if (r == ABANDONED) {
                    r = new CellResult(engine.executionCount(), null, null, null);
                    error = timeoutError(r.executionCount(), " and did not stop (a loop that never checks for "
                            + "interruption); the rest of the notebook was not run");
                    abandoned = true;
                } else if (error != null && timedOut.get() && error.ename().equals("Interrupted")) {
                    error = timeoutError(r.executionCount(), " and was interrupted");
                }
                if (r.hasResult()) collector.result(r.executionCount(), r.display());
                if (error != null) collector.error(error);
                cell.put("outputs", collector.finishCell());
                cell.put("execution_count", Json.Num.of(r.executionCount()));
                double seconds = (System.nanoTime() - t0) / 1e9;
                progress.printf(Locale.ROOT, "  [%d/%d] %6.2fs  %s%s%n", ran, codeCells, seconds, firstLine(source),
                        error == null ? "" : "  FAILED: " + error.ename());
                if (error != null) {
                    failures.add(error);
                    progress.println(indent(error.plainText()));
                    if (!allowErrors || abandoned) stopped = true;
                }
                progress.flush();
            }
        } finally {
            timer.shutdownNow();
        }
        return new Result(ran, List.copyOf(failures), (System.nanoTime() - start) / 1e9);
    }

    /** Marks a cell that outlived its timeout by {@link #GRACE_SECONDS} even after the interrupt. */
    private static final CellResult ABANDONED = new CellResult(0, null, null, null);
    /** Seconds a cell may run past its timeout after the interrupt before the run gives up on it. */
    public static final double GRACE_SECONDS = 5;

    /**
     * Runs a cell; with a timeout, on its own thread, so that a cell no interrupt can stop (a precompiled loop
     * that never polls) cannot hang the run: after the grace period it is abandoned, and the process exit that
     * follows a run ends it.
     */
    private CellResult execute(Engine engine, String source, OutputCollector collector) {
        if (timeoutSeconds <= 0) return engine.execute(source, collector);
        var result = new CompletableFuture<CellResult>();
        Thread t = new Thread(() -> {
            try {
                result.complete(engine.execute(source, collector));
            } catch (Throwable e) {
                result.completeExceptionally(e);
            }
        }, "callisto-cell");
        t.setDaemon(true);
        t.start();
        try {
            return result.get((long) ((timeoutSeconds + GRACE_SECONDS) * 1000), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            return ABANDONED;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            engine.interrupt();
            return ABANDONED;
        } catch (ExecutionException e) {
            throw new IllegalStateException("the engine failed running a cell", e.getCause());
        }
    }

    private CellError timeoutError(int count, String what) {
        String msg = String.format(Locale.ROOT, "Cell In[%d] ran longer than the %s s timeout%s",
                count, timeoutSeconds == Math.rint(timeoutSeconds) ? Long.toString((long) timeoutSeconds) : Double.toString(timeoutSeconds), what);
        return new CellError("CellTimeoutError", msg, List.of("\u001B[1;31mCellTimeoutError\u001B[0m: " + msg));
    }

    private static Map<String, String> declared(Engine engine) {
        return engine.jshell().variables().collect(Collectors.toMap(v -> v.name(), v -> v.typeName(), (a, b) -> b));
    }

    /**
     * Papermill's layout: an earlier injected cell is replaced; the new one goes right after the cell tagged
     * {@code parameters}, or first when there is none. Nothing is injected without {@code -p} values.
     */
    private void injectParameterCell(Notebook nb) {
        List<Map<String, Object>> cells = nb.cells();
        cells.removeIf(c -> Notebook.tags(c).contains(INJECTED_TAG));
        if (parameters.isEmpty()) return;
        int at = 0;
        for (int i = 0; i < cells.size(); i++) {
            if (Notebook.tags(cells.get(i)).contains(PARAMETERS_TAG)) {
                at = i + 1;
                break;
            }
        }
        var cell = new LinkedHashMap<String, Object>();
        cell.put("cell_type", "code");
        cell.put("execution_count", null);
        if (nb.minor() >= 5) cell.put("id", INJECTED_TAG);
        var metadata = new LinkedHashMap<String, Object>();
        metadata.put("tags", new ArrayList<Object>(List.of(INJECTED_TAG)));
        cell.put("metadata", metadata);
        cell.put("outputs", new ArrayList<>());
        cell.put("source", new ArrayList<>());
        cells.add(at, cell);
    }

    private static String firstLine(String source) {
        for (String line : source.split("\n")) {
            String t = line.strip();
            if (!t.isEmpty() && !t.startsWith("//")) return t.length() > 60 ? t.substring(0, 57) + "..." : t;
        }
        return "(empty)";
    }

    private static String indent(String text) {
        return text.lines().map(l -> "      " + l).collect(Collectors.joining("\n"));
    }
}
