package callisto.plot;

import callisto.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

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

    /** The session's default theme; volatile since a notebook's cells may run on different threads. */
    private static volatile Theme theme = Theme.LIGHT;

    /** Sets the theme every chart made from now on starts with ({@link Theme#LIGHT} until set). */
    public static void theme(Theme theme) {
        Plot.theme = XChartDrawable.checkTheme(theme);
    }

    /** The session's default theme. */
    public static Theme theme() {
        return theme;
    }

    private static volatile boolean tensorHeatMaps;

    /**
     * Whether a 2-D floating-point tensor left as a cell's value also shows as a heat map (its text stays, for
     * frontends and files that show text). Off until set; {@code Plot.tensorHeatMaps(true)} turns it on.
     */
    public static void tensorHeatMaps(boolean on) {
        tensorHeatMaps = on;
    }

    /** Whether 2-D tensors show as heat maps ({@link #tensorHeatMaps(boolean)}). */
    public static boolean tensorHeatMaps() {
        return tensorHeatMaps;
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

    // ---- bars, histograms, heat maps, grids of drawables (BarChart, Figure.hist, HeatMap, Grid)

    /** One bar per category, e.g. final accuracy per method. */
    public static BarChart bar(String[] categories, double[] values) {
        return new BarChart("bar", categories, theme).bar(null, values);
    }

    /** Empty bars over the categories; add grouped series with {@code .bar(name, values)}. */
    public static BarChart bars(String... categories) {
        return new BarChart("bars", categories, theme);
    }

    /** A histogram of {@code data} in {@code bins} equal bins over its range (counts per bin; see {@link Bins}). */
    public static Figure hist(double[] data, int bins) {
        return figure().hist(null, data, bins);
    }

    /** A histogram; with {@code density} the bars' total area is 1, ready for an overlaid density curve. */
    public static Figure hist(double[] data, int bins, boolean density) {
        return figure().hist(null, data, bins, density);
    }

    /** A histogram of all the tensor's values, whatever its shape (e.g. a layer's weights). */
    public static Figure hist(Tensor data, int bins) {
        return hist(data.toArray(), bins);
    }

    /** {@code z[row][column]} as coloured cells, row 0 at the top, with a colour bar; axes labelled by index. */
    public static HeatMap heatmap(double[][] z) {
        return new HeatMap("heatmap", z, null, null, theme);
    }

    /** As {@link #heatmap(double[][])} with a label per column (x) and per row (y), as for a confusion matrix. */
    public static HeatMap heatmap(double[][] z, String[] xLabels, String[] yLabels) {
        return new HeatMap("heatmap", z, xLabels, yLabels, theme);
    }

    /** A 2-D tensor as a heat map, its first index the row. */
    public static HeatMap heatmap(Tensor z) {
        if (z.dim() != 2) throw new IllegalArgumentException("heatmap: z must be 2-D, got shape " + Arrays.toString(z.shape()));
        int rows = z.shape()[0], cols = z.shape()[1];
        double[] flat = z.toArray();
        double[][] m = new double[rows][];
        for (int i = 0; i < rows; i++) m[i] = Arrays.copyOfRange(flat, i * cols, (i + 1) * cols);
        return heatmap(m);
    }

    /**
     * Drawables (figures, bar charts, heat maps, images, grids) in one image, {@code cols} to a row, each cell as
     * large as the largest; {@code .title(...)} adds a title across the top.
     */
    public static Grid grid(int cols, Drawable... cells) {
        if (cells == null) throw new IllegalArgumentException("grid: no cells given (expected at least one drawable)");
        return new Grid(cols, Arrays.asList(cells), theme);
    }

    /** As {@link #grid(int, Drawable...)} from a list, e.g. one figure per seed. */
    public static Grid grid(int cols, List<? extends Drawable> cells) {
        return new Grid(cols, cells, theme);
    }

    // ---- fields and images, drawn with Java2D (ImagePlot, ImageGrid)

    /**
     * A 2-D field through a colour map (viridis; {@code .cmap("RdBu_r").symmetric()} for signed data) with a colour
     * bar, or an RGB image: [H,W,3] or [3,H,W] with values in [0, 1]. [H,W,1] and [1,H,W] count as 2-D.
     */
    public static ImagePlot imshow(Tensor image) {
        return ImagePlot.of("imshow", image);
    }

    /** A 2-D field, {@code field[row][column]}, through a colour map. */
    public static ImagePlot imshow(double[][] field) {
        return ImagePlot.of("imshow", field);
    }

    /** Images (any shape {@link #imshow(Tensor)} takes) in rows of {@code cols}, without ticks. */
    public static ImageGrid imageGrid(int cols, Tensor... images) {
        return imageGrid(cols, null, images);
    }

    /** Images in rows of {@code cols}, each under its title. */
    public static ImageGrid imageGrid(int cols, List<String> titles, Tensor... images) {
        if (images == null || images.length == 0) throw new IllegalArgumentException("imageGrid: no images given");
        if (titles != null && titles.size() != images.length) {
            throw new IllegalArgumentException("imageGrid: " + titles.size() + " titles for " + images.length + " images");
        }
        var cells = new ArrayList<ImagePlot>();
        for (int i = 0; i < images.length; i++) {
            var cell = ImagePlot.of("imageGrid: image " + i, images[i]).ticks(false);
            cells.add(titles == null ? cell : cell.title(titles.get(i)));
        }
        return new ImageGrid(cols, cells);
    }

    /** Plots made elsewhere (with their overlays and settings) in rows of {@code cols}. */
    public static ImageGrid imageGrid(int cols, ImagePlot... plots) {
        if (plots == null || plots.length == 0) throw new IllegalArgumentException("imageGrid: no plots given");
        return new ImageGrid(cols, Arrays.asList(plots));
    }

    /** Contour lines of {@code field[row][column]} at the given levels, coloured by level and labelled. */
    public static ImagePlot contour(double[][] field, double... levels) {
        return new ImagePlot().contour(field, levels);
    }

    /** Contour lines at up to n round levels inside the field's range ({@link Contours#levels}). */
    public static ImagePlot contour(double[][] field, int n) {
        return new ImagePlot().contour(field, n);
    }

    public static ImagePlot contour(Tensor field, double... levels) {
        return new ImagePlot().contour(field, levels);
    }

    public static ImagePlot contour(Tensor field, int n) {
        return new ImagePlot().contour(field, n);
    }

    /**
     * Arrows (u, v) at points (x, y), y axis up; one scale for all, so the longest arrow is 0.9 of the typical
     * spacing between points. {@code .arrowColors(Colormap.viridis())} colours them by magnitude.
     */
    public static ImagePlot quiver(double[] x, double[] y, double[] u, double[] v) {
        return new ImagePlot().quiver(x, y, u, v);
    }

    /** Arrows at points from four tensors of one shape (flattened). */
    public static ImagePlot quiver(Tensor x, Tensor y, Tensor u, Tensor v) {
        return new ImagePlot().quiver(x, y, u, v);
    }

    /**
     * Arrows of a vector field on a grid: u and v are 2-D of one shape, at (column, row) as in {@link #imshow};
     * thinned to about 24 along the longer side (or {@code .stride(k)}).
     */
    public static ImagePlot quiver(Tensor u, Tensor v) {
        return new ImagePlot().quiver(u, v);
    }

    /**
     * A grid warped by a deformation {@code phi} of shape [H,W,2] (or [2,H,W]): the (x, y) = (column, row) position
     * each grid point moves to; every k-th line is drawn ({@code .stride(k)}). Over an image:
     * {@code Plot.imshow(moving).deformedGrid(phi)}.
     */
    public static ImagePlot deformedGrid(Tensor phi) {
        return new ImagePlot().deformedGrid(phi);
    }

    /** As {@link #deformedGrid(Tensor)} with the positions as two 2-D tensors, x (column) and y (row). */
    public static ImagePlot deformedGrid(Tensor x, Tensor y) {
        return new ImagePlot().deformedGrid(x, y);
    }

    /** The grid moved by a displacement field u of shape [H,W,2] (or [2,H,W]): (j, i) goes to (j + u_x, i + u_y). */
    public static ImagePlot displacementGrid(Tensor u) {
        return new ImagePlot().displacementGrid(u);
    }
}
