package callisto.display;

/**
 * An HTML fragment, shown as is: {@code display(new Html(...))}.
 *
 * @param html the content
 */
public record Html(String html) implements Renderable {
    public Html {
        java.util.Objects.requireNonNull(html, "html");
    }

    @Override
    public DisplayData toDisplayData() {
        return DisplayData.of(DisplayData.HTML, html, html);
    }
}
