"""helpers.toxicity: AET04-style counts, worst grade per patient and term, bad input."""
from __future__ import annotations

import pandas as pd
import pytest

from helpers.engine.tables import load_all
from helpers.toxicity import ae_counts, ae_table, duration_summary, related_grade34, worst_grade

ADSL = pd.DataFrame({"USUBJID": ["A", "B", "C", "D"]})
ADAE = pd.DataFrame({
    "USUBJID": ["A", "A", "A", "B", "B", "C"],
    "AEDECOD": ["Nausea", "Nausea", "Sepsis", "Nausea", "Anemia", "Anemia"],
    "AETOXGR": [1, 3, 5, 2, 4, 3],
    "AEREL": ["Y", "Y", "N", "Y", "Y", "N"],
})


def test_worst_grade_counts_each_patient_once_per_term():
    w = worst_grade(ADAE)
    assert len(w) == 5  # 6 events, A had Nausea twice
    assert w.set_index(["USUBJID", "AEDECOD"]).loc[("A", "Nausea"), "AETOXGR"] == 3


def test_ae_counts_toy():
    c = ae_counts(ADAE, ADSL)
    assert c.loc["Nausea"].tolist() == [2, 1, 1, 0]       # A worst 3, B worst 2
    assert c.loc["Anemia"].tolist() == [2, 0, 2, 0]
    assert c.loc["Sepsis"].tolist() == [1, 0, 0, 1]
    assert list(c.index) == ["Anemia", "Nausea", "Sepsis"]  # ties sorted by term
    rel = ae_counts(ADAE, ADSL, related_only=True)
    assert "Sepsis" not in rel.index and rel.loc["Anemia", "Any grade"] == 1


def test_ae_table_format_and_denominator():
    t = ae_table(ADAE, ADSL)
    assert t.loc["Nausea", "Any grade, n (%)"] == "2 (50.0)"   # denominator 4 (ADSL), not 3
    assert t.loc["Any adverse event", "Grade 5, n (%)"] == "1 (25.0)"
    assert t.loc["Nausea", "Grade 5, n (%)"] == "0"


@pytest.mark.parametrize("grade", [0, 6, 7.5, None])
def test_unknown_grade_raises(grade):
    bad = ADAE.copy().astype({"AETOXGR": object})
    bad.loc[0, "AETOXGR"] = grade
    with pytest.raises(ValueError, match=r"AETOXGR=.*accepted CTCAE grades: 1, 2, 3, 4, 5"):
        ae_counts(bad, ADSL)


def test_other_bad_input():
    with pytest.raises(ValueError, match="USUBJID=\\['Z'\\]"):
        ae_counts(pd.concat([ADAE, ADAE.iloc[[0]].assign(USUBJID="Z")]), ADSL)
    with pytest.raises(ValueError, match="missing column 'AETOXGR'"):
        ae_counts(ADAE.drop(columns="AETOXGR"), ADSL)
    with pytest.raises(ValueError, match="denominator would be 0"):
        ae_counts(ADAE, ADSL.iloc[:0])
    with pytest.raises(ValueError, match="values has no non-missing"):
        duration_summary(pd.Series([None, None], dtype="Int64"))


def test_real_data_matches_abstract_definitions():
    t = load_all()
    r = related_grade34(t["adae"], t["adsl"], ["Neutrophil count decreased", "Anemia"])
    assert r.loc["Neutrophil count decreased", "k"] == 27
    assert r.loc["Anemia", "k"] == 13
    assert r.loc["Neutrophil count decreased", "exact_high"] == 100.0
    m = duration_summary(t["adsl"]["ANCDUR"])
    assert (m["n"], m["median"], m["min"], m["max"]) == (16, 25.0, 14.0, 66.0)
