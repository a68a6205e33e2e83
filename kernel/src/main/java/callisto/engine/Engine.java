package callisto.engine;

import callisto.display.Display;
import callisto.display.DisplayData;
import callisto.runtime.Cancellation;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CancellationException;
import jdk.jshell.Diag;
import jdk.jshell.EvalException;
import jdk.jshell.ExpressionSnippet;
import jdk.jshell.JShell;
import jdk.jshell.JShellException;
import jdk.jshell.Snippet;
import jdk.jshell.SnippetEvent;
import jdk.jshell.SourceCodeAnalysis;
import jdk.jshell.UnresolvedReferenceException;

/**
 * The evaluation engine behind the Jupyter kernel, {@code callisto run} and {@code callisto shell}: a JShell
 * session running in this JVM, with the stdlib on its classpath and its imports preloaded.
 *
 * <p>{@link #execute} runs one cell: it splits the cell into snippets, evaluates them in order, sends output to
 * the given sink as it happens, and returns the last expression's value as the real object. Errors are reported
 * at cell lines. {@link #interrupt} stops the running cell from another thread. One cell runs at a time.
 */
public final class Engine implements AutoCloseable {
    /** Version of the preloaded startup script; bump it when the script changes meaning. */
    public static final int STARTUP_VERSION = 4;
    private static final String STARTUP = "/callisto/engine/startup-v" + STARTUP_VERSION + ".jsh";

    private final OutputRouter router = OutputRouter.install();
    private final CallistoExecutionControl control;
    private final JShell jshell;
    private final SourceCodeAnalysis analysis;
    private final Map<String, Origin> origins = new ConcurrentHashMap<>();
    private final Map<String, RegisteredMagic> magics = new TreeMap<>();
    private final Object running = new Object();
    /** Guards the start and end of a cell against {@link #interrupt()}. */
    private final Object stopping = new Object();
    private volatile int executionCount;
    private volatile int runningCell;
    private volatile Cancellation.Token token;
    private volatile boolean interruptRequested;

    private record RegisteredMagic(String summary, Magic magic) {
    }

    /** Where a snippet's source sits: the cell's label and text, and the offset of the snippet in it. */
    private record Origin(String label, String cell, int offset) {
    }

    /** Entries added by %classpath, in order, each once. */
    private final List<String> addedClasspath = new java.util.concurrent.CopyOnWriteArrayList<>();
    /** Variables %env set for the commands %%shell starts (a JVM cannot change its own environment). */
    final Map<String, String> shellEnvironment = new ConcurrentHashMap<>();

    private Engine(List<String> classpath) {
        control = new CallistoExecutionControl(Engine.class.getClassLoader(), false);
        var builder = JShell.builder()
                .executionEngine(new FixedProvider(control), Map.of())
                .out(router.originalOut())
                .err(router.originalErr())
                .compilerOptions(compilerOptions().toArray(String[]::new));
        jshell = builder.build();
        for (String entry : classpath) {
            if (!entry.isBlank()) jshell.addToClasspath(entry);
        }
        analysis = jshell.sourceCodeAnalysis();
        BuiltinMagics.register(this);
        String startup = readStartup();
        CellError error = runCell("startup", startup, OutputSink.NONE).error;
        if (error != null) {
            jshell.close();
            throw new IllegalStateException("Callisto startup script failed:\n" + error.plainText());
        }
    }

    /** An engine whose classpath is this JVM's. */
    public static Engine start() {
        return start(List.of());
    }

    private static volatile java.util.concurrent.CompletableFuture<Engine> prestarted;

    /**
     * Starts an engine in the background (JShell and javac warm up while the caller parses arguments and reads
     * files); the next {@link #startPrestarted()} takes it. The CLI calls this first thing, for the commands that run cells.
     */
    public static synchronized void prestart() {
        if (prestarted == null) prestarted = java.util.concurrent.CompletableFuture.supplyAsync(Engine::start,
                r -> Thread.ofPlatform().daemon().name("callisto-prestart").start(r));
    }

    /** The engine {@link #prestart()} began, the first time; a new one every later time. */
    public static Engine startPrestarted() {
        try {
            return takePrestarted().join();
        } catch (java.util.concurrent.CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) throw r;
            if (e.getCause() instanceof Error err) throw err;
            throw e;
        }
    }

    /**
     * Like {@link #startPrestarted()}, without waiting: the kernel answers kernel_info while JShell starts. A
     * failed start completes the future exceptionally.
     */
    public static java.util.concurrent.CompletableFuture<Engine> takePrestarted() {
        java.util.concurrent.CompletableFuture<Engine> f;
        synchronized (Engine.class) {
            f = prestarted;
            prestarted = null;
        }
        if (f != null) return f;
        prestart();
        return takePrestarted();
    }

    /** An engine whose classpath is this JVM's plus {@code extraClasspath}. */
    public static Engine start(List<String> extraClasspath) {
        var cp = new ArrayList<>(List.of(System.getProperty("java.class.path", "").split(File.pathSeparator)));
        cp.addAll(extraClasspath);
        return new Engine(cp);
    }

    /** The JShell session, for completion, documentation and variables. */
    public JShell jshell() {
        return jshell;
    }

    /** How many cells have run. */
    public int executionCount() {
        return executionCount;
    }

    /** Adds a magic; its name is used as {@code %name} and {@code %%name}. */
    public synchronized void registerMagic(String name, String summary, Magic magic) {
        magics.put(name, new RegisteredMagic(summary, magic));
    }

    /** The registered magics, name to one-line summary. */
    public synchronized Map<String, String> magics() {
        var m = new TreeMap<String, String>();
        magics.forEach((k, v) -> m.put(k, v.summary()));
        return m;
    }

    /**
     * Runs one cell, sending its output to {@code sink} as it happens; returns when the cell ends (normally,
     * with an error, or interrupted).
     */
    public CellResult execute(String code, OutputSink sink) {
        return execute(code, sink, true);
    }

    /**
     * Runs one cell; with {@code count} false (Jupyter's silent or store_history=false requests) the execution
     * count stays as it was, and the cell is reported under the number the next counted cell will get.
     */
    public CellResult execute(String code, OutputSink sink, boolean count) {
        synchronized (running) {
            int n = executionCount + 1;
            if (count) executionCount = n;
            synchronized (stopping) {
                interruptRequested = false;
                runningCell = n;
            }
            try {
                var outcome = runCell("Cell In[" + n + "]", code, sink);
                return new CellResult(n, outcome.value, outcome.display, outcome.error);
            } finally {
                synchronized (stopping) {
                    runningCell = 0;
                }
            }
        }
    }

    /** Adds a jar or class directory to the session's classpath, once; later cells can import from it. */
    public synchronized boolean addToClasspath(String entry) {
        String abs = java.nio.file.Path.of(entry).toAbsolutePath().normalize().toString();
        if (addedClasspath.contains(abs)) return false;
        jshell.addToClasspath(abs);
        addedClasspath.add(abs);
        return true;
    }

    /** What %classpath added, in order. */
    public List<String> addedClasspath() {
        return List.copyOf(addedClasspath);
    }

    /** A variable of the session: its name, declared type, and value as JShell shows it. */
    public record Variable(String name, String type, String value) {
    }

    /** The session's active variables, in declaration order (Callisto's own temporaries left out). */
    public List<Variable> variables() {
        return jshell.variables()
                .filter(v -> jshell.status(v).isActive() && !v.name().startsWith("$"))
                .map(v -> new Variable(v.name(), v.typeName(), jshell.varValue(v)))
                .toList();
    }

    /** Whether a cell's text is ready to run, as a console asks before it sends the text. */
    public enum Completeness {
        /** Every snippet is complete (or the cell is empty, or a cell magic). */
        COMPLETE,
        /** The last snippet needs more lines: an open brace, an unfinished expression. */
        INCOMPLETE,
        /** No more lines would make it valid Java. */
        INVALID
    }

    /**
     * Whether {@code cell} is complete, by JShell's own analysis of each snippet (line magics skipped; a cell
     * magic's body is not Java, so such a cell is complete). Runs nothing; call it from the thread that runs cells.
     */
    public Completeness completeness(String cell) {
        ParsedCell parsed = ParsedCell.parse(cell);
        if (parsed.cellMagic() != null) return Completeness.COMPLETE;
        String rest = parsed.code();
        while (!rest.isBlank()) {
            SourceCodeAnalysis.CompletionInfo info = analysis.analyzeCompletion(rest);
            switch (info.completeness()) {
                case EMPTY -> {
                    return Completeness.COMPLETE;
                }
                case COMPLETE, COMPLETE_WITH_SEMI -> rest = info.remaining();
                case DEFINITELY_INCOMPLETE, CONSIDERED_INCOMPLETE -> {
                    return Completeness.INCOMPLETE;
                }
                case UNKNOWN -> {
                    return Completeness.INVALID;
                }
            }
        }
        return Completeness.COMPLETE;
    }

    /** Completions at a cursor: the replacement texts, and the span [start, end) of the cell they replace. */
    public record Completions(List<String> matches, int start, int end) {
    }

    /**
     * Completions for the cell at {@code cursor} (a char index): JShell's suggestions for the snippet the cursor
     * is in (those that fit the expected type first), or magic names after a {@code %} at a line's start. Runs
     * nothing; call it from the thread that runs cells.
     */
    public Completions complete(String cell, int cursor) {
        int lineStart = cell.lastIndexOf('\n', Math.max(0, cursor - 1)) + 1;
        String line = cell.substring(lineStart, cursor);
        if (line.startsWith("%") && line.chars().allMatch(c -> c == '%' || Character.isLetterOrDigit(c) || c == '_')) {
            String prefix = line.replaceFirst("^%+", "");
            String percent = line.substring(0, line.length() - prefix.length());
            List<String> names = magics().keySet().stream().filter(n -> n.startsWith(prefix)).map(n -> percent + n).toList();
            return new Completions(names, lineStart, cursor);
        }
        int[] span = snippetAround(cell, cursor);
        String snippet = cell.substring(span[0], span[1]);
        int[] anchor = new int[1];
        var seen = new java.util.LinkedHashSet<String>();
        var suggestions = analysis.completionSuggestions(snippet, cursor - span[0], anchor);
        suggestions.stream().filter(SourceCodeAnalysis.Suggestion::matchesType).forEach(x -> seen.add(x.continuation()));
        suggestions.forEach(x -> seen.add(x.continuation()));
        return new Completions(List.copyOf(seen), span[0] + anchor[0], cursor);
    }

    /**
     * Signature and Javadoc of what the cursor is on (inside or at the end of a name), as plain text; empty when
     * JShell knows nothing. JShell documents a method only once a {@code (} follows its name, so a bare name is
     * asked about again as a call.
     */
    public Optional<String> inspect(String cell, int cursor, boolean detailed) {
        int end = cursor;
        while (end < cell.length() && Character.isJavaIdentifierPart(cell.charAt(end))) end++;
        int[] span = snippetAround(cell, end);
        String snippet = cell.substring(span[0], span[1]);
        int at = end - span[0];
        var docs = analysis.documentation(snippet, at, true);
        if (docs.isEmpty()) docs = analysis.documentation(snippet.substring(0, at) + "(", at + 1, true);
        if (docs.isEmpty()) return Optional.empty();
        var sb = new StringBuilder();
        for (var d : docs) {
            if (!sb.isEmpty()) sb.append("\n\n");
            sb.append(d.signature());
            String javadoc = d.javadoc();
            if (javadoc != null && !javadoc.isBlank()) {
                String text = javadoc.strip();
                if (!detailed) { // the summary: up to the first blank line or block tag
                    int cut = text.length();
                    for (String stop : new String[] {"\n\n", "\n@"}) {
                        int i = text.indexOf(stop);
                        if (i >= 0) cut = Math.min(cut, i);
                    }
                    text = text.substring(0, cut);
                }
                sb.append("\n").append(text);
            }
        }
        return Optional.of(sb.toString());
    }

    /** The [start, end) of the snippet of {@code cell} that holds {@code cursor}, by JShell's own splitting. */
    private int[] snippetAround(String cell, int cursor) {
        String code = ParsedCell.parse(cell).code(); // magics blanked with spaces: offsets unchanged
        int start = 0;
        while (start < code.length()) {
            var info = analysis.analyzeCompletion(code.substring(start));
            if (info.completeness() == SourceCodeAnalysis.Completeness.EMPTY) break;
            int end = code.length() - info.remaining().length();
            boolean complete = info.completeness() == SourceCodeAnalysis.Completeness.COMPLETE
                    || info.completeness() == SourceCodeAnalysis.Completeness.COMPLETE_WITH_SEMI;
            if (!complete || end >= cursor || end <= start) return new int[] {start, Math.max(cursor, complete ? end : code.length())};
            start = end;
        }
        return new int[] {Math.min(start, cursor), cursor};
    }

    /**
     * Stops the running cell: snippet loops stop at their next branch, blocked threads are interrupted, and
     * library loops see {@link Cancellation#check()} fail. The cell ends with error {@code Interrupted}.
     * Does nothing when no cell runs.
     */
    public void interrupt() {
        synchronized (stopping) { // an interrupt that arrives as its cell ends must not stop the next one
            if (runningCell == 0) return;
            interruptRequested = true;
            Cancellation.Token t = token;
            if (t != null) t.cancel();
            jshell.stop();
        }
    }

    /**
     * Interrupts cell {@code executionCount} if it is the one running now, and does nothing otherwise: a timer
     * that fires as its cell ends must not hit the next one.
     */
    public void interrupt(int executionCount) {
        synchronized (stopping) {
            if (runningCell == executionCount) interrupt();
        }
    }

    /**
     * Runs {@code task} between cells (a comm handler the frontend triggered) with the session's output and
     * displays going to {@code sink}. The caller is the thread that runs cells, so no cell runs meanwhile.
     */
    public void runOutsideCell(OutputSink sink, Runnable task) {
        var route = router.enter(sink);
        try {
            task.run();
        } finally {
            router.leave(route);
        }
    }

    @Override
    public void close() {
        jshell.close();
    }

    /** The cell being run, as magics see it. */
    public final class Cell {
        private final String label;
        private final String text;
        private final OutputSink sink;
        private Outcome last = new Outcome(null, null, null);

        private Cell(String label, String text, OutputSink sink) {
            this.label = label;
            this.text = text;
            this.sink = sink;
        }

        /** Where the cell's output goes. */
        public OutputSink sink() {
            return sink;
        }

        /** The engine running the cell. */
        public Engine engine() {
            return Engine.this;
        }

        /**
         * Runs Java code in this cell; {@code offset} is where the code starts in the cell's text, for error
         * positions. Returns the error that ended it, or null; the last value becomes the cell's result.
         */
        public CellError runJava(String code, int offset) {
            last = runSnippets(this, code, offset);
            return last.error;
        }

        String label() {
            return label;
        }

        String text() {
            return text;
        }
    }

    private record Outcome(Object value, DisplayData display, CellError error) {
    }

    private Outcome runCell(String label, String code, OutputSink sink) {
        var route = router.enter(sink);
        var t = new Cancellation.Token();
        if (interruptRequested) t.cancel();
        token = t;
        Cancellation.bind(t);
        var cell = new Cell(label, code, sink);
        try {
            ParsedCell parsed = ParsedCell.parse(code);
            for (var call : parsed.lineMagics()) {
                CellError e = runMagic(call, cell);
                if (e != null) return new Outcome(null, null, e);
            }
            if (parsed.cellMagic() != null) {
                CellError e = runMagic(parsed.cellMagic(), cell);
                return e != null ? new Outcome(null, null, e) : cell.last;
            }
            // a cell of line magics only (%time 1 + 1) shows what the last magic ran
            if (parsed.code().isBlank() && !parsed.lineMagics().isEmpty()) return cell.last;
            return runSnippets(cell, parsed.code(), 0);
        } finally {
            router.leave(route);
        }
    }

    private CellError runMagic(ParsedCell.MagicCall call, Cell cell) {
        RegisteredMagic m;
        synchronized (this) {
            m = magics.get(call.name());
        }
        String kind = call.body() == null ? "%" : "%%";
        if (m == null) {
            String known = magics().keySet().stream().map(k -> "%" + k).reduce((a, b) -> a + ", " + b).orElse("none");
            return Tracebacks.simple("UnknownMagic",
                    "unknown magic " + kind + call.name() + " at " + cell.label() + ", line " + call.line()
                            + "; known magics: " + known);
        }
        try {
            m.magic().run(call.args(), call.body(), cell);
            return null;
        } catch (BuiltinMagics.MagicFailure f) {
            return f.error;
        } catch (Exception e) {
            if (interruptRequested) return Tracebacks.interrupted(null);
            return Tracebacks.simple("MagicError", kind + call.name() + ": " + e.getMessage());
        }
    }

    private Outcome runSnippets(Cell cell, String code, int base) {
        Object value = null;
        boolean hasValue = false;
        int pos = 0;
        while (true) {
            while (pos < code.length() && Character.isWhitespace(code.charAt(pos))) pos++;
            if (pos >= code.length()) break;
            String rest = code.substring(pos);
            SourceCodeAnalysis.CompletionInfo info = analysis.analyzeCompletion(rest);
            String source;
            int consumed;
            switch (info.completeness()) {
                case EMPTY -> {
                    pos = code.length();
                    continue;
                }
                case COMPLETE, COMPLETE_WITH_SEMI, UNKNOWN -> {
                    source = info.source();
                    consumed = rest.length() - info.remaining().length();
                }
                default -> { // incomplete at the end of the cell: evaluate it to get the compiler's message
                    source = rest;
                    consumed = rest.length();
                }
            }
            if (source == null || source.isBlank()) {
                source = rest;
                consumed = rest.length();
            }
            int offset = base + pos;
            // As in IPython, an expression the user ended with ';' shows no result: display(x); is a statement.
            boolean terminated = lastSignificantChar(rest, consumed) == ';';
            pos += consumed;

            control.resetLast();
            if (interruptRequested) return new Outcome(null, null, Tracebacks.interrupted(null));
            hasValue = false;
            value = null;
            boolean last = code.substring(pos).isBlank();
            if (last && !terminated && mayBeExpression(source)) {
                // JShell compiles a bare expression twice (once to learn its type); as the initializer of one
                // reused Object variable it compiles once, which halves a trivial cell. Whatever does not
                // compile that way (a void call, a declaration) is evaluated as written below.
                String end = lastSignificantChar(source, source.length()) == ';' ? "" : "\n;";
                List<SnippetEvent> wrapped = jshell.eval("Object " + RESULT_VAR + " = " + source + end);
                SnippetEvent main = wrapped.stream().filter(e -> e.causeSnippet() == null).findFirst().orElse(null);
                if (main != null && main.status() != Snippet.Status.REJECTED) {
                    origins.put(main.snippet().id(), new Origin(cell.label(), cell.text(), offset));
                    CellError error = errorOf(main, cell, offset);
                    if (error != null) return new Outcome(null, null, error);
                    hasValue = true;
                    value = control.lastValue();
                    continue;
                }
                control.resetLast();
            }
            List<SnippetEvent> events = jshell.eval(source);
            for (SnippetEvent ev : events) {
                if (ev.causeSnippet() != null) continue;
                Snippet s = ev.snippet();
                origins.put(s.id(), new Origin(cell.label(), cell.text(), offset));
                CellError error = errorOf(ev, cell, offset);
                if (error != null) return new Outcome(null, null, error);
                noteUnresolved(ev, cell);
                if (isResult(s) && !terminated) {
                    hasValue = true;
                    value = control.lastValue();
                }
                // Every active declaration is imported into each later snippet's wrapper, so JShell's $N
                // temporaries would make every cell slower than the last; the value is already in hand.
                if (s.subKind() == Snippet.SubKind.TEMP_VAR_EXPRESSION_SUBKIND) jshell.drop(s);
            }
        }
        // display(x) returns its handle; showing that as the result would only repeat the output, with a new
        // random id on every run (IPython shows nothing for None, the same idea).
        if (!hasValue || value instanceof callisto.display.DisplayHandle) return new Outcome(null, null, null);
        try {
            return new Outcome(value, Display.render(value), null);
        } catch (RuntimeException | LinkageError e) {
            return new Outcome(value, null, Tracebacks.simple("RenderError",
                    "could not render the cell's value (" + value.getClass().getName() + "): " + e));
        }
    }

    private static final String RESULT_VAR = "$callisto$result";
    private static final java.util.regex.Pattern NOT_AN_EXPRESSION = java.util.regex.Pattern.compile(
            "(?s)\\s*(@|(import|class|interface|enum|record|if|for|while|do|try|switch|return|throw|break|continue"
                    + "|synchronized|assert|var|final|public|private|protected|static|abstract|sealed|non-sealed|default"
                    + "|void|yield)\\b"
                    // Type name = ..., Type name (a declaration), and name = ... (an assignment shows no result)
                    + "|[\\w$.]+(\\s*<[^=;]*>)?(\\s*\\[\\s*])*\\s+[\\w$]+\\s*(=|;|$)"
                    + "|[\\w$.\\[\\]]+\\s*([-+*/%&|^]|<<|>>>?)?=[^=]).*");

    /** A cheap guess: false for what is surely a declaration, statement or assignment. */
    static boolean mayBeExpression(String source) {
        String s = source.strip();
        return !s.endsWith("}") && !s.endsWith("};") && !NOT_AN_EXPRESSION.matcher(s).matches();
    }

    /** The last character of {@code text[0, end)} outside comments and whitespace, or 0. */
    static char lastSignificantChar(String text, int end) {
        char last = 0;
        for (int i = 0; i < end; i++) {
            char c = text.charAt(i);
            char next = i + 1 < end ? text.charAt(i + 1) : 0;
            if (c == '/' && next == '/') {
                while (i < end && text.charAt(i) != '\n') i++;
            } else if (c == '/' && next == '*') {
                i += 2;
                while (i + 1 < end && !(text.charAt(i) == '*' && text.charAt(i + 1) == '/')) i++;
                i++;
            } else if (c == '"' || c == '\'') {
                boolean block = c == '"' && text.startsWith("\"\"\"", i);
                i += block ? 3 : 1;
                while (i < end) {
                    char d = text.charAt(i);
                    if (d == '\\') {
                        i += 2;
                        continue;
                    }
                    if (block ? text.startsWith("\"\"\"", i) : d == c || d == '\n') break;
                    i++;
                }
                if (block) i += 2;
                last = c;
            } else if (!Character.isWhitespace(c)) {
                last = c;
            }
        }
        return last;
    }

    private static boolean isResult(Snippet s) {
        return switch (s.subKind()) {
            case TEMP_VAR_EXPRESSION_SUBKIND, VAR_VALUE_SUBKIND, OTHER_EXPRESSION_SUBKIND -> true;
            default -> false;
        } && !(s instanceof ExpressionSnippet e && e.typeName().equals("void"));
    }

    private CellError errorOf(SnippetEvent ev, Cell cell, int offset) {
        if (ev.status() == Snippet.Status.REJECTED) {
            List<Diag> diags = jshell.diagnostics(ev.snippet()).filter(Diag::isError).toList();
            return Tracebacks.compile(cell.label(), cell.text(), offset, diags);
        }
        Throwable thrown = control.lastThrown();
        if (interruptRequested) return Tracebacks.interrupted(frames(ev.exception()));
        if (thrown instanceof SnippetExit.ExitRequest exit) {
            return Tracebacks.simple("SystemExit", exit.getMessage(), frames(ev.exception()));
        }
        if (thrown instanceof CancellationException && thrown.getMessage() != null
                && thrown.getMessage().equals("Interrupted")) {
            return Tracebacks.interrupted(frames(ev.exception()));
        }
        JShellException ex = ev.exception();
        if (ex instanceof UnresolvedReferenceException u) {
            var names = jshell.unresolvedDependencies(u.getSnippet()).toList();
            return Tracebacks.simple("UnresolvedReference",
                    describe(u.getSnippet()) + " cannot be used until " + String.join(", ", names) + " is defined");
        }
        if (ex instanceof EvalException e) return Tracebacks.runtime(e, this::locate);
        return null;
    }

    private List<String> frames(JShellException ex) {
        return ex == null ? List.of() : Tracebacks.frameLines(ex.getStackTrace(), this::locate);
    }

    private void noteUnresolved(SnippetEvent ev, Cell cell) {
        if (ev.status() != Snippet.Status.RECOVERABLE_DEFINED && ev.status() != Snippet.Status.RECOVERABLE_NOT_DEFINED) {
            return;
        }
        if (!(ev.snippet() instanceof jdk.jshell.DeclarationSnippet d)) return;
        var names = jshell.unresolvedDependencies(d).toList();
        if (!names.isEmpty()) {
            cell.sink().stream("stderr", "note: " + describe(d) + " cannot be used until "
                    + String.join(", ", names) + " is defined\n");
        }
    }

    private static String describe(Snippet s) {
        return switch (s) {
            case jdk.jshell.MethodSnippet m -> "method " + m.name() + "(" + m.parameterTypes() + ")";
            case jdk.jshell.TypeDeclSnippet t -> "type " + t.name();
            case jdk.jshell.VarSnippet v -> "variable " + v.name();
            default -> "snippet " + s.source().strip();
        };
    }

    /** Maps a snippet frame to "Cell In[n], line L" and the source line, or null for a frame of library code. */
    private Tracebacks.Location locate(StackTraceElement frame) {
        String file = frame.getFileName();
        if (file == null || !file.startsWith("#")) return null;
        Origin o = origins.get(file.substring(1));
        if (o == null) return null;
        int line = Tracebacks.lineOf(o.cell(), o.offset()) + Math.max(frame.getLineNumber(), 1) - 1;
        return new Tracebacks.Location(o.label(), line, Tracebacks.sourceLine(o.cell(), line));
    }

    /** The javac flags snippets compile with: this JVM's module flags, so the same APIs resolve. */
    public static List<String> compilerOptions() {
        var options = new ArrayList<String>();
        List<String> args = ManagementFactory.getRuntimeMXBean().getInputArguments();
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (a.startsWith("--add-modules=") || a.equals("--enable-preview")) {
                options.add(a);
            } else if (a.equals("--add-modules") && i + 1 < args.size()) {
                options.add("--add-modules=" + args.get(++i));
            }
        }
        options.add("-Xlint:-incubating");
        return options;
    }

    /** The preloaded startup script (imports), as JShell source. */
    public static String startupScript() {
        return readStartup();
    }

    private static String readStartup() {
        try (InputStream in = Engine.class.getResourceAsStream(STARTUP)) {
            if (in == null) throw new IllegalStateException("missing resource " + STARTUP);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Hands JShell the execution control this engine keeps a reference to. */
    private record FixedProvider(CallistoExecutionControl control) implements jdk.jshell.spi.ExecutionControlProvider {
        @Override
        public String name() {
            return "callisto-engine";
        }

        @Override
        public jdk.jshell.spi.ExecutionControl generate(jdk.jshell.spi.ExecutionEnv env, Map<String, String> params) {
            return control;
        }
    }
}
