package callisto.plot;

import static callisto.plot.ChartKindsTest.fails;
import static callisto.plot.ChartKindsTest.image;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Light, dark and transparent themes: backgrounds, text contrast, the colour cycle, the session default. */
class ThemeTest {
    static double luminance(int rgb) {
        return 0.2126 * (rgb >> 16 & 0xff) + 0.7152 * (rgb >> 8 & 0xff) + 0.0722 * (rgb & 0xff);
    }

    static Figure sample() {
        double[] x = PlotTest.range(40, i -> i);
        return Plot.figure(400, 300).title("themed").line("a", x, PlotTest.range(40, i -> Math.sin(i / 5.0)))
                .line("b", x, PlotTest.range(40, i -> Math.cos(i / 5.0)));
    }

    @Test
    void darkThemeHasDarkBackgroundLightTextAndItsOwnCycle() throws Exception {
        BufferedImage img = image(sample().theme(Theme.DARK));
        for (int[] p : new int[][] {{0, 0}, {399, 0}, {0, 299}, {399, 299}}) {
            assertTrue(luminance(img.getRGB(p[0], p[1])) < 50, "background at " + p[0] + "," + p[1] + " is dark");
        }
        int dark = 0, all = 0; // inside the plot area, most pixels are background
        for (int y = 60; y < 240; y++) for (int x = 60; x < 300; x++, all++) if (luminance(img.getRGB(x, y)) < 50) dark++;
        assertTrue(dark > 0.8 * all, "the plot area is dark: " + dark + " of " + all);
        int light = 0; // the title's glyphs
        for (int y = 0; y < 30; y++) for (int x = 0; x < 400; x++) if (luminance(img.getRGB(x, y)) > 170) light++;
        assertTrue(light > 20, "the title is drawn in light text: " + light + " light pixels");
        assertTrue(ChartKindsTest.countColour(img, Theme.OKABE_ITO.get(0), 8, 300) > 50, "the first series takes Okabe–Ito's sky blue");

        BufferedImage lightImg = image(sample());
        assertTrue(luminance(lightImg.getRGB(0, 0)) > 240, "LIGHT is the default and white");
        assertTrue(ChartKindsTest.countColour(lightImg, Theme.TABLEAU_10.get(0), 8, 300) > 50, "the first series takes Tableau's blue");
    }

    @Test
    void transparentThemeKeepsAnAlphaChannel() throws Exception {
        for (Drawable d : List.<Drawable>of(sample().theme(Theme.DARK.transparent()),
                Plot.bar(new String[] {"a"}, new double[] {1}).theme(Theme.LIGHT.transparent()),
                Plot.heatmap(new double[][] {{1, 2}}).theme(Theme.LIGHT.transparent()))) {
            BufferedImage img = image(d);
            assertTrue(img.getColorModel().hasAlpha(), d + ": the PNG has alpha");
            assertEquals(0, img.getRGB(0, 0) >>> 24, d + ": the corner is fully transparent");
            int opaque = 0;
            for (int y = 0; y < img.getHeight(); y++) for (int x = 0; x < img.getWidth(); x++) if (img.getRGB(x, y) >>> 24 == 255) opaque++;
            assertTrue(opaque > 200, d + ": what is drawn stays opaque: " + opaque);
        }
        assertTrue(Theme.DARK.transparent().isTransparent() && !Theme.DARK.isTransparent());
        assertEquals("Theme(dark transparent)", Theme.DARK.transparent().transparent().toString());
    }

    @Test
    void sessionDefaultAppliesToNewChartsAndAFigureCanOverrideIt() throws Exception {
        try {
            Plot.theme(Theme.DARK);
            assertSame(Theme.DARK, Plot.theme());
            assertTrue(luminance(image(Plot.line(new double[] {1, 2, 3})).getRGB(0, 0)) < 50, "new figures start dark");
            assertTrue(luminance(image(Plot.bar(new String[] {"a"}, new double[] {1})).getRGB(0, 0)) < 50, "so do bar charts");
            assertTrue(luminance(image(Plot.line(new double[] {1, 2}).theme(Theme.LIGHT)).getRGB(0, 0)) > 240, "one figure can differ");
        } finally {
            Plot.theme(Theme.LIGHT);
        }
    }

    @Test
    void aThemeSetAfterRenderingStillApplies() throws Exception {
        Figure f = sample();
        image(f); // XChart fixes series colours on first paint; ours are re-applied every render
        BufferedImage dark = image(f.theme(Theme.DARK));
        assertTrue(luminance(dark.getRGB(0, 0)) < 50);
        assertTrue(ChartKindsTest.countColour(dark, Theme.OKABE_ITO.get(0), 8, 300) > 50, "series recoloured from the new cycle");
    }

    @Test
    void customCyclesAndBadThemes() throws Exception {
        Theme mono = Theme.LIGHT.withCycle(new Color(0x009e73));
        assertEquals(mono.color(0), mono.color(5), "the cycle wraps");
        assertTrue(ChartKindsTest.countColour(image(sample().theme(mono)), new Color(0x009e73), 8, 300) > 100);
        fails("theme: cycle must hold at least one colour, got none", () -> Theme.LIGHT.withCycle());
        fails("theme: expected a Theme (e.g. Theme.DARK), got null", () -> Plot.theme(null));
        fails("theme: expected a Theme", () -> Plot.figure().theme(null));
    }
}
