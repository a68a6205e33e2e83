package callisto.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@Timeout(value = 120, unit = TimeUnit.SECONDS)
class InterruptTest {
    static Engine engine;

    @BeforeAll
    static void start() {
        engine = Engine.start();
    }

    @AfterAll
    static void stop() {
        engine.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "long n = 0;\nwhile (true) { n++; }",
        "Thread.sleep(60_000);",
        "callisto.engine.fixtures.Busy.spinChecking()",
        "callisto.engine.fixtures.Busy.spinUntilInterrupted()",
        "new Object() { void spin() { for (;;) { } } }.spin();",
    })
    void interruptEndsTheCellWithinTwoSeconds(String cell) throws Exception {
        var running = CompletableFuture.supplyAsync(() -> engine.execute(cell, new Recorder()));
        Thread.sleep(300);
        long start = System.nanoTime();
        engine.interrupt();
        CellResult r = running.get(5, TimeUnit.SECONDS);
        double seconds = (System.nanoTime() - start) / 1e9;
        assertEquals("Interrupted", r.error().ename(), () -> r.error().plainText());
        assertTrue(seconds < 2, "took " + seconds + " s");
        // the session is still usable, and the CPU is free again: no snippet thread is left running
        assertEquals(4, engine.execute("2 + 2", new Recorder()).value());
        Thread.sleep(100);
        assertTrue(Thread.getAllStackTraces().keySet().stream()
                .noneMatch(t -> t.getThreadGroup() != null && t.getThreadGroup().getName().startsWith("JShell")
                        && t.getState() == Thread.State.RUNNABLE), "a snippet thread still runs");
    }

    @Test
    void aTargetedInterruptSparesOtherCells() throws Exception {
        int next = engine.executionCount() + 1;
        engine.interrupt(next - 1); // the previous cell, long finished
        assertEquals(5, engine.execute("2 + 3", new Recorder()).value());
        var running = CompletableFuture.supplyAsync(() -> engine.execute("Thread.sleep(60_000);", new Recorder()));
        Thread.sleep(300);
        engine.interrupt(next + 1);
        CellResult r = running.get(5, TimeUnit.SECONDS);
        assertEquals("Interrupted", r.error().ename());
    }

    @Test
    void interruptWithNothingRunningIsHarmless() {
        engine.interrupt();
        assertEquals(1, engine.execute("1", new Recorder()).value());
    }
}
