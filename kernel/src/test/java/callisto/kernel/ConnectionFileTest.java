package callisto.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConnectionFileTest {
    private static final String VALID = """
            {"shell_port": 5001, "iopub_port": 5002, "stdin_port": 5003, "control_port": 5004, "hb_port": 5005,
             "ip": "127.0.0.1", "key": "k3y", "transport": "tcp", "signature_scheme": "hmac-sha256",
             "kernel_name": "callisto"}
            """;

    @TempDir
    Path dir;

    @Test
    void readsWhatJupyterWrites() throws Exception {
        Path f = dir.resolve("kernel-1.json");
        Files.writeString(f, VALID);
        var c = ConnectionFile.read(f);
        assertEquals(new ConnectionFile("tcp", "127.0.0.1", 5001, 5002, 5003, 5004, 5005, "k3y", "hmac-sha256"), c);
        assertEquals("tcp://127.0.0.1:5004", c.endpoint(c.controlPort()));
    }

    @Test
    void missingPortNamesFileAndField() {
        var e = assertThrows(ConnectionFile.BadConnectionFile.class,
                () -> ConnectionFile.parse(VALID.replace("\"hb_port\": 5005,", ""), "/tmp/c.json"));
        assertEquals("connection file /tmp/c.json: field \"hb_port\" is missing", e.getMessage());
    }

    @Test
    void badPortShowsTheValue() {
        var e = assertThrows(ConnectionFile.BadConnectionFile.class,
                () -> ConnectionFile.parse(VALID.replace("5002", "\"5002\""), "c.json"));
        assertEquals("connection file c.json: field \"iopub_port\" must be a port number from 1 to 65535, got \"5002\"",
                e.getMessage());
        e = assertThrows(ConnectionFile.BadConnectionFile.class,
                () -> ConnectionFile.parse(VALID.replace("5003", "70000"), "c.json"));
        assertTrue(e.getMessage().contains("\"stdin_port\"") && e.getMessage().endsWith("got 70000"), e.getMessage());
    }

    @Test
    void unsupportedTransportAndScheme() {
        var e = assertThrows(ConnectionFile.BadConnectionFile.class,
                () -> ConnectionFile.parse(VALID.replace("\"tcp\"", "\"ipc\""), "c.json"));
        assertEquals("connection file c.json: field \"transport\" is \"ipc\"; only \"tcp\" is supported", e.getMessage());
        e = assertThrows(ConnectionFile.BadConnectionFile.class,
                () -> ConnectionFile.parse(VALID.replace("hmac-sha256", "hmac-md5"), "c.json"));
        assertEquals("connection file c.json: field \"signature_scheme\" is \"hmac-md5\"; only \"hmac-sha256\" is supported",
                e.getMessage());
    }

    @Test
    void keyMustBeAString() {
        var e = assertThrows(ConnectionFile.BadConnectionFile.class,
                () -> ConnectionFile.parse(VALID.replace("\"k3y\"", "42"), "c.json"));
        assertEquals("connection file c.json: field \"key\" must be a string, got 42", e.getMessage());
    }

    @Test
    void notJsonOrNotAnObjectOrMissing() {
        var e = assertThrows(ConnectionFile.BadConnectionFile.class, () -> ConnectionFile.parse("{\"ip\": ", "c.json"));
        assertTrue(e.getMessage().startsWith("connection file c.json is not valid JSON: "), e.getMessage());
        e = assertThrows(ConnectionFile.BadConnectionFile.class, () -> ConnectionFile.parse("[1]", "c.json"));
        assertEquals("connection file c.json must hold a JSON object", e.getMessage());
        Path missing = dir.resolve("nope.json");
        e = assertThrows(ConnectionFile.BadConnectionFile.class, () -> ConnectionFile.read(missing));
        assertTrue(e.getMessage().startsWith("cannot read connection file " + missing), e.getMessage());
    }
}
