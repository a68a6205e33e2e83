package callisto.display;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class LiveTest {
    private static final long MS = 1_000_000L;

    private final List<String> shown = new ArrayList<>();
    private DisplayPublisher previous;
    private long now;
    private final LongSupplier clock = () -> now;
    private int value;

    @BeforeEach
    void notebook() {
        previous = Display.setPublisher(new DisplayPublisher() {
            @Override
            public void display(DisplayData data, String id) {
                shown.add("display " + data.plainText());
            }

            @Override
            public void update(DisplayData data, String id) {
                shown.add("update " + data.plainText());
            }
        });
    }

    @AfterEach
    void restore() {
        Display.setPublisher(previous);
    }

    @Test
    void redrawsAtMostOncePerIntervalAndDrawsTheLastStateOnClose() {
        var live = new Live(() -> "v" + value, 500 * MS, clock, false);
        assertEquals(List.of(), shown, "nothing shows before the first refresh");
        live.refresh();
        value = 1;
        live.refresh(); // at once after the first show: throttled
        now = 400 * MS;
        value = 2;
        live.refresh();
        assertEquals(List.of("display v0"), shown);
        now = 600 * MS;
        value = 3;
        live.refresh();
        value = 4;
        live.refresh(); // throttled, so close() draws it
        live.close();
        live.close();
        live.refresh();
        assertEquals(List.of("display v0", "update v3", "update v4"), shown);
        assertEquals(3, live.draws());
    }

    @Test
    void closeWithoutChangesDrawsNothingMore() {
        var live = new Live(() -> "same", 0, clock, false);
        live.refreshNow();
        live.close();
        assertEquals(List.of("display same"), shown);
    }

    @Test
    void aSlowViewIsRedrawnLessOften() {
        // drawing takes 200 ms of (fake) time: redraws wait ten times that, not just the 100 ms interval
        var live = new Live(() -> {
            now += 200 * MS;
            return "t" + now / MS;
        }, 100 * MS, clock, false);
        live.refresh();
        now += 1500 * MS;
        live.refresh();
        assertEquals(1, live.draws());
        now += 600 * MS;
        live.refresh();
        assertEquals(2, live.draws());
        assertEquals(List.of("display t200", "update t2500"), shown);
    }

    @Test
    void refreshNowIgnoresTheInterval() {
        var live = new Live(() -> "x", 500 * MS, clock, false);
        live.refresh();
        live.refreshNow();
        assertEquals(2, live.draws());
    }

    @Test
    void inATerminalOnlyTheFinalStateShows() {
        var live = new Live(() -> "v" + value, 0, clock, true);
        value = 1;
        live.refresh();
        value = 2;
        live.refresh();
        live.close();
        assertEquals(List.of("display v2"), shown);
    }

    @Test
    void aNegativeIntervalIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new Live(() -> "x", -1, clock, false));
    }
}
