#!/usr/bin/env python3
"""Writes the notebook fixtures exactly as Jupyter's nbformat writes files:
json.dumps(indent=1, sort_keys=True, ensure_ascii=False) plus a newline. Re-run after editing."""
import json

KERNELSPEC = {"display_name": "Java (Callisto)", "language": "java", "name": "callisto"}


def code(source, cell_id, tags=None, outputs=None, count=None, **meta):
    md = dict(meta)
    if tags:
        md["tags"] = tags
    return {"cell_type": "code", "execution_count": count, "id": cell_id, "metadata": md,
            "outputs": outputs or [], "source": source.splitlines(True)}


def markdown(source, cell_id, **extra):
    cell = {"cell_type": "markdown", "id": cell_id, "metadata": {}, "source": source.splitlines(True)}
    cell.update(extra)
    return cell


def notebook(cells, metadata=None, minor=5):
    md = {"kernelspec": KERNELSPEC}
    md.update(metadata or {})
    return {"cells": cells, "metadata": md, "nbformat": 4, "nbformat_minor": minor}


def write(name, nb):
    with open(name, "w", encoding="utf-8") as f:
        f.write(json.dumps(nb, indent=1, sort_keys=True, ensure_ascii=False) + "\n")


write("success.ipynb", notebook([
    markdown("# A notebook that runs", "intro"),
    code("int n = 6;\nSystem.out.println(\"n = \" + n);", "first"),
    code("n * 7", "second"),
]))

write("error.ipynb", notebook([
    code("int ok = 1;", "a"),
    code("int broken = 1;\nint[] xs = new int[2];\nxs[5] = broken;", "b"),
    code("System.out.println(\"after the error\");", "c", outputs=[
        {"name": "stdout", "output_type": "stream", "text": ["stale output from an older run\n"]}], count=9),
]))

write("timeout.ipynb", notebook([
    code("System.out.println(\"start\");", "a"),
    code("Thread.sleep(60_000);", "b"),
    code("System.out.println(\"never\");", "c"),
]))

write("parameters.ipynb", notebook([
    markdown("Parameters below; `callisto run -p NAME=VALUE` overrides them.", "m"),
    code("boolean FAST = true;\nint steps = 10;\ndouble lr = 0.1;\nString label = \"default\";", "params",
         tags=["parameters"]),
    code("System.out.println(FAST + \" \" + steps + \" \" + lr + \" \" + label);", "use"),
]))

# An unrelated notebook, as another tool left it: metadata Callisto does not understand must survive as is.
write("foreign.ipynb", notebook([
    markdown("Résumé — ünïcödé, a tab\there, and an attachment: ![x](attachment:dot.png)", "md-1",
             attachments={"dot.png": {"image/png": "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="}}),
    {"cell_type": "raw", "id": "raw-1", "metadata": {"format": "text/restructuredtext"}, "source": ["**raw** stays raw\n"]},
    code("double small = 1e-05;\nsmall", "code-1", collapsed=False, scrolled="auto",
         jupyter={"source_hidden": False, "outputs_hidden": False},
         execution={"iopub.execute_input": "2024-01-01T00:00:00.000001Z", "shell.execute_reply": "2024-01-01T00:00:00.5Z"},
         custom={"weights": [0.5, 1e-05, 1.5e+300, -0.0, 12345678901234567890], "nested": {"z": 1, "a": [None, True]}}),
], metadata={
    "language_info": {"name": "java", "version": "25", "mimetype": "text/x-java-source", "file_extension": ".jshell",
                      "codemirror_mode": "java", "pygments_lexer": "java"},
    "widgets": {"application/vnd.jupyter.widget-state+json": {"state": {}, "version_major": 2, "version_minor": 0}},
    "toc": {"number_sections": True, "sideBar": True, "title_cell": "Table of Contents", "base_numbering": 1},
    "authors": [{"name": "A. Researcher", "affiliation": "Ünïversity"}],
    "papermill": {"duration": 1.25e-3, "parameters": {}},
    "empty_list": [], "empty_object": {}, "control\u0001char": "\u001f\"\\/",
}))

write("display.ipynb", notebook([
    markdown("# Images and HTML", "m"),
    code("var img = new java.awt.image.BufferedImage(8, 4, java.awt.image.BufferedImage.TYPE_INT_RGB);\n"
         "img.setRGB(1, 1, 0xff0000);\ndisplay(img);\ndisplay(html(\"<i>italic</i>\"));\n"
         "display(json(\"{\\\"a\\\": [1, 2]}\"));", "c"),
]))
