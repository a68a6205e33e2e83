package callisto.display;

import java.awt.image.RenderedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.ServiceLoader;
import java.util.UUID;
import javax.imageio.ImageIO;

/**
 * Shows values in the notebook, the headless runner or the shell: {@code display(chart)}, and a handle to
 * {@linkplain DisplayHandle#update update} it in place.
 *
 * <p>How a value renders: a {@link Renderable} renders itself; else the best {@link Renderer} found by
 * ServiceLoader; else the built-ins (images as PNG, {@link Html}, {@link Markdown}, {@link Latex}, {@link Svg},
 * {@link Json}); else its text.
 */
public final class Display {
    private static volatile DisplayPublisher publisher = new TerminalPublisher();
    private static volatile List<Renderer<?>> renderers;

    private Display() {
    }

    /** Shows {@code value} as a new output and returns a handle to update it. */
    public static DisplayHandle display(Object value) {
        return show(value, List.of());
    }

    /** Shows {@code value} restricted to {@code mimeTypes} (text/plain always kept). */
    public static DisplayHandle display(Object value, String... mimeTypes) {
        return show(value, List.of(mimeTypes));
    }

    private static DisplayHandle show(Object value, List<String> mimeTypes) {
        var handle = new DisplayHandle(UUID.randomUUID().toString(), mimeTypes);
        publisher().display(render(value, mimeTypes), handle.id());
        return handle;
    }

    /** Clears the current cell's output; with {@code wait}, when the next output arrives (no flicker). */
    public static void clearOutput(boolean wait) {
        publisher().clearOutput(wait);
    }

    /** The MIME bundle {@code value} displays as. */
    public static DisplayData render(Object value) {
        return render(value, List.of());
    }

    static DisplayData render(Object value, List<String> mimeTypes) {
        DisplayData data = renderAll(value);
        return mimeTypes.isEmpty() ? data : data.only(mimeTypes);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static DisplayData renderAll(Object value) {
        if (value instanceof DisplayData d) return d;
        if (value instanceof Renderable r) return r.toDisplayData();
        Renderer best = null;
        for (Renderer renderer : renderers()) {
            if (!renderer.type().isInstance(value)) continue;
            if (best == null || renderer.priority() > best.priority()
                    || (renderer.priority() == best.priority() && best.type().isAssignableFrom(renderer.type()))) {
                best = renderer;
            }
        }
        if (best != null) return best.render(value);
        if (value instanceof RenderedImage image) return png(image);
        return DisplayData.text(plainText(value));
    }

    /** The text/plain form of any value: arrays element by element, null as "null". */
    public static String plainText(Object value) {
        return switch (value) {
            case null -> "null";
            case Object[] a -> Arrays.deepToString(a);
            case int[] a -> Arrays.toString(a);
            case long[] a -> Arrays.toString(a);
            case double[] a -> Arrays.toString(a);
            case float[] a -> Arrays.toString(a);
            case boolean[] a -> Arrays.toString(a);
            case byte[] a -> Arrays.toString(a);
            case short[] a -> Arrays.toString(a);
            case char[] a -> Arrays.toString(a);
            default -> String.valueOf(value);
        };
    }

    /** An image as an image/png bundle. */
    public static DisplayData png(RenderedImage image) {
        var bytes = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, "png", bytes);
        } catch (IOException e) {
            throw new UncheckedIOException("Display: could not encode the image as PNG", e);
        }
        String text = "<image " + image.getWidth() + "x" + image.getHeight() + ">";
        return DisplayData.of(DisplayData.PNG, Base64.getEncoder().encodeToString(bytes.toByteArray()), text);
    }

    /** HTML shown as is. */
    public static Html html(String html) {
        return new Html(html);
    }

    /** Markdown rendered by the frontend. */
    public static Markdown markdown(String markdown) {
        return new Markdown(markdown);
    }

    /** LaTeX maths, e.g. {@code latex("$$e^{i\\pi} + 1 = 0$$")}. */
    public static Latex latex(String latex) {
        return new Latex(latex);
    }

    /** An SVG image from its XML text. */
    public static Svg svg(String svg) {
        return new Svg(svg);
    }

    /** JSON text, shown as a tree by frontends that can. */
    public static Json json(String json) {
        return new Json(json);
    }

    /**
     * An output that follows {@code view} as it changes (a training curve): {@link Live#refresh()} redraws it in
     * place, throttled. {@code var curve = live(() -> metrics.plot("loss"));}
     */
    public static Live live(java.util.function.Supplier<?> view) {
        return Live.of(view);
    }

    /** Whether displays go to a plain terminal (the shell) rather than a notebook. */
    static boolean isTerminal() {
        return publisher instanceof TerminalPublisher;
    }

    /** The sink displays go to now. */
    public static DisplayPublisher publisher() {
        return publisher;
    }

    /** Installs the sink displays go to (the kernel, runner and shell do this); returns the previous one. */
    public static DisplayPublisher setPublisher(DisplayPublisher p) {
        var previous = publisher;
        publisher = p == null ? new TerminalPublisher() : p;
        return previous;
    }

    private static List<Renderer<?>> renderers() {
        var rs = renderers;
        if (rs == null) {
            var found = new ArrayList<Renderer<?>>();
            ServiceLoader.load(Renderer.class, Display.class.getClassLoader()).forEach(found::add);
            renderers = rs = List.copyOf(found);
        }
        return rs;
    }
}
