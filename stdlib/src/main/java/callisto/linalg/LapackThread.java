package callisto.linalg;

import callisto.runtime.Cancellation;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntConsumer;

/**
 * The one thread that calls LAPACK, with a large stack. OpenBLAS's threaded factorisations (getrf, potrf) keep
 * per-thread job tables on the caller's stack: measured here, a 256×256 {@code dgesv_} on a default 1 MiB Java
 * thread stack crashed the JVM with SIGSEGV (no hs_err; 4 MiB was enough). Notebook and test threads have
 * whatever stack their creator chose, so the calls run here instead. The caller waits, polling
 * {@link Cancellation} so an interrupted cell stops after the matrix in progress.
 */
final class LapackThread {
    /** Virtual reservation only; the pages OpenBLAS does not touch are never committed. */
    static final long STACK_BYTES = 64L << 20;
    private static final ExecutorService EXECUTOR = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(null, r, "callisto-lapack", STACK_BYTES);
        t.setDaemon(true);
        return t;
    });

    private LapackThread() {
    }

    /**
     * Runs {@code body(0) .. body(count - 1)} in order on the LAPACK thread, OpenBLAS threaded for matrices of
     * {@code work} (n³); the body's exceptions reach the caller.
     */
    static void forEach(int count, long work, IntConsumer body) {
        AtomicBoolean abort = new AtomicBoolean();
        Future<?> done = EXECUTOR.submit(() -> NativeLapack.withThreads(work, () -> {
            for (int i = 0; i < count && !abort.get(); i++) body.accept(i);
        }));
        while (true) {
            try {
                done.get(20, TimeUnit.MILLISECONDS);
                return;
            } catch (TimeoutException e) {
                if (Cancellation.isRequested()) {
                    abort.set(true);
                    Cancellation.check();
                }
            } catch (InterruptedException e) {
                abort.set(true);
                Thread.currentThread().interrupt();
                throw new CancellationException("Interrupted");
            } catch (ExecutionException e) {
                if (e.getCause() instanceof RuntimeException r) throw r;
                if (e.getCause() instanceof Error err) throw err;
                throw new IllegalStateException(e.getCause());
            }
        }
    }
}
