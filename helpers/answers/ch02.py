"""Exercises of 02_cohort: every expected answer is computed from data/ and helpers.*."""
from __future__ import annotations

from helpers.cohort import TABLE1_ROWS
from helpers.eln import classify_cohort
from helpers.exercises import Exercise
from helpers.engine.facts import grim_numerators, load_facts
from helpers.engine.tables import load_table


def _smallest_n_above_27_for_intermediate_pct() -> int:
    """Smallest cohort size n > 27 for which some k/n prints as the reported intermediate %."""
    facts = load_facts()
    row = facts.loc[facts["fact_id"] == "eln_intermediate_pct"].iloc[0]
    n0 = len(load_table("adsl"))
    return next(n for n in range(n0 + 1, 1000) if grim_numerators(row["value"], n, int(row["decimals"])))


def _median_age_inside_eligibility() -> float:
    """Median age (years) of patients whose age lies within the eligibility range."""
    adsl = load_table("adsl")
    p = load_table("protocol").set_index("PARAM")["VALUE"]
    lo, hi = float(p["ELIGAGEMIN"]), float(p["ELIGAGEMAX"])
    return float(adsl.loc[adsl["AGE"].between(lo, hi), "AGE"].median())


def _changed_with_reported_genes_only() -> int:
    """Patients whose ELN 2022 group changes when only the abstract's five genes are kept."""
    adsl = load_table("adsl")
    mutations = load_table("mutations")
    reported = [row[3] for row in TABLE1_ROWS if row[0] == "Mutations"]
    re = classify_cohort(adsl, mutations[mutations["GENE"].isin(reported)])
    eln = adsl.set_index("USUBJID")["ELN2022"].loc[re.index]
    return int((re != eln).sum())


EXERCISES: dict[str, Exercise] = {
    "02.1": Exercise(expected=_smallest_n_above_27_for_intermediate_pct,
                     hint="Loop n = 28, 29, …; grim_numerators(29.6, n, 1) is an empty list when no k works."),
    "02.2": Exercise(expected=_median_age_inside_eligibility,
                     hint="adsl['AGE'].between(elig_min, elig_max) selects the eligible ages; take the median."),
    "02.3": Exercise(expected=_changed_with_reported_genes_only,
                     hint="mutations[mutations['GENE'].isin(reported_genes)], classify_cohort, compare with "
                          "adsl['ELN2022'] (index USUBJID)."),
}
