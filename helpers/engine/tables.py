"""Load the cohort tables in ``data/`` and check them against their schema.

Every loader raises ``ValueError`` naming the table, the column and (where it applies)
the row for a missing column, an unknown category, a wrong type or a malformed date.
Row numbers are 1-based data rows (the CSV header is row 0).
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from helpers.paths import DATA_DIR

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


def validate(name: str, df: pd.DataFrame) -> pd.DataFrame:
    """Check ``df`` against the schema of table ``name`` and return it with typed columns.

    Integers become pandas ``Int64`` (empty → <NA>), floats ``float``, dates stay ISO
    strings (``YYYY-MM-DD``) so CSV round trips are byte-stable; empty text is "".
    """
    if name not in SCHEMAS:
        raise ValueError(f"table={name!r} is not a known table; expected one of {TABLE_NAMES}")
    schema = SCHEMAS[name]
    missing = [c for c in schema if c not in df.columns]
    if missing:
        raise ValueError(f"table {name}: missing column(s) {missing}; the table needs {list(schema)}")
    df = df.copy()
    for col, kind in schema.items():
        optional = isinstance(kind, str) and kind.startswith("?")
        kind = kind[1:] if optional else kind
        raw = df[col]
        text = raw.astype("string").fillna("")
        text = text.str.replace(r"\.0$", "", regex=True) if kind in ("int",) or isinstance(kind, list) else text
        empty = text.str.strip() == ""
        for i in df.index[empty]:
            if not optional and not (isinstance(kind, list) and "" in kind):
                raise ValueError(f"table {name}, column {col}, row {i + 1}: value is empty; the column is required")
        if isinstance(kind, list):
            allowed = [str(a) for a in kind]
            bad = ~text.isin(allowed)
            if bad.any():
                i = df.index[bad][0]
                raise ValueError(f"table {name}, column {col}, row {i + 1}: {raw[i]!r} is not an allowed value; "
                                 f"expected one of {kind}")
            if all(isinstance(a, int) for a in kind):
                df[col] = pd.to_numeric(text).astype("Int64")
            else:
                df[col] = text.astype(object)
        elif kind in ("int", "float"):
            numbers = pd.to_numeric(text.where(~empty, None), errors="coerce")
            bad = numbers.isna() & ~empty
            if kind == "int":
                bad |= numbers.notna() & (numbers % 1 != 0)
            if bad.any():
                i = df.index[bad][0]
                raise ValueError(f"table {name}, column {col}, row {i + 1}: {raw[i]!r} is not a valid {kind}")
            df[col] = numbers.astype("Int64") if kind == "int" else numbers.astype(float)
        elif kind == "date":
            parsed = pd.to_datetime(text.where(~empty, None), format="%Y-%m-%d", errors="coerce")
            bad = parsed.isna() & ~empty
            if bad.any():
                i = df.index[bad][0]
                raise ValueError(f"table {name}, column {col}, row {i + 1}: {raw[i]!r} is not a date YYYY-MM-DD")
            df[col] = text.astype(object)
        else:
            df[col] = text.astype(object)
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
    return df


def typed(name: str, df: pd.DataFrame) -> pd.DataFrame:
    """Cast a table built in code to the dtypes :func:`validate` returns, without checking
    it (fast; for the generator, whose output tests run through :func:`validate`)."""
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
    """Read ``<data_dir>/<name>.csv`` (default: the project's ``data/``) and validate it."""
    if name not in SCHEMAS:
        raise ValueError(f"name={name!r} is not a known table; expected one of {TABLE_NAMES}")
    path = Path(data_dir if data_dir is not None else DATA_DIR) / f"{name}.csv"
    if not path.exists():
        raise ValueError(f"table {name}: file {path.name} not found in the data folder")
    return validate(name, pd.read_csv(path, dtype=str, keep_default_na=False))


def load_all(data_dir: str | Path | None = None) -> dict[str, pd.DataFrame]:
    """Every cohort table, validated, keyed by name."""
    return {name: load_table(name, data_dir) for name in TABLE_NAMES}
