package callisto.notebook;

import callisto.display.DisplayData;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A {@link DisplayData} as the {@code data} of a Jupyter output: JSON types embedded as JSON, text as text,
 * binary as one base64 string. Shared by the notebook writer and the kernel's iopub messages.
 */
public final class MimeBundles {
    private MimeBundles() {
    }

    /**
     * The bundle as plain JSON values. {@code asLines}: text types as lists of lines, as nbformat stores them;
     * otherwise as one string, as messages carry them.
     */
    public static Map<String, Object> of(DisplayData data, boolean asLines) {
        var bundle = new LinkedHashMap<String, Object>();
        data.data().forEach((mime, content) -> {
            if (DisplayData.isJson(mime)) {
                try {
                    bundle.put(mime, Json.parse(content));
                } catch (Json.SyntaxError e) {
                    // invalid JSON would make the notebook (or message) invalid: keep only the other forms
                }
            } else if (asLines && (mime.startsWith("text/") || mime.equals("image/svg+xml")
                    || mime.equals("application/javascript"))) {
                bundle.put(mime, new ArrayList<Object>(Notebook.lines(content)));
            } else {
                bundle.put(mime, content);
            }
        });
        return bundle;
    }
}
