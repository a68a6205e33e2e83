package callisto.display;

/**
 * Markdown text, rendered by the frontend: {@code display(new Markdown(...))}.
 *
 * @param markdown the content
 */
public record Markdown(String markdown) implements Renderable {
    public Markdown {
        java.util.Objects.requireNonNull(markdown, "markdown");
    }

    @Override
    public DisplayData toDisplayData() {
        return DisplayData.of(DisplayData.MARKDOWN, markdown, markdown);
    }
}
