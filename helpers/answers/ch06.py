"""Exercises of 06_abstract_audit: what the printed figures prove (GRIM, KM-GRIM, exact bounds)."""
from __future__ import annotations

from helpers.engine.bounds import Interpretation, exact_bounds
from helpers.engine.facts import fact_value, load_facts
from helpers.engine.kmgrim import km_grim_sequences
from helpers.exercises import Exercise


# 06.2 asks about a hypothetical report on an EVEN number of patients (not the trial's 27) with the
# abstract's printed median (3.3) and shortest follow-up (0.4 months): how many could be followed >= 6 and
# >= 12 months?
HYPOTHETICAL_N_EVEN = 28
FOLLOWED_BEYOND_MONTHS = (6, 12)


def even_n_most_followed_beyond(n: int, median_hi: float, shortest_lo: float,
                                thresholds_months: tuple[float, ...]) -> list[int]:
    """Most patients (of an even ``n``) whose follow-up can reach each threshold (months), when the median
    (the mean of the (n/2)-th and (n/2 + 1)-th sorted times) is below ``median_hi`` and every time is at
    least ``shortest_lo``. The (n/2 + 1)-th time is below 2·median_hi − (n/2)-th time ≤ 2·median_hi −
    shortest_lo; the n/2 − 1 times above it are unrestricted."""
    if n % 2 or n < 2:
        raise ValueError(f"n={n!r} is not accepted; accepted: an even number of patients >= 2")
    top = 2 * median_hi - shortest_lo
    return [n // 2 if t < top else n // 2 - 1 for t in thresholds_months]


def _even_n_followed_beyond() -> list[int]:
    facts = load_facts()
    half_unit = {f: 0.5 * 10.0 ** -int(facts.loc[facts["fact_id"] == f, "decimals"].iloc[0])
                 for f in ("followup_median", "followup_min")}
    return even_n_most_followed_beyond(HYPOTHETICAL_N_EVEN,
                                       fact_value(facts, "followup_median") + half_unit["followup_median"],
                                       fact_value(facts, "followup_min") - half_unit["followup_min"],
                                       FOLLOWED_BEYOND_MONTHS)


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
        expected=_even_n_followed_beyond,
        hint="With 28 times the median is the mean of the 14th and 15th. It is < 3.35 and the 14th is at least "
             "0.35 (the shortest, 0.4 rounded), so the 15th is < 2 × 3.35 − 0.35. Which thresholds can the 15th "
             "reach? The 16th to 28th are free.",
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
