"""Unit tests for helpers.engine.ensemble (the cohorts the abstract cannot tell apart)."""
from __future__ import annotations

import pandas as pd
import pytest

from helpers.engine.ensemble import REPORTED_COLUMNS, UNREPORTED_COLUMNS, ensemble_summary, summarise_spread
from helpers.engine.facts import fact_value, load_facts, round_half_up

FACT_FOR = {"os_6m_pct": "os_6m_pct", "rfs_6m_pct": "rfs_6m_pct", "hsct_os_6m_pct": "hsct_os_6m_pct",
            "nohsct_os_6m_pct": "nohsct_os_6m_pct", "hsct_rfs_6m_pct": "hsct_rfs_6m_pct",
            "nohsct_rfs_6m_pct": "nohsct_rfs_6m_pct", "followup_median": "followup_median"}


@pytest.fixture(scope="module")
def small():
    return ensemble_summary(range(4))


def test_one_row_per_seed_and_columns(small):
    assert list(small["seed"]) == [0, 1, 2, 3]
    assert set(REPORTED_COLUMNS + UNREPORTED_COLUMNS) <= set(small.columns)


def test_reported_values_identical_in_every_cohort(small):
    facts = load_facts().set_index("fact_id")
    for col, fid in FACT_FOR.items():
        rounded = small[col].map(lambda v: round_half_up(v, int(facts.loc[fid, "decimals"])))
        assert (rounded == fact_value(load_facts(), fid)).all(), col


def test_deterministic(small):
    pd.testing.assert_frame_equal(ensemble_summary([2, 3]).reset_index(drop=True),
                                  small.iloc[2:].reset_index(drop=True))


@pytest.mark.parametrize("seeds, match", [([], r"seeds is empty"), ([1, -1], r"seed=-1"),
                                          ([1.5], r"seed=1.5"), ([True], r"seed=True")])
def test_bad_seeds(seeds, match):
    with pytest.raises(ValueError, match=match):
        ensemble_summary(seeds)


def test_summarise_spread(small):
    s = summarise_spread(small)
    assert "seed" not in s.index and {"n", "n_missing", "min", "p05", "median", "p95", "max"} <= set(s.columns)
    assert (s["n"] == 4).all()
    assert (s.loc["os_median", "n_missing"]) == small["os_median"].isna().sum()


def test_summarise_spread_bad_input(small):
    with pytest.raises(ValueError, match=r"non-empty DataFrame"):
        summarise_spread(pd.DataFrame())
    with pytest.raises(ValueError, match=r"columns \['nope'\] not in df"):
        summarise_spread(small, ["nope"])


def test_hrs_coincide_when_every_transplant_precedes_first_death(small):
    """If no death happens before the last transplant, naive and time-varying Cox see the same covariates."""
    same = small[small["tx_before_first_death"]]
    assert ((same["hr_naive"] - same["hr_tv"]).abs() < 1e-9).all()


def test_at_risk_6m_uses_time_at_least_six_months(small):
    from helpers.engine.derive import DAYS_PER_MONTH
    from helpers.engine.generator import generate
    adtte = generate(0)["adtte"]
    t = adtte.loc[adtte["PARAMCD"] == "OS", "AVAL"].astype(float)
    assert small.loc[small["seed"] == 0, "at_risk_6m"].iloc[0] == int((t >= 6.0 * DAYS_PER_MONTH).sum())
