package callisto.display;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A MIME bundle: one value rendered in several formats, of which the frontend shows the richest it supports.
 *
 * <p>{@code text/plain} is always present. Text formats hold their text; binary formats (image/png) hold
 * base64; JSON formats ({@code application/json}, {@code *+json}) hold JSON text, which sinks embed as JSON.
 * Metadata values are plain JSON-like Java values (String, Number, Boolean, List, Map), keyed like nbformat.
 *
 * @param data     MIME type to content, in insertion order
 * @param metadata nbformat output metadata (e.g. {@code {"image/png": {"width": 640}}}), possibly empty
 */
public record DisplayData(Map<String, String> data, Map<String, Object> metadata) {

    public static final String TEXT = "text/plain";
    public static final String HTML = "text/html";
    public static final String MARKDOWN = "text/markdown";
    public static final String LATEX = "text/latex";
    public static final String SVG = "image/svg+xml";
    public static final String PNG = "image/png";
    public static final String JSON = "application/json";

    public DisplayData {
        Objects.requireNonNull(data, "data");
        if (!data.containsKey(TEXT)) {
            throw new IllegalArgumentException("DisplayData: a bundle needs text/plain; got " + data.keySet());
        }
        data = Collections.unmodifiableMap(new LinkedHashMap<>(data));
        metadata = metadata == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
    }

    /** A plain-text bundle. */
    public static DisplayData text(String text) {
        return new DisplayData(Map.of(TEXT, text), Map.of());
    }

    /** A bundle with {@code mime} and a plain-text fallback. */
    public static DisplayData of(String mime, String content, String plainText) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(mime, content);
        m.putIfAbsent(TEXT, plainText);
        return new DisplayData(m, Map.of());
    }

    /** The text/plain form. */
    public String plainText() {
        return data.get(TEXT);
    }

    /** This bundle with {@code mime} added (or replaced). */
    public DisplayData with(String mime, String content) {
        Map<String, String> m = new LinkedHashMap<>(data);
        m.put(mime, content);
        return new DisplayData(m, metadata);
    }

    /** This bundle restricted to the given MIME types; text/plain is always kept. */
    public DisplayData only(List<String> mimeTypes) {
        Map<String, String> m = new LinkedHashMap<>();
        for (var e : data.entrySet()) {
            if (e.getKey().equals(TEXT) || mimeTypes.contains(e.getKey())) m.put(e.getKey(), e.getValue());
        }
        return new DisplayData(m, metadata);
    }

    /** Whether a MIME type carries JSON rather than text. */
    public static boolean isJson(String mime) {
        return mime.equals(JSON) || mime.endsWith("+json");
    }
}
