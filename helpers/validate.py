"""Small shared guards: every public helper checks its arguments with these before it computes.

Each guard returns the value in a normalised form (a Python ``int``, a ``float``, a ``list`` of
strings, ...) or raises ``ValueError`` whose message names the argument, shows the value it got
and says what is accepted, e.g. ``n=-3 is not accepted; accepted: a whole number >= 1``.

The rules the collection follows everywhere:

* a whole number may be any integer type (Python ``int``, ``numpy.int64``, a float that is
  exactly whole such as ``2.0`` only where ``allow_float=True``); ``bool`` is never a number;
* floats must be finite (no NaN, no infinity) and inside the stated range;
* a string is never iterated letter by letter where a list of strings is expected;
* a DataFrame argument must be a DataFrame and have the columns the function reads.
"""
from __future__ import annotations

import math
from collections.abc import Iterable
from numbers import Integral, Real

import numpy as np
import pandas as pd

__all__ = ["check_int", "check_float", "check_one_of", "check_str", "check_str_list", "check_frame",
           "check_bool", "check_float_array", "check_tables", "check_date"]


def _show(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def _fail(name: str, value: object, accepted: str) -> ValueError:
    return ValueError(f"{name}={_show(value)} is not accepted; accepted: {accepted}")


def check_int(name: str, value: object, lo: int | None = None, hi: int | None = None,
              allow_float: bool = False) -> int:
    """``value`` as a Python int, of any integer type (int, numpy integer); bool refused.

    ``allow_float=True`` also accepts a float that is exactly whole (2.0), never 1.5 or NaN.
    ``lo`` / ``hi`` are inclusive bounds.
    """
    accepted = "a whole number"
    if lo is not None and hi is not None:
        accepted += f" from {lo} to {hi}"
    elif lo is not None:
        accepted += f" >= {lo}"
    elif hi is not None:
        accepted += f" <= {hi}"
    if isinstance(value, (bool, np.bool_)):
        raise _fail(name, value, accepted)
    if isinstance(value, Integral):
        out = int(value)
    elif allow_float and isinstance(value, Real) and math.isfinite(float(value)) and float(value).is_integer():
        out = int(value)
    else:
        raise _fail(name, value, accepted)
    if (lo is not None and out < lo) or (hi is not None and out > hi):
        raise _fail(name, value, accepted)
    return out


def check_float(name: str, value: object, lo: float | None = None, hi: float | None = None,
                unit: str = "", lo_open: bool = False, hi_open: bool = False, hint: str = "") -> float:
    """``value`` as a finite float (ints of any type accepted; bool, str, NaN, inf refused),
    inside [lo, hi] (or open at either end)."""
    lo_txt = "" if lo is None else f"{'>' if lo_open else '>='} {lo:g}"
    hi_txt = "" if hi is None else f"{'<' if hi_open else '<='} {hi:g}"
    accepted = "a finite number" + (" " + " and ".join(t for t in (lo_txt, hi_txt) if t) if lo_txt or hi_txt else "")
    accepted += f" {unit}" if unit else ""
    accepted += hint
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, Real):
        raise _fail(name, value, accepted)
    out = float(value)
    if not math.isfinite(out):
        raise _fail(name, value, accepted)
    if lo is not None and (out <= lo if lo_open else out < lo):
        raise _fail(name, value, accepted)
    if hi is not None and (out >= hi if hi_open else out > hi):
        raise _fail(name, value, accepted)
    return out


#: Most values a per-patient array may hold: the survival and Kaplan–Meier helpers are quadratic in it,
#: and a trial has far fewer patients. Larger input is refused rather than left to run for hours.
MAX_PATIENTS = 100_000


def check_float_array(name: str, value: object, lo: float | None = None, hi: float | None = None,
                      unit: str = "", hint: str = "", allow_empty: bool = False,
                      finite: bool = True, max_size: int | None = None,
                      allow_bool: bool = False) -> np.ndarray:
    """A scalar or 1-d/2-d array of finite numbers inside [lo, hi], as a float ndarray.

    Strings, bools and non-numeric objects are refused (never coerced), except that
    ``allow_bool=True`` accepts a whole array of booleans (an event indicator: True = 1). ``finite=False`` lets NaN
    and infinity through (for a caller that reports them itself)."""
    accepted = "finite numbers" + (f" from {lo:g} to {hi:g}" if lo is not None and hi is not None else
                                   f" >= {lo:g}" if lo is not None else f" <= {hi:g}" if hi is not None else "")
    accepted += f" {unit}" if unit else ""
    accepted += hint
    if isinstance(value, (str, bytes, bool, np.bool_, dict, set)) or value is None:
        raise _fail(name, value, accepted)
    try:
        raw = np.asarray(value)
    except Exception:  # noqa: BLE001 - anything numpy cannot take is refused
        raise _fail(name, value, accepted) from None
    if allow_bool and raw.dtype.kind == "b":
        raw = raw.astype(int)
    if raw.dtype.kind not in "iuf":
        if raw.dtype.kind == "O":
            try:
                numbers = pd.to_numeric(pd.Series(raw.reshape(-1)), errors="raise")
                raw = np.asarray(numbers, dtype=float).reshape(raw.shape)
            except (ValueError, TypeError):
                raise _fail(name, value, accepted) from None
            if any(isinstance(v, (str, bool, np.bool_)) for v in np.asarray(value, dtype=object).reshape(-1)):
                raise _fail(name, value, accepted)
        else:
            raise _fail(name, value, accepted)
    arr = raw.astype(float)
    if max_size is not None and arr.size > max_size:
        raise ValueError(f"{name} has {arr.size} values; accepted: at most {max_size}")
    if arr.size == 0 and not allow_empty:
        raise _fail(name, value, accepted + " (at least one value)")
    flat = arr.reshape(-1)
    bad = ~np.isfinite(flat) if finite else np.zeros(flat.shape, dtype=bool)
    if lo is not None:
        bad |= flat < lo
    if hi is not None:
        bad |= flat > hi
    if bad.any():
        first = flat[np.argmax(bad)]
        if arr.ndim == 0:
            raise ValueError(f"{name}={first:g} is not accepted; accepted: {accepted}")
        raise ValueError(f"{name} contains {first:g}, which is not accepted; accepted: {accepted}")
    return arr


def check_one_of(name: str, value: object, allowed: Iterable[object]) -> object:
    """``value`` if it equals one of ``allowed`` (same type family: 1.0 is not the string "1")."""
    allowed = list(allowed)
    for a in allowed:
        if type(a) is str:
            if isinstance(value, str) and value == a:
                return a
        elif isinstance(a, Integral) and not isinstance(a, bool):
            if isinstance(value, Integral) and not isinstance(value, (bool, np.bool_)) and int(value) == a:
                return a
        elif value == a and type(value) is type(a):
            return a
    raise _fail(name, value, "one of " + ", ".join(repr(a) for a in allowed))


def check_bool(name: str, value: object) -> bool:
    """True or False (also numpy bools); 0, 1, "yes" refused."""
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    raise _fail(name, value, "True or False")


def check_str(name: str, value: object, nonempty: bool = True) -> str:
    """A string (non-empty unless ``nonempty=False``)."""
    if not isinstance(value, str) or (nonempty and not value.strip()):
        raise _fail(name, value, "a non-empty string" if nonempty else "a string")
    return value


def check_str_list(name: str, value: object, allowed: Iterable[str] | None = None,
                   allow_empty: bool = True) -> list[str]:
    """A list/tuple/set/Series of strings, never a single string (which would be iterated letter
    by letter). With ``allowed``, every element must be one of it (case-sensitive)."""
    if isinstance(value, (str, bytes, dict)) or not isinstance(value, Iterable):
        raise _fail(name, value, "a list of strings (not a single string)")
    items = list(value)
    for v in items:
        if not isinstance(v, str) or not v:
            raise ValueError(f"{name} contains {_show(v)}, which is not accepted; accepted: non-empty strings")
    if not allow_empty and not items:
        raise _fail(name, value, "a non-empty list of strings")
    if allowed is not None:
        allowed = set(allowed)
        unknown = sorted(set(items) - allowed)
        if unknown:
            raise ValueError(f"{name} contains {unknown}, not accepted; accepted: "
                             f"{', '.join(sorted(allowed))} (exact spelling and case)")
    return items


def check_frame(name: str, value: object, columns: Iterable[str] = (), nonempty: bool = False) -> pd.DataFrame:
    """A DataFrame that has every column in ``columns`` (and at least one row if ``nonempty``)."""
    columns = list(columns)
    if not isinstance(value, pd.DataFrame):
        raise ValueError(f"{name}={type(value).__name__} is not accepted; accepted: a pandas DataFrame"
                         + (f" with columns {columns}" if columns else ""))
    missing = [c for c in columns if c not in value.columns]
    if missing:
        raise ValueError(f"{name} is missing column(s) {missing}; accepted: a DataFrame with columns {columns}")
    if nonempty and len(value) == 0:
        raise ValueError(f"{name} has no rows; accepted: a DataFrame with at least one row")
    return value


def check_tables(name: str, value: object, needs: dict[str, Iterable[str]]) -> dict[str, pd.DataFrame]:
    """The dict of tables of :func:`helpers.engine.tables.load_all`: a dict with every key of
    ``needs``, each a DataFrame with the listed columns."""
    if not isinstance(value, dict):
        raise ValueError(f"{name}={type(value).__name__} is not accepted; accepted: the dict of "
                         "helpers.engine.tables.load_all()")
    missing = [k for k in needs if k not in value]
    if missing:
        raise ValueError(f"{name} is missing table(s) {missing}; accepted: the dict of "
                         "helpers.engine.tables.load_all()")
    for key, cols in needs.items():
        check_frame(f"{name}[{key!r}]", value[key], cols)
    return value


def check_date(name: str, value: object) -> str:
    """An ISO date string YYYY-MM-DD that exists in the calendar."""
    from datetime import date

    if not isinstance(value, str) or len(value) != 10:
        raise _fail(name, value, "an ISO date YYYY-MM-DD")
    try:
        date.fromisoformat(value)
    except ValueError:
        raise _fail(name, value, "an ISO date YYYY-MM-DD") from None
    return value


#: Most cohorts an ensemble may generate in one call (each takes about 20-30 ms with audit and checks; 1000 take well under a minute).
MAX_SEEDS = 1000


def check_seeds(name: str, value: object) -> list[int]:
    """A list of at most ``MAX_SEEDS`` non-negative whole numbers (any integer type), from any
    sized iterable such as ``range(100)``; a string or an unbounded iterable is refused before it is
    expanded."""
    from collections.abc import Sized

    if isinstance(value, (str, bytes, dict)) or not isinstance(value, Iterable) or not isinstance(value, Sized):
        raise _fail(name, value, f"a list or range of at most {MAX_SEEDS} non-negative whole numbers")
    if len(value) > MAX_SEEDS:
        raise ValueError(f"{name} has {len(value)} seeds; accepted: at most {MAX_SEEDS} (each builds a cohort)")
    out = []
    for s in value:
        try:
            out.append(check_int("seed", s, 0))
        except ValueError:
            raise ValueError(f"{name}={_show(value)} contains seed={s!r}, not accepted; accepted: non-negative "
                             "whole numbers") from None
    return out


# --------------------------------------------------------------------------- domain guards
#: Gene symbols the collection accepts in a mutation list: HGNC symbols of the genes on common
#: myeloid NGS panels and in ELN 2022 (Döhner et al., Blood 2022), with FLT3 internal tandem
#: duplication written ``FLT3-ITD`` and tyrosine-kinase-domain mutation ``FLT3-TKD``. Exact case:
#: 'tp53' or 'FLT3_ITD' is refused rather than silently ignored by a classifier.
AML_GENE_SYMBOLS: frozenset[str] = frozenset("""
ASXL1 ASXL2 ATRX BCOR BCORL1 BRAF CALR CBL CBFB CEBPA CREBBP CSF3R CUX1 DDX41 DNMT3A EP300 ETNK1 ETV6 EZH2
FLT3 FLT3-ITD FLT3-TKD GATA1 GATA2 GNAS GNB1 IDH1 IDH2 IKZF1 JAK2 KDM6A KIT KMT2A KRAS MECOM MPL MYC NF1
NOTCH1 NPM1 NRAS PDGFRA PHF6 PPM1D PRPF8 PTEN PTPN11 RAD21 RUNX1 SETBP1 SF3B1 SH2B3 SMC1A SMC3 SRSF2
STAG2 TET2 TP53 U2AF1 U2AF2 WT1 ZBTB7A ZRSR2
""".split())


def check_genes(name: str, value: object) -> list[str]:
    """A list of gene symbols from :data:`AML_GENE_SYMBOLS` (never a single string)."""
    return check_str_list(name, value, allowed=AML_GENE_SYMBOLS)


def check_unique(name: str, df: pd.DataFrame, key: list[str]) -> None:
    """Refuse a DataFrame in which two rows share the values of ``key``."""
    dup = df.duplicated(subset=key, keep="first")
    if dup.any():
        row = df.loc[dup].iloc[0]
        shown = ", ".join(f"{c}={row[c]!r}" for c in key)
        raise ValueError(f"{name} has a duplicated row ({shown}); accepted: one row per {' + '.join(key)}")


def check_subjects_in(name: str, df: pd.DataFrame, adsl: pd.DataFrame, adsl_name: str = "adsl") -> None:
    """Refuse rows of ``df`` whose USUBJID is not a patient of ``adsl`` (orphans)."""
    orphan = sorted(set(df["USUBJID"]) - set(adsl["USUBJID"]), key=str)
    if orphan:
        raise ValueError(f"{name} has USUBJID {orphan[:5]} not in {adsl_name}; accepted: patients of {adsl_name}")


#: Regimen tables that passed :func:`check_regimen`, keyed by their exact content (see ``_content_key``).
#: The dosing helpers check the same 4-row regimen at every call (five times in chapter 01); the full
#: loader validation costs ~30 ms, a content key well under 1 ms. Only successes are remembered: a
#: table that differs in any value, type, column, dtype or index label is validated again.
_REGIMEN_OK: dict[tuple, pd.DataFrame] = {}
_REGIMEN_OK_MAX = 8          # distinct regimens remembered (first in, first out)
_REGIMEN_KEY_MAX_ROWS = 50   # larger tables are simply validated every time


def _content_key(df: pd.DataFrame) -> tuple | None:
    """Every column name, dtype, index label and cell of a small frame, each as (type name, repr),
    so 18, 18.0, "18" and NaN all differ; None for a large frame (not cached)."""
    if len(df) > _REGIMEN_KEY_MAX_ROWS:
        return None
    cell = lambda v: (type(v).__name__, repr(v))  # noqa: E731
    return (tuple(cell(c) for c in df.columns), tuple(str(t) for t in df.dtypes),
            tuple(cell(i) for i in df.index),
            tuple(tuple(cell(v) for v in row) for row in df.itertuples(index=False, name=None)))


def check_regimen(name: str, regimen: object) -> pd.DataFrame:
    """The regimen table, checked by the loader's rules (:func:`helpers.engine.tables.validate`):
    units, basis vs unit, dose within the plausibility limit, FIRSTDAY <= LASTDAY < CYCLEDAYS."""
    from helpers.engine.tables import SCHEMAS, validate

    check_frame(name, regimen, list(SCHEMAS["regimen"]))
    key = _content_key(regimen)
    if key is not None and key in _REGIMEN_OK:
        return _REGIMEN_OK[key].copy()
    try:
        out = validate("regimen", regimen)
    except ValueError as exc:
        raise ValueError(f"{name}: {exc}") from None
    if key is not None:
        while len(_REGIMEN_OK) >= _REGIMEN_OK_MAX:
            _REGIMEN_OK.pop(next(iter(_REGIMEN_OK)))
        _REGIMEN_OK[key] = out.copy()
    return out


def check_patient_sizes(name: str, adsl: object, bsa_col: str = "BSA") -> pd.DataFrame:
    """ADSL for dosing: unique USUBJID, HEIGHTCM and WEIGHTKG in range, and the BSA column within
    0.02 m² of what the four BSA formulas give for that height and weight (a stored BSA of 3.4 for a
    patient whose height and weight give 1.89 is refused)."""
    from helpers.dosing import BSA_FORMULAS, BSA_RANGE_M2, HEIGHT_RANGE_CM, WEIGHT_RANGE_KG

    check_str("bsa_col", bsa_col)
    check_frame(name, adsl, ["USUBJID", "HEIGHTCM", "WEIGHTKG", bsa_col], nonempty=True)
    check_unique(name, adsl, ["USUBJID"])
    h = check_float_array(f"{name}['HEIGHTCM']", adsl["HEIGHTCM"], *HEIGHT_RANGE_CM, "cm")
    w = check_float_array(f"{name}['WEIGHTKG']", adsl["WEIGHTKG"], *WEIGHT_RANGE_KG, "kg")
    b = check_float_array(f"{name}[{bsa_col!r}]", adsl[bsa_col], *BSA_RANGE_M2, "m²")
    values = np.array([c * h ** x * w ** y for c, x, y in BSA_FORMULAS.values()])
    lo, hi = values.min(axis=0) - 0.02, values.max(axis=0) + 0.02
    bad = (b < lo) | (b > hi)
    if bad.any():
        i = int(np.argmax(bad))
        raise ValueError(f"{name}[{bsa_col!r}]={b[i]:g} m² for USUBJID {adsl['USUBJID'].iloc[i]!r} does not fit "
                         f"HEIGHTCM={h[i]:g} and WEIGHTKG={w[i]:g}; accepted: {lo[i] + 0.02:.2f}–{hi[i] - 0.02:.2f} "
                         "m² (the BSA formulas) ± 0.02")
    return adsl
