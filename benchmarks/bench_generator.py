"""Benchmark: how fast the generator makes distinct, valid cohorts.

Generates N cohorts (seeds 0..N-1) with W worker processes and checks every one: the full audit
(every fact of the abstract matches) and the plausibility rules. Prints N, distinct cohorts,
passing audit, passing plausibility, wall s, CPU s (all processes) and ms per cohort; then, in
one process, the CPU ms per cohort split into skeleton sampling / rest of generation / audit /
plausibility (what sets the 2-core time on an idle machine: about N × total / 2). On a loaded
machine CPU times are inflated too (shared caches and cores): for a fair before/after, measure an older
checkout in the same run with ``benchmarks/bench.py --before PATH --parts generator``.

    .venv/bin/python benchmarks/bench_generator.py [N] [--workers W] [--split-cohorts M]

Target (issue 16): at least 1,000 distinct valid cohorts within 10 s on 2 cores.
``measure(n_cohorts, workers)`` returns the first table as a dict (for the one-table ``make bench``).
"""
from __future__ import annotations

import argparse
import hashlib
import resource
import sys
import time
from multiprocessing import get_context

from helpers.engine import generator
from helpers.engine.audit import audit
from helpers.engine.generator import generate
from helpers.engine.plausibility import violations


def _one(seed: int) -> tuple[int, bool, bool, str]:
    tables = generate(seed)
    # a cheap identity of the cohort, to count distinct cohorts: every survival time and flag, start
    # date and age (two cohorts equal in these but different elsewhere would count as one: conservative)
    adsl, adtte = tables["adsl"], tables["adtte"]
    key = (adtte["AVAL"].tolist(), adtte["CNSR"].tolist(), adsl["TRTSDT"].tolist(), adsl["AGE"].tolist())
    digest = hashlib.sha256(repr(key).encode())
    return seed, bool(audit(tables)["match"].all()), not violations(tables), digest.hexdigest()


def measure(n_cohorts: int = 1000, workers: int = 2) -> dict:
    """Make, audit and plausibility-check cohorts for seeds 0..n_cohorts-1 on ``workers`` processes.

    Returns ``n_cohorts, workers, distinct, passing_audit, passing_plausibility, wall_s, cpu_s,
    ms_per_cohort`` (``cpu_s``: CPU seconds of all workers; ``ms_per_cohort``: wall ms per cohort)."""
    if isinstance(n_cohorts, bool) or not isinstance(n_cohorts, int) or n_cohorts < 1:
        raise ValueError(f"n_cohorts={n_cohorts!r} is not accepted; accepted: a whole number >= 1")
    if isinstance(workers, bool) or not isinstance(workers, int) or workers < 1:
        raise ValueError(f"workers={workers!r} is not accepted; accepted: a whole number >= 1")
    generator._default_targets()          # read the facts once in the parent; forked workers inherit them
    ctx = get_context("fork")
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    pool = ctx.Pool(workers)
    try:
        results = pool.map(_one, range(n_cohorts), chunksize=max(1, min(25, n_cohorts // (4 * workers))))
    finally:
        pool.close()
        pool.join()        # workers exit and are waited for, so RUSAGE_CHILDREN now counts their CPU
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return {
        "n_cohorts": n_cohorts,
        "workers": workers,
        "distinct": len({r[3] for r in results}),
        "passing_audit": sum(r[1] for r in results),
        "passing_plausibility": sum(r[2] for r in results),
        "wall_s": wall,
        "cpu_s": cpu,
        "ms_per_cohort": 1000.0 * wall / n_cohorts,
    }


def split(n_cohorts: int = 100) -> dict:
    """Single-process CPU ms per cohort (seeds 0..n_cohorts-1): skeleton sampling, rest of
    generation, audit, plausibility."""
    gen_module, skeleton_name, audit_fn, violations_fn = generator, "_survival_skeletons", audit, violations
    skeleton = [0.0]
    inner = getattr(gen_module, skeleton_name)

    def timed(*args):
        t0 = time.process_time()
        try:
            return inner(*args)
        finally:
            skeleton[0] += time.process_time() - t0

    audit_fn(gen_module.generate(0)), violations_fn(gen_module.generate(0))      # warm caches and imports
    gen = aud = pla = 0.0
    setattr(gen_module, skeleton_name, timed)
    try:
        skeleton[0] = 0.0
        for seed in range(n_cohorts):
            t0 = time.process_time()
            tables = gen_module.generate(seed)
            t1 = time.process_time()
            audit_fn(tables)
            t2 = time.process_time()
            violations_fn(tables)
            t3 = time.process_time()
            gen, aud, pla = gen + t1 - t0, aud + t2 - t1, pla + t3 - t2
    finally:
        setattr(gen_module, skeleton_name, inner)
    ms = 1000.0 / n_cohorts
    return {"skeleton_ms": skeleton[0] * ms, "rest_of_generation_ms": (gen - skeleton[0]) * ms,
            "audit_ms": aud * ms, "plausibility_ms": pla * ms, "total_ms": (gen + aud + pla) * ms}


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("n", nargs="?", type=int, default=1000, help="cohorts (seeds 0..N-1); default 1000")
    ap.add_argument("--workers", type=int, default=2, help="worker processes; default 2")
    ap.add_argument("--split-cohorts", type=int, default=100,
                    help="cohorts for the single-process CPU split (0 = skip); default 100")
    args = ap.parse_args(argv)
    m = measure(args.n, args.workers)
    rows = [
        ("cohorts generated (N)", f"{m['n_cohorts']}"),
        ("worker processes", f"{m['workers']}"),
        ("distinct cohorts", f"{m['distinct']}/{m['n_cohorts']}"),
        ("every fact matches (audit)", f"{m['passing_audit']}/{m['n_cohorts']}"),
        ("plausibility rules pass", f"{m['passing_plausibility']}/{m['n_cohorts']}"),
        ("wall time (generate + audit + plausibility)", f"{m['wall_s']:.2f} s"),
        ("CPU time, all workers", f"{m['cpu_s']:.2f} s"),
        ("wall ms per cohort", f"{m['ms_per_cohort']:.1f}"),
    ]
    if args.split_cohorts:
        labels = [("skeleton_ms", "  skeleton sampling"), ("rest_of_generation_ms", "  rest of generation"),
                  ("audit_ms", "  audit"), ("plausibility_ms", "  plausibility"), ("total_ms", "  total")]
        best = split(args.split_cohorts)
        rows.append((f"single process, CPU ms per cohort ({args.split_cohorts} cohorts):", ""))
        rows += [(label, f"{best[f]:.1f}") for f, label in labels]
        rows.append(("  1,000 cohorts on 2 cores at this CPU cost", f"{best['total_ms'] / 2:.1f} s"))
    width = max(len(k) for k, _ in rows)
    for k, v in rows:
        print(f"{k:<{width}}  {v:>10}")
    n = m["n_cohorts"]
    if m["passing_audit"] < n or m["passing_plausibility"] < n or m["distinct"] < n:
        sys.exit(1)


if __name__ == "__main__":
    main()
