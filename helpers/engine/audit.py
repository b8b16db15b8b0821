"""Audit: every fact of the abstract, reported vs re-derived from the cohort tables."""
from __future__ import annotations

import pandas as pd

from helpers.engine.derive import derive_all
from helpers.engine.facts import load_facts, round_half_up


def audit(tables: dict[str, pd.DataFrame], facts: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per fact: ``fact_id, section, statement, unit, decimals, reported, rederived,
    rederived_rounded, k, n, match, notebook``.

    ``match`` is True when the re-derived value, rounded half-up to the number of decimals
    the abstract printed, equals the printed value. A fact with no derivation raises.
    """
    from helpers.engine.facts import FACT_COLUMNS
    from helpers.validate import check_frame

    facts = load_facts() if facts is None else check_frame("facts", facts, FACT_COLUMNS)
    derived = derive_all(tables)
    if not len(facts):
        return _audit_frame_rows(facts, derived)
    # Speed (issue 16): the facts' columns as lists and the result built column by column (the audit
    # runs once per generated cohort); the same values, dtypes and errors as _audit_frame_rows.
    names = ["fact_id", "section", "statement", "unit", "decimals", "value", "notebook"]
    cols = {c: facts[c].tolist() for c in names}
    out: dict[str, list] = {c: [] for c in ("fact_id", "section", "statement", "unit", "decimals", "reported",
                                            "rederived", "rederived_rounded", "k", "n", "match", "notebook")}
    for fact_id, section, statement, unit, decimals, reported, notebook in zip(*(cols[c] for c in names)):
        if fact_id not in derived:
            raise ValueError(f"fact_id={fact_id!r} has no derivation in helpers.engine.derive.derive_all")
        value, k, n = derived[fact_id]
        rounded = round_half_up(value, decimals)
        for key, x in (("fact_id", fact_id), ("section", section), ("statement", statement), ("unit", unit),
                       ("decimals", decimals), ("reported", reported), ("rederived", value),
                       ("rederived_rounded", rounded), ("k", k), ("n", n), ("match", bool(rounded == reported)),
                       ("notebook", notebook)):
            out[key].append(x)
    frame = pd.DataFrame(out)
    frame["k"] = frame["k"].astype("Int64")
    frame["n"] = frame["n"].astype("Int64")
    return frame


def _audit_frame_rows(facts: pd.DataFrame, derived: dict) -> pd.DataFrame:
    """The audit table built row by row (the original construction; used for an empty facts table)."""
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
