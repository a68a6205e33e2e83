package callisto.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import jdk.jshell.Diag;
import jdk.jshell.EvalException;

/** Formats compile errors and exceptions the way a notebook user reads them: at cell lines, engine frames cut. */
final class Tracebacks {
    private Tracebacks() {
    }

    /** A frame in cell code: its cell label, 1-based line, and that line's text. */
    record Location(String label, int line, String source) {
    }

    static CellError simple(String ename, String evalue) {
        return simple(ename, evalue, List.of());
    }

    static CellError simple(String ename, String evalue, List<String> frames) {
        var tb = new ArrayList<String>();
        tb.add(Ansi.red(ename) + ": " + evalue);
        tb.addAll(frames);
        return new CellError(ename, evalue, tb);
    }

    static CellError interrupted(List<String> frames) {
        return simple("Interrupted", "the cell was interrupted", frames == null ? List.of() : frames);
    }

    static CellError compile(String label, String cell, int offset, List<Diag> diags) {
        var tb = new ArrayList<String>();
        var messages = new ArrayList<String>();
        for (Diag d : diags) {
            // JShell's wrapper class has no name a user knows: drop javac's "location: class " line for it
            String message = d.getMessage(null).lines()
                    .filter(l -> !l.strip().matches("location: class\\s*(REPL\\.\\$JShell\\$\\w*)?"))
                    .collect(java.util.stream.Collectors.joining("\n"));
            messages.add(message);
            long start = d.getStartPosition(), end = d.getEndPosition(), at = d.getPosition();
            if (at < 0 && start < 0) {
                tb.add("  " + Ansi.green(label));
            } else {
                int s = offset + (int) (start >= 0 ? start : at);
                int e = offset + (int) Math.max(end, start >= 0 ? start + 1 : at + 1);
                int line = lineOf(cell, s);
                int lineStart = cell.lastIndexOf('\n', s - 1) + 1;
                int lineEnd = cell.indexOf('\n', s);
                if (lineEnd < 0) lineEnd = cell.length();
                String text = cell.substring(lineStart, lineEnd);
                int col = s - lineStart;
                int width = Math.max(1, Math.min(e, lineEnd) - s);
                tb.add("  " + Ansi.green(label) + ", " + Ansi.cyan("line " + line));
                tb.add("    " + text);
                tb.add("    " + " ".repeat(col) + Ansi.red("^".repeat(width)));
            }
            tb.add(Ansi.red("CompileError") + ": " + message);
        }
        if (diags.isEmpty()) {
            tb.add(Ansi.red("CompileError") + ": the code could not be compiled");
            messages.add("the code could not be compiled");
        }
        return new CellError("CompileError", String.join("; ", messages), tb);
    }

    static CellError runtime(EvalException e, Function<StackTraceElement, Location> locate) {
        var tb = new ArrayList<String>();
        String name = e.getExceptionClassName();
        String message = e.getMessage();
        tb.add(Ansi.red(name) + (message == null ? "" : ": " + message));
        tb.addAll(frameLines(e.getStackTrace(), locate));
        Throwable cause = e.getCause();
        for (int depth = 0; cause != null && depth < 20; depth++, cause = cause.getCause()) {
            String cname = cause instanceof EvalException ce ? ce.getExceptionClassName() : cause.getClass().getName();
            tb.add(Ansi.bold("Caused by: ") + Ansi.red(cname) + (cause.getMessage() == null ? "" : ": " + cause.getMessage()));
            tb.addAll(frameLines(cause.getStackTrace(), locate));
        }
        return new CellError(name, message == null ? "" : message, tb);
    }

    private static final int MAX_PERIOD = 8;
    private static final int MAX_FRAMES = 60;

    /**
     * One line per frame (two for cell frames: where, then the source); engine and reflection frames dropped,
     * recursion collapsed (a stack overflow shows its cycle once), and at most {@value #MAX_FRAMES} frames.
     */
    static List<String> frameLines(StackTraceElement[] frames, Function<StackTraceElement, Location> locate) {
        var kept = new ArrayList<StackTraceElement>();
        for (StackTraceElement f : frames) if (!isEngineFrame(f)) kept.add(f);
        var lines = new ArrayList<String>();
        int shown = 0;
        for (int i = 0; i < kept.size(); ) {
            if (shown == MAX_FRAMES) {
                lines.add("  ... " + (kept.size() - i) + " more frames");
                break;
            }
            int period = 0, repeats = 0;
            for (int p = 1; p <= MAX_PERIOD && period == 0; p++) {
                int r = 0;
                while (i + (r + 2) * p <= kept.size() && same(kept, i + r * p, i + (r + 1) * p, p)) r++;
                if (r >= 2) {
                    period = p;
                    repeats = r;
                }
            }
            int end = i + Math.max(period, 1);
            for (int k = i; k < end; k++) addFrame(lines, kept.get(k), locate);
            shown += end - i;
            if (period > 0) {
                lines.add("  ... the " + (period == 1 ? "frame above" : period + " frames above") + " repeated "
                        + repeats + " more times");
                i += (repeats + 1) * period;
            } else {
                i = end;
            }
        }
        return lines;
    }

    private static boolean same(List<StackTraceElement> frames, int a, int b, int length) {
        for (int k = 0; k < length; k++) if (!frames.get(a + k).equals(frames.get(b + k))) return false;
        return true;
    }

    private static void addFrame(List<String> lines, StackTraceElement f, Function<StackTraceElement, Location> locate) {
        Location at = locate.apply(f);
        if (at != null) {
            String method = f.getMethodName();
            String in = method.isEmpty() || method.equals("do_it$") ? "" : ", in " + method;
            lines.add("  " + Ansi.green(at.label()) + ", " + Ansi.cyan("line " + at.line()) + in);
            if (!at.source().isBlank()) lines.add("    " + at.source().strip());
        } else if (f.getFileName() == null || !f.getFileName().startsWith("#")) {
            lines.add("  at " + f);
        }
    }

    private static boolean isEngineFrame(StackTraceElement f) {
        String c = f.getClassName();
        return c.startsWith("jdk.jshell.") || c.startsWith("java.lang.reflect.") || c.startsWith("jdk.internal.reflect.")
                || c.startsWith("callisto.engine.") || c.startsWith("REPL.$Cancel$")
                || (c.equals("java.lang.Thread") && f.getMethodName().equals("run"));
    }

    /** The 1-based line of {@code offset} in {@code text}. */
    static int lineOf(String text, int offset) {
        int line = 1;
        for (int i = 0; i < Math.min(offset, text.length()); i++) if (text.charAt(i) == '\n') line++;
        return line;
    }

    /** The text of the 1-based {@code line}, or "" past the end. */
    static String sourceLine(String text, int line) {
        String[] lines = text.split("\n", -1);
        return line >= 1 && line <= lines.length ? lines[line - 1] : "";
    }
}
