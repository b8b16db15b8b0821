"""The fast audit and plausibility checks (issue 16) give exactly the verdicts of the code they replaced.

The second implementation is the frozen pre-speed-work code (tests/v0_derive.py, v0_audit.py,
v0_plausibility.py). Compared on the shipped data, on generated cohorts, and on deliberately broken
cohorts: the same values (bit for bit), the same audit table, the same violation sentences in the
same order, or the same error.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import v0_audit
import v0_derive
import v0_plausibility
from helpers.engine import derive
from helpers.engine.audit import audit
from helpers.engine.generator import generate
from helpers.engine.plausibility import violations
from helpers.engine.tables import load_all


def _outcome(fn, tables):
    try:
        return "ok", fn(tables)
    except Exception as exc:  # noqa: BLE001 - the error itself is what is compared
        return "error", (type(exc).__name__, str(exc))


def _same_derived(a, b):
    assert list(a) == list(b)
    for k in a:
        assert a[k] == b[k], k
        assert all(type(x) is type(y) for x, y in zip(a[k], b[k])), k


def _assert_same(tables):
    new, old = _outcome(derive.derive_all, tables), _outcome(v0_derive.derive_all, tables)
    assert new[0] == old[0], (new, old)
    if new[0] == "ok":
        _same_derived(new[1], old[1])
    else:
        assert new[1] == old[1]
    new, old = _outcome(audit, tables), _outcome(v0_audit.audit, tables)
    assert new[0] == old[0], (new, old)
    if new[0] == "ok":
        pd.testing.assert_frame_equal(new[1], old[1], check_exact=True)
    else:
        assert new[1] == old[1]
    new, old = _outcome(violations, tables), _outcome(v0_plausibility.violations, tables)
    assert new == old


@pytest.fixture(scope="module")
def shipped():
    return load_all()


def test_shipped_data(shipped):
    assert derive._derive_all_fast(shipped) is not None     # the fast path is the one compared
    _assert_same(shipped)


@pytest.mark.parametrize("seed", list(range(0, 40, 6)) + [10**9 + 7])
def test_generated_cohorts(seed):
    tables = generate(seed)
    assert derive._derive_all_fast(tables) is not None
    _assert_same(tables)


def _set(table, col, value, row=0):
    def mutate(t):
        t[table].loc[t[table].index[row], col] = value
    return mutate


def _where(table, col, match, new_col, value):
    def mutate(t):
        df = t[table]
        i = df.index[df[col].astype(str).str.fullmatch(match)][0]
        df.loc[i, new_col] = value
    return mutate


def _drop(table, col, match):
    def mutate(t):
        df = t[table]
        i = df.index[df[col].astype(str).str.fullmatch(match)][0]
        t[table] = df.drop(index=i).reset_index(drop=True)
    return mutate


def _col(table, col, fn):
    def mutate(t):
        t[table] = t[table].assign(**{col: fn(t[table][col])})
    return mutate


def _dup(table, row=0):
    def mutate(t):
        t[table] = pd.concat([t[table], t[table].iloc[[row]]], ignore_index=True)
    return mutate


BREAKS = {
    "sex flipped": _col("adsl", "SEX", lambda c: c.map({"M": "F", "F": "M"})),
    "age missing": _set("adsl", "AGE", pd.NA, 3),
    "age changed": _set("adsl", "AGE", 99, 5),
    "duplicated patient": _dup("adsl"),
    "duplicated response row": _dup("adrs"),
    "duplicated survival row": _dup("adtte"),
    "response changed": _where("adrs", "AVALC", "CRi", "AVALC", "NR"),
    "early death NR": _where("adrs", "AVALC", "NE", "AVALC", "NR"),
    "negative RFS": _where("adtte", "PARAMCD", "RFS", "AVAL", -3),
    "censor flag 2": _where("adtte", "PARAMCD", "OS", "CNSR", 2),
    "os missing": _where("adtte", "PARAMCD", "OS", "AVAL", pd.NA),
    "rfs row of a patient dropped": _drop("adtte", "PARAMCD", "RFS"),
    "no second cycles": _col("adsl", "NCYCLES", lambda c: pd.array([1] * len(c), dtype="Int64")),
    "platelet duration missing": _where("adsl", "ANCDUR", r"\d+", "PLTDUR", pd.NA),
    "cytopenia for a non-responder": _where("adsl", "ANCDUR", "<NA>", "ANCDUR", 20),
    "hsct before cycle 1": _where("adsl", "HSCTDT", r"\d{4}-.*", "HSCTDT", "2020-01-01"),
    "grade missing": _set("adae", "AETOXGR", pd.NA, 2),
    "grade changed": _where("adae", "AEDECOD", "Anemia", "AETOXGR", 1),
    "gene recurs": _set("mutations", "GENE", "TP53", 0),
    "orphan mutation": _set("mutations", "USUBJID", "SYN-999", 0),
    "eln changed": _set("adsl", "ELN2022", "FAVORABLE", 7),
    "bsa wrong": _set("adsl", "BSA", 3.0, 1),
    "height implausible": _set("adsl", "HEIGHTCM", 100.0, 1),
    "ages as strings": _col("adsl", "AGE", lambda c: c.astype(str)),
    "protocol param missing": _drop("protocol", "PARAM", "ELIGAGEMIN"),
    "dose changed": _set("regimen", "DOSE", 30.0, 0),
    "death date after cut-off": _where("adsl", "DTHFL", "Y", "DTHDT", "2025-12-01"),
    "response read late": _where("adrs", "AVISIT", "CYCLE 2", "ADT", "2025-06-29"),
    "ae outside treatment": _set("adae", "ASTDT", "2020-01-01", 4),
    "os aval inconsistent": _where("adtte", "PARAMCD", "OS", "AVAL", 1),
    "missing table": lambda t: t.pop("adae"),
    "missing column": lambda t: t.__setitem__("adsl", t["adsl"].drop(columns=["SEX"])),
    "empty mutations": lambda t: t.__setitem__("mutations", t["mutations"].iloc[0:0]),
    "hsct group emptied": _col("adsl", "HSCTGRP", lambda c: c.map(lambda g: "" if g == "HSCT" else g)),
}


@pytest.mark.parametrize("name", list(BREAKS))
@pytest.mark.parametrize("source", ["shipped", 11])
def test_broken_cohorts(name, source, shipped):
    base = shipped if source == "shipped" else generate(source)
    tables = {k: v.copy() for k, v in base.items()}
    BREAKS[name](tables)
    _assert_same(tables)


def test_a_break_is_noticed():
    """The comparison above is not vacuous: breaks change the verdicts of the new code."""
    tables = {k: v.copy() for k, v in generate(11).items()}
    assert audit(tables)["match"].all() and violations(tables) == []
    BREAKS["sex flipped"](tables)
    BREAKS["bsa wrong"](tables)
    assert not audit(tables)["match"].all()
    assert any("BSA" in s for s in violations(tables))
    assert np.isfinite(audit(tables)["rederived"]).all()


@pytest.mark.parametrize("change", ["none", "empty", "unknown fact", "decimals 0", "value changed"])
def test_audit_with_given_facts(change, shipped):
    from helpers.engine.facts import load_facts
    facts = load_facts()
    if change == "empty":
        facts = facts.iloc[0:0]
    elif change == "unknown fact":
        facts.loc[facts.index[3], "fact_id"] = "no_such_fact"
    elif change == "decimals 0":
        facts["decimals"] = 0
    elif change == "value changed":
        facts.loc[facts.index[5], "value"] = facts.loc[facts.index[5], "value"] + 1
    new, old = _outcome(lambda t: audit(t, facts), shipped), _outcome(lambda t: v0_audit.audit(t, facts), shipped)
    assert new[0] == old[0], (new, old)
    if new[0] == "ok":
        pd.testing.assert_frame_equal(new[1], old[1], check_exact=True)
    else:
        assert new[1] == old[1]
