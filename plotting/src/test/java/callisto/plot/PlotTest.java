package callisto.plot;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import callisto.display.Display;
import callisto.display.DisplayData;
import callisto.tensor.Tensor;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;
import javax.imageio.ImageIO;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.knowm.xchart.XYChartBuilder;
import org.w3c.dom.Document;

/** Charts checked by structure: image size, ink inside the plot area, the legend, well-formed SVG, file formats. */
class PlotTest {
    @TempDir
    Path dir;

    static double[] range(int n, java.util.function.IntToDoubleFunction f) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) v[i] = f.applyAsDouble(i);
        return v;
    }

    static BufferedImage png(DisplayData d) throws IOException {
        return ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(d.data().get(DisplayData.PNG))));
    }

    /** Pixels in the rectangle that are neither white nor grey (a coloured series or legend swatch). */
    static int colouredPixels(BufferedImage img, int x0, int y0, int x1, int y1) {
        int n = 0;
        for (int y = y0; y < y1; y++) {
            for (int x = x0; x < x1; x++) {
                int rgb = img.getRGB(x, y);
                int r = rgb >> 16 & 0xff, g = rgb >> 8 & 0xff, b = rgb & 0xff;
                if (Math.max(r, Math.max(g, b)) - Math.min(r, Math.min(g, b)) > 60) n++;
            }
        }
        return n;
    }

    @Test
    void aFigureRendersAsPngAndSvgWithItsSeriesAndLegend() throws Exception {
        double[] x = range(100, i -> i / 10.0);
        Figure fig = Plot.figure(500, 300).title("two curves").xlabel("t").ylabel("value")
                .line("sin", x, range(100, i -> Math.sin(i / 10.0)))
                .scatter("cos", Tensor.of(x), Tensor.of(range(100, i -> Math.cos(i / 10.0))));
        DisplayData d = Display.render(fig);
        assertEquals("Figure(\"two curves\", 2 series, 500x300)", d.plainText());
        BufferedImage img = png(d);
        assertEquals(500, img.getWidth());
        assertEquals(300, img.getHeight());
        int inside = colouredPixels(img, 60, 30, 440, 260);
        assertTrue(inside > 500, "the series draw inside the plot area: " + inside + " coloured pixels");
        assertTrue(colouredPixels(img, 0, 0, 500, 10) == 0, "nothing coloured in the top margin");

        int legendOrange = 0; // the scatter's orange appears right of the plot area only as its legend marker
        for (int y = 0; y < 300; y++) {
            for (int xx = 425; xx < 500; xx++) {
                int rgb = img.getRGB(xx, y);
                if ((rgb >> 16 & 0xff) > 200 && (rgb >> 8 & 0xff) > 130 && (rgb & 0xff) < 100) legendOrange++;
            }
        }
        assertTrue(legendOrange > 5, "named series get a legend: " + legendOrange + " orange pixels at the right");
        assertTrue(!Plot.figure().line(null, x, x).chart().getStyler().isLegendVisible(), "an unnamed series shows no legend");

        var factory = DocumentBuilderFactory.newInstance();
        factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false); // offline CI
        Document svg = factory.newDocumentBuilder().parse(new ByteArrayInputStream(d.data().get(DisplayData.SVG).getBytes(StandardCharsets.UTF_8)));
        assertEquals("svg", svg.getDocumentElement().getTagName());
        assertTrue(svg.getElementsByTagName("path").getLength() > 10, "the SVG holds the drawn paths");
        assertTrue(svg.getDocumentElement().getAttribute("width").startsWith("500"), svg.getDocumentElement().getAttribute("width"));
    }

    @Test
    void savesPngSvgAndPdfByExtensionAndNamesBadInput() throws IOException {
        Figure fig = Plot.semilogy(range(20, i -> i), range(20, i -> Math.exp(-i)));
        byte[] png = Files.readAllBytes(fig.save(dir.resolve("f.png")));
        assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G'}, Arrays.copyOf(png, 4));
        assertTrue(Files.readString(fig.save(dir.resolve("f.svg"))).contains("<svg"));
        assertArrayEquals("%PDF".getBytes(StandardCharsets.US_ASCII), Arrays.copyOf(Files.readAllBytes(fig.save(dir.resolve("f.pdf"))), 4));
        var e = assertThrows(IllegalArgumentException.class, () -> fig.save(dir.resolve("f.gif")));
        assertTrue(e.getMessage().contains(".png, .svg or .pdf"), e.getMessage());
        var log = assertThrows(IllegalArgumentException.class, () -> Plot.semilogy(new double[] {1, 2}, new double[] {1, 0}));
        assertTrue(log.getMessage().contains("y[1] = 0.0 on a log axis"), log.getMessage());
        var len = assertThrows(IllegalArgumentException.class, () -> Plot.line(new double[] {1, 2}, new double[] {1}));
        assertTrue(len.getMessage().contains("2 x values and 1 y values"), len.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Plot.figure().line(null, Tensor.zeros(2, 2), Tensor.zeros(2, 2)));
        var dup = assertThrows(IllegalArgumentException.class, () -> Plot.figure().line("a", new double[] {1}).line("a", new double[] {2}));
        assertTrue(dup.getMessage().contains("'a' exists already"));
        try (var files = Files.list(dir)) {
            assertEquals(3, files.count(), "no temporary files are left");
        }
    }

    @Test
    void plainXChartChartsRenderThroughTheServiceLoader() throws IOException {
        var chart = new XYChartBuilder().width(300).height(200).title("raw").build();
        chart.addSeries("s", new double[] {0, 1, 2}, new double[] {1, 3, 2});
        DisplayData d = Display.render(chart);
        assertEquals("XYChart(\"raw\")", d.plainText());
        assertEquals(300, png(d).getWidth());
        assertTrue(d.data().containsKey(DisplayData.SVG));
    }
}
