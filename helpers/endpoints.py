"""Endpoints after remission for chapter 04: ELN-style RFS and EFS, and competing risks.

Times are **days**; ``cnsr`` / ``event`` as in :mod:`helpers.survival`. Pure functions: ADaM tables in,
one row per patient out.

* :func:`remission_frame` — patients reaching CR/CRh/CRi, clock from the remission date, with the first
  event split into ``relapse`` and ``death in remission`` (the two competing events after remission).
  ``population="cycle1"`` is this project's RFS (CRc after cycle 1, the abstract's 17);
  ``population="any"`` is the ELN 2022 definition (CR/CRh/CRi at any assessment).
* :func:`efs_frame` — event-free survival for every enrolled patient, ELN 2022 style: failure to reach
  CR/CRh/CRi by the landmark (here: the last protocol assessment, after up to 2 cycles) is an event on
  day 0; so is a death before any response assessment; otherwise relapse or death.
* :func:`cumulative_incidence` — Aalen–Johansen cumulative incidence of one cause in the presence of
  competing causes. Written out (a dozen lines) rather than taken from lifelines'
  ``AalenJohansenFitter`` because that class breaks tied times by adding random jitter, which would
  make a notebook non-deterministic; the tests check it against lifelines on data without ties.

Definitions: Döhner H, et al. Blood 2022;140:1345–1377 (ELN 2022), table of outcome measures
(RFS; EFS; cumulative incidence of relapse).
"""
from __future__ import annotations

from typing import Iterable

import numpy as np
import pandas as pd

from helpers.engine.derive import CRC_CATEGORIES
from helpers.survival import validate_times

__all__ = ["POPULATIONS", "CAUSES", "remission_frame", "efs_frame", "cumulative_incidence", "cif_at"]

POPULATIONS: tuple[str, ...] = ("cycle1", "any")
CAUSES: dict[int, str] = {0: "censored", 1: "relapse", 2: "death in remission"}


def _date(s: pd.Series) -> pd.Series:
    return pd.to_datetime(s.replace("", np.nan))


def _remission_dates(adrs: pd.DataFrame, population: str) -> pd.Series:
    r = adrs[(adrs["PARAMCD"] == "OVRLRESP") & adrs["AVALC"].isin(CRC_CATEGORIES)]
    if population == "cycle1":
        r = r[r["AVISIT"] == "CYCLE 1"]
    return r.assign(ADT=pd.to_datetime(r["ADT"])).groupby("USUBJID")["ADT"].min()


def remission_frame(adsl: pd.DataFrame, adrs: pd.DataFrame, population: str = "cycle1") -> pd.DataFrame:
    """One row per patient in remission: ``USUBJID, remission_date, time, cause, event, hsct_day``.

    ``time`` = days from the remission date to relapse, death or last contact (LSTALVDT), whichever is
    first; ``cause`` 1 = relapse, 2 = death in remission, 0 = censored; ``event`` = 1 if cause > 0 (an
    RFS event); ``hsct_day`` = days from remission to HSCT (NaN if none). Censoring is at the last date
    known alive: the synthetic data record no later marrow examinations.
    """
    if population not in POPULATIONS:
        raise ValueError(f"population={population!r} is not accepted; accepted: {', '.join(map(repr, POPULATIONS))}")
    rem = _remission_dates(adrs, population)
    a = adsl.set_index("USUBJID").loc[rem.index]
    rel, dth, last = _date(a["RELDT"]), _date(a["DTHDT"]), _date(a["LSTALVDT"])
    hsct = _date(a["HSCTDT"])
    cause = np.where(rel.notna(), 1, np.where(dth.notna(), 2, 0))
    end = rel.where(rel.notna(), dth.where(dth.notna(), last))
    out = pd.DataFrame({"USUBJID": rem.index, "remission_date": rem.to_numpy(),
                        "time": (end - rem).dt.days.astype(float).to_numpy(),
                        "cause": cause, "event": (cause > 0).astype(int),
                        "hsct_day": (hsct - rem).dt.days.astype(float).to_numpy()})
    if (out["time"] < 0).any():
        bad = out.loc[out["time"] < 0, "USUBJID"].tolist()
        raise ValueError(f"relapse/death/last-contact date before the remission date for {bad}")
    return out.reset_index(drop=True)


def efs_frame(adsl: pd.DataFrame, adrs: pd.DataFrame) -> pd.DataFrame:
    """Event-free survival for every patient in ADSL (ELN 2022 style), clock from TRTSDT (C1D1).

    Columns ``USUBJID, time, event, reason``. A patient who never reached CR/CRh/CRi at any protocol
    assessment (after up to two cycles: the landmark), or who died before any response assessment
    (non-evaluable), has an event on day 0 ("induction failure"); a patient in remission has an event at
    relapse or death, otherwise is censored at the last date known alive (ELN censors at the last
    response assessment; the synthetic data record no later assessments).
    """
    rem = _remission_dates(adrs, "any")
    a = adsl.set_index("USUBJID")
    start = _date(a["TRTSDT"])
    rel, dth, last = _date(a["RELDT"]), _date(a["DTHDT"]), _date(a["LSTALVDT"])
    rows = []
    for pid in a.index:
        if pid not in rem.index:
            rows.append((pid, 0.0, 1, "induction failure (time 0 = day 1)"))
            continue
        if pd.notna(rel[pid]):
            rows.append((pid, float((rel[pid] - start[pid]).days), 1, "relapse"))
        elif pd.notna(dth[pid]):
            rows.append((pid, float((dth[pid] - start[pid]).days), 1, "death in remission"))
        else:
            rows.append((pid, float((last[pid] - start[pid]).days), 0, "censored in remission"))
    return pd.DataFrame(rows, columns=["USUBJID", "time", "event", "reason"])


def cumulative_incidence(times: Iterable[float], causes: Iterable[int], cause: int = 1) -> pd.DataFrame:
    """Aalen–Johansen cumulative incidence of ``cause`` (an int ≥ 1) with ``causes`` coded 0 = censored,
    1, 2, … = competing causes. Returns ``time, at_risk, events, cif`` at every distinct event time of any
    cause (times in the unit given): CIF(t) = Σ_{s ≤ t} S(s−)·d_cause(s)/n(s), S the all-cause KM."""
    t = validate_times(times)
    c = np.asarray(list(causes) if not isinstance(causes, (np.ndarray, pd.Series)) else causes)
    if c.shape != t.shape:
        raise ValueError(f"causes has {c.size} values but times has {t.size}; they must have the same length")
    try:
        c = c.astype(float)
    except (TypeError, ValueError):
        raise ValueError("causes must be integers: 0 = censored, 1, 2, … = causes") from None
    if np.isnan(c).any() or (c < 0).any() or (c != np.round(c)).any():
        raise ValueError(f"causes contains {sorted(set(c[(c < 0) | (c != np.round(c))].tolist()))}; "
                         "accepted: integers 0 (censored), 1, 2, …")
    if isinstance(cause, bool) or not isinstance(cause, (int, np.integer)) or cause < 1:
        raise ValueError(f"cause={cause!r} is not accepted; accepted: an integer >= 1 that occurs in causes")
    rows, surv, cif = [], 1.0, 0.0
    for u in np.unique(t[c > 0]):
        n = int((t >= u).sum())
        d_all = int(((t == u) & (c > 0)).sum())
        d_k = int(((t == u) & (c == cause)).sum())
        cif += surv * d_k / n
        surv *= 1.0 - d_all / n
        rows.append((float(u), n, d_k, cif))
    return pd.DataFrame(rows, columns=["time", "at_risk", "events", "cif"])


def cif_at(curve: pd.DataFrame, at: float) -> float:
    """Value of a :func:`cumulative_incidence` curve at time ``at`` (last step at or before it; 0 before
    the first event)."""
    if isinstance(at, bool) or not isinstance(at, (int, float, np.integer, np.floating)) or at < 0:
        raise ValueError(f"at={at!r} is not accepted; accepted: a time >= 0 in the curve's unit")
    hit = curve.loc[curve["time"] <= at, "cif"]
    return float(hit.iloc[-1]) if len(hit) else 0.0
