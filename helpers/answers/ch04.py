"""Exercises of 04_survival_hsct: censoring, follow-up, landmark analysis, 9-month RFS."""
from __future__ import annotations

from helpers.engine.derive import DAYS_PER_MONTH, km_at
from helpers.exercises import Exercise
from helpers.survival import hsct_frame, landmark_split, reverse_km_median
from helpers.engine.tables import load_all


def _nohsct_rfs_events_6m() -> int:
    """RFS events (relapse or death, CNSR == 0) of the NO HSCT group up to 6.0 months."""
    tables = load_all()
    ids = tables["adsl"].loc[tables["adsl"]["HSCTGRP"] == "NO HSCT", "USUBJID"]
    rfs = tables["adtte"][(tables["adtte"]["PARAMCD"] == "RFS") & tables["adtte"]["USUBJID"].isin(ids)]
    return int(((rfs["CNSR"].astype(int) == 0) & (rfs["AVAL"].astype(float) <= 6.0 * DAYS_PER_MONTH)).sum())


def _reverse_km_followup_rfs_months() -> float:
    """Reverse-KM median follow-up of RFS (the 17 CRc patients), in months."""
    adtte = load_all()["adtte"]
    rfs = adtte[adtte["PARAMCD"] == "RFS"]
    return reverse_km_median(rfs["AVAL"], rfs["CNSR"]) / DAYS_PER_MONTH


def _excluded_at_60_days() -> int:
    tables = load_all()
    _, excluded = landmark_split(hsct_frame(tables["adsl"], tables["adtte"], "OS"), 60)
    return len(excluded)


def _rfs_9m_pct() -> float:
    """KM relapse-free survival at 9.0 months from CRc (%), our synthetic cohort."""
    adtte = load_all()["adtte"]
    rfs = adtte[adtte["PARAMCD"] == "RFS"]
    return 100.0 * km_at(rfs["AVAL"].astype(float), 1 - rfs["CNSR"].astype(int), 9.0 * DAYS_PER_MONTH)


EXERCISES: dict[str, Exercise] = {
    "04.1": Exercise(
        expected=_nohsct_rfs_events_6m,
        hint="Take the USUBJIDs with HSCTGRP == 'NO HSCT', keep their RFS rows in adtte, and count the rows with "
             "CNSR == 0 and AVAL (days) <= 6 × 30.4375; censored rows are not events.",
    ),
    "04.2": Exercise(
        expected=_reverse_km_followup_rfs_months,
        hint="Keep PARAMCD == 'RFS'. Swap the roles: fit KaplanMeierFitter on AVAL with event_observed = CNSR "
             "(censoring is the 'event'), take median_survival_time_, divide by 30.4375.",
        decimals=1,
    ),
    "04.3": Exercise(
        expected=_excluded_at_60_days,
        hint="landmark_split(hsct_frame(adsl, adtte, 'OS'), 60) returns (analysed, excluded); count the excluded rows.",
    ),
    "04.4": Exercise(
        expected=_rfs_9m_pct,
        hint="The RFS rows of adtte (PARAMCD == 'RFS'): km_at(times, events, 9 * DAYS_PER_MONTH) with "
             "events = 1 − CNSR, times in days; multiply by 100.",
        decimals=1,
    ),
}
