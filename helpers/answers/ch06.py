"""Exercises of 06_abstract_audit: checking the abstract against itself and against the data."""
from __future__ import annotations

from helpers.engine.consistency import denominator_drift, followup_bound
from helpers.engine.facts import fact_value, grim_numerators, load_facts
from helpers.exercises import Exercise
from helpers.engine.tables import load_table


def _grim_adverse() -> list[int]:
    facts = load_facts()
    return grim_numerators(fact_value(facts, "eln_adverse_pct"), 27, 1)


def _os_ge_6m() -> int:
    return followup_bound(load_facts(), load_table("adtte"))["os_time_ge"]


def _min_below_upper_median() -> int:
    b = followup_bound(load_facts())
    return b["n"] - b["max_beyond_median"]


def _best_response_crc() -> int:
    from helpers.engine.derive import CRC_CATEGORIES
    adrs = load_table("adrs")
    resp = adrs[(adrs["PARAMCD"] == "OVRLRESP") & adrs["AVALC"].isin(CRC_CATEGORIES)]
    return int(resp["USUBJID"].nunique())


def _missing_from_hsct_comparison() -> int:
    drift = denominator_drift(load_facts())
    return int(-drift.loc[drift["sentence"].str.startswith("HSCT vs"), "difference"].iloc[0])


EXERCISES: dict[str, Exercise] = {
    "06.1": Exercise(
        expected=_grim_adverse,
        hint="grim_numerators(percent, denominator, decimals) with the printed ELN-adverse value, n = 27 "
             "and 1 decimal; the answer is a list of counts.",
    ),
    "06.2": Exercise(
        expected=_min_below_upper_median,
        hint="3.3 printed at 1 decimal means the true median is < 3.35. With 27 times sorted, the median "
             "is the 14th: how many times are at most the median?",
    ),
    "06.3": Exercise(
        expected=_os_ge_6m,
        hint="OS rows of adtte: AVAL is in days; convert with days_to_months and count times >= 6.",
    ),
    "06.4": Exercise(
        expected=_missing_from_hsct_comparison,
        hint="CRc count after cycle 1 minus (HSCT group + no-HSCT group).",
    ),
    "06.5": Exercise(
        expected=_best_response_crc,
        hint="adrs OVRLRESP rows with AVALC in CRC_CATEGORIES (CR, CRh, CRi) at either visit; count "
             "distinct patients.",
    ),
}
