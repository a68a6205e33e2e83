package callisto.plot;

import callisto.display.DisplayData;
import callisto.display.Renderable;
import de.erichseifert.vectorgraphics2d.VectorGraphics2D;
import de.erichseifert.vectorgraphics2d.pdf.PDFProcessor;
import de.erichseifert.vectorgraphics2d.svg.SVGProcessor;
import de.erichseifert.vectorgraphics2d.util.PageSize;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Locale;
import javax.imageio.ImageIO;

/**
 * Anything that paints itself at a fixed size: charts, images, grids of them. One {@link #paint} serves every
 * output: a bitmap for PNG, a vector recorder for SVG and PDF, or a cell of a {@link Plot#grid grid}. A drawable
 * left as a cell's value renders inline as PNG and SVG.
 */
public interface Drawable extends Renderable {
    /** Width in pixels (SVG and PDF units). */
    int width();

    /** Height in pixels. */
    int height();

    /** Paints the whole drawable into {@code g}, whose origin is its top-left corner. */
    void paint(Graphics2D g);

    /** As PNG bytes. */
    default byte[] toPng() {
        var image = toImage();
        var out = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, "png", out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** As an RGB image (white where nothing is painted). */
    default BufferedImage toImage() {
        var image = new BufferedImage(width(), height(), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setColor(java.awt.Color.WHITE);
            g.fillRect(0, 0, width(), height());
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            paint(g);
        } finally {
            g.dispose();
        }
        return image;
    }

    /** As an SVG document. */
    default String toSvg() {
        return new String(Drawables.vector(this, new SVGProcessor()), StandardCharsets.UTF_8);
    }

    /** As a one-page PDF document. */
    default byte[] toPdf() {
        return Drawables.vector(this, new PDFProcessor(true));
    }

    /** Saves as PNG, SVG or PDF, chosen by the file's extension; the file is replaced whole or not at all. */
    default Path save(String file) throws IOException {
        return save(Path.of(file));
    }

    /** Saves as PNG, SVG or PDF, chosen by the file's extension; the file is replaced whole or not at all. */
    default Path save(Path file) throws IOException {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        byte[] bytes;
        if (name.endsWith(".png")) bytes = toPng();
        else if (name.endsWith(".svg")) bytes = toSvg().getBytes(StandardCharsets.UTF_8);
        else if (name.endsWith(".pdf")) bytes = toPdf();
        else throw new IllegalArgumentException("save: " + file + ": expected a .png, .svg or .pdf file name");
        callisto.runtime.AtomicFile.write(file, tmp -> Files.write(tmp, bytes));
        return file;
    }

    @Override
    default DisplayData toDisplayData() {
        return DisplayData.of(DisplayData.PNG, Base64.getEncoder().encodeToString(toPng()), toString())
                .with(DisplayData.SVG, toSvg());
    }
}

/** What {@link Drawable}'s defaults share. */
final class Drawables {
    private Drawables() {
    }

    static byte[] vector(Drawable d, de.erichseifert.vectorgraphics2d.Processor processor) {
        var g = new VectorGraphics2D();
        try {
            d.paint(g);
        } finally {
            g.dispose();
        }
        var out = new ByteArrayOutputStream();
        try {
            processor.getDocument(g.getCommands(), new PageSize(0, 0, d.width(), d.height())).writeTo(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
