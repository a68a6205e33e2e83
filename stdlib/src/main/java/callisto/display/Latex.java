package callisto.display;

/**
 * LaTeX maths (with its $ or $$ delimiters), rendered by the frontend: {@code display(new Latex(...))}.
 *
 * @param latex the content
 */
public record Latex(String latex) implements Renderable {
    public Latex {
        java.util.Objects.requireNonNull(latex, "latex");
    }

    @Override
    public DisplayData toDisplayData() {
        return DisplayData.of(DisplayData.LATEX, latex, latex);
    }
}
