package callisto.display;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import callisto.runtime.Cancellation;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ProgressTest {
    private static final long MS = 1_000_000L;

    /** The outputs a notebook would show, as "display|update id text/plain". */
    private final List<String> shown = new ArrayList<>();
    private final List<String> html = new ArrayList<>();
    private DisplayPublisher previous;
    private long now;
    private final LongSupplier clock = () -> now;

    @BeforeEach
    void notebook() {
        previous = Display.setPublisher(new DisplayPublisher() {
            @Override
            public void display(DisplayData data, String id) {
                shown.add("display " + id + " " + data.plainText());
                html.add(data.data().get(DisplayData.HTML));
            }

            @Override
            public void update(DisplayData data, String id) {
                shown.add("update " + id + " " + data.plainText());
                html.add(data.data().get(DisplayData.HTML));
            }
        });
    }

    @AfterEach
    void restore() {
        Display.setPublisher(previous);
        Cancellation.bind(null);
    }

    @Test
    void textBarShowsFractionCountElapsedTimeLeftRateAndValues() {
        var bar = new Progress(100, "train", clock, false);
        now = 3000 * MS;
        bar.step(45).set("loss", 0.123456).set("epoch", 2);
        // 45% of 24 columns is 10.8: ten full blocks and a six-eighths block; 15 it/s leaves 55 steps, 3.7 s
        assertEquals("train  45%|██████████▊             | 45/100 [00:03<00:04, 15.0 it/s, loss=0.1235, epoch=2]", bar.toString());
        now = 100_000 * MS;
        bar.step(55);
        assertEquals("train 100%|████████████████████████| 100/100 [01:40<00:00, 1.00 it/s, loss=0.1235, epoch=2]", bar.toString());
    }

    @Test
    void unknownTotalCountsAndSlowStepsShowSecondsPerStep() {
        var bar = new Progress(-1, "", clock, false);
        now = 2000 * MS;
        bar.step(12);
        assertEquals("12 it [00:02, 6.00 it/s]", bar.toString());
        var slow = new Progress(10, "fit", clock, false);
        now += 7_384_000 * MS;
        slow.step(2);
        assertEquals("fit  20%|████▊                   | 2/10 [2:03:04<8:12:16, 3.69e+03 s/it]", slow.toString());
    }

    @Test
    void notebookOutputUpdatesInPlaceThrottledAndShowsTheFinalState() {
        var bar = new Progress(10, "<b>x</b>", clock, false);
        for (int i = 0; i < 5; i++) bar.step(); // same instant: no redraw
        assertEquals(1, shown.size());
        now = 150 * MS;
        bar.step();
        now = 200 * MS;
        bar.step(); // 50 ms after the last redraw: none
        assertEquals(2, shown.size());
        now = 300 * MS;
        bar.step(3);
        bar.close();
        bar.close();
        String id = shown.get(0).split(" ")[1];
        assertEquals(List.of("display", "update", "update", "update"), shown.stream().map(s -> s.split(" ")[0]).toList());
        assertTrue(shown.stream().allMatch(s -> s.split(" ")[1].equals(id)), shown.toString());
        assertTrue(shown.get(1).contains(" 6/10 "), shown.get(1));
        assertTrue(shown.get(3).contains(" 10/10 "), shown.get(3));
        String last = html.get(3);
        assertTrue(last.startsWith("<div") && last.contains("&lt;b&gt;x&lt;/b&gt;"), last);
        assertTrue(last.contains("<progress value=\"10\" max=\"10\""), last);
    }

    @Test
    void rangeIteratesAndClosesTheBarAfterTheLastItem() {
        var seen = new ArrayList<Integer>();
        for (int i : Progress.range(3, "r")) seen.add(i);
        assertEquals(List.of(0, 1, 2), seen);
        assertTrue(shown.getLast().contains(" 3/3 "), shown.toString());
        var items = new ArrayList<String>();
        for (String s : Progress.over(List.of("a", "b"), "o")) items.add(s);
        assertEquals(List.of("a", "b"), items);
        assertTrue(shown.getLast().contains(" 2/2 "), shown.toString());
    }

    @Test
    void aStepAfterAnInterruptThrows() {
        var bar = new Progress(5, "", clock, false);
        var token = new Cancellation.Token();
        Cancellation.bind(token);
        bar.step();
        token.cancel();
        assertThrows(CancellationException.class, bar::step);
        assertEquals(1, bar.count());
    }

    @Test
    void terminalBarRedrawsOneLineOnStderr() {
        var err = new ByteArrayOutputStream();
        PrintStream old = System.err;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            var bar = new Progress(-1, "long label here", clock, true);
            now = 1000 * MS;
            bar.step(1000);
            bar.close();
        } finally {
            System.setErr(old);
        }
        String text = err.toString(StandardCharsets.UTF_8);
        String[] draws = text.split("\r", -1);
        assertEquals("", draws[0]);
        assertEquals(3, draws.length - 1, text); // first show, the step, the close
        assertTrue(draws[2].startsWith("long label here 1000 it [00:01, 1.00e+03 it/s]"), text);
        assertTrue(text.endsWith("\n"), "the closed bar leaves its line: " + text);
        assertTrue(shown.isEmpty(), "nothing goes to the notebook publisher: " + shown);
    }

    @Test
    void badSizesAreRefusedNamingTheValue() {
        var e = assertThrows(IllegalArgumentException.class, () -> Progress.bar(-5, "x"));
        assertTrue(e.getMessage().contains("-5"), e.getMessage());
        var bar = new Progress(3, "", clock, false);
        e = assertThrows(IllegalArgumentException.class, () -> bar.step(-1));
        assertTrue(e.getMessage().contains("-1"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Progress.range(-1, ""));
    }
}
