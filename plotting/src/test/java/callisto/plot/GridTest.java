package callisto.plot;

import static callisto.plot.ChartKindsTest.fails;
import static callisto.plot.ChartKindsTest.image;
import static callisto.plot.PlotTest.colouredPixels;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import callisto.display.Display;
import callisto.display.DisplayData;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;

/** Grids of drawables: composed size, every cell painted in place, and PNG, SVG and PDF from one paint. */
class GridTest {
    @TempDir
    Path dir;

    static Figure small(int seed) {
        double[] x = PlotTest.range(30, i -> i);
        return Plot.figure(300, 200).title("seed " + seed).line("loss", x, PlotTest.range(30, i -> Math.exp(-i / (5.0 + seed))));
    }

    /** A plain Drawable, not XChart: a red square. */
    record Square(int size) implements Drawable {
        public int width() {
            return size;
        }

        public int height() {
            return size;
        }

        public void paint(Graphics2D g) {
            g.setColor(Color.RED);
            g.fillRect(0, 0, size, size);
        }
    }

    static Document parseSvg(String svg) throws Exception {
        var f = DocumentBuilderFactory.newInstance();
        f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        f.setFeature("http://xml.org/sax/features/external-general-entities", false);
        f.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
        f.setXIncludeAware(false);
        f.setExpandEntityReferences(false);
        return f.newDocumentBuilder().parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void twoByTwoFiguresComposeIntoOneImageWithEveryCellDrawn() throws Exception {
        Grid g = Plot.grid(2, small(0), small(1), small(2), small(3));
        assertEquals(600, g.width());
        assertEquals(400, g.height());
        assertEquals(2, g.rows());
        BufferedImage img = image(g);
        for (int r = 0; r < 2; r++) {
            for (int c = 0; c < 2; c++) {
                int n = colouredPixels(img, c * 300 + 40, r * 200 + 30, c * 300 + 220, r * 200 + 170);
                assertTrue(n > 100, "cell (" + r + "," + c + ") has its curve: " + n + " coloured pixels");
            }
        }
        DisplayData d = Display.render(g);
        assertEquals("Grid(4 cells in 2x2, 600x400)", d.plainText());
        Document svg = parseSvg(d.data().get(DisplayData.SVG));
        assertEquals("svg", svg.getDocumentElement().getTagName());
        assertTrue(svg.getElementsByTagName("path").getLength() > 40, "the four charts' paths are in the SVG");
        assertArrayEquals("%PDF".getBytes(StandardCharsets.US_ASCII), Arrays.copyOf(g.toPdf(), 4));
        assertArrayEquals("%PDF".getBytes(StandardCharsets.US_ASCII), Arrays.copyOf(Files.readAllBytes(g.save(dir.resolve("g.pdf"))), 4));
        assertTrue(Files.readString(g.save(dir.resolve("g.svg"))).contains("<svg"));
    }

    @Test
    void mixedDrawablesTakeTheLargestCellAndSmallOnesAreCentred() throws Exception {
        Grid g = Plot.grid(3, List.of(small(0), new Square(100), Plot.bar(new String[] {"a", "b"}, new double[] {1, 2}).size(200, 150),
                Plot.heatmap(new double[][] {{1, 2}, {3, 4}}).size(250, 220))).title("mixed");
        assertEquals(900, g.width(), "three columns of the widest (300)");
        assertEquals(34 + 2 * 220, g.height(), "title plus two rows of the tallest (220)");
        BufferedImage img = image(g);
        int[] box = {Integer.MAX_VALUE, Integer.MAX_VALUE, -1, -1}; // the red square's bounds
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 300; x < 600; x++) {
                if (ChartKindsTest.red(img.getRGB(x, y))) {
                    box[0] = Math.min(box[0], x);
                    box[1] = Math.min(box[1], y);
                    box[2] = Math.max(box[2], x);
                    box[3] = Math.max(box[3], y);
                }
            }
        }
        assertArrayEquals(new int[] {400, 34 + 60, 499, 34 + 159}, box, "the 100x100 square sits centred in its 300x220 cell");
        int title = 0;
        for (int y = 0; y < 34; y++) for (int x = 0; x < 900; x++) if (ThemeTest.luminance(img.getRGB(x, y)) < 100) title++;
        assertTrue(title > 30, "the title is drawn across the top");
        assertTrue(colouredPixels(img, 0, 34 + 220, 300, 34 + 440) > 100, "the heat map wraps onto the second row");
    }

    @Test
    void fewerCellsThanColumnsMakeOneRowAndGridsNest() throws Exception {
        Grid row = Plot.grid(4, small(0), small(1));
        assertEquals(600, row.width());
        assertEquals(200, row.height());
        Grid nested = Plot.grid(1, row, small(2));
        assertEquals(600, nested.width());
        assertEquals(400, nested.height());
        assertTrue(colouredPixels(image(nested), 40, 230, 220, 370) > 100);
    }

    @Test
    void darkAndTransparentGrids() throws Exception {
        BufferedImage dark = image(Plot.grid(2, small(0).theme(Theme.DARK), new Square(50)).theme(Theme.DARK));
        assertTrue(ThemeTest.luminance(dark.getRGB(450, 190)) < 50, "the grid's own background around a small cell is dark");
        BufferedImage clear = image(Plot.grid(2, new Square(50), new Square(100)).theme(Theme.LIGHT.transparent()));
        assertTrue(clear.getColorModel().hasAlpha());
        assertEquals(0, clear.getRGB(0, 0) >>> 24, "nothing painted there, so it stays transparent");
    }

    @Test
    void badInputIsNamed() {
        fails("grid: no cells given (expected at least one drawable)", () -> Plot.grid(2));
        fails("grid: no cells given", () -> Plot.grid(2, List.of()));
        fails("grid: cols must be ≥ 1, got 0", () -> Plot.grid(0, small(0)));
        fails("grid: cell 1 is null", () -> Plot.grid(2, small(0), null));
    }
}
