# Frozen copy of helpers/engine/audit.py as it was before the speed work of issue 16 (commit 773779b),
# kept as the second implementation the equivalence tests compare against. Do not edit.
"""Audit: every fact of the abstract, reported vs re-derived from the cohort tables."""
from __future__ import annotations

import pandas as pd

from v0_derive import derive_all
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
