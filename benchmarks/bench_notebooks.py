"""How long does the notebook suite take, and how close is that to the floor?

    .venv/bin/python benchmarks/bench_notebooks.py        # what `make bench` runs

Measures, in one run:
  (a) suite: wall time of `pytest notebooks -p no:cacheprovider` with the project's pytest config
      (nbval strict over every notebook, xdist -n 2);
  (b) floor: for each notebook, one fresh kernel start plus importing the analysis stack in it
      (what every nbval run must pay before the first real cell), summed, and divided by the
      2 xdist workers for a like-for-like comparison with the -n 2 suite (but never below the
      longest single notebook, which one worker must run alone);
  (c) ratio suite / floor(÷2 workers);
  (d) import time of `helpers` (and of the helpers the notebooks import first) in a fresh interpreter.
A script, not a test: numbers depend on the machine.
"""
from __future__ import annotations

import statistics
import subprocess
import sys
import time
from pathlib import Path

from jupyter_client.manager import start_new_kernel

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
WORKERS = 2  # pyproject addopts: -n 2
STACK_IMPORT = (
    "import numpy, pandas, scipy, scipy.stats, matplotlib, matplotlib.pyplot, seaborn, lifelines, helpers"
)
HELPERS_MODULES = ("helpers", "helpers.paths", "helpers.style", "helpers.exercises")


def time_suite(*extra: str) -> tuple[float, int]:
    start = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "notebooks", "-p", "no:cacheprovider", "-q", *extra],
        cwd=ROOT, capture_output=True, text=True,
    )
    elapsed = time.perf_counter() - start
    if result.returncode not in (0, 5 if extra else 0):  # 5 = no tests ran (expected when deselecting)
        print(result.stdout[-3000:], result.stderr[-2000:], sep="\n", file=sys.stderr)
        print(f"note: the notebook suite FAILED (exit {result.returncode}); its time is still reported.",
              file=sys.stderr)
    return elapsed, result.returncode


def time_kernel_floor(notebook: Path) -> float:
    """Start a fresh python3 kernel in the notebook's folder, import the stack, shut it down."""
    start = time.perf_counter()
    km, kc = start_new_kernel(kernel_name="python3", cwd=str(notebook.parent), transport_encryption="auto")
    try:
        reply = kc.execute_interactive(STACK_IMPORT, timeout=120, store_history=False,
                                       output_hook=lambda msg: None)
        if reply["content"]["status"] != "ok":
            raise RuntimeError(f"importing the stack failed in the kernel: {reply['content']}")
        elapsed = time.perf_counter() - start
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)
    return elapsed


def time_import(module: str, repeats: int = 5) -> float:
    """Median seconds to `import module` in a fresh interpreter (interpreter start excluded)."""
    code = f"import time; t = time.perf_counter(); import {module}; print(time.perf_counter() - t)"
    samples = []
    for _ in range(repeats):
        out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
        samples.append(float(out.stdout.strip()))
    return statistics.median(samples)


def main() -> int:
    if not NOTEBOOKS:
        print("no notebooks in notebooks/: nothing to measure", file=sys.stderr)
        return 1

    suite, rc = time_suite()
    # Same command, every test deselected: xdist still starts its 2 workers and they collect.
    overhead, _ = time_suite("-k", "__deselect_everything__")
    floors = [(nb.name, time_kernel_floor(nb)) for nb in NOTEBOOKS]
    floor_sum = sum(t for _, t in floors)
    # With fewer notebooks than workers, one worker cannot go faster than its longest notebook.
    floor_parallel = max(floor_sum / WORKERS, max(t for _, t in floors))
    imports = [(m, time_import(m)) for m in HELPERS_MODULES]

    rows = [
        ("(a) suite: pytest notebooks (nbval, -n 2), wall" + ("  [FAILED]" if rc else ""), f"{suite:8.2f} s"),
        ("    of which pytest + 2 xdist workers start-up and collection (all deselected)",
         f"{overhead:8.2f} s"),
    ]
    rows += [(f"    floor: kernel start + stack import, {name}", f"{t:8.2f} s") for name, t in floors]
    rows += [
        (f"(b) floor, summed over {len(floors)} notebook(s)", f"{floor_sum:8.2f} s"),
        (f"(b) floor ÷ {WORKERS} workers, at least the longest notebook  <- used for (c)",
         f"{floor_parallel:8.2f} s"),
        (f"(c) ratio suite / floor(÷{WORKERS})", f"{suite / floor_parallel:8.2f} x"),
    ]
    rows += [(f"(d) import {m} (fresh interpreter, median of 5)", f"{t * 1000:8.1f} ms") for m, t in imports]

    width = max(len(label) for label, _ in rows)
    print(f"{'measure':<{width}}  {'value':>10}")
    print(f"{'-' * width}  {'-' * 10}")
    for label, value in rows:
        print(f"{label:<{width}}  {value:>10}")
    print(f"\n{len(NOTEBOOKS)} notebook(s); stack = {STACK_IMPORT.removeprefix('import ')}")
    print("The suite also pays pytest/xdist start-up and collection (the 'of which' row); the floor does not.")
    return rc


if __name__ == "__main__":
    sys.exit(main())
