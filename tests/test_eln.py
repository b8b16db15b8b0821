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


# The hierarchy of Table 6's footnotes (Döhner 2022): one test per rule, each with the naive
# reading it corrects in the comment.
@pytest.mark.parametrize("cyto, genes, bzip, expected", [
    # complex karyotype counts only without a class-defining recurring abnormality
    ("complex", [], False, "ADVERSE"),
    ("t(9;11) + complex", [], False, "INTERMEDIATE"),        # naive: complex -> adverse
    ("inv(3) + complex", [], False, "ADVERSE"),              # adverse through inv(3) itself
    # monosomal karyotype excludes core-binding-factor AML; CBF with extra abnormalities stays favorable
    ("monosomal", [], False, "ADVERSE"),
    ("t(8;21) + monosomal", [], False, "FAVORABLE"),         # naive: monosomal -> adverse
    ("inv(16) + complex", [], False, "FAVORABLE"),           # naive: complex -> adverse
    ("t(8;21) + complex", ["ASXL1"], False, "FAVORABLE"),
    # NPM1-mutated AML with adverse-risk cytogenetics is adverse
    ("-7", ["NPM1"], False, "ADVERSE"),                      # naive: NPM1 without FLT3-ITD -> favorable
    ("complex", ["NPM1"], False, "ADVERSE"),
    ("-5/del(5q)", ["NPM1", "DNMT3A"], False, "ADVERSE"),
    # KIT and/or FLT3 do not alter the category
    ("t(8;21)", ["KIT"], False, "FAVORABLE"),                # naive (ELN 2017-era habit): KIT -> intermediate
    ("inv(16)", ["FLT3-ITD"], False, "FAVORABLE"),           # naive: FLT3-ITD -> intermediate
    ("inv(16)", ["KIT", "FLT3-ITD"], False, "FAVORABLE"),
    # FLT3-ITD with adverse lesions is adverse; t(9;11) takes precedence over MR-gene mutations
    ("normal", ["FLT3-ITD", "RUNX1"], False, "ADVERSE"),
    ("t(6;9)", ["FLT3-ITD"], False, "ADVERSE"),
    ("t(9;11)", ["ASXL1"], False, "INTERMEDIATE"),
    # favorable subtype protects against MR genes, not against adverse cytogenetics
    ("normal", ["CEBPA", "ASXL1"], True, "FAVORABLE"),
    ("normal", ["NPM1", "SRSF2"], False, "FAVORABLE"),
])
def test_classifier_hierarchy(cyto, genes, bzip, expected):
    assert classify_eln2022(cyto, genes, bzip) == expected


@pytest.mark.parametrize("cyto, message", [
    ("t(8;21) + t(15;17)", "t\\(15;17\\)"), ("normal + -7", "normal karyotype"), (7, "text label")])
def test_bad_karyotype_strings_are_refused(cyto, message):
    with pytest.raises(ValueError, match=message):
        classify_eln2022(cyto, [])


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
