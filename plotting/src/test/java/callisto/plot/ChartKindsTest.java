package callisto.plot;

import static callisto.plot.PlotTest.colouredPixels;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import callisto.tensor.Tensor;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.util.Random;
import java.util.function.IntPredicate;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Bars, histograms, heat maps and Figure's bands, error bars, reference lines and styles, checked by pixels and numbers. */
class ChartKindsTest {
    static BufferedImage image(Drawable d) throws Exception {
        BufferedImage img = ImageIO.read(new ByteArrayInputStream(d.toPng()));
        assertEquals(d.width(), img.getWidth(), "PNG width");
        assertEquals(d.height(), img.getHeight(), "PNG height");
        return img;
    }

    static boolean red(int rgb) {
        return (rgb >> 16 & 0xff) > 200 && (rgb >> 8 & 0xff) < 80 && (rgb & 0xff) < 80;
    }

    /** Rows holding more than {@code min} pixels that pass {@code test}. */
    static int[] rowsWith(BufferedImage img, IntPredicate test, int min) {
        return java.util.stream.IntStream.range(0, img.getHeight()).filter(y -> {
            int n = 0;
            for (int x = 0; x < img.getWidth(); x++) if (test.test(img.getRGB(x, y))) n++;
            return n > min;
        }).toArray();
    }

    static int countColour(BufferedImage img, Color c, int tolerance, int x1) {
        int n = 0;
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < x1; x++) {
                int rgb = img.getRGB(x, y);
                if (Math.abs((rgb >> 16 & 0xff) - c.getRed()) <= tolerance && Math.abs((rgb >> 8 & 0xff) - c.getGreen()) <= tolerance
                        && Math.abs((rgb & 0xff) - c.getBlue()) <= tolerance) n++;
            }
        }
        return n;
    }

    static void fails(String expected, Executable call) {
        var e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().contains(expected), "expected \"" + expected + "\" in: " + e.getMessage());
    }

    @Test
    void fillBetweenFillsExactlyTheBandBetweenLoAndHi() throws Exception {
        double[] x = {0, 5, 10}, lo = {2, 2, 2}, hi = {4, 4, 4};
        Figure fig = Plot.figure(400, 300).xlim(0, 10).ylim(0, 6).grid(false)
                .fillBetween(null, x, lo, hi).color("series 1", new Color(0, 0, 255))
                .axhline(2, Color.RED).axhline(4, Color.RED);
        BufferedImage img = image(fig);
        int[] lines = rowsWith(img, ChartKindsTest::red, 30); // the dashed reference lines at y = 4 (top) and y = 2
        int top = lines[0], bottom = lines[lines.length - 1];
        assertTrue(bottom - top > 50, "two reference lines found: rows " + java.util.Arrays.toString(lines));
        int col = 200, inside = 0, outside = 0;
        for (int y = 0; y < img.getHeight(); y++) {
            int rgb = img.getRGB(col, y);
            boolean tint = (rgb & 0xff) - (rgb >> 16 & 0xff) > 40 && (rgb >> 16 & 0xff) > 120; // light blue
            if (tint && y > top + 1 && y < bottom - 1) inside++;
            if (tint && (y < top - 2 || y > bottom + 2)) outside++;
        }
        assertTrue(inside >= bottom - top - 6, "the band fills between lo and hi: " + inside + " of " + (bottom - top) + " rows");
        assertEquals(0, outside, "nothing is filled above hi or below lo");
        assertTrue(!fig.chart().getSeriesMap().get("series 1").isShowInLegend(), "an unnamed band stays out of the legend");
    }

    @Test
    void errorBarsSpanYPlusMinusYerr() throws Exception {
        Figure fig = Plot.figure(400, 300).xlim(0, 2).ylim(0, 10).grid(false)
                .errorbars("e", new double[] {0.5, 1, 1.5}, new double[] {5, 5, 5}, new double[] {2, 2, 2}).color("e", new Color(0, 0, 255))
                .axhline(3, Color.RED).axhline(7, Color.RED).legend(false);
        BufferedImage img = image(fig);
        int[] lines = rowsWith(img, ChartKindsTest::red, 30);
        int top = lines[0], bottom = lines[lines.length - 1];
        int xMid = -1; // the middle error bar: the column with the most blue pixels near the centre
        int best = 0;
        for (int x = 150; x < 250; x++) {
            int n = 0;
            for (int y = 0; y < img.getHeight(); y++) if (blue(img.getRGB(x, y))) n++;
            if (n > best) {
                best = n;
                xMid = x;
            }
        }
        int first = Integer.MAX_VALUE, last = -1;
        for (int y = 0; y < img.getHeight(); y++) {
            if (blue(img.getRGB(xMid, y))) {
                first = Math.min(first, y);
                last = Math.max(last, y);
            }
        }
        assertTrue(Math.abs(first - top) <= 3 && Math.abs(last - bottom) <= 3,
                "the bar runs from y - yerr to y + yerr: rows " + first + ".." + last + ", reference lines at " + top + " and " + bottom);
    }

    static boolean blue(int rgb) {
        return (rgb & 0xff) > 200 && (rgb >> 16 & 0xff) < 90 && (rgb >> 8 & 0xff) < 90;
    }

    @Test
    void figureExtrasRenderAndChain() throws Exception {
        double[] x = PlotTest.range(50, i -> i), y = PlotTest.range(50, i -> Math.sqrt(i + 1));
        Figure fig = Plot.figure(300, 200).area("area", x, y).line("sqrt", x, y).dashed("sqrt").lineStyle("area", ":")
                .color("sqrt", "#2ca02c").annotate("peak", 40, 7).axvline(25).size(500, 250).legend("lower right").grid(false);
        BufferedImage img = image(fig);
        assertEquals(500, img.getWidth());
        assertEquals(250, img.getHeight());
        assertTrue(countColour(img, new Color(0x2ca02c), 10, 500) > 50, "the line takes its given colour");
        assertTrue(fig.toSvg().contains("<svg"));
        assertArrayEquals("%PDF".getBytes(), java.util.Arrays.copyOf(fig.toPdf(), 4));
        assertEquals("Figure(2 series, 500x250)", fig.toString());

        Figure legendUpperLeft = Plot.figure(400, 300).ylim(0, 10).line("a", new double[] {0, 1}, new double[] {1, 1}).legend("upper left");
        assertTrue(colouredPixels(image(legendUpperLeft), 60, 10, 200, 100) > 5, "the legend sits at the upper left");
        assertEquals(0, colouredPixels(image(legendUpperLeft.legend(false)), 60, 10, 200, 100), "no legend once hidden");
    }

    @Test
    void histogramBinsMatchAHandCount() {
        // [0,1): 0, 0.5, 0.99   [1,2): 1   [2,3): 2.5   [3,4] (closed): 4
        Bins b = Bins.of(new double[] {0, 0.5, 0.99, 1, 2.5, 4}, 4);
        assertArrayEquals(new double[] {0, 1, 2, 3, 4}, b.edges());
        assertArrayEquals(new double[] {3, 1, 1, 1}, b.counts());
        assertArrayEquals(new double[] {0.5, 1.5, 2.5, 3.5}, b.centers());
        assertArrayEquals(new double[] {0.5, 1. / 6, 1. / 6, 1. / 6}, b.density().counts(), 1e-12);
        // A set range leaves out what falls outside, as numpy's range= does.
        assertArrayEquals(new double[] {1, 1}, Bins.of(new double[] {-1, 0.2, 0.7, 5}, 2, 0, 1).counts());
        // A constant sample spans v ± 0.5.
        assertArrayEquals(new double[] {2.5, 3.5}, Bins.of(new double[] {3, 3, 3}, 1).edges());

        // Every value lands in the bin its edges bracket, even where (v - lo) / width rounds across an edge.
        var rnd = new Random(7);
        double[] data = new double[5000];
        for (int i = 0; i < data.length; i++) data[i] = rnd.nextInt(30) * 0.1; // many values exactly on edges
        Bins r = Bins.of(data, 29);
        double[] e = r.edges(), brute = new double[29];
        for (double v : data) {
            for (int k = 0; k < 29; k++) {
                if (v >= e[k] && (v < e[k + 1] || k == 28 && v <= e[k + 1])) {
                    brute[k]++;
                    break;
                }
            }
        }
        assertArrayEquals(brute, r.counts());
        double total = 0, area = 0;
        for (int k = 0; k < 29; k++) {
            total += r.counts()[k];
            area += r.density().counts()[k] * (e[k + 1] - e[k]);
        }
        assertEquals(data.length, total, "every value is counted once");
        assertEquals(1.0, area, 1e-9, "a density integrates to 1");
    }

    @Test
    void histogramDrawsBarsInThePlotArea() throws Exception {
        var rnd = new Random(1);
        double[] data = new double[1000];
        for (int i = 0; i < data.length; i++) data[i] = rnd.nextGaussian();
        Figure h = Plot.hist(data, 20).title("gaussian");
        BufferedImage img = image(h);
        assertTrue(colouredPixels(img, 60, 40, 580, 380) > 5000, "bars fill much of the plot area");
        assertEquals(1, h.chart().getSeriesMap().size());
        Figure t = Plot.hist(Tensor.of(data, 10, 100), 10);
        assertTrue(colouredPixels(image(t), 60, 40, 580, 380) > 5000, "any tensor's values, flattened");
        Figure d = Plot.hist(data, 20, true).line("pdf", new double[] {-3, 0, 3}, new double[] {0.004, 0.4, 0.004});
        assertEquals(2, d.chart().getSeriesMap().size());
    }

    @Test
    void barsSingleAndGroupedWithLegend() throws Exception {
        BarChart one = Plot.bar(new String[] {"a", "b", "c"}, new double[] {3, 1, 2}).title("one");
        BufferedImage img = image(one);
        assertTrue(countColour(img, Theme.TABLEAU_10.get(0), 6, img.getWidth()) > 2000, "the bars in the first colour");
        assertTrue(!one.chart().getStyler().isLegendVisible(), "an unnamed series needs no legend");

        BarChart grouped = Plot.bars("MNIST", "CIFAR-10").bar("adam", new double[] {0.99, 0.9}, new double[] {0.01, 0.02})
                .bar("sgd", new double[] {0.98, 0.85}).ylim(0.5, 1).xlabel("dataset").ylabel("accuracy");
        BufferedImage g = image(grouped);
        int plotRight = g.getWidth() - 110; // the legend sits outside the plot on the right
        assertTrue(countColour(g, Theme.TABLEAU_10.get(0), 6, plotRight) > 1000, "first series' bars");
        assertTrue(countColour(g, Theme.TABLEAU_10.get(1), 6, plotRight) > 1000, "second series' bars beside them");
        assertTrue(colouredPixels(g, plotRight, 0, g.getWidth(), g.getHeight()) > 50, "named series get a legend at the right");
        assertEquals("BarChart(2 categories, 2 series, 640x420)", grouped.toString());
        assertTrue(image(Plot.bars("x", "y").bar("p", new double[] {1, 2}).bar("q", new double[] {2, 1}).stacked().showValues()).getWidth() > 0);
    }

    @Test
    void heatmapPutsRowZeroAtTheTopAndSpansViridis() throws Exception {
        HeatMap hm = Plot.heatmap(new double[][] {{0, 1, 2}, {3, 4, 5}}, new String[] {"a", "b", "c"}, new String[] {"r0", "r1"}).title("z");
        BufferedImage img = image(hm);
        int plotRight = (int) (img.getWidth() * 0.75); // left of the colour bar
        double[] low = centroid(img, HeatMap.VIRIDIS[0], plotRight), high = centroid(img, HeatMap.VIRIDIS[9], plotRight);
        assertTrue(low[2] > 500 && high[2] > 500, "the smallest and largest cells take viridis' ends: " + low[2] + ", " + high[2] + " pixels");
        assertTrue(low[0] < high[0] && low[1] < high[1], "z[0][0] (smallest) is top-left, z[1][2] (largest) bottom-right");
        assertEquals("HeatMap(\"z\", 2x3, 560x480)", hm.toString());
        HeatMap fromTensor = Plot.heatmap(Tensor.of(new double[] {1, 2, 3, 4, 5, 6}, 2, 3)).range(0, 10).showValues();
        assertEquals(2, fromTensor.rows());
        assertEquals(3, fromTensor.cols());
        assertTrue(image(fromTensor).getWidth() == 560);
    }

    static double[] centroid(BufferedImage img, Color c, int x1) {
        double sx = 0, sy = 0, n = 0;
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < x1; x++) {
                int rgb = img.getRGB(x, y);
                if (Math.abs((rgb >> 16 & 0xff) - c.getRed()) < 8 && Math.abs((rgb >> 8 & 0xff) - c.getGreen()) < 8 && Math.abs((rgb & 0xff) - c.getBlue()) < 8) {
                    sx += x;
                    sy += y;
                    n++;
                }
            }
        }
        return new double[] {sx / n, sy / n, n};
    }

    @Test
    void badInputIsNamed() {
        fails("hist: bins must be ≥ 1, got 0", () -> Plot.hist(new double[] {1, 2}, 0));
        fails("hist: data is empty", () -> Plot.hist(new double[0], 3));
        fails("hist: data[1] is NaN", () -> Plot.hist(new double[] {1, Double.NaN}, 3));
        fails("hist: range must be finite with lo < hi, got [1.0, 0.0]", () -> Bins.of(new double[] {1}, 2, 1, 0));
        fails("hist: bars start at 0", () -> Plot.figure().logY().hist(null, new double[] {1, 2}, 2));
        fails("bar: 3 categories and 4 values", () -> Plot.bar(new String[] {"a", "b", "c"}, new double[] {1, 2, 3, 4}));
        fails("bar: 2 values and 1 errors", () -> Plot.bars("a", "b").bar("s", new double[] {1, 2}, new double[] {1}));
        fails("bar: errors[0] is -1.0", () -> Plot.bars("a").bar("s", new double[] {1}, new double[] {-1}));
        fails("bar: values[0] is NaN", () -> Plot.bars("a").bar("s", new double[] {Double.NaN}));
        fails("bar: a series named 's' exists already", () -> Plot.bars("a").bar("s", new double[] {1}).bar("s", new double[] {2}));
        fails("bars: categories are empty", Plot::bars);
        fails("bar: categories[1] is null", () -> Plot.bar(new String[] {"a", null}, new double[] {1, 2}));
        fails("heatmap: z is ragged: z[0] has 2 values and z[1] has 1", () -> Plot.heatmap(new double[][] {{1, 2}, {3}}));
        fails("heatmap: z[0][1] is NaN", () -> Plot.heatmap(new double[][] {{1, Double.NaN}}));
        fails("heatmap: z has no rows", () -> Plot.heatmap(new double[0][]));
        fails("heatmap: 2 columns and 3 xLabels", () -> Plot.heatmap(new double[][] {{1, 2}}, new String[] {"a", "b", "c"}, null));
        fails("heatmap: z must be 2-D, got shape [3]", () -> Plot.heatmap(Tensor.of(1, 2, 3)));
        fails("range: limits must be finite with min < max, got (1.0, 1.0)", () -> Plot.heatmap(new double[][] {{1}}).range(1, 1));
        fails("fillBetween: band 'b' has 3 x values, 2 lo values and 3 hi values",
                () -> Plot.figure().fillBetween("b", new double[3], new double[2], new double[3]));
        fails("errorbars: series 'e' has yerr[1] = -1.0", () -> Plot.figure().errorbars("e", new double[2], new double[2], new double[] {0, -1}));
        fails("errorbars: series 'e' has 2 y values and 1 yerr values", () -> Plot.figure().errorbars("e", new double[2], new double[2], new double[1]));
        fails("errorbars: series 'e' reaches y[0] - yerr[0] = -1.0 on a log axis",
                () -> Plot.figure().logY().errorbars("e", new double[] {1}, new double[] {1}, new double[] {2}));
        fails("area: series 'a' has 2 x values and 1 y values", () -> Plot.figure().area("a", new double[2], new double[1]));
        fails("xlim: limits must be finite with lo < hi, got (2.0, 1.0)", () -> Plot.figure().xlim(2, 1));
        fails("ylim: lo must be > 0 on a log axis, got 0.0", () -> Plot.figure().logY().ylim(0, 1));
        fails("size: 10x10 is too small (50x50 at least)", () -> Plot.figure().size(10, 10));
        fails("legend: position must be one of \"upper right\"", () -> Plot.figure().legend("middle"));
        fails("lineStyle: style must be \"-\", \"--\", \":\" or \"-.\"", () -> Plot.line(new double[] {1}).lineStyle("series 1", "~"));
        fails("color: no series named 'x'; the figure has []", () -> Plot.figure().color("x", Color.RED));
        fails("color: colour must be \"#rrggbb\"", () -> Plot.line(new double[] {1}).color("series 1", "#12"));
        fails("axhline: y must be finite, got NaN", () -> Plot.figure().axhline(Double.NaN));
        fails("annotate: text must not be null", () -> Plot.figure().annotate(null, 0, 0));
    }
}
