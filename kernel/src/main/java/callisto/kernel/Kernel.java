package callisto.kernel;

import callisto.display.Comm;
import callisto.display.Comms;
import callisto.display.DisplayData;
import callisto.engine.CellError;
import callisto.engine.CellResult;
import callisto.engine.Engine;
import callisto.engine.OutputSink;
import callisto.notebook.MimeBundles;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.zeromq.SocketType;
import org.zeromq.ZMQ;
import org.zeromq.ZMQException;

/**
 * A Jupyter kernel on an {@link Engine}, speaking the messaging protocol (version {@value Wire#PROTOCOL_VERSION})
 * over ZeroMQ.
 *
 * <p>Threads: <b>shell</b> receives requests and runs cells, one at a time; <b>control</b> serves interrupt and
 * shutdown, so they work while a cell runs; <b>iopub</b> is the only thread that touches the PUB socket, fed by a
 * queue: cell threads (which JShell may interrupt, and an interrupt inside a ZeroMQ call would break the socket)
 * only enqueue; <b>heartbeat</b> echoes. Every incoming message's signature is checked; a message that fails is
 * logged and dropped.
 */
public final class Kernel {
    /** The version in kernel_info and {@code callisto --version}. */
    public static final String VERSION = "0.1.0";

    private static final Message STOP = new Message(List.of(), Map.of(), Map.of(), Map.of(), Map.of(), List.of());

    private final ConnectionFile connection;
    /** Starts while the sockets bind: kernel_info and interrupts are answered at once, cells wait for it. */
    private final CompletableFuture<Engine> engineStart;
    private final PrintStream log;
    private final Wire wire;
    private final History history;
    /** Messages for the iopub thread, and latches it counts down once everything before them is sent. */
    private final BlockingQueue<Object> iopubQueue = new LinkedBlockingQueue<>();
    private final BlockingQueue<InputRequest> inputQueue = new LinkedBlockingQueue<>();
    private final CountDownLatch shutdown = new CountDownLatch(1);
    // held by the shell thread while it handles a request, so shutdown can wait for the cell to end
    private final ReentrantLock working = new ReentrantLock();
    private volatile boolean stopping;
    /** Set while a cell waits for the engine to start; an interrupt then cancels that cell. */
    private volatile boolean awaitingEngine;
    private volatile boolean interruptedWhileStarting;
    /** The shell request being handled, or the last one: the parent of comm messages the session sends. */
    private volatile Message currentRequest;
    private final Comms.Endpoint comms;

    /**
     * A kernel for the client that wrote {@code connection}; {@code log} gets the kernel's own diagnostics (the
     * process's stderr, which Jupyter shows in its console), never a cell's output. The engine may still be
     * starting: the kernel answers kernel_info before it is ready, and a failed start is reported to each cell.
     */
    public Kernel(ConnectionFile connection, CompletableFuture<Engine> engine, PrintStream log) {
        this(connection, engine, log, new History(History.defaultFile(), log));
    }

    /** A kernel that keeps its cells in {@code history}. */
    public Kernel(ConnectionFile connection, CompletableFuture<Engine> engine, PrintStream log, History history) {
        this.connection = connection;
        this.engineStart = engine;
        this.log = log;
        this.history = history;
        this.wire = new Wire(new Signer(connection.key()));
        this.comms = Comms.connect(new CommTransport());
    }

    /** Binds the sockets and serves until a shutdown_request; returns the process exit code. */
    public int run() throws InterruptedException {
        ZMQ.Context ctx = ZMQ.context(1);
        ZMQ.Socket shell = bind(ctx, SocketType.ROUTER, connection.shellPort());
        ZMQ.Socket control = bind(ctx, SocketType.ROUTER, connection.controlPort());
        ZMQ.Socket stdin = bind(ctx, SocketType.ROUTER, connection.stdinPort());
        ZMQ.Socket iopub = bind(ctx, SocketType.PUB, connection.iopubPort());
        ZMQ.Socket hb = bind(ctx, SocketType.REP, connection.hbPort());

        Thread iopubThread = Thread.ofPlatform().name("callisto-iopub").daemon().start(() -> publish(iopub));
        Thread.ofPlatform().name("callisto-stdin").daemon().start(() -> askForInput(stdin));
        Thread.ofPlatform().name("callisto-heartbeat").daemon().start(() -> heartbeat(hb));
        Thread.ofPlatform().name("callisto-control").daemon().start(() -> serve(control, this::handleControl));
        Thread.ofPlatform().name("callisto-shell").daemon().start(() -> serve(shell, this::handleShell));
        broadcast(null, "status", Map.of("execution_state", "starting"));

        shutdown.await();
        stopping = true;
        // let a running cell end, so its last outputs and idle status go out; one that ignores interrupts is left
        interrupt();
        boolean idle = working.tryLock(2, TimeUnit.SECONDS);
        if (!idle) log.println("callisto kernel: the running cell did not stop; exiting anyway");
        iopubQueue.add(STOP);
        inputQueue.add(new InputRequest(null, null, null));
        iopubThread.join(2000);
        // term wakes the threads blocked in recv (ETERM); they close their sockets and term returns
        Thread term = Thread.ofPlatform().daemon().start(ctx::term);
        term.join(3000);
        return 0;
    }

    private ZMQ.Socket bind(ZMQ.Context ctx, SocketType type, int port) {
        ZMQ.Socket s = ctx.socket(type);
        s.setLinger(1000);
        String endpoint = connection.endpoint(port);
        try {
            s.bind(endpoint);
        } catch (ZMQException e) {
            throw new IllegalStateException("cannot bind " + type + " socket to " + endpoint + ": " + e.getMessage(), e);
        }
        return s;
    }

    /** The iopub thread: sends what the queue holds, in order, until {@link #STOP}. */
    private void publish(ZMQ.Socket iopub) {
        try {
            for (Object o = iopubQueue.take(); o != STOP; o = iopubQueue.take()) {
                if (o instanceof CountDownLatch sent) sent.countDown();
                else send(iopub, wire.encode((Message) o));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ZMQException e) {
            if (!stopping) log.println("callisto kernel: iopub failed: " + e);
        } finally {
            iopub.close();
        }
    }

    /** A cell waiting for a line: the execute_request it belongs to, the prompt, and where the answer goes. */
    private record InputRequest(Message parent, String prompt, java.util.concurrent.CompletableFuture<String> answer) {
    }

    /**
     * The stdin thread, the only one on the stdin socket: sends each input_request to the frontend that sent the
     * cell (same identities) and waits for its input_reply, giving up when the cell stops waiting (interrupt).
     */
    private void askForInput(ZMQ.Socket stdin) {
        stdin.setReceiveTimeOut(100);
        try {
            for (InputRequest r = inputQueue.take(); r.parent != null; r = inputQueue.take()) {
                send(stdin, wire.encode(wire.reply(r.parent, "input_request", Map.of("prompt", r.prompt, "password", false))));
                while (!r.answer.isDone()) {
                    List<byte[]> frames = receive(stdin);
                    if (frames == null) continue; // timed out: look again whether the cell still waits
                    try {
                        Message m = wire.decode(frames);
                        if (m.type().equals("input_reply")) r.answer.complete(m.text("value"));
                    } catch (Wire.BadMessage e) {
                        log.println("callisto kernel: dropped a message on stdin: " + e.getMessage());
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ZMQException e) {
            if (!isTerm(e)) log.println("callisto kernel: stdin failed: " + e);
        } finally {
            stdin.setLinger(0);
            stdin.close();
        }
    }

    private void heartbeat(ZMQ.Socket hb) {
        try {
            while (true) {
                List<byte[]> frames = receive(hb);
                if (frames == null) break;
                send(hb, frames);
            }
        } catch (ZMQException e) {
            if (!isTerm(e)) log.println("callisto kernel: heartbeat failed: " + e);
        } finally {
            hb.close();
        }
    }

    private interface Handler {
        void handle(ZMQ.Socket socket, Message m);
    }

    /** Receives, verifies and handles messages on a ROUTER socket until the context ends. */
    private void serve(ZMQ.Socket socket, Handler handler) {
        try {
            while (true) {
                List<byte[]> frames = receive(socket);
                if (frames == null) break;
                Message m;
                try {
                    m = wire.decode(frames);
                } catch (Wire.BadMessage e) {
                    log.println("callisto kernel: dropped a message: " + e.getMessage());
                    continue;
                }
                try {
                    handler.handle(socket, m);
                } catch (RuntimeException e) {
                    log.println("callisto kernel: " + m.type() + " failed: " + e);
                    e.printStackTrace(log);
                }
            }
        } catch (ZMQException e) {
            if (!isTerm(e)) log.println("callisto kernel: socket failed: " + e);
        } finally {
            socket.close();
        }
    }

    private void handleShell(ZMQ.Socket shell, Message m) {
        working.lock();
        try {
            if (stopping) return;
            currentRequest = m;
            busy(m);
            Message executeReply = null;
            try {
                switch (m.type()) {
                    case "kernel_info_request" -> send(shell, wire.reply(m, "kernel_info_reply", kernelInfo()));
                    case "execute_request" -> executeReply = execute(shell, m);
                    case "is_complete_request" -> send(shell, wire.reply(m, "is_complete_reply", isComplete(m.text("code"))));
                    case "complete_request" -> send(shell, wire.reply(m, "complete_reply", complete(m)));
                    case "inspect_request" -> send(shell, wire.reply(m, "inspect_reply", inspect(m)));
                    case "comm_info_request" -> send(shell, wire.reply(m, "comm_info_reply", commInfo(m)));
                    case "history_request" -> send(shell, wire.reply(m, "history_reply", history(m)));
                    case "comm_open" -> commOpen(m);
                    case "comm_msg" -> onComm(m, () -> comms.received(m.text("comm_id"), commMessage(m)));
                    case "comm_close" -> onComm(m, () -> comms.closed(m.text("comm_id"), commMessage(m)));
                    case "shutdown_request" -> shutDown(shell, m);
                    default -> log.println("callisto kernel: ignored shell message " + m.type());
                }
            } finally {
                idle(m);
                if (executeReply != null) {
                    // the cell's outputs and its idle status leave before its reply: a client that reads iopub
                    // only briefly once it has the reply (jupyter_kernel_test waits 0.1 s per message) finds them all
                    awaitIopub();
                    send(shell, executeReply);
                }
            }
        } finally {
            working.unlock();
        }
    }

    /** Waits (at most a second) until the iopub thread has sent everything queued so far. */
    private void awaitIopub() {
        var sent = new CountDownLatch(1);
        iopubQueue.add(sent);
        try {
            if (!sent.await(1, TimeUnit.SECONDS)) log.println("callisto kernel: iopub is more than a second behind");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void handleControl(ZMQ.Socket control, Message m) {
        busy(m);
        try {
            switch (m.type()) {
                case "interrupt_request" -> {
                    interrupt();
                    send(control, wire.reply(m, "interrupt_reply", Map.of("status", "ok")));
                }
                case "shutdown_request" -> shutDown(control, m);
                case "kernel_info_request" -> send(control, wire.reply(m, "kernel_info_reply", kernelInfo()));
                default -> log.println("callisto kernel: ignored control message " + m.type());
            }
        } finally {
            idle(m);
        }
    }

    /**
     * Interrupts the running cell, or the cell waiting for the engine to start; does nothing when idle. The
     * control thread calls it for interrupt_request, the SIGINT handler for signal-mode kernelspecs.
     */
    public void interrupt() {
        Engine e = engineIfReady();
        if (e != null) {
            e.interrupt();
        } else if (awaitingEngine) {
            interruptedWhileStarting = true;
        }
    }

    /**
     * The engine, once started; null when its start failed, or when an interrupt came while this cell waited
     * for it: {@code execute} then answers with an error instead of running the cell.
     */
    private Engine awaitEngine() {
        awaitingEngine = true;
        try {
            while (true) {
                if (interruptedWhileStarting) return null;
                try {
                    return engineStart.get(50, TimeUnit.MILLISECONDS);
                } catch (TimeoutException e) {
                    // look at the interrupt flag again
                } catch (ExecutionException | CancellationException e) {
                    return null;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return null;
                }
            }
        } finally {
            awaitingEngine = false;
        }
    }

    /** The engine if it has started; null while it starts or when it failed. */
    private Engine engineIfReady() {
        return engineStart.state() == Future.State.SUCCESS ? engineStart.resultNow() : null;
    }

    /** The engine for requests that need one but no cell (completion, inspection); null when it failed. */
    private Engine startedEngine() {
        try {
            return engineStart.join();
        } catch (CompletionException | CancellationException e) {
            return null;
        }
    }

    /** Why the engine did not start, for the cells that find no engine. */
    private String startFailure() {
        Throwable t = engineStart.exceptionNow();
        while (t instanceof CompletionException && t.getCause() != null) t = t.getCause();
        return "Callisto could not start its Java session: " + t.getMessage();
    }

    private void shutDown(ZMQ.Socket socket, Message m) {
        send(socket, wire.reply(m, "shutdown_reply", Map.of("status", "ok", "restart", m.flag("restart", false))));
        shutdown.countDown();
    }

    /** Runs one execute_request and returns its reply, which the caller sends after the idle status. */
    private Message execute(ZMQ.Socket shell, Message m) {
        String code = m.text("code");
        boolean silent = m.flag("silent", false);
        Engine engine = awaitEngine();
        if (engine == null) return notExecuted(shell, m, silent);
        // only this thread runs cells, so the next number is known before the cell starts
        int count = engine.executionCount() + 1;
        if (!silent) broadcast(m, "execute_input", Map.of("code", code, "execution_count", count));
        boolean store = !silent && m.flag("store_history", true); // silent implies store_history=false
        CellResult r = engine.execute(code, silent ? OutputSink.NONE : new Sink(m), store);
        var reply = new LinkedHashMap<String, Object>();
        reply.put("execution_count", r.executionCount());
        CellError error = r.error();
        if (error == null) {
            if (r.hasResult() && !silent) {
                broadcast(m, "execute_result", Map.of("execution_count", r.executionCount(),
                        "data", MimeBundles.of(r.display(), false), "metadata", r.display().metadata()));
            }
            reply.put("status", "ok");
            reply.put("user_expressions", userExpressions(engine, m));
            reply.put("payload", List.of());
        } else {
            var content = Map.<String, Object>of("ename", error.ename(), "evalue", Objects.toString(error.evalue(), ""),
                    "traceback", error.traceback());
            if (!silent) broadcast(m, "error", content);
            reply.put("status", "error");
            reply.putAll(content);
        }
        if (store) history.add(r.executionCount(), code, r.hasResult() ? r.display().plainText() : null);
        // before the reply: a request the client sends once it has the reply must run, not be aborted
        if (error != null && m.flag("stop_on_error", true)) abortQueued(shell);
        return wire.reply(m, "execute_reply", reply);
    }

    /** A cell that found no engine: interrupted while the engine started, or the engine failed to start. */
    private Message notExecuted(ZMQ.Socket shell, Message m, boolean silent) {
        boolean interrupted = interruptedWhileStarting;
        interruptedWhileStarting = false;
        String ename = interrupted ? "Interrupted" : "KernelStartError";
        String evalue = interrupted ? "interrupted before the Java session had started" : startFailure();
        var content = Map.<String, Object>of("ename", ename, "evalue", evalue, "traceback", List.of(ename + ": " + evalue));
        if (!silent) broadcast(m, "error", content);
        var reply = new LinkedHashMap<String, Object>(content);
        reply.put("status", "error");
        Engine e = engineIfReady();
        reply.put("execution_count", e == null ? 0 : e.executionCount());
        if (m.flag("stop_on_error", true)) abortQueued(shell);
        return wire.reply(m, "execute_reply", reply);
    }

    /**
     * user_expressions: each expression evaluated after the cell, in the session, without output or a count
     * (frontends use them to watch values). Each gets its own status, as in ipykernel.
     */
    private Map<String, Object> userExpressions(Engine engine, Message m) {
        if (!(m.content().get("user_expressions") instanceof Map<?, ?> expressions) || expressions.isEmpty()) return Map.of();
        var results = new LinkedHashMap<String, Object>();
        for (var e : expressions.entrySet()) {
            String name = String.valueOf(e.getKey());
            if (!(e.getValue() instanceof String expr)) {
                results.put(name, expressionError("TypeError", "the expression must be a string", List.of()));
                continue;
            }
            CellResult r = engine.execute(expr, OutputSink.NONE, false);
            if (r.error() != null) {
                results.put(name, expressionError(r.error().ename(), Objects.toString(r.error().evalue(), ""), r.error().traceback()));
            } else if (!r.hasResult()) {
                results.put(name, expressionError("ValueError", "'" + expr + "' has no value (not an expression)", List.of()));
            } else {
                results.put(name, Map.of("status", "ok", "data", MimeBundles.of(r.display(), false), "metadata", r.display().metadata()));
            }
        }
        return results;
    }

    private static Map<String, Object> expressionError(String ename, String evalue, List<String> traceback) {
        return Map.of("status", "error", "ename", ename, "evalue", evalue, "traceback", traceback);
    }

    /**
     * After a failed cell with stop_on_error, the execute requests already waiting are answered "aborted"
     * without running (as ipykernel does): they were written expecting the failed cell to succeed.
     */
    private void abortQueued(ZMQ.Socket shell) {
        List<byte[]> frames;
        while ((frames = receiveNow(shell)) != null) {
            Message q;
            try {
                q = wire.decode(frames);
            } catch (Wire.BadMessage e) {
                log.println("callisto kernel: dropped a message: " + e.getMessage());
                continue;
            }
            if (!q.type().equals("execute_request")) {
                handleShell(shell, q);
                continue;
            }
            busy(q);
            Engine e = engineIfReady();
            send(shell, wire.reply(q, "execute_reply", Map.of("status", "aborted",
                    "execution_count", e == null ? 0 : e.executionCount())));
            idle(q);
        }
    }

    /** comm_info_request: the open comms, only those to {@code target_name} when the request names one. */
    private Map<String, Object> commInfo(Message m) {
        String target = m.content().get("target_name") instanceof String t && !t.isEmpty() ? t : null;
        var list = new LinkedHashMap<String, Object>();
        comms.comms(target).forEach((id, t) -> list.put(id, Map.of("target_name", t)));
        return Map.of("status", "ok", "comms", list);
    }

    /** comm_open from the frontend: the registered target's handler runs; an unknown target's comm is closed at once. */
    private void commOpen(Message m) {
        String id = m.text("comm_id");
        String target = m.text("target_name");
        if (!comms.accepts(target)) {
            log.println("callisto kernel: no comm target '" + target + "'; closing comm " + id);
            broadcast(m, "comm_close", Map.of("comm_id", id, "data", Map.of()));
            return;
        }
        onComm(m, () -> {
            comms.opened(id, target, commMessage(m));
            return true;
        });
    }

    /**
     * Runs a comm handler of the session with its output going to the frontend under {@code m}. A handler that
     * throws is reported there (and in the log), never to the kernel: the kernel keeps serving.
     */
    private void onComm(Message m, java.util.function.BooleanSupplier handler) {
        var sink = new Sink(m);
        Engine engine = engineIfReady();
        Runnable task = () -> {
            try {
                if (!handler.getAsBoolean()) log.println("callisto kernel: " + m.type() + " for unknown comm " + m.text("comm_id"));
            } catch (RuntimeException | Error e) {
                var trace = new java.io.StringWriter();
                e.printStackTrace(new java.io.PrintWriter(trace));
                String what = "the " + m.type() + " handler of comm " + m.text("comm_id") + " failed: ";
                log.println("callisto kernel: " + what + e);
                sink.stream("stderr", what + trace);
            }
        };
        if (engine == null) task.run();
        else engine.runOutsideCell(sink, task);
    }

    /** A comm message's data, metadata and buffers, with JSON numbers as Long or Double for the session's code. */
    @SuppressWarnings("unchecked")
    private static Comm.Message commMessage(Message m) {
        Object data = plain(m.content().get("data"));
        return new Comm.Message(data instanceof Map<?, ?> d ? (Map<String, Object>) d : Map.of(),
                (Map<String, Object>) plain(m.metadata()), m.buffers());
    }

    private static Object plain(Object v) {
        return switch (v) {
            case callisto.notebook.Json.Num n -> {
                try {
                    yield Long.parseLong(n.text());
                } catch (NumberFormatException e) {
                    yield Double.parseDouble(n.text());
                }
            }
            case Map<?, ?> map -> {
                var out = new LinkedHashMap<String, Object>();
                map.forEach((k, x) -> out.put(String.valueOf(k), plain(x)));
                yield out;
            }
            case List<?> list -> list.stream().map(Kernel::plain).collect(java.util.stream.Collectors.toCollection(ArrayList::new));
            case null, default -> v;
        };
    }

    /** Comm messages the session sends, published on iopub under the current request. */
    private final class CommTransport implements Comms.Transport {
        @Override
        public void open(Comm comm, Map<String, Object> data, List<byte[]> buffers) {
            publishComm("comm_open", Map.of("comm_id", comm.id(), "target_name", comm.target(), "data", data), buffers);
        }

        @Override
        public void send(Comm comm, Map<String, Object> data, List<byte[]> buffers) {
            publishComm("comm_msg", Map.of("comm_id", comm.id(), "data", data), buffers);
        }

        @Override
        public void close(Comm comm, Map<String, Object> data) {
            publishComm("comm_close", Map.of("comm_id", comm.id(), "data", data), List.of());
        }

        private void publishComm(String type, Map<String, Object> content, List<byte[]> buffers) {
            iopubQueue.add(wire.broadcast(currentRequest, type, content, buffers));
        }
    }

    /** history_request: tail, range or search, with outputs as [input, output] pairs when asked. */
    private Map<String, Object> history(Message m) {
        List<History.Entry> entries = switch (m.text("hist_access_type")) {
            case "tail" -> history.tail(m.number("n", 10));
            case "range" -> history.range(m.number("session", 0), m.number("start", 0), m.number("stop", 0));
            case "search" -> history.search(m.text("pattern").isEmpty() ? "*" : m.text("pattern"), m.number("n", 0), m.flag("unique", false));
            default -> List.of();
        };
        boolean output = m.flag("output", false);
        var items = new ArrayList<Object>();
        for (History.Entry e : entries) {
            items.add(List.of(e.session(), e.line(), output ? java.util.Arrays.asList(e.input(), e.output()) : e.input()));
        }
        return Map.of("status", "ok", "history", items);
    }

    /** Jupyter counts cursor positions in code points (protocol 5.2); Java strings index UTF-16 chars. */
    private static int charIndex(String code, int cursor) {
        int points = code.codePointCount(0, code.length());
        return code.offsetByCodePoints(0, Math.clamp(cursor < 0 ? points : cursor, 0, points));
    }

    private Map<String, Object> complete(Message m) {
        String code = m.text("code");
        Engine engine = startedEngine();
        if (engine == null) return Map.of("status", "error", "ename", "KernelStartError", "evalue", startFailure(), "traceback", List.of());
        Engine.Completions c = engine.complete(code, charIndex(code, m.number("cursor_pos", -1)));
        return Map.of("status", "ok", "matches", c.matches(), "cursor_start", code.codePointCount(0, c.start()),
                "cursor_end", code.codePointCount(0, c.end()), "metadata", Map.of());
    }

    private Map<String, Object> inspect(Message m) {
        String code = m.text("code");
        boolean detailed = m.number("detail_level", 0) > 0;
        Engine engine = startedEngine();
        if (engine == null) return Map.of("status", "error", "ename", "KernelStartError", "evalue", startFailure(), "traceback", List.of());
        var doc = engine.inspect(code, charIndex(code, m.number("cursor_pos", -1)), detailed);
        if (doc.isEmpty()) return Map.of("status", "ok", "found", false, "data", Map.of(), "metadata", Map.of());
        String text = doc.get();
        int nl = text.indexOf('\n');
        String markdown = "```java\n" + (nl < 0 ? text : text.substring(0, nl)) + "\n```" + (nl < 0 ? "" : "\n\n" + text.substring(nl + 1));
        return Map.of("status", "ok", "found", true, "metadata", Map.of(),
                "data", Map.of("text/plain", text, "text/markdown", markdown));
    }

    private Map<String, Object> isComplete(String code) {
        Engine engine = startedEngine();
        if (engine == null) return Map.of("status", "unknown");
        return switch (engine.completeness(code)) {
            case COMPLETE -> Map.of("status", "complete");
            case INCOMPLETE -> Map.of("status", "incomplete", "indent", "    ");
            case INVALID -> Map.of("status", "invalid");
        };
    }

    private static Map<String, Object> kernelInfo() {
        String java = System.getProperty("java.version");
        var language = new LinkedHashMap<String, Object>();
        language.put("name", "java");
        language.put("version", java);
        language.put("mimetype", "text/x-java-source");
        language.put("file_extension", ".java");
        language.put("codemirror_mode", "java");
        language.put("pygments_lexer", "java");
        var info = new LinkedHashMap<String, Object>();
        info.put("status", "ok");
        info.put("protocol_version", Wire.PROTOCOL_VERSION);
        info.put("implementation", "callisto");
        info.put("implementation_version", VERSION);
        info.put("language_info", language);
        info.put("banner", "Callisto " + VERSION + " on Java " + java + " (JShell)");
        info.put("help_links", List.of(Map.of("text", "Java " + Runtime.version().feature() + " API",
                "url", "https://docs.oracle.com/en/java/javase/" + Runtime.version().feature() + "/docs/api/")));
        info.put("debugger", false);
        return info;
    }

    private void busy(Message parent) {
        broadcast(parent, "status", Map.of("execution_state", "busy"));
    }

    private void idle(Message parent) {
        broadcast(parent, "status", Map.of("execution_state", "idle"));
    }

    private void broadcast(Message parent, String type, Map<String, Object> content) {
        iopubQueue.add(wire.broadcast(parent, type, content));
    }

    /** A cell's outputs as iopub messages whose parent is its execute_request; called from any thread. */
    private final class Sink implements OutputSink {
        private final Message request;

        Sink(Message request) {
            this.request = request;
        }

        @Override
        public boolean acceptsLateOutput() {
            return true; // a background thread's output reaches the notebook, under the cell that started it
        }

        @Override
        public void stream(String name, String text) {
            broadcast(request, "stream", Map.of("name", name, "text", text));
        }

        @Override
        public void display(DisplayData data, String displayId) {
            broadcast(request, "display_data", displayContent(data, displayId));
        }

        @Override
        public void updateDisplay(DisplayData data, String displayId) {
            broadcast(request, "update_display_data", displayContent(data, displayId));
        }

        @Override
        public void clearOutput(boolean wait) {
            broadcast(request, "clear_output", Map.of("wait", wait));
        }

        @Override
        public boolean providesInput() {
            return true;
        }

        /** Asks the frontend through the stdin thread; null (end of input) when the request does not allow stdin. */
        @Override
        public String readLine(String prompt) throws InterruptedException {
            if (!request.flag("allow_stdin", false) || stopping) return null;
            var answer = new java.util.concurrent.CompletableFuture<String>();
            inputQueue.add(new InputRequest(request, prompt, answer));
            try {
                return answer.get();
            } catch (java.util.concurrent.ExecutionException e) {
                return null;
            } finally {
                answer.cancel(false); // after an interrupt the stdin thread stops waiting for this answer
            }
        }

        private static Map<String, Object> displayContent(DisplayData data, String displayId) {
            var c = new LinkedHashMap<String, Object>();
            c.put("data", MimeBundles.of(data, false));
            c.put("metadata", data.metadata());
            c.put("transient", displayId == null ? Map.of() : Map.of("display_id", displayId));
            return c;
        }
    }

    /** One multipart message, or null when the context is ending. */
    private static List<byte[]> receive(ZMQ.Socket s) {
        byte[] first;
        try {
            first = s.recv(0);
        } catch (ZMQException e) {
            if (isTerm(e)) return null;
            throw e;
        }
        return first == null ? null : rest(s, first);
    }

    /** A message that has already arrived, or null when none has. */
    private static List<byte[]> receiveNow(ZMQ.Socket s) {
        byte[] first = s.recv(ZMQ.DONTWAIT);
        return first == null ? null : rest(s, first);
    }

    private static List<byte[]> rest(ZMQ.Socket s, byte[] first) {
        var frames = new ArrayList<byte[]>();
        frames.add(first);
        while (s.hasReceiveMore()) frames.add(s.recv(0));
        return frames;
    }

    private void send(ZMQ.Socket s, Message m) {
        send(s, wire.encode(m));
    }

    private static void send(ZMQ.Socket s, List<byte[]> frames) {
        for (int i = 0; i < frames.size(); i++) s.send(frames.get(i), i < frames.size() - 1 ? ZMQ.SNDMORE : 0);
    }

    private static boolean isTerm(ZMQException e) {
        return e.getErrorCode() == ZMQ.Error.ETERM.getCode();
    }
}
