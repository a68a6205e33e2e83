package callisto.plot;

import java.awt.Color;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategorySeries;
import org.knowm.xchart.style.CategoryStyler;

/**
 * Bars over named categories: one series from {@link Plot#bar(String[], double[])}, or several side by side
 * (grouped) from {@link Plot#bars(String...)} and {@link #bar}, e.g. one series per optimizer over datasets.
 * Bars may carry error bars (say ± std over seeds). Setters return the chart, so calls chain.
 */
public final class BarChart extends XChartDrawable<CategoryChart> {
    /** XChart keeps a chart's size protected; this opens it for {@link #size}. */
    private static final class SizedCategoryChart extends CategoryChart {
        SizedCategoryChart(int width, int height) {
            super(width, height);
        }

        void resize(int width, int height) {
            setWidth(width);
            setHeight(height);
        }
    }

    private final List<String> categories;
    private final Map<String, Color> colors = new HashMap<>();
    private int unnamed;

    BarChart(String op, String[] categories, Theme theme) {
        super(new SizedCategoryChart(640, 420), theme);
        if (categories == null || categories.length == 0) {
            throw new IllegalArgumentException(op + ": categories are empty (got " + (categories == null ? "null" : "none") + ")");
        }
        for (int i = 0; i < categories.length; i++) {
            if (categories[i] == null) throw new IllegalArgumentException(op + ": categories[" + i + "] is null");
        }
        this.categories = List.of(categories);
        CategoryStyler s = chart.getStyler();
        s.setLegendVisible(false); // shown once a series has a name
        s.setAvailableSpaceFill(0.8);
        s.setPlotGridVerticalLinesVisible(false);
    }

    /** The XChart chart underneath, for anything this API does not cover. */
    public CategoryChart chart() {
        return chart;
    }

    /** The categories, in order along the x axis. */
    public List<String> categories() {
        return categories;
    }

    /** Adds a series: one bar per category, beside the bars of earlier series. A named series appears in the legend. */
    public BarChart bar(String name, double[] values) {
        return add(name, values, null);
    }

    /** Adds a series with an error bar of ± {@code errors[i]} on each bar. */
    public BarChart bar(String name, double[] values, double[] errors) {
        if (errors == null) throw new IllegalArgumentException("bar: errors for series '" + name + "' must not be null");
        return add(name, values, errors);
    }

    private BarChart add(String name, double[] values, double[] errors) {
        if (values == null) throw new IllegalArgumentException("bar: values for series '" + name + "' must not be null");
        if (values.length != categories.size()) {
            throw new IllegalArgumentException("bar: " + categories.size() + " categories and " + values.length + " values");
        }
        for (int i = 0; i < values.length; i++) {
            if (!Double.isFinite(values[i])) throw new IllegalArgumentException("bar: values[" + i + "] is " + values[i] + " (must be finite)");
        }
        if (errors != null) {
            if (errors.length != values.length) throw new IllegalArgumentException("bar: " + values.length + " values and " + errors.length + " errors");
            for (int i = 0; i < errors.length; i++) {
                if (!(errors[i] >= 0) || Double.isInfinite(errors[i])) {
                    throw new IllegalArgumentException("bar: errors[" + i + "] is " + errors[i] + " (must be finite and ≥ 0)");
                }
            }
        }
        String label = name;
        if (label == null || label.isEmpty()) {
            label = "series " + (++unnamed);
        } else {
            chart.getStyler().setLegendVisible(true);
        }
        if (chart.getSeriesMap().containsKey(label)) throw new IllegalArgumentException("bar: a series named '" + label + "' exists already");
        List<Double> y = boxed(values);
        CategorySeries s = errors == null ? chart.addSeries(label, categories, y) : chart.addSeries(label, categories, y, boxed(errors));
        if (name == null || name.isEmpty()) s.setShowInLegend(false);
        return this;
    }

    private static List<Double> boxed(double[] v) {
        var out = new ArrayList<Double>(v.length);
        for (double d : v) out.add(d);
        return out;
    }

    /** Stacks the series on each other instead of side by side. */
    public BarChart stacked() {
        chart.getStyler().setStacked(true);
        return this;
    }

    /** Writes each bar's value above it. */
    public BarChart showValues() {
        chart.getStyler().setLabelsVisible(true);
        return this;
    }

    /** The chart's title, above the plot. */
    public BarChart title(String title) {
        chart.setTitle(title);
        return this;
    }

    /** The category axis's title. */
    public BarChart xlabel(String label) {
        chart.setXAxisTitle(label);
        return this;
    }

    /** The value axis's title. */
    public BarChart ylabel(String label) {
        chart.setYAxisTitle(label);
        return this;
    }

    /** The value axis spans [lo, hi]. */
    public BarChart ylim(double lo, double hi) {
        if (!(Double.isFinite(lo) && Double.isFinite(hi) && lo < hi)) {
            throw new IllegalArgumentException("ylim: limits must be finite with lo < hi, got (" + lo + ", " + hi + ")");
        }
        chart.getStyler().setYAxisMin(lo).setYAxisMax(hi);
        return this;
    }

    /** Where the legend goes; the names are those of {@link Figure#legend(String)}. */
    public BarChart legend(String position) {
        chart.getStyler().setLegendPosition(legendPosition("legend", position));
        return this;
    }

    /** Shows or hides the grid lines. */
    public BarChart grid(boolean visible) {
        chart.getStyler().setPlotGridHorizontalLinesVisible(visible);
        return this;
    }

    /** The series' colour, instead of the next one in the theme's cycle. */
    public BarChart color(String series, Color color) {
        if (!chart.getSeriesMap().containsKey(series)) {
            throw new IllegalArgumentException("color: no series named '" + series + "'; the chart has " + chart.getSeriesMap().keySet());
        }
        if (color == null) throw new IllegalArgumentException("color: colour for series '" + series + "' must not be null");
        colors.put(series, color);
        return this;
    }

    /** The series' colour as "#rrggbb", "#rgb" or a plain name. */
    public BarChart color(String series, String color) {
        return color(series, parseColor("color", color));
    }

    /** Colours and background for this chart. */
    public BarChart theme(Theme theme) {
        this.theme = checkTheme(theme);
        return this;
    }

    /** The chart's size in pixels. */
    public BarChart size(int width, int height) {
        resize(width, height);
        return this;
    }

    @Override
    void resize(int width, int height) {
        checkSize("size", width, height);
        ((SizedCategoryChart) chart).resize(width, height);
    }

    @Override
    void restyle() {
        CategoryStyler s = chart.getStyler();
        applyTheme(s);
        s.setErrorBarsColorSeriesColor(false); // in the bar's colour, the half inside the bar would vanish
        s.setErrorBarsColor(theme.text());
        s.setLabelsFontColor(theme.text());
        s.setLabelsFontColorAutomaticEnabled(false);
        int next = 0;
        for (CategorySeries series : chart.getSeriesMap().values()) {
            Color c = colors.getOrDefault(series.getName(), null);
            if (c == null) c = theme.color(next++);
            series.setFillColor(c);
            series.setLineColor(c);
            series.setMarkerColor(c);
        }
    }

    @Override
    public String toString() {
        String t = chart.getTitle();
        return "BarChart(" + (t == null || t.isEmpty() ? "" : "\"" + t + "\", ") + categories.size() + " categories, "
                + chart.getSeriesMap().size() + " series, " + chart.getWidth() + "x" + chart.getHeight() + ")";
    }
}
