package callisto.display;

/** A value that knows how to show itself in a notebook. {@link Display#render} prefers it over any renderer. */
public interface Renderable {
    /** This value as a MIME bundle; it must include text/plain. */
    DisplayData toDisplayData();
}
