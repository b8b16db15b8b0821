# Frozen copy of helpers/engine/derive.py as it was before the speed work of issue 16 (commit 773779b),
# kept as the second implementation the equivalence tests compare against. Do not edit.
"""Re-derive the abstract's figures from the cohort tables.

Small, named functions a notebook can call one at a time, and :func:`derive_all`, which
computes every fact of ``abstract_facts.csv`` at once (used by :mod:`helpers.engine.audit`).

Definitions (also in ``data/README.md``):

* CRc = CR + CRh + CRi; ORR = CRc + MLFS + PR; both from the cycle-1 assessment, over all
  enrolled patients (ADSL is the denominator).
* MRD-negative rate: cycle-1 flow MRD NEGATIVE among CRc patients with a flow result.
* Months = days / 30.4375. "6-month" survival = Kaplan–Meier estimate at 6.0 months.
* Median follow-up = median of the OS observation times of all patients (not reverse KM).
* Grade 3/4 AE rate = patients with a related (AEREL = Y) event of grade 3 or 4 / all patients.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from helpers import validate as v

DAYS_PER_MONTH = 30.4375
CRC_CATEGORIES = ("CR", "CRh", "CRi")
ORR_CATEGORIES = CRC_CATEGORIES + ("MLFS", "PR")
GENE_FACTS = {"mut_cebpa_pct": "CEBPA", "mut_flt3itd_pct": "FLT3-ITD", "mut_tp53_pct": "TP53",
              "mut_asxl1_pct": "ASXL1", "mut_u2af1_pct": "U2AF1"}
AE_FACTS = {"ae_g34_wbc_pct": "White blood cell decreased", "ae_g34_neut_pct": "Neutrophil count decreased",
            "ae_g34_plt_pct": "Platelet count decreased", "ae_g34_anemia_pct": "Anemia",
            "ae_g34_fn_pct": "Febrile neutropenia"}


def days_to_months(days):
    """Convert days to months (30.4375 days = 1 month, i.e. 365.25 / 12)."""
    v.check_float_array("days", days, lo=0, unit="days", allow_empty=True)
    return np.asarray(days, dtype=float) / DAYS_PER_MONTH if np.ndim(days) else float(days) / DAYS_PER_MONTH


def km_at(times, events, at: float) -> float:
    """Kaplan–Meier survival probability at time ``at`` (same unit as ``times``).

    Product-limit estimator; at a tied time, events count before censorings, as in
    lifelines. ``events``: 1 = event, 0 = censored.
    """
    v.check_float_array("times", times, unit="days", allow_empty=True, max_size=v.MAX_PATIENTS)
    v.check_float_array("events", events, hint=" (0 or 1, or booleans)", allow_empty=True, allow_bool=True)
    if np.ndim(times) != 1 or np.ndim(events) != 1:
        raise ValueError("times and events must be 1-d sequences; accepted: one value per patient")
    if not np.isin(np.asarray(events, dtype=float), (0, 1)).all():
        raise ValueError(f"events={list(events)!r} is not accepted; accepted: 0 or 1 (event = 1)")
    v.check_float("at", at, 0)
    t = np.asarray(times, dtype=float)
    e = np.asarray(events, dtype=int)
    if len(t) != len(e):
        raise ValueError(f"times and events must have the same length, got {len(t)} and {len(e)}")
    if np.any(t < 0):
        raise ValueError(f"times must be non-negative, got minimum {t.min()}")
    if not np.isin(e, (0, 1)).all():
        raise ValueError(f"events must be 0 or 1, got {sorted(set(e.tolist()) - {0, 1})}")
    s = 1.0
    for u in np.unique(t[(e == 1) & (t <= at)]):
        s *= 1.0 - ((t == u) & (e == 1)).sum() / (t >= u).sum()
    return float(s)


def _adrs_at_cycle(adrs: pd.DataFrame, paramcd: str, cycle: int) -> pd.Series:
    """AVALC of one ADRS parameter per patient at the given cycle (1 or 2), after checking the table."""
    cycle = v.check_int("cycle", cycle, 1, 2)
    v.check_frame("adrs", adrs, ["USUBJID", "PARAMCD", "AVISIT", "AVALC"])
    v.check_unique("adrs", adrs, ["USUBJID", "PARAMCD", "AVISIT"])
    rows = adrs[(adrs["PARAMCD"] == paramcd) & (adrs["AVISIT"] == f"CYCLE {cycle}")]
    return rows.set_index("USUBJID")["AVALC"]


def response_after_cycle(adrs: pd.DataFrame, cycle: int = 1) -> pd.Series:
    """Overall response (AVALC) per patient at the given cycle's assessment."""
    return _adrs_at_cycle(adrs, "OVRLRESP", cycle)


def mrd_after_cycle(adrs: pd.DataFrame, cycle: int = 1) -> pd.Series:
    """Flow MRD result per patient at the given cycle (patients without a result are absent)."""
    return _adrs_at_cycle(adrs, "MRDFLOW", cycle)


def crc_patients(adrs: pd.DataFrame) -> list[str]:
    """USUBJIDs in composite complete remission (CR/CRh/CRi) after cycle 1."""
    resp = response_after_cycle(adrs, 1)
    return sorted(resp[resp.isin(CRC_CATEGORIES)].index)


def percent(k: int, n: int) -> float:
    """100·k/n, refusing impossible counts."""
    k = v.check_int("k", k)
    n = v.check_int("n", n, 1)
    if n <= 0 or k < 0 or k > n:
        raise ValueError(f"k={k}, n={n}: need 0 <= k <= n and n > 0")
    return 100.0 * k / n


def survival_at_months(adtte: pd.DataFrame, paramcd: str, months: float = 6.0,
                       usubjids=None) -> float:
    """KM estimate (in %) of parameter ``paramcd`` ("OS" or "RFS") at ``months``,
    optionally restricted to a set of patients."""
    v.check_frame("adtte", adtte, ["USUBJID", "PARAMCD", "AVAL", "CNSR"])
    v.check_one_of("paramcd", paramcd, ["OS", "RFS"])
    v.check_float("months", months, 0, unit="months")
    v.check_unique("adtte", adtte, ["USUBJID", "PARAMCD"])
    if usubjids is not None:
        usubjids = v.check_str_list("usubjids", usubjids)
        v.check_str_list("usubjids", usubjids, allowed=set(adtte.loc[adtte["PARAMCD"] == paramcd, "USUBJID"]))
    rows = adtte[adtte["PARAMCD"] == paramcd]
    if usubjids is not None:
        rows = rows[rows["USUBJID"].isin(set(usubjids))]
    if rows.empty:
        raise ValueError(f"no {paramcd} rows for the requested patients")
    return 100.0 * km_at(rows["AVAL"].astype(float), 1 - rows["CNSR"].astype(int), months * DAYS_PER_MONTH)


def derive_all(tables: dict[str, pd.DataFrame]) -> dict[str, tuple[float, int | None, int | None]]:
    """Every fact re-derived: ``{fact_id: (value, numerator, denominator)}`` (k, n None for non-counts)."""
    from helpers.engine.tables import SCHEMAS
    v.check_tables("tables", tables, {name: list(SCHEMAS[name]) for name in SCHEMAS})
    adsl, adrs, adtte, adae = tables["adsl"], tables["adrs"], tables["adtte"], tables["adae"]
    mut, reg, proto = tables["mutations"], tables["regimen"], tables["protocol"]
    n = len(adsl)
    out: dict[str, tuple[float, int | None, int | None]] = {}

    def pct(fid, k, denom=n):
        out[fid] = (percent(int(k), int(denom)), int(k), int(denom))

    def val(fid, v):
        out[fid] = (float(v), None, None)

    p = proto.set_index("PARAM")["VALUE"]
    val("elig_age_min", p["ELIGAGEMIN"]); val("elig_age_max", p["ELIGAGEMAX"])
    for _, row in reg.iterrows():
        key = row["DRUGKEY"]
        val(f"{key}_dose", row["DOSE"]); val(f"{key}_first_day", row["FIRSTDAY"]); val(f"{key}_last_day", row["LASTDAY"])
    val("cycle_length", reg["CYCLEDAYS"].iloc[0] / 7); val("max_cycles", adsl["NCYCLES"].max())
    val("n_enrolled", n)
    val("age_median", adsl["AGE"].median()); val("age_min", adsl["AGE"].min()); val("age_max", adsl["AGE"].max())
    pct("male_pct", (adsl["SEX"] == "M").sum())
    pct("refractory_pct", (adsl["DISSTAT"] == "REFRACTORY").sum())
    pct("relapsed_pct", (adsl["DISSTAT"] == "RELAPSED").sum())
    pct("secondary_aml_pct", (adsl["SECAML"] == "Y").sum())
    for grp in ("FAVORABLE", "INTERMEDIATE", "ADVERSE"):
        pct(f"eln_{grp.lower()}_pct", (adsl["ELN2022"] == grp).sum())
    for fid, gene in GENE_FACTS.items():
        pct(fid, mut.loc[mut["GENE"] == gene, "USUBJID"].nunique())
    resp1 = response_after_cycle(adrs, 1).reindex(adsl["USUBJID"])
    pct("crc_c1_pct", resp1.isin(CRC_CATEGORIES).sum())
    pct("orr_c1_pct", resp1.isin(ORR_CATEGORIES).sum())
    crc = crc_patients(adrs)
    mrd1 = mrd_after_cycle(adrs, 1)
    mrd1 = mrd1[mrd1.index.isin(crc)]
    pct("mrd_neg_c1_pct", (mrd1 == "NEGATIVE").sum(), len(mrd1))
    two = adsl.loc[adsl["NCYCLES"] == 2, "USUBJID"]
    val("two_cycles_n", len(two))
    resp2 = response_after_cycle(adrs, 2).reindex(two)
    pct("two_cycles_crc_pct", resp2.isin(CRC_CATEGORIES).sum(), len(two))
    pct("two_cycles_mrdneg_pct", (mrd_after_cycle(adrs, 2).reindex(two) == "NEGATIVE").sum(), len(two))
    os_rows = adtte[adtte["PARAMCD"] == "OS"]
    fu = days_to_months(os_rows["AVAL"].astype(float))
    val("followup_median", np.median(fu)); val("followup_min", fu.min()); val("followup_max", fu.max())
    val("rfs_6m_pct", survival_at_months(adtte, "RFS"))
    val("os_6m_pct", survival_at_months(adtte, "OS"))
    val("postrem_hsct_n", (adsl["POSTREM"] == "HSCT").sum())
    val("postrem_consol_hsct_n", (adsl["POSTREM"] == "CONSOLIDATION-HSCT").sum())
    val("postrem_none_n", (adsl["POSTREM"] == "NONE").sum())
    for grp, slug in (("HSCT", "hsct"), ("NO HSCT", "nohsct")):
        ids = adsl.loc[adsl["HSCTGRP"] == grp, "USUBJID"]
        val(f"{slug}_group_n", len(ids))
        val(f"{slug}_rfs_6m_pct", survival_at_months(adtte, "RFS", usubjids=ids))
        val(f"{slug}_os_6m_pct", survival_at_months(adtte, "OS", usubjids=ids))
    related34 = adae[(adae["AEREL"] == "Y") & adae["AETOXGR"].isin([3, 4])]
    for fid, term in AE_FACTS.items():
        pct(fid, related34.loc[related34["AEDECOD"] == term, "USUBJID"].nunique())
    counts = adsl.dropna(subset=["ANCDUR"])
    val("cytopenia_n", len(counts))
    for col, slug in (("ANCDUR", "anc"), ("PLTDUR", "plt")):
        x = counts[col].astype(float)
        val(f"{slug}_dur_median", x.median()); val(f"{slug}_dur_min", x.min()); val(f"{slug}_dur_max", x.max())
    return out
