package callisto.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@link Engine#complete} and {@link Engine#inspect}: what complete_request and inspect_request get. */
class CompletionTest {
    static Engine engine;

    @BeforeAll
    static void start() {
        engine = Engine.start();
        engine.execute("int counter = 3;\nString greeting = \"hi\";", OutputSink.NONE);
    }

    @AfterAll
    static void stop() {
        engine.close();
    }

    @Test
    void completesMembersNamesAndMagicsWithTheSpanTheyReplace() {
        var members = engine.complete("Math.ab", 7);
        assertTrue(members.matches().contains("abs("), members.toString());
        assertEquals(5, members.start());
        assertEquals(7, members.end());

        String cell = "int y = 1;\ny = coun";
        var names = engine.complete(cell, cell.length());
        assertTrue(names.matches().contains("counter"), "a variable of an earlier cell: " + names);
        assertEquals(cell.length() - 4, names.start(), "only the token in the second snippet is replaced");

        var inside = engine.complete("greeting.toUp + 1", 13);
        assertTrue(inside.matches().stream().anyMatch(m -> m.startsWith("toUpperCase(")), inside.toString());
        assertEquals(9, inside.start());

        var magics = engine.complete("%ti", 3);
        assertTrue(magics.matches().contains("%time"), magics.toString());
        assertEquals(0, magics.start());
        assertTrue(engine.complete("%%ti", 4).matches().contains("%%time"));
        assertTrue(engine.complete("Tens", 4).matches().contains("Tensor"), "the preloaded stdlib is imported");
    }

    @Test
    void inspectsAtAnyPositionInsideANameEvenWithoutParentheses() {
        for (int cursor = 5; cursor <= 8; cursor++) { // M-a-t-h-.-a-b-s: inside "abs" and at its end
            var doc = engine.inspect("Math.abs", cursor, false);
            assertTrue(doc.isPresent(), "cursor " + cursor);
            assertTrue(doc.get().contains("abs(int"), doc.get());
        }
        var call = engine.inspect("Math.max(1, 2)", 6, true);
        assertTrue(call.isPresent() && call.get().contains("max("), String.valueOf(call));
        assertTrue(engine.inspect("   ", 1, false).isEmpty(), "nothing to inspect");
        assertTrue(engine.inspect("noSuchThing", 3, false).isEmpty());
    }
}
