package callisto.datasets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import callisto.display.Display;
import callisto.display.DisplayData;
import callisto.tensor.Tensor;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.Table;

/** The training log: rows per step, late metrics, the table, plots and its rendering. */
class MetricsTest {
    static Metrics sample() {
        var log = Metrics.create("train");
        for (int step = 0; step < 5; step++) {
            log.log(step, "loss", 1.0 / (step + 1));
            if (step >= 3) log.log(step, "val_loss", 2.0 / (step + 1)); // joins the row of this step
        }
        return log;
    }

    @Test
    void aMetricFirstLoggedLaterIsMissingBefore() {
        var log = sample();
        assertEquals(5, log.size());
        assertEquals(List.of("loss", "val_loss"), log.names());
        assertArrayEquals(new long[] {0, 1, 2, 3, 4}, log.steps());
        assertArrayEquals(new double[] {Double.NaN, Double.NaN, Double.NaN, 0.5, 0.4}, log.column("val_loss"));
        Table t = log.table();
        assertEquals(List.of("step", "loss", "val_loss"), t.columnNames());
        assertEquals(5, t.rowCount());
        for (int r = 0; r < 3; r++) assertTrue(t.doubleColumn("val_loss").isMissing(r), "row " + r);
        assertEquals(0.5, t.doubleColumn("val_loss").get(3));
        assertEquals(0.2, log.last("loss"));
        assertEquals(0.4, log.last("val_loss"));
    }

    @Test
    void lastIsTheLastLoggedValueNotTheLastRow() {
        var log = new Metrics();
        log.log(0, "loss", 3, "acc", 0.5);
        log.log(1, Map.of("loss", 2));
        assertEquals(0.5, log.last("acc"));
        assertEquals(2, log.last("loss"));
        var e = assertThrows(IllegalArgumentException.class, () -> log.last("nope"));
        assertEquals("Metrics: no metric 'nope' logged; logged [loss, acc]", e.getMessage());
    }

    @Test
    void sameStepTwiceWithTheSameMetricStartsANewRow() {
        var log = new Metrics();
        log.log(0, "loss", 1.0);
        log.log(0, "loss", 0.5);
        assertEquals(2, log.size());
        assertArrayEquals(new long[] {0, 0}, log.steps());
    }

    @Test
    void acceptsOneElementTensorsAndGrows() {
        var log = new Metrics();
        for (int i = 0; i < 200; i++) log.log(i, "loss", Tensor.scalar(i), "n", i);
        assertEquals(200, log.size());
        assertEquals(199, log.last("loss"));
        assertEquals(150.0, log.column("n")[150]);
        var e = assertThrows(IllegalArgumentException.class, () -> log.log(0, "loss", Tensor.zeros(2)));
        assertTrue(e.getMessage().contains("shape [2]"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> log.log(0, "loss", "high"));
        assertThrows(IllegalArgumentException.class, () -> log.log(0, "step", 1));
        assertThrows(IllegalArgumentException.class, () -> log.log(0, "loss"));
    }

    @Test
    void rendersAsItsTable() {
        DisplayData d = Display.render(sample());
        assertTrue(d.data().containsKey(DisplayData.HTML));
        assertTrue(d.plainText().startsWith("train\n"), d.plainText());
        assertTrue(d.plainText().contains("5 rows × 3 columns"), d.plainText());
        assertTrue(d.plainText().contains("NaN"), "missing cells show:\n" + d.plainText());
        assertTrue(sample().toString().startsWith("Metrics(train: 5 steps, loss=0.2"), sample().toString());
    }

    @Test
    void plotsAgainstStep() {
        var fig = sample().semilogy("loss", "val_loss");
        assertEquals(2, fig.chart().getSeriesMap().size());
        assertArrayEquals(new double[] {3, 4}, fig.chart().getSeriesMap().get("val_loss").getXData(), "only the steps it was logged at");
        assertTrue(fig.chart().getStyler().isYAxisLogarithmic());
        assertEquals(2, sample().plot().chart().getSeriesMap().size(), "all metrics by default");
        assertThrows(IllegalArgumentException.class, () -> sample().plot("nope"));
    }
}
