package callisto.display;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The sink for a plain terminal (the shell, a program run outside a notebook): images and SVG are written
 * to a temporary folder and their path printed; everything else prints as text.
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

    private synchronized Path write(String extension, byte[] bytes) {
        try {
            if (folder == null) folder = Files.createTempDirectory("callisto-display-");
            Path file = folder.resolve("display-" + COUNTER.incrementAndGet() + "." + extension);
            Files.write(file, bytes);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("display: could not write the image to a temporary folder", e);
        }
    }
}
