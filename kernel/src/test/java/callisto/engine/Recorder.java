package callisto.engine;

import callisto.display.DisplayData;
import java.util.ArrayList;
import java.util.List;

/** An OutputSink that keeps every event, in order, for assertions. */
class Recorder implements OutputSink {
    record Event(String kind, String name, String text, DisplayData data) {
    }

    final List<Event> events = new ArrayList<>();

    @Override
    public synchronized void stream(String name, String text) {
        if (!events.isEmpty() && events.getLast().kind.equals("stream") && events.getLast().name.equals(name)) {
            var last = events.removeLast();
            events.add(new Event("stream", name, last.text + text, null));
        } else {
            events.add(new Event("stream", name, text, null));
        }
    }

    @Override
    public synchronized void display(DisplayData data, String displayId) {
        events.add(new Event("display", displayId, data.plainText(), data));
    }

    @Override
    public synchronized void updateDisplay(DisplayData data, String displayId) {
        events.add(new Event("update", displayId, data.plainText(), data));
    }

    synchronized String out() {
        return text("stdout");
    }

    synchronized String err() {
        return text("stderr");
    }

    String text(String name) {
        var sb = new StringBuilder();
        for (var e : events) if (e.kind.equals("stream") && e.name.equals(name)) sb.append(e.text);
        return sb.toString();
    }
}
