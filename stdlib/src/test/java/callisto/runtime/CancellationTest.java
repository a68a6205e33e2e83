package callisto.runtime;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class CancellationTest {
    @Test
    void aCancelledTokenStopsItsThreadAndTheThreadsItStarts() throws Exception {
        var token = new Cancellation.Token();
        var inChild = new AtomicReference<Throwable>();
        var worker = new Thread(() -> {
            Cancellation.bind(token);
            assertDoesNotThrow(Cancellation::check);
            token.cancel();
            var child = new Thread(() -> inChild.set(assertThrows(CancellationException.class, Cancellation::check)));
            child.start();
            try {
                child.join();
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        });
        worker.start();
        worker.join();
        assertTrue(inChild.get() instanceof CancellationException);
        assertFalse(Cancellation.isRequested(), "the test thread has no cancelled token");
    }

    @Test
    void theInterruptFlagCountsAndIsKept() {
        Thread.currentThread().interrupt();
        try {
            assertThrows(CancellationException.class, Cancellation::check);
            assertTrue(Thread.currentThread().isInterrupted());
        } finally {
            Thread.interrupted();
        }
    }
}
