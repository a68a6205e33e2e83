package callisto.display;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class DisplayTest {
    interface Shape {
    }

    record Point(int x, int y) implements Shape {
    }

    record Circle(int r) implements Shape {
    }

    /** Registered in src/test/resources/META-INF/services: the more specific type must win over ShapeRenderer. */
    public static final class PointRenderer implements Renderer<Point> {
        @Override
        public Class<Point> type() {
            return Point.class;
        }

        @Override
        public DisplayData render(Point p) {
            return DisplayData.of(DisplayData.HTML, "<i>" + p.x() + "," + p.y() + "</i>", "point");
        }
    }

    public static final class ShapeRenderer implements Renderer<Shape> {
        @Override
        public Class<Shape> type() {
            return Shape.class;
        }

        @Override
        public DisplayData render(Shape s) {
            return DisplayData.text("a shape");
        }
    }

    public static final class NumberRenderer implements Renderer<Number> {
        @Override
        public Class<Number> type() {
            return Number.class;
        }

        @Override
        public DisplayData render(Number n) {
            return DisplayData.text("number " + n);
        }
    }

    public static final class IntegerRenderer implements Renderer<Integer> {
        @Override
        public Class<Integer> type() {
            return Integer.class;
        }

        @Override
        public DisplayData render(Integer n) {
            return DisplayData.text("integer " + n);
        }

        @Override
        public int priority() {
            return 0;
        }
    }

    @Test
    void theMostSpecificRendererWinsWhateverTheLoadOrder() {
        assertEquals("integer 3", Display.render(3).plainText());
        assertEquals("number 2.5", Display.render(2.5).plainText());
    }

    @Test
    void serviceLoadedRenderersPreferTheMostSpecificType() {
        assertEquals("<i>1,2</i>", Display.render(new Point(1, 2)).data().get(DisplayData.HTML));
        assertEquals("a shape", Display.render(new Circle(3)).plainText());
    }

    @Test
    void renderableRendersItself() {
        Renderable r = () -> DisplayData.of(DisplayData.MARKDOWN, "# hi", "hi");
        assertEquals("# hi", Display.render(r).data().get(DisplayData.MARKDOWN));
    }

    @Test
    void wrappersCarryTheirMimeTypeAndPlainText() {
        assertEquals("<b>x</b>", Display.render(Display.html("<b>x</b>")).data().get("text/html"));
        assertEquals("$x$", Display.render(Display.latex("$x$")).data().get("text/latex"));
        assertEquals("<svg/>", Display.render(Display.svg("<svg/>")).data().get("image/svg+xml"));
        assertEquals("{}", Display.render(Display.json("{}")).data().get("application/json"));
        assertEquals("*m*", Display.render(Display.markdown("*m*")).plainText());
    }

    @Test
    void imagesBecomePngThatDecodesBack() throws Exception {
        var img = new BufferedImage(5, 3, BufferedImage.TYPE_INT_RGB);
        img.setRGB(2, 1, 0x00ff00);
        DisplayData d = Display.render(img);
        assertEquals("<image 5x3>", d.plainText());
        BufferedImage back = ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(d.data().get("image/png"))));
        assertEquals(5, back.getWidth());
        assertEquals(0x00ff00, back.getRGB(2, 1) & 0xffffff);
    }

    @Test
    void plainTextOfArraysAndNull() {
        assertEquals("[1, 2]", Display.plainText(new int[] {1, 2}));
        assertEquals("[[a], [b]]", Display.plainText(new String[][] {{"a"}, {"b"}}));
        assertEquals("null", Display.render(null).plainText());
    }

    @Test
    void aBundleNeedsPlainText() {
        var e = assertThrows(IllegalArgumentException.class, () -> new DisplayData(Map.of("text/html", "x"), Map.of()));
        assertTrue(e.getMessage().contains("text/plain"), e.getMessage());
    }

    @Test
    void restrictingMimeTypesKeepsPlainText() {
        var d = DisplayData.of("text/html", "<b>x</b>", "x").with("image/png", "AAAA");
        assertEquals(List.of("text/html", "text/plain"), new ArrayList<>(d.only(List.of("text/html")).data().keySet()));
    }

    @Test
    void displayAndUpdateGoToThePublisherWithOneId() {
        var seen = new ArrayList<String>();
        DisplayPublisher previous = Display.setPublisher(new DisplayPublisher() {
            @Override
            public void display(DisplayData data, String id) {
                seen.add("display " + id + " " + data.data().keySet());
            }

            @Override
            public void update(DisplayData data, String id) {
                seen.add("update " + id + " " + data.plainText());
            }
        });
        try {
            DisplayHandle h = Display.display(Display.html("<b>1</b>"), "text/html");
            h.update("two");
            assertEquals(List.of("display " + h.id() + " [text/html, text/plain]", "update " + h.id() + " two"), seen);
        } finally {
            Display.setPublisher(previous);
        }
    }
}
