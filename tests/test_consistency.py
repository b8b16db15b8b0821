"""helpers.engine.consistency: arithmetic checks of the abstract, follow-up bound, ensemble summary."""
from __future__ import annotations

import pandas as pd
import pytest

from helpers.engine.consistency import (
    KM_FITS, KM_GROUP_SIZE, audit_with_links, evaluable_check, rounding_interval, two_cycle_bounds,
    two_cycle_responses, consistency_checks, consort_checklist, denominator_drift,
    determined_summary, ensemble_table, followup_bound, grim_table, unreported_quantities,
)
from helpers.engine.facts import load_facts
from helpers.engine.tables import load_all


@pytest.fixture(scope="module")
def facts():
    return load_facts()


@pytest.fixture(scope="module")
def tables():
    return load_all()


def test_grim_every_printed_k_fits(facts):
    g = grim_table(facts)
    assert not (g["verdict"] == "IMPOSSIBLE as k/n").any()
    assert not (g["verdict"] == "printed k does not fit").any()
    assert set(KM_GROUP_SIZE) <= set(g["fact_id"])


def test_grim_flags_an_impossible_percentage(facts):
    bad = facts.copy()
    bad.loc[bad["fact_id"] == "male_pct", "value"] = 66.0  # no k/27 rounds to 66.0
    g = grim_table(bad)
    assert g.loc[g["fact_id"] == "male_pct", "verdict"].iloc[0] == "IMPOSSIBLE as k/n"


def test_km_estimates_are_not_simple_proportions(facts):
    g = grim_table(facts).set_index("fact_id")
    assert g.loc["os_6m_pct", "k_possible"] == "none"
    assert g.loc["rfs_6m_pct", "k_possible"] == "none"


def test_denominator_drift(facts):
    d = denominator_drift(facts)
    assert d["n"].tolist() == [17, 15, 15, 16, 16]
    assert d["difference"].iloc[0] == 0


def test_consistency_checks_flag_the_known_contradictions(facts):
    c = consistency_checks(facts).set_index("check")
    assert c.loc["Refractory + relapsed = 100%", "consistent"]
    assert c.loc["ELN 2022 groups sum to 100%", "consistent"]
    assert not c.loc["No-HSCT group = 'no further therapy'", "consistent"]
    assert not c.loc["Age range inside eligibility", "consistent"]
    assert not c.loc["HSCT comparison covers all CRc", "consistent"]
    assert c.loc["6-month estimates vs median follow-up", "verdict"] == "caveat"
    # a declared subset is not a contradiction
    assert c.loc["'Completed therapy' is a subset of CRc", "verdict"] == "caveat"
    assert c.loc["Best response after 2 cycles", "verdict"] == "caveat"
    # very unlikely, not impossible (an early marrow before day 14 could exist): a caveat, not a contradiction
    assert c.loc["All enrolled 'efficacy-evaluable' vs shortest follow-up", "verdict"] == "caveat"


def test_grim_labels_implied_denominators_and_km_fits(facts):
    g = grim_table(facts).set_index("fact_id")
    assert g.loc["male_pct", "n_source"].startswith("implied")
    assert g.loc["ae_g34_fn_pct", "n_source"].startswith("implied")
    assert g.loc["crc_c1_pct", "n_source"].startswith("stated")
    assert g.loc["hsct_os_6m_pct", "verdict"] == KM_FITS


def test_rounding_interval(facts):
    assert rounding_interval(facts, "followup_median") == (3.25, 3.35)
    assert rounding_interval(facts, "n_enrolled") == (26.5, 27.5)
    with pytest.raises(ValueError, match="fact_id='nope'"):
        rounding_interval(facts, "nope")


def test_two_cycle_bounds(facts):
    b = two_cycle_bounds(facts)
    assert (b["best_min"], b["best_max"]) == (17, 24)
    # fewer non-CRc patients than two-cycle patients caps the maximum
    f = facts.copy()
    f.loc[f["fact_id"] == "two_cycles_n", "value"] = 15
    assert two_cycle_bounds(f)["best_max"] == 27


def test_evaluable_check(facts):
    e = evaluable_check(facts)
    assert e["cycle_days"] == 28 and e["max_min_days"] < 14 and not e["assessable"]


def test_two_cycle_responses(tables, facts):
    w = two_cycle_responses(tables["adsl"], tables["adrs"])
    assert len(w) == two_cycle_bounds(facts)["two_cycles"]
    assert w["CYCLE 2"].isin(["CR", "CRh", "CRi"]).all()
    b = two_cycle_bounds(facts)
    assert b["best_min"] <= b["crc_c1"] + int(w["new_crc"].sum()) <= b["best_max"]
    with pytest.raises(ValueError, match="adrs"):
        two_cycle_responses(tables["adsl"], pd.DataFrame())


def test_followup_bound(facts, tables):
    b = followup_bound(facts, tables["adtte"])
    assert b["max_beyond_median"] == 13
    assert (b["median_lo"], b["median_hi"]) == (3.25, 3.35)
    assert 0 < b["os_time_ge"] <= b["max_beyond_median"]
    assert b["os_time_ge"] + b["deaths_before"] + b["censored_before"] == 27


@pytest.mark.parametrize("months", [0, -1, "6", True])
def test_followup_bound_rejects_bad_months(facts, months):
    with pytest.raises(ValueError, match="months="):
        followup_bound(facts, months=months)


def test_bad_facts_argument():
    with pytest.raises(ValueError, match="facts="):
        grim_table(facts=[1, 2])


def test_consort_checklist_shape():
    c = consort_checklist()
    assert set(c["in_abstract"]) <= {"yes", "partly", "no"}
    assert len(c) >= 10


def test_unreported_quantities(tables):
    q = unreported_quantities(tables)
    assert 0 <= q["os_12m_pct"] <= 100
    assert q["at_risk_os_6m"] == followup_bound(None, tables["adtte"])["os_time_ge"]
    with pytest.raises(ValueError, match="adtte"):
        unreported_quantities({"adsl": tables["adsl"]})


def test_ensemble_small():
    ens = ensemble_table(range(3))
    assert (ens["facts_matched"] == ens["facts"]).all()
    s = determined_summary(ens).set_index("quantity")
    assert s.loc["audited facts reproduced (of all)", "same_in_every_generated_cohort"]
    assert "determined" not in s.columns  # constant across generated cohorts is not "determined"


@pytest.mark.parametrize("seeds", [[], ["a"], [True]])
def test_ensemble_rejects_bad_seeds(seeds):
    with pytest.raises(ValueError, match="seeds="):
        ensemble_table(seeds)


def test_determined_summary_rejects_wrong_frame():
    with pytest.raises(ValueError, match="ens is missing"):
        determined_summary(pd.DataFrame({"x": [1]}))


def test_audit_with_links(tables):
    from helpers.engine.audit import audit
    out = audit_with_links(audit(tables))
    assert set(out["match"]) == {"✓"}
    assert out["notebook"].str.match(r"^\[\d\d_\w+\]\(\d\d_\w+\.ipynb\)$").all()
    with pytest.raises(ValueError, match="audit_df"):
        audit_with_links(pd.DataFrame())
