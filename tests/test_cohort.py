"""helpers.cohort: Table 1, n (%), GRIM table, eligibility, oncoprint grid."""
from __future__ import annotations

import pandas as pd
import pytest

from helpers import cohort
from helpers.eln import classify_cohort
from helpers.engine.facts import load_facts
from helpers.engine.tables import load_table


@pytest.fixture(scope="module")
def tables():
    return {n: load_table(n) for n in ["adsl", "mutations"]}


def test_n_pct():
    assert cohort.n_pct(18, 27) == "18 (66.7)"
    assert cohort.n_pct(0, 5) == "0 (0.0)"
    with pytest.raises(ValueError, match="n=0"):
        cohort.n_pct(1, 0)
    with pytest.raises(ValueError, match="k=28"):
        cohort.n_pct(28, 27)


def test_median_range():
    assert cohort.median_range(pd.Series([10, 43, 59])) == "43 (10–59)"
    with pytest.raises(ValueError, match="empty"):
        cohort.median_range(pd.Series([], dtype=float))


def test_table1_matches_reported(tables):
    t = cohort.table1(tables["adsl"], tables["mutations"], load_facts())
    col = "Re-derived (N=27)"
    assert t.loc[t["Characteristic"] == "Male", col].item() == "18 (66.7)"
    assert t.loc[t["Characteristic"] == "Median (range)", col].item() == "43 (10–59)"
    # every reported percentage equals the re-derived one
    for _, row in t.iterrows():
        if row["Reported"].endswith("%") or "%" in row["Reported"]:
            assert row["Reported"].split("%")[0] == row[col].split("(")[1].rstrip(")")
    with pytest.raises(ValueError, match="AGE"):
        cohort.table1(tables["adsl"].drop(columns="AGE"), tables["mutations"], load_facts())


def test_counts_behind_percentages():
    g = cohort.counts_behind_percentages(load_facts(), ["male_pct"], 27)
    assert g.iloc[0, -1] == "18"
    with pytest.raises(ValueError, match="fact_id='nope'"):
        cohort.counts_behind_percentages(load_facts(), ["nope"], 27)


def test_outside_eligibility(tables):
    out = cohort.outside_eligibility(tables["adsl"], 18, 60)
    assert list(out["AGE"]) == [10]
    with pytest.raises(ValueError, match="age_min=60"):
        cohort.outside_eligibility(tables["adsl"], 60, 18)


def test_gene_matrix(tables):
    g = cohort.gene_matrix(tables["adsl"], tables["mutations"])
    assert g.shape[0] == 27 and g.columns[0] == "CEBPA"
    assert int(g.sum().sum()) == len(tables["mutations"].drop_duplicates(["USUBJID", "GENE"]))


def test_eln_column_agrees_with_classifier(tables):
    derived = classify_cohort(tables["adsl"], tables["mutations"])
    assert (derived.loc[tables["adsl"]["USUBJID"]].to_numpy() == tables["adsl"]["ELN2022"].to_numpy()).all()


def test_karyotype_label_does_not_name_a_category_eln_excludes():
    from helpers.cohort import karyotype_label

    assert karyotype_label("inv(16) + monosomal") == "inv(16) + autosomal monosomies"   # MK excludes CBF AML
    assert karyotype_label("t(9;11) + complex") == "t(9;11) + further abnormalities"   # complex needs no class-defining
    for unchanged in ("monosomal", "complex", "-7", "normal", "t(8;21)"):
        assert karyotype_label(unchanged) == unchanged
    with pytest.raises(ValueError, match="cyto="):
        karyotype_label(None)
