"""Fingerprints of generated cohorts: one SHA-256 per table per seed, of the exact CSV bytes
:func:`helpers.engine.generator.write_tables` would write, plus the table's dtypes.

Recorded once with the generator as it was before the speed work (issue 16) into
``tests/fixtures/generator_fingerprints.json``; ``tests/test_generator_fingerprints.py`` checks that
the current generator reproduces every byte. Re-record (only when a change of the cohorts is
intended, never to make the test pass) with::

    .venv/bin/python tests/generator_fingerprint.py --seeds 500 --out tests/fixtures/generator_fingerprints.json

(the five far seeds of the test, recorded the same way, are then to be added again.)
"""
from __future__ import annotations

import argparse
import hashlib
import json
from multiprocessing import Pool
from pathlib import Path

import pandas as pd

FIXTURE = Path(__file__).parent / "fixtures" / "generator_fingerprints.json"


def table_fingerprint(df: pd.DataFrame) -> str:
    """SHA-256 of the CSV bytes (as write_tables writes them) and of the column dtypes."""
    h = hashlib.sha256(df.to_csv(index=False, lineterminator="\n").encode("utf-8"))
    h.update(("\n" + ",".join(f"{c}:{t}" for c, t in df.dtypes.astype(str).items())).encode())
    return h.hexdigest()


def cohort_fingerprint(seed: int) -> dict[str, str]:
    from helpers.engine.generator import generate

    return {name: table_fingerprint(df) for name, df in generate(seed).items()}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seeds", type=int, default=500, help="record seeds 0..N-1")
    ap.add_argument("--out", default=str(FIXTURE))
    args = ap.parse_args()
    with Pool(2) as pool:
        prints = pool.map(cohort_fingerprint, range(args.seeds), chunksize=10)
    Path(args.out).write_text(json.dumps({str(s): p for s, p in enumerate(prints)}, indent=0, sort_keys=True) + "\n")
    print(f"wrote {args.out}: {args.seeds} seeds")


if __name__ == "__main__":
    main()
