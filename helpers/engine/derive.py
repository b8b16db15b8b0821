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
    """Every fact re-derived: ``{fact_id: (value, numerator, denominator)}`` (k, n None for non-counts).

    Speed (issue 16): the audit runs this for every generated cohort, so tables with the dtypes the
    loader and the generator produce, and nothing missing or duplicated, take a plain-Python path
    (:func:`_derive_all_fast`, the same arithmetic on the same numbers); anything else (a missing
    value, a duplicated row, an empty group...) goes through :func:`_derive_all_reference`, which
    computes with the named helpers above and raises their errors. Tests compare the two on valid and
    broken cohorts (tests/test_audit_equivalence.py)."""
    from helpers.engine.tables import SCHEMAS
    v.check_tables("tables", tables, {name: list(SCHEMAS[name]) for name in SCHEMAS})
    try:
        fast = _derive_all_fast(tables)
    except (KeyError, TypeError, ValueError, AttributeError, IndexError):
        fast = None
    return fast if fast is not None else _derive_all_reference(tables)


def column_lists(df: pd.DataFrame) -> dict[str, list] | None:
    """Every column of ``df`` as the list ``df[col].tolist()`` gives (Python int, float, str or bool;
    ``pd.NA`` for a missing Int64 value), keyed by column name; None if the column names are not
    unique strings.

    Speed (issue 16): reading a column of a freshly built frame makes a Series (~30 µs), and the audit
    and the plausibility rules read ~80 columns of every generated cohort. Each column's array is taken
    from pandas' own column iterator (``DataFrame._iter_column_arrays``, internal API: a pandas without
    it gets one ``to_numpy(dtype=object)`` of the whole table) and turned into a list the way
    ``Series.tolist`` does (``ndarray.tolist``; an Int64 column's data, with ``pd.NA`` where masked):
    3-4× faster than converting the whole table to objects (0.46 -> 0.14 ms per generated cohort's
    tables, measured). tests/test_gen_columns.py checks the values and their types are those of
    ``tolist``, for every dtype pandas gives a column here and a few more."""
    names = df.columns.tolist()
    if not all(type(c) is str for c in names) or len(set(names)) != len(names):
        return None
    if not names:
        return {}
    arrays = getattr(df, "_iter_column_arrays", None)
    if arrays is None:
        return dict(zip(names, df.to_numpy(dtype=object).T.tolist()))
    out = {}
    for i, (name, arr) in enumerate(zip(names, arrays())):
        if type(arr) is np.ndarray and arr.dtype.kind in "biufO":
            out[name] = arr.tolist()                        # what Series.tolist gives for these dtypes
        elif type(arr) is pd.arrays.IntegerArray:
            values = arr._data.tolist()
            for j in np.flatnonzero(arr._mask).tolist():
                values[j] = pd.NA
            out[name] = values
        else:                                               # datetimes, strings, categories...: pandas itself
            out[name] = df.iloc[:, i].tolist()
    return out


def frame_from_arrays(arrays: list, columns: pd.Index, n_rows: int) -> pd.DataFrame:
    """``pd.DataFrame(dict(zip(columns, arrays)), copy=False)`` for new 1-d arrays (numpy or pandas
    extension arrays) of ``n_rows`` values each, with unique column names.

    Speed (issue 16): the generator makes 7 frames and the audit one per cohort, and pandas' dict
    constructor checks and converts every column again (~40% of a frame's cost); pandas' own
    constructor for arrays it has made itself (``DataFrame._from_arrays`` with
    ``verify_integrity=False``, as ``read_csv`` uses) skips that. It is internal API, so a pandas
    without it gets the public constructor; tests/test_gen_columns.py checks the two give equal frames."""
    build = getattr(pd.DataFrame, "_from_arrays", None)
    if build is not None:
        return build(arrays, columns=columns, index=pd.RangeIndex(n_rows), verify_integrity=False)
    return pd.DataFrame(dict(zip(columns, arrays)), copy=False)


def _column(lists: dict[str, list], dtypes: dict[str, object], col: str, kind: type) -> list | None:
    """Column ``col`` (from :func:`column_lists`) if every value is a ``kind`` (int: an Int64 column
    without NA; float: a float64 column without NaN; str: object strings); else None (the caller
    falls back)."""
    values, dtype = lists[col], dtypes[col]
    if kind is int:
        if str(dtype) != "Int64" or any(x is pd.NA for x in values):
            return None
        return values
    if kind is float:
        if dtype != np.float64 or any(x != x for x in values):
            return None
        return values
    if dtype != object or not all(type(x) is str for x in values):
        return None
    return values


def _km_plain(times: list[int], events: list[int], at: float) -> float:
    """:func:`km_at` for validated whole-day times and 0/1 events: the same product over the same
    event times in the same order (the divisions of two small integers are exact-rounded either way)."""
    s = 1.0
    for u in sorted({t for t, e in zip(times, events) if e == 1 and t <= at}):
        d = sum(1 for t, e in zip(times, events) if e == 1 and t == u)
        s *= 1.0 - d / sum(1 for t in times if t >= u)
    return float(s)


def _derive_all_fast(tables: dict[str, pd.DataFrame]) -> dict[str, tuple[float, int | None, int | None]] | None:
    """The plain-Python twin of :func:`_derive_all_reference`; None if the tables need the checked path."""
    adsl, adrs, adtte, adae = tables["adsl"], tables["adrs"], tables["adtte"], tables["adae"]
    mut, reg, proto = tables["mutations"], tables["regimen"], tables["protocol"]
    cols = {}
    lists: dict[str, dict[str, list]] = {}
    dtypes: dict[str, dict[str, object]] = {}
    for name, df, spec in (("adsl", adsl, {"USUBJID": str, "AGE": int, "SEX": str, "DISSTAT": str, "SECAML": str,
                                           "ELN2022": str, "NCYCLES": int, "POSTREM": str, "HSCTGRP": str}),
                           ("adrs", adrs, {"USUBJID": str, "PARAMCD": str, "AVISIT": str, "AVALC": str}),
                           ("adtte", adtte, {"USUBJID": str, "PARAMCD": str, "AVAL": int, "CNSR": int}),
                           ("adae", adae, {"USUBJID": str, "AEDECOD": str, "AETOXGR": int, "AEREL": str}),
                           ("mutations", mut, {"USUBJID": str, "GENE": str}),
                           ("regimen", reg, {"DRUGKEY": str, "DOSE": float, "FIRSTDAY": int, "LASTDAY": int,
                                             "CYCLEDAYS": int}),
                           ("protocol", proto, {"PARAM": str, "VALUE": str})):
        lists[name] = table = column_lists(df)
        if table is None:
            return None
        dtypes[name] = types = dict(zip(df.columns.tolist(), df.dtypes.tolist()))
        for col, kind in spec.items():
            values = _column(table, types, col, kind)
            if values is None:
                return None
            cols[name, col] = values
    ids = cols["adsl", "USUBJID"]
    n = len(ids)
    if n == 0 or len(set(ids)) != n or not all(ids):
        return None
    out: dict[str, tuple[float, int | None, int | None]] = {}

    def pct(fid, k, denom=n):
        out[fid] = (percent(int(k), int(denom)), int(k), int(denom))

    def val(fid, x):
        out[fid] = (float(x), None, None)

    params = cols["protocol", "PARAM"]
    if len(set(params)) != len(params) or not reg.shape[0]:
        return None
    p = dict(zip(params, cols["protocol", "VALUE"]))
    val("elig_age_min", p["ELIGAGEMIN"]); val("elig_age_max", p["ELIGAGEMAX"])
    for key, dose, d0, d1 in zip(cols["regimen", "DRUGKEY"], cols["regimen", "DOSE"], cols["regimen", "FIRSTDAY"],
                                 cols["regimen", "LASTDAY"]):
        val(f"{key}_dose", dose); val(f"{key}_first_day", d0); val(f"{key}_last_day", d1)
    ncycles = cols["adsl", "NCYCLES"]
    val("cycle_length", cols["regimen", "CYCLEDAYS"][0] / 7); val("max_cycles", max(ncycles))
    val("n_enrolled", n)
    age = cols["adsl", "AGE"]
    val("age_median", np.median(np.array(age, dtype=float))); val("age_min", min(age)); val("age_max", max(age))
    pct("male_pct", cols["adsl", "SEX"].count("M"))
    pct("refractory_pct", cols["adsl", "DISSTAT"].count("REFRACTORY"))
    pct("relapsed_pct", cols["adsl", "DISSTAT"].count("RELAPSED"))
    pct("secondary_aml_pct", cols["adsl", "SECAML"].count("Y"))
    eln = cols["adsl", "ELN2022"]
    for grp in ("FAVORABLE", "INTERMEDIATE", "ADVERSE"):
        pct(f"eln_{grp.lower()}_pct", eln.count(grp))
    mut_pairs = list(zip(cols["mutations", "USUBJID"], cols["mutations", "GENE"]))
    for fid, gene in GENE_FACTS.items():
        pct(fid, len({u for u, g in mut_pairs if g == gene}))
    # ADRS: one value per (patient, parameter, visit), as _adrs_at_cycle requires
    adrs_rows = list(zip(cols["adrs", "USUBJID"], cols["adrs", "PARAMCD"], cols["adrs", "AVISIT"], cols["adrs", "AVALC"]))
    by_key: dict[tuple[str, str], dict[str, str]] = {}
    for u, param, visit, avalc in adrs_rows:
        cell = by_key.setdefault((param, visit), {})
        if u in cell:
            return None
        cell[u] = avalc
    resp1 = by_key.get(("OVRLRESP", "CYCLE 1"), {})
    pct("crc_c1_pct", sum(1 for u in ids if resp1.get(u) in CRC_CATEGORIES))
    pct("orr_c1_pct", sum(1 for u in ids if resp1.get(u) in ORR_CATEGORIES))
    crc = {u for u, a in resp1.items() if a in CRC_CATEGORIES}
    mrd1 = [a for u, a in by_key.get(("MRDFLOW", "CYCLE 1"), {}).items() if u in crc]
    if not mrd1:
        return None
    pct("mrd_neg_c1_pct", mrd1.count("NEGATIVE"), len(mrd1))
    two = [u for u, c in zip(ids, ncycles) if c == 2]
    val("two_cycles_n", len(two))
    if not two:
        return None
    resp2 = by_key.get(("OVRLRESP", "CYCLE 2"), {})
    mrd2 = by_key.get(("MRDFLOW", "CYCLE 2"), {})
    pct("two_cycles_crc_pct", sum(1 for u in two if resp2.get(u) in CRC_CATEGORIES), len(two))
    pct("two_cycles_mrdneg_pct", sum(1 for u in two if mrd2.get(u) == "NEGATIVE"), len(two))
    # ADTTE: one row per (patient, parameter), days >= 0, CNSR 0/1, as survival_at_months requires
    tte: dict[str, dict[str, tuple[int, int]]] = {}
    for u, param, aval, cnsr in zip(cols["adtte", "USUBJID"], cols["adtte", "PARAMCD"], cols["adtte", "AVAL"],
                                    cols["adtte", "CNSR"]):
        cell = tte.setdefault(param, {})
        if u in cell or aval < 0 or cnsr not in (0, 1) or not u:
            return None
        cell[u] = (aval, 1 - cnsr)
    os_rows, rfs_rows = tte.get("OS", {}), tte.get("RFS", {})
    if not os_rows or not rfs_rows:
        return None
    fu = np.array([a for a, _ in os_rows.values()], dtype=float) / DAYS_PER_MONTH
    val("followup_median", np.median(fu)); val("followup_min", fu.min()); val("followup_max", fu.max())
    six = 6.0 * DAYS_PER_MONTH

    def km6(rows: dict[str, tuple[int, int]], who=None) -> float:
        picked = list(rows.values()) if who is None else [rows[u] for u in who]
        return 100.0 * _km_plain([a for a, _ in picked], [e for _, e in picked], six)

    val("rfs_6m_pct", km6(rfs_rows))
    val("os_6m_pct", km6(os_rows))
    postrem = cols["adsl", "POSTREM"]
    val("postrem_hsct_n", postrem.count("HSCT"))
    val("postrem_consol_hsct_n", postrem.count("CONSOLIDATION-HSCT"))
    val("postrem_none_n", postrem.count("NONE"))
    for grp, slug in (("HSCT", "hsct"), ("NO HSCT", "nohsct")):
        who = [u for u, g in zip(ids, cols["adsl", "HSCTGRP"]) if g == grp]
        if not who or not all(u in rfs_rows and u in os_rows for u in who):
            return None
        val(f"{slug}_group_n", len(who))
        val(f"{slug}_rfs_6m_pct", km6(rfs_rows, who))
        val(f"{slug}_os_6m_pct", km6(os_rows, who))
    related34 = [(u, term) for u, term, grade, rel in zip(cols["adae", "USUBJID"], cols["adae", "AEDECOD"],
                                                          cols["adae", "AETOXGR"], cols["adae", "AEREL"])
                 if rel == "Y" and grade in (3, 4)]
    for fid, term in AE_FACTS.items():
        pct(fid, len({u for u, t in related34 if t == term}))
    if str(dtypes["adsl"]["ANCDUR"]) != "Int64" or str(dtypes["adsl"]["PLTDUR"]) != "Int64":
        return None
    anc_l, plt_l = lists["adsl"]["ANCDUR"], lists["adsl"]["PLTDUR"]
    has = [x is not pd.NA for x in anc_l]
    anc = [int(x) for x, h in zip(anc_l, has) if h]
    plt_ = [x for x, h in zip(plt_l, has) if h]
    if not anc or any(x is pd.NA for x in plt_):
        return None
    val("cytopenia_n", len(anc))
    for x, slug in ((anc, "anc"), ([int(y) for y in plt_], "plt")):
        val(f"{slug}_dur_median", np.median(np.array(x, dtype=float))); val(f"{slug}_dur_min", min(x))
        val(f"{slug}_dur_max", max(x))
    return out


def _derive_all_reference(tables: dict[str, pd.DataFrame]) -> dict[str, tuple[float, int | None, int | None]]:
    """:func:`derive_all` computed with the named, checked helpers of this module (pandas); the path
    for tables that are not plain (see :func:`derive_all`)."""
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
