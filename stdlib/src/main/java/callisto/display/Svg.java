package callisto.display;

/**
 * An SVG image from its XML text: {@code display(new Svg(...))}.
 *
 * @param svg the content
 */
public record Svg(String svg) implements Renderable {
    public Svg {
        java.util.Objects.requireNonNull(svg, "svg");
    }

    @Override
    public DisplayData toDisplayData() {
        return DisplayData.of(DisplayData.SVG, svg, svg);
    }
}
