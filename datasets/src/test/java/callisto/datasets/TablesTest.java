package callisto.datasets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import callisto.tensor.DType;
import callisto.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tech.tablesaw.api.ColumnType;
import tech.tablesaw.api.Table;

/** CSV in and out (with errors naming the file and line), construction from arrays, tensors both ways. */
class TablesTest {
    @TempDir
    Path dir;

    @Test
    void csvRoundTripKeepsValuesTypesAndMissingCells() throws IOException {
        var t = Tables.of("run", "step", new int[] {0, 1, 2}, "loss", new double[] {0.1 + 0.2, Double.NaN, 1e-9},
                "name", new String[] {"a,b", "say \"hi\"", null}, "ok", new boolean[] {true, false, true});
        Path file = dir.resolve("run.csv");
        Tables.writeCsv(t, file);
        Table back = Tables.readCsv(file);
        assertEquals("run.csv", back.name());
        assertEquals(t.columnNames(), back.columnNames());
        assertEquals(t.types(), back.types());
        assertEquals(t.rowCount(), back.rowCount());
        for (int c = 0; c < t.columnCount(); c++) {
            for (int r = 0; r < t.rowCount(); r++) {
                assertEquals(t.get(r, c), back.get(r, c), "row " + r + ", column " + t.column(c).name());
            }
        }
        assertTrue(back.doubleColumn("loss").isMissing(1), "a missing number stays missing");
        assertTrue(back.stringColumn("name").isMissing(2));
        try (var files = Files.list(dir)) {
            assertEquals(List.of(file), files.toList(), "no temporary file left behind");
        }
    }

    @Test
    void headerOnlyFileKeepsItsColumns() throws IOException {
        Path file = dir.resolve("empty.csv");
        Tables.writeCsv(Tables.of("e", "a", new double[0], "b", new String[0]), file);
        Table back = Tables.readCsv(file);
        assertEquals(List.of("a", "b"), back.columnNames());
        assertEquals(0, back.rowCount());
        assertEquals(ColumnType.DOUBLE.name(), Tables.readCsv(file, ColumnType.DOUBLE, ColumnType.STRING).column(0).type().name());
    }

    @Test
    void columnTypesOverrideDetection() throws IOException {
        Path file = dir.resolve("ids.csv");
        Files.writeString(file, "id,v\n007,1\n042,2\n");
        Table t = Tables.readCsv(file, ColumnType.STRING, ColumnType.INTEGER);
        assertEquals("007", t.stringColumn("id").get(0));
    }

    @Test
    void rowWithTooManyFieldsNamesFileAndLine() throws IOException {
        Path file = dir.resolve("bad.csv");
        Files.writeString(file, "a,b\n1,2\n\"x\ny\",4\n3,4,5\n6,7\n");
        var e = assertThrows(BadFileException.class, () -> Tables.readCsv(file));
        assertEquals(file, e.file());
        assertEquals(file + ": line 5 has 3 fields, the header has 2", e.getMessage(), "counts the quoted line break");
        Files.writeString(file, "a,b\n1,2\n3\n");
        e = assertThrows(BadFileException.class, () -> Tables.readCsv(file));
        assertEquals(file + ": line 3 has 1 fields, the header has 2", e.getMessage());
    }

    @Test
    void valueOfTheWrongTypeNamesFileLineAndColumn() throws IOException {
        Path file = dir.resolve("typed.csv");
        Files.writeString(file, "a,b\n1,2\n\n3,4\nx,5\n");
        var e = assertThrows(BadFileException.class, () -> Tables.readCsv(file, ColumnType.INTEGER, ColumnType.INTEGER));
        assertTrue(e.getMessage().startsWith(file + ": line 5, column 'a': cannot read \"x\""), e.getMessage());
    }

    @Test
    void missingFileSaysSo() {
        Path file = dir.resolve("nope.csv");
        var e = assertThrows(NoSuchFileException.class, () -> Tables.readCsv(file));
        assertEquals(file + ": no such file", e.getMessage());
        var w = assertThrows(NoSuchFileException.class, () -> Tables.writeCsv(Tables.of("t"), dir.resolve("no/such/dir/t.csv")));
        assertTrue(w.getMessage().contains("no such folder"), w.getMessage());
    }

    @Test
    void ofChecksItsColumns() {
        var t = Tables.of("t", "x", new double[] {1, 2}, "n", new long[] {3, 4}, "f", new float[] {1, 2}, "v", Tensor.ofInts(5, 6));
        assertEquals(List.of("float64", "int64", "float32", "int32"), t.types().stream().map(TableRenderer::dtype).toList());
        var e = assertThrows(IllegalArgumentException.class, () -> Tables.of("t", "x", new double[] {1, 2}, "y", new int[] {1}));
        assertEquals("Tables.of: column 'y' has 1 values, column 'x' has 2", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Tables.of("t", "x", List.of(1)));
        assertTrue(e.getMessage().startsWith("Tables.of: column 'x' is a "), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Tables.of("t", "x"));
    }

    @Test
    void tensorTableRoundTrip() {
        Tensor m = Tensor.of(new double[] {1, 2, 3, 4, 5, 6}, 3, 2);
        Table t = Tables.fromTensor("m", m, "a", "b");
        assertEquals(List.of("a", "b"), t.columnNames());
        assertArrayEquals(new double[] {2, 4, 6}, t.doubleColumn("b").asDoubleArray());
        Tensor back = Tables.toTensor(t);
        assertEquals(DType.FLOAT64, back.dtype());
        assertArrayEquals(new int[] {3, 2}, back.shape());
        assertArrayEquals(m.toArray(), back.toArray());
        assertArrayEquals(new double[] {2, 4, 6}, Tables.toTensor(t, "b").toArray());

        Table v = Tables.fromTensor("v", Tensor.ofLongs(7, 8));
        assertEquals(List.of("0"), v.columnNames(), "unnamed columns are numbered, as in pandas");
        assertEquals(ColumnType.LONG.name(), v.column(0).type().name());
        assertArrayEquals(new int[] {2, 1}, Tables.toTensor(v).shape());
        assertThrows(IllegalArgumentException.class, () -> Tables.fromTensor("x", Tensor.zeros(2, 2, 2)));
        assertThrows(IllegalArgumentException.class, () -> Tables.fromTensor("x", m, "only one"));
    }

    @Test
    void toTensorMarksMissingAsNanAndRefusesText() {
        Table t = Tables.of("t", "x", new double[] {1, Double.NaN}, "ok", new boolean[] {true, false}, "s", new String[] {"a", "b"});
        assertArrayEquals(new double[] {1, 1, Double.NaN, 0}, Tables.toTensor(t, "x", "ok").toArray());
        var e = assertThrows(IllegalArgumentException.class, () -> Tables.toTensor(t));
        assertTrue(e.getMessage().contains("column 's' is string"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Tables.toTensor(t, "nope"));
    }
}
