package callisto.datasets;

import callisto.display.DisplayData;
import callisto.display.Renderer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import tech.tablesaw.api.ColumnType;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.FloatColumn;
import tech.tablesaw.api.NumericColumn;
import tech.tablesaw.columns.Column;
import tech.tablesaw.table.Relation;

/**
 * Tablesaw tables, and their slices (filtered or sorted views), render inline: an HTML table with the name as
 * caption, column names over their dtypes, a row index, and the shape below; and aligned text for the shell.
 *
 * <p>Tables over 40 rows show their first and last 10 rows around an "… N rows omitted …" row; over 20
 * columns, the first and last 10 columns around a "…" column; {@link Tables#render(Relation, int, int)} shows
 * more. Numbers are right-aligned. Floating-point columns are formatted as pandas does (6 decimals at most,
 * trailing zeros trimmed to the longest value in view, scientific for very small or large values), so a
 * column's own Tablesaw print formatter is not used; other columns print through Tablesaw. Missing values
 * show as {@code NaN} in floating-point columns and {@code NA} in others, dimmed in HTML. The HTML sets no
 * colours of its own (greys are translucent), so it reads in light and dark themes, and it is well-formed
 * XHTML.
 */
public final class TableRenderer implements Renderer<Relation> {
    static final int MAX_ROWS = 40;
    static final int EDGE_ROWS = 10;
    static final int MAX_COLUMNS = 20;
    static final int EDGE_COLUMNS = 10;
    /** Longer cell values are cut, as pandas' max_colwidth does; the HTML keeps the whole value as a tooltip. */
    static final int MAX_CELL = 50;

    private static final String STYLE = """
            .callisto-table table { border-collapse: collapse; border: none; color: inherit; background: transparent; \
            font-variant-numeric: tabular-nums; }
            .callisto-table caption { caption-side: top; text-align: left; font-weight: bold; padding: 0 0 4px 0; }
            .callisto-table th, .callisto-table td { padding: 2px 8px; border: none; white-space: pre; }
            .callisto-table thead th { border-bottom: 1px solid rgba(128, 128, 128, 0.6); vertical-align: bottom; }
            .callisto-table tbody tr:nth-child(even) { background: rgba(128, 128, 128, 0.08); }
            .callisto-table tbody tr:hover { background: rgba(128, 128, 128, 0.18); }
            .callisto-table .dtype { font-weight: normal; font-size: 0.8em; opacity: 0.6; }
            .callisto-table tbody th { font-weight: normal; opacity: 0.6; }
            .callisto-table .na { opacity: 0.5; font-style: italic; }
            .callisto-table tr.omitted td { text-align: center; opacity: 0.6; font-style: italic; }
            .callisto-table .shape { font-size: 0.85em; opacity: 0.7; margin-top: 4px; }
            """;

    /** For ServiceLoader. */
    public TableRenderer() {
    }

    @Override
    public Class<Relation> type() {
        return Relation.class;
    }

    @Override
    public DisplayData render(Relation table) {
        return render(table, MAX_ROWS, EDGE_ROWS, MAX_COLUMNS, EDGE_COLUMNS);
    }

    /** All rows when there are at most {@code maxRows}, else {@code rowEdge} at each end; the same for columns. */
    static DisplayData render(Relation table, int maxRows, int rowEdge, int maxColumns, int columnEdge) {
        View view = View.of(table, maxRows, rowEdge, maxColumns, columnEdge);
        return DisplayData.of(DisplayData.HTML, html(view), text(view));
    }

    // ---- what is shown

    /** One shown column: its cells for the shown rows, already formatted. */
    record ShownColumn(String name, String dtype, String tablesawType, boolean numeric, String[] cells, boolean[] missing) {
    }

    /**
     * The part of a table in view: shown row numbers and columns; {@code rowGap}/{@code columnGap} is the
     * position the omitted rows or columns sit before (-1 when none are omitted).
     */
    record View(String name, int rows, int columns, int[] shownRows, int rowGap, List<ShownColumn> shown, int columnGap) {
        static View of(Relation table, int maxRows, int rowEdge, int maxColumns, int columnEdge) {
            int rows = table.rowCount(), columns = table.columnCount();
            int[] shownRows;
            int rowGap = -1;
            if (rows <= maxRows) {
                shownRows = range(0, rows);
            } else {
                int head = Math.min(rowEdge, rows), tail = Math.min(rowEdge, rows - head);
                shownRows = concat(range(0, head), range(rows - tail, rows));
                rowGap = head;
            }
            int[] shownColumns;
            int columnGap = -1;
            if (columns <= maxColumns) {
                shownColumns = range(0, columns);
            } else {
                int head = Math.min(columnEdge, columns), tail = Math.min(columnEdge, columns - head);
                shownColumns = concat(range(0, head), range(columns - tail, columns));
                columnGap = head;
            }
            var shown = new ArrayList<ShownColumn>();
            for (int c : shownColumns) shown.add(column(table.column(c), shownRows));
            String name = table.name() == null || table.name().isBlank() ? null : table.name();
            return new View(name, rows, columns, shownRows, rowGap, shown, columnGap);
        }

        private static int[] range(int from, int to) {
            return java.util.stream.IntStream.range(from, to).toArray();
        }

        private static int[] concat(int[] a, int[] b) {
            int[] out = java.util.Arrays.copyOf(a, a.length + b.length);
            System.arraycopy(b, 0, out, a.length, b.length);
            return out;
        }

        int omittedRows() {
            return rows - shownRows.length;
        }

        int omittedColumns() {
            return columns - shown.size();
        }
    }

    private static ShownColumn column(Column<?> column, int[] rows) {
        ColumnType type = column.type();
        boolean floating = column instanceof DoubleColumn || column instanceof FloatColumn;
        boolean[] missing = new boolean[rows.length];
        String[] cells = new String[rows.length];
        if (floating) {
            var numbers = (NumericColumn<?>) column;
            double[] values = new double[rows.length];
            for (int i = 0; i < rows.length; i++) {
                missing[i] = column.isMissing(rows[i]);
                values[i] = missing[i] ? Double.NaN : numbers.getDouble(rows[i]);
            }
            cells = formatFloats(values, missing);
        } else {
            for (int i = 0; i < rows.length; i++) {
                missing[i] = column.isMissing(rows[i]);
                cells[i] = missing[i] ? "NA" : column.getString(rows[i]);
            }
        }
        return new ShownColumn(column.name(), dtype(type), type.name(), column instanceof NumericColumn<?>, cells, missing);
    }

    /** The NumPy-style dtype name a PyTorch or pandas user reads ("float64"), or Tablesaw's type in lower case. */
    static String dtype(ColumnType type) {
        // by name: Tablesaw's ColumnType constants are not always the instances its columns return
        return switch (type.name()) {
            case "DOUBLE" -> "float64";
            case "FLOAT" -> "float32";
            case "LONG" -> "int64";
            case "INTEGER" -> "int32";
            case "SHORT" -> "int16";
            case "BOOLEAN" -> "bool";
            case "STRING" -> "string";
            case "LOCAL_DATE" -> "date";
            case "LOCAL_TIME" -> "time";
            case "LOCAL_DATE_TIME" -> "datetime";
            default -> type.name().toLowerCase(Locale.ROOT);
        };
    }

    /**
     * Floats as pandas shows them: fixed with 6 decimals, trailing zeros trimmed while every value keeps its
     * digits (at least one decimal), or scientific when a value would round to 0 or is very large.
     */
    static String[] formatFloats(double[] values, boolean[] missing) {
        boolean scientific = false;
        for (int i = 0; i < values.length; i++) {
            double a = Math.abs(values[i]);
            if (missing[i] || Double.isInfinite(a)) continue;
            if ((a > 0 && a < 1e-6) || a >= 1e12) scientific = true;
        }
        String[] out = new String[values.length];
        int trim = Integer.MAX_VALUE;
        for (int i = 0; i < values.length; i++) {
            double v = values[i];
            if (missing[i]) {
                out[i] = "NaN";
            } else if (Double.isInfinite(v)) {
                out[i] = v > 0 ? "inf" : "-inf";
            } else {
                out[i] = String.format(Locale.ROOT, scientific ? "%.6e" : "%.6f", v);
                int end = scientific ? out[i].indexOf('e') : out[i].length(), zeros = 0;
                while (zeros < 5 && out[i].charAt(end - 1 - zeros) == '0') zeros++;
                trim = Math.min(trim, zeros);
            }
        }
        if (trim == Integer.MAX_VALUE || trim == 0) return out;
        for (int i = 0; i < out.length; i++) {
            if (missing[i] || Double.isInfinite(values[i])) continue;
            String s = out[i];
            int end = scientific ? s.indexOf('e') : s.length();
            out[i] = s.substring(0, end - trim) + s.substring(end);
        }
        return out;
    }

    // ---- HTML

    static String html(View v) {
        var h = new StringBuilder(4096);
        h.append("<div class=\"callisto-table\">\n<style>\n").append(STYLE).append("</style>\n<table>\n");
        if (v.name() != null) h.append("<caption>").append(escape(v.name())).append("</caption>\n");
        h.append("<thead>\n<tr><th></th>");
        for (int c = 0; c < v.shown().size(); c++) {
            if (c == v.columnGap()) h.append("<th title=\"").append(v.omittedColumns()).append(" columns omitted\">…</th>");
            var col = v.shown().get(c);
            h.append("<th").append(align(col.numeric())).append(" title=\"").append(escape(col.tablesawType())).append("\">")
                    .append(escape(cut(col.name()))).append("<br/><span class=\"dtype\">").append(escape(col.dtype()))
                    .append("</span></th>");
        }
        h.append("</tr>\n</thead>\n<tbody>\n");
        int span = v.shown().size() + 1 + (v.columnGap() >= 0 ? 1 : 0);
        for (int r = 0; r < v.shownRows().length; r++) {
            if (r == v.rowGap()) {
                h.append("<tr class=\"omitted\"><td colspan=\"").append(span).append("\">… ")
                        .append(v.omittedRows()).append(v.omittedRows() == 1 ? " row" : " rows").append(" omitted …</td></tr>\n");
            }
            h.append("<tr><th>").append(v.shownRows()[r]).append("</th>");
            for (int c = 0; c < v.shown().size(); c++) {
                if (c == v.columnGap()) h.append("<td>…</td>");
                var col = v.shown().get(c);
                String cell = col.cells()[r];
                h.append("<td").append(align(col.numeric()));
                if (col.missing()[r]) h.append(" class=\"na\"");
                if (cell.length() > MAX_CELL) h.append(" title=\"").append(escape(cell)).append('"');
                h.append('>').append(escape(cut(cell))).append("</td>");
            }
            h.append("</tr>\n");
        }
        h.append("</tbody>\n</table>\n<div class=\"shape\">").append(shape(v)).append("</div>\n</div>\n");
        return h.toString();
    }

    // Inline, not in the style sheet: frontends that strip <style> (and JupyterLab, which right-aligns every
    // cell) still align numbers right and text left.
    private static String align(boolean numeric) {
        return numeric ? " style=\"text-align: right;\"" : " style=\"text-align: left;\"";
    }

    /** Text as XML character data or attribute value; characters XML 1.0 forbids become \\uXXXX. */
    static String escape(String s) {
        var b = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            switch (ch) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> {
                    if ((ch < 0x20 && ch != '\t' && ch != '\n' && ch != '\r') || ch == 0xfffe || ch == 0xffff) {
                        b.append(String.format(Locale.ROOT, "\\u%04x", (int) ch));
                    } else {
                        b.append(ch);
                    }
                }
            }
        }
        return b.toString();
    }

    private static String cut(String s) {
        return s.length() <= MAX_CELL ? s : s.substring(0, MAX_CELL - 1) + "…";
    }

    private static String shape(View v) {
        return v.rows() + (v.rows() == 1 ? " row" : " rows") + " × " + v.columns() + (v.columns() == 1 ? " column" : " columns");
    }

    // ---- text

    static String text(View v) {
        // one list of cells per printed column: the row index first, then the shown columns with the "…" column
        var columns = new ArrayList<String[]>();
        var numeric = new ArrayList<Boolean>();
        int n = v.shownRows().length;
        String[] index = new String[n + 1];
        index[0] = "";
        for (int r = 0; r < n; r++) index[r + 1] = Integer.toString(v.shownRows()[r]);
        columns.add(index);
        numeric.add(true);
        for (int c = 0; c < v.shown().size(); c++) {
            if (c == v.columnGap()) {
                String[] dots = new String[n + 1];
                java.util.Arrays.fill(dots, "…");
                columns.add(dots);
                numeric.add(false);
            }
            var col = v.shown().get(c);
            String[] cells = new String[n + 1];
            cells[0] = cut(plain(col.name()));
            for (int r = 0; r < n; r++) cells[r + 1] = cut(plain(col.cells()[r]));
            columns.add(cells);
            numeric.add(col.numeric());
        }
        int[] width = new int[columns.size()];
        for (int c = 0; c < width.length; c++) {
            for (String s : columns.get(c)) width[c] = Math.max(width[c], s.codePointCount(0, s.length()));
        }
        var t = new StringBuilder();
        if (v.name() != null) t.append(plain(v.name())).append('\n');
        if (v.columns() > 0) {
            line(t, columns, numeric, width, 0);
            for (int c = 0; c < width.length; c++) t.append(c == 0 ? "" : "-+-").append("-".repeat(width[c]));
            t.append('\n');
            for (int r = 0; r < n; r++) {
                if (r == v.rowGap()) t.append("… ").append(v.omittedRows()).append(" rows omitted …\n");
                line(t, columns, numeric, width, r + 1);
            }
        }
        return t.append(shape(v)).toString();
    }

    private static void line(StringBuilder t, List<String[]> columns, List<Boolean> numeric, int[] width, int row) {
        var b = new StringBuilder();
        for (int c = 0; c < width.length; c++) {
            String s = columns.get(c)[row];
            String pad = " ".repeat(width[c] - s.codePointCount(0, s.length()));
            if (c > 0) b.append(" | ");
            b.append(numeric.get(c) ? pad + s : s + pad);
        }
        t.append(b.toString().stripTrailing()).append('\n');
    }

    /** A cell on one line: line breaks and tabs shown as escapes, so rows stay aligned. */
    private static String plain(String s) {
        return s.replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t");
    }
}
