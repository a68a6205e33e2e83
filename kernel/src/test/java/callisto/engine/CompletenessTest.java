package callisto.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import callisto.engine.Engine.Completeness;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@link Engine#completeness}: what a console's is_complete_request is answered with. */
class CompletenessTest {
    static Engine engine;

    @BeforeAll
    static void start() {
        engine = Engine.start();
    }

    @AfterAll
    static void stop() {
        engine.close();
    }

    @Test
    void completeCells() {
        for (String cell : new String[] {"", "  \n", "1 + 1", "int x = 1;", "void f() { }", "int a = 1; a + 1",
                "// only a comment", "%time 1 + 1", "%%time\nanything { at all", "%vars"}) {
            assertEquals(Completeness.COMPLETE, engine.completeness(cell), cell);
        }
    }

    @Test
    void incompleteCells() {
        for (String cell : new String[] {"void f() {", "for (int i = 0;", "1 +", "int x = 1;\nif (x > 0) {",
                "String s = \"\"\"\n  text"}) {
            assertEquals(Completeness.INCOMPLETE, engine.completeness(cell), cell);
        }
    }

    @Test
    void invalidCells() {
        for (String cell : new String[] {")", "int x = 1; )"}) {
            assertEquals(Completeness.INVALID, engine.completeness(cell), cell);
        }
    }
}
