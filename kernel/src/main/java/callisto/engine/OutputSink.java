package callisto.engine;

import callisto.display.DisplayData;

/**
 * Receives a cell's output as it happens, in order. The Jupyter kernel publishes it on iopub, {@code callisto run}
 * collects it into the notebook, the shell prints it. Called from whichever thread produced the output.
 */
public interface OutputSink {
    /** Text written to {@code System.out} ("stdout") or {@code System.err} ("stderr"). */
    void stream(String name, String text);

    /** A new display output. */
    void display(DisplayData data, String displayId);

    /** Replaces earlier outputs with {@code displayId}. */
    void updateDisplay(DisplayData data, String displayId);

    /** Clears the cell's output; with {@code wait}, when the next output arrives. */
    default void clearOutput(boolean wait) {
    }

    /**
     * Whether this sink answers {@link #readLine} for cells that read {@code System.in}; when false they read
     * the process's own stdin (the shell's terminal).
     */
    default boolean providesInput() {
        return false;
    }

    /**
     * Whether output of threads a cell started still goes here after the cell ended, while no other cell runs
     * (a kernel's sink: the frontend shows it under that cell); when false it goes to the process's streams.
     */
    default boolean acceptsLateOutput() {
        return false;
    }

    /** A line the user typed for the cell, after showing {@code prompt}; null when no input can come (end of input). */
    default String readLine(String prompt) throws InterruptedException {
        return null;
    }

    /** A sink that drops everything. */
    OutputSink NONE = new OutputSink() {
        @Override
        public void stream(String name, String text) {
        }

        @Override
        public void display(DisplayData data, String displayId) {
        }

        @Override
        public void updateDisplay(DisplayData data, String displayId) {
        }

        @Override
        public boolean providesInput() {
            return true; // and gives none: a silent cell that reads System.in sees its end
        }
    };
}
