package callisto.plot;

import callisto.display.DisplayData;
import callisto.display.Renderable;
import callisto.tensor.Tensor;
import java.awt.Color;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.VectorGraphicsEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * A line and scatter chart: build it with {@link Plot#figure()}, add series, and leave it as a cell's value
 * (it renders as PNG and SVG) or {@link #save} it. Setters return the figure, so calls chain:
 * {@code Plot.figure().title("loss").logY().line("train", steps, losses)}.
 */
public final class Figure implements Renderable {
    private final XYChart chart;
    private int unnamed;

    Figure(int width, int height) {
        chart = new XYChartBuilder().width(width).height(height).build();
        var s = chart.getStyler();
        s.setChartBackgroundColor(Color.WHITE);
        s.setPlotBackgroundColor(Color.WHITE);
        s.setLegendBorderColor(new Color(0xcccccc));
        s.setPlotGridLinesColor(new Color(0xe6e6e6));
        s.setLegendVisible(false); // shown once a series has a name
        s.setMarkerSize(5);
    }

    /** The XChart chart underneath, for anything this API does not cover. */
    public XYChart chart() {
        return chart;
    }

    public Figure title(String title) {
        chart.setTitle(title);
        return this;
    }

    public Figure xlabel(String label) {
        chart.setXAxisTitle(label);
        return this;
    }

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
        add(name, x, y, XYSeries.XYSeriesRenderStyle.Line);
        return this;
    }

    /** A line of y against 0, 1, 2, .... */
    public Figure line(String name, double[] y) {
        double[] x = new double[y.length];
        for (int i = 0; i < x.length; i++) x[i] = i;
        return line(name, x, y);
    }

    /** A line through the values of two 1-D tensors. */
    public Figure line(String name, Tensor x, Tensor y) {
        return line(name, vector("line", "x", x), vector("line", "y", y));
    }

    /** Points at (x, y), without a line. */
    public Figure scatter(String name, double[] x, double[] y) {
        add(name, x, y, XYSeries.XYSeriesRenderStyle.Scatter);
        return this;
    }

    public Figure scatter(String name, Tensor x, Tensor y) {
        return scatter(name, vector("scatter", "x", x), vector("scatter", "y", y));
    }

    private void add(String name, double[] x, double[] y, XYSeries.XYSeriesRenderStyle style) {
        if (x.length != y.length) {
            throw new IllegalArgumentException("plot: series '" + name + "' has " + x.length + " x values and " + y.length + " y values");
        }
        if (x.length == 0) throw new IllegalArgumentException("plot: series '" + name + "' is empty");
        if (chart.getStyler().isYAxisLogarithmic()) {
            for (int i = 0; i < y.length; i++) {
                if (!(y[i] > 0)) {
                    throw new IllegalArgumentException("plot: series '" + name + "' has y[" + i + "] = " + y[i] + " on a log axis (values must be > 0)");
                }
            }
        }
        String label = name;
        if (label == null || label.isEmpty()) {
            label = "series " + (++unnamed);
        } else {
            chart.getStyler().setLegendVisible(true);
        }
        if (chart.getSeriesMap().containsKey(label)) throw new IllegalArgumentException("plot: a series named '" + label + "' exists already");
        XYSeries s = chart.addSeries(label, x, y);
        s.setXYSeriesRenderStyle(style);
        if (style == XYSeries.XYSeriesRenderStyle.Line) s.setMarker(SeriesMarkers.NONE);
    }

    private static double[] vector(String op, String which, Tensor t) {
        if (t.dim() != 1) throw new IllegalArgumentException(op + ": " + which + " must be 1-D, got shape " + java.util.Arrays.toString(t.shape()));
        return t.toArray();
    }

    /** The chart as PNG bytes. */
    public byte[] toPng() {
        try {
            return BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The chart as an SVG document. */
    public String toSvg() {
        var out = new ByteArrayOutputStream();
        try {
            VectorGraphicsEncoder.saveVectorGraphic(chart, out, VectorGraphicsEncoder.VectorGraphicsFormat.SVG);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    /** Saves as PNG, SVG or PDF, chosen by the file's extension. */
    public Path save(String file) throws IOException {
        return save(Path.of(file));
    }

    public Path save(Path file) throws IOException {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        byte[] bytes;
        if (name.endsWith(".png")) {
            bytes = toPng();
        } else if (name.endsWith(".svg")) {
            bytes = toSvg().getBytes(StandardCharsets.UTF_8);
        } else if (name.endsWith(".pdf")) {
            var out = new ByteArrayOutputStream();
            VectorGraphicsEncoder.saveVectorGraphic(chart, out, VectorGraphicsEncoder.VectorGraphicsFormat.PDF);
            bytes = out.toByteArray();
        } else {
            throw new IllegalArgumentException("save: " + file + ": expected a .png, .svg or .pdf file name");
        }
        callisto.runtime.AtomicFile.write(file, tmp -> Files.write(tmp, bytes));
        return file;
    }

    @Override
    public DisplayData toDisplayData() {
        return XChartRenderer.bundle(chart, toString());
    }

    @Override
    public String toString() {
        String t = chart.getTitle();
        return "Figure(" + (t == null || t.isEmpty() ? "" : "\"" + t + "\", ") + chart.getSeriesMap().size() + " series, "
                + chart.getWidth() + "x" + chart.getHeight() + ")";
    }
}
