package callisto.datasets;

import callisto.display.DisplayData;
import callisto.tensor.Tensor;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tech.tablesaw.api.BooleanColumn;
import tech.tablesaw.api.ColumnType;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.FloatColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.NumericColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;
import tech.tablesaw.io.AddCellToColumnException;
import tech.tablesaw.io.csv.CsvReadOptions;
import tech.tablesaw.table.Relation;

/**
 * Tablesaw tables made small: {@code Tables.of("xy", "x", xs, "y", ys)} from arrays, to and from tensors
 * ({@link #fromTensor}, {@link #toTensor}), and CSV files ({@link #readCsv}, {@link #writeCsv}) whose errors name
 * the file and line. A table left as a cell's value renders inline ({@link TableRenderer}).
 */
public final class Tables {
    private Tables() {
    }

    // ---- construction

    /**
     * A table from alternating column names and values, as a pandas dict: {@code Tables.of("run", "step",
     * steps, "loss", losses)}. Values are {@code double[]}, {@code float[]}, {@code int[]}, {@code long[]},
     * {@code boolean[]}, {@code String[]} (null is missing), 1-D tensors, or Tablesaw columns (copied and
     * renamed); all of one length.
     */
    public static Table of(String name, Object... namesAndColumns) {
        if (namesAndColumns.length % 2 != 0) {
            throw new IllegalArgumentException("Tables.of: expected column names and values in pairs, got " + namesAndColumns.length + " arguments");
        }
        var columns = new LinkedHashMap<String, Object>();
        for (int i = 0; i < namesAndColumns.length; i += 2) {
            if (!(namesAndColumns[i] instanceof String column)) {
                throw new IllegalArgumentException("Tables.of: argument " + (i + 2) + " should be a column name, got " + describe(namesAndColumns[i]));
            }
            if (columns.put(column, namesAndColumns[i + 1]) != null) throw new IllegalArgumentException("Tables.of: column '" + column + "' given twice");
        }
        return of(name, columns);
    }

    /** A table of the given columns, in the map's order (use a {@link LinkedHashMap}); values as for {@link #of(String, Object...)}. */
    public static Table of(String name, Map<String, ?> columns) {
        var table = Table.create(name);
        String first = null;
        for (var e : columns.entrySet()) {
            Column<?> c = column(e.getKey(), e.getValue());
            if (first != null && c.size() != table.rowCount()) {
                throw new IllegalArgumentException("Tables.of: column '" + e.getKey() + "' has " + c.size() + " values, column '" + first
                        + "' has " + table.rowCount());
            }
            if (first == null) first = e.getKey();
            table.addColumns(c);
        }
        return table;
    }

    private static Column<?> column(String name, Object values) {
        return switch (values) {
            case double[] a -> DoubleColumn.create(name, a);
            case float[] a -> FloatColumn.create(name, a);
            case int[] a -> IntColumn.create(name, a);
            case long[] a -> LongColumn.create(name, a);
            case boolean[] a -> BooleanColumn.create(name, a);
            case String[] a -> StringColumn.create(name, a);
            case Tensor t when t.dim() == 1 -> tensorColumn(name, t);
            case Tensor t -> throw new IllegalArgumentException("Tables.of: column '" + name + "' must be a 1-D tensor, got shape " + Arrays.toString(t.shape())
                    + " (Tables.fromTensor takes 2-D ones)");
            case Column<?> c -> c.copy().setName(name);
            case null, default -> throw new IllegalArgumentException("Tables.of: column '" + name + "' is " + describe(values)
                    + "; expected double[], float[], int[], long[], boolean[], String[], a 1-D tensor or a Tablesaw column");
        };
    }

    private static String describe(Object o) {
        return o == null ? "null" : "a " + o.getClass().getSimpleName();
    }

    /**
     * A table of a tensor's values: a 1-D tensor as one column, a 2-D {@code [rows, columns]} one as columns,
     * named by {@code columnNames} or "0", "1", ... as pandas does. The dtype carries over (float64 to DOUBLE,
     * float32 to FLOAT, int32 to INTEGER, int64 to LONG, bool to BOOLEAN).
     */
    public static Table fromTensor(String name, Tensor tensor, String... columnNames) {
        if (tensor.dim() != 1 && tensor.dim() != 2) {
            throw new IllegalArgumentException("Tables.fromTensor: expected a 1-D or 2-D tensor, got shape " + Arrays.toString(tensor.shape()));
        }
        Tensor t = tensor.dim() == 1 ? tensor.reshape(tensor.numel(), 1) : tensor;
        int rows = t.size(0), cols = t.size(1);
        if (columnNames.length != 0 && columnNames.length != cols) {
            throw new IllegalArgumentException("Tables.fromTensor: " + columnNames.length + " column names for " + cols + " columns (shape "
                    + Arrays.toString(tensor.shape()) + ")");
        }
        var table = Table.create(name);
        for (int j = 0; j < cols; j++) {
            String column = columnNames.length == 0 ? Integer.toString(j) : columnNames[j];
            table.addColumns(tensorColumn(column, t.narrow(1, j, 1).reshape(rows)));
        }
        return table;
    }

    private static Column<?> tensorColumn(String name, Tensor t) {
        return switch (t.dtype()) {
            case FLOAT64 -> DoubleColumn.create(name, t.toArray());
            case FLOAT32 -> FloatColumn.create(name, t.toFloatArray());
            case INT32 -> IntColumn.create(name, t.toIntArray());
            case INT64 -> LongColumn.create(name, t.toLongArray());
            case BOOL -> BooleanColumn.create(name, t.toBooleanArray());
        };
    }

    /**
     * The numeric (and boolean, as 0/1) columns named, or all columns, as a 2-D float64 tensor {@code [rows,
     * columns]}, as pandas' {@code to_numpy()}; missing values become NaN.
     */
    public static Tensor toTensor(Relation table, String... columns) {
        List<Column<?>> chosen = columns.length == 0 ? table.columns() : new ArrayList<>();
        if (columns.length != 0) {
            for (String c : columns) {
                if (!table.containsColumn(c)) {
                    throw new IllegalArgumentException("Tables.toTensor: no column '" + c + "'; the table has " + table.columnNames());
                }
                chosen.add(table.column(c));
            }
        }
        int rows = table.rowCount(), cols = chosen.size();
        double[] values = new double[rows * cols];
        for (int j = 0; j < cols; j++) {
            Column<?> c = chosen.get(j);
            if (c instanceof NumericColumn<?> n) {
                for (int i = 0; i < rows; i++) values[i * cols + j] = n.isMissing(i) ? Double.NaN : n.getDouble(i);
            } else if (c instanceof BooleanColumn b) {
                for (int i = 0; i < rows; i++) values[i * cols + j] = b.isMissing(i) ? Double.NaN : b.get(i) ? 1 : 0;
            } else {
                throw new IllegalArgumentException("Tables.toTensor: column '" + c.name() + "' is " + TableRenderer.dtype(c.type())
                        + ", not numeric; name the numeric columns, e.g. toTensor(table, \"" + firstNumeric(table) + "\")");
            }
        }
        return Tensor.of(values, rows, cols);
    }

    private static String firstNumeric(Relation table) {
        for (Column<?> c : table.columns()) if (c instanceof NumericColumn<?>) return c.name();
        return "x";
    }

    // ---- display

    /**
     * The table as a notebook shows it, but with up to {@code maxRows} rows and {@code maxColumns} columns
     * before the middle ones are left out (the default is 40 and 20); leave it as a cell's value.
     */
    public static DisplayData render(Relation table, int maxRows, int maxColumns) {
        if (maxRows < 0 || maxColumns < 0) {
            throw new IllegalArgumentException("Tables.render: maxRows and maxColumns must be >= 0, got " + maxRows + " and " + maxColumns);
        }
        return TableRenderer.render(table, maxRows, (maxRows + 1) / 2, maxColumns, (maxColumns + 1) / 2);
    }

    // ---- CSV

    /** The CSV file at {@code file}, with a header row; see {@link #readCsv(Path, ColumnType...)}. */
    public static Table readCsv(String file, ColumnType... types) throws IOException {
        return readCsv(Path.of(file), types);
    }

    /**
     * The CSV file at {@code file}: a header row of column names, then comma-separated values; blank lines are
     * skipped, empty cells and NA, NaN and the like are missing. Column types are detected from the values
     * unless {@code types} gives one per column (e.g. {@code ColumnType.STRING} for ids that look numeric). The
     * table is named after the file.
     *
     * @throws NoSuchFileException if there is no such file
     * @throws BadFileException    naming the file and line, if a row has the wrong number of fields or a value
     *                             does not fit its column's type
     */
    public static Table readCsv(Path file, ColumnType... types) throws IOException {
        if (!Files.exists(file)) throw new NoSuchFileException(file.toString(), null, "no such file");
        if (Files.isDirectory(file)) throw new BadFileException(file, "is a folder, not a CSV file");
        var options = CsvReadOptions.builder(file.toFile());
        if (types.length > 0) options.columnTypes(types);
        Table table;
        try {
            table = Table.read().usingOptions(options.build());
        } catch (RuntimeException e) {
            throw problem(file, e);
        }
        // Tablesaw reads a header without rows as no columns at all; keep the columns, as pandas does
        return table.columnCount() == 0 ? headerOnly(file, table.name(), types) : table;
    }

    /** Writes {@code table} as CSV with a header row (missing values as empty cells), replacing {@code file} atomically. */
    public static void writeCsv(Table table, String file) throws IOException {
        writeCsv(table, Path.of(file));
    }

    /** Writes {@code table} as CSV with a header row (missing values as empty cells), replacing {@code file} atomically. */
    public static void writeCsv(Table table, Path file) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        if (dir != null && !Files.isDirectory(dir)) throw new NoSuchFileException(dir.toString(), null, "no such folder to write " + file.getFileName() + " in");
        callisto.runtime.AtomicFile.write(file, tmp -> {
            try {
                table.write().csv(tmp.toFile());
            } catch (UncheckedIOException e) {
                throw e.getCause();
            }
        });
    }

    private static Table headerOnly(Path file, String name, ColumnType[] types) throws IOException {
        var header = new ArrayList<String>();
        scan(file, (line, fields) -> {
            header.addAll(fields);
            return false;
        });
        if (types.length > 0 && types.length != header.size()) {
            throw new BadFileException(file, types.length + " column types given for " + header.size() + " columns " + header);
        }
        var table = Table.create(name);
        for (int i = 0; i < header.size(); i++) {
            table.addColumns(types.length > 0 ? types[i].create(header.get(i)) : StringColumn.create(header.get(i)));
        }
        return table;
    }

    /** The error for a file Tablesaw could not read, naming the line (found here: Tablesaw's row counts vary by path). */
    private static IOException problem(Path file, RuntimeException e) throws IOException {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof IOException io) return io;
        }
        // a row of the wrong length is the usual malformation
        int[] header = {-1};
        var bad = new Object[2];
        scan(file, (line, fields) -> {
            if (header[0] < 0) {
                header[0] = fields.size();
            } else if (fields.size() != header[0]) {
                bad[0] = line;
                bad[1] = fields.size();
                return false;
            }
            return true;
        });
        BadFileException out;
        if (bad[0] != null) {
            out = new BadFileException(file, "line " + bad[0] + " has " + bad[1] + " fields, the header has " + header[0]);
        } else if (e instanceof AddCellToColumnException a) {
            out = new BadFileException(file, cellProblem(file, a));
        } else {
            out = new BadFileException(file, e.getMessage());
        }
        out.initCause(e);
        return out;
    }

    private static String cellProblem(Path file, AddCellToColumnException a) throws IOException {
        long row = a.getRowNumber(); // 1-based, counting the records after the header
        var at = new Object[2];
        long[] seen = {-1};
        scan(file, (line, fields) -> {
            if (++seen[0] == row) {
                at[0] = line;
                at[1] = a.getColumnIndex() < fields.size() ? fields.get(a.getColumnIndex()) : null;
                return false;
            }
            return true;
        });
        Throwable cause = a.getCause() == null ? a : a.getCause();
        String why = String.valueOf(cause.getMessage()).replaceFirst("^Error adding value to column [^:]*: ", "");
        String where = at[0] == null ? "row " + row : "line " + at[0];
        String value = at[1] == null ? "" : " cannot read \"" + at[1] + "\":";
        return where + ", column '" + a.getColumnName() + "':" + value + " " + why
                + " (pass readCsv the column types, e.g. ColumnType.STRING, if detection guessed wrong)";
    }

    @FunctionalInterface
    private interface RecordVisitor {
        /** One record: the line it starts on (1-based) and its fields; false stops the scan. */
        boolean visit(int line, List<String> fields);
    }

    /** The records of a CSV file as univocity (under Tablesaw) splits them: quotes, doubled quotes, blank lines skipped. */
    private static void scan(Path file, RecordVisitor visitor) throws IOException {
        try (var in = new BufferedReader(new InputStreamReader(Files.newInputStream(file), StandardCharsets.UTF_8))) {
            int line = 1, start = 1, ch;
            boolean quoted = false, any = false;
            var fields = new ArrayList<String>();
            var field = new StringBuilder();
            while ((ch = in.read()) != -1) {
                char c = (char) ch;
                if (quoted) {
                    if (c == '"') {
                        in.mark(1);
                        if (in.read() == '"') field.append('"');
                        else {
                            quoted = false;
                            in.reset();
                        }
                    } else {
                        if (c == '\n') line++;
                        field.append(c);
                    }
                } else if (c == '"') {
                    quoted = any = true;
                } else if (c == ',') {
                    fields.add(field.toString());
                    field.setLength(0);
                    any = true;
                } else if (c == '\n' || c == '\r') {
                    if (c == '\r') {
                        in.mark(1);
                        if (in.read() != '\n') in.reset();
                    }
                    if (any || !field.isEmpty()) {
                        fields.add(field.toString());
                        if (!visitor.visit(start, fields)) return;
                    }
                    fields = new ArrayList<>();
                    field.setLength(0);
                    any = false;
                    start = ++line;
                } else {
                    field.append(c);
                    any = true;
                }
            }
            if (any || !field.isEmpty()) {
                fields.add(field.toString());
                visitor.visit(start, fields);
            }
        }
    }
}
