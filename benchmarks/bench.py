"""One table: how fast is the collection, against the speed targets, optionally before vs after a change.

    .venv/bin/python benchmarks/bench.py                       # what `make bench` runs (about 5 minutes)
    .venv/bin/python benchmarks/bench.py --make-test           # also time a warm `make test` (+ ~1.5-2 minutes)
    .venv/bin/python benchmarks/bench.py --before ../old-checkout [--make-test]
                                                               # the same measurements of another checkout
                                                               # (with its own .venv), in the same run

What it measures, each in a fresh process of the measured checkout's own .venv interpreter:

- floor: a fresh "python3" kernel plus importing the analysis stack (numpy, pandas, scipy, matplotlib,
  seaborn, lifelines, helpers) in it: what every notebook pays before its first real cell. Measured
  just before each notebook's run; the median of all of them is the floor row of this run.
- Run All: each notebook executed top to bottom in a fresh kernel (kernel start included, as a fellow's
  Restart-and-Run-All), from starting the kernel to the end of the last cell, median of `--repeats`; the
  ratio (target <= 1.5) is the median over the repeats of Run All / the floor measured just before it
  (paired: this machine's speed drifts by a quarter within minutes, and a run's own floor drifts with it).
  Shutting the kernel down afterwards (0.2-0.3 s, which nbclient's execute() includes) is not counted, as
  it is not in the floor: a fellow's Run All ends at the last cell.
- nbval suite: `pytest notebooks -n 0` (strict nbval, serial) against the floor summed over the notebooks
  (target <= 1.2).
- generator: N cohorts (seeds 0..N-1) made, audited (every fact of the abstract) and checked against the
  plausibility rules on 2 worker processes; the wall time, median of `--repeats` runs with their range
  (target <= 10 s for 1,000; one run moves by up to a quarter with this machine's speed), how many were distinct,
  matched every fact and passed every rule (the same in every run: the cohorts are fixed by their seeds).
- exact bounds: KM-GRIM, the bounds with witnesses and the interpretation table, as chapter 06 runs them,
  in a fresh process (target <= 5 s).
- make test (warm): `make test` with the .venv and the book already built (target <= 40 s).

A script, not a test: the numbers depend on the machine and its load. Both checkouts are measured in the
same run, part by part (each part of the older checkout, then the same part of this one), so that load
drifting during the run affects them alike; the ratios (Run All / floor) are the least load-sensitive rows.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve()
ROOT = HERE.parent.parent
STACK_IMPORT = ("import numpy, pandas, scipy, scipy.stats, matplotlib, matplotlib.pyplot, seaborn, "
                "lifelines, helpers")
WORKERS = 2

# ---------------------------------------------------------------------------------------------------------
# The measurements. They run inside the measured checkout's interpreter (`--_measure ROOT PART`), so they
# use only what every version of the project has: nbclient, helpers.engine.{generator,audit,plausibility,
# bounds,kmgrim}.


def _floor_once(notebook_dir: Path) -> float:
    from jupyter_client.manager import start_new_kernel

    start = time.perf_counter()
    km, kc = start_new_kernel(kernel_name="python3", cwd=str(notebook_dir))
    try:
        reply = kc.execute_interactive(STACK_IMPORT, timeout=300, store_history=False,
                                       output_hook=lambda msg: None)
        if reply["content"]["status"] != "ok":
            raise RuntimeError(f"importing the stack failed in the kernel: {reply['content']}")
        return time.perf_counter() - start
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)


def _run_all_once(notebook: Path) -> float:
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.read(notebook, as_version=4)  # in memory only: the stored notebook is never written
    last: list[float] = []
    start = time.perf_counter()
    NotebookClient(nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(notebook.parent)}},
                   on_cell_executed=lambda **kw: last.append(time.perf_counter())).execute()
    if not last:
        raise RuntimeError(f"{notebook.name}: no cell was executed")
    return last[-1] - start   # to the end of the last cell; the kernel's shutdown after it is not counted


def measure_notebooks(root: Path, repeats: int) -> dict:
    notebooks = sorted((root / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    floors: list[float] = []
    runs: dict[str, list[float]] = {nb.stem: [] for nb in notebooks}
    ratios: dict[str, list[float]] = {nb.stem: [] for nb in notebooks}
    for _ in range(repeats):
        for nb in notebooks:  # interleaved, so slow and quiet moments of the machine hit both alike
            floors.append(_floor_once(nb.parent))
            runs[nb.stem].append(_run_all_once(nb))
            ratios[nb.stem].append(runs[nb.stem][-1] / floors[-1])   # against the floor measured just before
    floor = statistics.median(floors)
    start = time.perf_counter()
    suite = subprocess.run([sys.executable, "-m", "pytest", "notebooks", "-n", "0", "-q",
                            "-p", "no:cacheprovider"], cwd=root, capture_output=True, text=True)
    suite_s = time.perf_counter() - start
    return {"floor_s": floor, "floor_samples": floors,
            "run_all_s": {k: statistics.median(v) for k, v in runs.items()},
            "ratio": {k: statistics.median(v) for k, v in ratios.items()},
            "suite_s": suite_s, "suite_ok": suite.returncode == 0, "n_notebooks": len(notebooks)}


def measure_generator(n: int, repeats: int = 1) -> dict:
    from multiprocessing import get_context

    sys.path.insert(0, str(HERE.parent))
    # one cohort made, audited, checked and identified: the same function as bench_generator.py (it uses only
    # generate, audit and violations, which every version of the project has)
    from bench_generator import _one

    walls, counts = [], set()
    for _ in range(max(1, repeats)):
        start = time.perf_counter()
        with get_context("fork").Pool(WORKERS) as pool:
            # small chunks: a big last chunk would leave one worker idle at the end
            results = pool.map(_one, range(n), chunksize=max(1, min(25, n // (4 * WORKERS))))
        walls.append(time.perf_counter() - start)
        counts.add((sum(r[1] for r in results), sum(r[2] for r in results), len({r[3] for r in results})))
    if len(counts) != 1:
        raise SystemExit(f"the generator gave different cohorts in repeated runs: {sorted(counts)}")
    audit_ok, plausible, distinct = counts.pop()
    return {"n": n, "wall_s": statistics.median(walls), "wall_samples": walls, "audit_ok": audit_ok,
            "plausible": plausible, "distinct": distinct}


def measure_bounds() -> dict:
    import pandas as pd

    from helpers.engine import bounds as B
    from helpers.engine.kmgrim import km_grim

    start, cpu0 = time.perf_counter(), time.process_time()
    sf = B.survival_facts()
    pd.concat([km_grim(sf.os_6m, sf.n), km_grim(sf.rfs_6m, sf.n_crc), km_grim(sf.nohsct_os_6m, sf.n_nohsct),
               km_grim(sf.hsct_os_6m, sf.n_hsct, sf.decimals[2])])
    B.exact_bounds()
    B.interpretation_table()
    return {"wall_s": time.perf_counter() - start, "cpu_s": time.process_time() - cpu0}


def measure_make_test(root: Path) -> dict:
    start = time.perf_counter()
    done = subprocess.run(["make", "test"], cwd=root, capture_output=True, text=True)
    return {"wall_s": time.perf_counter() - start, "ok": done.returncode == 0}


# ---------------------------------------------------------------------------------------------------------
# The driver: every part of every checkout in a fresh subprocess of that checkout's interpreter.


def _measure_in(root: Path, part: str, args: argparse.Namespace) -> dict:
    python = root / ".venv" / "bin" / "python"
    if not python.exists():
        raise SystemExit(f"--before/--root {root}: no {python}; run `make setup` there first")
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "result.json"
        cmd = [str(python), str(HERE), "--_measure", str(root), part, str(out),
               "--repeats", str(args.repeats), "--cohorts", str(args.cohorts)]
        env = {k: v for k, v in os.environ.items() if k != "LIPOMIT_DATA_DIR"}
        done = subprocess.run(cmd, cwd=root, env=env, capture_output=True, text=True)
        if done.returncode != 0:
            raise SystemExit(f"measuring {part} in {root} failed:\n{done.stderr[-3000:]}")
        return json.loads(out.read_text())


def measure_trees(roots: list[Path], args: argparse.Namespace) -> list[dict]:
    """Every part of every checkout in ``roots``, part by part (the checkouts alternate)."""
    parts = args.parts or ["bounds", "generator", "notebooks"] + (["make_test"] if args.make_test else [])
    results: list[dict] = [{} for _ in roots]
    for part in parts:
        for root, result in zip(roots, results):
            print(f"  measuring {part} in {root} ...", file=sys.stderr, flush=True)
            result[part] = _measure_in(root, part, args)
    return results


def rows_for(m: dict) -> list[tuple[str, str, str, bool | None]]:
    """(measure, target, value, target met) rows for one checkout (only the parts measured)."""
    rows = []
    if "notebooks" in m:
        nbs = m["notebooks"]
        floor = nbs["floor_s"]
        rows.append(("floor: fresh kernel + stack import", "", f"{floor:.2f} s", None))
        for name, t in nbs["run_all_s"].items():
            ratio = nbs["ratio"][name]
            rows.append((f"Run All {name}", "<= 1.5x floor (paired)", f"{t:.2f} s, {ratio:.2f}x", ratio <= 1.5))
        suite_ratio = nbs["suite_s"] / (floor * nbs["n_notebooks"])
        rows.append(("nbval suite, serial" + ("" if nbs["suite_ok"] else " [FAILED]"),
                     "<= 1.2x summed floor", f"{nbs['suite_s']:.1f} s = {suite_ratio:.2f}x",
                     suite_ratio <= 1.2 and nbs["suite_ok"]))
    if "generator" in m:
        gen = m["generator"]
        valid = min(gen["audit_ok"], gen["plausible"], gen["distinct"])
        runs = gen.get("wall_samples", [gen["wall_s"]])
        spread = f" ({min(runs):.1f}-{max(runs):.1f}, {len(runs)} runs)" if len(runs) > 1 else ""
        rows.append((f"generator: {gen['n']} cohorts, {WORKERS} workers", "<= 10 s for 1,000 (median)",
                     f"{gen['wall_s']:.1f} s{spread}", gen["wall_s"] <= 10 and gen["n"] >= 1000 and valid == gen["n"]))
        rows.append(("  distinct / audit passed / plausible", f"{gen['n']} each",
                     f"{gen['distinct']} / {gen['audit_ok']} / {gen['plausible']}", valid == gen["n"]))
    if "bounds" in m:
        bnd = m["bounds"]
        rows.append(("exact bounds (KM-GRIM, bounds, interpretations)", "<= 5 s",
                     f"{bnd['wall_s']:.2f} s (CPU {bnd['cpu_s']:.2f})", bnd["wall_s"] <= 5))
    if "make_test" in m:
        mt = m["make_test"]
        rows.append(("make test, warm" + ("" if mt["ok"] else " [FAILED]"), "<= 40 s",
                     f"{mt['wall_s']:.0f} s", mt["wall_s"] <= 40 and mt["ok"]))
    return rows


def print_table(after: dict, before: dict | None) -> bool:
    a_rows = rows_for(after)
    b_rows = {r[0]: r for r in rows_for(before)} if before else {}
    mark = {True: "yes", False: "NO", None: ""}
    header = ["measure", "target"] + (["before"] if before else []) + ["now", "met"]
    table = []
    for name, target, value, ok in a_rows:
        table.append([name, target] + ([b_rows.get(name, ("", "", "-"))[2]] if before else []) + [value, mark[ok]])
    widths = [max(len(str(r[i])) for r in table + [header]) for i in range(len(header))]
    line = "  ".join(f"{{:<{w}}}" for w in widths)
    print(line.format(*header))
    print(line.format(*["-" * w for w in widths]))
    for r in table:
        print(line.format(*r))
    return all(ok is not False for *_, ok in a_rows)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--before", type=Path, help="another checkout (with its own .venv) to measure alike")
    parser.add_argument("--root", type=Path, default=ROOT, help="the checkout to measure (default: this one)")
    parser.add_argument("--make-test", action="store_true", help="also time a warm `make test`")
    parser.add_argument("--repeats", type=int, default=3,
                        help="Run All and floor samples per notebook, and generator runs")
    parser.add_argument("--cohorts", type=int, default=1000, help="cohorts for the generator row")
    parser.add_argument("--parts", nargs="+", choices=["bounds", "generator", "notebooks", "make_test"],
                        help="measure only these (the table then shows only their rows)")
    parser.add_argument("--json", type=Path, help="also write the raw measurements here")
    parser.add_argument("--_measure", nargs=3, metavar=("ROOT", "PART", "OUT"), help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args._measure:
        root, part, out = Path(args._measure[0]), args._measure[1], Path(args._measure[2])
        result = {"notebooks": lambda: measure_notebooks(root, args.repeats),
                  "generator": lambda: measure_generator(args.cohorts, args.repeats),
                  "bounds": measure_bounds,
                  "make_test": lambda: measure_make_test(root)}[part]()
        out.write_text(json.dumps(result))
        return 0

    roots = ([args.before.resolve()] if args.before else []) + [args.root.resolve()]
    *before, after = measure_trees(roots, args)
    before = before[0] if before else None
    if args.json:
        args.json.write_text(json.dumps({"before": before, "now": after}, indent=1))
    print(f"\nbench: {time.strftime('%Y-%m-%d %H:%M')}, {os.cpu_count()} cores, load average "
          f"{os.getloadavg()[0]:.1f}" + (f"; before = {args.before}" if args.before else ""))
    return 0 if print_table(after, before) else 1


if __name__ == "__main__":
    sys.exit(main())
