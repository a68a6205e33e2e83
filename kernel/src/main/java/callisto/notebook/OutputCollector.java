package callisto.notebook;

import callisto.display.DisplayData;
import callisto.engine.CellError;
import callisto.engine.OutputSink;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a notebook's output events into nbformat outputs, the way Jupyter would store them: consecutive stream
 * text merged, display updates applied to every earlier output with the same id, clear_output honoured.
 */
final class OutputCollector implements OutputSink {
    private List<Map<String, Object>> cell = new ArrayList<>();
    private final Map<String, List<Map<String, Object>>> byDisplayId = new HashMap<>();
    private boolean clearPending;
    private boolean sealed = true;

    /** Starts collecting the next cell's outputs. */
    synchronized void startCell() {
        cell = new ArrayList<>();
        clearPending = false;
        sealed = false;
    }

    /**
     * Ends the cell: its outputs in nbformat form. Output that arrives later (a thread of an abandoned cell)
     * is dropped rather than written into a notebook already being saved.
     */
    synchronized List<Object> finishCell() {
        sealed = true;
        var outputs = new ArrayList<Object>();
        for (var out : cell) {
            if (out.get("text") instanceof StringBuilder sb) out.put("text", new ArrayList<Object>(Notebook.lines(sb.toString())));
            outputs.add(out);
        }
        return outputs;
    }

    @Override
    public synchronized void stream(String name, String text) {
        if (sealed) return;
        applyPendingClear();
        if (!cell.isEmpty()) {
            Map<String, Object> last = cell.getLast();
            if ("stream".equals(last.get("output_type")) && name.equals(last.get("name"))) {
                last.put("text", ((StringBuilder) last.get("text")).append(text));
                return;
            }
        }
        var out = new LinkedHashMap<String, Object>();
        out.put("output_type", "stream");
        out.put("name", name);
        out.put("text", new StringBuilder(text));
        cell.add(out);
    }

    @Override
    public synchronized void display(DisplayData data, String displayId) {
        if (sealed) return;
        applyPendingClear();
        var out = new LinkedHashMap<String, Object>();
        out.put("output_type", "display_data");
        out.put("data", mimeBundle(data));
        out.put("metadata", new LinkedHashMap<>(data.metadata()));
        cell.add(out);
        if (displayId != null) byDisplayId.computeIfAbsent(displayId, k -> new ArrayList<>()).add(out);
    }

    @Override
    public synchronized void updateDisplay(DisplayData data, String displayId) {
        for (var out : byDisplayId.getOrDefault(displayId, List.of())) {
            out.put("data", mimeBundle(data));
            out.put("metadata", new LinkedHashMap<>(data.metadata()));
        }
    }

    @Override
    public synchronized void clearOutput(boolean wait) {
        if (sealed) return;
        if (wait) {
            clearPending = true;
        } else {
            cell.clear();
        }
    }

    private void applyPendingClear() {
        if (clearPending) {
            cell.clear();
            clearPending = false;
        }
    }

    synchronized void result(int executionCount, DisplayData data) {
        if (sealed) return;
        applyPendingClear();
        var out = new LinkedHashMap<String, Object>();
        out.put("output_type", "execute_result");
        out.put("execution_count", Json.Num.of(executionCount));
        out.put("data", mimeBundle(data));
        out.put("metadata", new LinkedHashMap<>(data.metadata()));
        cell.add(out);
    }

    synchronized void error(CellError error) {
        if (sealed) return;
        applyPendingClear();
        var out = new LinkedHashMap<String, Object>();
        out.put("output_type", "error");
        out.put("ename", error.ename());
        out.put("evalue", error.evalue());
        out.put("traceback", new ArrayList<Object>(error.traceback()));
        cell.add(out);
    }

    /** nbformat's mime bundle: JSON types embedded as JSON, text types as lists of lines, binary as one string. */
    static Map<String, Object> mimeBundle(DisplayData data) {
        return MimeBundles.of(data, true);
    }

    /** A headless run has nobody to type: a cell reading System.in sees the end of its input at once. */
    @Override
    public boolean providesInput() {
        return true;
    }
}
