package callisto.display;

import java.awt.Desktop;
import java.awt.GraphicsEnvironment;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The sink for a plain terminal (the shell, a program run outside a notebook): images and SVG are written
 * to a temporary folder and their path printed (and opened in the system's viewer when there is a desktop);
 * everything else prints as text.
 */
final class TerminalPublisher implements DisplayPublisher {
    private static final AtomicInteger COUNTER = new AtomicInteger();
    private Path folder;

    @Override
    public void display(DisplayData data, String displayId) {
        String png = data.data().get(DisplayData.PNG);
        String svg = data.data().get(DisplayData.SVG);
        if (png != null) {
            System.out.println(data.plainText() + " -> " + write("png", Base64.getDecoder().decode(png)));
        } else if (svg != null) {
            System.out.println(data.plainText() + " -> " + write("svg", svg.getBytes(StandardCharsets.UTF_8)));
        } else {
            System.out.println(data.plainText());
        }
    }

    @Override
    public void update(DisplayData data, String displayId) {
        display(data, displayId);
    }

    /** With a desktop (not a CI machine or an ssh session), also show the image in the system's viewer. */
    private static void openInWindow(Path file) {
        if (GraphicsEnvironment.isHeadless() || !Desktop.isDesktopSupported()) return;
        Desktop desktop = Desktop.getDesktop();
        if (!desktop.isSupported(Desktop.Action.OPEN)) return;
        try {
            desktop.open(file.toFile());
        } catch (IOException | RuntimeException e) {
            // no viewer for the type: the printed path is enough
        }
    }

    private synchronized Path write(String extension, byte[] bytes) {
        try {
            if (folder == null) folder = Files.createTempDirectory("callisto-display-");
            Path file = folder.resolve("display-" + COUNTER.incrementAndGet() + "." + extension);
            Files.write(file, bytes);
            openInWindow(file);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("display: could not write the image to a temporary folder", e);
        }
    }
}
