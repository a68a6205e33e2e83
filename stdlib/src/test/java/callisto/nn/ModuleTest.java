package callisto.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import callisto.tensor.DType;
import callisto.tensor.Generator;
import callisto.tensor.GradMode;
import callisto.tensor.Tensor;

import java.util.LinkedHashMap;
import java.util.List;

import org.junit.jupiter.api.Test;

class ModuleTest {
    static final DType F64 = DType.FLOAT64;

    static Sequential nested(long seed) {
        var g = new Generator(seed);
        return new Sequential(new Linear(3, 4, true, F64, g),
                new Sequential(new Linear(4, 5, true, F64, g), new Tanh(), new BatchNorm1d(5, 1e-5, 0.1, true, F64)),
                new Linear(5, 2, false, F64, g));
    }

    @Test
    void generatorsAreFoundByPathOnceEach() {
        var shared = new Generator(1);
        var own = new Generator(2);
        var model = new Sequential(new Linear(3, 4, new Generator(0)), new Dropout(0.5, shared),
                new Sequential(new Dropout(0.1, own), new Dropout(0.2, shared)));
        var gens = model.namedGenerators();
        assertEquals(List.of("1.generator", "2.0.generator"), List.copyOf(gens.keySet()));
        assertTrue(gens.get("1.generator") == shared && gens.get("2.0.generator") == own);
        assertTrue(model.stateDict().keySet().stream().noneMatch(k -> k.contains("generator")));
    }

    @Test
    void stateIsKeyedByDottedNamesInRegistrationOrder() {
        var m = nested(1);
        assertEquals(List.of("0.weight", "0.bias", "1.0.weight", "1.0.bias", "1.2.weight", "1.2.bias", "2.weight"),
                List.copyOf(m.namedParameters().keySet()));
        assertEquals(List.of("0.weight", "0.bias", "1.0.weight", "1.0.bias", "1.2.weight", "1.2.bias",
                        "1.2.running_mean", "1.2.running_var", "1.2.num_batches_tracked", "2.weight"),
                List.copyOf(m.stateDict().keySet()));
        assertEquals(List.of("", "0", "1", "1.0", "1.1", "1.2", "2"), List.copyOf(m.namedModules().keySet()));
        assertArrayEquals(new int[] {4, 3}, m.namedParameters().get("0.weight").shape());
        assertEquals(12 + 4 + 20 + 5 + 5 + 5 + 10, m.numParameters());
        assertEquals(m.parameters().size(), 7);
    }

    @Test
    void stateDictRoundTripGivesIdenticalOutputs() {
        var a = nested(1);
        var b = nested(2);
        var x = new Generator(9).randn(6, 3);
        a.train();
        a.forward(x); // moves running stats, so buffers differ from b's
        a.eval();
        b.eval();
        assertFalse(java.util.Arrays.equals(a.forward(x).toArray(), b.forward(x).toArray()));
        b.loadStateDict(a.stateDict());
        assertArrayEquals(a.forward(x).toArray(), b.forward(x).toArray(), 0);
        assertEquals(1, b.stateDict().get("1.2.num_batches_tracked").item());
    }

    @Test
    void stateDictHoldsDetachedCopies() {
        var m = nested(1);
        var state = m.stateDict();
        Tensor w = state.get("0.weight");
        assertFalse(w.requiresGrad());
        double before = m.namedParameters().get("0.weight").get(0, 0);
        try (var off = GradMode.noGrad()) {
            w.fill_(7);
        }
        assertEquals(before, m.namedParameters().get("0.weight").get(0, 0));
    }

    @Test
    void strictLoadRejectsMissingUnexpectedAndMisshapenKeys() {
        var m = nested(1);
        var missing = m.stateDict();
        missing.remove("1.0.bias");
        var e = assertThrows(IllegalArgumentException.class, () -> m.loadStateDict(missing));
        assertTrue(e.getMessage().contains("missing keys [1.0.bias]"), e.getMessage());

        var extra = m.stateDict();
        extra.put("3.weight", Tensor.zeros(2, 2));
        e = assertThrows(IllegalArgumentException.class, () -> m.loadStateDict(extra));
        assertTrue(e.getMessage().contains("unexpected keys [3.weight]"), e.getMessage());

        var shaped = m.stateDict();
        shaped.put("1.0.weight", Tensor.zeros(F64, 4, 5));
        double before = m.namedParameters().get("0.weight").get(0, 0);
        shaped.put("0.weight", Tensor.zeros(F64, 4, 3));
        e = assertThrows(IllegalArgumentException.class, () -> m.loadStateDict(shaped));
        assertTrue(e.getMessage().contains("'1.0.weight'") && e.getMessage().contains("[4, 5]")
                && e.getMessage().contains("[5, 4]"), e.getMessage());
        assertEquals(before, m.namedParameters().get("0.weight").get(0, 0), "nothing is copied on a failed load");
    }

    @Test
    void freezingExcludesParametersFromGradients() {
        var m = nested(1);
        ((Sequential) m.get(1)).get(0).freeze();
        m.forward(new Generator(3).randn(4, 3)).sum().backward();
        var p = m.namedParameters();
        assertNull(p.get("1.0.weight").grad());
        assertNull(p.get("1.0.bias").grad());
        assertNotNull(p.get("0.weight").grad());
        assertNotNull(p.get("2.weight").grad());
        assertEquals(m.numParameters() - 25, m.numParameters(true));
        m.unfreeze();
        assertTrue(p.get("1.0.weight").requiresGrad());
    }

    @Test
    void trainAndEvalAreRecursive() {
        var m = nested(1);
        assertTrue(m.isTraining());
        m.eval();
        for (Module s : m.namedModules().values()) assertFalse(s.isTraining());
        m.get(1).train();
        assertFalse(m.isTraining());
        assertTrue(((Sequential) m.get(1)).get(2).isTraining());
    }

    @Test
    void summaryCountsParameters() {
        var m = nested(1);
        m.get(2).freeze();
        String s = m.summary();
        assertTrue(s.contains("Total parameters: 61"), s);
        assertTrue(s.contains("Trainable parameters: 51"), s);
        assertTrue(s.contains("Non-trainable parameters: 10"), s);
        String row = s.lines().filter(l -> l.startsWith("1.0 ")).findFirst().orElseThrow();
        assertTrue(row.matches("1\\.0\\s+Linear\\s+25\\s+weight\\[5, 4] bias\\[5]\\s+25\\s*"), row);
        String bn = s.lines().filter(l -> l.startsWith("1.2 ")).findFirst().orElseThrow();
        assertTrue(bn.contains("BatchNorm1d") && bn.contains("10"), bn);
        String last = s.lines().filter(l -> l.startsWith("2 ")).findFirst().orElseThrow();
        assertTrue(last.matches("2\\s+Linear\\s+10\\s+weight\\[2, 5]\\s+0\\s*"), last);
    }

    @Test
    void toStringIsNestedLikePyTorch() {
        var g = new Generator(0);
        var m = new Sequential(new Linear(2, 3, g), new Sequential(new ReLU(), new Dropout(0.5, g)));
        assertEquals("""
                Sequential(
                  (0): Linear(in_features=2, out_features=3, bias=true)
                  (1): Sequential(
                    (0): ReLU()
                    (1): Dropout(p=0.5)
                  )
                )""", m.toString());
    }

    @Test
    void functionalCallSwapsAndRestoresParameters() {
        var g = new Generator(0);
        var m = new Linear(2, 1, true, F64, g);
        var w = Tensor.of(new double[] {2, 3}, 1, 2);
        var params = new LinkedHashMap<String, Tensor>();
        params.put("weight", w);
        Tensor y = m.functionalCall(params, Tensor.of(new double[] {1, 1}, 1, 2));
        assertEquals(5 + m.bias().get(0), y.item(), 1e-15);
        assertTrue(m.weight() != w);
        assertThrows(IllegalArgumentException.class, () -> m.functionalCall(java.util.Map.of("nope", w), Tensor.zeros(F64, 1, 2)));
    }

    @Test
    void registrationRejectsBadNames() {
        var e = assertThrows(IllegalArgumentException.class, () -> new Module() {
            {
                registerParameter("a.b", Tensor.zeros(2));
            }

            @Override
            public Tensor forward(Tensor x) {
                return x;
            }
        });
        assertTrue(e.getMessage().contains("a.b"));
    }

    @Test
    void toConvertsParametersAndBuffersKeepingNamesAndFreezing() {
        var m = nested(1);
        m.get(0).freeze();
        var x = new Generator(5).randn(6, 3);
        m.eval();
        double[] expected = m.forward(x).toArray();
        m.to(DType.FLOAT32);
        var state = m.stateDict();
        assertEquals(DType.FLOAT32, state.get("1.0.weight").dtype());
        assertEquals(DType.FLOAT32, state.get("1.2.running_var").dtype());
        assertEquals(DType.INT64, state.get("1.2.num_batches_tracked").dtype());
        assertFalse(m.namedParameters().get("0.weight").requiresGrad());
        assertTrue(m.namedParameters().get("2.weight").requiresGrad());
        Tensor y = m.forward(x.to(DType.FLOAT32));
        assertEquals(DType.FLOAT32, y.dtype());
        assertArrayEquals(expected, y.toArray(), 1e-5);
        m.train();
        m.forward(x.to(DType.FLOAT32)).sum().backward();
        assertNotNull(m.namedParameters().get("2.weight").grad());
    }

    @Test
    void applyVisitsChildrenBeforeParents() {
        var m = nested(1);
        var seen = new java.util.ArrayList<String>();
        m.apply(s -> seen.add(s.getClass().getSimpleName()));
        assertEquals(List.of("Linear", "BatchNorm1d", "Tanh", "Linear", "Sequential", "Linear", "Sequential"), seen);
        m.apply(s -> {
            if (s instanceof Linear l) Init.zeros(l.weight());
        });
        for (var e : m.namedParameters().entrySet()) {
            if (e.getKey().endsWith("weight") && !e.getKey().startsWith("1.2")) {
                for (double v : e.getValue().toArray()) assertEquals(0, v);
            }
        }
    }
}
