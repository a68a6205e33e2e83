package callisto.display;

import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Jupyter comms: custom messages between the session and the frontend, which widget libraries and live
 * front-end views build on.
 *
 * <pre>{@code
 * // the frontend opens comms to a target the session registers
 * Comms.register("echo", (comm, open) -> comm.onMessage(m -> comm.send(m.data())));
 * // or the session opens one to a target the frontend registered
 * Comm c = Comms.open("my.view", Map.of("value", 1));
 * c.send(Map.of("value", 2));
 * c.close();
 * }</pre>
 *
 * <p>Without a frontend ({@code callisto run}, {@code callisto shell}) comms open and send as usual and the
 * messages go nowhere, as with a frontend that has no handler for the target.
 */
public final class Comms {
    /** What the session does when the frontend opens a comm to a registered target. */
    @FunctionalInterface
    public interface Target {
        /** Called with the new comm and the frontend's opening message; an exception closes the comm. */
        void opened(Comm comm, Comm.Message open);
    }

    /** Where comm messages go: the Jupyter kernel installs one. Libraries never call it. */
    public interface Transport {
        void open(Comm comm, Map<String, Object> data, List<byte[]> buffers);

        void send(Comm comm, Map<String, Object> data, List<byte[]> buffers);

        void close(Comm comm, Map<String, Object> data);
    }

    private static final Transport NOWHERE = new Transport() {
        @Override
        public void open(Comm comm, Map<String, Object> data, List<byte[]> buffers) {
        }

        @Override
        public void send(Comm comm, Map<String, Object> data, List<byte[]> buffers) {
        }

        @Override
        public void close(Comm comm, Map<String, Object> data) {
        }
    };

    private static final Map<String, Target> targets = new ConcurrentHashMap<>();
    private static final Map<String, Comm> open = new ConcurrentHashMap<>();
    private static volatile Transport transport = NOWHERE;

    private Comms() {
    }

    /** Lets the frontend open comms to {@code target}; a second registration replaces the first. */
    public static void register(String target, Target handler) {
        requireName(target);
        targets.put(target, Objects.requireNonNull(handler, "handler"));
    }

    /** Stops accepting new comms to {@code target} (open ones stay open); whether it was registered. */
    public static boolean unregister(String target) {
        return targets.remove(target) != null;
    }

    /** The registered target names, sorted. */
    public static Set<String> targets() {
        return Collections.unmodifiableSet(new TreeSet<>(targets.keySet()));
    }

    /** The comms open now, from either side. */
    public static List<Comm> list() {
        return List.copyOf(open.values());
    }

    /** Opens a comm to {@code target}, a name the frontend registered. */
    public static Comm open(String target) {
        return open(target, Map.of(), List.of());
    }

    /** Opens a comm to {@code target} with a first {@code data} (a JSON object). */
    public static Comm open(String target, Map<String, ?> data) {
        return open(target, data, List.of());
    }

    /** Opens a comm to {@code target} with a first {@code data} and binary {@code buffers}. */
    public static Comm open(String target, Map<String, ?> data, List<byte[]> buffers) {
        requireName(target);
        var copy = jsonCopy(data, "data");
        Transport t = transport;
        var comm = new Comm(UUID.randomUUID().toString().replace("-", ""), target, t);
        open.put(comm.id(), comm);
        t.open(comm, copy, List.copyOf(buffers));
        return comm;
    }

    /**
     * Installs the kernel's {@code transport} and returns the kernel's side of the registry, through which
     * the frontend's comm messages arrive. Only the Jupyter kernel calls this, once.
     */
    public static Endpoint connect(Transport transport) {
        Comms.transport = Objects.requireNonNull(transport, "transport");
        return new Endpoint(transport);
    }

    /** The kernel's side: hands the frontend's comm_open, comm_msg and comm_close to the session. */
    public static final class Endpoint {
        private final Transport transport;

        private Endpoint(Transport transport) {
            this.transport = transport;
        }

        /** Whether a comm to {@code target} can open (the kernel closes comms to unknown targets at once). */
        public boolean accepts(String target) {
            return targets.containsKey(target);
        }

        /**
         * The frontend opened comm {@code id} to a registered {@code target}: runs the target's handler. When
         * the handler throws, the comm is closed (and the frontend told) before the exception propagates.
         */
        public void opened(String id, String target, Comm.Message m) {
            Target handler = targets.get(target);
            if (handler == null) throw new IllegalArgumentException("no comm target '" + target + "' is registered");
            var comm = new Comm(id, target, transport);
            open.put(id, comm);
            try {
                handler.opened(comm, m);
            } catch (RuntimeException | Error e) {
                comm.close();
                throw e;
            }
        }

        /** A message on comm {@code id}; false when no such comm is open. */
        public boolean received(String id, Comm.Message m) {
            Comm comm = open.get(id);
            if (comm == null) return false;
            comm.received(m);
            return true;
        }

        /** The frontend closed comm {@code id}; false when no such comm was open. */
        public boolean closed(String id, Comm.Message m) {
            Comm comm = open.remove(id);
            if (comm == null) return false;
            comm.closedByFrontend(m);
            return true;
        }

        /** The open comms as id → target name, only those to {@code target} unless it is null. */
        public Map<String, String> comms(String target) {
            var result = new LinkedHashMap<String, String>();
            for (Comm c : open.values()) {
                if (target == null || c.target().equals(target)) result.put(c.id(), c.target());
            }
            return result;
        }
    }

    static void forget(Comm comm) {
        open.remove(comm.id(), comm);
    }

    private static void requireName(String target) {
        if (target == null || target.isBlank()) throw new IllegalArgumentException("a comm target name must not be empty");
    }

    /**
     * A deep copy of {@code value} as plain JSON values (so a later change by the caller does not alter what is
     * sent), or an error naming the first part that is not JSON.
     */
    static Map<String, Object> jsonCopy(Map<String, ?> value, String path) {
        if (value == null) return Map.of();
        @SuppressWarnings("unchecked")
        var copy = (Map<String, Object>) copy(value, path);
        return copy;
    }

    private static Object copy(Object v, String path) {
        return switch (v) {
            case null -> null;
            case String s -> s;
            case Boolean b -> b;
            case Character c -> c.toString();
            case Double d when !Double.isFinite(d) -> throw notJson(path, d + " (JSON has no NaN or infinity)");
            case Float f when !Float.isFinite(f) -> throw notJson(path, f + " (JSON has no NaN or infinity)");
            case Number n -> n;
            case Map<?, ?> m -> {
                var out = new LinkedHashMap<String, Object>();
                for (var e : m.entrySet()) {
                    if (!(e.getKey() instanceof String k)) {
                        throw notJson(path, "a map with key " + e.getKey() + " (JSON object keys are strings)");
                    }
                    out.put(k, copy(e.getValue(), path + "." + k));
                }
                yield Collections.unmodifiableMap(out);
            }
            case Collection<?> c -> {
                var out = new ArrayList<Object>(c.size());
                int i = 0;
                for (Object x : c) out.add(copy(x, path + "[" + i++ + "]"));
                yield Collections.unmodifiableList(out);
            }
            default -> {
                if (!v.getClass().isArray()) throw notJson(path, "a " + v.getClass().getName());
                int n = Array.getLength(v);
                var out = new ArrayList<Object>(n);
                for (int i = 0; i < n; i++) out.add(copy(Array.get(v, i), path + "[" + i + "]"));
                yield Collections.unmodifiableList(out);
            }
        };
    }

    private static IllegalArgumentException notJson(String path, String what) {
        return new IllegalArgumentException("comm " + path + " is " + what
                + "; comm data must be JSON: maps with string keys, lists or arrays, strings, numbers, booleans, null");
    }
}
