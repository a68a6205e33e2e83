package callisto.plot;

import callisto.tensor.Tensor;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.geom.Line2D;
import java.awt.geom.Path2D;
import java.awt.geom.RoundRectangle2D;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * A 2-D field on pixel-true axes: an image (a scalar field through a {@link Colormap}, or RGB) with a colour bar,
 * and overlays on the same grid: contour lines, arrows, a deformed grid. Made by {@link Plot#imshow},
 * {@link Plot#contour}, {@link Plot#quiver} or {@link Plot#deformedGrid}; setters return the plot, so calls chain:
 * {@code Plot.imshow(u).cmap("RdBu_r").symmetric().contour(8).title("u(x, y)")}.
 *
 * <p>Coordinates follow matplotlib's {@code imshow}. Value {@code [i][j]} (row i, column j) is the cell centred at
 * x = j, y = i; with {@code origin("upper")} (the default) row 0 is at the top and the y axis counts down, with
 * {@code origin("lower")} row 0 is at the bottom. {@link #extent} relabels the image's edges in data units.
 * Vectors (arrows) are in data units: with the default upper origin a positive v points down the screen, as
 * image flow does. The plot area keeps the grid's aspect, with whole screen pixels per cell when that is close
 * to the 400-pixel default, drawn nearest-neighbour (no blur) in PNG, SVG and PDF alike.
 */
public final class ImagePlot implements Drawable {
    static final int TARGET = 400;
    private static final Color OVERLAY = new Color(230, 57, 70); // a warm red that reads on gray and viridis images

    private sealed interface Layer permits Contour, Quiver, Warp {
    }

    /** Contour lines of a field on the plot's grid; coloured by level unless over an image. */
    private record Contour(double[][] field, double[] levels) implements Layer {
    }

    /** Arrows at grid cells ({@code grid} true: x, y unused, u, v row-major on the grid) or at points (data units). */
    private record Quiver(double[] x, double[] y, double[] u, double[] v, boolean grid) implements Layer {
    }

    /** Where each grid point goes, in grid coordinates (column, row), row-major. */
    private record Warp(double[] cx, double[] cy) implements Layer {
    }

    private record Layout(int width, int height, Axes axes, Rectangle bar, Colormap barMap, double lo, double hi) {
    }

    private Fields.Scalar field; // the scalar picture, or null
    private int[] rgb; // the RGB picture (ARGB pixels), or null
    private int gh, gw; // the grid every field layer shares; 0 until one sets it
    private final List<Layer> layers = new ArrayList<>();
    private Colormap cmap = Colormap.viridis();
    private Double vmin, vmax;
    private boolean symmetric, lower, ticks = true, colorbar = true;
    private double[] extent;
    private String title, xlabel, ylabel;
    private int width, height; // 0: from the grid
    private int target = TARGET;
    private Colormap arrowMap;
    private int stride;

    ImagePlot() {
    }

    /** A scalar field or an RGB image from a tensor: [H,W], [H,W,1], [1,H,W], [H,W,3] or [3,H,W]. */
    static ImagePlot of(String op, Tensor t) {
        Fields.notNull(op, "image", t);
        var p = new ImagePlot();
        int[] s = t.shape();
        boolean oneChannel = s.length == 3 && (s[2] == 1 || s[0] == 1);
        if (s.length == 2 || oneChannel) {
            p.setField(Fields.scalar(op, "image", t));
        } else if (Fields.isRgb(t)) {
            p.rgb = Fields.rgb(op, t);
            p.grid(op, "image", Fields.rgbHeight(t), Fields.rgbWidth(t));
        } else {
            throw new IllegalArgumentException(op + ": expected a 2-D tensor, [H,W,3] or [3,H,W], got shape " + Fields.shape(t));
        }
        return p;
    }

    static ImagePlot of(String op, double[][] values) {
        var p = new ImagePlot();
        p.setField(Fields.scalar(op, "image", values));
        return p;
    }

    private void setField(Fields.Scalar f) {
        field = f;
        grid("imshow", "image", f.h(), f.w());
    }

    // ---- appearance

    /** The colour map for the image, and for contour lines drawn without an image. */
    public ImagePlot cmap(Colormap map) {
        if (map == null) throw new IllegalArgumentException("cmap: map is null");
        cmap = map;
        return this;
    }

    /** A colour map by name, as {@link Colormap#of}: {@code "viridis"}, {@code "magma"}, {@code "gray"}, {@code "RdBu_r"}. */
    public ImagePlot cmap(String name) {
        return cmap(Colormap.of(name));
    }

    /** The value shown as the colour map's low end (default: the data's minimum). */
    public ImagePlot vmin(double v) {
        if (!Double.isFinite(v)) throw new IllegalArgumentException("vmin: must be finite, got " + v);
        if (vmax != null && !(v < vmax)) throw new IllegalArgumentException("vmin: " + v + " must be below vmax " + vmax);
        vmin = v;
        return this;
    }

    /** The value shown as the colour map's high end (default: the data's maximum). */
    public ImagePlot vmax(double v) {
        if (!Double.isFinite(v)) throw new IllegalArgumentException("vmax: must be finite, got " + v);
        if (vmin != null && !(v > vmin)) throw new IllegalArgumentException("vmax: " + v + " must be above vmin " + vmin);
        vmax = v;
        return this;
    }

    /** A scale centred on zero, from -m to m with m the largest |value| (or |vmin|, |vmax|): for diverging maps. */
    public ImagePlot symmetric() {
        symmetric = true;
        return this;
    }

    /** {@code "upper"} (default): row 0 at the top; {@code "lower"}: row 0 at the bottom, y counting up. */
    public ImagePlot origin(String origin) {
        String o = origin == null ? "" : origin.toLowerCase(Locale.ROOT);
        if (!o.equals("upper") && !o.equals("lower")) {
            throw new IllegalArgumentException("origin: expected \"upper\" or \"lower\", got " + (origin == null ? "null" : "\"" + origin + "\""));
        }
        lower = o.equals("lower");
        return this;
    }

    /**
     * The data coordinates of the image's left, right, bottom and top edges, for the axis ticks (matplotlib's
     * extent); by default each cell is one unit, centred on its index.
     */
    public ImagePlot extent(double left, double right, double bottom, double top) {
        if (!(Double.isFinite(left) && Double.isFinite(right) && Double.isFinite(bottom) && Double.isFinite(top)) || left == right || bottom == top) {
            throw new IllegalArgumentException("extent: expected finite left != right and bottom != top, got (" + left + ", " + right + ", " + bottom + ", " + top + ")");
        }
        extent = new double[] {left, right, bottom, top};
        return this;
    }

    public ImagePlot title(String title) {
        this.title = title;
        return this;
    }

    public ImagePlot xlabel(String label) {
        xlabel = label;
        return this;
    }

    public ImagePlot ylabel(String label) {
        ylabel = label;
        return this;
    }

    /** Ticks and tick labels on the axes (on by default); off leaves the frame. */
    public ImagePlot ticks(boolean show) {
        ticks = show;
        return this;
    }

    /** The colour bar beside a scalar image or magnitude-coloured arrows (on by default). */
    public ImagePlot colorbar(boolean show) {
        colorbar = show;
        return this;
    }

    /** A fixed size in pixels; the plot area keeps its aspect inside it. */
    public ImagePlot size(int width, int height) {
        if (width < 50 || height < 50) throw new IllegalArgumentException("size: " + width + "x" + height + " is too small (50x50 at least)");
        this.width = width;
        this.height = height;
        return this;
    }

    /** Arrows coloured by their magnitude through {@code map} (black by default), with a colour bar if no image. */
    public ImagePlot arrowColors(Colormap map) {
        if (map == null) throw new IllegalArgumentException("arrowColors: map is null");
        arrowMap = map;
        return this;
    }

    /**
     * Draws every k-th arrow of grid arrows and every k-th line of deformed grids; by default k keeps about 24
     * arrows and 32 grid lines along the longer side.
     */
    public ImagePlot stride(int k) {
        if (k < 1) throw new IllegalArgumentException("stride: k must be at least 1, got " + k);
        stride = k;
        return this;
    }

    /** Both ends of the colour scale at once (package use: a grid's shared scale). */
    ImagePlot range(double lo, double hi) {
        vmin = lo;
        vmax = hi;
        return this;
    }

    /** The long side of the plot area in pixels when no {@link #size} is set (package use: image grids). */
    ImagePlot target(int pixels) {
        target = pixels;
        return this;
    }

    // ---- overlays

    /** Contour lines of this plot's own scalar field at the given levels, labelled with their values. */
    public ImagePlot contour(double... levels) {
        if (field == null) throw new IllegalArgumentException("contour: the plot has no scalar image; pass the field: contour(field, levels)");
        return addContour("contour", field, levels(levels));
    }

    /** Contour lines of this plot's scalar field at up to n round levels ({@link Contours#levels}). */
    public ImagePlot contour(int n) {
        if (field == null) throw new IllegalArgumentException("contour: the plot has no scalar image; pass the field: contour(field, n)");
        return addContour("contour", field, Contours.levels(field.rows(), n));
    }

    /** Contour lines of another field on this plot's grid. */
    public ImagePlot contour(Tensor field, double... levels) {
        return addContour("contour", Fields.scalar("contour", "field", field), levels(levels));
    }

    public ImagePlot contour(Tensor field, int n) {
        var f = Fields.scalar("contour", "field", field);
        return addContour("contour", f, Contours.levels(f.rows(), n));
    }

    public ImagePlot contour(double[][] field, double... levels) {
        return addContour("contour", Fields.scalar("contour", "field", field), levels(levels));
    }

    public ImagePlot contour(double[][] field, int n) {
        var f = Fields.scalar("contour", "field", field);
        return addContour("contour", f, Contours.levels(f.rows(), n));
    }

    private static double[] levels(double[] levels) {
        if (levels == null || levels.length == 0) throw new IllegalArgumentException("contour: no levels given (pass values, or a count as an int)");
        for (double l : levels) if (!Double.isFinite(l)) throw new IllegalArgumentException("contour: levels must be finite, got " + Arrays.toString(levels));
        double[] s = levels.clone();
        Arrays.sort(s);
        return s;
    }

    private ImagePlot addContour(String op, Fields.Scalar f, double[] levels) {
        if (f.h() < 2 || f.w() < 2) throw new IllegalArgumentException(op + ": the field must be at least 2x2, got shape " + f.shape());
        grid(op, "field", f.h(), f.w());
        layers.add(new Contour(f.rows(), levels));
        return this;
    }

    /** Arrows (u, v) at every cell of a 2-D grid (thinned by {@link #stride}); u along x, v along y. */
    public ImagePlot quiver(Tensor u, Tensor v) {
        var uv = Fields.pair("quiver", "u", u, "v", v);
        grid("quiver", "u", uv[0].h(), uv[0].w());
        layers.add(new Quiver(null, null, uv[0].v(), uv[1].v(), true));
        return this;
    }

    /**
     * Arrows (u, v) at points (x, y) in data coordinates. Rule: all arrows share one scale, chosen so the longest
     * is 0.9 of the typical spacing between arrows (the grid step, or for points sqrt(bounding-box area / n)).
     */
    public ImagePlot quiver(double[] x, double[] y, double[] u, double[] v) {
        int n = x == null ? -1 : x.length;
        if (n < 1 || y == null || u == null || v == null || y.length != n || u.length != n || v.length != n) {
            throw new IllegalArgumentException("quiver: x, y, u, v must have one equal, non-zero length, got "
                    + len(x) + ", " + len(y) + ", " + len(u) + ", " + len(v));
        }
        layers.add(new Quiver(x.clone(), y.clone(), u.clone(), v.clone(), false));
        return this;
    }

    /** Arrows at points, from four tensors of one shape (flattened). */
    public ImagePlot quiver(Tensor x, Tensor y, Tensor u, Tensor v) {
        Tensor[] t = {x, y, u, v};
        String[] names = {"x", "y", "u", "v"};
        for (int i = 0; i < 4; i++) {
            Fields.notNull("quiver", names[i], t[i]);
            if (!Arrays.equals(t[i].shape(), x.shape())) {
                throw new IllegalArgumentException("quiver: x has shape " + Fields.shape(x) + " but " + names[i] + " has shape " + Fields.shape(t[i]));
            }
        }
        return quiver(x.toArray(), y.toArray(), u.toArray(), v.toArray());
    }

    private static String len(double[] a) {
        return a == null ? "null" : String.valueOf(a.length);
    }

    /**
     * The grid warped by a deformation: {@code phi} of shape [H,W,2] (or [2,H,W]) holds, for each grid point,
     * the (x, y) = (column, row) position it moves to, in grid units. Every k-th row and column line is drawn.
     */
    public ImagePlot deformedGrid(Tensor phi) {
        var p = Fields.pair("deformedGrid", "phi", phi);
        return addWarp("deformedGrid", p[0], p[1], false);
    }

    /** As {@link #deformedGrid(Tensor)} with the x (column) and y (row) positions as two 2-D tensors. */
    public ImagePlot deformedGrid(Tensor x, Tensor y) {
        var p = Fields.pair("deformedGrid", "x", x, "y", y);
        return addWarp("deformedGrid", p[0], p[1], false);
    }

    /** The grid moved by a displacement field of shape [H,W,2] (or [2,H,W]): point (j, i) goes to (j + u_x, i + u_y). */
    public ImagePlot displacementGrid(Tensor u) {
        var p = Fields.pair("displacementGrid", "u", u);
        return addWarp("displacementGrid", p[0], p[1], true);
    }

    /** As {@link #displacementGrid(Tensor)} with the x and y displacements as two 2-D tensors. */
    public ImagePlot displacementGrid(Tensor ux, Tensor uy) {
        var p = Fields.pair("displacementGrid", "ux", ux, "uy", uy);
        return addWarp("displacementGrid", p[0], p[1], true);
    }

    private ImagePlot addWarp(String op, Fields.Scalar x, Fields.Scalar y, boolean relative) {
        if (x.h() < 2 || x.w() < 2) throw new IllegalArgumentException(op + ": needs at least a 2x2 grid, got " + x.shape());
        grid(op, "field", x.h(), x.w());
        double[] cx = x.v().clone(), cy = y.v().clone();
        if (relative) {
            for (int p = 0; p < cx.length; p++) {
                cx[p] += p % x.w();
                cy[p] += p / x.w();
            }
        }
        layers.add(new Warp(cx, cy));
        return this;
    }

    /** Every field layer must lie on one grid: the first sets it. */
    private void grid(String op, String arg, int h, int w) {
        if (gh == 0) {
            gh = h;
            gw = w;
        } else if (gh != h || gw != w) {
            throw new IllegalArgumentException(op + ": " + arg + " has shape [" + h + ", " + w + "] but the plot's grid is [" + gh + ", " + gw + "]");
        }
    }

    // ---- what tests and image grids read

    /** {min, max} of the scalar image's finite values, or null. */
    double[] dataRange() {
        return field == null ? null : field.range();
    }

    boolean hasScalarImage() {
        return field != null;
    }

    Colormap colormap() {
        return cmap;
    }

    /** The colour scale {lo, hi} of the scalar image. */
    double[] scale() {
        double[] r = dataRange();
        return scale(vmin != null ? vmin : r != null ? r[0] : 0, vmax != null ? vmax : r != null ? r[1] : 1, symmetric);
    }

    /** A colour scale from a value range: centred on zero if asked, widened when empty. */
    static double[] scale(double lo, double hi, boolean symmetric) {
        if (symmetric) {
            double m = Math.max(Math.abs(lo), Math.abs(hi));
            lo = -m;
            hi = m;
        }
        if (!(hi > lo)) { // a constant field: centre it in the map
            double pad = lo == 0 ? 0.5 : Math.abs(lo) * 0.5;
            lo -= pad;
            hi += pad;
        }
        return new double[] {lo, hi};
    }

    Rectangle plotArea() {
        return new Rectangle(layout().axes().area);
    }

    /** The colour bar's rectangle, or null when none is drawn. */
    Rectangle colorbarBounds() {
        return layout().bar();
    }

    Axes axes() {
        return layout().axes();
    }

    // ---- layout

    /** The grid's own extent in data units (the user's, or one unit per cell), or null without a grid. */
    private double[] gridExtent() {
        if (gh == 0) return null;
        if (extent != null) return extent.clone();
        return lower ? new double[] {-0.5, gw - 0.5, -0.5, gh - 0.5} : new double[] {-0.5, gw - 0.5, gh - 0.5, -0.5};
    }

    // Grid coordinates (column c, row r, possibly fractional) to data coordinates.
    private double dataX(double[] e, double c) {
        return e[0] + (c + 0.5) * (e[1] - e[0]) / gw;
    }

    private double dataY(double[] e, double r) {
        return lower ? e[2] + (r + 0.5) * (e[3] - e[2]) / gh : e[3] + (r + 0.5) * (e[2] - e[3]) / gh;
    }

    /** Axis limits {left, right, bottom, top}: the image's extent, or what the overlays cover when there is none. */
    private double[] limits() {
        if (extent != null) return extent.clone();
        double[] e = gridExtent();
        if (field != null || rgb != null) return e;
        double x0 = Double.POSITIVE_INFINITY, x1 = Double.NEGATIVE_INFINITY, y0 = x0, y1 = x1;
        if (e != null) {
            x0 = Math.min(e[0], e[1]);
            x1 = Math.max(e[0], e[1]);
            y0 = Math.min(e[2], e[3]);
            y1 = Math.max(e[2], e[3]);
        }
        for (Layer l : layers) {
            if (l instanceof Warp w) {
                for (int p = 0; p < w.cx().length; p++) {
                    double x = dataX(e, w.cx()[p]), y = dataY(e, w.cy()[p]);
                    if (Double.isFinite(x) && Double.isFinite(y)) {
                        x0 = Math.min(x0, x);
                        x1 = Math.max(x1, x);
                        y0 = Math.min(y0, y);
                        y1 = Math.max(y1, y);
                    }
                }
            } else if (l instanceof Quiver q && !q.grid()) {
                double[] b = bounds(q.x(), q.y());
                // Room for the arrows, which reach up to 0.9 of the spacing past their points.
                double pad = spacing(b[1] - b[0], b[3] - b[2], q.x().length);
                x0 = Math.min(x0, b[0] - pad);
                x1 = Math.max(x1, b[1] + pad);
                y0 = Math.min(y0, b[2] - pad);
                y1 = Math.max(y1, b[3] + pad);
            }
        }
        if (!(x1 >= x0)) return new double[] {0, 1, 0, 1};
        if (x1 == x0) {
            x0 -= 0.5;
            x1 += 0.5;
        }
        if (y1 == y0) {
            y0 -= 0.5;
            y1 += 0.5;
        }
        boolean down = e != null && e[2] > e[3]; // keep an image-style axis counting down
        return down ? new double[] {x0, x1, y1, y0} : new double[] {x0, x1, y0, y1};
    }

    private static double[] bounds(double[] x, double[] y) {
        double x0 = Double.POSITIVE_INFINITY, x1 = Double.NEGATIVE_INFINITY, y0 = x0, y1 = x1;
        for (int i = 0; i < x.length; i++) {
            if (Double.isFinite(x[i]) && Double.isFinite(y[i])) {
                x0 = Math.min(x0, x[i]);
                x1 = Math.max(x1, x[i]);
                y0 = Math.min(y0, y[i]);
                y1 = Math.max(y1, y[i]);
            }
        }
        return x1 >= x0 ? new double[] {x0, x1, y0, y1} : new double[] {0, 1, 0, 1};
    }

    /** Typical distance between n points spread over a w x h box (either side may be zero). */
    private static double spacing(double w, double h, int n) {
        double s = Math.max(Math.sqrt(w * h / n), Math.max(w, h) / n);
        return s > 0 ? s : 1;
    }

    /** The plot area's natural size: whole pixels per cell for an image, else the limits' aspect (clamped). */
    private int[] naturalArea(double[] lim) {
        if (field != null || rgb != null) {
            int m = Math.max(gh, gw);
            double s = (double) target / m;
            if (s >= 1 && Math.floor(s) * m >= 0.7 * target) s = Math.floor(s);
            return new int[] {Math.max(60, (int) Math.round(gw * s)), Math.max(60, (int) Math.round(gh * s))};
        }
        double a = Math.max(1 / 3.0, Math.min(3, Math.abs(lim[1] - lim[0]) / Math.abs(lim[3] - lim[2])));
        return a >= 1 ? new int[] {target, (int) Math.round(target / a)} : new int[] {(int) Math.round(target * a), target};
    }

    private Layout layout() {
        double[] lim = limits();
        Colormap barMap = null;
        double lo = 0, hi = 1;
        if (colorbar && field != null) {
            barMap = cmap;
            double[] s = scale();
            lo = s[0];
            hi = s[1];
        } else if (colorbar && rgb == null && arrowMap != null && maxMagnitude() > 0) {
            barMap = arrowMap;
            hi = maxMagnitude();
        }
        int[] area = naturalArea(lim);
        int aw = area[0], ah = area[1];
        double[] xt = Axes.ticks(lim[0], lim[1], Math.max(2, aw / 70));
        double[] yt = Axes.ticks(lim[2], lim[3], Math.max(2, ah / 50));
        int[] m = Axes.margins(ticks, yt, title, xlabel, ylabel);
        int bw = barMap != null ? Axes.colorbarWidth(lo, hi, ah) : 0;
        int left = m[0], top = m[1], w, h;
        if (width > 0) {
            int availW = Math.max(10, width - m[0] - m[2] - bw), availH = Math.max(10, height - m[1] - m[3]);
            double aspect = (double) aw / ah;
            aw = Math.min(availW, (int) Math.round(availH * aspect));
            ah = Math.min(availH, (int) Math.round(aw / aspect));
            left += (availW - aw) / 2;
            top += (availH - ah) / 2;
            xt = Axes.ticks(lim[0], lim[1], Math.max(2, aw / 70));
            yt = Axes.ticks(lim[2], lim[3], Math.max(2, ah / 50));
            w = width;
            h = height;
        } else {
            w = m[0] + aw + m[2] + bw;
            h = m[1] + ah + m[3];
        }
        var axes = new Axes(new Rectangle(left, top, aw, ah), lim[0], lim[1], lim[2], lim[3], xt, yt);
        return new Layout(w, h, axes, barMap != null ? Axes.colorbarBounds(axes.area) : null, barMap, lo, hi);
    }

    @Override
    public int width() {
        return layout().width();
    }

    @Override
    public int height() {
        return layout().height();
    }

    // ---- painting

    @Override
    public void paint(Graphics2D g0) {
        var L = layout();
        var g = (Graphics2D) g0.create();
        try {
            Axes.quality(g);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, L.width(), L.height());
            Rectangle area = L.axes().area;
            if (field != null || rgb != null) g.drawImage(picture(area.width, area.height), area.x, area.y, null);
            var clip = (Graphics2D) g.create();
            clip.clip(area);
            for (Layer l : layers) {
                switch (l) {
                    case Contour c -> paintContour(clip, L.axes(), c);
                    case Quiver q -> paintQuiver(clip, L.axes(), q);
                    case Warp w -> paintWarp(clip, L.axes(), w);
                }
            }
            clip.dispose();
            L.axes().decorate(g, ticks, title, xlabel, ylabel);
            if (L.bar() != null) Axes.colorbar(g, L.bar(), L.barMap(), L.lo(), L.hi());
        } finally {
            g.dispose();
        }
    }

    /** The image at exactly the area's pixel size, nearest neighbour, so no viewer or format smooths it. */
    private BufferedImage picture(int aw, int ah) {
        int[] src = rgb;
        if (src == null) {
            double[] s = scale();
            double lo = s[0], span = s[1] - s[0];
            src = new int[gh * gw];
            for (int p = 0; p < src.length; p++) {
                double v = field.v()[p];
                src[p] = cmap.argb(Double.isNaN(v) ? Double.NaN : (v - lo) / span);
            }
        }
        int[] col = new int[aw];
        for (int x = 0; x < aw; x++) col[x] = Math.min(gw - 1, (int) ((x + 0.5) * gw / aw));
        var img = new BufferedImage(aw, ah, BufferedImage.TYPE_INT_ARGB);
        int[] line = new int[aw];
        for (int y = 0; y < ah; y++) {
            int r = Math.min(gh - 1, (int) ((y + 0.5) * gh / ah));
            if (lower) r = gh - 1 - r;
            for (int x = 0; x < aw; x++) line[x] = src[r * gw + col[x]];
            img.setRGB(0, y, aw, 1, line, 0, aw);
        }
        return img;
    }

    private void paintContour(Graphics2D g, Axes ax, Contour c) {
        double[] e = gridExtent();
        boolean overImage = field != null || rgb != null;
        if (c.levels().length == 0) return; // contour(n) of a constant field
        double first = c.levels()[0];
        double step = c.levels().length > 1 ? minGap(c.levels()) : first != 0 ? Math.abs(first) : 1;
        g.setStroke(new BasicStroke(1.3f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
        record Label(String text, double x, double y, Color color) {
        }
        var labels = new ArrayList<Label>();
        int n = c.levels().length;
        for (int k = 0; k < n; k++) {
            double level = c.levels()[k];
            // Without an image, lines take the map's colours; stop short of its light end, which vanishes on white.
            Color color = overImage ? Axes.INK : cmap.at(n == 1 ? 0.5 : 0.9 * k / (n - 1));
            g.setColor(color);
            Contours.Line longest = null;
            for (var line : Contours.lines(c.field(), level)) {
                var path = new Path2D.Double();
                for (int i = 0; i < line.size(); i++) {
                    double x = ax.px(dataX(e, line.x()[i])), y = ax.py(dataY(e, line.y()[i]));
                    if (i == 0) path.moveTo(x, y);
                    else path.lineTo(x, y);
                }
                if (line.closed()) path.closePath();
                g.draw(path);
                if (longest == null || line.size() > longest.size()) longest = line;
            }
            if (longest != null) {
                int mid = longest.size() / 2;
                labels.add(new Label(Axes.format(level, step), ax.px(dataX(e, longest.x()[mid])), ax.py(dataY(e, longest.y()[mid])), color));
            }
        }
        // Labels last, so no later line crosses them; a pale box keeps them legible over any image.
        g.setFont(Axes.TICK_FONT);
        for (var l : labels) {
            double w = Axes.width(Axes.TICK_FONT, l.text()) + 6, h = Axes.height(Axes.TICK_FONT) + 2;
            g.setColor(new Color(255, 255, 255, 210));
            g.fill(new RoundRectangle2D.Double(l.x() - w / 2, l.y() - h / 2, w, h, 4, 4));
            g.setColor(overImage ? Axes.INK : l.color().darker());
            Axes.text(g, l.text(), l.x(), l.y(), 0.5, 0.5);
        }
    }

    private static double minGap(double[] sorted) {
        double m = Double.POSITIVE_INFINITY;
        for (int i = 1; i < sorted.length; i++) if (sorted[i] > sorted[i - 1]) m = Math.min(m, sorted[i] - sorted[i - 1]);
        return Double.isFinite(m) ? m : 1;
    }

    /** The largest arrow magnitude over all quiver layers, the top of the arrow colour scale. */
    private double maxMagnitude() {
        double m = 0;
        for (Layer l : layers) {
            if (l instanceof Quiver q) {
                for (int i = 0; i < q.u().length; i++) {
                    double a = Math.hypot(q.u()[i], q.v()[i]);
                    if (Double.isFinite(a)) m = Math.max(m, a);
                }
            }
        }
        return m;
    }

    private void paintQuiver(Graphics2D g, Axes ax, Quiver q) {
        // Tail points and vectors, in pixels.
        var tails = new ArrayList<double[]>();
        var index = new ArrayList<Integer>();
        double spacing;
        if (q.grid()) {
            double[] e = gridExtent();
            int k = stride > 0 ? stride : Math.max(1, (int) Math.ceil(Math.max(gh, gw) / 24.0));
            for (int r = (gh - 1) % k / 2; r < gh; r += k) {
                for (int c = (gw - 1) % k / 2; c < gw; c += k) {
                    tails.add(new double[] {ax.px(dataX(e, c)), ax.py(dataY(e, r))});
                    index.add(r * gw + c);
                }
            }
            spacing = k * Math.min(Math.abs(ax.area.width / (double) gw), Math.abs(ax.area.height / (double) gh));
        } else {
            for (int i = 0; i < q.x().length; i++) {
                tails.add(new double[] {ax.px(q.x()[i]), ax.py(q.y()[i])});
                index.add(i);
            }
            double[] b = bounds(q.x(), q.y());
            spacing = spacing(Math.abs((b[1] - b[0]) * ax.pxPerX()), Math.abs((b[3] - b[2]) * ax.pyPerY()), q.x().length);
            if (q.x().length == 1) spacing = 0.1 * Math.min(ax.area.width, ax.area.height);
        }
        double longest = 0;
        for (int i : index) {
            double len = Math.hypot(q.u()[i] * ax.pxPerX(), q.v()[i] * ax.pyPerY());
            if (Double.isFinite(len)) longest = Math.max(longest, len);
        }
        if (longest == 0) return;
        double scale = 0.9 * spacing / longest;
        double top = maxMagnitude();
        g.setStroke(new BasicStroke(1.2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER));
        for (int a = 0; a < tails.size(); a++) {
            int i = index.get(a);
            double u = q.u()[i], v = q.v()[i];
            if (!Double.isFinite(u) || !Double.isFinite(v) || !Double.isFinite(tails.get(a)[0]) || !Double.isFinite(tails.get(a)[1])) continue;
            g.setColor(arrowMap == null ? Axes.INK : arrowMap.at(Math.hypot(u, v) / top));
            arrow(g, tails.get(a)[0], tails.get(a)[1], u * ax.pxPerX() * scale, v * ax.pyPerY() * scale);
        }
    }

    /** A shaft and a filled head from (x, y) along (dx, dy) pixels; the head scales with short arrows. */
    private static void arrow(Graphics2D g, double x, double y, double dx, double dy) {
        double len = Math.hypot(dx, dy);
        if (len < 0.5) return;
        double head = Math.min(len, Math.min(9, Math.max(3, 0.35 * len)));
        double ux = dx / len, uy = dy / len, half = 0.45 * head;
        double bx = x + dx - ux * head, by = y + dy - uy * head;
        if (len > head) g.draw(new Line2D.Double(x, y, bx + ux * 0.5, by + uy * 0.5));
        var tri = new Path2D.Double();
        tri.moveTo(x + dx, y + dy);
        tri.lineTo(bx - uy * half, by + ux * half);
        tri.lineTo(bx + uy * half, by - ux * half);
        tri.closePath();
        g.fill(tri);
    }

    private void paintWarp(Graphics2D g, Axes ax, Warp w) {
        double[] e = gridExtent();
        int k = stride > 0 ? stride : Math.max(1, (int) Math.ceil(Math.max(gh, gw) / 32.0));
        g.setColor(field != null || rgb != null ? OVERLAY : Axes.INK);
        g.setStroke(new BasicStroke(1f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
        // Each drawn line follows every grid point along it, so the warp shows smoothly between the lines.
        for (int r : every(gh, k)) polyline(g, ax, e, w, r * gw, 1, gw);
        for (int c : every(gw, k)) polyline(g, ax, e, w, c, gw, gh);
    }

    /** 0, k, 2k, ... and always the last index, so the grid's border is drawn (moved there if it is close). */
    private static int[] every(int n, int k) {
        var list = new ArrayList<Integer>();
        for (int i = 0; i < n; i += k) list.add(i);
        int gap = n - 1 - list.getLast();
        if (gap > 0 && gap <= k / 2 && list.size() > 1) list.set(list.size() - 1, n - 1);
        else if (gap > 0) list.add(n - 1);
        return list.stream().mapToInt(Integer::intValue).toArray();
    }

    private void polyline(Graphics2D g, Axes ax, double[] e, Warp w, int start, int step, int count) {
        var path = new Path2D.Double();
        boolean pen = false;
        for (int i = 0; i < count; i++) {
            int p = start + i * step;
            double x = ax.px(dataX(e, w.cx()[p])), y = ax.py(dataY(e, w.cy()[p]));
            if (!Double.isFinite(x) || !Double.isFinite(y)) {
                pen = false; // a NaN point breaks the line
                continue;
            }
            if (pen) path.lineTo(x, y);
            else path.moveTo(x, y);
            pen = true;
        }
        g.draw(path);
    }

    @Override
    public String toString() {
        var s = new StringBuilder("ImagePlot(");
        if (title != null && !title.isEmpty()) s.append('"').append(title).append("\", ");
        if (field != null) s.append(gh).append('x').append(gw).append(' ').append(cmap.name()).append(", ");
        else if (rgb != null) s.append(gh).append('x').append(gw).append(" RGB, ");
        if (!layers.isEmpty()) s.append(layers.size()).append(layers.size() == 1 ? " overlay, " : " overlays, ");
        var L = layout();
        return s.append(L.width()).append('x').append(L.height()).append(')').toString();
    }
}
