package callisto.plot;

import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.List;

/**
 * Several drawables in one image, row-major, {@code cols} to a row: any mix of figures, bar charts, heat maps,
 * images or other grids. Every cell is as large as the largest one; a smaller drawable sits centred in its cell.
 * Each cell paints itself through its own {@link Drawable#paint}, so the grid saves as PNG, SVG or PDF alike.
 * Build it with {@link Plot#grid(int, Drawable...)}.
 */
public final class Grid implements Drawable {
    private static final int TITLE_HEIGHT = 34;

    private final List<Drawable> cells;
    private final int cols, rows, cellWidth, cellHeight;
    private String title;
    private Theme theme;

    Grid(int cols, List<? extends Drawable> cells, Theme theme) {
        if (cells == null || cells.isEmpty()) throw new IllegalArgumentException("grid: no cells given (expected at least one drawable)");
        if (cols < 1) throw new IllegalArgumentException("grid: cols must be ≥ 1, got " + cols);
        int w = 0, h = 0;
        for (int i = 0; i < cells.size(); i++) {
            Drawable d = cells.get(i);
            if (d == null) throw new IllegalArgumentException("grid: cell " + i + " is null");
            w = Math.max(w, d.width());
            h = Math.max(h, d.height());
        }
        this.cells = List.copyOf(cells);
        this.cols = Math.min(cols, cells.size()); // fewer cells than columns: one row, no empty slots
        this.rows = (cells.size() + this.cols - 1) / this.cols;
        this.cellWidth = w;
        this.cellHeight = h;
        this.theme = theme;
    }

    /** A title across the top of the grid. */
    public Grid title(String title) {
        this.title = title;
        return this;
    }

    /** The grid's own background and title colours; each cell keeps its own theme. */
    public Grid theme(Theme theme) {
        this.theme = XChartDrawable.checkTheme(theme);
        return this;
    }

    /** The cells, row-major. */
    public List<Drawable> cells() {
        return cells;
    }

    /** Columns of the grid (at most the number of cells). */
    public int cols() {
        return cols;
    }

    /** Rows of the grid. */
    public int rows() {
        return rows;
    }

    private int top() {
        return title == null || title.isEmpty() ? 0 : TITLE_HEIGHT;
    }

    @Override
    public int width() {
        return cols * cellWidth;
    }

    @Override
    public int height() {
        return top() + rows * cellHeight;
    }

    @Override
    public void paint(Graphics2D g) {
        if (theme.background().getAlpha() > 0) {
            g.setColor(theme.background());
            g.fillRect(0, 0, width(), height());
        }
        if (top() > 0) {
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(theme.text());
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
            var m = g.getFontMetrics();
            g.drawString(title, (width() - m.stringWidth(title)) / 2, (TITLE_HEIGHT - m.getHeight()) / 2 + m.getAscent());
        }
        for (int i = 0; i < cells.size(); i++) {
            Drawable d = cells.get(i);
            int x = (i % cols) * cellWidth + (cellWidth - d.width()) / 2;
            int y = top() + (i / cols) * cellHeight + (cellHeight - d.height()) / 2;
            // A copy per cell: charts set strokes, fonts and clips, which must not leak into the next cell.
            Graphics2D c = (Graphics2D) g.create();
            try {
                c.translate(x, y);
                c.clipRect(0, 0, d.width(), d.height());
                d.paint(c);
            } finally {
                c.dispose();
            }
        }
    }

    /** An ARGB image when the grid's theme is transparent, else RGB on its background. */
    @Override
    public BufferedImage toImage() {
        return XChartDrawable.render(this, theme.background());
    }


    @Override
    public String toString() {
        return "Grid(" + (title == null || title.isEmpty() ? "" : "\"" + title + "\", ") + cells.size() + " cells in " + rows + "x" + cols
                + ", " + width() + "x" + height() + ")";
    }
}
