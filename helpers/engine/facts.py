"""The abstract as data: load and validate ``data/abstract_facts.csv``.

Each row is one quantitative statement of the abstract (fact). ``numerator`` and
``denominator`` hold the counts the abstract *prints*; they are empty where it prints
only a percentage. :func:`grim_numerators` recovers the counts a percentage allows.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from helpers import paths
from helpers.validate import check_float, check_frame, check_int, check_str

FACT_COLUMNS = ["fact_id", "section", "population", "statement", "numerator", "denominator",
                "value", "unit", "decimals", "source_text", "notebook"]
SECTIONS = ["eligibility", "regimen", "cohort", "response", "survival", "toxicity"]
UNITS = ["%", "months", "days", "years", "patients", "mg/m2", "g/m2", "ug", "day", "weeks", "cycles"]
#: Largest denominator :func:`grim_numerators` accepts: it tries every k in 0..n, so n is bounded
#: (a trial's patient count; 10**6 takes about a second).
MAX_GRIM_DENOMINATOR = 1_000_000
MAX_DECIMALS = 6


def round_half_up(value: float, decimals: int) -> float:
    """Round like a journal does (0.05 → 0.1), not like Python's banker's rounding.

    A tiny epsilon absorbs binary representation error (e.g. 66.65 stored as 66.6499…).
    """
    value = check_float("value", value)
    decimals = check_int("decimals", decimals, 0, MAX_DECIMALS, allow_float=True)
    factor = 10 ** int(decimals)
    scaled = abs(value) * factor + 1e-9
    rounded = int(scaled + 0.5) / factor
    return rounded if value >= 0 else -rounded


def grim_numerators(percent: float, denominator: int, decimals: int) -> list[int]:
    """All counts k in 0..n with 100·k/n rounding to ``percent`` at ``decimals`` places.

    A GRIM-style check (Brown & Heathers, 2017): an empty list means the printed
    percentage is impossible for that denominator.

    >>> grim_numerators(66.7, 27, 1)
    [18]
    """
    try:
        denominator = check_int("denominator", denominator, 1, MAX_GRIM_DENOMINATOR)
    except ValueError as exc:
        raise ValueError(f"{exc} (a positive whole number of patients)") from None
    percent = check_float("percent", percent, 0, 100, "%")
    decimals = check_int("decimals", decimals, 0, MAX_DECIMALS, allow_float=True)
    target = round_half_up(percent, decimals)
    return [k for k in range(denominator + 1)
            if round_half_up(100 * k / denominator, decimals) == target]


def load_facts(path: str | Path | None = None) -> pd.DataFrame:
    """Load ``abstract_facts.csv`` (validated once per file and process; returns a fresh copy).

    See :func:`read_facts` for the checks."""
    path = _facts_path(path)
    return _cached_facts(str(path.resolve()), path.stat().st_mtime_ns).copy()


def _facts_path(path: str | Path | None) -> Path:
    if path is not None and not isinstance(path, (str, Path)):
        raise ValueError(f"path={path!r} is not accepted; accepted: a file path (str or Path) or None")
    path = Path(path) if path is not None else paths.data_dir() / "abstract_facts.csv"
    if not path.is_file():
        raise ValueError(f"path={str(path.name)!r}: abstract_facts file not found; accepted: an existing CSV file")
    return path


@lru_cache(maxsize=8)
def _cached_facts(path: str, mtime_ns: int) -> pd.DataFrame:
    return read_facts(path)


def read_facts(path: str | Path | None = None) -> pd.DataFrame:
    """Load ``abstract_facts.csv`` and validate it; returns one row per fact, indexed by nothing.

    Raises ``ValueError`` naming the column and row for: a missing column, a duplicate
    ``fact_id``, a non-numeric value, an unknown section, or a printed k/n that does not
    round to the printed percentage.
    """
    path = _facts_path(path)
    try:
        facts = pd.read_csv(path, dtype=str, keep_default_na=False)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
        raise ValueError(f"abstract_facts: file {path.name} is not a readable CSV table ({exc})") from None
    missing = [c for c in FACT_COLUMNS if c not in facts.columns]
    if missing:
        raise ValueError(f"abstract_facts: missing column(s) {missing}; expected {FACT_COLUMNS}")
    dup = facts.loc[facts["fact_id"].duplicated(), "fact_id"]
    if len(dup):
        raise ValueError(f"abstract_facts: fact_id {dup.iloc[0]!r} appears more than once; ids must be unique")
    if len(facts) == 0:
        raise ValueError("abstract_facts: the file has no data rows (header only); accepted: one row per fact")
    for i, row in facts.iterrows():
        where = f"abstract_facts row {i + 2} (fact_id {row['fact_id']!r})"
        if not row["fact_id"].strip():
            raise ValueError(f"{where}: column fact_id is empty; accepted: a unique non-empty slug")
        if row["section"] not in SECTIONS:
            raise ValueError(f"{where}: section={row['section']!r}; expected one of {SECTIONS}")
        if row["unit"] not in UNITS:
            raise ValueError(f"{where}: unit={row['unit']!r}; expected one of {UNITS}")
        for col in ["value", "decimals", "numerator", "denominator"]:
            text = row[col]
            if col in ("numerator", "denominator") and text == "":
                continue
            try:
                number = float(text)
            except ValueError:
                raise ValueError(f"{where}: column {col}={text!r} is not a number") from None
            if not np.isfinite(number):
                raise ValueError(f"{where}: column {col}={text!r} is not a finite number")
            if col != "value" and number != int(number):
                raise ValueError(f"{where}: column {col}={text!r} must be a whole number")
            if col != "value" and number < 0:
                raise ValueError(f"{where}: column {col}={text!r} must be >= 0")
            if col == "decimals" and number > MAX_DECIMALS:
                raise ValueError(f"{where}: column decimals={text!r}; accepted: 0 to {MAX_DECIMALS}")
            if col == "denominator" and number == 0:
                raise ValueError(f"{where}: column denominator={text!r}; accepted: a positive whole number or empty")
        if row["unit"] == "%" and not 0 <= float(row["value"]) <= 100:
            raise ValueError(f"{where}: column value={row['value']!r} is a percentage outside 0–100")
    facts["value"] = facts["value"].astype(float)
    facts["decimals"] = facts["decimals"].astype(int)
    for col in ["numerator", "denominator"]:
        facts[col] = pd.to_numeric(facts[col].replace("", None)).astype("Int64")
    for i, row in facts.iterrows():
        k, n = row["numerator"], row["denominator"]
        if row["unit"] == "%" and pd.notna(k) and pd.notna(n):
            if k > n or k < 0:
                raise ValueError(f"abstract_facts row {i + 2} (fact_id {row['fact_id']!r}): "
                                 f"numerator={k} must be between 0 and denominator={n}")
            if round_half_up(100 * k / n, row["decimals"]) != row["value"]:
                raise ValueError(f"abstract_facts row {i + 2} (fact_id {row['fact_id']!r}): "
                                 f"{k}/{n} = {100 * k / n:.3f}% does not round to the printed {row['value']}%")
    return facts


def fact_value(facts: pd.DataFrame, fact_id: str) -> float:
    """The reported value of one fact (as printed)."""
    check_frame("facts", facts, ["fact_id", "value"])
    check_str("fact_id", fact_id)
    hit = facts.loc[facts["fact_id"] == fact_id, "value"]
    if hit.empty:
        raise ValueError(f"fact_id={fact_id!r} is not in abstract_facts.csv")
    return float(hit.iloc[0])


def reported_count(facts: pd.DataFrame, fact_id: str, denominator: int | None = None) -> int:
    """The patient count behind a fact: the printed numerator, a printed count, or the
    unique GRIM numerator of a printed percentage. Raises if the percentage is ambiguous."""
    check_frame("facts", facts, ["fact_id", "value", "unit", "numerator", "denominator", "decimals"])
    check_str("fact_id", fact_id)
    if denominator is not None:
        denominator = check_int("denominator", denominator, 1, MAX_GRIM_DENOMINATOR)
    row = facts.loc[facts["fact_id"] == fact_id]
    if row.empty:
        raise ValueError(f"fact_id={fact_id!r} is not in abstract_facts.csv")
    row = row.iloc[0]
    if row["unit"] != "%":
        return int(row["value"])
    if pd.notna(row["numerator"]):
        return int(row["numerator"])
    n = denominator if denominator is not None else row["denominator"]
    if pd.isna(n):
        raise ValueError(f"fact_id={fact_id!r} prints a percentage without a denominator; pass denominator=")
    ks = grim_numerators(row["value"], int(n), int(row["decimals"]))
    if len(ks) != 1:
        raise ValueError(f"fact_id={fact_id!r}: {row['value']}% of {n} allows counts {ks}, not exactly one")
    return ks[0]
