package callisto.cli;

import callisto.engine.Engine;
import callisto.engine.OutputSink;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code callisto bench}: the engine's own numbers (docs/benchmarks.md): cold start of {@code callisto run} on a
 * one-cell notebook, as a fresh process each time, and the cost of a trivial cell once the engine is warm.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Measure cold start of 'callisto run' and the per-cell overhead of the engine.")
final class BenchCommand implements Callable<Integer> {
    @Option(names = "--runs", description = "Cold starts to time (default ${DEFAULT-VALUE}).")
    int runs = 10;

    @Option(names = "--cells", description = "Trivial cells to time after warm-up (default ${DEFAULT-VALUE}).")
    int cells = 2000;

    @Option(names = "--suite", description = "engine, tensor, numerics, optim or all (default ${DEFAULT-VALUE}).")
    String suite = "engine";

    @Override
    public Integer call() throws Exception {
        if (!List.of("engine", "tensor", "numerics", "optim", "all").contains(suite)) {
            System.err.println("callisto bench: --suite " + suite + ": expected engine, tensor, numerics, optim or all");
            return 2;
        }
        var out = System.out;
        if (!suite.equals("optim")) { // the L-BFGS bench prints a table of its own
            out.println("| measure | median | mean | min | max |");
            out.println("| --- | --- | --- | --- | --- |");
        }
        if (suite.equals("engine") || suite.equals("all")) {
            out.println(row("cold start of `./callisto run` on a one-cell notebook (s)", coldStarts(), 1));
            out.println(row("trivial cell `1 + 1` after warm-up (ms)", trivialCells(), 1e3));
        }
        if (suite.equals("tensor") || suite.equals("all")) tensor(out);
        if (suite.equals("numerics") || suite.equals("all")) NumericsBench.run(out);
        if (suite.equals("optim") || suite.equals("all")) LbfgsBench.main(new String[0]);
        return 0;
    }

    /** Per-op overhead, GEMM throughput and the mlp_adam training step, beside ../shared/bench/pytorch. */
    private static void tensor(java.io.PrintStream out) {
        var gen = new callisto.tensor.Generator(0);
        var a = gen.randn(16);
        var b = gen.randn(16);
        out.println(row("16-element add, no graph (ns)", perOp(() -> a.add(b), 200_000), 1e9));
        var ag = a.detach().requiresGrad(true);
        var bg = b.detach().requiresGrad(true);
        out.println(row("16-element add, recording the graph (ns)", perOp(() -> ag.add(bg), 200_000), 1e9));
        out.println(row("forward+backward of (a * b).sum(), 16 elements (ns)", perOp(() -> {
            ag.zeroGrad();
            ag.mul(bg).sum().backward();
            return ag.grad();
        }, 50_000), 1e9));
        GemmBench.run(out);
        double[] steps = new double[3];
        MlpAdamBench.Result last = null;
        for (int i = 0; i < steps.length; i++) {
            last = MlpAdamBench.run(200);
            steps[i] = last.secondsPerStep();
        }
        out.println(row("mlp_adam step, float32, batch 1024 (ms; 3 runs of 200 steps)", steps, 1e3));
        out.printf(Locale.ROOT, "mlp_adam after 200 steps: loss %.5f, test mse %.5f%n", last.finalLoss(), last.testMse());
    }

    /** Seconds per call, in 7 batches after a warm-up batch. */
    static double[] perOp(java.util.function.Supplier<Object> op, int loop) {
        Object sink = null;
        for (int i = 0; i < loop; i++) sink = op.get();
        double[] t = new double[7];
        for (int k = 0; k < t.length; k++) {
            long t0 = System.nanoTime();
            for (int i = 0; i < loop; i++) sink = op.get();
            t[k] = (System.nanoTime() - t0) / 1e9 / loop;
        }
        if (sink == null) throw new IllegalStateException("benchmark produced nothing");
        return t;
    }

    private double[] coldStarts() throws Exception {
        Path jar = Path.of(Main.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path argsFile = jar.resolveSibling("jvm.args");
        Path launcher = jar.getParent().getParent().getParent().resolve("callisto");
        String java = ProcessHandle.current().info().command().orElse("java");
        Path nb = Files.createTempFile("callisto-bench-", ".ipynb");
        Files.writeString(nb, """
                {"cells": [{"cell_type": "code", "execution_count": null, "metadata": {}, "outputs": [],
                  "source": ["1 + 1"]}],
                 "metadata": {"kernelspec": {"name": "callisto", "language": "java", "display_name": "Java (Callisto)"}},
                 "nbformat": 4, "nbformat_minor": 5}
                """);
        var times = new double[runs];
        try {
            for (int i = 0; i < runs; i++) {
                var cmd = new ArrayList<String>();
                if (Files.isRegularFile(launcher)) {
                    cmd.addAll(List.of("bash", launcher.toString())); // what users run, class-data archive included
                } else {
                    cmd.add(java);
                    if (Files.exists(argsFile)) cmd.add("@" + argsFile);
                    cmd.addAll(List.of("-jar", jar.toString()));
                }
                cmd.addAll(List.of("run", nb.toString()));
                long t0 = System.nanoTime();
                Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
                int code = p.waitFor();
                times[i] = (System.nanoTime() - t0) / 1e9;
                if (code != 0) throw new IllegalStateException("callisto run exited " + code + " in the benchmark");
            }
        } finally {
            Files.deleteIfExists(nb);
        }
        return times;
    }

    private double[] trivialCells() {
        try (Engine engine = Engine.start()) {
            for (int i = 0; i < 500; i++) engine.execute("1 + 1", OutputSink.NONE);
            var times = new double[cells];
            for (int i = 0; i < cells; i++) {
                long t0 = System.nanoTime();
                engine.execute("1 + 1", OutputSink.NONE);
                times[i] = (System.nanoTime() - t0) / 1e9;
            }
            return times;
        }
    }

    static String row(String name, double[] xs, double scale) {
        double[] s = xs.clone();
        Arrays.sort(s);
        double mean = Arrays.stream(s).average().orElse(Double.NaN);
        return String.format(Locale.ROOT, "| %s | %.3f | %.3f | %.3f | %.3f |", name,
                s[s.length / 2] * scale, mean * scale, s[0] * scale, s[s.length - 1] * scale);
    }
}
