package callisto.plot;

import callisto.tensor.Tensor;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.geom.Rectangle2D;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.knowm.xchart.AnnotationText;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.XYSeries.XYSeriesRenderStyle;
import org.knowm.xchart.internal.chartpart.Annotation;
import org.knowm.xchart.style.XYStyler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * A line and scatter chart: build it with {@link Plot#figure()}, add series, and leave it as a cell's value
 * (it renders as PNG and SVG) or {@link #save} it. Setters return the figure, so calls chain:
 * {@code Plot.figure().title("loss").logY().line("train", steps, losses)}.
 *
 * <p>Besides lines and points: {@link #errorbars}, {@link #area}, {@link #fillBetween} (a band such as mean ± std
 * over seeds), {@link #hist}, {@link #annotate text}, reference lines ({@link #axhline}, {@link #axvline}), axis
 * limits, per-series {@link #color colours} and {@link #lineStyle line styles}, and a {@link #theme theme}.
 * Series take the theme's colour cycle in the order they are added, except those given a colour.
 */
public final class Figure extends XChartDrawable<XYChart> {
    /** How a series is drawn, which decides how its colour is applied. */
    private enum Kind { LINE, SCATTER, ERRORBARS, AREA, BAND, HIST }

    private static final class Style {
        final Kind kind;
        Color color; // null: the next colour of the theme's cycle
        BasicStroke stroke; // null: solid

        Style(Kind kind) {
            this.kind = kind;
        }
    }

    /** XChart keeps a chart's size protected; this opens it for {@link #size}. */
    private static final class SizedXYChart extends XYChart {
        SizedXYChart(int width, int height) {
            super(width, height);
        }

        void resize(int width, int height) {
            setWidth(width);
            setHeight(height);
        }
    }

    private final Map<String, Style> styles = new HashMap<>();
    private int unnamed;

    Figure(int width, int height) {
        this(width, height, Plot.theme());
    }

    Figure(int width, int height, Theme theme) {
        super(new SizedXYChart(width, height), theme);
        XYStyler s = chart.getStyler();
        s.setLegendVisible(false); // shown once a series has a name
        s.setMarkerSize(5);
        s.setAnnotationTextFont(s.getAxisTickLabelsFont());
    }

    /** The XChart chart underneath, for anything this API does not cover. */
    public XYChart chart() {
        return chart;
    }

    /** The chart's title, above the plot. */
    public Figure title(String title) {
        chart.setTitle(title);
        return this;
    }

    /** The x axis's title. */
    public Figure xlabel(String label) {
        chart.setXAxisTitle(label);
        return this;
    }

    /** The y axis's title. */
    public Figure ylabel(String label) {
        chart.setYAxisTitle(label);
        return this;
    }

    /** A logarithmic y axis (semilogy); values must be positive. */
    public Figure logY() {
        chart.getStyler().setYAxisLogarithmic(true);
        return this;
    }

    /** A logarithmic x axis. */
    public Figure logX() {
        chart.getStyler().setXAxisLogarithmic(true);
        return this;
    }

    /** A line through (x, y); a named series appears in the legend. */
    public Figure line(String name, double[] x, double[] y) {
        add("line", name, x, y, null, XYSeriesRenderStyle.Line, Kind.LINE);
        return this;
    }

    /** A line of y against 0, 1, 2, .... */
    public Figure line(String name, double[] y) {
        return line(name, index(y.length), y);
    }

    /** A line through the values of two 1-D tensors. */
    public Figure line(String name, Tensor x, Tensor y) {
        return line(name, vector("line", "x", x), vector("line", "y", y));
    }

    /** Points at (x, y), without a line. */
    public Figure scatter(String name, double[] x, double[] y) {
        add("scatter", name, x, y, null, XYSeriesRenderStyle.Scatter, Kind.SCATTER);
        return this;
    }

    /** Points at the values of two 1-D tensors. */
    public Figure scatter(String name, Tensor x, Tensor y) {
        return scatter(name, vector("scatter", "x", x), vector("scatter", "y", y));
    }

    /** Points at (x, y) joined by a line, each with a vertical bar from {@code y - yerr} to {@code y + yerr}. */
    public Figure errorbars(String name, double[] x, double[] y, double[] yerr) {
        if (x == null || y == null) throw new IllegalArgumentException("errorbars: series '" + name + "' needs x and y values, got null");
        if (yerr == null || yerr.length != y.length) {
            throw new IllegalArgumentException("errorbars: series '" + name + "' has " + y.length + " y values and "
                    + (yerr == null ? "no" : String.valueOf(yerr.length)) + " yerr values");
        }
        for (int i = 0; i < yerr.length; i++) {
            if (!(yerr[i] >= 0) || Double.isInfinite(yerr[i])) {
                throw new IllegalArgumentException("errorbars: series '" + name + "' has yerr[" + i + "] = " + yerr[i] + " (must be finite and ≥ 0)");
            }
            if (chart.getStyler().isYAxisLogarithmic() && !(y[i] - yerr[i] > 0)) {
                throw new IllegalArgumentException("errorbars: series '" + name + "' reaches y[" + i + "] - yerr[" + i + "] = " + (y[i] - yerr[i])
                        + " on a log axis (must be > 0)");
            }
        }
        XYSeries s = add("errorbars", name, x, y, yerr, XYSeriesRenderStyle.Line, Kind.ERRORBARS);
        s.setMarker(SeriesMarkers.CIRCLE);
        return this;
    }

    /** A line through (x, y) filled down to the bottom of the plot. */
    public Figure area(String name, double[] x, double[] y) {
        add("area", name, x, y, null, XYSeriesRenderStyle.Area, Kind.AREA);
        return this;
    }

    /**
     * A translucent band between {@code lo} and {@code hi} over x, such as mean ± std across seeds: one closed polygon
     * along hi and back along lo, so it covers exactly the region between them and nothing below. Add it before the
     * mean line so the line draws on top, and give both the same {@link #color} to pair them. An unnamed band stays
     * out of the legend.
     */
    public Figure fillBetween(String name, double[] x, double[] lo, double[] hi) {
        if (x == null || lo == null || hi == null) throw new IllegalArgumentException("fillBetween: x, lo and hi must not be null");
        if (lo.length != x.length || hi.length != x.length) {
            throw new IllegalArgumentException("fillBetween: band '" + name + "' has " + x.length + " x values, " + lo.length + " lo values and "
                    + hi.length + " hi values");
        }
        int n = x.length;
        double[] px = new double[2 * n], py = new double[2 * n];
        for (int i = 0; i < n; i++) {
            px[i] = x[i];
            py[i] = hi[i];
            px[2 * n - 1 - i] = x[i];
            py[2 * n - 1 - i] = lo[i];
        }
        XYSeries s = add("fillBetween", name, px, py, null, XYSeriesRenderStyle.PolygonArea, Kind.BAND);
        if (name == null || name.isEmpty()) s.setShowInLegend(false);
        return this;
    }

    /** A band between two 1-D tensors. */
    public Figure fillBetween(String name, Tensor x, Tensor lo, Tensor hi) {
        return fillBetween(name, vector("fillBetween", "x", x), vector("fillBetween", "lo", lo), vector("fillBetween", "hi", hi));
    }

    /** A histogram of {@code data} in {@code bins} equal bins over its range (see {@link Bins} for the rule at edges). */
    public Figure hist(String name, double[] data, int bins) {
        return hist(name, Bins.of(data, bins));
    }

    /** A histogram; with {@code density} the bars' total area is 1, so a probability density can be overlaid. */
    public Figure hist(String name, double[] data, int bins, boolean density) {
        Bins b = Bins.of(data, bins);
        return hist(name, density ? b.density() : b);
    }

    /**
     * Bars for precomputed bins, drawn as one filled step outline over the bin edges, so the x axis stays numeric
     * and a curve (a fitted density, say) can be overlaid with {@link #line}.
     */
    public Figure hist(String name, Bins bins) {
        double[] e = bins.edges(), c = bins.counts();
        int n = c.length;
        double[] px = new double[2 * n + 2], py = new double[2 * n + 2];
        px[0] = e[0];
        for (int i = 0; i < n; i++) {
            px[2 * i + 1] = e[i];
            py[2 * i + 1] = c[i];
            px[2 * i + 2] = e[i + 1];
            py[2 * i + 2] = c[i];
        }
        px[2 * n + 1] = e[n];
        if (chart.getStyler().isYAxisLogarithmic()) throw new IllegalArgumentException("hist: bars start at 0, which a log y axis cannot show");
        XYSeries s = add("hist", name, px, py, null, XYSeriesRenderStyle.PolygonArea, Kind.HIST);
        if (name == null || name.isEmpty()) s.setShowInLegend(false);
        return this;
    }

    /** Text centred at (x, y) in data coordinates. */
    public Figure annotate(String text, double x, double y) {
        if (text == null) throw new IllegalArgumentException("annotate: text must not be null");
        if (!Double.isFinite(x) || !Double.isFinite(y)) throw new IllegalArgumentException("annotate: position must be finite, got (" + x + ", " + y + ")");
        chart.addAnnotation(new AnnotationText(text, x, y, false));
        return this;
    }

    /** A dashed horizontal reference line across the plot at y (it does not widen the axes; see {@link #ylim}). */
    public Figure axhline(double y) {
        return axhline(y, null);
    }

    /** A dashed horizontal reference line in the given colour. */
    public Figure axhline(double y, Color color) {
        if (!Double.isFinite(y)) throw new IllegalArgumentException("axhline: y must be finite, got " + y);
        chart.addAnnotation(new RefLine(y, false, color));
        return this;
    }

    /** A dashed vertical reference line across the plot at x, such as the step where a schedule changes. */
    public Figure axvline(double x) {
        return axvline(x, null);
    }

    /** A dashed vertical reference line in the given colour. */
    public Figure axvline(double x, Color color) {
        if (!Double.isFinite(x)) throw new IllegalArgumentException("axvline: x must be finite, got " + x);
        chart.addAnnotation(new RefLine(x, true, color));
        return this;
    }

    /** The x axis spans [lo, hi]; series outside are clipped. */
    public Figure xlim(double lo, double hi) {
        checkLimits("xlim", lo, hi, chart.getStyler().isXAxisLogarithmic());
        chart.getStyler().setXAxisMin(lo).setXAxisMax(hi);
        return this;
    }

    /** The y axis spans [lo, hi]; series outside are clipped. */
    public Figure ylim(double lo, double hi) {
        checkLimits("ylim", lo, hi, chart.getStyler().isYAxisLogarithmic());
        chart.getStyler().setYAxisMin(lo).setYAxisMax(hi);
        return this;
    }

    private static void checkLimits(String op, double lo, double hi, boolean log) {
        if (!(Double.isFinite(lo) && Double.isFinite(hi) && lo < hi)) {
            throw new IllegalArgumentException(op + ": limits must be finite with lo < hi, got (" + lo + ", " + hi + ")");
        }
        if (log && lo <= 0) throw new IllegalArgumentException(op + ": lo must be > 0 on a log axis, got " + lo);
    }

    /** The figure's size in pixels. */
    public Figure size(int width, int height) {
        resize(width, height);
        return this;
    }

    @Override
    void resize(int width, int height) {
        checkSize("size", width, height);
        ((SizedXYChart) chart).resize(width, height);
    }

    /**
     * Where the legend goes: "upper right", "upper left", "lower right", "lower left", "upper center",
     * "lower center" (inside the plot), "right" (outside, the default) or "below" (outside).
     */
    public Figure legend(String position) {
        chart.getStyler().setLegendPosition(legendPosition("legend", position));
        return this;
    }

    /** Shows or hides the legend (it appears by itself once a series is named). */
    public Figure legend(boolean visible) {
        chart.getStyler().setLegendVisible(visible);
        return this;
    }

    /** Shows or hides the grid lines. */
    public Figure grid(boolean visible) {
        chart.getStyler().setPlotGridLinesVisible(visible);
        return this;
    }

    /** Colours and background for this figure (the session default is {@link Plot#theme(Theme)}). */
    public Figure theme(Theme theme) {
        this.theme = checkTheme(theme);
        return this;
    }

    /** The series' colour, instead of the next one in the theme's cycle. */
    public Figure color(String series, Color color) {
        if (color == null) throw new IllegalArgumentException("color: colour for series '" + series + "' must not be null");
        style("color", series).color = color;
        return this;
    }

    /** The series' colour as "#rrggbb", "#rgb" or a plain name such as "red". */
    public Figure color(String series, String color) {
        return color(series, parseColor("color", color));
    }

    /** The series' line: "-" (solid), "--" (dashed), ":" (dotted) or "-." (dash-dot), or those names spelled out. */
    public Figure lineStyle(String series, String style) {
        Style st = style("lineStyle", series);
        String s = style == null ? "" : style.trim().toLowerCase(Locale.ROOT);
        st.stroke = switch (s) {
            case "-", "solid" -> null;
            case "--", "dashed" -> new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10f, new float[] {6f, 4f}, 0f);
            case ":", "dotted" -> new BasicStroke(2f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND, 10f, new float[] {0.5f, 4f}, 0f);
            case "-.", "dashdot" -> new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10f, new float[] {6f, 3f, 1.5f, 3f}, 0f);
            default -> throw new IllegalArgumentException("lineStyle: style must be \"-\", \"--\", \":\" or \"-.\" (or solid, dashed, dotted, "
                    + "dashdot), got " + (style == null ? "null" : "\"" + style + "\""));
        };
        return this;
    }

    /** Shorthand for {@code lineStyle(series, "--")}. */
    public Figure dashed(String series) {
        return lineStyle(series, "--");
    }

    private Style style(String op, String series) {
        Style st = styles.get(series);
        if (st == null) throw new IllegalArgumentException(op + ": no series named '" + series + "'; the figure has " + styles.keySet());
        return st;
    }

    private XYSeries add(String op, String name, double[] x, double[] y, double[] err, XYSeriesRenderStyle render, Kind kind) {
        if (x == null || y == null) throw new IllegalArgumentException(op + ": series '" + name + "' needs x and y values, got null");
        if (x.length != y.length) {
            throw new IllegalArgumentException(op + ": series '" + name + "' has " + x.length + " x values and " + y.length + " y values");
        }
        if (x.length == 0) throw new IllegalArgumentException(op + ": series '" + name + "' is empty");
        if (chart.getStyler().isYAxisLogarithmic()) {
            for (int i = 0; i < y.length; i++) {
                if (!(y[i] > 0)) {
                    throw new IllegalArgumentException(op + ": series '" + name + "' has y[" + i + "] = " + y[i] + " on a log axis (values must be > 0)");
                }
            }
        }
        String label = name;
        if (label == null || label.isEmpty()) {
            label = "series " + (++unnamed);
        } else {
            chart.getStyler().setLegendVisible(true);
        }
        if (chart.getSeriesMap().containsKey(label)) throw new IllegalArgumentException(op + ": a series named '" + label + "' exists already");
        XYSeries s = err == null ? chart.addSeries(label, x, y) : chart.addSeries(label, x, y, err);
        s.setXYSeriesRenderStyle(render);
        if (kind != Kind.SCATTER) s.setMarker(SeriesMarkers.NONE);
        styles.put(label, new Style(kind));
        return s;
    }

    private static double[] index(int n) {
        double[] x = new double[n];
        for (int i = 0; i < n; i++) x[i] = i;
        return x;
    }

    private static double[] vector(String op, String which, Tensor t) {
        if (t.dim() != 1) throw new IllegalArgumentException(op + ": " + which + " must be 1-D, got shape " + java.util.Arrays.toString(t.shape()));
        return t.toArray();
    }

    /** The name of the invisible one-point series that keeps XChart's x ticks on round numbers. */
    private static final String TICK_FIX = "\u2063ticks";

    @Override
    void restyle() {
        XYStyler s = chart.getStyler();
        applyTheme(s);
        Color clear = new Color(0, 0, 0, 0);
        int next = 0;
        for (XYSeries series : chart.getSeriesMap().values()) {
            Style st = styles.get(series.getName());
            Color c = st.color != null ? st.color : theme.color(next++);
            series.setMarkerColor(c);
            series.setLineColor(c);
            series.setLineStyle(st.stroke != null ? st.stroke : new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND));
            switch (st.kind) {
                case LINE, SCATTER, ERRORBARS -> series.setFillColor(c);
                case AREA -> series.setFillColor(withAlpha(c, 110));
                case BAND -> {
                    series.setFillColor(withAlpha(c, 72)); // light enough that grid and lines show through
                    series.setLineColor(clear);
                }
                case HIST -> series.setFillColor(withAlpha(c, 220));
            }
        }
        keepRoundXTicks();
    }

    @Override
    void unstyle() {
        chart.removeSeries(TICK_FIX);
    }

    /**
     * XChart puts x ticks on data points when the x values are equally spaced (a linspace), which labels them
     * 3.3583959899749375 and lets the labels collide (knowm/XChart#731). One invisible point off the grid, inside
     * the data's range and at an existing y, makes it choose round ticks as for any other data.
     */
    private void keepRoundXTicks() {
        if (chart.getStyler().isXAxisLogarithmic() || chart.getSeriesMap().isEmpty()) return;
        var xs = new java.util.LinkedHashSet<Double>(); // XChart's order: series by series, duplicates dropped
        double y = Double.NaN;
        for (XYSeries series : chart.getSeriesMap().values()) {
            for (double x : series.getXData()) xs.add(x);
            double[] ys = series.getYData();
            for (int i = 0; i < ys.length && Double.isNaN(y); i++) {
                if (Double.isFinite(ys[i]) && (!chart.getStyler().isYAxisLogarithmic() || ys[i] > 0)) y = ys[i];
            }
        }
        if (xs.size() < 3 || Double.isNaN(y)) return;
        var it = xs.iterator();
        double x0 = it.next(), x1 = it.next();
        XYSeries fix = chart.addSeries(TICK_FIX, new double[] {x0 + (x1 - x0) / 2}, new double[] {y});
        fix.setXYSeriesRenderStyle(XYSeriesRenderStyle.Scatter);
        fix.setMarker(SeriesMarkers.NONE);
        fix.setShowInLegend(false);
        Color clear = new Color(0, 0, 0, 0);
        fix.setMarkerColor(clear);
        fix.setLineColor(clear);
        fix.setFillColor(clear);
    }

    /** A reference line across the plot area, in its own colour; XChart's AnnotationLine has one colour per chart. */
    private final class RefLine extends Annotation {
        private final double value;
        private final boolean vertical;
        private final Color color;

        RefLine(double value, boolean vertical, Color color) {
            super(false);
            this.value = value;
            this.vertical = vertical;
            this.color = color;
        }

        @Override
        public void paint(Graphics2D g) {
            int x0 = getXAxisScreenValueForMin(), x1 = getXAxisScreenValueForMax();
            int y0 = getYAxisScreenValueForMax(), y1 = getYAxisScreenValueForMin(); // screen y grows downwards
            int at = vertical ? getXAxisScreenValue(value) : getYAxisScreenValue(value);
            if (vertical ? at < Math.min(x0, x1) || at > Math.max(x0, x1) : at < Math.min(y0, y1) || at > Math.max(y0, y1)) {
                bounds = new Rectangle2D.Double(); // outside the axes: nothing to draw
                return;
            }
            var saved = g.getStroke();
            g.setColor(color != null ? color : theme.axes());
            g.setStroke(new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {5f, 4f}, 0f));
            if (vertical) {
                g.drawLine(at, y0, at, y1);
                bounds = new Rectangle2D.Double(at, Math.min(y0, y1), 1, Math.abs(y1 - y0));
            } else {
                g.drawLine(x0, at, x1, at);
                bounds = new Rectangle2D.Double(Math.min(x0, x1), at, Math.abs(x1 - x0), 1);
            }
            g.setStroke(saved);
        }
    }

    @Override
    public String toString() {
        String t = chart.getTitle();
        return "Figure(" + (t == null || t.isEmpty() ? "" : "\"" + t + "\", ") + chart.getSeriesMap().size() + " series, "
                + chart.getWidth() + "x" + chart.getHeight() + ")";
    }
}
