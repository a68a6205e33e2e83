package callisto.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import callisto.display.Display;
import callisto.display.DisplayData;
import callisto.display.DisplayPublisher;
import callisto.nn.Linear;
import callisto.nn.Scores;
import callisto.optim.Optimizers;
import callisto.tensor.DType;
import callisto.tensor.Generator;
import callisto.tensor.Tensor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What fit shows in a notebook (one bar for the run with the epoch and the losses, a live loss plot) and what it writes to disk. */
class TrainerDisplayTest {
    record Shown(String id, boolean update, DisplayData data) {
    }

    @Test
    void showsOneBarForTheRunWithEpochAndLossesAndALiveLossPlot() {
        var shown = new ArrayList<Shown>();
        DisplayPublisher previous = Display.setPublisher(new DisplayPublisher() {
            @Override
            public void display(DisplayData data, String displayId) {
                shown.add(new Shown(displayId, false, data));
            }

            @Override
            public void update(DisplayData data, String displayId) {
                shown.add(new Shown(displayId, true, data));
            }
        });
        try {
            Tensor[] data = TrainerTest.regression(1, 40);
            var model = new Linear(3, 1, true, DType.FLOAT64, new Generator(2));
            Trainer.builder(model, Optimizers.sgd(model.namedParameters(), 0.05), Scores::mse)
                    .data(data[0], data[1]).batchSize(10).epochs(3).validation(data[0], data[1]).build().fit();
        } finally {
            Display.setPublisher(previous);
        }
        List<Shown> bars = shown.stream().filter(s -> s.data.plainText().startsWith("train ")).toList();
        assertTrue(!bars.isEmpty() && !bars.get(0).update, "the bar is shown first as a new output");
        assertTrue(bars.stream().allMatch(s -> s.id.equals(bars.get(0).id)), "one bar for the run, updated in place");
        String last = bars.get(bars.size() - 1).data.plainText(); // redraws are throttled: the final state is certain
        assertTrue(last.contains("12/12") && last.contains("epoch=3/3") && last.contains("loss=") && last.contains("epoch_loss=") && last.contains("val_loss="), last);
        List<Shown> plots = shown.stream().filter(s -> !s.data.plainText().startsWith("train ")).toList();
        assertTrue(!plots.isEmpty(), "a live plot is shown");
        assertTrue(plots.stream().allMatch(s -> s.id.equals(plots.get(0).id)), "the plot updates one output in place");
        assertTrue(plots.get(0).data.data().keySet().stream().anyMatch(m -> m.startsWith("image/")), plots.get(0).data.data().keySet().toString());
    }

    @Test
    void checkpointsAreCompleteFoldersOfSafetensors(@TempDir Path dir) throws Exception {
        Tensor[] data = TrainerTest.regression(3, 30);
        var model = TrainerTest.mlp(4);
        var opt = Optimizers.adam(model.namedParameters(), 0.01);
        var atEpoch = new ArrayList<Map<String, Tensor>>();
        Trainer.builder(model, opt, Scores::mse).data(data[0], data[1]).batchSize(8).epochs(5).display(false)
                .checkpoint(dir, 2)
                .callback(new Callback() {
                    @Override
                    public boolean onEpochEnd(int epoch, callisto.datasets.Metrics metrics) {
                        atEpoch.add(model.stateDict());
                        return false;
                    }
                }).build().fit();
        List<String> names;
        try (Stream<Path> s = Files.list(dir)) {
            names = s.map(p -> p.getFileName().toString()).sorted().toList();
        }
        assertEquals(List.of("epoch-000002", "epoch-000004"), names);
        for (int e : new int[] {2, 4}) {
            Path ckpt = dir.resolve(String.format("epoch-%06d", e));
            var saved = callisto.datasets.SafeTensors.read(ckpt.resolve("model.safetensors"));
            var expected = atEpoch.get(e - 1);
            assertEquals(expected.keySet(), saved.keySet());
            for (var k : expected.keySet()) {
                assertTrue(java.util.Arrays.equals(expected.get(k).toArray(), saved.get(k).toArray()), "epoch " + e + " " + k);
            }
            var optState = callisto.datasets.SafeTensors.read(ckpt.resolve("optimizer.safetensors"));
            assertEquals(opt.state().keySet(), optState.keySet());
            assertTrue(Files.exists(ckpt.resolve("trainer.safetensors")));
        }
    }

    @Test
    void aZeroLossFallsBackToALinearPlot() {
        var shown = new ArrayList<DisplayData>();
        DisplayPublisher previous = Display.setPublisher(new DisplayPublisher() {
            @Override
            public void display(DisplayData data, String displayId) {
                shown.add(data);
            }

            @Override
            public void update(DisplayData data, String displayId) {
                shown.add(data);
            }
        });
        try {
            Tensor[] data = TrainerTest.regression(5, 8);
            var model = new Linear(3, 1, true, DType.FLOAT64, new Generator(6));
            var log = Trainer.builder(model, Optimizers.sgd(model.namedParameters(), 0.05), (p, t) -> Scores.mse(p, t).mul(0))
                    .data(data[0], data[1]).batchSize(4).epochs(2).build().fit();
            assertEquals(0, log.last("loss"));
            org.junit.jupiter.api.Assertions.assertThrows(RuntimeException.class, () -> log.semilogy("loss").toDisplayData(),
                    "a log axis cannot show zero, hence the fallback");
        } finally {
            Display.setPublisher(previous);
        }
        assertTrue(shown.stream().anyMatch(d -> d.data().keySet().stream().anyMatch(m -> m.startsWith("image/"))));
    }

    @Test
    void anInterruptedCellWithDisplayOnEndsWithTheCancellation() {
        Tensor[] data = TrainerTest.regression(7, 16);
        var model = new Linear(3, 1, true, DType.FLOAT64, new Generator(8));
        var trainer = Trainer.builder(model, Optimizers.sgd(model.namedParameters(), 0.05), Scores::mse)
                .data(data[0], data[1]).batchSize(4).epochs(2).build();
        var token = new callisto.runtime.Cancellation.Token();
        token.cancel();
        callisto.runtime.Cancellation.bind(token);
        try {
            org.junit.jupiter.api.Assertions.assertThrows(java.util.concurrent.CancellationException.class, trainer::fit);
        } finally {
            callisto.runtime.Cancellation.bind(null);
        }
        assertEquals(0, trainer.step());
    }
}
