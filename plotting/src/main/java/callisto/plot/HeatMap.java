package callisto.plot;

import java.awt.Color;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.style.HeatMapStyler;
import org.knowm.xchart.style.Styler;

/**
 * A grid of values as coloured cells with a colour bar, such as a confusion matrix or an attention map: build it
 * with {@link Plot#heatmap(double[][])}. {@code z[i][j]} is row i, column j; row 0 is drawn at the top, as matplotlib's
 * {@code imshow} and seaborn's {@code heatmap} do. Colours run through viridis (perceptually uniform, readable in
 * grey) from the smallest value to the largest, or over {@link #range}. Setters return the heat map.
 */
public final class HeatMap extends XChartDrawable<HeatMapChart> {
    /** Viridis at ten even stops; XChart interpolates between them. */
    static final Color[] VIRIDIS = {new Color(0x440154), new Color(0x482878), new Color(0x3e4989), new Color(0x31688e),
        new Color(0x26828e), new Color(0x1f9e89), new Color(0x35b779), new Color(0x6ece58), new Color(0xb5de2b), new Color(0xfde725)};

    /** XChart keeps a chart's size protected; this opens it for {@link #size}. */
    private static final class SizedHeatMapChart extends HeatMapChart {
        SizedHeatMapChart(int width, int height) {
            super(width, height, Styler.ChartTheme.XChart); // the (width, height) constructor leaves every font null
        }

        void resize(int width, int height) {
            setWidth(width);
            setHeight(height);
        }
    }

    private final int rows, cols;

    HeatMap(String op, double[][] z, String[] xLabels, String[] yLabels, Theme theme) {
        super(new SizedHeatMapChart(560, 480), theme);
        if (z == null || z.length == 0) throw new IllegalArgumentException(op + ": z has no rows");
        rows = z.length;
        if (z[0] == null || z[0].length == 0) throw new IllegalArgumentException(op + ": z[0] has no values");
        cols = z[0].length;
        for (int i = 0; i < rows; i++) {
            if (z[i] == null || z[i].length != cols) {
                throw new IllegalArgumentException(op + ": z is ragged: z[0] has " + cols + " values and z[" + i + "] has "
                        + (z[i] == null ? "none (null)" : String.valueOf(z[i].length)));
            }
            for (int j = 0; j < cols; j++) {
                if (!Double.isFinite(z[i][j])) throw new IllegalArgumentException(op + ": z[" + i + "][" + j + "] is " + z[i][j] + " (must be finite)");
            }
        }
        List<String> xs = labels(op, "xLabels", xLabels, cols, "columns");
        List<String> ys = labels(op, "yLabels", yLabels, rows, "rows");
        // XChart puts y index 0 at the bottom; rows are flipped so row 0 sits at the top.
        List<String> yBottomUp = new ArrayList<>(ys);
        java.util.Collections.reverse(yBottomUp);
        var heat = new ArrayList<Number[]>(rows * cols);
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) heat.add(new Number[] {j, rows - 1 - i, z[i][j]});
        }
        chart.addSeries("z", xs, yBottomUp, heat);
        HeatMapStyler s = chart.getStyler();
        s.setRangeColors(VIRIDIS);
        s.setPlotGridLinesVisible(false);
        s.setLegendVisible(true); // the colour bar
        s.setValueFont(s.getLegendFont());
    }

    private static List<String> labels(String op, String which, String[] given, int n, String what) {
        if (given == null) {
            var out = new ArrayList<String>(n);
            for (int i = 0; i < n; i++) out.add(Integer.toString(i));
            return out;
        }
        if (given.length != n) throw new IllegalArgumentException(op + ": " + n + " " + what + " and " + given.length + " " + which);
        for (int i = 0; i < given.length; i++) {
            if (given[i] == null) throw new IllegalArgumentException(op + ": " + which + "[" + i + "] is null");
        }
        return Arrays.asList(given.clone());
    }

    /** The XChart chart underneath, for anything this API does not cover. */
    public HeatMapChart chart() {
        return chart;
    }

    /** Rows of z. */
    public int rows() {
        return rows;
    }

    /** Columns of z. */
    public int cols() {
        return cols;
    }

    /** The colour scale spans [min, max] instead of the data's range (values beyond take the end colours). */
    public HeatMap range(double min, double max) {
        if (!(Double.isFinite(min) && Double.isFinite(max) && min < max)) {
            throw new IllegalArgumentException("range: limits must be finite with min < max, got (" + min + ", " + max + ")");
        }
        chart.getHeatMapSeries().setMin(min).setMax(max);
        return this;
    }

    /** Writes each cell's value in it, as for a small confusion matrix. */
    public HeatMap showValues() {
        chart.getStyler().setShowValue(true);
        return this;
    }

    /** The chart's title, above the plot. */
    public HeatMap title(String title) {
        chart.setTitle(title);
        return this;
    }

    /** The x axis's title. */
    public HeatMap xlabel(String label) {
        chart.setXAxisTitle(label);
        return this;
    }

    /** The y axis's title. */
    public HeatMap ylabel(String label) {
        chart.setYAxisTitle(label);
        return this;
    }

    /** Colours and background for this chart (the cells keep viridis). */
    public HeatMap theme(Theme theme) {
        this.theme = checkTheme(theme);
        return this;
    }

    /** The chart's size in pixels. */
    public HeatMap size(int width, int height) {
        resize(width, height);
        return this;
    }

    @Override
    void resize(int width, int height) {
        checkSize("size", width, height);
        ((SizedHeatMapChart) chart).resize(width, height);
    }

    @Override
    void restyle() {
        HeatMapStyler s = chart.getStyler();
        applyTheme(s);
        s.setValueFontColor(Color.WHITE); // on the dark half of viridis; XChart has no per-cell contrast
    }

    @Override
    public String toString() {
        String t = chart.getTitle();
        return "HeatMap(" + (t == null || t.isEmpty() ? "" : "\"" + t + "\", ") + rows + "x" + cols + ", "
                + chart.getWidth() + "x" + chart.getHeight() + ")";
    }
}
