"""The faster exact-bounds and KM-GRIM code (issue 16) reproduces, exactly, what the code before it printed.

``tests/fixtures/bounds_outputs.json`` was written by ``tests/fixtures/record_bounds_outputs.py`` with the
code of commit 773779b (before the speed work), so every expected value here is the *old* code's output, not
the output of the code under test: the bounds table of every interpretation (with and without witnesses),
every witness cohort (in full for the default reading, with its check table; a SHA-256 of its CSV for the
others), the size and a SHA-256 of every OS and RFS configuration table, the interpretation tables of
notebook 06 (and with the slow reading), and KM-GRIM over a grid of printed percentages, group sizes,
decimals and patients left at risk.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent / "fixtures"))
import record_bounds_outputs as R  # noqa: E402

from helpers.engine import bounds as B  # noqa: E402

OLD = json.loads((Path(__file__).resolve().parent / "fixtures" / "bounds_outputs.json").read_text())
INTERPS = dict(R.interpretations())
FAST = [k for k in INTERPS if k != "rfs_population = crc_any"]


def test_fixture_covers_every_interpretation():
    assert sorted(OLD["interpretations"]) == sorted(INTERPS)


@pytest.mark.parametrize("label", FAST + [pytest.param("rfs_population = crc_any", marks=pytest.mark.slow)])
def test_bounds_configurations_and_witnesses_unchanged(label):
    interp, old = INTERPS[label], OLD["interpretations"][label]
    assert B.exact_bounds(interp, with_witnesses=False).to_csv(index=False) == old["exact_bounds_no_witness"]
    assert B.exact_bounds(interp).to_csv(index=False) == old["exact_bounds"]
    osc, rfc = B.os_configurations(interp), B.rfs_configurations(interp)
    assert [len(osc), R.sha(osc.to_csv(index=False))] == old["os_configurations"]
    assert [len(rfc), R.sha(rfc.to_csv(index=False))] == old["rfs_configurations"]
    for q in B.QUANTITIES:
        for side in ("min", "max"):
            text = R.witness_text(q, side, interp)
            want = old["witnesses"][f"{q} {side}"]
            if "csv" in want:
                assert text == want["csv"], (q, side)
                got = B.check_witness(B.witness_cohort(q, side, interp), interp).to_csv(index=False)
                assert got == want["check_witness"], (q, side)
            assert R.sha(text) == want["sha"], (q, side)


def test_interpretation_tables_unchanged():
    assert B.interpretation_table().to_csv(index=False) == OLD["interpretation_table_all"]
    six = ["os_deaths_6m", "os_at_risk_6m", "rfs_at_risk_6m", "rfs_events_6m", "nohsct_deaths_6m", "os_12m_pct"]
    assert B.interpretation_table(six).to_csv(index=False) == OLD["interpretation_table_06"]


@pytest.mark.slow
def test_interpretation_table_with_the_slow_reading_unchanged():
    assert B.interpretation_table(include_slow=True).to_csv(index=False) == OLD["interpretation_table_all_slow"]


def _cheap(key: str) -> bool:
    """Grid entries that enumerate quickly: groups of up to 13, or percentages of 70 or more (low percentages
    of 17–27 patients take up to seconds each; the code they run is the same)."""
    parts = key.split()
    if parts[0] == "km_grim":
        return True
    pct, n = float(parts[1]), int(parts[2])
    return n <= 13 or pct >= 70


def test_kmgrim_unchanged():
    R.KM_FILTER = _cheap
    try:
        got = R.kmgrim_records()
    finally:
        R.KM_FILTER = None
    want = {k: v for k, v in OLD["kmgrim"].items() if _cheap(k)}
    assert len(want) > 500 and got == want
