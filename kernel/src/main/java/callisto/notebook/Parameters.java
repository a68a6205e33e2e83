package callisto.notebook;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Notebook parameters the papermill way: {@code -p NAME=VALUE} values become Java assignments in a cell injected
 * after the cell tagged {@code parameters}. The type is inferred from the text: boolean, int, long (too big
 * for int, or an {@code L} suffix), double, else String.
 */
public final class Parameters {
    private static final Pattern IDENTIFIER = Pattern.compile("[\\p{L}_$][\\p{L}\\p{N}_$]*");
    private static final Pattern INTEGER = Pattern.compile("[+-]?\\d+");
    private static final Pattern LONG = Pattern.compile("[+-]?\\d+[lL]");
    private static final Pattern DOUBLE =
            Pattern.compile("[+-]?(\\d+\\.\\d*|\\.\\d+|\\d+)([eE][+-]?\\d+)?|[+-]?(NaN|Infinity)");
    private static final Set<String> KEYWORDS = Set.of("abstract", "assert", "boolean", "break", "byte", "case",
            "catch", "char", "class", "const", "continue", "default", "do", "double", "else", "enum", "extends",
            "final", "finally", "float", "for", "goto", "if", "implements", "import", "instanceof", "int",
            "interface", "long", "native", "new", "package", "private", "protected", "public", "return", "short",
            "static", "strictfp", "super", "switch", "synchronized", "this", "throw", "throws", "transient", "try",
            "void", "volatile", "while", "true", "false", "null", "var", "record", "yield");

    private final Map<String, String> values = new LinkedHashMap<>();

    /** Parses {@code NAME=VALUE} options; a bad one throws naming it. */
    public static Parameters parse(Iterable<String> options) {
        var p = new Parameters();
        for (String option : options) {
            int eq = option.indexOf('=');
            if (eq <= 0) throw new IllegalArgumentException("-p " + option + ": expected NAME=VALUE");
            String name = option.substring(0, eq).strip();
            if (!IDENTIFIER.matcher(name).matches() || KEYWORDS.contains(name)) {
                throw new IllegalArgumentException("-p " + option + ": '" + name + "' is not a Java variable name");
            }
            p.values.put(name, option.substring(eq + 1));
        }
        return p;
    }

    /** Whether no parameters were given. */
    public boolean isEmpty() {
        return values.isEmpty();
    }

    /** The Java literal for a value's text. */
    static String literal(String value) {
        String v = value.strip();
        if (v.equalsIgnoreCase("true") || v.equalsIgnoreCase("false")) return v.toLowerCase(java.util.Locale.ROOT);
        if (INTEGER.matcher(v).matches()) {
            try {
                Integer.parseInt(v);
                return v;
            } catch (NumberFormatException e) {
                try {
                    Long.parseLong(v);
                    return v + "L";
                } catch (NumberFormatException tooBig) {
                    return quote(value);
                }
            }
        }
        if (LONG.matcher(v).matches()) return v.substring(0, v.length() - 1) + "L";
        if (DOUBLE.matcher(v).matches()) {
            if (v.endsWith("NaN")) return "Double.NaN";
            if (v.endsWith("Infinity")) return v.startsWith("-") ? "Double.NEGATIVE_INFINITY" : "Double.POSITIVE_INFINITY";
            return v.contains(".") || v.contains("e") || v.contains("E") ? v : v + ".0";
        }
        return quote(value);
    }

    private static String quote(String s) {
        var sb = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> sb.append(c);
            }
        }
        return sb.append('"').toString();
    }

    /**
     * The injected cell's source. A name the session already declares is assigned a literal of its declared
     * type ({@code String label} with {@code -p label=42} gets {@code "42"}, {@code float f} gets {@code 2.5f});
     * a new name is declared with {@code var} and the type the value's text suggests.
     *
     * @param declared the session's variables, name to type
     */
    String source(Map<String, String> declared) {
        var sb = new StringBuilder("// Parameters injected by callisto run\n");
        values.forEach((name, value) -> {
            String type = declared.get(name);
            String lit = literal(value);
            if (type == null) {
                sb.append("var ");
            } else if (type.equals("String") || type.equals("java.lang.String")) {
                lit = quote(value);
            } else if ((type.equals("float") || type.equals("Float")) && !lit.startsWith("\"") && !lit.startsWith("Double")) {
                lit = lit.replace("L", "") + "f";
            } else if ((type.equals("long") || type.equals("Long")) && INTEGER.matcher(lit).matches()) {
                lit = lit + "L";
            } else if (type.equals("double") || type.equals("Double")) {
                if (INTEGER.matcher(lit).matches()) lit = lit + ".0";
            }
            sb.append(name).append(" = ").append(lit).append(";\n");
        });
        return sb.toString();
    }
}
