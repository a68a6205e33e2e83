package callisto.datasets;

import callisto.display.DisplayData;
import callisto.display.Renderable;
import callisto.plot.Figure;
import callisto.plot.Plot;
import callisto.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.Table;

/**
 * A training log: one row per step, one column per metric, shown as its table when left as a cell's value.
 *
 * <pre>{@code
 * var log = Metrics.create("train");
 * for (int step = 0; step < 1000; step++) {
 *     ...
 *     log.log(step, "loss", loss, "lr", lr);               // numbers or one-element tensors
 *     if (step % 100 == 0) log.log(step, "val_loss", val); // joins the row of the same step
 * }
 * log.semilogy("loss", "val_loss")                         // a Figure against step
 * }</pre>
 *
 * <p>A metric may first appear at any step; its cells before then are missing (NaN in {@link #column}, missing
 * in {@link #table()}). Logging a step equal to the last row's adds to that row unless it already holds one of
 * the metrics given, in which case a new row starts. Safe to log from one thread while another displays it;
 * {@code var h = display(log)} then {@code h.update(log)} refreshes it in place.
 */
public final class Metrics implements Renderable {
    private static final String STEP = "step";

    private final String name;
    private long[] steps = new long[64];
    private int rows;
    private final Map<String, double[]> values = new LinkedHashMap<>();
    private final Map<String, BitSet> present = new LinkedHashMap<>();

    /** An empty log named "metrics". */
    public Metrics() {
        this("metrics");
    }

    /** An empty log; {@code name} is the caption of its table and the title of its plots. */
    public Metrics(String name) {
        this.name = name;
    }

    /** An empty log named {@code name}. */
    public static Metrics create(String name) {
        return new Metrics(name);
    }

    /** This log's name. */
    public String name() {
        return name;
    }

    /** Logs metrics at {@code step} from alternating names and values: {@code log(step, "loss", 0.3, "acc", 0.9)}. */
    public Metrics log(long step, Object... namesAndValues) {
        if (namesAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("Metrics.log: expected metric names and values in pairs, got " + namesAndValues.length + " arguments");
        }
        var row = new LinkedHashMap<String, Object>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            if (!(namesAndValues[i] instanceof String metric)) {
                throw new IllegalArgumentException("Metrics.log: argument " + (i + 2) + " should be a metric name, got "
                        + (namesAndValues[i] == null ? "null" : "a " + namesAndValues[i].getClass().getSimpleName()));
            }
            row.put(metric, namesAndValues[i + 1]);
        }
        return log(step, row);
    }

    /** Logs metrics at {@code step}: values are numbers or one-element tensors. */
    public synchronized Metrics log(long step, Map<String, ?> metrics) {
        var parsed = new LinkedHashMap<String, Double>();
        for (var e : metrics.entrySet()) parsed.put(checkName(e.getKey()), value(e.getKey(), e.getValue()));
        boolean join = rows > 0 && steps[rows - 1] == step;
        for (String metric : parsed.keySet()) {
            if (join && present.containsKey(metric) && present.get(metric).get(rows - 1)) join = false;
        }
        if (!join) appendRow(step);
        int row = rows - 1;
        for (var e : parsed.entrySet()) {
            double[] column = values.computeIfAbsent(e.getKey(), k -> nanArray(steps.length));
            column[row] = e.getValue();
            present.computeIfAbsent(e.getKey(), k -> new BitSet()).set(row);
        }
        return this;
    }

    private static String checkName(String metric) {
        if (metric == null || metric.isEmpty()) throw new IllegalArgumentException("Metrics.log: a metric name is empty");
        if (metric.equals(STEP)) throw new IllegalArgumentException("Metrics.log: 'step' is the step column; pass the step as the first argument");
        return metric;
    }

    private static double value(String metric, Object v) {
        return switch (v) {
            case Number n -> n.doubleValue();
            case Tensor t when t.numel() == 1 -> t.item();
            case Tensor t -> throw new IllegalArgumentException("Metrics.log: metric '" + metric + "' is a tensor of shape "
                    + Arrays.toString(t.shape()) + "; log one value (e.g. its mean)");
            case null -> throw new IllegalArgumentException("Metrics.log: metric '" + metric + "' is null");
            default -> throw new IllegalArgumentException("Metrics.log: metric '" + metric + "' is a " + v.getClass().getSimpleName()
                    + "; expected a number or a one-element tensor");
        };
    }

    private void appendRow(long step) {
        if (rows == steps.length) {
            int capacity = steps.length * 2;
            steps = Arrays.copyOf(steps, capacity);
            for (var e : values.entrySet()) {
                double[] grown = nanArray(capacity);
                System.arraycopy(e.getValue(), 0, grown, 0, rows);
                e.setValue(grown);
            }
        }
        steps[rows++] = step;
    }

    private static double[] nanArray(int n) {
        double[] a = new double[n];
        Arrays.fill(a, Double.NaN);
        return a;
    }

    /** The number of rows (steps logged). */
    public synchronized int size() {
        return rows;
    }

    /** The metric names, in the order they first appeared. */
    public synchronized List<String> names() {
        return List.copyOf(values.keySet());
    }

    /** The step of each row. */
    public synchronized long[] steps() {
        return Arrays.copyOf(steps, rows);
    }

    /** The value of {@code metric} in each row, NaN where it was not logged. */
    public synchronized double[] column(String metric) {
        return Arrays.copyOf(values(metric), rows);
    }

    /** The value last logged for {@code metric}. */
    public synchronized double last(String metric) {
        double[] column = values(metric);
        return column[present.get(metric).previousSetBit(rows - 1)];
    }

    private double[] values(String metric) {
        double[] column = values.get(metric);
        if (column == null) throw new IllegalArgumentException("Metrics: no metric '" + metric + "' logged; logged " + values.keySet());
        return column;
    }

    /** The log as a table: a "step" column (int64), then one float64 column per metric, missing where not logged. */
    public synchronized Table table() {
        var table = Table.create(name, LongColumn.create(STEP, steps()));
        for (var e : values.entrySet()) table.addColumns(DoubleColumn.create(e.getKey(), Arrays.copyOf(e.getValue(), rows)));
        return table;
    }

    /** The named metrics (all when none are named) against step, each through the steps it was logged at. */
    public Figure plot(String... metrics) {
        return plot(Plot.figure(), metrics);
    }

    /** As {@link #plot}, on a logarithmic y axis, as for losses; values must be positive. */
    public Figure semilogy(String... metrics) {
        return plot(Plot.figure().logY(), metrics);
    }

    private synchronized Figure plot(Figure figure, String[] metrics) {
        List<String> chosen = metrics.length == 0 ? names() : List.of(metrics);
        if (chosen.isEmpty()) throw new IllegalStateException("Metrics.plot: nothing logged yet");
        figure.title(name).xlabel(STEP);
        for (String metric : chosen) {
            double[] column = values(metric);
            var x = new ArrayList<Double>();
            var y = new ArrayList<Double>();
            for (int i = 0; i < rows; i++) {
                if (!Double.isNaN(column[i])) {
                    x.add((double) steps[i]);
                    y.add(column[i]);
                }
            }
            if (x.isEmpty()) throw new IllegalStateException("Metrics.plot: metric '" + metric + "' has no values but NaN");
            figure.line(metric, x.stream().mapToDouble(Double::doubleValue).toArray(), y.stream().mapToDouble(Double::doubleValue).toArray());
        }
        return figure;
    }

    @Override
    public DisplayData toDisplayData() {
        return new TableRenderer().render(table());
    }

    @Override
    public synchronized String toString() {
        var s = new StringBuilder("Metrics(").append(name).append(": ").append(rows).append(rows == 1 ? " step" : " steps");
        for (String metric : values.keySet()) s.append(", ").append(metric).append('=').append(String.format(java.util.Locale.ROOT, "%.6g", last(metric)));
        return s.append(')').toString();
    }
}
