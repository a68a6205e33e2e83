package callisto.kernel;

import java.util.List;
import java.util.Map;

/**
 * One Jupyter message, decoded: the ROUTER identities it came from (replies go back to them), its four JSON
 * parts as plain Java values, and any binary buffers.
 */
record Message(List<byte[]> identities, Map<String, Object> header, Map<String, Object> parentHeader,
               Map<String, Object> metadata, Map<String, Object> content, List<byte[]> buffers) {

    Message {
        identities = List.copyOf(identities);
        buffers = List.copyOf(buffers);
    }

    /** The header's {@code msg_type}, e.g. {@code execute_request}. */
    String type() {
        return header.get("msg_type") instanceof String s ? s : "";
    }

    /** {@code content[field]} as a boolean, {@code fallback} when absent or not a boolean. */
    boolean flag(String field, boolean fallback) {
        return content.get(field) instanceof Boolean b ? b : fallback;
    }

    /** {@code content[field]} as an int, {@code fallback} when absent or not an integer. */
    int number(String field, int fallback) {
        Object v = content.get(field);
        if (v instanceof callisto.notebook.Json.Num n) {
            try {
                return Integer.parseInt(n.text());
            } catch (NumberFormatException e) {
                return fallback;
            }
        }
        return v instanceof Number n ? n.intValue() : fallback;
    }

    /** {@code content[field]} as a string, "" when absent or not a string. */
    String text(String field) {
        return content.get(field) instanceof String s ? s : "";
    }
}
