"""helpers.endpoints (ELN RFS/EFS frames, Aalen–Johansen CIF) and helpers.survplot."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from helpers.endpoints import cif_at, cumulative_incidence, efs_frame, remission_frame
from helpers.engine.tables import load_all
from helpers.survplot import at_risk_counts, km_steps


@pytest.fixture(scope="module")
def tables():
    return load_all()


def test_cif_hand_worked():
    # t: 1 relapse, 2 death, 3 censored, 4 relapse; n = 4
    # t=1: n=4, CIF_rel = 1/4, S = 3/4; t=2: death, S = 3/4·2/3 = 1/2; t=4: n=1, CIF_rel += 1/2·1/1
    c = cumulative_incidence([1, 2, 3, 4], [1, 2, 0, 1], cause=1)
    assert c["cif"].tolist() == pytest.approx([0.25, 0.25, 0.75])
    d = cumulative_incidence([1, 2, 3, 4], [1, 2, 0, 1], cause=2)
    assert cif_at(d, 10) == pytest.approx(0.25)
    # CIF(relapse) + CIF(death) + KM(all-cause) = 1 at the end
    assert cif_at(c, 4) + cif_at(d, 4) == pytest.approx(1.0)
    assert cif_at(c, 0.5) == 0.0


def test_cif_matches_lifelines_aalen_johansen_without_ties():
    from lifelines import AalenJohansenFitter
    rng = np.random.default_rng(3)
    t = rng.permutation(np.arange(1, 41)).astype(float)
    causes = rng.choice([0, 1, 2], size=40, p=[0.3, 0.4, 0.3])
    ours = cumulative_incidence(t, causes, cause=1)
    aj = AalenJohansenFitter(calculate_variance=False).fit(t, causes, event_of_interest=1)
    ref = aj.cumulative_density_.iloc[:, 0]
    for time in (5, 12.5, 20, 33, 40):
        assert cif_at(ours, time) == pytest.approx(float(ref.loc[:time].iloc[-1]), abs=1e-12)


def test_one_minus_km_overstates_cif():
    t, c = [1, 2, 3, 4, 5], [2, 2, 1, 0, 1]
    cif = cif_at(cumulative_incidence(t, c, 1), 5)
    from helpers.engine.derive import km_at
    one_minus_km = 1 - km_at(np.array(t, float), (np.array(c) == 1).astype(int), 5)
    assert one_minus_km > cif


@pytest.mark.parametrize("times, causes, cause, match", [
    ([1, 2], [1], 1, "same length"),
    ([1, 2], [1, -1], 1, "causes contains"),
    ([1, 2], [1, 0.5], 1, "causes contains"),
    ([1, 2], [1, 0], 0, "cause=0"),
    ([-1, 2], [1, 0], 1, "negative"),
])
def test_cif_bad_input(times, causes, cause, match):
    with pytest.raises(ValueError, match=match):
        cumulative_incidence(times, causes, cause)


def test_remission_frame_cycle1_equals_adtte_rfs(tables):
    rf = remission_frame(tables["adsl"], tables["adrs"], "cycle1").set_index("USUBJID")
    rfs = tables["adtte"].query("PARAMCD == 'RFS'").set_index("USUBJID")
    assert sorted(rf.index) == sorted(rfs.index)
    assert (rf["time"] == rfs.loc[rf.index, "AVAL"].astype(float)).all()
    assert (rf["event"] == 1 - rfs.loc[rf.index, "CNSR"].astype(int)).all()


def test_remission_frame_any_adds_cycle2_converters(tables):
    a = remission_frame(tables["adsl"], tables["adrs"], "any")
    c1 = remission_frame(tables["adsl"], tables["adrs"], "cycle1")
    r = tables["adrs"].query("PARAMCD == 'OVRLRESP'")
    ever = set(r.loc[r["AVALC"].isin(["CR", "CRh", "CRi"]), "USUBJID"])
    assert set(a["USUBJID"]) == ever and set(c1["USUBJID"]) < ever
    with pytest.raises(ValueError, match="population='best'"):
        remission_frame(tables["adsl"], tables["adrs"], "best")


def test_efs_frame(tables):
    efs = efs_frame(tables["adsl"], tables["adrs"])
    assert len(efs) == len(tables["adsl"])
    r = tables["adrs"].query("PARAMCD == 'OVRLRESP'")
    never = set(tables["adsl"]["USUBJID"]) - set(r.loc[r["AVALC"].isin(["CR", "CRh", "CRi"]), "USUBJID"])
    fail = efs[efs["reason"].str.startswith("induction failure")]
    assert set(fail["USUBJID"]) == never and (fail["time"] == 0).all() and (fail["event"] == 1).all()


def test_km_steps_delayed_entry_hand_worked():
    # entries at 5 and 10; deaths at 12 (2 at risk) and 20 (1 at risk)
    s = km_steps([12.0, 20.0], [1, 1], start=[5.0, 10.0])
    assert s["time"].tolist() == [5.0, 12.0, 20.0]
    assert s["survival"].tolist() == pytest.approx([1.0, 0.5, 0.0])
    assert at_risk_counts([12.0, 20.0], [0, 6, 11, 15], start=[5.0, 10.0]) == [0, 1, 2, 1]
    assert at_risk_counts([12.0, 20.0], [0, 15]) == [2, 1]


def test_plot_km_marks_thin_tail():
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from helpers.survplot import plot_km
    fig, ax = plt.subplots()
    # no events: after t = 2 only the patient censored at 13 remains → tail from 2
    assert plot_km(ax, [1.0, 2.0, 13.0], [0, 0, 0], end=16) == 2.0
    # delayed entry: after the death at 12 one patient remains
    assert plot_km(ax, [12.0, 20.0], [1, 1], start=[5.0, 10.0]) == 12.0
    assert plot_km(ax, [3.0, 5.0, 7.0, 9.0], [1, 0, 1, 0], min_at_risk=1) is None
    with pytest.raises(ValueError, match="min_at_risk=0"):
        plot_km(ax, [1.0], [1], min_at_risk=0)
    plt.close(fig)


def _tick_xs(ax):
    """x positions of the censoring ticks ("|" markers) drawn on ``ax``."""
    return sorted(float(x) for line in ax.lines if line.get_marker() == "|" for x in line.get_xdata())


def test_plot_km_ticks_only_the_rows_marked_censored():
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from helpers.survplot import plot_km
    fig, ax = plt.subplots()
    plot_km(ax, [2.0, 4.0, 6.0, 8.0], [0, 1, 0, 0])
    assert _tick_xs(ax) == [2.0, 6.0, 8.0]          # default: every row with event 0
    fig2, ax2 = plt.subplots()
    # the row ending at 6 leaves for the other state (e.g. transplant): no tick there
    plot_km(ax2, [2.0, 4.0, 6.0, 8.0], [0, 1, 0, 0], censored=[True, False, False, True])
    assert _tick_xs(ax2) == [2.0, 8.0]
    with pytest.raises(ValueError, match="censored="):
        plot_km(ax2, [2.0, 4.0], [0, 1], censored=[True])
    with pytest.raises(ValueError, match="censored="):
        plot_km(ax2, [2.0, 4.0], [0, 1], censored=[1, 0])
    with pytest.raises(ValueError, match="event"):
        plot_km(ax2, [2.0, 4.0], [0, 1], censored=[True, True])
    fig3, ax3 = plt.subplots()
    # heights, by hand: 1 before the death at 4, then 1 - 1/4 (4 at risk at 4); the censoring tied with that
    # death sits after the drop
    plot_km(ax3, [2.0, 4.0, 4.0, 6.0, 8.0], [0, 1, 0, 0, 1])
    ticks = [ln for ln in ax3.get_lines() if ln.get_marker() == "|"][0]
    assert list(ticks.get_xdata()) == [2.0, 4.0, 6.0]
    assert list(ticks.get_ydata()) == pytest.approx([1.0, 3 / 4, 3 / 4])   # 1 death among 4 at risk at 4
    plt.close(fig)
    plt.close(fig2)
    plt.close(fig3)
