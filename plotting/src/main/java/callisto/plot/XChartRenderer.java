package callisto.plot;

import callisto.display.DisplayData;
import callisto.display.Renderer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.VectorGraphicsEncoder;
import org.knowm.xchart.internal.chartpart.Chart;

/** Any XChart chart left as a cell's value renders inline as PNG and SVG (found by ServiceLoader). */
@SuppressWarnings("rawtypes") // XChart's Chart is generic over styler and series; any chart renders the same way
public final class XChartRenderer implements Renderer<Chart> {
    @Override
    public Class<Chart> type() {
        return Chart.class;
    }

    @Override
    public DisplayData render(Chart chart) {
        String title = chart.getTitle() == null ? "" : chart.getTitle();
        return bundle(chart, chart.getClass().getSimpleName() + "(\"" + title + "\")");
    }

    /** PNG and SVG of {@code chart}, with {@code text} as its text/plain. */
    @SuppressWarnings("unchecked")
    static DisplayData bundle(Chart chart, String text) {
        try {
            String png = Base64.getEncoder().encodeToString(BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG));
            var svg = new ByteArrayOutputStream();
            VectorGraphicsEncoder.saveVectorGraphic(chart, svg, VectorGraphicsEncoder.VectorGraphicsFormat.SVG);
            return DisplayData.of(DisplayData.PNG, png, text)
                    .with(DisplayData.SVG, svg.toString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
