"""Exercises of 05_toxicity: each expected answer is computed from data/."""
from __future__ import annotations

from helpers.exercises import Exercise
from helpers.tables import load_all
from helpers.toxicity import ae_counts, duration_summary

_INFECTIONS = ("Lung infection", "Sepsis", "Febrile neutropenia")


def _infection_patients() -> int:
    t = load_all()
    ae = t["adae"]
    return int(ae.loc[ae["AEDECOD"].isin(_INFECTIONS) & (ae["AETOXGR"] >= 3), "USUBJID"].nunique())


def _skin_pct() -> float:
    t = load_all()
    counts = ae_counts(t["adae"], t["adsl"])
    return 100 * counts.loc["Skin hyperpigmentation", "Any grade"] / len(t["adsl"])


def _plt_median() -> float:
    return duration_summary(load_all()["adsl"]["PLTDUR"])["median"]


def _crc_no_recovery() -> str:
    t = load_all()
    from helpers.derive import crc_patients
    a = t["adsl"].set_index("USUBJID").loc[crc_patients(t["adrs"])]
    return str(a.index[a["ANCDUR"].isna()][0])


EXERCISES: dict[str, Exercise] = {
    "05.1": Exercise(expected=_infection_patients,
                     hint="Patients (unique USUBJID) with grade ≥3 febrile neutropenia, lung infection or sepsis."),
    "05.2": Exercise(expected=_skin_pct, abs_tol=0.05, rel_tol=0,
                     hint="ae_counts(adae, adsl).loc['Skin hyperpigmentation', 'Any grade'] / 27 × 100."),
    "05.3": Exercise(expected=_plt_median,
                     hint="duration_summary(adsl['PLTDUR'])['median'] (missing values are dropped)."),
    "05.4": Exercise(expected=_crc_no_recovery,
                     hint="Among crc_patients(adrs), the one whose ANCDUR is missing (a USUBJID string)."),
}
