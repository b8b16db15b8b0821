"""helpers.survival.hsct_frame(population="all"): the intention-to-treat frame chapter 04's estimands use."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from helpers.engine.derive import km_at
from helpers.engine.tables import load_all
from helpers.survival import hsct_frame


def _toy():
    """Three patients, hand-made: one transplanted on day 10, one NO HSCT, one outside the comparison."""
    adsl = pd.DataFrame({"USUBJID": ["p1", "p2", "p3"], "HSCTGRP": ["HSCT", "NO HSCT", ""],
                         "HSCTDT": ["2024-01-11", "", ""]})
    adtte = pd.DataFrame({"USUBJID": ["p1", "p2", "p3"], "PARAMCD": ["OS"] * 3,
                          "STARTDT": ["2024-01-01"] * 3, "AVAL": [100, 50, 20], "CNSR": [1, 0, 0]})
    return adsl, adtte


def test_all_population_by_hand():
    adsl, adtte = _toy()
    out = hsct_frame(adsl, adtte, "OS", population="all")
    assert list(out["USUBJID"]) == ["p1", "p2", "p3"]
    assert list(out["group"]) == ["HSCT", "NO HSCT", "not in the comparison"]
    assert list(out["event"]) == [0, 1, 1]
    assert out.loc[0, "hsct_day"] == 10 and out["hsct_day"].iloc[1:].isna().all()
    # the default keeps only the comparison
    assert list(hsct_frame(adsl, adtte, "OS")["USUBJID"]) == ["p1", "p2"]


def test_all_population_on_shipped_data():
    t = load_all()
    itt = hsct_frame(t["adsl"], t["adtte"], "OS", population="all")
    os_ = t["adtte"][t["adtte"]["PARAMCD"] == "OS"]
    assert len(itt) == len(t["adsl"]) == len(os_)
    # every transplant in adsl is in the frame, and the comparison rows are the default frame's rows
    assert itt["hsct_day"].notna().sum() == t["adsl"]["HSCTDT"].replace("", np.nan).notna().sum()
    comp = itt[itt["group"] != "not in the comparison"].reset_index(drop=True)
    pd.testing.assert_frame_equal(comp, hsct_frame(t["adsl"], t["adtte"], "OS"))
    # a second implementation of the same KM: the engine's product-limit estimate straight from adtte
    from lifelines import KaplanMeierFitter
    km = KaplanMeierFitter().fit(itt["time"], itt["event"])
    assert km.predict(182.6) == pytest.approx(km_at(os_["AVAL"].astype(float), 1 - os_["CNSR"].astype(int), 182.6))


def test_population_refused():
    adsl, adtte = _toy()
    with pytest.raises(ValueError, match=r"population='itt'.*accepted: 'comparison' or 'all'"):
        hsct_frame(adsl, adtte, "OS", population="itt")
