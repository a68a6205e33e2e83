package callisto.notebook;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * JSON as plain Java values (LinkedHashMap, ArrayList, String, Boolean, null, {@link Num}), read with Jackson
 * and written exactly as Jupyter's nbformat writes notebooks ({@code json.dumps(indent=1, sort_keys=True,
 * ensure_ascii=False)} plus a final newline), so a notebook written by Jupyter comes back byte for byte.
 * The Jupyter kernel reads and writes its messages with it too ({@link #writeCompact}).
 */
public final class Json {
    private static final JsonFactory FACTORY = JsonFactory.builder()
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxStringLength(Integer.MAX_VALUE)
                    .maxNumberLength(10_000)
                    .build())
            .build();

    private Json() {
    }

    /** A number kept as its text, so it is written back unchanged. */
    public record Num(String text) {
        /** An integer. */
        public static Num of(long value) {
            return new Num(Long.toString(value));
        }
    }

    /** A syntax error, with the 1-based line and column where the parser stopped. */
    public static final class SyntaxError extends Exception {
        SyntaxError(String message) {
            super(message);
        }
    }

    /** Parses one JSON value into plain Java values. */
    public static Object parse(String text) throws SyntaxError {
        try (JsonParser p = FACTORY.createParser(text)) {
            JsonToken first = p.nextToken();
            if (first == null) throw new SyntaxError("empty file");
            Object value = read(p, first);
            JsonToken extra = p.nextToken();
            if (extra != null) throw new SyntaxError("unexpected data after the JSON value " + at(p.currentLocation()));
            return value;
        } catch (JsonProcessingException e) {
            throw new SyntaxError(e.getOriginalMessage().lines().findFirst().orElse("invalid JSON")
                    + " " + at(e.getLocation()));
        } catch (IOException e) {
            throw new SyntaxError("invalid JSON: " + e.getMessage());
        }
    }

    private static String at(JsonLocation loc) {
        return loc == null ? "" : "at line " + loc.getLineNr() + ", column " + loc.getColumnNr();
    }

    private static Object read(JsonParser p, JsonToken t) throws IOException {
        return switch (t) {
            case START_OBJECT -> {
                var map = new LinkedHashMap<String, Object>();
                for (JsonToken k = p.nextToken(); k != JsonToken.END_OBJECT; k = p.nextToken()) {
                    String key = p.currentName();
                    map.put(key, read(p, p.nextToken()));
                }
                yield map;
            }
            case START_ARRAY -> {
                var list = new ArrayList<Object>();
                for (JsonToken v = p.nextToken(); v != JsonToken.END_ARRAY; v = p.nextToken()) list.add(read(p, v));
                yield list;
            }
            case VALUE_STRING -> p.getText();
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> new Num(p.getText());
            case VALUE_TRUE -> Boolean.TRUE;
            case VALUE_FALSE -> Boolean.FALSE;
            case VALUE_NULL -> null;
            default -> throw new IOException("unexpected token " + t);
        };
    }

    /** Writes {@code value} the way nbformat does, ending with a newline. */
    static String write(Object value) {
        var sb = new StringBuilder(1 << 16);
        write(sb, value, 0);
        return sb.append('\n').toString();
    }

    /** Writes {@code value} on one line, without spaces (keys sorted as in {@link #write}): for the wire. */
    public static String writeCompact(Object value) {
        var sb = new StringBuilder(256);
        write(sb, value, -1);
        return sb.toString();
    }

    /** Writes {@code value}; a negative {@code depth} means compact (no newlines or indentation). */
    private static void write(StringBuilder sb, Object value, int depth) {
        boolean compact = depth < 0;
        switch (value) {
            case null -> sb.append("null");
            case String s -> string(sb, s);
            case Boolean b -> sb.append(b);
            case Num n -> sb.append(n.text());
            case Double d -> sb.append(pythonRepr(d));
            case Float f -> sb.append(Float.isFinite(f) ? pythonRepr(new java.math.BigDecimal(Float.toString(f)), f < 0 || (f == 0 && 1 / f < 0)) : pythonRepr((double) f));
            case Number n -> sb.append(n); // Integer, Long, Short, Byte, BigInteger, BigDecimal
            case Character c -> string(sb, c.toString());
            case Map<?, ?> m -> {
                if (m.isEmpty()) {
                    sb.append("{}");
                    return;
                }
                var sorted = new TreeMap<String, Object>(Json::compareCodePoints);
                m.forEach((k, v) -> sorted.put((String) k, v));
                sb.append('{');
                boolean first = true;
                for (var e : sorted.entrySet()) {
                    if (compact) {
                        if (!first) sb.append(',');
                    } else {
                        sb.append(first ? "\n" : ",\n");
                        indent(sb, depth + 1);
                    }
                    first = false;
                    string(sb, e.getKey());
                    sb.append(compact ? ":" : ": ");
                    write(sb, e.getValue(), compact ? depth : depth + 1);
                }
                if (!compact) {
                    sb.append('\n');
                    indent(sb, depth);
                }
                sb.append('}');
            }
            case List<?> l -> {
                if (l.isEmpty()) {
                    sb.append("[]");
                    return;
                }
                sb.append('[');
                for (int i = 0; i < l.size(); i++) {
                    if (compact) {
                        if (i > 0) sb.append(',');
                    } else {
                        sb.append(i == 0 ? "\n" : ",\n");
                        indent(sb, depth + 1);
                    }
                    write(sb, l.get(i), compact ? depth : depth + 1);
                }
                if (!compact) {
                    sb.append('\n');
                    indent(sb, depth);
                }
                sb.append(']');
            }
            default -> throw new IllegalArgumentException("not a JSON value: " + value.getClass().getName());
        }
    }

    /** Python sorts keys by code point; String.compareTo would order by UTF-16 unit. */
    private static int compareCodePoints(String a, String b) {
        int i = 0, j = 0;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i), cb = b.codePointAt(j);
            if (ca != cb) return Integer.compare(ca, cb);
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return Integer.compare(a.length() - i, b.length() - j);
    }

    /** A double as Python's {@code repr} (and so {@code json.dumps}) writes it: 1e-05, 0.5, 1.5e+300, NaN. */
    static String pythonRepr(double d) {
        if (Double.isNaN(d)) return "NaN";
        if (Double.isInfinite(d)) return d > 0 ? "Infinity" : "-Infinity";
        return pythonRepr(new java.math.BigDecimal(Double.toString(Math.abs(d))), d < 0 || (d == 0 && 1 / d < 0));
    }

    private static String pythonRepr(java.math.BigDecimal magnitude, boolean negative) {
        String sign = negative ? "-" : "";
        if (magnitude.signum() == 0) return sign + "0.0";
        var bd = magnitude.abs().stripTrailingZeros(); // Double.toString's digits are already the shortest
        String digits = bd.unscaledValue().toString();
        int n = digits.length(), scale = bd.scale();
        int exp = n - 1 - scale;
        if (exp >= -4 && exp < 16) {
            if (scale <= 0) return sign + digits + "0".repeat(-scale) + ".0";
            if (n > scale) return sign + digits.substring(0, n - scale) + "." + digits.substring(n - scale);
            return sign + "0." + "0".repeat(scale - n) + digits;
        }
        String mantissa = n == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
        return sign + mantissa + "e" + (exp < 0 ? "-" : "+") + (Math.abs(exp) < 10 ? "0" : "") + Math.abs(exp);
    }

    private static void indent(StringBuilder sb, int depth) {
        for (int i = 0; i < depth; i++) sb.append(' ');
    }

    private static void string(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                case '\b' -> sb.append("\\b");
                case '\f' -> sb.append("\\f");
                default -> {
                    boolean lone = Character.isHighSurrogate(c)
                            ? i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1))
                            : Character.isLowSurrogate(c) && (i == 0 || !Character.isHighSurrogate(s.charAt(i - 1)));
                    if (c < 0x20 || lone) { // a lone surrogate has no UTF-8 form: escape it, as JSON allows
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }
}
