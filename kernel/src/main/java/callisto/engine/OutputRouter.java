package callisto.engine;

import callisto.display.Display;
import callisto.display.DisplayData;
import callisto.display.DisplayPublisher;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Routes {@code System.out}, {@code System.err} and displays to the cell that produced them.
 *
 * <p>A cell's thread, and every thread it starts, carries the cell's {@link Route} (an inheritable thread-local);
 * output from other threads (a pool created earlier, the common pool) goes to the cell running now, and with no
 * cell running to the process's own streams, unless the thread's own cell's sink {@linkplain
 * OutputSink#acceptsLateOutput accepts late output}. Installed once per JVM.
 */
final class OutputRouter implements DisplayPublisher {
    private static final OutputRouter INSTANCE = new OutputRouter();
    private static boolean installed;

    private final InheritableThreadLocal<Route> route = new InheritableThreadLocal<>();
    private volatile Route running;
    private final PrintStream originalOut = System.out;
    private final PrintStream originalErr = System.err;
    private final java.io.InputStream originalIn = System.in;

    static synchronized OutputRouter install() {
        if (!installed) {
            System.setOut(new PrintStream(INSTANCE.new Routed("stdout"), true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(INSTANCE.new Routed("stderr"), true, StandardCharsets.UTF_8));
            System.setIn(INSTANCE.new RoutedIn());
            Display.setPublisher(INSTANCE);
            installed = true;
        }
        return INSTANCE;
    }

    /** The process's stdout before routing: for the CLI's own output. */
    PrintStream originalOut() {
        return originalOut;
    }

    /** The process's stderr before routing: for progress lines and logs. */
    PrintStream originalErr() {
        return originalErr;
    }

    /** Makes {@code sink} receive output of the calling thread (and threads it starts) until {@link #leave}. */
    Route enter(OutputSink sink) {
        var r = new Route(sink);
        route.set(r);
        running = r;
        return r;
    }

    void leave(Route r) {
        r.flush();
        r.closed = true;
        if (running == r) running = null;
        if (route.get() == r) route.remove();
    }

    private Route current() {
        Route r = route.get();
        if (r != null && !r.closed) return r;
        Route now = running;
        if (now != null && !now.closed) return now;
        return r != null && r.sink.acceptsLateOutput() ? r : null;
    }

    @Override
    public void display(DisplayData data, String displayId) {
        Route r = current();
        if (r == null) {
            originalOut.println(data.plainText());
        } else {
            r.flush();
            r.sink.display(data, displayId);
        }
    }

    @Override
    public void update(DisplayData data, String displayId) {
        Route r = current();
        if (r != null) {
            r.flush();
            r.sink.updateDisplay(data, displayId);
        }
    }

    @Override
    public void clearOutput(boolean wait) {
        Route r = current();
        if (r != null) {
            r.flush();
            r.sink.clearOutput(wait);
        }
    }

    /**
     * {@code System.in} for cells: a line at a time from the cell's sink (the notebook's input box), the cell's
     * output flushed first so a prompt printed without a newline shows; the process's stdin where no sink gives input.
     */
    final class RoutedIn extends java.io.InputStream {
        @Override
        public int read() throws java.io.IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws java.io.IOException {
            Route r = current();
            if (r == null || !r.sink.providesInput()) return originalIn.read(b, off, len);
            if (len == 0) return 0;
            synchronized (r.input) {
                if (r.input.pending == null || r.input.pos == r.input.pending.length) {
                    r.flush();
                    String line;
                    try {
                        line = r.sink.readLine("");
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new java.io.InterruptedIOException("interrupted while waiting for input");
                    }
                    if (line == null) return -1;
                    r.input.pending = (line + "\n").getBytes(StandardCharsets.UTF_8);
                    r.input.pos = 0;
                }
                int n = Math.min(len, r.input.pending.length - r.input.pos);
                System.arraycopy(r.input.pending, r.input.pos, b, off, n);
                r.input.pos += n;
                return n;
            }
        }

        @Override
        public int available() throws java.io.IOException {
            Route r = current();
            if (r == null || !r.sink.providesInput()) return originalIn.available();
            synchronized (r.input) {
                return r.input.pending == null ? 0 : r.input.pending.length - r.input.pos;
            }
        }
    }

    /** The rest of the line a cell has typed but not yet read. */
    static final class Pending {
        byte[] pending;
        int pos;
    }

    /** One cell's destination, with a UTF-8 decoder per stream so split multi-byte characters survive. */
    static final class Route {
        final OutputSink sink;
        final Pending input = new Pending();
        volatile boolean closed;
        private final Utf8 out = new Utf8();
        private final Utf8 err = new Utf8();

        Route(OutputSink sink) {
            this.sink = sink;
        }

        synchronized void write(String stream, byte[] b, int off, int len) {
            String text = (stream.equals("stdout") ? out : err).decode(b, off, len);
            if (!text.isEmpty()) sink.stream(stream, text);
        }

        synchronized void flush() {
            String o = out.drain();
            if (!o.isEmpty()) sink.stream("stdout", o);
            String e = err.drain();
            if (!e.isEmpty()) sink.stream("stderr", e);
        }
    }

    private final class Routed extends OutputStream {
        private final String stream;

        Routed(String stream) {
            this.stream = stream;
        }

        @Override
        public void write(int b) {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            Route r = current();
            if (r != null) {
                r.write(stream, b, off, len);
            } else {
                (stream.equals("stdout") ? originalOut : originalErr).write(b, off, len);
            }
        }

        @Override
        public void flush() {
            (stream.equals("stdout") ? originalOut : originalErr).flush();
        }
    }

    private static final class Utf8 {
        private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPLACE)
                .onUnmappableCharacter(CodingErrorAction.REPLACE);
        private ByteBuffer pending = ByteBuffer.allocate(0);

        String decode(byte[] b, int off, int len) {
            ByteBuffer in;
            if (pending.hasRemaining()) {
                in = ByteBuffer.allocate(pending.remaining() + len).put(pending).put(b, off, len).flip();
            } else {
                in = ByteBuffer.wrap(b, off, len);
            }
            CharBuffer chars = CharBuffer.allocate(len + 4);
            decoder.decode(in, chars, false);
            pending = in.hasRemaining() ? ByteBuffer.allocate(in.remaining()).put(in).flip() : ByteBuffer.allocate(0);
            return chars.flip().toString();
        }

        String drain() {
            if (!pending.hasRemaining()) return "";
            CharBuffer chars = CharBuffer.allocate(pending.remaining() + 4);
            decoder.decode(pending, chars, true);
            decoder.reset();
            pending = ByteBuffer.allocate(0);
            return chars.flip().toString();
        }
    }
}
