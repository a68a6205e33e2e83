package callisto.plot;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import callisto.display.DisplayData;
import callisto.tensor.Tensor;
import java.awt.Color;
import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;

/** Image plots checked by structure: declared size, pixels where the data puts them, colour bar ends, SVG and PDF. */
class ImagePlotTest {
    @TempDir
    Path dir;

    static double[][] field(int h, int w, java.util.function.BiFunction<Integer, Integer, Double> f) {
        return ContoursTest.field(h, w, f);
    }

    static BufferedImage png(Drawable d) {
        try {
            var img = ImageIO.read(new ByteArrayInputStream(d.toPng()));
            assertEquals(d.width(), img.getWidth(), "PNG width");
            assertEquals(d.height(), img.getHeight(), "PNG height");
            return img;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Whether the pixel is within {@code tol} of {@code c} in every channel. */
    static boolean near(BufferedImage img, int x, int y, Color c, int tol) {
        int rgb = img.getRGB(x, y);
        return Math.abs((rgb >> 16 & 0xff) - c.getRed()) <= tol && Math.abs((rgb >> 8 & 0xff) - c.getGreen()) <= tol
                && Math.abs((rgb & 0xff) - c.getBlue()) <= tol;
    }

    static boolean ink(BufferedImage img, int x, int y) {
        int rgb = img.getRGB(x, y);
        return (rgb >> 16 & 0xff) + (rgb >> 8 & 0xff) + (rgb & 0xff) < 600;
    }

    static String message(Executable e) {
        return assertThrows(IllegalArgumentException.class, e).getMessage();
    }

    @Test
    void aFieldRendersAtItsDeclaredSizeWithInkInsideThePlotArea() {
        var plot = Plot.imshow(Tensor.of(field(28, 28, (i, j) -> (double) i + j))).title("ramp").xlabel("x").ylabel("y");
        BufferedImage img = png(plot);
        Rectangle a = plot.plotArea();
        assertEquals(392, a.width, "28 cells at 14 pixels each");
        assertEquals(392, a.height);
        int coloured = 0;
        for (int y = a.y; y < a.y + a.height; y++) for (int x = a.x; x < a.x + a.width; x++) if (ink(img, x, y)) coloured++;
        assertEquals(a.width * a.height, coloured, "viridis has no white, so every area pixel is painted");
        assertTrue(near(img, 0, 0, Color.WHITE, 0), "white background");
        var d = plot.toDisplayData();
        assertTrue(d.data().containsKey(DisplayData.PNG) && d.data().containsKey(DisplayData.SVG));
        assertTrue(plot.toString().contains("28x28"), plot.toString());
    }

    @Test
    void cellsAreNearestNeighbourBlocksAndOriginPicksTheTopRow() {
        double[][] f = field(4, 4, (i, j) -> (double) (i * 4 + j)); // 0 .. 15, 100 pixels per cell
        var upper = Plot.imshow(f);
        Rectangle a = upper.plotArea();
        BufferedImage img = png(upper);
        Color first = Colormap.viridis().at(0);
        for (int[] p : new int[][] {{2, 2}, {50, 50}, {97, 3}, {3, 97}, {97, 97}}) {
            assertTrue(near(img, a.x + p[0], a.y + p[1], first, 0), "cell (0, 0) is one flat block at " + p[0] + "," + p[1]);
        }
        assertTrue(near(img, a.x + 150, a.y + 50, Colormap.viridis().at(1 / 15.0), 0), "cell (0, 1) to its right");

        var lower = Plot.imshow(f).origin("lower");
        assertTrue(near(png(lower), a.x + 50, a.y + 50, Colormap.viridis().at(12 / 15.0), 0), "row 3 on top with origin lower");
        assertTrue(message(() -> Plot.imshow(f).origin("middle")).contains("\"upper\" or \"lower\""));
    }

    @Test
    void theColourBarShowsTheMapsEnds() {
        double[][] f = field(20, 30, (i, j) -> Math.sin(i / 3.0) * j - 4);
        for (var map : List.of(Colormap.viridis(), Colormap.of("RdBu_r"), Colormap.magma())) {
            var plot = Plot.imshow(f).cmap(map);
            Rectangle bar = plot.colorbarBounds();
            assertNotNull(bar);
            assertTrue(bar.x > plot.plotArea().getMaxX(), "right of the image");
            BufferedImage img = png(plot);
            int cx = (int) bar.getCenterX();
            assertTrue(near(img, cx, bar.y + 1, map.at(1), 6), map + " top");
            assertTrue(near(img, cx, bar.y + bar.height - 2, map.at(0), 6), map + " bottom");
        }
        assertNull(Plot.imshow(f).colorbar(false).colorbarBounds());
    }

    @Test
    void scalesFollowVminVmaxAndSymmetric() {
        double[][] f = field(5, 5, (i, j) -> (double) i - 1); // -1 .. 3
        assertArrayEquals(new double[] {-1, 3}, Plot.imshow(f).scale(), 0);
        assertArrayEquals(new double[] {-3, 3}, Plot.imshow(f).symmetric().scale(), 0);
        assertArrayEquals(new double[] {0, 1}, Plot.imshow(f).vmin(0).vmax(1).scale(), 0);
        assertTrue(message(() -> Plot.imshow(f).vmin(2).vmax(1)).contains("vmax: 1.0 must be above vmin 2.0"));
        var flat = Plot.imshow(field(3, 3, (i, j) -> 2.0));
        assertTrue(flat.scale()[0] < 2 && flat.scale()[1] > 2, "a constant field sits mid-map");
        png(flat);
    }

    @Test
    void nanShowsTheBackgroundThroughTheTransparentBadColour() {
        double[][] f = field(4, 4, (i, j) -> (double) i);
        f[0][0] = Double.NaN;
        var plot = Plot.imshow(f);
        Rectangle a = plot.plotArea();
        assertTrue(near(png(plot), a.x + 50, a.y + 50, Color.WHITE, 0));
        assertTrue(near(png(plot.cmap(Colormap.viridis().withBad(Color.GRAY))), a.x + 50, a.y + 50, Color.GRAY, 0));
    }

    @Test
    void rgbImagesTakeChannelsLastOrFirst() {
        int h = 2, w = 4; // not 3, so the layout is unambiguous
        double[] hwc = new double[h * w * 3], chw = new double[3 * h * w];
        for (int i = 0; i < h; i++) {
            for (int j = 0; j < w; j++) {
                double[] c = i == 0 && j == 0 ? new double[] {1, 0, 0} : new double[] {0.2, 0.3 * j / 3, 0.5 * i};
                for (int k = 0; k < 3; k++) {
                    hwc[(i * w + j) * 3 + k] = c[k];
                    chw[k * h * w + i * w + j] = c[k];
                }
            }
        }
        var last = Plot.imshow(Tensor.of(hwc, h, w, 3));
        var first = Plot.imshow(Tensor.of(chw, 3, h, w));
        BufferedImage a = png(last), b = png(first);
        assertEquals(a.getWidth(), b.getWidth());
        for (int y = 0; y < a.getHeight(); y += 7) for (int x = 0; x < a.getWidth(); x += 7) assertEquals(a.getRGB(x, y), b.getRGB(x, y));
        Rectangle r = last.plotArea();
        assertTrue(near(a, r.x + 5, r.y + 5, Color.RED, 0), "pixel (0, 0) is red");
        assertNull(last.colorbarBounds(), "no colour bar for RGB");
        String m = message(() -> Plot.imshow(Tensor.full(255, 4, 4, 3)));
        assertTrue(m.startsWith("imshow: an RGB image of shape [4, 4, 3] needs values in [0, 1]") && m.contains("255"), m);
    }

    @Test
    void badShapesNameTheFunctionArgumentAndShape() {
        assertEquals("imshow: expected a 2-D tensor, [H,W,3] or [3,H,W], got shape [2, 3, 4, 5]", message(() -> Plot.imshow(Tensor.zeros(2, 3, 4, 5))));
        assertEquals("imshow: expected a 2-D tensor, [H,W,3] or [3,H,W], got shape [4, 5, 7]", message(() -> Plot.imshow(Tensor.zeros(4, 5, 7))));
        assertTrue(message(() -> Plot.imshow(new double[][] {{1, 2}, {3}})).contains("imshow: image row 1 has 1 values, row 0 has 2"));
        assertTrue(message(() -> Plot.imageGrid(2, Tensor.zeros(3, 3), Tensor.zeros(3))).startsWith("imageGrid: image 1: expected"));
        assertEquals("contour: field has shape [10, 10] but the plot's grid is [28, 28]",
                message(() -> Plot.imshow(Tensor.zeros(28, 28)).contour(Tensor.zeros(10, 10), 0.5)));
        assertTrue(message(() -> Plot.imshow(Tensor.zeros(4, 4, 3)).contour(0.5)).contains("no scalar image"));
        assertEquals("deformedGrid: expected phi of shape [H,W,2] or [2,H,W], got shape [5, 5, 3]", message(() -> Plot.deformedGrid(Tensor.zeros(5, 5, 3))));
        assertTrue(message(() -> Plot.imshow(Tensor.zeros(3, 3)).extent(0, 0, 0, 1)).startsWith("extent:"));
        assertTrue(message(() -> Plot.imageGrid(2, List.of("a"), Tensor.zeros(3, 3), Tensor.zeros(3, 3))).contains("1 titles for 2 images"));
    }

    @Test
    void extentAndOriginSetTheAxes() {
        var plot = Plot.imshow(field(10, 20, (i, j) -> (double) j)).extent(0, 1, 0, 2);
        Axes ax = plot.axes();
        Rectangle a = ax.area;
        assertEquals(a.x, ax.px(0), 1e-9);
        assertEquals(a.getMaxX(), ax.px(1), 1e-9);
        assertEquals(a.y, ax.py(2), 1e-9, "top is 2");
        assertEquals(a.getMaxY(), ax.py(0), 1e-9);
        assertEquals(0, ax.xTicks[0], 1e-12);
        assertEquals(1, ax.xTicks[ax.xTicks.length - 1], 1e-12);
        var plain = Plot.imshow(field(10, 20, (i, j) -> (double) j)).axes();
        assertTrue(plain.py(0) < plain.py(9), "rows count down with origin upper");
        assertEquals(plain.area.x + plain.area.width / 40.0, plain.px(0), 1e-9, "cell 0 is centred on x = 0");
    }

    @Test
    void contourLinesLieWhereTheFieldCrossesTheLevel() {
        var plot = Plot.contour(field(20, 40, (i, j) -> (double) j), 10.5);
        BufferedImage img = png(plot);
        Axes ax = plot.axes();
        double expect = ax.px(10.5);
        for (int row : new int[] {2, 4, 15, 17}) { // away from the label in the middle
            int y = (int) ax.py(row);
            int found = 0;
            for (int x = ax.area.x + 2; x < ax.area.getMaxX() - 2; x++) {
                if (ink(img, x, y)) {
                    found++;
                    assertEquals(expect, x, 2.0, "ink at row " + row + " lies on the contour");
                }
            }
            assertTrue(found > 0, "the line crosses row " + row);
        }
        var over = Plot.imshow(field(20, 40, (i, j) -> (double) j)).contour(10.5, 20.5).contour(3);
        png(over);
        assertTrue(over.toString().contains("2 overlays"), over.toString());
        png(Plot.contour(field(5, 5, (i, j) -> 1.0), 4)); // no levels inside a constant field: an empty frame
        png(Plot.contour(field(5, 5, (i, j) -> (double) i - 2), 0.0));
    }

    @Test
    void svgHoldsTheImageAndPathsAndPdfAndFilesAreWritten() throws Exception {
        var plot = Plot.imshow(field(16, 16, (i, j) -> Math.hypot(i - 8, j - 8))).contour(3).title("rings");
        var factory = DocumentBuilderFactory.newInstance();
        factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false); // offline CI
        Document svg = factory.newDocumentBuilder().parse(new ByteArrayInputStream(plot.toSvg().getBytes(StandardCharsets.UTF_8)));
        assertEquals("svg", svg.getDocumentElement().getTagName());
        assertEquals(2, svg.getElementsByTagName("image").getLength(), "the field and the colour bar");
        assertTrue(svg.getElementsByTagName("path").getLength() >= 1, "contour paths");
        assertTrue(svg.getElementsByTagName("text").getLength() > 5, "tick labels and title");
        assertEquals(plot.width() + "px", svg.getDocumentElement().getAttribute("width"));
        assertTrue(new String(plot.toPdf(), 0, 5, StandardCharsets.ISO_8859_1).startsWith("%PDF"));
        for (String name : List.of("a.png", "a.svg", "a.pdf")) assertTrue(Files.size(plot.save(dir.resolve(name))) > 100, name);
        assertTrue(message(() -> plot.save(dir.resolve("a.jpg"))).contains(".png, .svg or .pdf"));
    }

    @Test
    void imageGridsShareAScaleAndOneColourBar() {
        Tensor[] ims = new Tensor[5];
        for (int t = 0; t < 5; t++) {
            final int k = t;
            ims[t] = Tensor.of(field(12, 12, (i, j) -> (double) (i + j) * (k + 1)));
        }
        var grid = Plot.imageGrid(3, List.of("a", "b", "c", "d", "e"), ims).sharedScale();
        BufferedImage img = png(grid);
        assertArrayEquals(new double[] {0, 110}, grid.sharedRange(), 1e-12, "joint min and max");
        Rectangle bar = grid.colorbarBounds();
        assertNotNull(bar);
        assertTrue(near(img, (int) bar.getCenterX(), bar.y + 1, Colormap.viridis().at(1), 6));
        assertNull(grid.cell(0).colorbarBounds(), "one bar for the grid, none per cell");
        assertArrayEquals(new double[] {0, 110}, grid.cell(0).scale(), 1e-12);
        assertTrue(grid.width() >= 3 * grid.cell(0).width() && grid.height() >= 2 * grid.cell(0).height());

        var own = Plot.imageGrid(2, ims);
        png(own);
        assertNull(own.colorbarBounds());
        assertNotNull(own.cell(4).colorbarBounds());
        assertArrayEquals(new double[] {0, 22}, own.cell(0).scale(), 1e-12);
        assertTrue(message(() -> Plot.imageGrid(0, ims)).contains("cols must be at least 1"));
        png(Plot.imageGrid(2, Plot.imshow(Tensor.zeros(8, 8)), Plot.contour(field(8, 8, (i, j) -> (double) i * j), 3)).title("mixed"));
    }

    @Test
    void aDeformedGridDrawsItsLinesWhereThePointsMove() {
        int n = 9;
        double[] phi = new double[n * n * 2];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                phi[(i * n + j) * 2] = j;
                phi[(i * n + j) * 2 + 1] = i;
            }
        }
        var identity = Plot.deformedGrid(Tensor.of(phi, n, n, 2));
        BufferedImage img = png(identity);
        Axes ax = identity.axes();
        for (int j = 0; j < n; j++) assertTrue(ink(img, (int) Math.floor(ax.px(j)), (int) ax.py(4.5)), "column line " + j);
        assertTrue(!ink(img, (int) ax.px(4.5), (int) ax.py(4.5)), "nothing between the lines");
        // A zero displacement in channels-first layout is the same picture.
        BufferedImage same = png(Plot.displacementGrid(Tensor.zeros(2, n, n)));
        for (int y = 0; y < img.getHeight(); y += 5) for (int x = 0; x < img.getWidth(); x += 5) assertEquals(img.getRGB(x, y), same.getRGB(x, y));

        // A shift right by half a cell moves every column line with it.
        double[] shift = phi.clone();
        for (int p = 0; p < n * n; p++) shift[2 * p] += 0.5;
        var moved = Plot.imshow(Tensor.zeros(n, n)).cmap("gray").deformedGrid(Tensor.of(shift, n, n, 2));
        BufferedImage m = png(moved);
        Axes mx = moved.axes();
        int y = (int) mx.py(4.5);
        assertTrue(m.getRGB((int) mx.px(4.5), y) != m.getRGB((int) mx.px(4.25), y), "the line sits at x = 4.5 over the black image");
    }
}
