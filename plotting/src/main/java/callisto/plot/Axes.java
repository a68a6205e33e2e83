package callisto.plot;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.RenderingHints;
import java.awt.font.FontRenderContext;
import java.awt.geom.Line2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.util.Locale;

/**
 * A pixel rectangle with data limits on each side: maps data to pixels and draws the frame, ticks, tick labels,
 * axis labels, title and colour bars, for every plot drawn here with Java2D. The y limits are given as the values
 * at the bottom and top edges, so an image axis that counts rows downward is just {@code yBottom > yTop}.
 */
final class Axes {
    static final Color INK = new Color(0x222222);
    static final int TICK = 5;
    static final Font TICK_FONT = font(Font.PLAIN, 11);
    static final Font LABEL_FONT = font(Font.PLAIN, 12);
    static final Font TITLE_FONT = font(Font.BOLD, 14);
    // Measures text without a Graphics, so layouts are known before painting.
    private static final FontRenderContext FRC = new FontRenderContext(null, true, true);

    final Rectangle area;
    final double x0, x1, yBottom, yTop;
    final double[] xTicks, yTicks;

    Axes(Rectangle area, double x0, double x1, double yBottom, double yTop, double[] xTicks, double[] yTicks) {
        this.area = area;
        this.x0 = x0;
        this.x1 = x1;
        this.yBottom = yBottom;
        this.yTop = yTop;
        this.xTicks = xTicks;
        this.yTicks = yTicks;
    }

    /** The "SansSerif" logical font, which is DejaVu Sans on Linux. */
    static Font font(int style, float size) {
        return new Font(Font.SANS_SERIF, style, 1).deriveFont(style, size);
    }

    double px(double x) {
        return area.x + (x - x0) / (x1 - x0) * area.width;
    }

    double py(double y) {
        return area.y + (yTop - y) / (yTop - yBottom) * area.height;
    }

    /** Screen pixels per data unit along x (negative when x grows leftwards). */
    double pxPerX() {
        return area.width / (x1 - x0);
    }

    /** Screen pixels per data unit along y, downward positive (so negative on an ordinary upward axis). */
    double pyPerY() {
        return -area.height / (yTop - yBottom);
    }

    /** Antialiased lines and text, exact strokes; the same for bitmaps and vector output. */
    static void quality(Graphics2D g) {
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
        g.setRenderingHint(RenderingHints.KEY_FRACTIONALMETRICS, RenderingHints.VALUE_FRACTIONALMETRICS_ON);
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_NEAREST_NEIGHBOR);
    }

    /** The frame around the area, with ticks and labels when {@code ticks}, and the title and axis labels if given. */
    void decorate(Graphics2D g, boolean ticks, String title, String xlabel, String ylabel) {
        g.setColor(INK);
        g.setStroke(new BasicStroke(1f));
        // Half a pixel outside the area, so the frame never covers the image's edge pixels.
        g.draw(new Rectangle2D.Double(area.x - 0.5, area.y - 0.5, area.width + 1, area.height + 1));
        double bottom = area.getMaxY() + 1;
        double left = area.x - 1;
        if (ticks) {
            g.setFont(TICK_FONT);
            double xs = step(xTicks), ys = step(yTicks);
            for (double t : xTicks) {
                double x = px(t);
                g.draw(new Line2D.Double(x, bottom, x, bottom + TICK));
                text(g, format(t, xs), x, bottom + TICK + 2, 0.5, 0);
            }
            double widest = 0;
            for (double t : yTicks) {
                double y = py(t);
                g.draw(new Line2D.Double(left - TICK, y, left, y));
                String s = format(t, ys);
                widest = Math.max(widest, width(TICK_FONT, s));
                text(g, s, left - TICK - 3, y, 1, 0.5);
            }
            bottom += TICK + 2 + height(TICK_FONT);
            left -= TICK + 3 + widest;
        }
        if (xlabel != null && !xlabel.isEmpty()) {
            g.setFont(LABEL_FONT);
            text(g, xlabel, area.getCenterX(), bottom + 4, 0.5, 0);
        }
        if (ylabel != null && !ylabel.isEmpty()) {
            g.setFont(LABEL_FONT);
            var r = (Graphics2D) g.create();
            r.translate(left - 6, area.getCenterY());
            r.rotate(-Math.PI / 2);
            text(r, ylabel, 0, 0, 0.5, 1);
            r.dispose();
        }
        if (title != null && !title.isEmpty()) {
            g.setFont(TITLE_FONT);
            text(g, title, area.getCenterX(), area.y - 8, 0.5, 1);
        }
    }

    /** Margins the decorations need: {left, top, right, bottom} beyond the area. */
    static int[] margins(boolean ticks, double[] yTicks, String title, String xlabel, String ylabel) {
        int left = 6, top = 8, right = 8, bottom = 6;
        if (ticks) {
            double ys = step(yTicks), widest = 0;
            for (double t : yTicks) widest = Math.max(widest, width(TICK_FONT, format(t, ys)));
            left += (int) Math.ceil(TICK + 3 + widest);
            bottom += (int) Math.ceil(TICK + 2 + height(TICK_FONT));
            top += 6; // half a y tick label sticks out above the frame
            right += 14; // and half the last x tick label to the right
        }
        if (xlabel != null && !xlabel.isEmpty()) bottom += (int) Math.ceil(height(LABEL_FONT)) + 4;
        if (ylabel != null && !ylabel.isEmpty()) left += (int) Math.ceil(height(LABEL_FONT)) + 6;
        if (title != null && !title.isEmpty()) top += (int) Math.ceil(height(TITLE_FONT)) + 8;
        return new int[] {left, top, right, bottom};
    }

    /** Width a colour bar needs to the right of its plot: gap, bar, ticks, labels. */
    static int colorbarWidth(double lo, double hi, int barHeight) {
        double[] t = ticks(lo, hi, Math.max(2, barHeight / 40));
        double widest = 0;
        for (double v : t) widest = Math.max(widest, width(TICK_FONT, format(v, step(t))));
        return 14 + 14 + TICK + 3 + (int) Math.ceil(widest) + 4;
    }

    /** The bar's rectangle when placed right of {@code area} (the gap is part of {@link #colorbarWidth}). */
    static Rectangle colorbarBounds(Rectangle area) {
        return new Rectangle(area.x + area.width + 14, area.y, 14, area.height);
    }

    /** A vertical colour bar: low at the bottom, high at the top, framed, with ticks on the right. */
    static void colorbar(Graphics2D g, Rectangle bar, Colormap cmap, double lo, double hi) {
        // One pixel row per colour step, painted as an image at 1:1 so vector output holds it exactly.
        var img = new BufferedImage(bar.width, bar.height, BufferedImage.TYPE_INT_ARGB);
        for (int y = 0; y < bar.height; y++) {
            double t = bar.height == 1 ? 0.5 : 1.0 - (double) y / (bar.height - 1);
            int c = cmap.argb(t);
            for (int x = 0; x < bar.width; x++) img.setRGB(x, y, c);
        }
        g.drawImage(img, bar.x, bar.y, null);
        g.setColor(INK);
        g.setStroke(new BasicStroke(1f));
        g.draw(new Rectangle2D.Double(bar.x - 0.5, bar.y - 0.5, bar.width + 1, bar.height + 1));
        g.setFont(TICK_FONT);
        double[] t = ticks(lo, hi, Math.max(2, bar.height / 40));
        double s = step(t);
        double right = bar.getMaxX() + 1;
        for (double v : t) {
            double y = bar.y + (hi - v) / (hi - lo) * bar.height;
            g.draw(new Line2D.Double(right, y, right + TICK, y));
            text(g, format(v, s), right + TICK + 3, y, 0, 0.5);
        }
    }

    /** Text with its anchor at (x, y): {@code ha} 0 left, 0.5 centre, 1 right; {@code va} 0 top, 0.5 middle, 1 bottom. */
    static void text(Graphics2D g, String s, double x, double y, double ha, double va) {
        var m = g.getFontMetrics();
        double w = width(g.getFont(), s);
        float baseline = (float) (y + m.getAscent() - va * (m.getAscent() + m.getDescent()));
        g.drawString(s, (float) (x - ha * w), baseline);
    }

    static double width(Font f, String s) {
        return f.getStringBounds(s, FRC).getWidth();
    }

    static double height(Font f) {
        var m = f.getLineMetrics("0", FRC);
        return m.getAscent() + m.getDescent();
    }

    /**
     * Round tick values inside [lo, hi]: multiples of 1, 2 or 5 times a power of ten, at most {@code max + 1} of
     * them. The order of lo and hi does not matter.
     */
    static double[] ticks(double lo, double hi, int max) {
        if (lo > hi) {
            double t = lo;
            lo = hi;
            hi = t;
        }
        if (!(hi > lo) || !Double.isFinite(hi - lo)) return Double.isFinite(lo) ? new double[] {lo} : new double[0];
        double step = niceStep((hi - lo) / Math.max(1, max));
        double[] t = multiples(lo, hi, step);
        // A short range between round numbers (say -0.97 to 0.98) can hold one tick or none: step down until two fit.
        for (int i = 0; t.length < 2 && i < 40; i++) t = multiples(lo, hi, step = smaller(step));
        return t;
    }

    private static double[] multiples(double lo, double hi, double step) {
        long k0 = (long) Math.ceil(lo / step - 1e-9), k1 = (long) Math.floor(hi / step + 1e-9);
        double[] t = new double[(int) Math.max(0, k1 - k0 + 1)];
        for (int i = 0; i < t.length; i++) t[i] = (k0 + i) * step;
        return t;
    }

    /** The next nice step below {@code step}: 10 to 5 to 2 to 1. */
    private static double smaller(double step) {
        double p = Math.pow(10, Math.floor(Math.log10(step) + 1e-9));
        double f = Math.round(step / p);
        return (f >= 5 ? 2 : f >= 2 ? 1 : 0.5) * p;
    }

    /** The smallest of 1, 2, 5 times a power of ten that is at least {@code raw}. */
    static double niceStep(double raw) {
        double p = Math.pow(10, Math.floor(Math.log10(raw)));
        double f = raw / p;
        return (f <= 1 + 1e-9 ? 1 : f <= 2 + 1e-9 ? 2 : f <= 5 + 1e-9 ? 5 : 10) * p;
    }

    /** The spacing of evenly spaced values (1 for fewer than two). */
    static double step(double[] values) {
        return values.length > 1 ? Math.abs(values[1] - values[0]) : values.length == 1 && values[0] != 0 ? Math.abs(values[0]) : 1;
    }

    /**
     * A tick label with as many decimals as {@code step} needs; scientific notation for very large or small
     * values, where fixed notation would run long.
     */
    static String format(double v, double step) {
        if (Math.abs(v) < step * 1e-9) return "0";
        double a = Math.abs(v);
        if (a >= 1e5 || a < 1e-4) {
            int digits = (int) Math.max(0, Math.floor(Math.log10(a)) - Math.floor(Math.log10(step) + 1e-9));
            String s = String.format(Locale.ROOT, "%." + Math.min(digits, 6) + "e", v);
            return s.replaceFirst("e\\+0*(\\d)", "e$1").replaceFirst("e-0*(\\d)", "e-$1");
        }
        int decimals = (int) Math.max(0, -Math.floor(Math.log10(step) + 1e-9));
        return String.format(Locale.ROOT, "%." + Math.min(decimals, 10) + "f", v);
    }
}
