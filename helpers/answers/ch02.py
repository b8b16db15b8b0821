"""Exercises of 02_cohort: every expected answer is computed from data/ and helpers.*."""
from __future__ import annotations

from helpers.cohort import TABLE1_ROWS
from helpers.eln import classify_cohort, classify_eln2022
from helpers.exercises import Exercise
from helpers.engine.facts import grim_numerators, load_facts
from helpers.engine.tables import load_table


def _smallest_n_above_27_for_intermediate_pct() -> int:
    """Smallest cohort size n > 27 for which some k/n prints as the reported intermediate %."""
    facts = load_facts()
    row = facts.loc[facts["fact_id"] == "eln_intermediate_pct"].iloc[0]
    n0 = len(load_table("adsl"))
    return next(n for n in range(n0 + 1, 1000) if grim_numerators(row["value"], n, int(row["decimals"])))


#: Exercise 02.2: five patients described by their lesions (karyotype labels as in ``helpers.eln``).
ELN_CASES: dict[str, dict] = {
    "a": dict(description="t(8;21) with loss of Y and del(9q) (three abnormalities) and a KIT mutation",
              cyto="t(8;21) + complex", genes=["KIT"], cebpa_bzip=False),
    "b": dict(description="NPM1 mutated, no FLT3-ITD, karyotype with monosomy 7",
              cyto="-7", genes=["NPM1"], cebpa_bzip=False),
    "c": dict(description="t(9;11) with two further unrelated abnormalities",
              cyto="t(9;11) + complex", genes=[], cebpa_bzip=False),
    "d": dict(description="normal karyotype, FLT3-ITD and a RUNX1 mutation",
              cyto="normal", genes=["FLT3-ITD", "RUNX1"], cebpa_bzip=False),
    "e": dict(description="inv(16) with a FLT3-ITD", cyto="inv(16)", genes=["FLT3-ITD"], cebpa_bzip=False),
}


def _eln_groups_of_the_cases() -> dict[str, str]:
    """ELN 2022 group of each case, by the hierarchical classifier (unit-tested rule by rule)."""
    return {k: classify_eln2022(c["cyto"], c["genes"], c["cebpa_bzip"]) for k, c in ELN_CASES.items()}


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
    "02.2": Exercise(expected=_eln_groups_of_the_cases,
                     hint="Apply the hierarchy in order: TP53; core-binding-factor AML stays favorable whatever "
                          "else it carries; 'complex' does not count next to t(9;11); adverse cytogenetics beat "
                          "NPM1; FLT3-ITD is intermediate only without adverse lesions. Answer a dict like "
                          "{'a': 'favorable', ...}."),
    "02.3": Exercise(expected=_changed_with_reported_genes_only,
                     hint="mutations[mutations['GENE'].isin(reported_genes)], classify_cohort, compare with "
                          "adsl['ELN2022'] (index USUBJID)."),
}
