"""Where does each notebook's Run All spend its time? Per-cell wall times, kernel CPU, and the floor.

    .venv/bin/python benchmarks/profile_notebooks.py                      # every notebook
    .venv/bin/python benchmarks/profile_notebooks.py notebooks/03_*.ipynb --top 8 --repeat 3

For each notebook (run on a copy in memory; nothing is written): a fresh "python3" kernel in the
notebook's folder runs every cell with nbclient, which records each cell's start/end timestamps
(``metadata.execution``) and, through IPython's pre/post_run_cell events, each cell's kernel CPU
seconds; then one extra, unstored request reads the kernel's own CPU time
(``time.process_time()``: user + system of the kernel process). Reported per notebook:
total wall (kernel start to last cell, like Run All after a restart), kernel CPU, and the slowest cells.
The floor (fresh kernel + importing the stack, the same statement as bench_notebooks.py) is measured
in the same run, with its kernel CPU too, so the ratios are comparable under the same machine load.
A script, not a test: numbers depend on the machine and its load (use --repeat and read the minimum).
"""
from __future__ import annotations

import argparse
import ast
import sys
import time
from datetime import datetime
from pathlib import Path

import nbformat
from jupyter_client.manager import start_new_kernel
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent
STACK_IMPORT = (
    "import numpy, pandas, scipy, scipy.stats, matplotlib, matplotlib.pyplot, seaborn, lifelines, helpers"
)
CPU_PROBE = "import time as _t; print(repr(_t.process_time()))"
# Injected before the notebook's first cell (and removed from the result): records the kernel's CPU
# seconds spent in every following cell, via IPython's pre/post_run_cell events.
CPU_HOOK = """\
import time as _t
_cell_cpu = []
def _pre(info):
    _cell_cpu.append(_t.process_time())
def _post(result):
    if _cell_cpu:  # the hook cell itself has no start entry
        _cell_cpu[-1] = _t.process_time() - _cell_cpu[-1]
get_ipython().events.register("pre_run_cell", _pre)
get_ipython().events.register("post_run_cell", _post)
"""
CELL_CPU_PROBE = "print(repr(_cell_cpu[:-2]))"  # drop the two probes' entries


def _ts(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def _kernel_cpu(kc) -> float:
    out: list[str] = []

    def hook(msg):
        if msg["msg_type"] == "stream":
            out.append(msg["content"]["text"])

    kc.execute_interactive(CPU_PROBE, timeout=60, store_history=False, output_hook=hook)
    return float("".join(out).strip())


def floor() -> tuple[float, float]:
    """(wall s, kernel CPU s) of a fresh kernel start + importing the stack."""
    start = time.perf_counter()
    km, kc = start_new_kernel(kernel_name="python3", cwd=str(ROOT / "notebooks"), transport_encryption="auto")
    try:
        reply = kc.execute_interactive(STACK_IMPORT, timeout=120, store_history=False, output_hook=lambda m: None)
        if reply["content"]["status"] != "ok":
            raise RuntimeError(f"importing the stack failed: {reply['content']}")
        wall = time.perf_counter() - start
        cpu = _kernel_cpu(kc)
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)
    return wall, cpu


def profile(path: Path) -> dict:
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(nb, timeout=600, kernel_name="python3", allow_errors=True,
                            resources={"metadata": {"path": str(path.parent.resolve())}}, record_timing=True)
    start = time.perf_counter()
    with client.setup_kernel(transport_encryption="auto"):
        hook = nbformat.v4.new_code_cell(CPU_HOOK)
        nb.cells.insert(0, hook)
        client.execute_cell(hook, 0)
        for index, cell in enumerate(nb.cells[1:], start=1):
            client.execute_cell(cell, index)
        wall = time.perf_counter() - start
        nb.cells.pop(0)
        probe = nbformat.v4.new_code_cell(CPU_PROBE)
        nb.cells.append(probe)
        client.execute_cell(probe, len(nb.cells) - 1)
        cpu = float("".join(o.get("text", "") for o in probe.outputs).strip())
        probe = nbformat.v4.new_code_cell(CELL_CPU_PROBE)
        nb.cells[-1] = probe
        client.execute_cell(probe, len(nb.cells) - 1)
        cell_cpu = ast.literal_eval("".join(o.get("text", "") for o in probe.outputs).strip())
        nb.cells.pop()  # the probes are not part of the notebook
    cells = []
    code_cpu = iter(cell_cpu)
    for index, cell in enumerate(nb.cells):
        ex = cell.get("metadata", {}).get("execution", {})
        if cell.cell_type == "code" and "iopub.execute_input" in ex and "shell.execute_reply" in ex:
            seconds = (_ts(ex["shell.execute_reply"]) - _ts(ex["iopub.execute_input"])).total_seconds()
            first = next((line for line in cell.source.splitlines() if line.strip()), "")
            cells.append((next(code_cpu), seconds, index, first[:64]))
    return {"wall": wall, "cpu": cpu, "cells": cells}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", type=Path)
    parser.add_argument("--top", type=int, default=6, help="slowest cells to list per notebook")
    parser.add_argument("--repeat", type=int, default=1, help="runs per notebook (minimum reported)")
    args = parser.parse_args(argv)
    notebooks = sorted(args.notebooks) or sorted((ROOT / "notebooks").glob("*.ipynb"))

    floors = [floor() for _ in range(max(args.repeat, 2))]
    f_wall = min(w for w, _ in floors)
    f_cpu = min(c for _, c in floors)
    print(f"floor (fresh kernel + stack import): wall {f_wall:.2f} s, kernel CPU {f_cpu:.2f} s "
          f"(min of {len(floors)})\n")
    summary = []
    for path in notebooks:
        runs = [profile(path) for _ in range(args.repeat)]
        best = min(runs, key=lambda r: r["wall"])
        wall, cpu = best["wall"], min(r["cpu"] for r in runs)
        summary.append((path.name, wall, cpu))
        print(f"{path.name}: wall {wall:.2f} s ({wall / f_wall:.2f}x floor), kernel CPU {cpu:.2f} s "
              f"({cpu / f_cpu:.2f}x floor CPU)")
        print("    cell   CPU s  wall s")
        for cpu_s, seconds, index, first in sorted(best["cells"], reverse=True)[: args.top]:
            print(f"    {index:4d}  {cpu_s:6.3f}  {seconds:6.3f}  {first}")
    print(f"\n{'notebook':<32} {'wall s':>7} {'x floor':>8} {'CPU s':>7} {'x floor':>8}")
    for name, wall, cpu in summary:
        print(f"{name:<32} {wall:7.2f} {wall / f_wall:8.2f} {cpu:7.2f} {cpu / f_cpu:8.2f}")
    print(f"{'floor':<32} {f_wall:7.2f} {1:8.2f} {f_cpu:7.2f} {1:8.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
