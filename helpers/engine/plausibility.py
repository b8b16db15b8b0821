"""Clinical plausibility rules for a cohort: returns a list of violations (empty = plausible).

These rules are what a hematologist reading the tables would check: ELN risk agrees with
the lesions, time runs forward, responses need a marrow after count recovery, sizes fit
the patient, cytopenia durations exist only for CRc patients.
"""
from __future__ import annotations

from collections import Counter
from datetime import date
from functools import lru_cache

import pandas as pd

from helpers.engine.derive import CRC_CATEGORIES, column_lists, crc_patients
from helpers.eln import classify_cohort, classify_eln2022
from helpers.validate import AML_GENE_SYMBOLS

CUTOFF = "2025-06-30"
EARLIEST_START = "2023-11-01"
REPORTED_GENES = {"CEBPA", "FLT3-ITD", "TP53", "ASXL1", "U2AF1"}


@lru_cache(maxsize=4096)
def _date(text: str) -> date:
    return date.fromisoformat(text)


def _days(a: str, b: str) -> int:
    return (_date(b) - _date(a)).days


class _Row:
    """A row of a table as attributes (what ``itertuples`` gave the rules), built from column lists."""
    __slots__ = ("__dict__",)

    def __init__(self, values: dict):
        self.__dict__ = values


def _lists(df: pd.DataFrame, columns: list[str]) -> dict[str, list]:
    """``{c: df[c].tolist()}`` for ``columns``, read through :func:`column_lists` (one conversion of
    the whole table: the rules run once per generated cohort, issue 16)."""
    every = column_lists(df)
    if every is None:                     # column names not unique strings: pandas column by column
        return {c: df[c].tolist() for c in columns}
    return {c: every[c] for c in columns}


def _rows(lists: dict[str, list], columns: list[str]) -> list[_Row]:
    """The rows of a table restricted to ``columns`` (``lists`` from :func:`_lists`), each value as
    ``itertuples`` yields it (Python int/float/str, ``pd.NA`` for a missing Int64): built from column
    lists, because itertuples builds a namedtuple class on every call (issue 16)."""
    return [_Row(dict(zip(columns, values))) for values in zip(*(lists[c] for c in columns))]


def _crc_set(adrs_rows: list[_Row], adrs: pd.DataFrame) -> set[str]:
    """set(crc_patients(adrs)) without pandas when (USUBJID, PARAMCD, AVISIT) is unique; otherwise
    crc_patients itself (which raises on the duplicate)."""
    keys = [(r.USUBJID, r.PARAMCD, r.AVISIT) for r in adrs_rows]
    if len(set(keys)) != len(keys) or not all(type(k) is str for key in keys for k in key):
        return set(crc_patients(adrs))
    return {r.USUBJID for r in adrs_rows
            if r.PARAMCD == "OVRLRESP" and r.AVISIT == "CYCLE 1" and r.AVALC in CRC_CATEGORIES}


def _eln_derived(adsl_rows: list[_Row], adsl: pd.DataFrame, mut: pd.DataFrame,
                 mut_lists: dict[str, list]) -> dict[str, str]:
    """classify_cohort(adsl, mut) as a dict, without pandas when every gene symbol and variant class
    is a valid string; otherwise classify_cohort itself (which raises)."""
    genes_l, classes = mut_lists["GENE"], mut_lists["VARIANT_CLASS"]
    if not all(type(g) is str and g in AML_GENE_SYMBOLS for g in genes_l) or \
            not all(type(c) is str and c for c in classes):
        return classify_cohort(adsl, mut).to_dict()
    genes: dict[str, set[str]] = {}
    bzip = set()
    for u, g, c in zip(mut_lists["USUBJID"], genes_l, classes):
        genes.setdefault(u, set()).add(g)
        if g == "CEBPA" and "bZIP in-frame" in c:
            bzip.add(u)
    return {r.USUBJID: classify_eln2022(r.CYTO, genes.get(r.USUBJID, set()), r.USUBJID in bzip) for r in adsl_rows}


def violations(tables: dict[str, pd.DataFrame]) -> list[str]:
    """Every plausibility rule the cohort breaks, as readable sentences."""
    from helpers import validate as v
    from helpers.engine.tables import SCHEMAS

    v.check_tables("tables", tables, {n: list(SCHEMAS[n]) for n in ("adsl", "adrs", "adtte", "adae", "mutations")})
    adsl, adrs, adtte, adae, mut = (tables[k] for k in ("adsl", "adrs", "adtte", "adae", "mutations"))
    adsl_l = _lists(adsl, list(SCHEMAS["adsl"]))
    adrs_l = _lists(adrs, ["USUBJID", "PARAMCD", "AVISIT", "AVALC", "ADT", "RSNOTE"])
    adtte_l = _lists(adtte, ["USUBJID", "PARAMCD", "STARTDT", "ADT", "AVAL", "CNSR"])
    adae_l = _lists(adae, ["USUBJID", "AEDECOD", "ASTDT"])
    mut_l = _lists(mut, ["USUBJID", "GENE", "VARIANT_CLASS"])
    ids = adsl_l["USUBJID"]
    if len(set(ids)) != len(ids) or not all(type(u) is str for u in ids):
        v.check_unique("adsl", adsl, ["USUBJID"])
    known = set(ids)
    for name, lists in (("adrs", adrs_l), ("adtte", adtte_l), ("adae", adae_l), ("mutations", mut_l)):
        if not set(lists["USUBJID"]) <= known:          # an orphan: check_subjects_in names it
            v.check_subjects_in(name, tables[name], adsl)
    adsl_rows = _rows(adsl_l, list(SCHEMAS["adsl"]))
    adrs_rows = _rows(adrs_l, ["USUBJID", "PARAMCD", "AVISIT", "AVALC", "ADT", "RSNOTE"])
    out: list[str] = []
    derived = _eln_derived(adsl_rows, adsl, mut, mut_l)
    for r in adsl_rows:
        u, grp = r.USUBJID, r.ELN2022
        if derived[u] != grp:
            out.append(f"{u}: ELN2022 {grp} but its lesions classify as {derived[u]}")
    counts = Counter(mut_l["GENE"])
    for gene, c in counts.items():
        if gene not in REPORTED_GENES and c > 1:
            out.append(f"gene {gene} mutated in {c} patients; only the five reported genes may recur")
    crc = _crc_set(adrs_rows, adrs)
    resp_dates = [(r.USUBJID, r.ADT) for r in adrs_rows if r.PARAMCD == "OVRLRESP"]
    if all(type(d) is str for _, d in resp_dates):
        last_assessment: dict = {}
        for u, d in resp_dates:       # groupby("USUBJID")["ADT"].max() of ISO date strings
            if u not in last_assessment or d > last_assessment[u]:
                last_assessment[u] = d
    else:
        last_assessment = adrs[adrs["PARAMCD"] == "OVRLRESP"].groupby("USUBJID")["ADT"].max().to_dict()

    def ref_day(r) -> str:
        return last_assessment[r.USUBJID]

    for r in adsl_rows:
        u, start = r.USUBJID, r.TRTSDT
        last = r.DTHDT if r.DTHFL == "Y" else r.LSTALVDT
        if not EARLIEST_START <= start <= CUTOFF:
            out.append(f"{u}: TRTSDT {start} outside {EARLIEST_START}..{CUTOFF}")
        for col in ("C2SDT", "CONSDT", "HSCTDT", "RELDT", "DTHDT", "LSTALVDT"):
            d = getattr(r, col)
            if d and not start <= d <= CUTOFF:
                out.append(f"{u}: {col} {d} not between TRTSDT and the cut-off")
            if d and d > last:
                out.append(f"{u}: {col} {d} after death/last contact {last}")
        if r.DTHFL == "Y" and r.LSTALVDT != r.DTHDT:
            out.append(f"{u}: dead but LSTALVDT {r.LSTALVDT} != DTHDT {r.DTHDT}")
        if r.C2SDT and _days(start, r.C2SDT) < 28:
            out.append(f"{u}: cycle 2 only {_days(start, r.C2SDT)} days after cycle 1")
        if r.HSCTDT and u not in crc:
            out.append(f"{u}: HSCT without CRc after cycle 1")
        if r.CONSDT and r.HSCTDT and not r.CONSDT < r.HSCTDT:
            out.append(f"{u}: consolidation {r.CONSDT} not before HSCT {r.HSCTDT}")
        if r.HSCTDT and not pd.isna(r.ANCDUR) and _days(start, r.HSCTDT) < max(7 + r.ANCDUR, 8 + r.PLTDUR) + 14:
            out.append(f"{u}: HSCT on day {_days(start, r.HSCTDT)}, before counts recovered after cycle 1")
        if r.HSCTDT and _days(ref_day(r), r.HSCTDT) < 21:
            out.append(f"{u}: HSCT less than 3 weeks after the last response assessment")
        if pd.notna(r.ANCDUR) and u not in crc:
            out.append(f"{u}: cytopenia durations for a non-CRc patient")
        lo_h, hi_h = (125, 160) if r.AGE < 16 else (145, 195) if r.SEX == "M" else (140, 185)
        if not lo_h <= r.HEIGHTCM <= hi_h:
            out.append(f"{u}: height {r.HEIGHTCM} cm implausible for age {r.AGE}, sex {r.SEX}")
        if not (20 if r.AGE < 16 else 38) <= r.WEIGHTKG <= 120:
            out.append(f"{u}: weight {r.WEIGHTKG} kg implausible")
        if abs(r.BSA - round((r.HEIGHTCM * r.WEIGHTKG / 3600) ** 0.5, 2)) > 0.005:
            out.append(f"{u}: BSA {r.BSA} is not Mosteller of its height and weight")
    adsl_i = {r.USUBJID: r.__dict__ for r in adsl_rows}
    for r in adrs_rows:
        s = adsl_i[r.USUBJID]
        end = s["DTHDT"] if s["DTHFL"] == "Y" else s["LSTALVDT"]
        if r.ADT > end:
            out.append(f"{r.USUBJID}: {r.PARAMCD} {r.AVISIT} on {r.ADT} after death/last contact")
        ref = s["TRTSDT"] if r.AVISIT == "CYCLE 1" else s["C2SDT"]
        if r.PARAMCD == "OVRLRESP" and r.AVALC != "NE" and not 21 <= _days(ref, r.ADT) <= 49:
            out.append(f"{r.USUBJID}: {r.AVISIT} response {_days(ref, r.ADT)} days after the cycle started")
        if r.AVALC == "NE" and not r.RSNOTE:
            out.append(f"{r.USUBJID}: non-evaluable response without a reason in RSNOTE")
        if r.AVALC == "NR" and "death" in r.RSNOTE.lower():
            out.append(f"{r.USUBJID}: an early death is non-evaluable for response (NE), not NR (ELN 2022)")
        if r.AVISIT == "CYCLE 1" and r.AVALC in ("CR", "CRh") and not pd.isna(s["ANCDUR"]):
            if _days(s["TRTSDT"], r.ADT) < 7 + s["ANCDUR"]:
                out.append(f"{r.USUBJID}: {r.AVALC} read before neutrophil recovery")
    for r in _rows(adtte_l, ["USUBJID", "PARAMCD", "STARTDT", "ADT", "AVAL", "CNSR"]):
        s = adsl_i[r.USUBJID]
        if _days(r.STARTDT, r.ADT) != r.AVAL:
            out.append(f"{r.USUBJID}: {r.PARAMCD} AVAL {r.AVAL} != ADT - STARTDT")
        if r.PARAMCD == "OS":
            if r.STARTDT != s["TRTSDT"]:
                out.append(f"{r.USUBJID}: OS does not start on cycle 1 day 1")
            if (r.CNSR == 0) != (s["DTHFL"] == "Y") or (r.CNSR == 0 and r.ADT != s["DTHDT"]):
                out.append(f"{r.USUBJID}: OS event disagrees with ADSL death")
    for r in _rows(adae_l, ["USUBJID", "AEDECOD", "ASTDT"]):
        s = adsl_i[r.USUBJID]
        end = s["DTHDT"] if s["DTHFL"] == "Y" else s["LSTALVDT"]
        if not s["TRTSDT"] <= r.ASTDT <= end:
            out.append(f"{r.USUBJID}: AE {r.AEDECOD} on {r.ASTDT} outside treatment..death/last contact")
    return out
