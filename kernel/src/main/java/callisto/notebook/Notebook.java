package callisto.notebook;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * An nbformat 4 notebook as its JSON tree. Everything Callisto does not touch (metadata, attachments, cell ids,
 * key order aside) is written back as it was read; only outputs and execution counts change.
 */
public final class Notebook {
    private final Path file;
    private final Map<String, Object> root;

    private Notebook(Path file, Map<String, Object> root) {
        this.file = file;
        this.root = root;
    }

    /** Reads and checks a notebook; any problem is a {@link BadNotebookException} naming the file. */
    public static Notebook read(Path file) throws BadNotebookException {
        byte[] bytes;
        try {
            if (Files.isDirectory(file)) throw new BadNotebookException(file, "is a directory, not a notebook");
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new BadNotebookException(file, "no such file");
        } catch (IOException e) {
            throw new BadNotebookException(file, "cannot be read: " + e.getMessage());
        }
        return parse(file, bytes);
    }

    static Notebook parse(Path file, byte[] bytes) throws BadNotebookException {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new BadNotebookException(file, "not a notebook: the file is not UTF-8 text");
        }
        Object tree;
        try {
            tree = Json.parse(text);
        } catch (Json.SyntaxError e) {
            throw new BadNotebookException(file, "invalid JSON: " + e.getMessage());
        }
        if (!(tree instanceof Map<?, ?> map)) {
            throw new BadNotebookException(file, "not a notebook: the top level is "
                    + (tree instanceof List ? "an array" : "a single value") + ", not an object");
        }
        @SuppressWarnings("unchecked")
        var root = (Map<String, Object>) map;
        var nb = new Notebook(file, root);
        nb.validate();
        return nb;
    }

    private void validate() throws BadNotebookException {
        Object major = root.get("nbformat");
        if (!(major instanceof Json.Num n) || !n.text().matches("\\d+")) {
            throw bad("not a notebook: no integer \"nbformat\" version");
        }
        int version = Integer.parseInt(n.text());
        if (version < 4) {
            throw bad("nbformat " + version + " is not supported (Callisto reads 4.0 to 4.5); "
                    + "upgrade it with 'jupyter nbconvert --to notebook --nbformat 4'");
        }
        if (version > 4) throw bad("nbformat " + version + " is newer than Callisto reads (4.0 to 4.5)");
        if (!(root.get("cells") instanceof List<?> cells)) throw bad("not a notebook: no \"cells\" list");
        for (int i = 0; i < cells.size(); i++) {
            String where = "cell " + (i + 1);
            if (!(cells.get(i) instanceof Map<?, ?> cell)) throw bad(where + " is not an object");
            Object type = cell.get("cell_type");
            if (!(type instanceof String)) throw bad(where + " has no \"cell_type\"");
            Object source = cell.get("source");
            if (!(source instanceof String) && !(source instanceof List<?> l && l.stream().allMatch(String.class::isInstance))) {
                throw bad(where + ": \"source\" must be a string or a list of strings");
            }
        }
        String language = language();
        if (language != null && !language.equalsIgnoreCase("java")) {
            throw bad("the notebook's kernel language is '" + language + "', not java");
        }
        if (language == null && root.get("metadata") instanceof Map<?, ?> meta
                && meta.get("kernelspec") instanceof Map<?, ?> ks && ks.get("name") instanceof String name
                && !name.toLowerCase(java.util.Locale.ROOT).matches(".*(java|callisto).*")) {
            throw bad("the notebook's kernel is '" + name + "' and names no language; Callisto runs Java notebooks");
        }
    }

    private BadNotebookException bad(String problem) {
        return new BadNotebookException(file, problem);
    }

    /** The language the notebook's metadata names (kernelspec, else language_info), or null. */
    public String language() {
        if (!(root.get("metadata") instanceof Map<?, ?> meta)) return null;
        if (meta.get("kernelspec") instanceof Map<?, ?> ks && ks.get("language") instanceof String s) return s;
        if (meta.get("language_info") instanceof Map<?, ?> li && li.get("name") instanceof String s) return s;
        return null;
    }

    /** Where it was read from. */
    public Path file() {
        return file;
    }

    /** The minor nbformat version (cell ids exist from 4.5). */
    int minor() {
        return root.get("nbformat_minor") instanceof Json.Num n && n.text().matches("\\d+") ? Integer.parseInt(n.text()) : 0;
    }

    /** The cells, as mutable JSON objects. */
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> cells() {
        return (List<Map<String, Object>>) (List<?>) root.get("cells");
    }

    /** A cell's source as one string (validate() checked it is a string or a list of strings). */
    @SuppressWarnings("unchecked")
    static String source(Map<String, Object> cell) {
        Object s = cell.get("source");
        return s instanceof String str ? str : String.join("", (List<String>) s);
    }

    /** A cell's tags, or none. */
    static List<String> tags(Map<String, Object> cell) {
        if (cell.get("metadata") instanceof Map<?, ?> m && m.get("tags") instanceof List<?> tags) {
            var out = new ArrayList<String>();
            for (Object t : tags) if (t instanceof String s) out.add(s);
            return out;
        }
        return List.of();
    }

    /**
     * Lines as nbformat stores multi-line text, split like Python's {@code str.splitlines(True)}: each keeps its
     * line break, which may be \n, \r, \r\n, \v, \f, \x1c-\x1e, \x85, \u2028 or \u2029.
     */
    static List<String> lines(String text) {
        var out = new ArrayList<String>();
        int start = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean lineBreak = c == '\n' || c == '\r' || c == 0x0b || c == 0x0c || (c >= 0x1c && c <= 0x1e)
                    || c == 0x85 || c == 0x2028 || c == 0x2029;
            if (lineBreak) {
                if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') i++;
                out.add(text.substring(start, i + 1));
                start = i + 1;
            }
        }
        if (start < text.length()) out.add(text.substring(start));
        return out;
    }

    /** The notebook as nbformat JSON text. */
    public String toJson() {
        return Json.write(root);
    }

    /** Writes to {@code target} atomically: a temporary file beside it, then a rename; never half-written. */
    public void write(Path target) throws IOException {
        writeAtomically(target, toJson());
    }

    /** A temp file is owner-only; the notebook gets the permissions it had, or the usual rw-r--r--. */
    private static void keepPermissions(Path tmp, Path target) throws IOException {
        if (!Files.getFileStore(tmp).supportsFileAttributeView("posix")) return;
        var perms = Files.exists(target) ? Files.getPosixFilePermissions(target)
                : java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--");
        Files.setPosixFilePermissions(tmp, perms);
    }

    static void writeAtomically(Path target, String text) throws IOException {
        Files.createDirectories(target.toAbsolutePath().getParent());
        callisto.runtime.AtomicFile.write(target, tmp -> {
            Files.writeString(tmp, text, StandardCharsets.UTF_8);
            keepPermissions(tmp, target);
        });
    }
}
