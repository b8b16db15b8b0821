"""The provenance label every result carries: does it hold for the real trial, or only for our cohort?

No patient-level data of the trial was published, so each number the collection shows is one of two kinds:

``trial``
    follows from the published aggregates alone, so it holds for the real trial: an exact CI for a printed
    k/n, a GRIM or KM-GRIM check, an exact bound over *every* cohort consistent with the abstract, one of the
    abstract's internal contradictions.
``synthetic``
    depends on invented patient detail: anything computed from our synthetic cohort or from the generator
    (a KM band or median in our cohort, a hazard ratio, a landmark result, 12-month OS, an ensemble spread).

Use :func:`label` on every results table (adds the column ``provenance``) and :func:`tag` on every figure
title (prefixes ``[trial]`` or ``[synthetic]``), so a reader can always tell the two apart.
"""
from __future__ import annotations

from typing import Literal

import pandas as pd

TRIAL = "trial"
SYNTHETIC = "synthetic"
KINDS: tuple[str, str] = (TRIAL, SYNTHETIC)
COLUMN = "provenance"
Kind = Literal["trial", "synthetic"]


def _check_kind(kind: object, argument: str = "kind") -> str:
    if not isinstance(kind, str) or kind not in KINDS:
        raise ValueError(f"{argument}={kind!r} is not a provenance kind; accepted: {', '.join(map(repr, KINDS))}")
    return kind


def label(table: pd.DataFrame, kind: Kind | pd.Series | list[str]) -> pd.DataFrame:
    """Return a copy of ``table`` with a ``provenance`` column (``'trial'`` or ``'synthetic'``).

    ``kind`` is one kind for the whole table, or one per row (a list or Series of the same length), for
    tables that mix, such as "reported vs re-derived". The column is placed last; an existing
    ``provenance`` column is replaced.
    """
    if not isinstance(table, pd.DataFrame):
        raise ValueError(f"table={type(table).__name__} is not accepted; pass a pandas DataFrame")
    out = table.copy()
    if not isinstance(kind, (list, tuple, pd.Series)):
        values = [_check_kind(kind)] * len(out)
    else:
        values = list(kind)
        if len(values) != len(out):
            raise ValueError(f"kind has {len(values)} values for a table of {len(out)} rows; "
                             "pass one kind, or exactly one per row")
        for v in values:
            _check_kind(v, "kind (row value)")
    if COLUMN in out.columns:
        out = out.drop(columns=COLUMN)
    out[COLUMN] = values
    return out


def tag(title: str, kind: Kind) -> str:
    """A figure title with its provenance tag in front: ``tag("OS", "synthetic") == "[synthetic] OS"``."""
    if not isinstance(title, str):
        raise ValueError(f"title={title!r} is not accepted; pass a string")
    kind = _check_kind(kind)
    prefix = f"[{kind}] "
    return title if title.startswith(prefix) else prefix + title


def has_tag(title: str) -> bool:
    """True when ``title`` starts with ``[trial]`` or ``[synthetic]`` (used by the notebook tests)."""
    return isinstance(title, str) and any(title.startswith(f"[{k}]") for k in KINDS)
