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


def _prior_plus_lipomit_pct_of_label() -> float:
    """Cumulative mitoxantrone (%) of the label's 140 mg/m² after a conventional induction
    (12 mg/m² × 3 days) plus MAXCYCLES cycles of Lipo-MIT counted as conventional mg/m²."""
    r = load_table("regimen").set_index("DRUGKEY").loc["lipomit"]
    per_cycle = dosing.to_mg(r["DOSE"], r["UNIT"]) * (int(r["LASTDAY"]) - int(r["FIRSTDAY"]) + 1)
    prior = dosing.CONV_MITOX_INDUCTION_MG_M2 * dosing.CONV_MITOX_INDUCTION_DAYS
    total = prior + per_cycle * int(r["MAXCYCLES"])
    return 100 * total / dosing.MITOX_LABEL_CUMULATIVE_LIMIT_MG_M2


EXERCISES: dict[str, Exercise] = {
    "01.1": Exercise(expected=_cytarabine_grams_per_cycle, rel_tol=1e-3,
                     hint="bsa(170, 70) gives m²; 1 g/m² is 1000 mg/m²; multiply by the number of days "
                          "FIRSTDAY..LASTDAY (inclusive), then divide by 1000 for grams."),
    "01.2": Exercise(expected=_largest_lipomit_gap_mg, decimals=1,
                     hint="formula_dose_spread(adsl, regimen): keep DRUGKEY 'lipomit', take max minus min "
                          "across the four formula columns per patient, then the largest (mg, 1 decimal is enough)."),
    "01.3": Exercise(expected=_prior_plus_lipomit_pct_of_label, rel_tol=1e-3,
                     hint="Prior = 12 × 3 mg/m²; add the Lipo-MIT dose per cycle × MAXCYCLES; divide by "
                          "MITOX_LABEL_CUMULATIVE_LIMIT_MG_M2 and multiply by 100."),
}
