package callisto.display;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class CommsTest {
    /** What the kernel would publish, in order, as "type id data". */
    private final List<String> published = new ArrayList<>();
    private final List<List<byte[]>> buffers = new ArrayList<>();
    private Comms.Endpoint endpoint;

    @BeforeEach
    void connect() {
        endpoint = Comms.connect(new Comms.Transport() {
            @Override
            public void open(Comm comm, Map<String, Object> data, List<byte[]> b) {
                published.add("open " + comm.target() + " " + data);
                buffers.add(b);
            }

            @Override
            public void send(Comm comm, Map<String, Object> data, List<byte[]> b) {
                published.add("msg " + comm.id() + " " + data);
                buffers.add(b);
            }

            @Override
            public void close(Comm comm, Map<String, Object> data) {
                published.add("close " + comm.id() + " " + data);
            }
        });
    }

    @AfterEach
    void cleanUp() {
        Comms.list().forEach(Comm::close);
        Comms.targets().forEach(Comms::unregister);
    }

    @Test
    void frontendOpensMessagesAndCloses() {
        var got = new ArrayList<String>();
        Comms.register("echo", (comm, first) -> {
            got.add("opened " + first.data());
            comm.onMessage(m -> comm.send(Map.of("echo", m.data()), m.buffers()));
            comm.onClose(m -> got.add("closed " + m.data()));
        });
        assertTrue(endpoint.accepts("echo"));
        assertFalse(endpoint.accepts("other"));

        endpoint.opened("c1", "echo", Comm.Message.of(Map.of("a", 1L)));
        assertEquals(Map.of("c1", "echo"), endpoint.comms(null));
        assertEquals(Map.of(), endpoint.comms("other"));
        byte[] raw = {1, 2, 3};
        assertTrue(endpoint.received("c1", new Comm.Message(Map.of("x", "y"), Map.of(), List.of(raw))));
        assertEquals(List.of("msg c1 {echo={x=y}}"), published);
        assertTrue(Arrays.equals(raw, buffers.get(0).get(0)));

        assertTrue(endpoint.closed("c1", Comm.Message.of(Map.of("why", "done"))));
        assertEquals(List.of("opened {a=1}", "closed {why=done}"), got);
        assertEquals(Map.of(), endpoint.comms(null));
        assertFalse(endpoint.received("c1", Comm.Message.of(Map.of())), "a closed comm gets no messages");
        assertFalse(endpoint.closed("c1", Comm.Message.of(Map.of())));
    }

    @Test
    void aFailingOpenHandlerClosesTheComm() {
        Comms.register("broken", (comm, first) -> {
            throw new IllegalStateException("no");
        });
        var e = assertThrows(IllegalStateException.class, () -> endpoint.opened("c2", "broken", Comm.Message.of(Map.of())));
        assertEquals("no", e.getMessage());
        assertEquals(List.of("close c2 {}"), published, "the frontend is told the comm closed");
        assertEquals(Map.of(), endpoint.comms(null));
        assertThrows(IllegalArgumentException.class, () -> endpoint.opened("c3", "unknown", Comm.Message.of(Map.of())));
    }

    @Test
    void sessionOpensSendsAndCloses() {
        var data = new HashMap<String, Object>();
        data.put("v", new double[] {1.5, 2});
        data.put("nested", Map.of("list", List.of(1, "two")));
        Comm c = Comms.open("view", data);
        data.put("v", "changed"); // what was sent is a copy
        assertEquals(1, published.size());
        assertTrue(published.get(0).startsWith("open view {"), published.get(0));
        assertTrue(published.get(0).contains("v=[1.5, 2.0]"), published.get(0));
        assertTrue(published.get(0).contains("nested={list=[1, two]}"), published.get(0));
        assertEquals(List.of(c), Comms.list());

        c.send(Map.of("k", true));
        c.close(Map.of("bye", 1));
        c.close(); // twice: nothing more goes out
        assertEquals(List.of("msg " + c.id() + " {k=true}", "close " + c.id() + " {bye=1}"), published.subList(1, published.size()));
        assertFalse(c.isOpen());
        assertEquals(List.of(), Comms.list());
        var e = assertThrows(IllegalStateException.class, () -> c.send(Map.of()));
        assertTrue(e.getMessage().contains("is closed"), e.getMessage());
    }

    @Test
    void dataThatIsNotJsonIsRefusedNamingWhere() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> Comms.open("view", Map.of("outer", Map.of("inner", List.of(1, new Object())))));
        assertTrue(e.getMessage().startsWith("comm data.outer.inner[1] is a java.lang.Object"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Comms.open("view", Map.of("x", Double.NaN)));
        assertTrue(e.getMessage().contains("data.x is NaN"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Comms.open("view", Map.of("m", Map.of(1, 2))));
        assertTrue(e.getMessage().contains("key 1"), e.getMessage());
        assertEquals(List.of(), published, "nothing is sent when the data is refused");
        assertThrows(IllegalArgumentException.class, () -> Comms.register(" ", (c, m) -> { }));
    }
}
