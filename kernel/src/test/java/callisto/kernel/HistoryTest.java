package callisto.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The history a kernel keeps across sessions, and what history_request's three kinds return. */
class HistoryTest {
    @TempDir
    Path dir;

    @Test
    void sessionsFollowEachOtherAndSurviveARestart() throws Exception {
        Path file = dir.resolve("sub/history.jsonl");
        var log = new ByteArrayOutputStream();
        var first = new History(file, new PrintStream(log, true, StandardCharsets.UTF_8));
        assertEquals(1, first.session());
        first.add(1, "int x = 1;", null);
        first.add(2, "x + 1", "2");
        Files.writeString(file, "not json\n", java.nio.file.StandardOpenOption.APPEND); // a damaged line
        var second = new History(file, new PrintStream(log, true, StandardCharsets.UTF_8));
        assertEquals(2, second.session());
        assertTrue(log.toString(StandardCharsets.UTF_8).contains("line 3 of the history is not an entry, skipped"), log.toString());
        second.add(1, "x * 10", "10");
        second.add(2, "\"multi\nline\"", "multi\nline");

        assertEquals(List.of(new History.Entry(1, 2, "x + 1", "2"), new History.Entry(2, 1, "x * 10", "10")),
                second.tail(3).subList(0, 2));
        assertEquals(List.of(new History.Entry(1, 1, "int x = 1;", null), new History.Entry(1, 2, "x + 1", "2")),
                second.range(-1, 1, 0), "session -1 is the one before this");
        assertEquals(List.of(new History.Entry(2, 1, "x * 10", "10")), second.range(0, 1, 2));
        assertEquals(List.of("x + 1", "x * 10"), second.search("x ? 1*", 0, false).stream().map(History.Entry::input).toList());
        assertEquals(1, second.search("x*", 1, false).size(), "n keeps the newest");
        assertEquals("\"multi\nline\"", second.search("*multi*", 0, false).getFirst().input(), "code with newlines round-trips");
        second.add(3, "x * 10", "10");
        assertEquals(3, second.search("x ?*", 0, false).size());
        assertEquals(List.of("x + 1", "x * 10"), second.search("x ?*", 0, true).stream().map(History.Entry::input).toList(),
                "unique keeps each code once");
    }
}
