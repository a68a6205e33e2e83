package callisto.kernel;

import callisto.notebook.Json;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The cells this user's kernels ran, kept across sessions as IPython keeps them: one JSON object per line
 * ({@code session}, {@code line}, {@code input}, {@code output}) in {@code callisto/history.jsonl} under the
 * Jupyter data dir. Each kernel is a new session (one more than the highest in the file); lines are appended
 * as cells run, so kernels that run at once interleave without losing any. A line that does not parse is
 * skipped with a warning, never fatal.
 */
public final class History {
    /** One cell: its session and execution count, the code, and its result's text (null when none). */
    public record Entry(int session, int line, String input, String output) {
    }

    private final Path file;
    private final PrintStream log;
    private final List<Entry> entries = new ArrayList<>();
    private final int session;

    public History(Path file, PrintStream log) {
        this.file = file;
        this.log = log;
        int max = 0;
        if (Files.exists(file)) {
            try {
                int n = 0;
                for (String text : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                    n++;
                    if (text.isBlank()) continue;
                    try {
                        var m = (Map<?, ?>) Json.parse(text);
                        var e = new Entry(number(m.get("session")), number(m.get("line")), (String) m.get("input"), (String) m.get("output"));
                        if (e.input == null) throw new ClassCastException("no input");
                        entries.add(e);
                        max = Math.max(max, e.session);
                    } catch (Json.SyntaxError | ClassCastException | NumberFormatException ex) {
                        log.println("callisto kernel: " + file + ": line " + n + " of the history is not an entry, skipped (" + ex.getMessage() + ")");
                    }
                }
            } catch (IOException e) {
                log.println("callisto kernel: cannot read the history " + file + ": " + e.getMessage());
            }
        }
        session = max + 1;
    }

    /** The history file of this user. */
    public static Path defaultFile() {
        return JupyterPaths.dataDir().resolve("callisto/history.jsonl");
    }

    private static int number(Object o) {
        if (o instanceof Json.Num n) return Integer.parseInt(n.text());
        throw new ClassCastException("not a number: " + o);
    }

    /** This kernel's session number. */
    public int session() {
        return session;
    }

    /** Records cell {@code line} of this session; a failure to write is logged and the kernel goes on. */
    public synchronized void add(int line, String input, String output) {
        var e = new Entry(session, line, input, output);
        entries.add(e);
        var m = new LinkedHashMap<String, Object>();
        m.put("session", Json.Num.of(session));
        m.put("line", Json.Num.of(line));
        m.put("input", input);
        m.put("output", output);
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, Json.writeCompact(m) + "\n", StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException ex) {
            log.println("callisto kernel: cannot append to the history " + file + ": " + ex.getMessage());
        }
    }

    /** The last {@code n} cells, oldest first. */
    public synchronized List<Entry> tail(int n) {
        return List.copyOf(entries.subList(Math.max(0, entries.size() - Math.max(0, n)), entries.size()));
    }

    /**
     * Cells {@code start <= line < stop} of a session: 0 is this one, a negative number counts back from it
     * (IPython's convention); {@code stop <= 0} means to the end.
     */
    public synchronized List<Entry> range(int session, int start, int stop) {
        int s = session <= 0 ? this.session + session : session;
        return entries.stream().filter(e -> e.session == s && e.line >= start && (stop <= 0 || e.line < stop)).toList();
    }

    /**
     * Cells whose code matches a glob ({@code *} any text, {@code ?} one character), newest {@code n} of them
     * ({@code n <= 0}: all), each code once when {@code unique}; oldest first.
     */
    public synchronized List<Entry> search(String glob, int n, boolean unique) {
        var regex = new StringBuilder();
        for (char c : glob.toCharArray()) regex.append(c == '*' ? ".*" : c == '?' ? "." : Pattern.quote(String.valueOf(c)));
        Pattern p = Pattern.compile(regex.toString(), Pattern.DOTALL);
        var hits = new ArrayList<Entry>();
        var seen = new LinkedHashSet<String>();
        for (int i = entries.size() - 1; i >= 0 && (n <= 0 || hits.size() < n); i--) {
            Entry e = entries.get(i);
            if (p.matcher(e.input).matches() && (!unique || seen.add(e.input))) hits.add(e);
        }
        return hits.reversed();
    }
}
