"""Exercises of 01_regimen_and_dosing: every expected answer is computed from data/regimen.csv,
data/adsl.csv and the named constants of helpers.dosing."""
from __future__ import annotations

from helpers import dosing
from helpers.exercises import Exercise
from helpers.engine.tables import load_table


def _cytarabine_grams_per_cycle() -> float:
    """Total cytarabine (g) in one cycle for a 170 cm, 70 kg patient, Mosteller BSA."""
    r = load_table("regimen").set_index("DRUGKEY").loc["cytarabine"]
    b = dosing.bsa(170, 70, "Mosteller")
    days = int(r["LASTDAY"]) - int(r["FIRSTDAY"]) + 1
    return dosing.dose_mg("cytarabine", r["DOSE"], r["UNIT"], b) * days / 1000


def _largest_lipomit_gap_mg() -> float:
    """Largest per-cycle Lipo-MIT difference (mg) between any two BSA formulas, over the cohort."""
    spread = dosing.formula_dose_spread(load_table("adsl"), load_table("regimen"))
    lipo = spread[spread["DRUGKEY"] == "lipomit"][list(dosing.BSA_FORMULAS)]
    return float((lipo.max(axis=1) - lipo.min(axis=1)).max())


def first_induction_and_salvage_courses():
    """Exercise 01.3's history: a 7+3 first induction with daunorubicin 60 mg/m² on days 1–3, then the
    maximum number of Lipo-MIT cycles of this regimen, counted (worst case) as conventional mitoxantrone."""
    import pandas as pd

    r = load_table("regimen").set_index("DRUGKEY").loc["lipomit"]
    per_cycle_days = int(r["LASTDAY"]) - int(r["FIRSTDAY"]) + 1
    return pd.DataFrame({"DRUG": ["daunorubicin", "mitoxantrone"],
                         "DOSE_MG_M2": [dosing.DAUNORUBICIN_7_3_MG_M2, dosing.to_mg(r["DOSE"], r["UNIT"])],
                         "DAYS": [dosing.INDUCTION_ANTHRACYCLINE_DAYS, per_cycle_days * int(r["MAXCYCLES"])]})


def _total_doxorubicin_equivalent() -> float:
    """Total doxorubicin-equivalent (mg/m²) of exercise 01.3's history, Feijen 2019 point ratios."""
    t = dosing.prior_exposure(first_induction_and_salvage_courses()).set_index("DRUG")
    return float(t.loc["TOTAL", "DOXEQ_MG_M2"])


EXERCISES: dict[str, Exercise] = {
    "01.1": Exercise(expected=_cytarabine_grams_per_cycle, rel_tol=1e-3,
                     hint="bsa(170, 70) gives m²; the cytarabine row's DOSE and UNIT give the amount per m² per day "
                          "(dosing.dose_mg turns them into mg for a BSA); multiply by the number of days "
                          "FIRSTDAY..LASTDAY (inclusive); check the unit of your result: 1 g = 1000 mg."),
    "01.2": Exercise(expected=_largest_lipomit_gap_mg, decimals=1,
                     hint="formula_dose_spread(adsl, regimen): keep DRUGKEY 'lipomit', take max minus min "
                          "across the four formula columns per patient, then the largest (mg, 1 decimal is enough)."),
    "01.3": Exercise(expected=_total_doxorubicin_equivalent, rel_tol=0, abs_tol=0.5,
                     hint="Daunorubicin 60 × 3 mg/m² × 0.6, plus Lipo-MIT 18 mg/m² × MAXCYCLES counted as "
                          "mitoxantrone × 10.5 (dosing.DOX_EQ_RATIOS); or build the courses table and call "
                          "dosing.prior_exposure. Whole mg/m² is enough."),
}
