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
