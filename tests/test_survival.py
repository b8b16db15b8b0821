"""Unit tests for helpers.survival (follow-up, landmark, long format, fast Cox)."""
from __future__ import annotations

import math
import warnings

import numpy as np
import pandas as pd
import pytest

from helpers.survival import (cox_binary, followup_median_observed, hsct_frame, km_median,
                              landmark_split, reverse_km, reverse_km_median, to_long_format)
from helpers.engine.tables import load_all


@pytest.fixture(scope="module")
def tables():
    return load_all()


def _toy():
    return pd.DataFrame({"USUBJID": ["a", "b", "c", "d"], "time": [10.0, 20.0, 30.0, 40.0],
                         "event": [1, 0, 1, 0], "hsct_day": [np.nan, 5.0, 0.0, np.nan]})


def test_followup_median_observed_reproduces_abstract(tables):
    os_ = tables["adtte"].query("PARAMCD == 'OS'")
    assert round(followup_median_observed(os_["AVAL"]) / 30.4375, 1) == 3.3


def test_reverse_km_matches_lifelines(tables):
    from lifelines import KaplanMeierFitter
    os_ = tables["adtte"].query("PARAMCD == 'OS'")
    kmf = KaplanMeierFitter().fit(os_["AVAL"], os_["CNSR"])  # censoring as the event
    assert reverse_km_median(os_["AVAL"], os_["CNSR"]) == pytest.approx(kmf.median_survival_time_)


def test_km_median_matches_lifelines_and_nan_when_not_reached():
    from lifelines import KaplanMeierFitter
    t, c = [5, 8, 8, 12, 20, 25], [0, 0, 1, 0, 1, 0]
    kmf = KaplanMeierFitter().fit(t, [1 - x for x in c])
    assert km_median(t, c) == pytest.approx(kmf.median_survival_time_)
    assert math.isnan(km_median([5, 8, 9], [0, 1, 1]))


def test_reverse_km_curve_is_monotone():
    curve = reverse_km([1, 2, 3, 4, 5], [1, 0, 1, 1, 0])
    assert list(curve["time"]) == [1.0, 3.0, 4.0]
    assert curve["survival"].is_monotonic_decreasing


@pytest.mark.parametrize("times, cnsr, match", [
    ([1, -2, 3], [0, 1, 0], r"negative time -2.*accepted: non-negative"),
    ([1, 2, 3], [0, 2, 1], r"cnsr contains \[2.0\]; accepted: 0 \(event\) or 1 \(censored\)"),
    ([1, 2], [0, 1, 1], r"cnsr has 3 values but times has 2"),
    ([1, float("nan")], [0, 1], r"missing value"),
    ([], [], r"non-empty"),
])
def test_bad_input_is_refused(times, cnsr, match):
    with pytest.raises(ValueError, match=match):
        reverse_km_median(times, cnsr)


def test_hsct_frame_groups(tables):
    h = hsct_frame(tables["adsl"], tables["adtte"], "OS")
    assert (h["group"] == "HSCT").sum() == 6 and (h["group"] == "NO HSCT").sum() == 10
    assert h.loc[h["group"] == "HSCT", "hsct_day"].notna().all()
    assert h.loc[h["group"] == "NO HSCT", "hsct_day"].isna().all()
    with pytest.raises(ValueError, match=r"paramcd='PFS'.*accepted: 'OS' or 'RFS'"):
        hsct_frame(tables["adsl"], tables["adtte"], "PFS")


def test_landmark_split_counts():
    analysed, excluded = landmark_split(_toy(), 15)
    assert list(analysed["USUBJID"]) == ["b", "c", "d"]
    assert list(analysed["exposed"]) == [1, 1, 0]
    assert list(analysed["time_from_landmark"]) == [5.0, 15.0, 25.0]
    assert list(excluded["reason"]) == ["event before landmark"]


def test_landmark_exposure_after_landmark_stays_unexposed():
    analysed, _ = landmark_split(_toy(), 4)
    assert dict(zip(analysed["USUBJID"], analysed["exposed"])) == {"a": 0, "b": 0, "c": 1, "d": 0}


@pytest.mark.parametrize("landmark, match", [
    (40, r"landmark=40 is beyond follow-up.*accepted: 0 < landmark < 40"),
    (100.0, r"landmark=100.0 is beyond follow-up"),
    (0, r"landmark=0 must be a positive number"),
    (-5, r"landmark=-5 must be a positive number"),
    ("90", r"landmark='90' must be a positive number"),
])
def test_landmark_bad_values(landmark, match):
    with pytest.raises(ValueError, match=match):
        landmark_split(_toy(), landmark)


def test_landmark_bad_columns_and_events():
    with pytest.raises(ValueError, match=r"column 'time' not in df"):
        landmark_split(_toy().drop(columns="time"), 5)
    with pytest.raises(ValueError, match=r"event contains .*accepted: 0 \(event\) or 1"):
        landmark_split(_toy().assign(event=[1, 2, 0, 0]), 5)
    with pytest.raises(ValueError, match=r"negative time"):
        landmark_split(_toy().assign(time=[-1.0, 20, 30, 40]), 5)


def test_long_format_rows():
    long = to_long_format(_toy())
    assert long.to_dict("list") == {
        "USUBJID": ["a", "b", "b", "c", "d"], "start": [0.0, 0.0, 5.0, 0.0, 0.0],
        "stop": [10.0, 5.0, 20.0, 30.0, 40.0], "event": [1, 0, 0, 1, 0], "hsct": [0, 0, 1, 1, 0]}


def test_long_format_preserves_person_time_and_events(tables):
    h = hsct_frame(tables["adsl"], tables["adtte"])
    long = to_long_format(h)
    assert (long["stop"] - long["start"]).sum() == h["time"].sum()
    assert long["event"].sum() == h["event"].sum()
    assert (long["start"] < long["stop"]).all()


def test_long_format_refuses_switch_after_follow_up():
    bad = _toy().assign(hsct_day=[np.nan, 25.0, np.nan, np.nan])
    with pytest.raises(ValueError, match=r"hsct_day=25 for USUBJID='b' is after the end of follow-up"):
        to_long_format(bad)
    with pytest.raises(ValueError, match=r"hsct_day=-1 .* is negative"):
        to_long_format(_toy().assign(hsct_day=[np.nan, -1.0, np.nan, np.nan]))


def test_cox_binary_matches_lifelines_time_varying(tables):
    from lifelines import CoxTimeVaryingFitter
    long = to_long_format(hsct_frame(tables["adsl"], tables["adtte"]))
    ctv = CoxTimeVaryingFitter()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ctv.fit(long, id_col="USUBJID", start_col="start", stop_col="stop", event_col="event")
    fast = cox_binary(long["start"], long["stop"], long["event"], long["hsct"])
    assert fast["converged"]
    assert fast["coef"] == pytest.approx(ctv.params_["hsct"], abs=1e-6)
    assert fast["se"] == pytest.approx(ctv.standard_errors_["hsct"], rel=1e-4)


def test_cox_binary_matches_lifelines_with_ties():
    from lifelines import CoxTimeVaryingFitter
    rng = np.random.default_rng(1)
    n = 40
    df = pd.DataFrame({"t": rng.integers(1, 15, n).astype(float), "e": rng.integers(0, 2, n),
                       "x": rng.integers(0, 2, n)})
    ctv = CoxTimeVaryingFitter().fit(df.assign(id=range(n), s=0.0), id_col="id", start_col="s",
                                     stop_col="t", event_col="e")
    fast = cox_binary(np.zeros(n), df["t"], df["e"], df["x"])
    assert fast["coef"] == pytest.approx(ctv.params_["x"], abs=1e-6)


def test_cox_binary_penalizer_keeps_monotone_likelihood_finite():
    # group x=1 has no events: unpenalised beta runs to -infinity
    fit = cox_binary(np.zeros(6), [1, 2, 3, 4, 5, 6], [1, 1, 1, 0, 0, 0], [0, 0, 0, 1, 1, 1], penalizer=0.1)
    assert fit["converged"] and np.isfinite(fit["coef"]) and fit["hr"] < 0.2


def test_cox_binary_bad_input():
    with pytest.raises(ValueError, match=r"start must be < stop"):
        cox_binary([5, 0], [5, 3], [1, 0], [1, 0])
    with pytest.raises(ValueError, match=r"penalizer=-1"):
        cox_binary([0, 0], [5, 3], [1, 0], [1, 0], penalizer=-1)


# =========================================================================== issue 11 additions
from helpers.survival import (completeness_index, cox_loglik, cox_one_covariate, hr_report,  # noqa: E402
                              potential_followup, schoenfeld_events, schoenfeld_power)


def test_potential_followup_hand_worked():
    fu = potential_followup(["2025-01-01", "2025-06-01", "2025-03-01"], "2025-06-30",
                            death_dates=["2025-01-31", "", ""],
                            last_alive_dates=["2025-01-31", "2025-06-30", "2025-04-01"])
    assert fu["potential"].tolist() == [180.0, 29.0, 121.0]
    assert fu["potential_to_death"].tolist() == [30.0, 29.0, 121.0]
    assert fu["observed"].tolist() == [30.0, 29.0, 31.0]
    # Clark's C: (30 + 29 + 31) / (30 + 29 + 121)
    assert completeness_index(fu["observed"], fu["potential_to_death"]) == pytest.approx(90 / 180)


def test_potential_followup_median_of_cohort(tables):
    adsl = tables["adsl"]
    fu = potential_followup(adsl["TRTSDT"], "2025-06-30")
    # second computation: numpy datetime64 day arithmetic on the sorted entry dates, middle of 27
    days = np.sort((np.datetime64("2025-06-30") - adsl["TRTSDT"].to_numpy().astype("datetime64[D]")).astype(int))
    assert len(days) == 27 and np.median(fu["potential"]) == float(days[13])


@pytest.mark.parametrize("kwargs, match", [
    (dict(entry_dates=["2026-01-01"], cutoff="2025-06-30"), "after cutoff"),
    (dict(entry_dates=["2025-01-01"], cutoff="not a date"), "cutoff="),
    (dict(entry_dates=["2025-01-01"], cutoff="2025-06-30", death_dates=["2024-01-01"]), "death_dates"),
    (dict(entry_dates=["2025-01-01"], cutoff="2025-06-30", death_dates=["2025-02-01", ""]), "death_dates has 2"),
])
def test_potential_followup_bad_input(kwargs, match):
    with pytest.raises(ValueError, match=match):
        potential_followup(**kwargs)


def test_completeness_bad_input():
    with pytest.raises(ValueError, match="observed_days exceeds"):
        completeness_index([10.0], [5.0])


def _breslow_loglik(beta, t, d, x):
    """Second implementation for untied data: l(β) = Σ_events [βx_i − log Σ_{t_j ≥ t_i} exp(βx_j)]."""
    total = 0.0
    for i in range(len(t)):
        if d[i]:
            total += beta * x[i] - math.log(sum(math.exp(beta * x[j]) for j in range(len(t)) if t[j] >= t[i]))
    return total


def _untied():
    t = np.array([3.0, 5, 7, 9, 11, 13, 15, 17, 20, 22])
    d = np.array([1, 1, 0, 1, 1, 0, 1, 0, 1, 0])
    x = np.array([0, 0, 1, 0, 1, 1, 0, 1, 1, 0])
    return t, d, x


def test_cox_loglik_matches_hand_formula_and_derivatives():
    t, d, x = _untied()
    for beta in (-1.0, 0.0, 0.7):
        ll, u, info = cox_loglik(beta, None, t, d, x)
        assert ll == pytest.approx(_breslow_loglik(beta, t, d, x), abs=1e-12)
        h = 1e-5
        num_u = (_breslow_loglik(beta + h, t, d, x) - _breslow_loglik(beta - h, t, d, x)) / (2 * h)
        num_i = -(_breslow_loglik(beta + h, t, d, x) - 2 * ll + _breslow_loglik(beta - h, t, d, x)) / h ** 2
        assert u == pytest.approx(num_u, abs=1e-6)
        assert info == pytest.approx(num_i, rel=1e-3)


def test_cox_one_covariate_matches_lifelines_with_ties():
    from lifelines import CoxPHFitter
    t = np.array([2.0, 3, 3, 5, 6, 6, 6, 8, 9, 12, 12, 14])
    d = np.array([1, 1, 1, 0, 1, 1, 0, 1, 0, 1, 0, 1])
    x = np.array([0, 1, 0, 1, 0, 0, 1, 1, 0, 1, 1, 0])
    fit = cox_one_covariate(None, t, d, x)
    cph = CoxPHFitter().fit(pd.DataFrame({"t": t, "d": d, "x": x}), "t", "d")
    assert fit["estimable"]
    assert fit["coef"] == pytest.approx(cph.params_["x"], abs=1e-6)
    assert fit["se"] == pytest.approx(cph.standard_errors_["x"], rel=1e-5)
    assert fit["wald_low"] == pytest.approx(cph.summary.loc["x", "exp(coef) lower 95%"], rel=1e-5)
    assert cox_loglik(fit["coef"], None, t, d, x)[0] == pytest.approx(cph.log_likelihood_, abs=1e-6)
    # the profile-likelihood limits are where the deviance rises by χ²₁(0.95) = 3.841
    top = cox_loglik(fit["coef"], None, t, d, x)[0]
    for lim in (fit["pl_low"], fit["pl_high"]):
        assert 2 * (top - cox_loglik(math.log(lim), None, t, d, x)[0]) == pytest.approx(3.8414588, abs=1e-6)


def test_firth_hand_worked_two_patients():
    # x=0 dies at t=1 with both at risk, x=1 censored at 2: l(β) = −log(1+e^β), I = p(1−p), p = e^β/(1+e^β).
    # Firth: maximise 1.5·log(1−p) + 0.5·log p → p = 1/4 → HR = e^β = p/(1−p) = 1/3.
    fit = cox_one_covariate(None, [1.0, 2.0], [1, 0], [0, 1], firth=True)
    assert fit["hr"] == pytest.approx(1 / 3, rel=1e-6)
    plain = cox_one_covariate(None, [1.0, 2.0], [1, 0], [0, 1])
    assert not plain["estimable"] and math.isnan(plain["hr"])
    # the half-open profile interval: sup l = 0 (β → −∞), so 2·log(1 + e^β) ≤ χ²₁(0.95) → HR ≤ e^(χ²/2) − 1
    bound = math.exp(3.841458820694124 / 2) - 1
    assert plain["pl_low"] == 0.0 and plain["pl_high"] == pytest.approx(bound, rel=1e-6)
    assert hr_report(plain) == f"not estimable (0 events in a group); profile CI: HR ≤ {bound:.2f}"
    assert hr_report(fit).startswith("0.33 (")
    tiny = dict(fit, pl_low=0.0021, pl_high=3.36, hr=0.27)
    assert hr_report(tiny) == "0.27 (0.002–3.36)"                # not "0.00": the interval does not reach 0
    # mirrored (the events in the x = 1 group): the interval runs from a finite bound to ∞
    mirror = cox_one_covariate(None, [1.0, 2.0], [1, 0], [1, 0])
    assert mirror["pl_high"] == math.inf and mirror["pl_low"] == pytest.approx(1 / bound, rel=1e-6)
    assert hr_report(mirror) == f"not estimable (0 events in a group); profile CI: HR ≥ {1 / bound:.2f}"


def test_firth_zero_events_in_group_gives_finite_hr_and_open_interval():
    t = np.array([2.0, 4, 6, 8, 10, 12, 14, 16])
    d = np.array([1, 1, 1, 0, 0, 0, 0, 0])
    x = np.array([0, 0, 0, 0, 1, 1, 1, 1])   # no events among x = 1
    plain = cox_one_covariate(None, t, d, x)
    firth = cox_one_covariate(None, t, d, x, firth=True)
    assert not plain["estimable"]
    assert 0 < firth["hr"] < 1 and firth["pl_low"] >= 0 and firth["pl_high"] > firth["hr"]


def test_firth_close_to_mle_with_many_events():
    rng = np.random.default_rng(1)
    x = np.repeat([0, 1], 200)
    t = rng.exponential(1 / np.where(x == 1, 0.5, 1.0))
    d = np.ones_like(x)
    a, b = cox_one_covariate(None, t, d, x), cox_one_covariate(None, t, d, x, firth=True)
    assert b["coef"] == pytest.approx(a["coef"], abs=0.02)


@pytest.mark.parametrize("kwargs, match", [
    (dict(confidence=1.5), "confidence=1.5"),
    (dict(firth="yes"), "firth='yes'"),
])
def test_cox_one_covariate_bad_input(kwargs, match):
    with pytest.raises(ValueError, match=match):
        cox_one_covariate(None, [1.0, 2.0], [1, 1], [0, 1], **kwargs)


def test_cox_no_events_refused():
    with pytest.raises(ValueError, match="no events"):
        cox_one_covariate(None, [1.0, 2.0], [0, 0], [0, 1])


def test_schoenfeld_hand_worked():
    # (1.959964 + 0.841621)² / (0.25 · log(0.5)²) = 7.848879 / 0.120113 = 65.35
    assert schoenfeld_events(0.5) == pytest.approx(7.848879 / (0.25 * math.log(0.5) ** 2), rel=1e-6)
    assert schoenfeld_events(0.5) == pytest.approx(65.35, abs=0.01)
    # power at exactly that many events is the target
    assert schoenfeld_power(schoenfeld_events(0.5, power=0.9), 0.5) == pytest.approx(0.9, abs=1e-9)
    # unequal allocation needs more events
    assert schoenfeld_events(0.5, allocation=6 / 16) > schoenfeld_events(0.5)


@pytest.mark.parametrize("fn, kwargs, match", [
    (schoenfeld_events, dict(hr=1.0), "hr=1.0"),
    (schoenfeld_events, dict(hr=-2), "hr=-2"),
    (schoenfeld_events, dict(hr=0.5, power=1.2), "power=1.2"),
    (schoenfeld_power, dict(events=0, hr=0.5), "events=0"),
    (schoenfeld_power, dict(events=5, hr=0.5, allocation=1), "allocation=1"),
])
def test_schoenfeld_bad_input(fn, kwargs, match):
    with pytest.raises(ValueError, match=match):
        fn(**kwargs)


# =========================================================================== issue 16: risk sets computed once per fit
def _loglik_reference(beta, start, stop, d, x):
    """helpers.survival._loglik before issue 16 (a loop over event times, risk sets rebuilt at every call),
    copied verbatim: the second implementation the matrix version is checked against."""
    ll = grad = info = 0.0
    w = np.exp(beta * x)
    for t in np.unique(stop[d == 1]):
        risk = (start < t) & (stop >= t)
        dead = (stop == t) & (d == 1)
        m = int(dead.sum())
        s0r, s1r, s2r = w[risk].sum(), (w * x)[risk].sum(), (w * x * x)[risk].sum()
        s0d, s1d, s2d = w[dead].sum(), (w * x)[dead].sum(), (w * x * x)[dead].sum()
        ll += beta * x[dead].sum()
        grad += x[dead].sum()
        for l in range(m):
            f = l / m
            a0, a1, a2 = s0r - f * s0d, s1r - f * s1d, s2r - f * s2d
            ll -= math.log(a0)
            grad -= a1 / a0
            info += a2 / a0 - (a1 / a0) ** 2
    return ll, grad, info


@pytest.mark.parametrize("seed", range(12))
def test_loglik_as_matrix_products_matches_the_loop(seed):
    from helpers.survival import _cox_arrays, _loglik, _risk_sets

    rng = np.random.default_rng(seed)
    n = int(rng.integers(6, 40))
    stop = rng.integers(1, 25, n).astype(float)                     # many tied times
    start = None if seed % 2 else np.floor(stop * rng.uniform(0, 0.9, n))
    event = (rng.uniform(size=n) < 0.6).astype(int)
    event[0] = 1
    x = (rng.uniform(size=n) < 0.5).astype(int) if seed % 3 else rng.normal(size=n).round(2)
    arrays = _cox_arrays(start, stop, event, x)
    sets = _risk_sets(*arrays)
    for beta in (-15.0, -2.5, -0.3, 0.0, 0.7, 1.9, 15.0):
        expected = _loglik_reference(beta, *arrays)
        got = _loglik(beta, *arrays, sets=sets)
        assert got == pytest.approx(expected, rel=1e-12, abs=1e-9)   # same sums, in another order
        assert _loglik(beta, *arrays) == got


# =========================================================================== issue 11 (speed): KM at a time, with CI
@pytest.mark.parametrize("seed", range(10))
def test_km_estimate_at_matches_lifelines(seed):
    from lifelines import KaplanMeierFitter

    from helpers.survival import km_estimate_at

    rng = np.random.default_rng(100 + seed)
    n = int(rng.integers(3, 30))
    t = rng.integers(1, 20, n).astype(float)            # ties
    e = (rng.uniform(size=n) < 0.6).astype(int)
    km = KaplanMeierFitter().fit(t, e)
    for at in (0.0, 3.0, 6.5, 12.0, 25.0):
        got = km_estimate_at(t, e, at)
        est = km.survival_function_.loc[:at].iloc[-1, 0]
        lo, hi = km.confidence_interval_.loc[:at].iloc[-1]
        assert got["estimate"] == pytest.approx(est, abs=1e-12)
        if 0 < est < 1:
            assert (got["ci_low"], got["ci_high"]) == pytest.approx((lo, hi), abs=1e-9)
        else:                                             # lifelines fills an undefined interval with 1.0
            assert math.isnan(got["ci_low"]) and math.isnan(got["ci_high"])
        assert got["at_risk"] == int((t >= at).sum())
        assert got["events"] == int(e[t <= at].sum())


def test_km_estimate_at_hand_worked():
    from helpers.survival import km_estimate_at

    # 5 patients: deaths at 2 and 4, censored at 3, 5, 6. S(4) = 4/5 · 2/3 = 8/15.
    # Greenwood sum: 1/(5·4) + 1/(3·2) = 0.05 + 1/6; log(-log) interval with z = 1.959964
    got = km_estimate_at([2, 3, 4, 5, 6], [1, 0, 1, 0, 0], 4.0)
    s, gw, z = 8 / 15, 0.05 + 1 / 6, 1.959963984540054
    half = z * math.sqrt(gw) / math.log(s)
    assert got["estimate"] == pytest.approx(s)
    assert got["ci_low"] == pytest.approx(s ** math.exp(-half))      # exp(-exp(log(-log s) - h)) = s^(e^-h)
    assert got["ci_high"] == pytest.approx(s ** math.exp(half))
    assert got["ci_low"] < s < got["ci_high"]
    assert (got["at_risk"], got["events"]) == (3, 2)


@pytest.mark.parametrize("kwargs, match", [
    (dict(times=[1, 2], events=[1, 2], at=1.0), "events="),
    (dict(times=[1, 2], events=[1], at=1.0), "events="),
    (dict(times=[1, 2], events=[1, 0], at=-1.0), "at=-1.0"),
    (dict(times=[1, 2], events=[1, 0], at=True), "at=True"),
    (dict(times=[1, 2], events=[1, 0], at=1.0, confidence=1.0), "confidence=1.0"),
    (dict(times=[-1, 2], events=[1, 0], at=1.0), "negative"),
])
def test_km_estimate_at_bad_input(kwargs, match):
    from helpers.survival import km_estimate_at

    with pytest.raises(ValueError, match=match):
        km_estimate_at(**kwargs)
