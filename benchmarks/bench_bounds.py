"""Benchmark: KM-GRIM and the exact bounds, as notebook 06 runs them (fresh process, empty caches).

    .venv/bin/python benchmarks/bench_bounds.py

Target (issue 10): KM-GRIM and the bounds run inside notebook 06 in at most 5 s on a 2-core machine,
deterministically. Prints wall-clock and CPU seconds per step (CPU time is what the machine's load does
not inflate), and a fingerprint of the results so two runs can be compared.
"""
from __future__ import annotations

import hashlib
import time

from helpers.engine import bounds as B
from helpers.engine.kmgrim import km_grim


def main() -> None:
    rows, parts = [], []
    total_wall, total_cpu = 0.0, 0.0

    def step(name, fn):
        nonlocal total_wall, total_cpu
        w0, c0 = time.perf_counter(), time.process_time()
        out = fn()
        w, c = time.perf_counter() - w0, time.process_time() - c0
        total_wall += w
        total_cpu += c
        rows.append((name, w, c))
        parts.append(out.to_csv(index=False))

    sf = B.survival_facts()
    step("KM-GRIM lists (4 figures)", lambda: __import__("pandas").concat(
        [km_grim(sf.os_6m, sf.n), km_grim(sf.rfs_6m, sf.n_crc), km_grim(sf.nohsct_os_6m, sf.n_nohsct),
         km_grim(sf.hsct_os_6m, sf.n_hsct, sf.decimals[2])]))
    step("exact bounds + 26 witnesses (default)", lambda: B.exact_bounds())
    step("interpretation x bound table", lambda: B.interpretation_table())
    print(f"{'step':42s} {'wall s':>8s} {'CPU s':>8s}")
    for name, w, c in rows:
        print(f"{name:42s} {w:8.2f} {c:8.2f}")
    print(f"{'total':42s} {total_wall:8.2f} {total_cpu:8.2f}")
    print("fingerprint", hashlib.sha256("".join(parts).encode()).hexdigest()[:16])


if __name__ == "__main__":
    main()
