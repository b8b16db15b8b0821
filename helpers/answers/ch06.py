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


# 06.1 asks about a hypothetical printed figure (not a reported one): a 12-month RFS of 62.5 %, 1 decimal.
HYPOTHETICAL_RFS_12M_PCT = 62.5


def _rfs_event_counts() -> list[int]:
    facts = load_facts()
    n = int(facts.loc[facts["fact_id"] == "crc_c1_pct", "numerator"].iloc[0])
    return sorted({sum(d for _, d in s) for s in km_grim_sequences(HYPOTHETICAL_RFS_12M_PCT, n, 1)})


def _os_single_step_max_at_risk() -> int:
    facts = load_facts()
    seqs = km_grim_sequences(fact_value(facts, "os_6m_pct"), int(fact_value(facts, "n_enrolled")), 1)
    return max(s[0][0] for s in seqs if len(s) == 1)


def _deaths_cutoff_max_reverse_km() -> int:
    b = exact_bounds(Interpretation(followup_method="reverse_km"), with_witnesses=False).set_index("quantity")
    return int(b.at["os_deaths_cutoff", "max"])


EXERCISES: dict[str, Exercise] = {
    "06.1": Exercise(
        expected=_rfs_event_counts,
        hint="km_grim_sequences(62.5, n, 1) lists the (at risk, events) steps; n is the 17 CRc "
             "patients. Add up the events of each sequence and give the distinct totals, sorted.",
    ),
    "06.2": Exercise(
        expected=_min_below_upper_median,
        hint="3.3 printed at 1 decimal means the true median is < 3.35. With 27 times sorted, the median "
             "is the 14th: how many times are at most the median?",
    ),
    "06.3": Exercise(
        expected=_os_single_step_max_at_risk,
        hint="Among km_grim_sequences(71.4, 27, 1) keep those with a single step (r, d): (r − d)/r must "
             "print as 71.4%. Give the largest r.",
    ),
    "06.4": Exercise(
        expected=_deaths_cutoff_max_reverse_km,
        hint="exact_bounds(Interpretation(followup_method='reverse_km'), with_witnesses=False) and read the "
             "maximum of os_deaths_cutoff.",
    ),
}
