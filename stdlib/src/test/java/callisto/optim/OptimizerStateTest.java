package callisto.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import callisto.tensor.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** Saving after 5 steps and loading into a fresh optimizer continues exactly as the uninterrupted run. */
class OptimizerStateTest {
    static final double[] W0 = {0.5, -1.0, 2.0, 0.3}, B0 = {0.1, -0.2};

    static Map<String, Tensor> fresh() {
        Map<String, Tensor> p = new LinkedHashMap<>();
        p.put("layer.weight", Tensor.of(W0.clone()).requiresGrad(true));
        p.put("layer.bias", Tensor.of(B0.clone()).requiresGrad(true));
        return p;
    }

    static void step(Optimizer opt) {
        opt.step(() -> {
            opt.zeroGrad();
            Tensor w = opt.params().get("layer.weight"), b = opt.params().get("layer.bias");
            Tensor l = w.mul(w).mul(Tensor.of(1.0, 2.0, 3.0, 4.0)).sum().add(b.sub(1).pow(2).sum()).add(w.sum().mul(b.sum()));
            l.backward();
            return l;
        });
    }

    static Map<String, Tensor> copyValues(Map<String, Tensor> p) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (var e : p.entrySet()) out.put(e.getKey(), Tensor.of(e.getValue().toArray(), e.getValue().shape()).requiresGrad(true));
        return out;
    }

    @TestFactory
    List<DynamicTest> roundTrip() {
        Map<String, Function<Map<String, Tensor>, Optimizer>> makers = new LinkedHashMap<>();
        makers.put("sgd momentum", p -> Optimizers.sgd(p, 0.01, 0.9, 0.1, false, 0.01));
        makers.put("adam", p -> Optimizers.adam(p, 0.05));
        makers.put("adamW amsgrad schedule", p -> Optimizers.adamW(p, Schedule.cosine(0.05, 10, 0), 0.9, 0.99, 1e-8,
                Schedule.constant(0.1), n -> !n.endsWith("bias"), true));
        makers.put("nadam", p -> Optimizers.nadam(p, 0.05));
        makers.put("rmsprop centered", p -> Optimizers.rmsprop(p, 0.01, 0.9, 1e-8, 0, 0.5, true));
        makers.put("adagrad", p -> Optimizers.adagrad(p, 0.1, 0.01, 0, 0.1, 1e-10));
        makers.put("adadelta", p -> Optimizers.adadelta(p, 1.0));
        makers.put("rprop", p -> Optimizers.rprop(p, 0.01));
        makers.put("lion", p -> Optimizers.lion(p, 0.01));
        makers.put("lamb", p -> Optimizers.lamb(p, 0.01));
        makers.put("yogi", p -> Optimizers.yogi(p, 0.01));
        makers.put("lookahead", p -> Optimizers.lookahead(Optimizers.adam(p, 0.05), 3, 0.5));
        makers.put("adafactor", p -> Optimizers.adafactor(p, 0.05));
        makers.put("scheduleFreeAdamW", p -> Optimizers.scheduleFreeAdamW(p, 0.05, 0.9, 0.999, 1e-8, 0.01, 3));
        makers.put("dog", p -> Optimizers.dog(p));
        makers.put("fadam", p -> Optimizers.fadam(p, 0.05));
        makers.put("gam(momentum)", p -> Optimizers.gam(p, Transforms.chain(Transforms.trace(0.9, 0, false),
                Transforms.scaleByLearningRate(0.01)), 0.05, 0.01, 0.5));
        List<DynamicTest> tests = new ArrayList<>();
        for (var m : makers.entrySet()) {
            tests.add(DynamicTest.dynamicTest(m.getKey(), () -> {
                Optimizer whole = m.getValue().apply(fresh());
                for (int i = 0; i < 10; i++) step(whole);
                Optimizer first = m.getValue().apply(fresh());
                for (int i = 0; i < 5; i++) step(first);
                Map<String, Tensor> saved = first.state();
                Optimizer resumed = m.getValue().apply(copyValues(first.params()));
                resumed.loadState(saved);
                for (int i = 0; i < 5; i++) step(resumed);
                for (String k : whole.params().keySet()) {
                    assertArrayEquals(whole.params().get(k).toArray(), resumed.params().get(k).toArray(), 0.0, m.getKey() + " " + k);
                }
                assertEquals(whole.state().keySet(), resumed.state().keySet());
            }));
        }
        return tests;
    }

    @Test
    void stateKeysAreDotted() {
        Optimizer opt = Optimizers.adam(fresh(), 0.1);
        step(opt);
        Map<String, Tensor> s = opt.state();
        assertEquals(List.of("adam.step", "adam.mu.layer.weight", "adam.mu.layer.bias", "adam.nu.layer.weight", "adam.nu.layer.bias",
                "lr.count"), new ArrayList<>(s.keySet()));
        assertEquals(1.0, s.get("adam.step").item());
    }

    @Test
    void loadingWithAMissingKeyNamesIt() {
        Optimizer opt = Optimizers.adam(fresh(), 0.1);
        Map<String, Tensor> s = new LinkedHashMap<>(opt.state());
        s.remove("adam.nu.layer.bias");
        var e = assertThrows(IllegalArgumentException.class, () -> Optimizers.adam(fresh(), 0.1).loadState(s));
        assertTrue(e.getMessage().contains("adam.nu.layer.bias"), e.getMessage());
        Map<String, Tensor> wrong = new LinkedHashMap<>(opt.state());
        wrong.put("adam.mu.layer.weight", Tensor.zeros(3));
        e = assertThrows(IllegalArgumentException.class, () -> Optimizers.adam(fresh(), 0.1).loadState(wrong));
        assertTrue(e.getMessage().contains("adam.mu.layer.weight") && e.getMessage().contains("[3]") && e.getMessage().contains("[4]"),
                e.getMessage());
    }

    @Test
    void aGradientOfTheWrongShapeNamesTheParameter() {
        Optimizer opt = Optimizers.sgd(fresh(), 0.1);
        Map<String, Tensor> g = new LinkedHashMap<>();
        g.put("layer.bias", Tensor.zeros(3));
        var e = assertThrows(IllegalArgumentException.class, () -> opt.step(g));
        assertTrue(e.getMessage().contains("'layer.bias'") && e.getMessage().contains("[3]") && e.getMessage().contains("[2]"),
                e.getMessage());
        Map<String, Tensor> unknown = new LinkedHashMap<>();
        unknown.put("nope", Tensor.zeros(2));
        e = assertThrows(IllegalArgumentException.class, () -> opt.step(unknown));
        assertTrue(e.getMessage().contains("'nope'"), e.getMessage());
    }

    @Test
    void explicitGradientsStepLikeAccumulatedOnes() {
        Optimizer a = Optimizers.adam(fresh(), 0.1), b = Optimizers.adam(fresh(), 0.1);
        step(a);
        Map<String, Tensor> g = new LinkedHashMap<>();
        for (var e : a.params().entrySet()) g.put(e.getKey(), e.getValue().grad());
        // b's parameters are at the start, where a's gradients were taken.
        b.step(g);
        for (String k : a.params().keySet()) assertArrayEquals(a.params().get(k).toArray(), b.params().get(k).toArray(), 0.0);
    }
}
