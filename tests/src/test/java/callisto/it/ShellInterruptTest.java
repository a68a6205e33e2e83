package callisto.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Ctrl-C at the {@code callisto shell} prompt, typed into a real terminal (tmux, installed by .ci/run): a
 * runaway loop stops, the CPU is freed, and the session keeps its state.
 */
class ShellInterruptTest {
    private final String session = "callisto-test-" + ProcessHandle.current().pid();

    private static String tmux(String... args) throws IOException, InterruptedException {
        var cmd = new java.util.ArrayList<>(List.of("tmux"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) throw new AssertionError("tmux " + String.join(" ", args) + " failed: " + out);
        return out;
    }

    private String screen() throws IOException, InterruptedException {
        return tmux("capture-pane", "-t", session, "-p", "-S", "-100");
    }

    private String await(Predicate<String> done, Duration limit) throws Exception {
        long end = System.nanoTime() + limit.toNanos();
        String s = screen();
        while (!done.test(s) && System.nanoTime() < end) {
            Thread.sleep(100);
            s = screen();
        }
        return s;
    }

    private static long cpuTicks(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime + stime
    }

    @AfterEach
    void kill() throws Exception {
        new ProcessBuilder("tmux", "kill-session", "-t", session).start().waitFor();
    }

    @Test
    void ctrlCStopsARunawayLoopAndFreesTheCpu() throws Exception {
        tmux("new-session", "-d", "-s", session, "-x", "150", "-y", "40", "bash " + Cli.ROOT.resolve("callisto") + " shell");
        String s = await(t -> t.contains("jshell>"), Duration.ofSeconds(60));
        assertTrue(s.contains("jshell>"), s);
        long panePid = Long.parseLong(tmux("display-message", "-p", "-t", session, "#{pane_pid}").strip());
        long jvm = ProcessHandle.of(panePid).stream().flatMap(h -> Stream.concat(Stream.of(h), h.descendants()))
                .filter(h -> h.info().command().orElse("").endsWith("/java")).findFirst().orElseThrow().pid();

        tmux("send-keys", "-t", session, "long n = 0; while (true) { n++; }", "Enter");
        Thread.sleep(1500);
        long busy0 = cpuTicks(jvm);
        Thread.sleep(1000);
        long busy = cpuTicks(jvm) - busy0;
        assertTrue(busy > 50, "the loop does not seem to run: " + busy + " ticks in 1 s\n" + screen());

        long t0 = System.nanoTime();
        tmux("send-keys", "-t", session, "C-c");
        s = await(t -> t.strip().endsWith("jshell>"), Duration.ofSeconds(5));
        double seconds = (System.nanoTime() - t0) / 1e9;
        assertTrue(s.strip().endsWith("jshell>") && seconds < 2, "no prompt " + seconds + " s after Ctrl-C:\n" + s);
        Thread.sleep(500);
        long idle0 = cpuTicks(jvm);
        Thread.sleep(1000);
        long idle = cpuTicks(jvm) - idle0;
        assertTrue(idle < 30, "the JVM still burns " + idle + " ticks per second after the interrupt");

        tmux("send-keys", "-t", session, "System.out.println(\"counted \" + (n > 1000))", "Enter");
        s = await(t -> t.lines().anyMatch(l -> l.startsWith("counted ")), Duration.ofSeconds(10));
        assertTrue(s.lines().anyMatch(l -> l.equals("counted true")), s);
    }
}
