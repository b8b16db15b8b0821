"""Examples from one generator's family: the same printed figures, many synthetic cohorts.

:func:`helpers.engine.generator.generate` builds a synthetic cohort for any seed, and every such cohort
reproduces every figure the abstract prints. Quantities the abstract did *not* print (12-month OS,
median OS, reverse-KM follow-up, hazard ratios for HSCT) vary from cohort to cohort. This module shows
how they vary **across this generator's cohorts** — an illustration (provenance: synthetic). The
generator hard-wires one solution to several constraints, so its ranges are not bounds and its
percentiles describe the generator, not the trial; what the abstract itself allows is proved by
:mod:`helpers.engine.bounds`.

API (also used by notebook 06, the audit)::

    from helpers.engine.ensemble import ensemble_summary, summarise_spread, REPORTED_COLUMNS

    df = ensemble_summary(range(100))   # one row per seed, ~20-40 ms per seed
    summarise_spread(df)                # one row per quantity: n, min, 5%, median, 95%, max, share NaN

Columns of :func:`ensemble_summary` (times in months, survival in %):

* ``seed``
* reported (identical in every cohort by construction): ``os_6m_pct``, ``rfs_6m_pct``,
  ``hsct_os_6m_pct``, ``nohsct_os_6m_pct``, ``hsct_rfs_6m_pct``, ``nohsct_rfs_6m_pct``,
  ``followup_median`` (median of observation times);
* not reported: ``os_12m_pct`` (KM at 12.0 months, all patients), ``os_median`` (KM median, NaN
  if not reached), ``os_median_reached`` (bool), ``followup_reverse_km`` (Schemper & Smith median
  follow-up), ``at_risk_6m`` (OS, patients at risk at 6.0 months, i.e. OS time ≥ 6.0 months),
  ``tx_before_first_death`` (bool: every transplant of the HSCT group happened before the first
  death among the 16 patients of the comparison — then ``hr_naive`` equals ``hr_tv``), ``hr_naive`` (Cox HR
  for OS, HSCT group vs no-HSCT group fixed at time 0, the abstract's 16 patients), ``hr_tv``
  (same patients, HSCT as a time-varying covariate switching at HSCTDT).

Both HRs use :func:`helpers.survival.cox_binary` (Efron ties) with a ridge penalizer
``PENALIZER`` = 0.1 on the log-HR, so a cohort in which one group has no deaths gives a large but
finite HR instead of a diverging fit.
"""
from __future__ import annotations

from typing import Iterable

import numpy as np
import pandas as pd

from helpers import validate as guard
from helpers.engine.derive import DAYS_PER_MONTH, km_at, survival_at_months
from helpers.engine.generator import generate
from helpers.survival import (cox_binary, followup_median_observed, hsct_frame, km_median,
                              reverse_km_median, to_long_format)

__all__ = ["ensemble_summary", "summarise_spread", "cohort_quantities", "REPORTED_COLUMNS",
           "UNREPORTED_COLUMNS", "PENALIZER"]

PENALIZER = 0.1
REPORTED_COLUMNS = ["os_6m_pct", "rfs_6m_pct", "hsct_os_6m_pct", "nohsct_os_6m_pct",
                    "hsct_rfs_6m_pct", "nohsct_rfs_6m_pct", "followup_median"]
UNREPORTED_COLUMNS = ["os_12m_pct", "os_median", "os_median_reached", "followup_reverse_km",
                      "at_risk_6m", "tx_before_first_death", "hr_naive", "hr_tv"]


def cohort_quantities(tables: dict[str, pd.DataFrame]) -> dict[str, float]:
    """Reported and unreported survival quantities of one cohort (see module docstring)."""
    guard.check_tables("tables", tables, {"adsl": ["USUBJID", "HSCTGRP", "HSCTDT"],
                                      "adtte": ["USUBJID", "PARAMCD", "STARTDT", "AVAL", "CNSR"]})
    adsl, adtte = tables["adsl"], tables["adtte"]
    os_rows = adtte[adtte["PARAMCD"] == "OS"]
    t = os_rows["AVAL"].astype(float).to_numpy()
    c = os_rows["CNSR"].astype(int).to_numpy()
    out: dict[str, float] = {"os_6m_pct": survival_at_months(adtte, "OS"),
                             "rfs_6m_pct": survival_at_months(adtte, "RFS")}
    for grp, slug in (("HSCT", "hsct"), ("NO HSCT", "nohsct")):
        ids = adsl.loc[adsl["HSCTGRP"] == grp, "USUBJID"]
        out[f"{slug}_os_6m_pct"] = survival_at_months(adtte, "OS", usubjids=ids)
        out[f"{slug}_rfs_6m_pct"] = survival_at_months(adtte, "RFS", usubjids=ids)
    out["followup_median"] = followup_median_observed(t) / DAYS_PER_MONTH
    out["os_12m_pct"] = 100.0 * km_at(t, 1 - c, 12.0 * DAYS_PER_MONTH)
    out["os_median"] = km_median(t, c) / DAYS_PER_MONTH
    out["os_median_reached"] = bool(np.isfinite(out["os_median"]))
    out["followup_reverse_km"] = reverse_km_median(t, c) / DAYS_PER_MONTH
    out["at_risk_6m"] = int((t >= 6.0 * DAYS_PER_MONTH).sum())
    h = hsct_frame(adsl, adtte, "OS")
    death_times = h.loc[h["event"] == 1, "time"]
    first_death = float(death_times.min()) if len(death_times) else np.inf
    out["tx_before_first_death"] = bool((h["hsct_day"].dropna() < first_death).all())
    x0 = (h["group"] == "HSCT").astype(int)
    out["hr_naive"] = cox_binary(np.zeros(len(h)), h["time"], h["event"], x0, penalizer=PENALIZER)["hr"]
    long = to_long_format(h)
    out["hr_tv"] = cox_binary(long["start"], long["stop"], long["event"], long["hsct"], penalizer=PENALIZER)["hr"]
    return out


def ensemble_summary(seeds: Iterable[int]) -> pd.DataFrame:
    """One row per seed: the cohort ``generate(seed)`` and its quantities (module docstring).

    Deterministic in ``seeds``. Raises ValueError for an empty ``seeds`` or a seed that is not a
    non-negative whole number.
    """
    seeds = guard.check_seeds("seeds", seeds)
    if not seeds:
        raise ValueError("seeds is empty; accepted: an iterable of non-negative whole numbers, e.g. range(100)")
    rows = []
    for seed in seeds:
        if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
            raise ValueError(f"seed={seed!r} is not a non-negative whole number; accepted: e.g. range(100)")
        rows.append({"seed": int(seed), **cohort_quantities(generate(int(seed)))})
    return pd.DataFrame(rows)


def summarise_spread(df: pd.DataFrame, columns: list[str] | None = None) -> pd.DataFrame:
    """Spread of each numeric quantity across cohorts: ``n, n_missing, min, p05, median, p95, max``.

    ``columns`` defaults to every column except ``seed`` (booleans are summarised as shares 0–1).
    NaNs (e.g. median OS not reached) are counted in ``n_missing`` and left out of the percentiles.
    """
    if not isinstance(df, pd.DataFrame) or df.empty:
        raise ValueError("df must be a non-empty DataFrame from ensemble_summary()")
    if columns is not None:
        guard.check_str_list("columns", columns, allow_empty=False)
    columns = [c for c in df.columns if c != "seed"] if columns is None else list(columns)
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise ValueError(f"columns {missing} not in df; accepted: {list(df.columns)}")
    rows = []
    for col in columns:
        x = df[col].astype(float)
        v = x.dropna()
        q = v.quantile([0.0, 0.05, 0.5, 0.95, 1.0]).to_numpy() if len(v) else [np.nan] * 5
        rows.append({"quantity": col, "n": int(len(x)), "n_missing": int(x.isna().sum()),
                     "min": q[0], "p05": q[1], "median": q[2], "p95": q[3], "max": q[4]})
    return pd.DataFrame(rows).set_index("quantity")
