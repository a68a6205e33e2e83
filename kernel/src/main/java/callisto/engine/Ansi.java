package callisto.engine;

import java.util.regex.Pattern;

/** ANSI styles for tracebacks. Only red, green, cyan and bold: frontends map them to colours that read on any theme. */
final class Ansi {
    private static final Pattern CODE = Pattern.compile("\u001B\\[[0-9;]*m");

    private Ansi() {
    }

    static String red(String s) {
        return "\u001B[1;31m" + s + "\u001B[0m";
    }

    static String green(String s) {
        return "\u001B[32m" + s + "\u001B[0m";
    }

    static String cyan(String s) {
        return "\u001B[36m" + s + "\u001B[0m";
    }

    static String bold(String s) {
        return "\u001B[1m" + s + "\u001B[0m";
    }

    static String strip(String s) {
        return CODE.matcher(s).replaceAll("");
    }
}
