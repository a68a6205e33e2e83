package callisto.plot;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.util.List;

/**
 * Image plots in rows of {@code cols} cells, as for samples, channels or a prediction beside its target. Made by
 * {@link Plot#imageGrid}; cells are small (160-pixel images), those made from tensors without ticks. {@link #sharedScale()} puts every
 * scalar image on one colour scale with one colour bar at the right, so cells compare by colour.
 */
public final class ImageGrid implements Drawable {
    static final int CELL = 160;

    private final int cols;
    private final List<ImagePlot> cells;
    private String title;
    private boolean shared, symmetric;

    ImageGrid(int cols, List<ImagePlot> cells) {
        if (cols < 1) throw new IllegalArgumentException("imageGrid: cols must be at least 1, got " + cols);
        if (cells.isEmpty()) throw new IllegalArgumentException("imageGrid: no images given");
        this.cols = cols;
        this.cells = List.copyOf(cells);
        for (var c : this.cells) c.target(CELL);
    }

    /** Cell {@code i} (row-major), to change its title, colour map or overlays. */
    public ImagePlot cell(int i) {
        if (i < 0 || i >= cells.size()) throw new IllegalArgumentException("cell: index " + i + " is out of range for " + cells.size() + " cells");
        return cells.get(i);
    }

    /** Number of cells. */
    public int size() {
        return cells.size();
    }

    /** A title above the whole grid. */
    public ImageGrid title(String title) {
        this.title = title;
        return this;
    }

    /** The colour map of every cell. */
    public ImageGrid cmap(Colormap map) {
        for (var c : cells) c.cmap(map);
        return this;
    }

    public ImageGrid cmap(String name) {
        return cmap(Colormap.of(name));
    }

    /** A zero-centred scale in every cell (and in the shared scale). */
    public ImageGrid symmetric() {
        symmetric = true;
        for (var c : cells) c.symmetric();
        return this;
    }

    /** One colour scale over all scalar images (their joint min and max) and one colour bar for the grid. */
    public ImageGrid sharedScale() {
        shared = true;
        return this;
    }

    /** The shared {lo, hi}, or null when the scale is not shared or no cell has a scalar image. */
    double[] sharedRange() {
        if (!shared || cells.stream().noneMatch(ImagePlot::hasScalarImage)) return null;
        double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
        for (var c : cells) {
            double[] r = c.dataRange();
            if (r != null) {
                lo = Math.min(lo, r[0]);
                hi = Math.max(hi, r[1]);
            }
        }
        return hi >= lo ? ImagePlot.scale(lo, hi, symmetric) : ImagePlot.scale(0, 1, symmetric);
    }

    /** Puts the cells on the shared scale, without their own bars; read at each use, as cells may change. */
    private void apply() {
        double[] r = sharedRange();
        for (var c : cells) {
            if (r != null && c.hasScalarImage()) c.range(r[0], r[1]).colorbar(false);
        }
    }

    private int cellWidth() {
        int w = 0;
        for (var c : cells) w = Math.max(w, c.width());
        return w;
    }

    private int cellHeight() {
        int h = 0;
        for (var c : cells) h = Math.max(h, c.height());
        return h;
    }

    private int top() {
        return title == null || title.isEmpty() ? 0 : (int) Math.ceil(Axes.height(Axes.TITLE_FONT)) + 14;
    }

    private int rows() {
        return (cells.size() + cols - 1) / cols;
    }

    private int cellsWidth() {
        return Math.min(cols, cells.size()) * cellWidth();
    }

    /** The shared colour bar's rectangle, or null: right of the cells, spanning their height. */
    Rectangle colorbarBounds() {
        apply();
        if (sharedRange() == null) return null;
        return new Rectangle(cellsWidth() + 6, top() + 16, 14, Math.max(40, rows() * cellHeight() - 40));
    }

    @Override
    public int width() {
        apply();
        double[] r = sharedRange();
        // colorbarWidth counts a 14-pixel gap; the grid's bar sits 6 pixels from the cells.
        return r == null ? cellsWidth() : cellsWidth() - 8 + Axes.colorbarWidth(r[0], r[1], rows() * cellHeight() - 40);
    }

    @Override
    public int height() {
        apply();
        return top() + rows() * cellHeight();
    }

    @Override
    public void paint(Graphics2D g0) {
        apply();
        int cw = cellWidth(), ch = cellHeight(), top = top();
        var g = (Graphics2D) g0.create();
        try {
            Axes.quality(g);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, width(), height());
            for (int i = 0; i < cells.size(); i++) {
                var c = cells.get(i);
                var cg = (Graphics2D) g.create();
                // Centred in its cell, so cells of different shapes line up.
                cg.translate((i % cols) * cw + (cw - c.width()) / 2, top + (i / cols) * ch + (ch - c.height()) / 2);
                c.paint(cg);
                cg.dispose();
            }
            if (title != null && !title.isEmpty()) {
                g.setColor(Axes.INK);
                g.setFont(Axes.TITLE_FONT);
                Axes.text(g, title, width() / 2.0, 6, 0.5, 0);
            }
            double[] r = sharedRange();
            if (r != null) {
                var map = cells.stream().filter(ImagePlot::hasScalarImage).findFirst().orElseThrow().colormap();
                Axes.colorbar(g, colorbarBounds(), map, r[0], r[1]);
            }
        } finally {
            g.dispose();
        }
    }

    @Override
    public String toString() {
        return "ImageGrid(" + cells.size() + " images, " + cols + " columns" + (shared ? ", shared scale" : "") + ", " + width() + "x" + height() + ")";
    }
}
