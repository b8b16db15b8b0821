"""helpers.dosing: BSA formulas, unit conversion, dose guard-rails, cumulative exposure."""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from helpers import dosing
from helpers.engine.tables import load_table


@pytest.fixture(scope="module")
def adsl():
    return load_table("adsl")


@pytest.fixture(scope="module")
def regimen():
    return load_table("regimen")


def test_bsa_formulas_known_values():
    # 170 cm, 70 kg: Mosteller √(170·70/3600) = 1.818...
    assert dosing.bsa(170, 70) == pytest.approx(math.sqrt(170 * 70 / 3600))
    assert dosing.bsa(170, 70, "DuBois") == pytest.approx(0.007184 * 170 ** 0.725 * 70 ** 0.425)
    assert dosing.bsa(170, 70, "Haycock") == pytest.approx(0.024265 * 170 ** 0.3964 * 70 ** 0.5378)
    assert dosing.bsa(170, 70, "Gehan-George") == pytest.approx(0.0235 * 170 ** 0.42246 * 70 ** 0.51456)
    for name in dosing.BSA_FORMULAS:  # the formulas agree within ~3% for an average adult
        assert dosing.bsa(170, 70, name) == pytest.approx(1.82, rel=0.03)


def test_bsa_vectorised_and_cohort_column_is_mosteller(adsl):
    m = dosing.bsa(adsl["HEIGHTCM"].to_numpy(), adsl["WEIGHTKG"].to_numpy())
    assert isinstance(m, np.ndarray) and len(m) == len(adsl)
    assert np.allclose(np.round(m, 2), adsl["BSA"])


@pytest.mark.parametrize("h, w, arg, value", [
    (1.72, 70, "height_cm", "1.72"), (300, 70, "height_cm", "300"),
    (170, 0, "weight_kg", "0"), (170, 500, "weight_kg", "500"), (float("nan"), 70, "height_cm", "nan"),
])
def test_bsa_refuses_impossible_height_or_weight(h, w, arg, value):
    with pytest.raises(ValueError, match=rf"{arg}={value}.*accepted range"):
        dosing.bsa(h, w)


def test_bsa_height_in_metres_hint():
    with pytest.raises(ValueError, match="metres"):
        dosing.bsa(1.72, 70)


def test_bsa_unknown_formula():
    with pytest.raises(ValueError, match="formula='Boyd'.*Mosteller"):
        dosing.bsa(170, 70, "Boyd")


def test_to_mg_units_and_refusals():
    assert dosing.to_mg(1.0, "g/m2") == 1000.0
    assert dosing.to_mg(300, "ug") == pytest.approx(0.3)
    with pytest.raises(ValueError, match="unit='mg/kg'.*expected one of"):
        dosing.to_mg(1.0, "mg/kg")
    with pytest.raises(ValueError, match=r"dose=-5.*≥ 0"):
        dosing.to_mg(-5, "mg/m2")


def test_dose_mg_computes_per_m2_and_flat():
    assert dosing.dose_mg("lipomit", 18, "mg/m2", 1.8) == pytest.approx(32.4)
    assert dosing.dose_mg("cytarabine", 1, "g/m2", 1.5) == pytest.approx(1500)
    assert dosing.dose_mg("gcsf", 300, "ug") == pytest.approx(0.3)


def test_dose_mg_refuses_before_computing():
    # 1000 "g/m2" (meant mg/m2) would be 1,000,000 mg/m²: refused, naming the value and range
    with pytest.raises(ValueError, match=r"dose=1000 g/m2.*plausible maximum 3000 mg/m²"):
        dosing.dose_mg("cytarabine", 1000, "g/m2", 1.7)
    with pytest.raises(ValueError, match=r"bsa_m2=17.*0.2–3.5"):
        dosing.dose_mg("lipomit", 18, "mg/m2", 17)
    with pytest.raises(ValueError, match="bsa_m2=None"):
        dosing.dose_mg("lipomit", 18, "mg/m2")
    with pytest.raises(ValueError, match="drugkey='aspirin'"):
        dosing.dose_mg("aspirin", 1, "mg")
    with pytest.raises(ValueError, match=r"dose=-18"):
        dosing.dose_mg("lipomit", -18, "mg/m2", 1.7)


def test_regimen_and_schedule(regimen):
    table = dosing.regimen_table(regimen)
    assert list(table["Administrations per cycle"]) == [1, 5, 5, 6]
    sched = dosing.schedule(regimen, 2)
    assert sched["DAY"].max() == 28 + 5 and sched["DAY"].min() == 0
    assert len(sched) == 2 * (1 + 5 + 5 + 6)
    with pytest.raises(ValueError, match="n_cycles=0"):
        dosing.schedule(regimen, 0)


def test_patient_doses_and_summary(adsl, regimen):
    d = dosing.patient_doses(adsl, regimen)
    assert len(d) == 4 * len(adsl)
    cyt = d[d["DRUGKEY"] == "cytarabine"]
    assert np.allclose(cyt["PER_DAY_MG"], 1000 * cyt["BSA"])
    assert np.allclose(cyt["PER_CYCLE_MG"], 5 * cyt["PER_DAY_MG"])
    s = dosing.dose_summary(d)
    assert list(s["Drug"]) == ["Lipo-MIT", "Cladribine", "Cytarabine", "Cytarabine", "G-CSF"]


def test_formula_spread_nonnegative(adsl, regimen):
    s = dosing.formula_dose_spread(adsl, regimen)
    assert (s["SPREAD_PCT"] >= 0).all() and set(s["DRUGKEY"]) == {"lipomit", "cladribine", "cytarabine"}


def test_cumulative_mitoxantrone(adsl, regimen):
    c = dosing.cumulative_mitoxantrone(adsl, regimen)
    assert set(c["CUM_MG_M2"]) <= {18.0, 36.0}
    two = c[c["NCYCLES"] == 2].iloc[0]
    assert two["DOXEQ_FEIJEN_MG_M2"] == pytest.approx(36 * 10.5)
    assert two["DOXEQ_OLD_MG_M2"] == pytest.approx(36 * 4)
    assert two["PCT_OF_LABEL_LIMIT"] == pytest.approx(100 * 36 / 140)
    with pytest.raises(ValueError, match="drugkey='idarubicin'"):
        dosing.cumulative_mitoxantrone(adsl, regimen, "idarubicin")


def test_doxorubicin_equivalent_refusals():
    with pytest.raises(ValueError, match="ratio=0"):
        dosing.doxorubicin_equivalent(10, 0)
    with pytest.raises(ValueError, match="mitox_mg_m2=-1"):
        dosing.doxorubicin_equivalent(-1, 4)


def test_every_plausibility_maximum_has_a_rationale_and_is_used(regimen):
    assert set(dosing.MAX_DOSE_RATIONALE) == set(dosing.MAX_DOSE_MG)
    assert set(dosing.MAX_DOSE_MG) == set(regimen["DRUGKEY"])
    lo, hi = dosing.DOXORUBICIN_RISK_RANGE_MG_M2
    assert 0 < lo < hi
    assert dosing.CONV_MITOX_INDUCTION_MG_M2 * dosing.CONV_MITOX_INDUCTION_DAYS == 36


# ---- dose limits at the cited doses (issue 12) --------------------------------------------

@pytest.mark.parametrize("trial, dose", [(t, d) for t, ds in dosing.LIPOMIT_REGISTERED_AML_DOSES_MG_M2.items()
                                         for d in ds] + [("this trial", 18.0), ("PTCL approval", 20.0)])
def test_lipomit_guard_accepts_every_dose_of_registered_aml_studies(trial, dose):
    assert dosing.dose_mg("lipomit", dose, "mg/m2", 1.8) == pytest.approx(dose * 1.8)


def test_lipomit_guard_covers_the_24_to_40_range_and_refuses_a_unit_slip():
    for dose in (24, 30, 36, 40):
        dosing.dose_mg("lipomit", dose, "mg/m2", 1.7)
    with pytest.raises(ValueError, match="lipomit"):
        dosing.dose_mg("lipomit", 18, "g/m2", 1.7)      # 18 000 mg/m²


def test_cladribine_limit_is_four_times_the_hairy_cell_label_dose():
    # hand-worked: 4 × 0.09 mg/kg/day × 70 kg / 1.8 m² = 14.0 mg/m²
    assert dosing.MAX_DOSE_MG["cladribine"] == pytest.approx(14.0)
    dosing.dose_mg("cladribine", 5, "mg/m2", 1.8)         # CLAG / CLAG-M / this trial
    with pytest.raises(ValueError, match="cladribine"):
        dosing.dose_mg("cladribine", 15, "mg/m2", 1.8)


def test_cytarabine_and_gcsf_limits_at_their_cited_doses():
    dosing.dose_mg("cytarabine", 3, "g/m2", 1.8)          # high-dose cytarabine, 3 g/m²
    with pytest.raises(ValueError, match="cytarabine"):
        dosing.dose_mg("cytarabine", 3.5, "g/m2", 1.8)
    for ug in (300, 480, 1000):                            # flat syringes; 10 µg/kg × 100 kg
        assert dosing.dose_mg("gcsf", ug, "ug") == pytest.approx(ug / 1000)
    with pytest.raises(ValueError, match="gcsf"):
        dosing.dose_mg("gcsf", 1500, "ug")


def test_every_limit_names_its_source():
    assert set(dosing.MAX_DOSE_SOURCE) == set(dosing.MAX_DOSE_MG)
    assert all(len(v) > 20 for v in dosing.MAX_DOSE_SOURCE.values())


def test_prior_exposure_hand_worked():
    courses = pd.DataFrame({"DRUG": ["daunorubicin", "idarubicin", "mitoxantrone"],
                            "DOSE_MG_M2": [60.0, 12.0, 18.0], "DAYS": [3, 3, 2]})
    t = dosing.prior_exposure(courses).set_index("DRUG")
    # 180 × 0.6 = 108; 36 × 5 = 180; 36 × 10.5 = 378
    assert t.loc["daunorubicin", "DOXEQ_MG_M2"] == pytest.approx(108.0)
    assert t.loc["idarubicin", "DOXEQ_MG_M2"] == pytest.approx(180.0)
    assert t.loc["mitoxantrone", "DOXEQ_MG_M2"] == pytest.approx(378.0)
    assert t.loc["TOTAL", "DOXEQ_MG_M2"] == pytest.approx(666.0)
    # limits: daunorubicin 72–180, idarubicin 180 (no CI), mitoxantrone 36 × 6.2 = 223.2 to 36 × 19.1 = 687.6
    assert t.loc["TOTAL", "DOXEQ_LOW_MG_M2"] == pytest.approx(72 + 180 + 223.2)
    assert t.loc["TOTAL", "DOXEQ_HIGH_MG_M2"] == pytest.approx(180 + 180 + 687.6)


@pytest.mark.parametrize("bad, message", [
    (pd.DataFrame({"DRUG": ["aclarubicin"], "DOSE_MG_M2": [20.0], "DAYS": [3]}), "aclarubicin"),
    (pd.DataFrame({"DRUG": ["daunorubicin"], "DOSE_MG_M2": [600.0], "DAYS": [3]}), "DOSE_MG_M2"),
    (pd.DataFrame({"DRUG": ["daunorubicin"], "DOSE_MG_M2": [60.0]}), "DAYS"),
])
def test_prior_exposure_refuses_bad_courses(bad, message):
    with pytest.raises(ValueError, match=message):
        dosing.prior_exposure(bad)


# =========================================================================== issue 16: check_regimen remembers successes
def test_check_regimen_cache_never_lets_a_changed_regimen_through(regimen):
    from helpers import validate as v
    from helpers.engine.tables import validate as loader_validate

    first = v.check_regimen("regimen", regimen)
    again = v.check_regimen("regimen", regimen)
    pd.testing.assert_frame_equal(first, loader_validate("regimen", regimen))
    pd.testing.assert_frame_equal(again, first)
    again.loc[again.index[0], "DOSE"] = 1e6            # the returned frame is a copy: the cache is untouched
    pd.testing.assert_frame_equal(v.check_regimen("regimen", regimen), first)
    lipo = regimen.index[regimen["DRUGKEY"] == "lipomit"][0]
    refused = 0
    for bad in (180.0, "18", "18.0", None, 18):       # after the valid regimen was remembered
        changed = regimen.copy()
        changed["DOSE"] = changed["DOSE"].astype(object)
        changed.loc[lipo, "DOSE"] = bad
        try:
            expected = loader_validate("regimen", changed)   # the loader's verdict, never cached
        except ValueError:
            with pytest.raises(ValueError, match="regimen"):
                v.check_regimen("regimen", changed)
            refused += 1
        else:
            pd.testing.assert_frame_equal(v.check_regimen("regimen", changed), expected)
    assert refused >= 2                               # 180 mg/m² (above the 40 limit) and a missing dose
    assert v._content_key(regimen) != v._content_key(regimen.rename(index=lambda i: i + 1))
    assert v._content_key(pd.DataFrame({"A": [18]})) != v._content_key(pd.DataFrame({"A": [18.0]}))


def test_abstract_drug_names_drop_only_our_assumed_product(regimen):
    names = dosing.abstract_drug_names(regimen)
    assert len(names) == len(regimen)
    assert "G-CSF" in names and not any("filgrastim" in n for n in names)
    assert "Mitoxantrone hydrochloride liposome (Lipo-MIT)" in names  # printed in the abstract: kept
    with pytest.raises(ValueError, match="regimen"):
        dosing.abstract_drug_names("regimen.csv")
