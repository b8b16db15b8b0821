"""ELN 2022 genetic-risk classifier (Döhner et al., Blood 2022, Table 6)."""
import pandas as pd
import pytest

from helpers.eln import classify_cohort, classify_eln2022


@pytest.mark.parametrize("cyto, genes, bzip, expected", [
    ("normal", ["CEBPA"], True, "FAVORABLE"),           # bZIP in-frame CEBPA
    ("normal", ["CEBPA"], False, "INTERMEDIATE"),       # non-bZIP CEBPA is not favorable
    ("normal", ["NPM1"], False, "FAVORABLE"),
    ("normal", ["NPM1", "FLT3-ITD"], False, "INTERMEDIATE"),
    ("normal", ["FLT3-ITD"], False, "INTERMEDIATE"),
    ("t(8;21)", ["ASXL1"], False, "FAVORABLE"),         # MR gene does not override a favorable subtype
    ("normal", ["ASXL1"], False, "ADVERSE"),
    ("normal", ["U2AF1", "FLT3-ITD"], False, "ADVERSE"),
    ("t(8;21)", ["TP53"], False, "ADVERSE"),            # TP53 is adverse regardless
    ("-7", [], False, "ADVERSE"),
    ("normal", [], False, "INTERMEDIATE"),
])
def test_classifier_rules(cyto, genes, bzip, expected):
    assert classify_eln2022(cyto, genes, bzip) == expected


def test_unknown_karyotype_is_refused():
    with pytest.raises(ValueError, match=r"cyto='t\(15;17\)'"):
        classify_eln2022("t(15;17)", [])


def test_cohort_classifier_needs_its_columns():
    with pytest.raises(ValueError, match="CYTO"):
        classify_cohort(pd.DataFrame({"USUBJID": ["a"]}), pd.DataFrame(columns=["USUBJID", "GENE", "VARIANT_CLASS"]))


def test_shipped_cohort_agrees_with_the_classifier():
    from helpers.engine.tables import load_table
    adsl, mut = load_table("adsl"), load_table("mutations")
    derived = classify_cohort(adsl, mut)
    assert (derived.reindex(adsl["USUBJID"]).to_numpy() == adsl["ELN2022"].to_numpy()).all()
