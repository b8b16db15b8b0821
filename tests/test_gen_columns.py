"""The table conversions the audit, the plausibility rules and the generator use for speed (issue 16)
give what the pandas calls they replace give: column lists as ``df[col].tolist()`` (values and
types), frames as ``pd.DataFrame(dict)``, rounding as ``round_half_up``, and the facts as
``load_facts()`` even after the facts file changes."""
from __future__ import annotations

import math
import os
import random
import shutil

import numpy as np
import pandas as pd
import pytest
from test_audit_equivalence import BREAKS

from helpers.engine import audit as audit_mod
from helpers.engine.derive import column_lists, frame_from_arrays
from helpers.engine.facts import round_half_up
from helpers.engine.generator import generate
from helpers.engine.tables import load_all


def _assert_lists_are_tolist(df: pd.DataFrame) -> None:
    lists = column_lists(df)
    assert list(lists) == list(df.columns)
    for col in df.columns:
        want = df[col].tolist()
        got = lists[col]
        assert len(got) == len(want), col
        for x, y in zip(got, want):
            assert type(x) is type(y), (col, x, y)
            assert x is y or x == y or (x != x and y != y), (col, x, y)


@pytest.mark.parametrize("source", ["shipped", 3])
@pytest.mark.parametrize("name", ["none"] + list(BREAKS))
def test_column_lists_are_tolist(source, name):
    base = load_all() if source == "shipped" else generate(source)
    tables = {k: v.copy() for k, v in base.items()}
    if name != "none":
        BREAKS[name](tables)
    for df in tables.values():
        _assert_lists_are_tolist(df)


def test_column_lists_of_other_dtypes_and_shapes():
    df = pd.DataFrame({"i": [1, 2], "f": [1.5, np.nan], "b": [True, False], "s": pd.array(["a", None], dtype="string"),
                       "c": pd.Categorical(["x", "y"]), "d": pd.to_datetime(["2024-01-01", "2024-02-01"]),
                       "n": pd.array([None, 3], dtype="Int64")})
    _assert_lists_are_tolist(df)
    _assert_lists_are_tolist(df.iloc[0:0])
    more = df.assign(tz=pd.to_datetime(["2024-01-01", None]).tz_localize("UTC"),
                     td=pd.to_timedelta([1, 2], unit="D"), u=np.array([1, 255], dtype=np.uint8),
                     i8=pd.array([None, -4], dtype="Int8"), F=pd.array([0.5, None], dtype="Float64"),
                     B=pd.array([True, None], dtype="boolean"), o=np.array([1, "x"], dtype=object))
    _assert_lists_are_tolist(more)                   # one column added at a time: unconsolidated blocks
    _assert_lists_are_tolist(more.iloc[::-1])
    assert column_lists(pd.DataFrame()) == {}
    assert column_lists(pd.DataFrame([[1, 2]], columns=["a", "a"])) is None     # duplicated name
    assert column_lists(pd.DataFrame([[1, 2]], columns=[0, 1])) is None         # names not strings


def test_column_lists_without_pandas_internal_iterator(monkeypatch):
    """A pandas without ``DataFrame._iter_column_arrays`` gets the whole-table conversion, same lists."""
    tables = generate(3)
    want = {name: column_lists(df) for name, df in tables.items()}
    monkeypatch.delattr(pd.DataFrame, "_iter_column_arrays")
    for name, df in tables.items():
        assert column_lists(df) == want[name], name
        _assert_lists_are_tolist(df)


def _arrays():
    return [np.array(["a", "b", "c"], dtype=object), np.array([1.5, 2.0, np.nan]),
            pd.array([1, None, 3], dtype="Int64"), np.array([True, False, True]), np.array([1, 2, 3])]


def test_frame_from_arrays_is_the_dict_constructor(monkeypatch):
    cols = pd.Index(["s", "f", "n", "b", "i"], dtype=object)
    want = pd.DataFrame(dict(zip(cols, _arrays())), copy=False)
    got = frame_from_arrays(_arrays(), cols, 3)
    pd.testing.assert_frame_equal(got, want, check_exact=True)
    assert got.to_csv(index=False) == want.to_csv(index=False)
    monkeypatch.delattr(pd.DataFrame, "_from_arrays")               # a pandas without the internal constructor
    pd.testing.assert_frame_equal(frame_from_arrays(_arrays(), cols, 3), want, check_exact=True)
    empty = frame_from_arrays([np.array([], dtype=object)], pd.Index(["s"], dtype=object), 0)
    pd.testing.assert_frame_equal(empty, pd.DataFrame({"s": np.array([], dtype=object)}))


def test_generated_frames_own_their_arrays():
    """Two cohorts never share data: editing one leaves the other (and the same seed made again) alone."""
    a, b = generate(0), generate(0)
    a["adsl"].loc[0, "AGE"] = 999
    a["adae"].loc[0, "AEDECOD"] = "edited"
    a["regimen"].loc[0, "DOSE"] = 999.0          # the tables every cohort shares in content (built once)
    a["protocol"].loc[0, "VALUE"] = "edited"
    assert b["adsl"].loc[0, "AGE"] != 999 and b["adae"].loc[0, "AEDECOD"] != "edited"
    assert b["regimen"].loc[0, "DOSE"] != 999.0 and b["protocol"].loc[0, "VALUE"] != "edited"
    assert generate(1)["regimen"].loc[0, "DOSE"] != 999.0 and generate(1)["protocol"].loc[0, "VALUE"] != "edited"
    assert generate(0)["adsl"].equals(b["adsl"])


def test_audit_rounding_is_round_half_up():
    rng = random.Random(5)
    values = [rng.uniform(-200, 200) for _ in range(2000)] + [k / 27 * 100 for k in range(28)]
    values += [0.05, 0.15, 66.65, 2.675, -0.05, 0.0, -0.0, 1e-12, 1e15]
    for v in values:
        for d in range(7):
            got, want = audit_mod._round(v, d), round_half_up(v, d)
            assert got == want and math.copysign(1, got) == math.copysign(1, want), (v, d)
    for bad in (float("nan"), float("inf")):
        with pytest.raises(ValueError) as want:
            round_half_up(bad, 1)
        with pytest.raises(ValueError, match=str(want.value).replace("(", r"\(").replace(")", r"\)")):
            audit_mod._round(bad, 1)
    assert audit_mod._round(1.25, 1.0) == round_half_up(1.25, 1.0)               # decimals as a float


def test_audit_reads_the_facts_file_again_when_it_changes(tmp_path, monkeypatch):
    from helpers import paths
    shutil.copytree(paths.DATA_DIR, tmp_path / "data")
    monkeypatch.setenv(paths.DATA_DIR_ENV, str(tmp_path / "data"))
    tables = generate(0)
    assert audit_mod.audit(tables)["match"].all()
    path = tmp_path / "data" / "abstract_facts.csv"
    text = path.read_text()
    assert ",71.4,%," in text
    before = path.stat().st_mtime_ns
    path.write_text(text.replace(",71.4,%,", ",71.5,%,"))        # same size: only the time tells
    os.utime(path, ns=(before + 10**9, before + 10**9))           # a later modification time, surely
    result = audit_mod.audit(tables).set_index("fact_id")
    assert result.loc["os_6m_pct", "reported"] == 71.5 and not result.loc["os_6m_pct", "match"]
    assert result.drop(index="os_6m_pct")["match"].all()
