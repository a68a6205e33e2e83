package callisto.plot;

import static callisto.plot.ImagePlotTest.ink;
import static callisto.plot.ImagePlotTest.message;
import static callisto.plot.ImagePlotTest.near;
import static callisto.plot.ImagePlotTest.png;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import callisto.tensor.Tensor;
import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import org.junit.jupiter.api.Test;

/** Arrows: the documented scale rule, directions per origin, magnitude colours, bad input. */
class QuiverTest {
    @Test
    void theLongestArrowIsNineTenthsOfTheGridSpacing() {
        var plot = Plot.quiver(Tensor.ones(8, 8), Tensor.zeros(8, 8)); // 50 pixels per cell, arrows 45 long
        BufferedImage img = png(plot);
        Axes ax = plot.axes();
        assertEquals(50, ax.pxPerX(), 1e-9);
        int tail = (int) Math.round(ax.px(3)), y = (int) Math.floor(ax.py(3));
        assertTrue(ink(img, tail + 5, y) && ink(img, tail + 25, y) && ink(img, tail + 42, y), "the shaft and head run right");
        assertFalse(ink(img, tail + 47, y), "the tip stops at 45 pixels");
        assertFalse(ink(img, tail - 3, y), "and starts at the tail");
    }

    @Test
    void positiveVPointsDownWithTheUpperOriginAndUpWithTheLower() {
        var down = Plot.quiver(Tensor.zeros(8, 8), Tensor.ones(8, 8));
        BufferedImage img = png(down);
        Axes ax = down.axes();
        int x = (int) Math.floor(ax.px(3)), y = (int) Math.round(ax.py(3));
        assertTrue(ink(img, x, y + 20) && !ink(img, x, y - 3), "down the screen, as image flow");

        var up = Plot.quiver(Tensor.zeros(8, 8), Tensor.ones(8, 8)).origin("lower");
        img = png(up);
        ax = up.axes();
        y = (int) Math.round(ax.py(3));
        assertTrue(ink(img, x, y - 20) && !ink(img, x, y + 3), "up with origin lower");
    }

    @Test
    void pointArrowsColouredByMagnitudeGetAColourBar() {
        int n = 10;
        double[] x = new double[n * n], y = new double[n * n], u = new double[n * n], v = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                int k = i * n + j;
                x[k] = j - 4.5;
                y[k] = i - 4.5;
                u[k] = -y[k];
                v[k] = x[k];
            }
        }
        var plain = Plot.quiver(x, y, u, v);
        assertNull(plain.colorbarBounds(), "black arrows need no bar");
        var plot = Plot.quiver(x, y, u, v).arrowColors(Colormap.viridis()).title("rotation");
        BufferedImage img = png(plot);
        Rectangle bar = plot.colorbarBounds();
        assertNotNull(bar);
        assertTrue(near(img, (int) bar.getCenterX(), bar.y + 1, Colormap.viridis().at(1), 6));
        Axes ax = plot.axes();
        assertTrue(ax.py(4.5) < ax.py(-4.5), "points use an upward y axis");
        assertTrue(ax.px(-4.5) > ax.area.x && ax.px(4.5) < ax.area.getMaxX(), "room for the outer arrows");
        int coloured = 0;
        for (int py = ax.area.y; py < ax.area.getMaxY(); py++) for (int px = ax.area.x; px < ax.area.getMaxX(); px++) if (ink(img, px, py)) coloured++;
        assertTrue(coloured > 500, "arrows drawn: " + coloured);
        png(Plot.quiver(Tensor.of(x), Tensor.of(y), Tensor.of(u), Tensor.of(v)));
        png(Plot.quiver(new double[] {0}, new double[] {0}, new double[] {0}, new double[] {0})); // nothing to scale, no failure
    }

    @Test
    void mismatchedInputIsNamed() {
        assertEquals("quiver: x, y, u, v must have one equal, non-zero length, got 3, 3, 2, 3",
                message(() -> Plot.quiver(new double[3], new double[3], new double[2], new double[3])));
        assertEquals("quiver: u has shape [4, 4] but v has shape [4, 5]", message(() -> Plot.quiver(Tensor.zeros(4, 4), Tensor.zeros(4, 5))));
        assertEquals("quiver: x has shape [6] but v has shape [5]",
                message(() -> Plot.quiver(Tensor.zeros(6), Tensor.zeros(6), Tensor.zeros(6), Tensor.zeros(5))));
        assertEquals("quiver: u has shape [6, 6] but the plot's grid is [4, 4]",
                message(() -> Plot.imshow(Tensor.zeros(4, 4)).quiver(Tensor.zeros(6, 6), Tensor.zeros(6, 6))));
    }
}
