package callisto.plot;

import java.awt.Color;
import java.util.List;
import java.util.Objects;

/**
 * Colours for a chart: backgrounds, text, grid and axis lines, and the cycle that series take in turn.
 * {@link #LIGHT} is the default; {@link #DARK} reads on a dark notebook; {@link #transparent()} of either lets a
 * chart sit on any notebook background (pick the one whose text contrasts with it). Set a session default with
 * {@link Plot#theme(Theme)}, or one chart's with its {@code theme(...)}.
 *
 * @param name           shown in {@code toString}
 * @param background     behind the whole chart, titles and legend
 * @param plotBackground behind the plot area
 * @param text           titles, axis labels, tick labels, legend text, annotations
 * @param grid           grid lines
 * @param axes           plot border, tick marks, reference lines
 * @param cycle          series colours, taken in turn (at least one)
 */
public record Theme(String name, Color background, Color plotBackground, Color text, Color grid, Color axes, List<Color> cycle) {
    /** Tableau 10 (Tableau's 2016 palette, also Vega's {@code tableau10}): distinct hues, all readable on white. */
    public static final List<Color> TABLEAU_10 = colors(
            0x4e79a7, 0xf28e2b, 0xe15759, 0x76b7b2, 0x59a14f, 0xedc948, 0xb07aa1, 0xff9da7, 0x9c755f, 0xbab0ac);

    /**
     * Okabe–Ito, the colour-blind-safe palette, without its black (invisible on dark backgrounds), sky blue and
     * orange first so the first two series read as on {@link #LIGHT}.
     */
    public static final List<Color> OKABE_ITO = colors(0x56b4e9, 0xe69f00, 0x009e73, 0xf0e442, 0xcc79a7, 0xd55e00, 0x0072b2, 0x999999);

    /** Dark text on white with Tableau 10 series: the default. */
    public static final Theme LIGHT = new Theme("light", Color.WHITE, Color.WHITE, new Color(0x222222), new Color(0xe6e6e6),
            new Color(0x9a9a9a), TABLEAU_10);

    /** Light text on near-black (JupyterLab's dark background is close) with Okabe–Ito series. */
    public static final Theme DARK = new Theme("dark", new Color(0x1e1e1e), new Color(0x1e1e1e), new Color(0xdddddd),
            new Color(0x3c3c3c), new Color(0x8a8a8a), OKABE_ITO);

    public Theme {
        Objects.requireNonNull(name, "theme: name");
        Objects.requireNonNull(background, "theme: background");
        Objects.requireNonNull(plotBackground, "theme: plotBackground");
        Objects.requireNonNull(text, "theme: text");
        Objects.requireNonNull(grid, "theme: grid");
        Objects.requireNonNull(axes, "theme: axes");
        cycle = List.copyOf(cycle);
        if (cycle.isEmpty()) throw new IllegalArgumentException("theme: cycle must hold at least one colour, got none");
    }

    /** This theme with both backgrounds fully transparent (PNGs keep an alpha channel). */
    public Theme transparent() {
        Color clear = new Color(0, 0, 0, 0);
        return new Theme(name.endsWith(" transparent") ? name : name + " transparent", clear, clear, text, grid, axes, cycle);
    }

    /** This theme with another colour cycle. */
    public Theme withCycle(Color... colors) {
        return new Theme(name, background, plotBackground, text, grid, axes, List.of(colors));
    }

    /** Whether the chart background lets what is beneath show through. */
    public boolean isTransparent() {
        return background.getAlpha() < 255;
    }

    /** The {@code i}-th colour of the cycle, wrapping around. */
    public Color color(int i) {
        return cycle.get(Math.floorMod(i, cycle.size()));
    }

    @Override
    public String toString() {
        return "Theme(" + name + ")";
    }

    private static List<Color> colors(int... rgb) {
        return java.util.Arrays.stream(rgb).mapToObj(Color::new).toList();
    }
}
