package callisto.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WireTest {
    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** RFC 4231 test case 2; the MAC runs over the frames in order, so splitting the data changes nothing. */
    @Test
    void signsWithHmacSha256AsRfc4231() {
        var signer = new Signer("Jefe");
        var frames = List.of(b("what do "), b("ya want "), b("for "), b("nothing?"));
        String expected = "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843";
        assertEquals(expected, signer.sign(frames));
        assertTrue(signer.verify(b(expected), frames));
        assertFalse(signer.verify(b(expected.replace('5', '6')), frames));
        assertFalse(signer.verify(b(expected.substring(2)), frames));
        assertFalse(signer.verify(b(""), frames));
    }

    @Test
    void emptyKeyMeansUnsigned() {
        var signer = new Signer("");
        assertEquals("", signer.sign(List.of(b("{}"))));
        assertTrue(signer.verify(b(""), List.of(b("{}"))));
    }

    private static List<byte[]> request(String signature, String content) {
        var frames = new ArrayList<byte[]>();
        frames.add(b("client-id"));
        frames.add(b("<IDS|MSG>"));
        frames.add(b(signature));
        frames.add(b("{\"msg_id\":\"1\",\"msg_type\":\"execute_request\",\"session\":\"s\",\"username\":\"u\","
                + "\"date\":\"2025-01-01T00:00:00.000000Z\",\"version\":\"5.3\"}"));
        frames.add(b("{}"));
        frames.add(b("{}"));
        frames.add(b(content));
        return frames;
    }

    @Test
    void decodesASignedRequestAndRejectsForgedOnes() throws Exception {
        var signer = new Signer("secret");
        var wire = new Wire(signer);
        String content = "{\"code\":\"1 + 1\",\"silent\":false}";
        String signature = signer.sign(request("", content).subList(3, 7));

        Message m = wire.decode(request(signature, content));
        assertEquals("execute_request", m.type());
        assertEquals("1 + 1", m.text("code"));
        assertFalse(m.flag("silent", true));
        assertArrayEquals(b("client-id"), m.identities().getFirst());

        var forged = assertThrows(Wire.BadMessage.class,
                () -> wire.decode(request(signature, "{\"code\":\"System.exit(1)\",\"silent\":false}")));
        assertEquals("invalid signature", forged.getMessage());
        assertThrows(Wire.BadMessage.class, () -> wire.decode(request("", content)), "unsigned");
        assertThrows(Wire.BadMessage.class, () -> wire.decode(request("0".repeat(64), content)), "wrong signature");
        // signed by someone with another key
        String other = new Signer("guess").sign(request("", content).subList(3, 7));
        assertThrows(Wire.BadMessage.class, () -> wire.decode(request(other, content)));
    }

    @Test
    void rejectsMalformedFrames() {
        var wire = new Wire(new Signer(""));
        var e = assertThrows(Wire.BadMessage.class, () -> wire.decode(List.of(b("id"), b("{}"))));
        assertEquals("no <IDS|MSG> delimiter among 2 frames", e.getMessage());
        e = assertThrows(Wire.BadMessage.class, () -> wire.decode(List.of(b("<IDS|MSG>"), b(""), b("{}"))));
        assertEquals("only 2 frames after <IDS|MSG>; a message needs 5", e.getMessage());
        e = assertThrows(Wire.BadMessage.class, () -> wire.decode(request("", "[1]")));
        assertEquals("content is not a JSON object", e.getMessage());
    }

    @Test
    void encodedRepliesDecodeWithTheSameKey() throws Exception {
        var wire = new Wire(new Signer("secret"));
        Message request = wire.decode(request(new Signer("secret").sign(request("", "{}").subList(3, 7)), "{}"));
        Message reply = wire.reply(request, "execute_reply", Map.of("status", "ok", "execution_count", 3));
        List<byte[]> frames = wire.encode(reply);
        assertArrayEquals(b("client-id"), frames.getFirst());
        Message back = wire.decode(frames);
        assertEquals("execute_reply", back.type());
        assertEquals("1", back.parentHeader().get("msg_id"));
        assertEquals("5.3", back.header().get("version"));
        assertEquals(wire.session(), back.header().get("session"));
        assertTrue(((String) back.header().get("date")).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{6}Z"));
        assertEquals("ok", back.content().get("status"));
    }
}
