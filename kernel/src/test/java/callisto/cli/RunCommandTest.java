package callisto.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code callisto run} end to end, in process: fixtures in src/test/resources/notebooks (made by make_fixtures.py). */
class RunCommandTest {
    @TempDir
    Path dir;

    record Run(int exit, String err) {
    }

    static Run run(String... args) {
        var err = new StringWriter();
        int exit = Main.execute(new PrintWriter(err, true), args);
        return new Run(exit, err.toString());
    }

    Path fixture(String name) throws IOException {
        Path target = dir.resolve(name);
        try (var in = RunCommandTest.class.getResourceAsStream("/notebooks/" + name)) {
            Files.write(target, in.readAllBytes());
        }
        return target;
    }

    static String read(Path p) throws IOException {
        return Files.readString(p, StandardCharsets.UTF_8);
    }

    @Test
    void successWritesOutputsAndLeavesTheInputAlone() throws IOException {
        Path in = fixture("success.ipynb");
        byte[] before = Files.readAllBytes(in);
        Path out = dir.resolve("out");
        Run r = run("run", in.toString(), "--output", out.toString());
        assertEquals(0, r.exit(), r.err());
        assertArrayEquals(before, Files.readAllBytes(in), "the input was modified");
        String nb = read(out.resolve("success.ipynb"));
        assertTrue(nb.contains("\"n = 6\\n\""), nb);
        assertTrue(nb.contains("\"execution_count\": 2"), nb);
        assertTrue(nb.contains("\"output_type\": \"execute_result\""), nb);
        assertTrue(nb.contains("\"42\""), nb);
        assertTrue(r.err().contains("[1/2]") && r.err().contains("[2/2]"), r.err());
        assertTrue(r.err().contains("int n = 6;"), "progress names the first code line: " + r.err());
    }

    @Test
    void withoutADestinationNothingIsWritten() throws IOException {
        Path in = fixture("success.ipynb");
        byte[] before = Files.readAllBytes(in);
        assertEquals(0, run("run", in.toString()).exit());
        assertArrayEquals(before, Files.readAllBytes(in));
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(in), files.toList());
        }
    }

    @Test
    void inplaceRewritesTheInput() throws IOException {
        Path in = fixture("success.ipynb");
        assertEquals(0, run("run", in.toString(), "--inplace").exit());
        assertTrue(read(in).contains("\"output_type\": \"execute_result\""));
    }

    @Test
    void inplaceAndOutputExcludeEachOther() throws IOException {
        Path in = fixture("success.ipynb");
        Run r = run("run", in.toString(), "--inplace", "--output", dir.resolve("o").toString());
        assertEquals(2, r.exit());
    }

    @Test
    void aFailingCellStopsTheRunAndIsWritten() throws IOException {
        Path in = fixture("error.ipynb");
        Path out = dir.resolve("out");
        Run r = run("run", in.toString(), "--output", out.toString());
        assertEquals(1, r.exit(), r.err());
        String nb = read(out.resolve("error.ipynb"));
        assertTrue(nb.contains("java.lang.ArrayIndexOutOfBoundsException"), nb);
        assertTrue(nb.contains("Cell In[2]\\u001b[0m, \\u001b[36mline 3"), nb);
        assertFalse(nb.contains("\"after the error\\n\""), "the cell after the error ran");
        assertFalse(nb.contains("stale output"), "the unexecuted cell kept an old run's output");
        assertTrue(r.err().contains("FAILED"), r.err());
    }

    @Test
    void allowErrorsKeepsGoing() throws IOException {
        Path in = fixture("error.ipynb");
        Path out = dir.resolve("out");
        Run r = run("run", in.toString(), "--output", out.toString(), "--allow-errors");
        assertEquals(1, r.exit(), "a failed cell still fails the run");
        assertTrue(read(out.resolve("error.ipynb")).contains("\"after the error\\n\""));
    }

    @Test
    void timeoutInterruptsTheCell() throws IOException {
        Path in = fixture("timeout.ipynb");
        Path out = dir.resolve("out");
        long t0 = System.nanoTime();
        Run r = run("run", in.toString(), "--output", out.toString(), "--timeout", "1");
        double seconds = (System.nanoTime() - t0) / 1e9;
        assertEquals(1, r.exit(), r.err());
        assertTrue(seconds < 20, "took " + seconds + " s");
        String nb = read(out.resolve("timeout.ipynb"));
        assertTrue(nb.contains("CellTimeoutError"), nb);
        assertTrue(nb.contains("1 s timeout"), nb);
        assertFalse(nb.contains("never\\n"), nb);
    }

    @Test
    void aCellNoInterruptCanStopIsAbandonedAfterTheGracePeriod() throws IOException {
        Path in = dir.resolve("stuck.ipynb");
        Files.writeString(in, """
                {"cells": [
                  {"cell_type": "code", "execution_count": null, "metadata": {}, "outputs": [],
                   "source": "new Thread(callisto.engine.fixtures.Busy::printUntilReleased).start();\\ncallisto.engine.fixtures.Busy.spinIgnoringInterrupts()"},
                  {"cell_type": "code", "execution_count": null, "metadata": {}, "outputs": [],
                   "source": "System.out.println(\\"not reached\\");"}],
                 "metadata": {}, "nbformat": 4, "nbformat_minor": 4}
                """);
        Path out = dir.resolve("out");
        callisto.engine.fixtures.Busy.release = false;
        try {
            long t0 = System.nanoTime();
            Run r = run("run", in.toString(), "--output", out.toString(), "--timeout", "1");
            double seconds = (System.nanoTime() - t0) / 1e9;
            assertEquals(1, r.exit(), r.err());
            assertTrue(seconds < 1 + callisto.notebook.NotebookRunner.GRACE_SECONDS + 5, "took " + seconds + " s");
            String nb = read(out.resolve("stuck.ipynb"));
            assertTrue(nb.contains("CellTimeoutError") && nb.contains("did not stop"), nb);
            assertFalse(nb.contains("\"not reached\\n\""), nb);
        } finally {
            callisto.engine.fixtures.Busy.release = true;
        }
    }

    static Path notebook(Path dir, String name, String... sources) throws IOException {
        var cells = new StringBuilder();
        for (String src : sources) {
            if (cells.length() > 0) cells.append(", ");
            cells.append("{\"cell_type\": \"code\", \"execution_count\": null, \"metadata\": {}, \"outputs\": [], \"source\": ")
                    .append(quote(src)).append("}");
        }
        Path in = dir.resolve(name);
        Files.writeString(in, "{\"cells\": [" + cells + "], \"metadata\": {}, \"nbformat\": 4, \"nbformat_minor\": 4}");
        return in;
    }

    static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
    }

    @Test
    void unusualValuesStillMakeAValidNotebook() throws IOException {
        Path in = notebook(dir, "odd.ipynb",
                "display(new DisplayData(Map.of(\"text/plain\", \"w\"), Map.of(\"image/png\", Map.of(\"width\", 1.5, \"tiny\", 1e-7f))));",
                "\"😀\".substring(0, 1)",
                "System.out.print(\"a\\rb\\u2028c\\r\\nd\");",
                "   ");
        Path out = dir.resolve("out");
        Run r = run("run", in.toString(), "--output", out.toString());
        assertEquals(0, r.exit(), r.err());
        String nb = read(out.resolve("odd.ipynb"));
        assertTrue(nb.contains("\"width\": 1.5") && nb.contains("\"tiny\": 1e-07"), nb);
        assertTrue(nb.contains("\"\\ud83d\""), nb);
        assertTrue(nb.contains("\"a\\r\",\n      \"b\u2028\",\n      \"c\\r\\n\",\n      \"d\""), nb);
        // the blank cell is not run, as nbclient does not run it
        assertTrue(nb.contains("\"execution_count\": null,\n   \"metadata\": {},\n   \"outputs\": [],\n   \"source\": \"   \""), nb);
        assertTrue(r.err().contains("-> " + out.resolve("odd.ipynb")), r.err());
    }

    @Test
    void writtenNotebooksAreReadableByOthers() throws IOException {
        Path in = fixture("success.ipynb");
        Files.setPosixFilePermissions(in, java.nio.file.attribute.PosixFilePermissions.fromString("rw-rw-r--"));
        Path out = dir.resolve("out");
        assertEquals(0, run("run", in.toString(), "--output", out.toString()).exit());
        assertEquals("rw-r--r--", java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(out.resolve("success.ipynb"))));
        assertEquals(0, run("run", in.toString(), "--inplace").exit());
        assertEquals("rw-rw-r--", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(in)));
    }

    @Test
    void parametersTakeTheDeclaredType() throws IOException {
        Path in = notebook(dir, "typed.ipynb", "String name = \"x\";\nfloat f = 1f;\nlong n = 1L;\nDouble boxed = 0.5;",
                "System.out.println(name + \" \" + f + \" \" + n + \" \" + boxed);");
        var nb = Files.readString(in).replace("\"metadata\": {}, \"outputs\"", "\"metadata\": {\"tags\": [\"parameters\"]}, \"outputs\"");
        Files.writeString(in, nb.replaceFirst("\\{\"tags\": \\[\"parameters\"]}, \"outputs\": \\[], \"source\": \"System", "{}, \"outputs\": [], \"source\": \"System"));
        Path out = dir.resolve("out");
        Run r = run("run", in.toString(), "--output", out.toString(), "-p", "name=42", "-p", "f=2.5", "-p", "n=7",
                "-p", "boxed=3");
        assertEquals(0, r.exit(), r.err());
        assertTrue(read(out.resolve("typed.ipynb")).contains("\"42 2.5 7 3.0\\n\""), read(out.resolve("typed.ipynb")));
    }

    @Test
    void twoInputsForOneOutputAreBadInput() throws IOException {
        Files.createDirectories(dir.resolve("a"));
        Files.createDirectories(dir.resolve("b"));
        Path a = Files.copy(fixture("success.ipynb"), dir.resolve("a/same.ipynb"));
        Path b = Files.copy(fixture("success.ipynb"), dir.resolve("b/same.ipynb"));
        Run r = run("run", a.toString(), b.toString(), "--output", dir.resolve("out").toString());
        assertEquals(2, r.exit(), r.err());
        assertTrue(r.err().contains("would both be written"), r.err());
    }

    @Test
    void ijavaAndBareNotebooksAreAccepted() throws IOException {
        for (String meta : List.of("{\"kernelspec\": {\"display_name\": \"Java\", \"language\": \"java\", \"name\": \"java\"}}", "{}")) {
            Path in = dir.resolve("other.ipynb");
            Files.writeString(in, "{\"cells\": [{\"cell_type\": \"code\", \"execution_count\": null, \"metadata\": {},"
                    + " \"outputs\": [], \"source\": [\"6 * 7\"]}], \"metadata\": " + meta
                    + ", \"nbformat\": 4, \"nbformat_minor\": 2}");
            Run r = run("run", in.toString(), "--inplace");
            assertEquals(0, r.exit(), r.err());
            assertTrue(read(in).contains("\"42\""), read(in));
        }
    }

    @Test
    void parametersAreInjectedAfterTheParametersCell() throws IOException {
        Path in = fixture("parameters.ipynb");
        Path out = dir.resolve("out");
        Run r = run("run", in.toString(), "--output", out.toString(),
                "-p", "FAST=false", "-p", "steps=7", "-p", "lr=1", "-p", "label=a \"quoted\" word", "-p", "extra=2.5",
                "-p", "big=10000000000");
        assertEquals(0, r.exit(), r.err());
        String nb = read(out.resolve("parameters.ipynb"));
        assertTrue(nb.contains("false 7 1.0 a \\\"quoted\\\" word"), nb);
        assertTrue(nb.contains("var big = 10000000000L;"), nb);
        assertTrue(nb.contains("\"injected-parameters\""), nb);
        assertTrue(nb.indexOf("\"params\"") < nb.indexOf("\"id\": \"injected-parameters\""), nb);
        assertTrue(nb.indexOf("\"id\": \"injected-parameters\"") < nb.indexOf("\"use\""), nb);
        assertTrue(nb.contains("var extra = 2.5;"), nb);
        // the injected cell counts among the cells the progress lines number
        long cells = r.err().lines().filter(l -> l.matches("\\s*\\[\\d+/\\d+\\].*")).count();
        assertTrue(r.err().contains("[" + cells + "/" + cells + "]"), r.err());

        // running the output again replaces the injected cell instead of adding a second one
        Path again = dir.resolve("again");
        assertEquals(0, run("run", out.resolve("parameters.ipynb").toString(), "--output", again.toString(),
                "-p", "steps=3").exit());
        String nb2 = read(again.resolve("parameters.ipynb"));
        assertEquals(1, nb2.split("\"id\": \"injected-parameters\"", -1).length - 1, nb2);
        assertTrue(nb2.contains("true 3 0.1 default"), nb2);
    }

    @Test
    void badParameterIsBadInput() throws IOException {
        Path in = fixture("parameters.ipynb");
        Run r = run("run", in.toString(), "-p", "1x=3");
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("1x"), r.err());
    }

    static Stream<Object[]> corrupt() {
        String good = "{\"cells\": [], \"metadata\": {}, \"nbformat\": 4, \"nbformat_minor\": 5}";
        return Stream.of(
                new Object[] {"truncated.ipynb", good.substring(0, 30).getBytes(StandardCharsets.UTF_8), "invalid JSON"},
                new Object[] {"v3.ipynb", "{\"worksheets\": [], \"metadata\": {}, \"nbformat\": 3, \"nbformat_minor\": 0}"
                        .getBytes(StandardCharsets.UTF_8), "nbformat 3 is not supported"},
                new Object[] {"nocells.ipynb", "{\"metadata\": {}, \"nbformat\": 4, \"nbformat_minor\": 5}"
                        .getBytes(StandardCharsets.UTF_8), "no \"cells\" list"},
                new Object[] {"garbage.ipynb", new byte[] {(byte) 0x89, 'P', 'N', 'G', 0, 0, (byte) 0xff, (byte) 0xfe, 7},
                        "not UTF-8"},
                new Object[] {"array.ipynb", "[1, 2]".getBytes(StandardCharsets.UTF_8), "top level is an array"},
                new Object[] {"python.ipynb", good.replace("\"metadata\": {}",
                        "\"metadata\": {\"kernelspec\": {\"language\": \"python\", \"name\": \"python3\"}}")
                        .getBytes(StandardCharsets.UTF_8), "'python', not java"},
                new Object[] {"python-name.ipynb", good.replace("\"metadata\": {}",
                        "\"metadata\": {\"kernelspec\": {\"name\": \"python3\", \"display_name\": \"Python 3\"}}")
                        .getBytes(StandardCharsets.UTF_8), "kernel is 'python3'"},
                new Object[] {"badcell.ipynb", "{\"cells\": [{\"cell_type\": \"code\", \"source\": 7}], \"metadata\": {}, \"nbformat\": 4, \"nbformat_minor\": 5}"
                        .getBytes(StandardCharsets.UTF_8), "cell 1: \"source\""},
                new Object[] {"empty.ipynb", new byte[0], "empty file"});
    }

    @ParameterizedTest
    @MethodSource("corrupt")
    void corruptInputIsOneLineAndNoOutput(String name, byte[] content, String problem) throws IOException {
        Path in = dir.resolve(name);
        Files.write(in, content);
        Path out = dir.resolve("out");
        Run r = run("run", in.toString(), "--output", out.toString());
        assertEquals(2, r.exit(), r.err());
        List<String> lines = r.err().lines().toList();
        assertEquals(1, lines.size(), r.err());
        assertTrue(lines.getFirst().contains(in.toString()), r.err());
        assertTrue(lines.getFirst().contains(problem), r.err());
        assertFalse(Files.exists(out.resolve(name)), "an output was written for bad input");
        assertArrayEquals(content, Files.readAllBytes(in));
    }

    @Test
    void missingFileIsBadInput() {
        Path missing = dir.resolve("nope.ipynb");
        Run r = run("run", missing.toString());
        assertEquals(2, r.exit());
        assertTrue(r.err().contains(missing + ": no such file"), r.err());
    }

    @Test
    void fiftyMegabytesOfOldOutputAreReplaced() throws IOException {
        String line = "x".repeat(99) + "\n";
        var big = new StringBuilder();
        big.append("{\"cells\": [{\"cell_type\": \"code\", \"execution_count\": 1, \"id\": \"big\", \"metadata\": {},")
                .append(" \"outputs\": [{\"name\": \"stdout\", \"output_type\": \"stream\", \"text\": \"");
        String escaped = line.replace("\n", "\\n");
        for (int i = 0; i < 500_000; i++) big.append(escaped);
        big.append("\"}], \"source\": \"1 + 1\"}], \"metadata\": {}, \"nbformat\": 4, \"nbformat_minor\": 5}");
        Path in = dir.resolve("big.ipynb");
        Files.writeString(in, big);
        assertTrue(Files.size(in) > 50_000_000);
        Path out = dir.resolve("out");
        Run r = run("run", in.toString(), "--output", out.toString());
        assertEquals(0, r.exit(), r.err());
        assertTrue(Files.size(out.resolve("big.ipynb")) < 10_000);
    }

    @Test
    void foreignMetadataSurvivesByteForByte() throws IOException {
        Path in = fixture("foreign.ipynb");
        Path out = dir.resolve("out");
        Run r = run("run", in.toString(), "--output", out.toString());
        assertEquals(0, r.exit(), r.err());
        String input = read(in);
        String output = read(out.resolve("foreign.ipynb"));
        // the only differences: the code cell's count and its outputs
        String expected = input.replace("\"execution_count\": null", "\"execution_count\": 1")
                .replace("   \"outputs\": [],\n   \"source\": [\n    \"double small = 1e-05;\\n\",",
                        "   \"outputs\": [\n    {\n     \"data\": {\n      \"text/plain\": [\n       \"1.0E-5\"\n      ]\n"
                                + "     },\n     \"execution_count\": 1,\n     \"metadata\": {},\n"
                                + "     \"output_type\": \"execute_result\"\n    }\n   ],\n   \"source\": [\n"
                                + "    \"double small = 1e-05;\\n\",");
        assertEquals(expected, output);
        // and a second run of the output changes nothing at all
        Path again = dir.resolve("again");
        assertEquals(0, run("run", out.resolve("foreign.ipynb").toString(), "--output", again.toString()).exit());
        assertEquals(output, read(again.resolve("foreign.ipynb")));
    }

    @Test
    void displaysAndHtmlPage() throws IOException {
        Path in = fixture("display.ipynb");
        Path out = dir.resolve("out");
        Run r = run("run", in.toString(), "--output", out.toString(), "--html");
        assertEquals(0, r.exit(), r.err());
        String nb = read(out.resolve("display.ipynb"));
        assertTrue(nb.contains("\"image/png\": \"iVBOR"), nb);
        assertTrue(nb.contains("\"application/json\": {\n       \"a\": [\n        1,\n        2\n       ]"), nb);
        String page = read(out.resolve("display.html"));
        assertTrue(page.contains("<h1>Images and HTML</h1>"), page);
        assertTrue(page.contains("src=\"data:image/png;base64,iVBOR"), page);
        assertTrue(page.contains("<i>italic</i>"), page);
    }

    @Test
    void directoriesAreSearchedAndCheckpointsSkipped() throws IOException {
        Path nbs = dir.resolve("nbs");
        Files.createDirectories(nbs.resolve("sub"));
        Files.createDirectories(nbs.resolve(".ipynb_checkpoints"));
        Files.copy(fixture("success.ipynb"), nbs.resolve("a.ipynb"));
        Files.copy(fixture("success.ipynb"), nbs.resolve("sub/b.ipynb"));
        Files.copy(fixture("error.ipynb"), nbs.resolve(".ipynb_checkpoints/a-checkpoint.ipynb"));
        Path out = dir.resolve("out");
        Run r = run("run", nbs.toString(), "--output", out.toString());
        assertEquals(0, r.exit(), r.err());
        assertTrue(Files.exists(out.resolve("a.ipynb")));
        assertTrue(Files.exists(out.resolve("sub/b.ipynb")));
        assertFalse(Files.exists(out.resolve(".ipynb_checkpoints")));
    }
}
