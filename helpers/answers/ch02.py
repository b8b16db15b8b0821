"""Exercises of 02_cohort: every expected answer is computed from data/ and helpers.*."""
from __future__ import annotations

from helpers.eln import ADVERSE_CYTO, classify_cohort
from helpers.exercises import Exercise
from helpers.facts import load_facts, reported_count
from helpers.tables import load_table


def _intermediate_count() -> int:
    """The number of intermediate-risk patients implied by the printed 29.6% of 27."""
    return reported_count(load_facts(), "eln_intermediate_pct", denominator=27)


def _n_outside_eligibility() -> int:
    """Patients whose age is outside the protocol's eligibility range."""
    adsl = load_table("adsl")
    p = load_table("protocol").set_index("PARAM")["VALUE"]
    lo, hi = float(p["ELIGAGEMIN"]), float(p["ELIGAGEMAX"])
    return int(((adsl["AGE"] < lo) | (adsl["AGE"] > hi)).sum())


def _adverse_by_genes_only() -> int:
    """Patients classified ADVERSE although their karyotype is not an adverse one."""
    adsl = load_table("adsl")
    eln = classify_cohort(adsl, load_table("mutations"))
    cyto = adsl.set_index("USUBJID")["CYTO"]
    return int(((eln == "ADVERSE") & ~cyto.loc[eln.index].isin(ADVERSE_CYTO)).sum())


EXERCISES: dict[str, Exercise] = {
    "02.1": Exercise(expected=_intermediate_count,
                     hint="grim_numerators(29.6, 27, 1) lists every k with k/27 printing as 29.6%."),
    "02.2": Exercise(expected=_n_outside_eligibility,
                     hint="Read ELIGAGEMIN and ELIGAGEMAX from the protocol table; count AGE outside."),
    "02.3": Exercise(expected=_adverse_by_genes_only,
                     hint="classify_cohort(adsl, mutations) == 'ADVERSE' and CYTO not in ADVERSE_CYTO."),
}
