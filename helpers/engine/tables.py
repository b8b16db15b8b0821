"""Load the cohort tables in ``data/`` and check them against their schema.

Every loader raises ``ValueError`` naming the table, the column and (where it applies)
the row. Row numbers are 1-based data rows (the CSV header is row 0). Checks:

* one table (:func:`validate`, :func:`load_table`): the file exists and has data rows; every
  column present; types (int, float, ISO date ``YYYY-MM-DD`` that exists in the calendar);
  allowed categories (response values per PARAMCD, ``NE`` included); plausible ranges
  (``RANGES``: age, height in cm, weight in kg, BSA in m², durations, days); no duplicated keys
  (``KEYS``); cross-field rules inside a row (death flag ⇔ death date ⇔ EOSSTT DEAD; dates in
  order TRTSDT ≤ C2SDT, CONSDT, HSCTDT, RELDT ≤ DTHDT/LSTALVDT; NCYCLES 2 ⇔ C2SDT; stored BSA =
  Mosteller of height and weight; AVAL = ADT − STARTDT; CNSR agrees with EVNTDESC; regimen basis
  agrees with unit, days within the cycle, dose within the plausibility limit of
  :data:`helpers.dosing.MAX_DOSE_MG`);
* across tables (:func:`check_cohort`, run by :func:`load_all`): every USUBJID of adrs, adtte,
  adae and mutations is in adsl and every patient has an OS row; OS starts at TRTSDT and ends at
  LSTALVDT, with CNSR 0 exactly for the dead; assessments and adverse events lie between TRTSDT
  and death / last contact; the cycle-1 response is not after relapse; no date after the
  protocol's cut-off (CUTOFFDT).

Every notebook loads through :func:`load_all` in its first code cell, so a corrupt file stops
the notebook there with the loader's message.
"""
from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd

from helpers import paths

# column -> kind: "str", "int", "float", "date", or a list of allowed values.
# A leading "?" means the column may be empty.
SCHEMAS: dict[str, dict[str, object]] = {
    "adsl": {
        "STUDYID": "str", "USUBJID": "str", "AGE": "int", "SEX": ["M", "F"],
        "HEIGHTCM": "float", "WEIGHTKG": "float", "BSA": "float",
        "DISSTAT": ["REFRACTORY", "RELAPSED"], "SECAML": ["Y", "N"], "CYTO": "str",
        "ELN2022": ["FAVORABLE", "INTERMEDIATE", "ADVERSE"], "TRTSDT": "date", "NCYCLES": [1, 2],
        "C2SDT": "?date", "POSTREM": ["", "HSCT", "CONSOLIDATION-HSCT", "NONE"],
        "HSCTGRP": ["", "HSCT", "NO HSCT"], "COMPLFL": ["", "Y", "N"], "CONSDT": "?date",
        "HSCTDT": "?date", "RELDT": "?date", "ANCDUR": "?int", "PLTDUR": "?int", "DTHFL": ["Y", "N"],
        "DTHDT": "?date", "DTHCAUS": "?str", "LSTALVDT": "date",
        "EOSSTT": ["ONGOING", "DEAD", "LOST TO FOLLOW-UP"],
    },
    "adrs": {
        "USUBJID": "str", "PARAMCD": ["OVRLRESP", "MRDFLOW"], "AVISIT": ["CYCLE 1", "CYCLE 2"],
        "AVALC": ["CR", "CRh", "CRi", "MLFS", "PR", "NR", "NE", "NEGATIVE", "POSITIVE"], "ADT": "date",
        "RSNOTE": "?str",
    },
    "adtte": {
        "USUBJID": "str", "PARAMCD": ["OS", "RFS"], "STARTDT": "date", "ADT": "date", "AVAL": "int",
        "CNSR": [0, 1], "EVNTDESC": "str",
    },
    "adae": {
        "USUBJID": "str", "AEDECOD": "str", "AETOXGR": [1, 2, 3, 4, 5], "AEREL": ["Y", "N"], "ASTDT": "date",
    },
    "mutations": {"USUBJID": "str", "GENE": "str", "VARIANT_CLASS": "str"},
    "regimen": {
        "DRUG": "str", "DRUGKEY": "str", "DOSE": "float", "UNIT": ["mg/m2", "g/m2", "ug"],
        "BASIS": ["per m2", "flat"], "ROUTE": ["IV", "SC"], "FIRSTDAY": "int", "LASTDAY": "int",
        "CYCLEDAYS": "int", "MAXCYCLES": "int",
    },
    "protocol": {"PARAM": "str", "VALUE": "str", "UNIT": "?str"},
}
TABLE_NAMES = list(SCHEMAS)
RESPONSE_VALUES = {"OVRLRESP": ["CR", "CRh", "CRi", "MLFS", "PR", "NR", "NE"], "MRDFLOW": ["NEGATIVE", "POSITIVE"]}


_TRAILING_DOT_ZERO = re.compile(r"\.0$")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _text(raw: pd.Series) -> np.ndarray:
    """The column as an object array of str, empty for a missing value: ``raw.astype("string").fillna("")``,
    taken as it is where the column holds str already (as read from CSV: the common case, and fast)."""
    values = raw.to_numpy(dtype=object, copy=True)
    if all(type(v) is str for v in values):
        return values
    return raw.astype("string").fillna("").to_numpy(dtype=object)


def _numbers(text: np.ndarray, empty: np.ndarray) -> np.ndarray | None:
    """float64 array of ``text`` parsed as numbers (NaN where empty or not a number) by pandas' parser on a
    NumPy array; None where that would not be exact (integers beyond 2**53), for the caller to parse them
    as a nullable string Series instead (as validate did for every column before: ~20 times slower)."""
    numbers = np.asarray(pd.to_numeric(np.where(empty, None, text), errors="coerce"))
    if numbers.dtype.kind not in "iuf":
        return None
    finite = numbers[np.isfinite(numbers)] if numbers.dtype.kind == "f" else numbers
    if len(finite) and np.abs(finite).max() >= 2**53:
        return None
    return numbers.astype(float)


def validate(name: str, df: pd.DataFrame) -> pd.DataFrame:
    """Check ``df`` against the schema of table ``name`` and return it with typed columns.

    Integers become pandas ``Int64`` (empty → <NA>), floats ``float``, dates stay ISO
    strings (``YYYY-MM-DD``) so CSV round trips are byte-stable; empty text is "".
    """
    if not isinstance(name, str) or name not in SCHEMAS:
        raise ValueError(f"table={name!r} is not a known table; expected one of {TABLE_NAMES}")
    if not isinstance(df, pd.DataFrame):
        raise ValueError(f"df={type(df).__name__} is not accepted; accepted: a pandas DataFrame of table {name}")
    schema = SCHEMAS[name]
    missing = [c for c in schema if c not in df.columns]
    if missing:
        raise ValueError(f"table {name}: missing column(s) {missing}; the table needs {list(schema)}")
    df = df.copy()
    # Column by column on NumPy object arrays of str (see _text): the tables are small, and pandas' string
    # methods cost about a millisecond a call whatever the length (validation took ~0.3 s per folder).
    for col, kind in schema.items():
        optional = isinstance(kind, str) and kind.startswith("?")
        kind = kind[1:] if optional else kind
        raw = df[col]
        text = _text(raw)
        if kind in ("int",) or isinstance(kind, list):
            text = np.array([_TRAILING_DOT_ZERO.sub("", t) for t in text], dtype=object)
        empty = np.array([t.strip() == "" for t in text], dtype=bool)
        if empty.any() and not optional and not (isinstance(kind, list) and "" in kind):
            i = df.index[empty][0]
            raise ValueError(f"table {name}, column {col}, row {i + 1}: value is empty; the column is required")
        if isinstance(kind, list):
            allowed = {str(a) for a in kind}
            bad = np.array([t not in allowed for t in text], dtype=bool)
            if bad.any():
                i = df.index[bad][0]
                raise ValueError(f"table {name}, column {col}, row {i + 1}: {raw[i]!r} is not an allowed value; "
                                 f"expected one of {kind}")
            if all(isinstance(a, int) for a in kind):
                df[col] = pd.array([int(t) for t in text], dtype="Int64")  # each text is str(a) of an int a
            else:
                df[col] = text
        elif kind in ("int", "float"):
            numbers = _numbers(text, empty)
            if numbers is None:
                numbers = pd.to_numeric(pd.Series(text, index=df.index, dtype="string").where(~empty, None),
                                        errors="coerce")
            bad = np.asarray(pd.isna(numbers), dtype=bool) & ~empty
            if kind == "int":
                with np.errstate(invalid="ignore"):  # inf % 1 is NaN: not a whole number, refused
                    bad |= np.asarray(pd.notna(numbers) & (numbers % 1 != 0), dtype=bool)
            if bad.any():
                i = df.index[bad][0]
                raise ValueError(f"table {name}, column {col}, row {i + 1}: {raw[i]!r} is not a valid {kind}")
            if isinstance(numbers, pd.Series):
                df[col] = numbers.astype("Int64") if kind == "int" else numbers.astype(float)
            else:
                df[col] = pd.array(numbers, dtype="Int64") if kind == "int" else numbers
        elif kind == "date":
            parsed = pd.to_datetime(np.where(empty, None, text), format="%Y-%m-%d", errors="coerce")
            bad = (np.asarray(parsed.isna()) | ~np.array([_ISO_DATE.fullmatch(t) is not None for t in text],
                                                          dtype=bool)) & ~empty
            if bad.any():
                i = df.index[bad][0]
                raise ValueError(f"table {name}, column {col}, row {i + 1}: {raw[i]!r} is not a date YYYY-MM-DD")
            df[col] = text
        else:
            df[col] = text
    if name == "adrs":
        for param, allowed in RESPONSE_VALUES.items():
            bad = (df["PARAMCD"] == param) & ~df["AVALC"].isin(allowed)
            if bad.any():
                i = df.index[bad][0]
                raise ValueError(f"table adrs, column AVALC, row {i + 1}: {df.at[i, 'AVALC']!r} is not allowed "
                                 f"for PARAMCD {param}; expected one of {allowed}")
    if name == "adsl" and df["USUBJID"].duplicated().any():
        i = df.index[df["USUBJID"].duplicated()][0]
        raise ValueError(f"table adsl, column USUBJID, row {i + 1}: {df.at[i, 'USUBJID']!r} appears twice; "
                         "ADSL has one row per patient")
    _check_rows(name, df)
    return df


#: Plausible ranges (inclusive) of numeric columns: (low, high, unit). Guard-rails against unit
#: slips (height in metres or inches, weight in pounds), not clinical limits.
RANGES: dict[str, dict[str, tuple[float, float, str]]] = {
    "adsl": {"AGE": (0, 120, "years"), "HEIGHTCM": (50.0, 250.0, "cm"), "WEIGHTKG": (2.0, 350.0, "kg"),
             "BSA": (0.2, 3.5, "m²"), "ANCDUR": (0, 365, "days"), "PLTDUR": (0, 365, "days")},
    "adtte": {"AVAL": (0, 36525, "days")},
    "regimen": {"DOSE": (0.0, 1e6, "in UNIT"), "FIRSTDAY": (0, 365, "day of the cycle"),
                "LASTDAY": (0, 365, "day of the cycle"), "CYCLEDAYS": (7, 84, "days"), "MAXCYCLES": (1, 12, "cycles")},
}
#: Columns that identify a row: a second row with the same values is refused.
KEYS: dict[str, list[str]] = {
    "adsl": ["USUBJID"], "adrs": ["USUBJID", "PARAMCD", "AVISIT"], "adtte": ["USUBJID", "PARAMCD"],
    "adae": ["USUBJID", "AEDECOD", "AETOXGR", "AEREL", "ASTDT"], "mutations": ["USUBJID", "GENE", "VARIANT_CLASS"],
    "regimen": ["DRUGKEY"], "protocol": ["PARAM"],
}
#: EVNTDESC allowed per PARAMCD and censoring flag (ADaM: CNSR 0 = event).
EVENT_DESCRIPTIONS: dict[tuple[str, int], list[str]] = {
    ("OS", 0): ["DEATH"], ("OS", 1): ["ALIVE AT DATA CUT-OFF", "LOST TO FOLLOW-UP"],
    ("RFS", 0): ["RELAPSE", "DEATH IN REMISSION"],
    ("RFS", 1): ["IN REMISSION AT DATA CUT-OFF", "IN REMISSION AT LAST CONTACT"],
}
#: Stored BSA may differ from Mosteller(height, weight) by this much (it is stored to 2 decimals).
BSA_TOLERANCE_M2 = 0.02
PROTOCOL_PARAMS = {"ELIGAGEMIN": "number", "ELIGAGEMAX": "number", "CUTOFFDT": "date", "DAYSPERMONTH": "number"}
ADSL_EVENT_DATES = ["C2SDT", "CONSDT", "HSCTDT", "RELDT", "DTHDT"]


def _row_error(name: str, col: str, i, message: str) -> ValueError:
    return ValueError(f"table {name}, column {col}, row {i + 1}: {message}")


def _check_rows(name: str, df: pd.DataFrame) -> None:
    """Ranges, duplicated keys and the cross-field rules inside one table (see the module docstring)."""
    if len(df) == 0:
        raise ValueError(f"table {name}: has no data rows (header only); the table needs at least one row")
    for col, (lo, hi, unit) in RANGES.get(name, {}).items():
        x = pd.to_numeric(df[col], errors="coerce").astype(float)
        bad = x.notna() & ~((x >= lo) & (x <= hi))
        if bad.any():
            i = df.index[bad][0]
            raise _row_error(name, col, i, f"{col}={df.at[i, col]} is outside the plausible range "
                                          f"{lo:g}–{hi:g} {unit}")
    key = KEYS[name]
    dup = df.duplicated(subset=key, keep="first")
    if dup.any():
        i = df.index[dup][0]
        shown = ", ".join(f"{c}={df.at[i, c]!r}" for c in key)
        raise _row_error(name, key[-1], i, f"duplicate row ({shown} appears more than once); "
                                          f"accepted: one row per {' + '.join(key)}")
    if name == "adsl":
        _check_adsl(df)
    elif name == "adtte":
        _check_adtte(df)
    elif name == "regimen":
        _check_regimen(df)
    elif name == "protocol":
        _check_protocol(df)


def _raise_first(name: str, df: pd.DataFrame, checks) -> None:
    """Raise the error of the first row that fails one of ``checks``, and of the first check it fails.

    ``checks``: (boolean mask over the rows, column, message(i) for row label i), in the order a row-wise
    loop would test them. Row by row (DataFrame.iterrows) this cost ~0.1 s per table; the masks are
    computed at once, so the first failure reported (row, then check) is what the loop reported.
    """
    masks = [np.asarray(mask, dtype=bool) for mask, _, _ in checks]
    failing = np.logical_or.reduce(masks) if masks else np.zeros(len(df), dtype=bool)
    if failing.any():
        pos = int(np.argmax(failing))
        for mask, (_, col, message) in zip(masks, checks):
            if mask[pos]:
                i = df.index[pos]
                raise _row_error(name, col, i, message(i))


def _check_adsl(df: pd.DataFrame) -> None:
    at = df.at
    dead = (df["DTHFL"] == "Y").to_numpy()
    start, last, dthdt = df["TRTSDT"], df["LSTALVDT"], df["DTHDT"]
    mosteller = np.sqrt(df["HEIGHTCM"].to_numpy(float) * df["WEIGHTKG"].to_numpy(float) / 3600)
    checks = [
        (dead != (dthdt != "").to_numpy(), "DTHDT",
         lambda i: f"DTHFL={at[i, 'DTHFL']!r} with DTHDT={at[i, 'DTHDT']!r}; accepted: a death "
                   "date exactly when DTHFL is 'Y'"),
        (dead != (df["EOSSTT"] == "DEAD").to_numpy(), "EOSSTT",
         lambda i: f"EOSSTT={at[i, 'EOSSTT']!r} with DTHFL={at[i, 'DTHFL']!r}; accepted: "
                   "EOSSTT 'DEAD' exactly when DTHFL is 'Y'"),
        (dead & (last != dthdt).to_numpy(), "LSTALVDT",
         lambda i: f"LSTALVDT={at[i, 'LSTALVDT']!r} but DTHDT={at[i, 'DTHDT']!r}; "
                   "accepted: LSTALVDT = DTHDT for a patient who died"),
        (np.array([int(n) == 2 for n in df["NCYCLES"]], dtype=bool) != (df["C2SDT"] != "").to_numpy(), "C2SDT",
         lambda i: f"C2SDT={at[i, 'C2SDT']!r} with NCYCLES={at[i, 'NCYCLES']}; accepted: "
                   "a cycle-2 start date exactly when NCYCLES is 2"),
        ((last < start).to_numpy(), "LSTALVDT",
         lambda i: f"LSTALVDT={at[i, 'LSTALVDT']!r} is before TRTSDT={at[i, 'TRTSDT']!r}; accepted: "
                   "TRTSDT <= LSTALVDT"),
    ]
    for col in ADSL_EVENT_DATES:
        d = df[col]
        checks.append((((d != "") & ~((start <= d) & (d <= last))).to_numpy(), col,
                       lambda i, col=col: f"{col}={at[i, col]!r} is not between TRTSDT={at[i, 'TRTSDT']!r} and "
                                          f"the last contact / death LSTALVDT={at[i, 'LSTALVDT']!r}; accepted: "
                                          "dates in that order"))
    checks.append((np.abs(df["BSA"].to_numpy(float) - mosteller) > BSA_TOLERANCE_M2, "BSA",
                   lambda i: f"BSA={at[i, 'BSA']:g} m² but HEIGHTCM={at[i, 'HEIGHTCM']:g} and "
                             f"WEIGHTKG={at[i, 'WEIGHTKG']:g} give "
                             f"{float(np.sqrt(at[i, 'HEIGHTCM'] * at[i, 'WEIGHTKG'] / 3600)):.2f} m² (Mosteller); "
                             f"accepted: within {BSA_TOLERANCE_M2:g} m² of it"))
    _raise_first("adsl", df, checks)


def _check_adtte(df: pd.DataFrame) -> None:
    at = df.at
    days = (pd.to_datetime(df["ADT"].to_numpy(object), format="%Y-%m-%d")
            - pd.to_datetime(df["STARTDT"].to_numpy(object), format="%Y-%m-%d")).days.to_numpy()
    day = dict(zip(df.index, days.tolist()))
    allowed = [EVENT_DESCRIPTIONS[(p, int(c))] for p, c in zip(df["PARAMCD"], df["CNSR"])]
    _raise_first("adtte", df, [
        (days < 0, "ADT", lambda i: f"ADT={at[i, 'ADT']!r} is before STARTDT={at[i, 'STARTDT']!r}; "
                                    "accepted: STARTDT <= ADT"),
        (np.array([int(a) for a in df["AVAL"]], dtype=np.int64) != days, "AVAL",
         lambda i: f"AVAL={at[i, 'AVAL']} but ADT − STARTDT = {day[i]} days; accepted: AVAL = ADT − STARTDT"),
        ([e not in ok for e, ok in zip(df["EVNTDESC"], allowed)], "EVNTDESC",
         lambda i: f"{at[i, 'EVNTDESC']!r} with PARAMCD={at[i, 'PARAMCD']!r}, CNSR={at[i, 'CNSR']}; accepted: "
                   f"one of {EVENT_DESCRIPTIONS[(at[i, 'PARAMCD'], int(at[i, 'CNSR']))]}"),
    ])


def _check_regimen(df: pd.DataFrame) -> None:
    from helpers.dosing import DRUG_BASIS, MAX_DOSE_MG, PER_M2_UNITS, to_mg

    for i, r in zip(df.index, df.to_dict("records")):  # 4 rows; each rule needs the one before it
        if r["DRUGKEY"] not in MAX_DOSE_MG:
            raise _row_error("regimen", "DRUGKEY", i, f"{r['DRUGKEY']!r} is not a drug with a plausibility "
                                                      f"limit; accepted: one of {list(MAX_DOSE_MG)}")
        if r["BASIS"] != DRUG_BASIS[r["DRUGKEY"]]:
            basis = DRUG_BASIS[r["DRUGKEY"]]
            raise _row_error("regimen", "BASIS", i, f"BASIS={r['BASIS']!r} for {r['DRUGKEY']}, which is dosed "
                                                    f"{basis!r}; accepted: {basis!r}")
        per_m2 = r["UNIT"] in PER_M2_UNITS
        if per_m2 != (r["BASIS"] == "per m2"):
            raise _row_error("regimen", "BASIS", i, f"BASIS={r['BASIS']!r} with UNIT={r['UNIT']!r}; accepted: "
                                                    "'per m2' with mg/m2 or g/m2, 'flat' with ug")
        dose = to_mg(r["DOSE"], r["UNIT"])
        limit = MAX_DOSE_MG[r["DRUGKEY"]]
        if not 0 < dose <= limit:
            shown = "mg/m²" if per_m2 else "mg"
            raise _row_error("regimen", "DOSE", i, f"{r['DOSE']:g} {r['UNIT']} ({dose:g} {shown}) for "
                                                   f"{r['DRUGKEY']}; accepted: > 0 and at most {limit:g} {shown} "
                                                   "(check the unit)")
        if r["LASTDAY"] < r["FIRSTDAY"]:
            raise _row_error("regimen", "LASTDAY", i, f"LASTDAY={r['LASTDAY']} is before FIRSTDAY={r['FIRSTDAY']}; "
                                                      "accepted: FIRSTDAY <= LASTDAY")
        if r["LASTDAY"] >= r["CYCLEDAYS"]:
            raise _row_error("regimen", "LASTDAY", i, f"LASTDAY={r['LASTDAY']} is not inside a cycle of "
                                                      f"CYCLEDAYS={r['CYCLEDAYS']}; accepted: LASTDAY < CYCLEDAYS")


def _check_protocol(df: pd.DataFrame) -> None:
    values = dict(zip(df["PARAM"], df["VALUE"]))
    missing = [p for p in PROTOCOL_PARAMS if p not in values]
    if missing:
        raise ValueError(f"table protocol, column PARAM: missing parameter(s) {missing}; the table needs "
                         f"{list(PROTOCOL_PARAMS)}")
    for param, kind in PROTOCOL_PARAMS.items():
        i = df.index[df["PARAM"] == param][0]
        text = values[param]
        if kind == "date":
            from helpers.validate import check_date
            try:
                check_date(param, text)
            except ValueError:
                raise _row_error("protocol", "VALUE", i, f"{param}={text!r} is not a date YYYY-MM-DD") from None
        else:
            try:
                number = float(text)
            except ValueError:
                number = float("nan")
            if not np.isfinite(number) or number <= 0:
                raise _row_error("protocol", "VALUE", i, f"{param}={text!r} is not accepted; accepted: a "
                                                         "positive number")
    if float(values["ELIGAGEMIN"]) > float(values["ELIGAGEMAX"]):
        raise ValueError(f"table protocol, column VALUE: ELIGAGEMIN={values['ELIGAGEMIN']!r} is above "
                         f"ELIGAGEMAX={values['ELIGAGEMAX']!r}; accepted: ELIGAGEMIN <= ELIGAGEMAX")


def check_cohort(tables: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """Rules across tables (referential integrity, dates against ADSL and the cut-off); returns
    ``tables`` unchanged or raises ``ValueError`` naming the table, column and row."""
    from helpers.validate import check_tables

    check_tables("tables", tables, {n: list(SCHEMAS[n]) for n in SCHEMAS})
    adsl = tables["adsl"].set_index("USUBJID")
    ids = set(adsl.index)
    cutoff = dict(zip(tables["protocol"]["PARAM"], tables["protocol"]["VALUE"]))["CUTOFFDT"]
    for name in ("adrs", "adtte", "adae", "mutations"):
        df = tables[name]
        orphan = ~df["USUBJID"].isin(ids)
        if orphan.any():
            i = df.index[orphan][0]
            raise _row_error(name, "USUBJID", i, f"{df.at[i, 'USUBJID']!r} is not a patient in adsl; "
                                                 "accepted: a USUBJID of adsl")
    rows = adsl.reset_index()
    _raise_first("adsl", rows, [
        (((rows[col] != "") & (rows[col] > cutoff)).to_numpy(), col,
         lambda i, col=col: f"{col}={rows.at[i, col]!r} is after the data cut-off "
                            f"CUTOFFDT={cutoff!r}; accepted: dates up to the cut-off")
        for col in ["TRTSDT", "LSTALVDT"] + ADSL_EVENT_DATES])
    adtte = tables["adtte"]
    os_rows = adtte[adtte["PARAMCD"] == "OS"]
    without = sorted(ids - set(os_rows["USUBJID"]))
    if without:
        raise ValueError(f"table adtte, column USUBJID: patient(s) {without} of adsl have no OS row; "
                         "accepted: one OS row per patient")

    def of(df: pd.DataFrame, col: str) -> pd.Series:  # adsl's ``col`` for each row of ``df``
        return df["USUBJID"].map(adsl[col])

    def patient(df: pd.DataFrame, i, col: str):
        return adsl.at[df.at[i, "USUBJID"], col]

    checks = []
    for col, src in (("STARTDT", "TRTSDT"), ("ADT", "LSTALVDT")):
        checks.append(((os_rows[col] != of(os_rows, src)).to_numpy(), col,
                       lambda i, col=col, src=src: f"OS {col}={os_rows.at[i, col]!r} for {os_rows.at[i, 'USUBJID']} "
                                                   f"but adsl {src}={patient(os_rows, i, src)!r}; accepted: OS runs "
                                                   "from TRTSDT to LSTALVDT"))
    event = np.array([int(c) == 0 for c in os_rows["CNSR"]], dtype=bool)
    checks.append((event != (of(os_rows, "DTHFL") == "Y").to_numpy(), "CNSR",
                   lambda i: f"OS CNSR={os_rows.at[i, 'CNSR']} for {os_rows.at[i, 'USUBJID']} but adsl DTHFL="
                             f"{patient(os_rows, i, 'DTHFL')!r}; accepted: CNSR 0 exactly for patients who died"))
    _raise_first("adtte", os_rows, checks)
    rfs = adtte[adtte["PARAMCD"] == "RFS"]
    _raise_first("adtte", rfs, [(
        ~((of(rfs, "TRTSDT") <= rfs["STARTDT"]) & (rfs["STARTDT"] <= rfs["ADT"])
          & (rfs["ADT"] <= of(rfs, "LSTALVDT"))).to_numpy(), "ADT",
        lambda i: f"RFS {rfs.at[i, 'STARTDT']}..{rfs.at[i, 'ADT']} for {rfs.at[i, 'USUBJID']} is not "
                  f"between TRTSDT={patient(rfs, i, 'TRTSDT')!r} and LSTALVDT={patient(rfs, i, 'LSTALVDT')!r}")])
    for name, col in (("adrs", "ADT"), ("adae", "ASTDT")):
        df = tables[name]
        d = df[col]
        checks = [(~((of(df, "TRTSDT") <= d) & (d <= of(df, "LSTALVDT"))).to_numpy(), col,
                   lambda i, df=df, col=col: f"{col}={df.at[i, col]!r} for {df.at[i, 'USUBJID']} is not between "
                                             f"TRTSDT={patient(df, i, 'TRTSDT')!r} and death / last contact "
                                             f"LSTALVDT={patient(df, i, 'LSTALVDT')!r}; accepted: dates in that order")]
        if name == "adrs":
            reldt = of(df, "RELDT")
            checks.append((((df["AVISIT"] == "CYCLE 1") & (df["PARAMCD"] == "OVRLRESP") & (reldt != "")
                            & (d > reldt)).to_numpy(), col,
                           lambda i, df=df, col=col: f"cycle-1 response ADT={df.at[i, col]!r} for "
                                                     f"{df.at[i, 'USUBJID']} is after the relapse RELDT="
                                                     f"{patient(df, i, 'RELDT')!r}; accepted: response <= relapse"))
        _raise_first(name, df, checks)
    return tables


def typed(name: str, df: pd.DataFrame) -> pd.DataFrame:
    """Cast a table built in code to the dtypes :func:`validate` returns, without checking
    it (fast; for the generator, whose output tests run through :func:`validate`)."""
    if not isinstance(name, str) or name not in SCHEMAS:
        raise ValueError(f"name={name!r} is not a known table; expected one of {TABLE_NAMES}")
    from helpers.validate import check_frame
    check_frame("df", df, list(SCHEMAS[name]))
    df = df.copy()
    for col, kind in SCHEMAS[name].items():
        kind = kind[1:] if isinstance(kind, str) and kind.startswith("?") else kind
        if kind == "int" or (isinstance(kind, list) and all(isinstance(a, int) for a in kind)):
            df[col] = pd.array([None if v == "" else v for v in df[col]], dtype="Int64")
        elif kind == "float":
            df[col] = df[col].astype(float)
        else:
            df[col] = df[col].astype(str)
    return df


def load_table(name: str, data_dir: str | Path | None = None) -> pd.DataFrame:
    """Read ``<data_dir>/<name>.csv`` (default: :func:`helpers.paths.data_dir`) and validate it."""
    if not isinstance(name, str) or name not in SCHEMAS:
        raise ValueError(f"name={name!r} is not a known table; expected one of {TABLE_NAMES}")
    if data_dir is not None and (not isinstance(data_dir, (str, Path)) or not Path(data_dir).is_dir()):
        raise ValueError(f"data_dir={data_dir!r} is not accepted; accepted: an existing folder (str or Path) or None")
    path = Path(data_dir if data_dir is not None else paths.data_dir()) / f"{name}.csv"
    if not path.is_file():
        raise ValueError(f"table {name}: file {path.name} not found in the data folder")
    try:
        raw = pd.read_csv(path, dtype=str, keep_default_na=False)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
        raise ValueError(f"table {name}: file {path.name} is not a readable CSV table ({exc})") from None
    if list(raw.columns) and len(set(raw.columns)) != len(raw.columns):
        raise ValueError(f"table {name}: a column name appears twice in the header")
    return validate(name, raw)


# The last validated cohort, keyed on its folder and every file's size and modification time. A chapter
# loads the data in its first cell and its exercise answers (helpers/answers) load it again: validation
# costs about 0.2 s a time, so an unchanged folder is read once per process. Any change to a file (or
# another folder) is validated afresh; callers always get their own copies.
_LAST_LOADED: dict[tuple, dict[str, pd.DataFrame]] = {}


def _folder_key(data_dir: str | Path | None) -> tuple | None:
    folder = Path(data_dir if data_dir is not None else paths.data_dir())
    try:
        stats = [(folder / f"{name}.csv").stat() for name in TABLE_NAMES]
    except OSError:
        return None  # a missing file: let load_table say which one
    return (str(folder.resolve()),) + tuple((s.st_size, s.st_mtime_ns, s.st_ino) for s in stats)


def load_all(data_dir: str | Path | None = None) -> dict[str, pd.DataFrame]:
    """Every cohort table, validated one by one and then across tables (:func:`check_cohort`),
    keyed by name. Each call returns fresh copies; an unchanged folder is validated once per process."""
    if data_dir is not None and (not isinstance(data_dir, (str, Path)) or not Path(data_dir).is_dir()):
        raise ValueError(f"data_dir={data_dir!r} is not accepted; accepted: an existing folder (str or Path) or None")
    key = _folder_key(data_dir)
    if key is None or key not in _LAST_LOADED:
        loaded = check_cohort({name: load_table(name, data_dir) for name in TABLE_NAMES})
        _LAST_LOADED.clear()
        if key is not None:
            _LAST_LOADED[key] = {name: df.copy(deep=True) for name, df in loaded.items()}
        return loaded
    return {name: df.copy(deep=True) for name, df in _LAST_LOADED[key].items()}
