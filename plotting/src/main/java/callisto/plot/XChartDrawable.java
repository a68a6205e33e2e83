package callisto.plot;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Objects;
import org.knowm.xchart.VectorGraphicsEncoder;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.AxesChartStyler;
import org.knowm.xchart.style.Styler;

/**
 * What the XChart-backed drawables share: the chart, its theme, and the outputs. The theme and per-series colours
 * are applied just before every render ({@link #restyle}), so a {@code theme(...)} or colour set after the chart
 * was first shown still takes effect.
 */
abstract class XChartDrawable<C extends Chart<?, ?>> implements Drawable {
    final C chart;
    Theme theme;

    XChartDrawable(C chart, Theme theme) {
        this.chart = chart;
        this.theme = Objects.requireNonNull(theme, "theme");
    }

    /** Pushes the theme and series styles into the chart. */
    abstract void restyle();

    /** Undoes what {@link #restyle} added only for drawing, so the chart holds just what the user put in. */
    void unstyle() {
    }

    /** Sets the chart's size; XChart keeps it protected, so each chart kind has a small subclass that opens it. */
    abstract void resize(int width, int height);

    static void checkSize(String op, int width, int height) {
        if (width < 50 || height < 50) throw new IllegalArgumentException(op + ": " + width + "x" + height + " is too small (50x50 at least)");
    }

    static Theme checkTheme(Theme theme) {
        if (theme == null) throw new IllegalArgumentException("theme: expected a Theme (e.g. Theme.DARK), got null");
        return theme;
    }

    /** The theme's backgrounds, text and lines on any axes chart. */
    void applyTheme(AxesChartStyler s) {
        applyBaseTheme(s);
        s.setPlotGridLinesColor(theme.grid());
        s.setAxisTickMarksColor(theme.axes());
        s.setAxisTickLabelsColor(theme.text());
        s.setXAxisTitleColor(theme.text());
        s.setYAxisTitleColor(theme.text());
        s.setErrorBarsColorSeriesColor(true);
    }

    void applyBaseTheme(Styler s) {
        s.setChartBackgroundColor(theme.background());
        s.setPlotBackgroundColor(theme.plotBackground());
        s.setPlotBorderColor(theme.axes());
        s.setChartFontColor(theme.text());
        s.setLegendBackgroundColor(theme.background());
        s.setLegendBorderColor(theme.isTransparent() ? new Color(0, 0, 0, 0) : blend(theme.background(), theme.text(), 0.2));
        s.setAnnotationTextFontColor(theme.text());
        s.setSeriesColors(theme.cycle().toArray(Color[]::new));
    }

    @Override
    public int width() {
        return chart.getWidth();
    }

    @Override
    public int height() {
        return chart.getHeight();
    }

    @Override
    public void paint(Graphics2D g) {
        restyle();
        try {
            chart.paint(g, chart.getWidth(), chart.getHeight());
        } finally {
            unstyle();
        }
    }

    /** An ARGB image when the theme is transparent, else RGB on the theme's background. */
    @Override
    public BufferedImage toImage() {
        return render(this, theme.background());
    }


    /** Through XChart's PDFBox encoder, which embeds fonts properly. */
    @Override
    public byte[] toPdf() {
        restyle();
        var out = new ByteArrayOutputStream();
        try {
            VectorGraphicsEncoder.saveVectorGraphic(chart, out, VectorGraphicsEncoder.VectorGraphicsFormat.PDF);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            unstyle();
        }
        return out.toByteArray();
    }

    /** {@code d} painted on {@code background}; ARGB only where the background is see-through, since RGB PNGs are smaller. */
    static BufferedImage render(Drawable d, Color background) {
        boolean clear = background.getAlpha() < 255;
        var image = new BufferedImage(d.width(), d.height(), clear ? BufferedImage.TYPE_INT_ARGB : BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            if (!clear) {
                g.setColor(background);
                g.fillRect(0, 0, d.width(), d.height());
            }
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            d.paint(g);
        } finally {
            g.dispose();
        }
        return image;
    }

    /** {@code c} with alpha {@code alpha} (0–255). */
    static Color withAlpha(Color c, int alpha) {
        return new Color(c.getRed(), c.getGreen(), c.getBlue(), alpha);
    }

    /** The colour a fraction {@code t} of the way from {@code a} to {@code b}, opaque. */
    static Color blend(Color a, Color b, double t) {
        return new Color((int) Math.round(a.getRed() + (b.getRed() - a.getRed()) * t),
                (int) Math.round(a.getGreen() + (b.getGreen() - a.getGreen()) * t),
                (int) Math.round(a.getBlue() + (b.getBlue() - a.getBlue()) * t));
    }

    /** A colour from "#rrggbb", "#rgb" or a few plain names, for calls typed in a notebook. */
    static Color parseColor(String op, String spec) {
        if (spec == null) throw new IllegalArgumentException(op + ": colour must be \"#rrggbb\" or a name, got null");
        String s = spec.trim().toLowerCase(java.util.Locale.ROOT);
        Color named = switch (s) {
            case "black" -> Color.BLACK;
            case "white" -> Color.WHITE;
            case "grey", "gray" -> new Color(0x808080);
            case "red" -> new Color(0xd62728);
            case "green" -> new Color(0x2ca02c);
            case "blue" -> new Color(0x1f77b4);
            case "orange" -> new Color(0xff7f0e);
            case "purple" -> new Color(0x9467bd);
            default -> null;
        };
        if (named != null) return named;
        if (s.matches("#[0-9a-f]{6}")) return new Color(Integer.parseInt(s.substring(1), 16));
        if (s.matches("#[0-9a-f]{3}")) {
            int r = Character.digit(s.charAt(1), 16), g = Character.digit(s.charAt(2), 16), b = Character.digit(s.charAt(3), 16);
            return new Color(r * 17, g * 17, b * 17);
        }
        throw new IllegalArgumentException(op + ": colour must be \"#rrggbb\", \"#rgb\" or one of black, white, grey, red, green, blue, orange, purple; got \"" + spec + "\"");
    }

    /** XChart's legend positions under matplotlib's names. */
    static Styler.LegendPosition legendPosition(String op, String where) {
        String w = where == null ? "" : where.trim().toLowerCase(java.util.Locale.ROOT);
        return switch (w) {
            case "upper right", "ne" -> Styler.LegendPosition.InsideNE;
            case "upper left", "nw" -> Styler.LegendPosition.InsideNW;
            case "lower right", "se" -> Styler.LegendPosition.InsideSE;
            case "lower left", "sw" -> Styler.LegendPosition.InsideSW;
            case "upper center", "n" -> Styler.LegendPosition.InsideN;
            case "lower center", "s" -> Styler.LegendPosition.InsideS;
            case "right", "outside right", "e" -> Styler.LegendPosition.OutsideE;
            case "below", "outside below" -> Styler.LegendPosition.OutsideS;
            default -> throw new IllegalArgumentException(op + ": position must be one of \"upper right\", \"upper left\", \"lower right\", "
                    + "\"lower left\", \"upper center\", \"lower center\", \"right\" (outside), \"below\" (outside); got "
                    + (where == null ? "null" : "\"" + where + "\""));
        };
    }
}
