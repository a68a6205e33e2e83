package callisto.plot;

/**
 * Entry points for charts, named as in matplotlib: {@code Plot.line(y)}, {@code Plot.semilogy(x, y)}, or
 * {@code Plot.figure()} to build one up. Headless AWT is switched on here, so charts render on CI machines.
 */
public final class Plot {
    static {
        if (System.getProperty("java.awt.headless") == null) System.setProperty("java.awt.headless", "true");
    }

    private Plot() {
    }

    /** An empty 640×420 figure. */
    public static Figure figure() {
        return new Figure(640, 420);
    }

    /** An empty figure of the given size in pixels. */
    public static Figure figure(int width, int height) {
        if (width < 50 || height < 50) throw new IllegalArgumentException("figure: " + width + "x" + height + " is too small (50x50 at least)");
        return new Figure(width, height);
    }

    /** A line of y against its index. */
    public static Figure line(double[] y) {
        return figure().line(null, y);
    }

    /** A line of y against x. */
    public static Figure line(double[] x, double[] y) {
        return figure().line(null, x, y);
    }

    /** Points at (x, y). */
    public static Figure scatter(double[] x, double[] y) {
        return figure().scatter(null, x, y);
    }

    /** A line on a logarithmic y axis, as for a training loss. */
    public static Figure semilogy(double[] x, double[] y) {
        return figure().logY().line(null, x, y);
    }

    /** A line on logarithmic x and y axes, as for a convergence rate. */
    public static Figure loglog(double[] x, double[] y) {
        return figure().logX().logY().line(null, x, y);
    }
}
