package callisto.plot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import org.junit.jupiter.api.Test;

/** The tables against matplotlib's published values, and the lookup rules. */
class ColormapTest {
    static String hex(Color c) {
        return String.format("#%06x", c.getRGB() & 0xffffff);
    }

    @Test
    void viridisAndMagmaEndsMatchMatplotlib() {
        assertEquals("#440154", hex(Colormap.viridis().at(0)));
        assertEquals("#fde725", hex(Colormap.viridis().at(1)));
        assertEquals("#21918c", hex(Colormap.viridis().at(0.5))); // viridis(128)
        assertEquals("#000004", hex(Colormap.magma().at(0)));
        assertEquals("#fcfdbf", hex(Colormap.magma().at(1)));
    }

    @Test
    void rdbuRunsFromRedThroughNearWhiteToBlue() {
        var m = Colormap.rdbu();
        assertEquals("#67001f", hex(m.at(0)));
        assertEquals("#053061", hex(m.at(1)));
        Color mid = m.at(0.5);
        for (int ch : new int[] {mid.getRed(), mid.getGreen(), mid.getBlue()}) assertTrue(ch >= 0xf0, "middle " + hex(mid));
        assertEquals("#053061", hex(m.reversed().at(0)));
    }

    @Test
    void grayIsLinear() {
        var g = Colormap.gray();
        for (int k : new int[] {0, 1, 64, 127, 200, 254, 255}) {
            Color c = g.at(k / 255.0);
            assertEquals(k, c.getRed(), "gray(" + k + "/255)");
            assertEquals(k, c.getGreen());
            assertEquals(k, c.getBlue());
        }
    }

    @Test
    void tIsClampedAndNanIsTheBadColour() {
        var v = Colormap.viridis();
        assertEquals(v.at(0), v.at(-3));
        assertEquals(v.at(1), v.at(7));
        assertEquals(v.at(0), v.at(Double.NEGATIVE_INFINITY));
        assertEquals(0, v.at(Double.NaN).getAlpha(), "NaN is transparent by default");
        assertEquals(Color.GRAY, v.withBad(Color.GRAY).at(Double.NaN));
        assertEquals(255, v.at(0.3).getAlpha());
        assertEquals(256, v.size());
    }

    @Test
    void namesReverseAndLookUpIgnoringCase() {
        assertEquals("viridis_r", Colormap.viridis().reversed().name());
        assertEquals("viridis", Colormap.viridis().reversed().reversed().name());
        assertEquals("#fde725", hex(Colormap.of("Viridis_r").at(0)));
        assertEquals("gray", Colormap.of("grey").name());
        assertEquals("RdBu", Colormap.of("rdbu").name());
        assertEquals(java.util.List.of("viridis", "magma", "gray", "RdBu"), Colormap.names());
    }

    @Test
    void anUnknownNameListsTheKnownOnes() {
        var e = assertThrows(IllegalArgumentException.class, () -> Colormap.of("jet"));
        assertTrue(e.getMessage().contains("'jet'") && e.getMessage().contains("viridis") && e.getMessage().contains("RdBu"), e.getMessage());
    }
}
