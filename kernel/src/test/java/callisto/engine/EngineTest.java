package callisto.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

@Timeout(value = 120, unit = TimeUnit.SECONDS) // a hang (e.g. in a redefinition) fails instead of blocking the build
class EngineTest {
    static Engine engine;

    @BeforeAll
    static void start() {
        engine = Engine.start();
    }

    @AfterAll
    static void stop() {
        engine.close();
    }

    static CellResult run(String code) {
        return engine.execute(code, new Recorder());
    }

    static CellResult run(String code, Recorder out) {
        return engine.execute(code, out);
    }

    @Test
    void lastExpressionIsTheRealObject() {
        var r = run("var list = new ArrayList<Integer>(List.of(1, 2));\nlist.add(3);\nlist");
        assertTrue(r.ok(), () -> r.error().plainText());
        assertTrue(r.value() instanceof java.util.ArrayList<?>, "value is " + r.value());
        assertEquals(List.of(1, 2, 3), r.value());
        assertEquals("[1, 2, 3]", r.display().plainText());
    }

    @Test
    void temporaryExpressionAndVariableValues() {
        assertEquals(7, run("3 + 4").value());
        run("int seven = 7;");
        assertEquals(7, run("seven").value());
    }

    @Test
    void statementsAndVoidCallsGiveNoResult() {
        var out = new Recorder();
        var r = run("int q = 5;\nSystem.out.println(q);", out);
        assertTrue(r.ok());
        assertFalse(r.hasResult());
        assertEquals("5\n", out.out());
        assertFalse(run("int unused = 3;").hasResult());
        assertFalse(run("for (int i = 0; i < 2; i++) { }").hasResult());
    }

    @Test
    void aTrailingSemicolonSuppressesTheResult() {
        assertFalse(run("Math.max(1, 2);").hasResult());
        assertFalse(run("display(\"shown once\");").hasResult());
        assertEquals(2, run("Math.max(1, 2) // no semicolon").value());
    }

    @Test
    void semicolonDetectionIgnoresCommentsAndStrings() {
        assertEquals(';', Engine.lastSignificantChar("f(); // done", 12));
        assertEquals(')', Engine.lastSignificantChar("f() // ends;", 12));
        assertEquals(')', Engine.lastSignificantChar("f() /* ; */", 11));
        assertEquals('"', Engine.lastSignificantChar("\"a;\"", 4));
        assertEquals('"', Engine.lastSignificantChar("\"\"\"\n;\n\"\"\"", 9));
        assertEquals('\'', Engine.lastSignificantChar("';'", 3));
        assertFalse(run("\"a;\"").value() == null);
    }

    @Test
    void lastLineFormsThatAreNotExpressions() {
        var out = new Recorder();
        run("int calls = 0;\nvoid bump() { calls++; System.out.println(\"bumped\"); }");
        var r = run("bump()", out);
        assertTrue(r.ok(), () -> r.error().plainText());
        assertFalse(r.hasResult(), "a void call has no result");
        assertEquals("bumped\n", out.out(), "the call ran exactly once");
        assertEquals(1, run("calls").value());
        assertFalse(run("int declared = 4").hasResult());
        assertEquals(4, run("declared").value());
        assertFalse(run("declared = 5").hasResult(), "an assignment shows no result");
        assertEquals(5, run("declared").value());
        assertFalse(run("for (int i = 0; i < 1; i++) { }").hasResult());
        assertNull(run("null").value());
        assertTrue(run("null").hasResult());
        assertEquals(List.of(), run("List.of() // a comment; with a semicolon").value());
        assertEquals("12", run("\"1\" + 2").value());
    }

    @Test
    void errorsInTheLastExpressionKeepTheirPositions() {
        var r = run("int k = 1;\n  k + \"x\".foo()");
        assertEquals("CompileError", r.error().ename());
        assertTrue(r.error().plainText().contains("line 2"), r.error().plainText());
        assertTrue(r.error().plainText().contains("\n      k + \"x\".foo()\n          ^^^^^^^\n"), r.error().plainText());
        var e = run("int[] arr = new int[1];\n\narr[3]");
        assertEquals("java.lang.ArrayIndexOutOfBoundsException", e.error().ename());
        assertTrue(e.error().plainText().contains("Cell In[" + e.executionCount() + "], line 3"), e.error().plainText());
    }

    @Test
    void lineMagicsKeepLinesAndColumns() {
        var r = run("%help\n\nint[] a = new int[1];\na[3]");
        assertTrue(r.error().plainText().contains("Cell In[" + r.executionCount() + "], line 4"), r.error().plainText());
        var c = run("%help\nint x = \"s\";");
        assertTrue(c.error().plainText().contains("line 2\n    int x = \"s\";\n            ^^^"), c.error().plainText());
        assertFalse(c.error().plainText().contains("location: class"), c.error().plainText());
    }

    @Test
    void lineTimeMagicShowsItsValueAndPositions() {
        assertEquals(2, run("%time 1 + 1").value());
        var e = run("%time e");
        assertTrue(e.error().plainText().contains("    %time e\n          ^"), e.error().plainText());
    }

    @Test
    void exitThroughAMethodReferenceIsTrappedToo() {
        assertEquals("SystemExit", run("IntConsumer quit = System::exit;\nquit.accept(3);").error().ename());
        assertEquals("SystemExit", run("IntConsumer halt = Runtime.getRuntime()::halt;\nhalt.accept(4);").error().ename());
        assertEquals("SystemExit", run("BiConsumer<Runtime, Integer> ex = Runtime::exit;\nex.accept(Runtime.getRuntime(), 5);")
                .error().ename());
        assertEquals(1, run("1").value());
    }

    @Test
    void toStringRunsOnceForAResult() {
        var out = new Recorder();
        run("class Loud { public String toString() { System.out.println(\"toString\"); return \"loud\"; } }");
        var r = run("var l = new Loud();\nl", out);
        assertEquals("loud", r.display().plainText());
        assertEquals("toString\n", out.out());
    }

    @Test
    void aDisplayCallLastShowsNoHandle() {
        var out = new Recorder();
        var r = run("display(html(\"<b>x</b>\"))", out);
        assertFalse(r.hasResult());
        assertEquals(1, out.events.size());
    }

    @Test
    void executionCountGrows() {
        int before = engine.executionCount();
        var r = run("1");
        assertEquals(before + 1, r.executionCount());
    }

    @Test
    void compileErrorPointsAtTheCellLine() {
        var r = run("int a = 1;\nint b = 2;\nint c = \"three\";");
        assertFalse(r.ok());
        assertEquals("CompileError", r.error().ename());
        String tb = r.error().plainText();
        assertTrue(tb.contains("Cell In[" + r.executionCount() + "], line 3"), tb);
        assertTrue(tb.contains("int c = \"three\";"), tb);
        // the caret sits under the string literal, which starts at column 8
        assertTrue(tb.contains("\n            ^^^^^^^\n"), tb);
        assertTrue(r.error().evalue().contains("incompatible types"), r.error().evalue());
    }

    @Test
    void compileErrorAfterBlankLinesAndComments() {
        var r = run("// setup\n\n\n   double d = 1.0;\n   String s = d;\n");
        assertFalse(r.ok());
        assertTrue(r.error().plainText().contains("line 5"), r.error().plainText());
    }

    @Test
    void runtimeExceptionFramesAreCellLines() {
        run("int divide(int x) {\n  int zero = 0;\n  return x / zero;\n}");
        var r = run("int a = 1;\n\ndivide(a)");
        assertFalse(r.ok());
        assertEquals("java.lang.ArithmeticException", r.error().ename());
        String tb = r.error().plainText();
        int defined = r.executionCount() - 1;
        assertTrue(tb.contains("Cell In[" + defined + "], line 3, in divide"), tb);
        assertTrue(tb.contains("return x / zero;"), tb);
        assertTrue(tb.contains("Cell In[" + r.executionCount() + "], line 3"), tb);
        assertFalse(tb.contains("jdk.jshell"), tb);
        assertFalse(tb.contains("callisto.engine"), tb);
        assertFalse(tb.contains("java.lang.reflect"), tb);
    }

    @Test
    void snippetsAfterAnErrorDoNotRun() {
        var out = new Recorder();
        var r = run("System.out.println(\"before\");\nint x = 1 / 0;\nSystem.out.println(\"after\");", out);
        assertFalse(r.ok());
        assertEquals("before\n", out.out());
    }

    @Test
    void systemExitIsAnErrorAndTheSessionLives() {
        var r = run("System.out.println(\"bye\");\nSystem.exit(3);");
        assertEquals("SystemExit", r.error().ename());
        assertTrue(r.error().evalue().contains("System.exit(3)"), r.error().evalue());
        assertEquals("SystemExit", run("Runtime.getRuntime().halt(4);").error().ename());
        assertEquals("SystemExit", run("void quit() { System.exit(1); }\nquit();").error().ename());
        assertEquals(2, run("1 + 1").value());
    }

    @Test
    void stackOverflowIsAnError() {
        run("int down(int n) { return down(n + 1) + 1; }");
        var r = run("down(0)");
        assertEquals("java.lang.StackOverflowError", r.error().ename());
        assertTrue(r.error().traceback().size() < 200, "traceback is " + r.error().traceback().size() + " lines");
        assertEquals(3, run("1 + 2").value());
    }

    @Test
    void outOfMemoryIsAnError() {
        var r = run("{ var hog = new ArrayList<long[]>(); while (true) hog.add(new long[1 << 20]); }");
        assertEquals("java.lang.OutOfMemoryError", r.error().ename());
        assertEquals(long[].class, run("new long[1 << 20]").value().getClass());
    }

    @Test
    void failingStaticInitializerThenRedefinition() {
        run("class Boom { static int v = Integer.parseInt(\"x\"); }");
        var r = run("Boom.v");
        assertEquals("java.lang.ExceptionInInitializerError", r.error().ename());
        assertTrue(r.error().plainText().contains("NumberFormatException"), r.error().plainText());
        assertFalse(run("Boom.v").ok());
        assertTrue(run("class Boom { static int v = 42; }").ok());
        assertEquals(42, run("Boom.v").value());
    }

    @Test
    void redefiningMethodsRecordsAndClasses() {
        run("int twice(int x) { return 2 * x; }");
        assertEquals(6, run("twice(3)").value());
        run("int twice(int x) { return x + x + 1; }");
        assertEquals(7, run("twice(3)").value());

        run("record P(int x) { }");
        run("var p = new P(1);");
        run("record P(int x, int y) { }");
        assertEquals("P[x=1, y=2]", run("new P(1, 2)").display().plainText());

        run("class Counter { int n; int next() { return ++n; } }");
        run("class Counter { int n = 10; int next() { return n += 10; } }");
        assertEquals(20, run("new Counter().next()").value());
    }

    @Test
    void outputFromThreadsTheCellStartedGoesToTheCell() {
        var out = new Recorder();
        var r = run("""
                var t = new Thread(() -> System.out.println("from thread"));
                t.start();
                t.join();
                System.err.println("to err");
                System.out.println("main");""", out);
        assertTrue(r.ok(), () -> r.error().plainText());
        assertEquals("from thread\nmain\n", out.out());
        assertEquals("to err\n", out.err());
    }

    @Test
    void outputOfAThreadThatOutlivesItsCellGoesToTheCellRunningNow() throws Exception {
        var first = new Recorder();
        run("var latch = new java.util.concurrent.CountDownLatch(1);\n"
                + "var late = new Thread(() -> { try { latch.await(); } catch (InterruptedException e) { }\n"
                + "  System.err.println(\"late\"); });\nlate.start();", first);
        var second = new Recorder();
        var r = run("latch.countDown();\nlate.join();", second);
        assertTrue(r.ok(), () -> r.error().plainText());
        assertEquals("", first.err());
        assertEquals("late\n", second.err());
    }

    @Test
    void withNoCellRunningLateOutputGoesToItsOwnCellWhereTheSinkTakesIt() throws Exception {
        var kernelLike = new Recorder() {
            @Override
            public boolean acceptsLateOutput() {
                return true;
            }
        };
        var r = run("var done = new java.util.concurrent.CountDownLatch(1);\n"
                + "new Thread(() -> { try { Thread.sleep(200); } catch (InterruptedException e) { }\n"
                + "  System.out.println(\"after the cell\"); done.countDown(); }).start();", kernelLike);
        assertTrue(r.ok(), () -> r.error().plainText());
        assertEquals("", kernelLike.out()); // the cell has ended before the thread prints
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!kernelLike.out().equals("after the cell\n") && System.nanoTime() < deadline) Thread.sleep(20);
        assertEquals("after the cell\n", kernelLike.out());
    }

    @Test
    void twoThreadsOfOneCellBothReachIt() {
        var out = new Recorder();
        var r = run("""
                Runnable count = () -> { for (int i = 0; i < 100; i++) System.out.println("x"); };
                var a = new Thread(count);
                var b = new Thread(count);
                a.start(); b.start(); a.join(); b.join();""", out);
        assertTrue(r.ok(), () -> r.error().plainText());
        assertEquals(200, out.out().lines().count());
    }

    @Test
    void streamsAndDisplaysKeepTheirOrder() {
        var out = new Recorder();
        var r = run("System.out.print(\"a\");\ndisplay(html(\"<b>b</b>\"));\nSystem.out.print(\"c\");", out);
        assertTrue(r.ok(), () -> r.error().plainText());
        assertEquals(List.of("stream", "display", "stream"), out.events.stream().map(Recorder.Event::kind).toList());
        assertEquals("<b>b</b>", out.events.get(1).data().data().get("text/html"));
    }

    @Test
    void displayHandleUpdatesInPlace() {
        var out = new Recorder();
        run("var h = display(\"one\");\nh.update(\"two\");", out);
        assertEquals("display", out.events.get(0).kind());
        assertEquals("update", out.events.get(1).kind());
        assertEquals(out.events.get(0).name(), out.events.get(1).name());
        assertEquals("two", out.events.get(1).text());
    }

    @Test
    void unicodeOutputSurvives() {
        var out = new Recorder();
        run("System.out.println(\"λ → ∞ 😀\");", out);
        assertEquals("λ → ∞ 😀\n", out.out());
    }

    @Test
    void unknownMagicListsTheKnownOnes() {
        var r = run("%nosuch 1 2\nint z = 1;");
        assertEquals("UnknownMagic", r.error().ename());
        assertTrue(r.error().evalue().contains("%nosuch"), r.error().evalue());
        assertTrue(r.error().evalue().contains("%time"), r.error().evalue());
    }

    @Test
    void cellMagicTimeRunsItsBody() {
        var out = new Recorder();
        var r = run("%%time\nint timed = 6 * 7;\ntimed", out);
        assertTrue(r.ok(), () -> r.error().plainText());
        assertTrue(out.out().startsWith("Wall time: "), out.out());
        var bad = run("%%time\nint fine = 1;\nint broken = \"x\";");
        assertTrue(bad.error().plainText().contains("line 3"), bad.error().plainText());
    }

    @Test
    void forwardReferenceIsNotedNotFatal() {
        var out = new Recorder();
        var r = run("int usesLater() { return later(); }", out);
        assertTrue(r.ok());
        assertTrue(out.err().contains("later"), out.err());
        assertEquals("UnresolvedReference", run("usesLater()").error().ename());
        run("int later() { return 5; }");
        assertEquals(5, run("usesLater()").value());
    }

    @Test
    void startupImportsAreThere() {
        assertNotNull(run("new ArrayList<String>()").value());
        assertNull(run("Cancellation.check();").error());
        assertEquals(3.0, run("Tensor.of(1, 2).sum().item()").value());
        // the stdlib's names must not collide with the JDK imports (java.util.function.Function, ...)
        assertEquals(2, run("Function<Integer, Integer> inc = x -> x + 1;\ninc.apply(1)").value());
    }
}
