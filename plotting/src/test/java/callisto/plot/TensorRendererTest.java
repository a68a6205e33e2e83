package callisto.plot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import callisto.display.Display;
import callisto.display.DisplayData;
import callisto.tensor.Tensor;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.util.Base64;
import java.util.HashSet;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class TensorRendererTest {
    @AfterEach
    void off() {
        Plot.tensorHeatMaps(false);
    }

    @Test
    void aTensorRendersAsItsTextUnlessHeatMapsAreOn() {
        Tensor t = Tensor.of(new double[][] {{0, 1, 2}, {3, 4, 5}});
        DisplayData off = Display.render(t);
        assertEquals(t.toString(), off.plainText());
        assertFalse(off.data().containsKey(DisplayData.PNG), off.data().keySet().toString());
    }

    @Test
    void aTwoDimensionalFloatTensorAlsoShowsAsAHeatMap() throws Exception {
        Plot.tensorHeatMaps(true);
        double[][] rows = new double[16][24];
        for (int i = 0; i < 16; i++) for (int j = 0; j < 24; j++) rows[i][j] = i + j;
        Tensor t = Tensor.of(rows);
        DisplayData d = Display.render(t);
        assertEquals(t.toString(), d.plainText(), "the text stays");
        BufferedImage img = ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(d.data().get(DisplayData.PNG))));
        assertEquals(360, img.getWidth());
        assertEquals(300, img.getHeight());
        var colours = new HashSet<Integer>();
        for (int y = 0; y < img.getHeight(); y += 3) for (int x = 0; x < img.getWidth(); x += 3) colours.add(img.getRGB(x, y));
        assertTrue(colours.size() > 30, "a ramp through the colour map shows many colours, got " + colours.size());
        // the low corner has viridis's low end, the high corner its high end
        assertTrue(nearAny(colours, Colormap.viridis().at(0).getRGB()), "low end");
        assertTrue(nearAny(colours, Colormap.viridis().at(1).getRGB()), "high end");
    }

    @Test
    void otherTensorsStayText() {
        Plot.tensorHeatMaps(true);
        for (Tensor t : new Tensor[] {Tensor.of(1, 2, 3), Tensor.ofInts(1, 2, 3, 4).reshape(2, 2), Tensor.of(new double[8], 2, 2, 2)}) {
            DisplayData d = Display.render(t);
            assertEquals(t.toString(), d.plainText());
            assertFalse(d.data().containsKey(DisplayData.PNG), java.util.Arrays.toString(t.shape()) + " " + t.dtype());
        }
    }

    private static boolean nearAny(HashSet<Integer> colours, int rgb) {
        for (int c : colours) {
            if (Math.abs((c >> 16 & 0xff) - (rgb >> 16 & 0xff)) <= 8 && Math.abs((c >> 8 & 0xff) - (rgb >> 8 & 0xff)) <= 8
                    && Math.abs((c & 0xff) - (rgb & 0xff)) <= 8) return true;
        }
        return false;
    }
}
