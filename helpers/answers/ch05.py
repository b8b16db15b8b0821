"""Exercises of 05_toxicity: each expected answer is computed from data/."""
from __future__ import annotations

import pandas as pd

from helpers.exercises import Exercise
from helpers.engine.tables import load_all

_FN_OR_INFECTION = ("Febrile neutropenia", "Lung infection", "Sepsis")
_CYTOPENIAS = ("White blood cell decreased", "Neutrophil count decreased", "Platelet count decreased", "Anemia")


def _fn_or_infection_patients() -> int:
    ae = load_all()["adae"]
    return int(ae.loc[ae["AEDECOD"].isin(_FN_OR_INFECTION) & (ae["AETOXGR"] >= 3), "USUBJID"].nunique())


def _non_cytopenia_g3_pct() -> float:
    t = load_all()
    ae = t["adae"]
    k = ae.loc[~ae["AEDECOD"].isin(_CYTOPENIAS) & (ae["AETOXGR"] >= 3), "USUBJID"].nunique()
    return 100 * k / len(t["adsl"])


def _anc_over_28() -> int:
    return int((load_all()["adsl"]["ANCDUR"].dropna() > 28).sum())


def _median_if_missing_is_longest() -> float:
    anc = load_all()["adsl"]["ANCDUR"].dropna().astype(float)
    return float(pd.concat([anc, pd.Series([anc.max()])]).median())


EXERCISES: dict[str, Exercise] = {
    "05.1": Exercise(expected=_fn_or_infection_patients,
                     hint="Unique USUBJIDs with grade ≥3 febrile neutropenia, lung infection or sepsis."),
    "05.2": Exercise(expected=_non_cytopenia_g3_pct, decimals=1,
                     hint="Drop the four cytopenia terms, keep grade ≥3, count unique patients, divide by 27, × 100."),
    "05.3": Exercise(expected=_anc_over_28,
                     hint="Count the non-missing ANCDUR values greater than 28."),
    "05.4": Exercise(expected=_median_if_missing_is_longest,
                     hint="Append the maximum ANCDUR once to the 16 values and take the median of 17."),
}
