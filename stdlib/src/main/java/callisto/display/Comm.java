package callisto.display;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * One open channel between code in the session and the frontend (a Jupyter comm): messages both ways, each a
 * JSON object plus optional binary buffers, until either side closes it. Get one from {@link Comms#open} or,
 * when the frontend opens it, in the handler given to {@link Comms#register}.
 *
 * <p>Handlers run on the kernel's request thread, one message at a time, after the cell that is running ends;
 * what they print goes to the frontend under the message that triggered them.
 */
public final class Comm {
    /**
     * A message from the frontend: its {@code data}, its {@code metadata} and any binary {@code buffers}.
     * Numbers in the JSON arrive as {@link Long} when they are integers that fit, else as {@link Double}.
     */
    public record Message(Map<String, Object> data, Map<String, Object> metadata, List<byte[]> buffers) {
        public Message {
            data = data == null ? Map.of() : data;
            metadata = metadata == null ? Map.of() : metadata;
            buffers = buffers == null ? List.of() : List.copyOf(buffers);
        }

        /** A message with only data. */
        public static Message of(Map<String, Object> data) {
            return new Message(data, Map.of(), List.of());
        }
    }

    private final String id;
    private final String target;
    private final Comms.Transport transport;
    private final List<Consumer<Message>> onMessage = new CopyOnWriteArrayList<>();
    private final List<Consumer<Message>> onClose = new CopyOnWriteArrayList<>();
    private volatile boolean open = true;

    Comm(String id, String target, Comms.Transport transport) {
        this.id = Objects.requireNonNull(id, "id");
        this.target = Objects.requireNonNull(target, "target");
        this.transport = transport;
    }

    /** The comm's id, unique in the session (the frontend's {@code comm_id}). */
    public String id() {
        return id;
    }

    /** The target name both sides agreed on when the comm opened. */
    public String target() {
        return target;
    }

    /** Whether neither side has closed it. */
    public boolean isOpen() {
        return open;
    }

    /** Sends {@code data} (a JSON object: maps with string keys, lists, strings, numbers, booleans, null). */
    public void send(Map<String, ?> data) {
        send(data, List.of());
    }

    /** Sends {@code data} with binary {@code buffers} (widgets send array data this way). */
    public void send(Map<String, ?> data, List<byte[]> buffers) {
        if (!open) throw new IllegalStateException("comm " + id + " (target '" + target + "') is closed; open a new one");
        transport.send(this, Comms.jsonCopy(data, "data"), List.copyOf(buffers));
    }

    /** Closes the comm and tells the frontend; sending afterwards fails. Closing twice does nothing. */
    public void close() {
        close(Map.of());
    }

    /** Closes the comm with a last {@code data} for the frontend. */
    public void close(Map<String, ?> data) {
        var copy = Comms.jsonCopy(data, "data");
        if (!open) return;
        open = false;
        Comms.forget(this);
        transport.close(this, copy);
    }

    /** Calls {@code handler} for every message the frontend sends on this comm. */
    public Comm onMessage(Consumer<Message> handler) {
        onMessage.add(Objects.requireNonNull(handler, "handler"));
        return this;
    }

    /** Calls {@code handler} when the frontend closes the comm (not when this side closes it). */
    public Comm onClose(Consumer<Message> handler) {
        onClose.add(Objects.requireNonNull(handler, "handler"));
        return this;
    }

    void received(Message m) {
        for (var h : onMessage) h.accept(m);
    }

    void closedByFrontend(Message m) {
        open = false;
        for (var h : onClose) h.accept(m);
    }

    @Override
    public String toString() {
        return "Comm[" + target + ", " + id + (open ? "" : ", closed") + "]";
    }
}
