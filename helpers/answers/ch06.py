"""Exercises of 06_abstract_audit: what the printed figures prove (GRIM, KM-GRIM, exact bounds)."""
from __future__ import annotations

from helpers.engine.bounds import Interpretation, exact_bounds
from helpers.engine.consistency import followup_bound
from helpers.engine.facts import fact_value, load_facts
from helpers.engine.kmgrim import km_grim_sequences
from helpers.exercises import Exercise


def _min_below_upper_median() -> int:
    b = followup_bound(load_facts())
    return b["n"] - b["max_beyond_median"]


def _rfs_event_counts() -> list[int]:
    facts = load_facts()
    n = int(facts.loc[facts["fact_id"] == "crc_c1_pct", "numerator"].iloc[0])
    return sorted({sum(d for _, d in s) for s in km_grim_sequences(fact_value(facts, "rfs_6m_pct"), n, 1)})


def _nohsct_single_step_at_risk() -> int:
    facts = load_facts()
    seqs = km_grim_sequences(fact_value(facts, "nohsct_os_6m_pct"), int(fact_value(facts, "nohsct_group_n")), 1)
    return min(r for s in seqs if len(s) == 1 and s[0][1] == 1 for r, _ in s)


def _deaths_min_not_assumed() -> int:
    b = exact_bounds(Interpretation(early_death="not_assumed"), with_witnesses=False).set_index("quantity")
    return int(b.at["os_deaths_6m", "min"])


EXERCISES: dict[str, Exercise] = {
    "06.1": Exercise(
        expected=_rfs_event_counts,
        hint="km_grim_sequences(percent, n, decimals) lists the (at risk, events) steps; n is the 17 CRc "
             "patients. Add up the events of each sequence and give the distinct totals, sorted.",
    ),
    "06.2": Exercise(
        expected=_min_below_upper_median,
        hint="3.3 printed at 1 decimal means the true median is < 3.35. With 27 times sorted, the median "
             "is the 14th: how many times are at most the median?",
    ),
    "06.3": Exercise(
        expected=_nohsct_single_step_at_risk,
        hint="Among the KM-GRIM sequences of the no-HSCT group (66.7% of 10), find the one with a single "
             "step and a single death: 1 − 1/r must print as 66.7%.",
    ),
    "06.4": Exercise(
        expected=_deaths_min_not_assumed,
        hint="exact_bounds(Interpretation(early_death='not_assumed')) and read the minimum of "
             "os_deaths_6m.",
    ),
}
