package callisto.runtime;

import java.util.concurrent.CancellationException;

/**
 * Cooperative interruption of long work. Library loops call {@link #check()} (a volatile read) once per
 * iteration; when the user interrupts the cell, it throws and the cell ends with "Interrupted".
 *
 * <p>The engine binds a {@link Token} to the thread that runs a cell; threads that cell starts inherit it.
 */
public final class Cancellation {
    private static final InheritableThreadLocal<Token> CURRENT = new InheritableThreadLocal<>();

    private Cancellation() {
    }

    /** Throws {@link CancellationException} if the current work was interrupted; otherwise returns at once. */
    public static void check() {
        if (isRequested()) throw new CancellationException("Interrupted");
    }

    /** Whether the current work was interrupted (the thread's interrupt flag counts too, and is kept). */
    public static boolean isRequested() {
        Token t = CURRENT.get();
        return (t != null && t.cancelled) || Thread.currentThread().isInterrupted();
    }

    /** Binds {@code token} to this thread and the threads it starts from now on (engine use). */
    public static void bind(Token token) {
        CURRENT.set(token);
    }

    /** One unit of interruptible work, usually a cell. */
    public static final class Token {
        private volatile boolean cancelled;

        /** Asks the work to stop; every {@link Cancellation#check()} under this token throws from now on. */
        public void cancel() {
            cancelled = true;
        }

        /** Whether {@link #cancel()} was called. */
        public boolean isCancelled() {
            return cancelled;
        }
    }
}
