package callisto.kernel;

import callisto.notebook.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;

/**
 * What a Jupyter client tells the kernel in its connection file: where to bind the five sockets and the key
 * that signs every message.
 *
 * @param transport       {@code tcp} (the only one supported)
 * @param ip              the address to bind, e.g. {@code 127.0.0.1}
 * @param shellPort       requests and replies
 * @param iopubPort       broadcast outputs and status
 * @param stdinPort       input requests to the frontend
 * @param controlPort     interrupt and shutdown, served even while a cell runs
 * @param hbPort          heartbeat echo
 * @param key             the HMAC key; empty means messages are not signed
 * @param signatureScheme {@code hmac-sha256}
 */
public record ConnectionFile(String transport, String ip, int shellPort, int iopubPort, int stdinPort,
                             int controlPort, int hbPort, String key, String signatureScheme) {

    /** A connection file that cannot be used; the message names the file and the field. */
    public static final class BadConnectionFile extends Exception {
        BadConnectionFile(String message) {
            super(message);
        }
    }

    /** Reads and checks {@code file}. */
    public static ConnectionFile read(Path file) throws BadConnectionFile {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            String why = e instanceof NoSuchFileException ? "no such file" : e.toString();
            throw new BadConnectionFile("cannot read connection file " + file + ": " + why);
        }
        return parse(text, file.toString());
    }

    /** Parses connection-file JSON; {@code name} is the file's name, for messages. */
    static ConnectionFile parse(String text, String name) throws BadConnectionFile {
        Object root;
        try {
            root = Json.parse(text);
        } catch (Json.SyntaxError e) {
            throw new BadConnectionFile("connection file " + name + " is not valid JSON: " + e.getMessage());
        }
        if (!(root instanceof Map<?, ?> m)) {
            throw new BadConnectionFile("connection file " + name + " must hold a JSON object");
        }
        String transport = string(m, "transport", "tcp", name);
        if (!transport.equals("tcp")) {
            throw new BadConnectionFile("connection file " + name + ": field \"transport\" is \"" + transport
                    + "\"; only \"tcp\" is supported");
        }
        String scheme = string(m, "signature_scheme", "hmac-sha256", name);
        if (!scheme.equals("hmac-sha256")) {
            throw new BadConnectionFile("connection file " + name + ": field \"signature_scheme\" is \"" + scheme
                    + "\"; only \"hmac-sha256\" is supported");
        }
        return new ConnectionFile(transport, string(m, "ip", "127.0.0.1", name),
                port(m, "shell_port", name), port(m, "iopub_port", name), port(m, "stdin_port", name),
                port(m, "control_port", name), port(m, "hb_port", name),
                string(m, "key", "", name), scheme);
    }

    /** The ZeroMQ endpoint of {@code port} on this file's address. */
    String endpoint(int port) {
        return transport + "://" + ip + ":" + port;
    }

    private static String string(Map<?, ?> m, String field, String fallback, String name) throws BadConnectionFile {
        Object v = m.get(field);
        if (v == null) return fallback;
        if (!(v instanceof String s)) {
            throw new BadConnectionFile("connection file " + name + ": field \"" + field + "\" must be a string, got "
                    + Json.writeCompact(v));
        }
        return s;
    }

    private static int port(Map<?, ?> m, String field, String name) throws BadConnectionFile {
        Object v = m.get(field);
        if (v == null) throw new BadConnectionFile("connection file " + name + ": field \"" + field + "\" is missing");
        int port;
        try {
            port = v instanceof Json.Num n ? Integer.parseInt(n.text()) : -1;
        } catch (NumberFormatException e) {
            port = -1;
        }
        if (port < 1 || port > 65535) {
            throw new BadConnectionFile("connection file " + name + ": field \"" + field
                    + "\" must be a port number from 1 to 65535, got " + Json.writeCompact(v));
        }
        return port;
    }
}
