#!/usr/bin/env python3
"""Writes plotting/src/main/resources/callisto/plot/colormaps.txt: the 256-entry tables behind callisto.plot.Colormap.

Re-run from the repository root after installing matplotlib (Debian: apt-get install python3-matplotlib):
    /usr/bin/python3 plotting/src/test/resources/make_colormaps.py   (the system Python that has the package)
viridis and magma are CC0 (van der Walt, Smith, Nunez); RdBu is ColorBrewer data (Apache-style licence,
Cynthia Brewer); gray is the linear ramp. Colours are rounded to 8 bits per channel.
"""
import pathlib

import matplotlib
import numpy as np
from matplotlib import colormaps

NAMES = ["viridis", "magma", "gray", "RdBu"]
OUT = pathlib.Path(__file__).resolve().parents[2] / "main/resources/callisto/plot/colormaps.txt"

lines = [f"# 256 colours per map, low to high, as RRGGBB; made by plotting/src/test/resources/make_colormaps.py"
         f" from matplotlib {matplotlib.__version__}"]
for name in NAMES:
    rgba = colormaps[name].resampled(256)(np.arange(256))
    lines.append(f"[{name}]")
    for r, g, b, _ in np.round(rgba * 255).astype(int):
        lines.append(f"{r:02x}{g:02x}{b:02x}")
OUT.write_text("\n".join(lines) + "\n")
print(f"wrote {OUT}")
