"""helpers.provenance: one label for every result (trial vs synthetic)."""
import pandas as pd
import pytest

from helpers.provenance import COLUMN, has_tag, label, tag


def test_label_adds_column_last_and_keeps_input():
    df = pd.DataFrame({"a": [1, 2]})
    out = label(df, "trial")
    assert list(out.columns) == ["a", COLUMN]
    assert out[COLUMN].tolist() == ["trial", "trial"]
    assert COLUMN not in df.columns


def test_label_per_row_and_replaces_existing():
    df = pd.DataFrame({"a": [1, 2], COLUMN: ["x", "y"]})
    out = label(df, ["trial", "synthetic"])
    assert out[COLUMN].tolist() == ["trial", "synthetic"]


@pytest.mark.parametrize("bad", ["Trial", "real", None, 1])
def test_label_refuses_unknown_kind(bad):
    with pytest.raises(ValueError, match="kind"):
        label(pd.DataFrame({"a": [1]}), bad)


def test_label_refuses_wrong_length_and_non_frame():
    with pytest.raises(ValueError, match="kind has 1 values"):
        label(pd.DataFrame({"a": [1, 2]}), ["trial"])
    with pytest.raises(ValueError, match="table=list"):
        label([1, 2], "trial")


def test_tag():
    assert tag("OS by HSCT", "synthetic") == "[synthetic] OS by HSCT"
    assert tag("[trial] x", "trial") == "[trial] x"
    assert has_tag("[trial] x") and not has_tag("x [trial]")
    with pytest.raises(ValueError, match="kind='both'"):
        tag("x", "both")
