package callisto.notebook;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.commonmark.ext.gfm.tables.TablesExtension;
import org.commonmark.parser.Parser;
import org.commonmark.renderer.html.HtmlRenderer;

/** A notebook as one standalone HTML page: Markdown rendered, images embedded, ANSI tracebacks coloured. */
public final class HtmlExport {
    private static final List<org.commonmark.Extension> EXTENSIONS = List.of(TablesExtension.create());
    private static final Parser MARKDOWN = Parser.builder().extensions(EXTENSIONS).build();
    private static final HtmlRenderer RENDER = HtmlRenderer.builder().extensions(EXTENSIONS).build();
    private static final Pattern ANSI = Pattern.compile("\u001B\\[([0-9;]*)m");
    private static final String STYLE = """
            body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;line-height:1.45}
            .cell{margin:1rem 0}.prompt{color:#607080;font:0.8rem monospace}
            pre{background:#f5f7f9;padding:0.6rem;overflow-x:auto;margin:0.2rem 0}
            pre.stderr{background:#fff0f0}pre.error{background:#fff5f5}
            img,svg{max-width:100%}.ansi-red{color:#c62828;font-weight:bold}.ansi-green{color:#2e7d32}
            .ansi-cyan{color:#00838f}.ansi-bold{font-weight:bold}
            table{border-collapse:collapse}td,th{border:1px solid #ccd;padding:0.2rem 0.5rem}
            """;

    private HtmlExport() {
    }

    /** Writes {@code nb} as HTML to {@code page}, atomically. */
    public static void write(Notebook nb, Path page) throws IOException {
        Notebook.writeAtomically(page, render(nb));
    }

    /** The page's text. */
    public static String render(Notebook nb) {
        String title = nb.file() == null ? "notebook" : nb.file().getFileName().toString();
        var sb = new StringBuilder("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>")
                .append(escape(title)).append("</title><style>").append(STYLE).append("</style></head><body>\n");
        for (Map<String, Object> cell : nb.cells()) {
            String source = Notebook.source(cell);
            switch (String.valueOf(cell.get("cell_type"))) {
                case "markdown" -> sb.append("<div class=\"cell markdown\">")
                        .append(markdown(withAttachments(source, cell))).append("</div>\n");
                case "code" -> {
                    Object count = cell.get("execution_count");
                    sb.append("<div class=\"cell code\"><div class=\"prompt\">In [")
                            .append(count instanceof Json.Num n ? n.text() : " ").append("]:</div><pre class=\"source\">")
                            .append(escape(source)).append("</pre>\n");
                    if (cell.get("outputs") instanceof List<?> outputs) {
                        for (Object o : outputs) if (o instanceof Map<?, ?> out) output(sb, out);
                    }
                    sb.append("</div>\n");
                }
                default -> sb.append("<pre class=\"raw\">").append(escape(source)).append("</pre>\n");
            }
        }
        return sb.append("</body></html>\n").toString();
    }

    private static void output(StringBuilder sb, Map<?, ?> out) {
        switch (String.valueOf(out.get("output_type"))) {
            case "stream" -> sb.append("<pre class=\"").append(escape(String.valueOf(out.get("name")))).append("\">")
                    .append(escape(text(out.get("text")))).append("</pre>\n");
            case "error" -> {
                var tb = new StringBuilder();
                if (out.get("traceback") instanceof List<?> lines) for (Object l : lines) tb.append(l).append('\n');
                sb.append("<pre class=\"error\">").append(ansiToHtml(tb.toString())).append("</pre>\n");
            }
            case "execute_result", "display_data" -> {
                if (out.get("data") instanceof Map<?, ?> data) sb.append(richest(data)).append('\n');
            }
            default -> {
            }
        }
    }

    private static String richest(Map<?, ?> data) {
        if (data.get("text/html") != null) return "<div>" + text(data.get("text/html")) + "</div>";
        if (data.get("image/svg+xml") != null) return "<div>" + text(data.get("image/svg+xml")) + "</div>";
        if (data.get("image/png") instanceof String png) {
            return "<img alt=\"image\" src=\"data:image/png;base64," + png.replaceAll("\\s", "") + "\">";
        }
        if (data.get("image/jpeg") instanceof String jpg) {
            return "<img alt=\"image\" src=\"data:image/jpeg;base64," + jpg.replaceAll("\\s", "") + "\">";
        }
        if (data.get("text/markdown") != null) return "<div>" + markdown(text(data.get("text/markdown"))) + "</div>";
        if (data.get("application/json") != null) return "<pre>" + escape(Json.write(data.get("application/json"))) + "</pre>";
        if (data.get("text/latex") != null) return "<pre>" + escape(text(data.get("text/latex"))) + "</pre>";
        return "<pre>" + escape(text(data.get("text/plain"))) + "</pre>";
    }

    private static String withAttachments(String source, Map<String, Object> cell) {
        if (!(cell.get("attachments") instanceof Map<?, ?> attachments)) return source;
        String s = source;
        for (var e : attachments.entrySet()) {
            if (e.getValue() instanceof Map<?, ?> bundle) {
                for (var m : bundle.entrySet()) {
                    if (m.getValue() instanceof String b64) {
                        s = s.replace("attachment:" + e.getKey(), "data:" + m.getKey() + ";base64," + b64.replaceAll("\\s", ""));
                        break;
                    }
                }
            }
        }
        return s;
    }

    private static String markdown(String md) {
        return RENDER.render(MARKDOWN.parse(md));
    }

    private static String text(Object value) {
        if (value instanceof List<?> lines) {
            var sb = new StringBuilder();
            for (Object l : lines) sb.append(l);
            return sb.toString();
        }
        return value == null ? "" : String.valueOf(value);
    }

    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    static String ansiToHtml(String text) {
        var sb = new StringBuilder();
        Matcher m = ANSI.matcher(text);
        int last = 0;
        boolean open = false;
        while (m.find()) {
            sb.append(escape(text.substring(last, m.start())));
            if (open) sb.append("</span>");
            open = false;
            String cls = switch (m.group(1)) {
                case "1;31", "31" -> "ansi-red";
                case "32" -> "ansi-green";
                case "36" -> "ansi-cyan";
                case "1" -> "ansi-bold";
                default -> null;
            };
            if (cls != null) {
                sb.append("<span class=\"").append(cls).append("\">");
                open = true;
            }
            last = m.end();
        }
        sb.append(escape(text.substring(last)));
        if (open) sb.append("</span>");
        return sb.toString();
    }
}
