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


# ---- CTCAE v5.0 grading (hand-worked from the CTCAE v5.0 tables) --------------------------
from helpers.toxicity import ctcae_febrile_neutropenia_grade, ctcae_lab_grade  # noqa: E402


@pytest.mark.parametrize("term, value, lln, grade", [
    ("Neutrophil count decreased", 2.0, 2.0, 0), ("Neutrophil count decreased", 1.6, 2.0, 1),
    ("Neutrophil count decreased", 1.2, 2.0, 2), ("Neutrophil count decreased", 0.6, 2.0, 3),
    ("Neutrophil count decreased", 0.5, 2.0, 3), ("Neutrophil count decreased", 0.3, 2.0, 4),
    ("Platelet count decreased", 80, 150, 1), ("Platelet count decreased", 50, 150, 2),
    ("Platelet count decreased", 30, 150, 3), ("Platelet count decreased", 24, 150, 4),
    ("White blood cell decreased", 0.9, 4.0, 4), ("White blood cell decreased", 2.5, 4.0, 2),
    ("Anemia", 11.0, 12.0, 1), ("Anemia", 9.0, 12.0, 2), ("Anemia", 7.5, 12.0, 3), ("Anemia", 5.0, 12.0, 3),
])
def test_ctcae_lab_grades(term, value, lln, grade):
    assert ctcae_lab_grade(term, value, lln) == grade


def test_anemia_grade_4_is_a_clinical_judgement():
    assert ctcae_lab_grade("Anemia", 6.0, 12.0, life_threatening=True) == 4


@pytest.mark.parametrize("kwargs, grade", [
    (dict(anc=0.4, temp_c=38.6), 3), (dict(anc=0.4, temp_c=38.1), 0), (dict(anc=0.4, temp_c=38.1, sustained_hours=2), 3),
    (dict(anc=1.2, temp_c=39.0), 0), (dict(anc=0.1, temp_c=39.0, life_threatening=True), 4),
    (dict(anc=0.1, temp_c=39.0, died=True), 5),
])
def test_febrile_neutropenia_grades(kwargs, grade):
    assert ctcae_febrile_neutropenia_grade(**kwargs) == grade


@pytest.mark.parametrize("call, message", [
    (lambda: ctcae_lab_grade("Lymphocyte count decreased", 0.2, 1.0), "term"),
    (lambda: ctcae_lab_grade("Anemia", -1, 12.0), "value"),
    (lambda: ctcae_lab_grade("Platelet count decreased", 30, 50), "lln"),
    (lambda: ctcae_febrile_neutropenia_grade(0.2, 101.5), "°F"),
])
def test_ctcae_helpers_refuse_bad_input(call, message):
    with pytest.raises(ValueError, match=message):
        call()


# --------------------------------------------------------------------------- median of n + 1 (Exercise 05.3)
def _brute_force_ranges(n: int, top: int) -> dict[tuple, dict[str, tuple[float, float]]]:
    """Every sorted sample of n whole numbers in 0..top: (median, min, max) -> range of the median of n + 1
    when one more value goes at or above the maximum (it sorts last, whatever it is) or at or below the minimum."""
    import itertools

    import numpy as np

    x = np.array(list(itertools.combinations_with_replacement(range(top + 1), n)), dtype=float)
    med, lo, hi = np.median(x, axis=1), x[:, 0], x[:, -1]
    above = np.median(np.column_stack([x, hi]), axis=1)
    below = np.median(np.column_stack([lo, x]), axis=1)
    out: dict[tuple, dict[str, tuple[float, float]]] = {}
    for key in sorted(set(zip(med, lo, hi))):
        sel = (med == key[0]) & (lo == key[1]) & (hi == key[2])
        out[key] = {"at_or_above_max": (above[sel].min(), above[sel].max()),
                    "at_or_below_min": (below[sel].min(), below[sel].max())}
    return out


@pytest.mark.parametrize("n,top", [(2, 9), (3, 9), (4, 9), (5, 9), (6, 8), (7, 7), (8, 7), (16, 5)])
def test_median_range_with_one_more_matches_brute_force(n, top):
    from helpers.toxicity import median_range_with_one_more

    cases = _brute_force_ranges(n, top)
    assert len(cases) > 10
    for (med, lo, hi), ranges in cases.items():
        for extra, expected in ranges.items():
            got = median_range_with_one_more(n, float(med), int(lo), int(hi), extra)
            assert got == pytest.approx(expected), (n, med, lo, hi, extra)


def test_median_range_with_one_more_abstract_case_by_hand():
    """Median of 16 = 25, range 14-66 (the abstract's neutrophil durations): x8 + x9 = 50, x8 >= 14."""
    from helpers.toxicity import median_range_with_one_more

    assert median_range_with_one_more(16, 25, 14, 66, "at_or_above_max") == (25.0, 36.0)
    assert median_range_with_one_more(16, 25, 14, 66, "at_or_below_min") == (14.0, 25.0)
    # the two ends are attained: samples with exactly these summaries
    import numpy as np
    for x9, rest_low, rest_high in ((36, [14] * 8, [40] * 6 + [66]), (25, [14] + [25] * 7, [25] * 6 + [66])):
        sample = rest_low + [x9] + rest_high
        assert (np.median(sample), min(sample), max(sample), len(sample)) == (25, 14, 66, 16)
        assert np.median(sample + [66]) == x9


@pytest.mark.parametrize("kwargs,message", [
    (dict(n=1), "n="), (dict(n=16.0), "n="), (dict(extra="above"), "extra="),
    (dict(median=67), "median="), (dict(median=25.25), "median="), (dict(minimum=14.5), "minimum="),
    (dict(maximum=10), "maximum="), (dict(n=15, median=25.5), "median="), (dict(n=2, median=30), "median="),
])
def test_median_range_with_one_more_refuses_bad_input(kwargs, message):
    from helpers.toxicity import median_range_with_one_more

    args = dict(n=16, median=25, minimum=14, maximum=66, extra="at_or_above_max") | kwargs
    with pytest.raises(ValueError, match=message):
        median_range_with_one_more(**args)
