"""Profile one notebook's cells in this process with cProfile (IPython shell, inline backend, PNG
rendering as in JupyterLab), to find hot spots in the helpers.

    .venv/bin/python benchmarks/cprofile_notebook.py notebooks/04_survival_hsct.ipynb [--cells 12 26] [--top 30]

Prints CPU seconds per code cell, then the cProfile table (cumulative) over the selected cells (all
code cells if --cells is not given). Cells tagged raises-exception may raise; nothing is written.
"""
from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import sys
import time
from pathlib import Path

import nbformat
from IPython.core.interactiveshell import InteractiveShell


def main(argv=None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("notebook", type=Path)
    parser.add_argument("--cells", type=int, nargs="*", help="cell indices to profile (default: all)")
    parser.add_argument("--top", type=int, default=30)
    parser.add_argument("--sort", default="cumulative")
    parser.add_argument("--after-import", default="", help="code run after the notebook's first code cell")
    args = parser.parse_args(argv)
    nb = nbformat.read(args.notebook, as_version=4)
    os.chdir(args.notebook.parent)
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    shell = InteractiveShell.instance()
    shell.run_cell("%matplotlib inline", silent=True)
    shell.display_pub.publish = lambda *a, **k: None  # render, do not print
    prof = cProfile.Profile()
    times = []
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        on = args.cells is None or index in args.cells
        start = time.process_time()
        if on:
            prof.enable()
        result = shell.run_cell(cell.source, silent=False)
        if on:
            prof.disable()
        times.append((time.process_time() - start, index, cell.source.splitlines()[0][:60]))
        if len(times) == 1 and args.after_import:
            shell.run_cell(args.after_import, silent=True)
        if result.error_in_exec is not None and "raises-exception" not in cell.metadata.get("tags", []):
            print(f"cell {index} raised {result.error_in_exec!r}", file=sys.stderr)
    print(f"total over code cells: {sum(t for t, _, _ in times):.3f} s CPU", file=sys.stderr)
    for seconds, index, first in sorted(times, reverse=True)[:15]:
        print(f"cell {index:3d} {seconds:6.3f} s  {first}", file=sys.stderr)
    if args.cells == []:
        return 0
    out = io.StringIO()
    pstats.Stats(prof, stream=out).sort_stats(args.sort).print_stats(args.top)
    print(out.getvalue(), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
