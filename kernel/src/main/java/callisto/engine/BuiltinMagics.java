package callisto.engine;

import java.util.Locale;

/** The magics every engine has. The kernel adds the ones that need a frontend. */
final class BuiltinMagics {
    private BuiltinMagics() {
    }

    static void register(Engine engine) {
        engine.registerMagic("time", "%time CODE / %%time: run Java code and print how long it took", (args, body, cell) -> {
            String code = body != null ? body : args;
            int offset = body != null ? cell.text().indexOf('\n') + 1 : argsOffset(cell.text(), "time", args);
            long start = System.nanoTime();
            CellError error = cell.runJava(code, Math.max(offset, 0));
            double ms = (System.nanoTime() - start) / 1e6;
            cell.sink().stream("stdout", String.format(Locale.ROOT, "Wall time: %.3f ms%n", ms));
            if (error != null) throw new MagicFailure(error);
        });
        SessionMagics.register(engine);
        engine.registerMagic("help", "%help: list the magics", (args, body, cell) -> {
            var text = new StringBuilder("Magics:\n");
            engine.magics().forEach((name, summary) -> text.append("  %").append(name).append("  ").append(summary).append('\n'));
            cell.sink().stream("stdout", text.toString());
        });
    }

    /** Where a line magic's arguments start in the cell: after {@code %name} on the magic's own line. */
    private static int argsOffset(String cell, String name, String args) {
        int at = 0;
        for (String line : cell.split("\n", -1)) {
            int magic = line.indexOf("%" + name);
            if (magic >= 0 && line.strip().startsWith("%" + name)) {
                int start = line.indexOf(args, magic + name.length() + 1);
                return at + Math.max(start, 0);
            }
            at += line.length() + 1;
        }
        return 0;
    }

    /** Carries the error of code a magic ran, so the cell reports it unchanged. */
    static final class MagicFailure extends Exception {
        final CellError error;

        MagicFailure(CellError error) {
            super(error.evalue());
            this.error = error;
        }
    }
}
