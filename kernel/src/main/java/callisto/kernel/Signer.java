package callisto.kernel;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs and verifies messages as the Jupyter protocol says: the lowercase hex HMAC-SHA256, under the connection
 * file's key, of the header, parent header, metadata and content frames in that order. With an empty key
 * messages are unsigned and every signature is accepted.
 */
final class Signer {
    private final SecretKeySpec key;

    Signer(String key) {
        this.key = key.isEmpty() ? null : new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256");
    }

    /** The signature of {@code frames}, or "" without a key. */
    String sign(List<byte[]> frames) {
        if (key == null) return "";
        return HexFormat.of().formatHex(mac(frames));
    }

    /** Whether {@code signature} is the one {@code frames} should carry; constant time in its content. */
    boolean verify(byte[] signature, List<byte[]> frames) {
        if (key == null) return true;
        byte[] expected = HexFormat.of().formatHex(mac(frames)).getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(expected, signature);
    }

    private byte[] mac(List<byte[]> frames) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256"); // a Mac is not thread-safe; creating one is cheap
            mac.init(key);
            for (byte[] f : frames) mac.update(f);
            return mac.doFinal();
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is unavailable in this JDK", e);
        }
    }
}
