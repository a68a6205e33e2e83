package callisto.kernel;

import callisto.notebook.Json;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The Jupyter wire format: {@code [identities..., "<IDS|MSG>", signature, header, parent_header, metadata,
 * content, buffers...]}, each JSON part UTF-8, the signature over the four JSON parts. Also makes the headers of
 * the messages this kernel sends, all in one session.
 */
final class Wire {
    /** The protocol version this kernel speaks. */
    static final String PROTOCOL_VERSION = "5.3";
    private static final byte[] DELIMITER = "<IDS|MSG>".getBytes(StandardCharsets.US_ASCII);
    // jupyter_client parses dates with at most six fractional digits
    private static final DateTimeFormatter DATE =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);

    private final Signer signer;
    private final String session = UUID.randomUUID().toString();

    /** A message that is not a valid, correctly signed Jupyter message; it must be dropped. */
    static final class BadMessage extends Exception {
        BadMessage(String message) {
            super(message);
        }
    }

    Wire(Signer signer) {
        this.signer = signer;
    }

    /** This kernel's session id, in every header it sends. */
    String session() {
        return session;
    }

    /** Decodes the frames of one multipart message, checking its signature first. */
    Message decode(List<byte[]> frames) throws BadMessage {
        int d = 0;
        while (d < frames.size() && !Arrays.equals(frames.get(d), DELIMITER)) d++;
        if (d == frames.size()) throw new BadMessage("no <IDS|MSG> delimiter among " + frames.size() + " frames");
        if (frames.size() < d + 6) {
            throw new BadMessage("only " + (frames.size() - d - 1) + " frames after <IDS|MSG>; a message needs 5");
        }
        List<byte[]> signed = frames.subList(d + 2, d + 6);
        if (!signer.verify(frames.get(d + 1), signed)) throw new BadMessage("invalid signature");
        return new Message(frames.subList(0, d), object(signed.get(0), "header"), object(signed.get(1), "parent_header"),
                object(signed.get(2), "metadata"), object(signed.get(3), "content"), frames.subList(d + 6, frames.size()));
    }

    /** The frames of {@code m}, signed. */
    List<byte[]> encode(Message m) {
        var parts = List.of(json(m.header()), json(m.parentHeader()), json(m.metadata()), json(m.content()));
        var frames = new ArrayList<byte[]>(m.identities());
        frames.add(DELIMITER);
        frames.add(signer.sign(parts).getBytes(StandardCharsets.US_ASCII));
        frames.addAll(parts);
        frames.addAll(m.buffers());
        return frames;
    }

    /** A reply to {@code request} (same identities; its header as our parent). */
    Message reply(Message request, String type, Map<String, Object> content) {
        return new Message(request.identities(), header(type), request.header(), Map.of(), content, List.of());
    }

    /**
     * An iopub message caused by {@code parent} (null: none). Its one identity is the topic subscribers filter
     * on, {@code kernel.<session>.<type>} as ipykernel sends it.
     */
    Message broadcast(Message parent, String type, Map<String, Object> content) {
        return broadcast(parent, type, content, List.of());
    }

    /** An iopub message with binary {@code buffers} after its JSON parts (comm messages carry them). */
    Message broadcast(Message parent, String type, Map<String, Object> content, List<byte[]> buffers) {
        byte[] topic = ("kernel." + session + "." + type).getBytes(StandardCharsets.UTF_8);
        return new Message(List.of(topic), header(type), parent == null ? Map.of() : parent.header(), Map.of(),
                content, buffers);
    }

    private Map<String, Object> header(String type) {
        var h = new LinkedHashMap<String, Object>();
        h.put("msg_id", UUID.randomUUID().toString());
        h.put("session", session);
        h.put("username", "callisto");
        h.put("date", DATE.format(Instant.now().truncatedTo(ChronoUnit.MICROS)));
        h.put("msg_type", type);
        h.put("version", PROTOCOL_VERSION);
        return h;
    }

    private static byte[] json(Map<String, Object> part) {
        return Json.writeCompact(part).getBytes(StandardCharsets.UTF_8);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> object(byte[] frame, String part) throws BadMessage {
        Object v;
        try {
            v = Json.parse(new String(frame, StandardCharsets.UTF_8));
        } catch (Json.SyntaxError e) {
            throw new BadMessage(part + " is not valid JSON: " + e.getMessage());
        }
        if (!(v instanceof Map<?, ?> m)) throw new BadMessage(part + " is not a JSON object");
        return (Map<String, Object>) m;
    }
}
