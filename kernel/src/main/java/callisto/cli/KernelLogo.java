package callisto.cli;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Ellipse2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/**
 * The kernelspec's logo files, drawn here rather than kept as binaries: Callisto the moon, a cratered disc.
 * One list of shapes feeds both the PNGs and the SVG, so they always agree.
 */
final class KernelLogo {
    static final String PNG_32 = "logo-32x32.png";
    static final String PNG_64 = "logo-64x64.png";
    static final String SVG = "logo-svg.svg";

    private static final Color BODY = new Color(0x5b4a3a);
    private static final Color RIM = new Color(0x2e251d);
    private static final Color CRATER = new Color(0xd9c7a8);
    /** Craters on a 64-unit square: centre x, centre y, radius. */
    private static final double[][] CRATERS = {
            {22, 22, 6}, {40, 18, 3.5}, {44, 36, 7}, {26, 44, 4.5}, {16, 34, 2.5}, {36, 50, 2.5}, {50, 24, 2}};

    private KernelLogo() {
    }

    static void write(Path dir) throws IOException {
        System.setProperty("java.awt.headless", "true");
        for (int size : new int[] {32, 64}) {
            var image = new BufferedImage(size, size, BufferedImage.TYPE_INT_ARGB);
            Graphics2D g = image.createGraphics();
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.scale(size / 64.0, size / 64.0);
            g.setColor(RIM);
            g.fill(new Ellipse2D.Double(2, 2, 60, 60));
            g.setColor(BODY);
            g.fill(new Ellipse2D.Double(5, 5, 54, 54));
            g.setColor(CRATER);
            for (double[] c : CRATERS) g.fill(new Ellipse2D.Double(c[0] - c[2], c[1] - c[2], 2 * c[2], 2 * c[2]));
            g.dispose();
            Path file = dir.resolve(size == 32 ? PNG_32 : PNG_64);
            callisto.runtime.AtomicFile.write(file, tmp -> ImageIO.write(image, "png", tmp.toFile()));
        }
        var svg = new StringBuilder("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"64\" height=\"64\" viewBox=\"0 0 64 64\">\n");
        svg.append(circle(32, 32, 30, RIM)).append(circle(32, 32, 27, BODY));
        for (double[] c : CRATERS) svg.append(circle(c[0], c[1], c[2], CRATER));
        svg.append("</svg>\n");
        callisto.runtime.AtomicFile.write(dir.resolve(SVG), tmp -> Files.writeString(tmp, svg, StandardCharsets.UTF_8));
    }

    private static String circle(double x, double y, double r, Color c) {
        return "  <circle cx=\"%s\" cy=\"%s\" r=\"%s\" fill=\"#%06x\"/>\n".formatted(x, y, r, c.getRGB() & 0xffffff);
    }
}
