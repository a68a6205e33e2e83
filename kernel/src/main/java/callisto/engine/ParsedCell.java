package callisto.engine;

import java.util.ArrayList;
import java.util.List;

/**
 * A cell split into its {@code %}-magics and its Java code.
 *
 * <p>A cell magic is a first line {@code %%name args}; its body is the rest of the cell. Line magics are
 * lines {@code %name args} before the first line of code. Magic lines are blanked in {@link #code()} (replaced
 * by spaces), so offsets, lines and columns in the code stay those of the cell.
 *
 * @param lineMagics the line magics, in order
 * @param cellMagic  the cell magic, or null
 * @param code       the Java code, same line count as the cell
 */
record ParsedCell(List<MagicCall> lineMagics, MagicCall cellMagic, String code) {

    /**
     * One magic use.
     *
     * @param name the magic's name without {@code %}
     * @param args the rest of its line, trimmed
     * @param body for a cell magic the rest of the cell, else null
     * @param line the 1-based cell line it is on
     */
    record MagicCall(String name, String args, String body, int line) {
    }

    static ParsedCell parse(String cell) {
        String[] lines = cell.split("\n", -1);
        if (lines.length > 0 && lines[0].stripLeading().startsWith("%%")) {
            String head = lines[0].stripLeading().substring(2);
            String body = cell.indexOf('\n') < 0 ? "" : cell.substring(cell.indexOf('\n') + 1);
            return new ParsedCell(List.of(), call(head, body, 1), "");
        }
        var magics = new ArrayList<MagicCall>();
        var code = new StringBuilder();
        boolean inCode = false;
        for (int i = 0; i < lines.length; i++) {
            String t = lines[i].strip();
            if (!inCode && t.startsWith("%")) {
                magics.add(call(t.substring(1), null, i + 1));
                code.append(" ".repeat(lines[i].length())); // offsets in the code stay offsets in the cell
            } else {
                if (!t.isEmpty() && !t.startsWith("//")) inCode = true;
                code.append(lines[i]);
            }
            if (i < lines.length - 1) code.append('\n');
        }
        return new ParsedCell(List.copyOf(magics), null, code.toString());
    }

    private static MagicCall call(String text, String body, int line) {
        int space = 0;
        while (space < text.length() && !Character.isWhitespace(text.charAt(space))) space++;
        return new MagicCall(text.substring(0, space), text.substring(space).strip(), body, line);
    }
}
