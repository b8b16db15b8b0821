"""Audit: every fact of the abstract, reported vs re-derived from the cohort tables."""
from __future__ import annotations

import math
import os
from functools import lru_cache

import numpy as np
import pandas as pd

from helpers import paths
from helpers.engine.derive import derive_all, frame_from_arrays
from helpers.engine.facts import load_facts, round_half_up

#: Columns of the audit table, in order.
AUDIT_COLUMNS = ["fact_id", "section", "statement", "unit", "decimals", "reported", "rederived",
                 "rederived_rounded", "k", "n", "match", "notebook"]
#: Fact columns copied into the audit table unchanged (audit column, fact column, dtype the copy has
#: when pandas builds it from the column's values: what the fast construction requires).
_COPIED = [("fact_id", "fact_id", "str"), ("section", "section", "str"), ("statement", "statement", "str"),
           ("unit", "unit", "str"), ("decimals", "decimals", "int"), ("reported", "value", "float"),
           ("notebook", "notebook", "str")]


class _FactColumns:
    """The columns of a facts table the audit reads, as lists, and (when every value has the plain type
    of its column: strings, Python ints, finite floats) as the arrays of the audit table's copied columns."""

    def __init__(self, facts: pd.DataFrame):
        self.lists = {src: facts[src].tolist() for _, src, _ in _COPIED}
        self.arrays: dict[str, np.ndarray] | None = {}
        for col, src, kind in _COPIED:
            values = self.lists[src]
            if kind == "str" and all(type(x) is str for x in values):
                self.arrays[col] = np.array(values, dtype=object)
            elif kind == "int" and all(type(x) is int for x in values):
                self.arrays[col] = np.array(values, dtype=np.int64)
            elif kind == "float" and all(type(x) is float for x in values):
                self.arrays[col] = np.array(values, dtype=np.float64)
            else:
                self.arrays = None
                break


_DEFAULT_FACTS: dict[tuple, _FactColumns] = {}


def _default_fact_columns() -> _FactColumns:
    """:class:`_FactColumns` of ``load_facts()``, kept per file (its path, device, inode, size and
    modification time: a changed or replaced file is read again, as load_facts itself does): the audit
    runs once per generated cohort and copying the facts table cost as much as the rest of it (issue 16)."""
    path = str(paths.data_dir() / "abstract_facts.csv")
    try:
        st = os.stat(path)
        key: tuple | None = (path, st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns)
    except OSError:
        key = None                      # load_facts below raises its own error
    cols = _DEFAULT_FACTS.get(key) if key is not None else None
    if cols is None:
        cols = _FactColumns(load_facts())
        if key is not None:
            if len(_DEFAULT_FACTS) >= 8:
                _DEFAULT_FACTS.clear()
            _DEFAULT_FACTS[key] = cols
    return cols


def _round(value: float, decimals: int) -> float:
    """:func:`round_half_up` with the same float operations, its argument checks skipped for a finite
    float and a whole number of decimals it accepts (anything else goes through it, and its errors)."""
    if type(value) is float and type(decimals) is int and 0 <= decimals <= 6 and math.isfinite(value):
        factor = 10 ** decimals
        rounded = int(abs(value) * factor + 1e-9 + 0.5) / factor
        return rounded if value >= 0 else -rounded
    return round_half_up(value, decimals)


def audit(tables: dict[str, pd.DataFrame], facts: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per fact: ``fact_id, section, statement, unit, decimals, reported, rederived,
    rederived_rounded, k, n, match, notebook``.

    ``match`` is True when the re-derived value, rounded half-up to the number of decimals
    the abstract printed, equals the printed value. A fact with no derivation raises.
    """
    from helpers.engine.facts import FACT_COLUMNS
    from helpers.validate import check_frame

    if facts is None:
        cols = _default_fact_columns()
    else:
        cols = _FactColumns(check_frame("facts", facts, FACT_COLUMNS))
    derived = derive_all(tables)
    if not len(cols.lists["fact_id"]):
        return _audit_frame_rows(facts, derived)
    # Speed (issue 16): the facts' columns as lists and the result built column by column (the audit
    # runs once per generated cohort); the same values, dtypes and errors as _audit_frame_rows.
    values, rounded, ks, ns, match = [], [], [], [], []
    for fact_id, decimals, reported in zip(cols.lists["fact_id"], cols.lists["decimals"], cols.lists["value"]):
        if fact_id not in derived:
            raise ValueError(f"fact_id={fact_id!r} has no derivation in helpers.engine.derive.derive_all")
        value, k, n = derived[fact_id]
        r = _round(value, decimals)
        values.append(value)
        rounded.append(r)
        ks.append(k)
        ns.append(n)
        match.append(bool(r == reported))
    if cols.arrays is None or not all(type(x) is float for x in values) or \
            not all(type(x) is float for x in rounded):
        return _audit_frame_columns(cols, values, rounded, ks, ns, match)
    data = {c: a.copy() for c, a in cols.arrays.items()}          # fresh arrays: the caller may edit the table
    data.update(rederived=np.array(values, dtype=np.float64), rederived_rounded=np.array(rounded, dtype=np.float64),
                k=_nullable_int(ks), n=_nullable_int(ns), match=np.array(match, dtype=bool))
    return frame_from_arrays([data[c] for c in AUDIT_COLUMNS], _audit_index(), len(values))


@lru_cache(maxsize=1)
def _audit_index() -> pd.Index:
    """The audit table's column index, one immutable object for every audit."""
    return pd.Index(AUDIT_COLUMNS, dtype=object)


def _nullable_int(values: list) -> pd.api.extensions.ExtensionArray:
    """``pd.Series(values).astype("Int64").array`` for Python ints and None, made from data and mask
    (what the audit table's k and n columns hold); anything else goes through pandas."""
    if all(v is None or type(v) is int for v in values):
        mask = np.array([v is None for v in values], dtype=bool)
        data = np.array([1 if v is None else v for v in values], dtype=np.int64)
        return pd.arrays.IntegerArray(data, mask)
    return pd.Series(values).astype("Int64").array


def _audit_frame_columns(cols: _FactColumns, values: list, rounded: list, ks: list, ns: list,
                         match: list) -> pd.DataFrame:
    """The audit table from lists, with pandas inferring every dtype (the path for facts or derived
    values that are not plain)."""
    out = {c: cols.lists[src] for c, src, _ in _COPIED}
    out.update(rederived=values, rederived_rounded=rounded, k=ks, n=ns, match=match)
    frame = pd.DataFrame({c: out[c] for c in AUDIT_COLUMNS})
    frame["k"] = frame["k"].astype("Int64")
    frame["n"] = frame["n"].astype("Int64")
    return frame


def _audit_frame_rows(facts: pd.DataFrame | None, derived: dict) -> pd.DataFrame:
    """The audit table built row by row (the original construction; used for an empty facts table)."""
    facts = load_facts() if facts is None else facts
    rows = []
    for f in facts.itertuples(index=False):
        if f.fact_id not in derived:
            raise ValueError(f"fact_id={f.fact_id!r} has no derivation in helpers.engine.derive.derive_all")
        value, k, n = derived[f.fact_id]
        rounded = round_half_up(value, f.decimals)
        rows.append(dict(fact_id=f.fact_id, section=f.section, statement=f.statement, unit=f.unit,
                         decimals=f.decimals, reported=f.value, rederived=value, rederived_rounded=rounded,
                         k=k, n=n, match=bool(rounded == f.value), notebook=f.notebook))
    out = pd.DataFrame(rows)
    out["k"] = out["k"].astype("Int64")
    out["n"] = out["n"].astype("Int64")
    return out


def all_match(tables: dict[str, pd.DataFrame], facts: pd.DataFrame | None = None) -> bool:
    """True if every fact matches."""
    return bool(audit(tables, facts)["match"].all())
