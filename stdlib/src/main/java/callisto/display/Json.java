package callisto.display;

/**
 * JSON text, which frontends show as a tree: {@code display(new Json(...))}.
 *
 * @param json the content
 */
public record Json(String json) implements Renderable {
    public Json {
        java.util.Objects.requireNonNull(json, "json");
    }

    @Override
    public DisplayData toDisplayData() {
        return DisplayData.of(DisplayData.JSON, json, json);
    }
}
