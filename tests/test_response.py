"""helpers.response and helpers.swimmer: intervals, exact test, Simon design, response table."""
from __future__ import annotations

import math
from dataclasses import replace

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from helpers.response import (CLAGM_CR_K, CLAGM_N, CLAGM_SHEET_PCT, HISTORICAL_CLAG_CR, HISTORICAL_CLAG_N,
                              binomial_ci, ci_table, exact_test_vs_historical, response_table, simon_two_stage)
from helpers.response import SimonDesign, _simon_search
from helpers.swimmer import swimmer_data
from helpers.engine.tables import load_all


@pytest.fixture(scope="module")
def tables():
    return load_all()


def test_ci_17_of_27_matches_published_values():
    lo, hi = binomial_ci(17, 27, "exact")
    assert (round(100 * lo, 1), round(100 * hi, 1)) == (42.4, 80.6)
    lo, hi = binomial_ci(17, 27, "wilson")
    assert (round(100 * lo, 1), round(100 * hi, 1)) == (44.2, 78.5)


def test_exact_ci_matches_scipy_root_finding():
    """The closed form (beta quantiles) against a second implementation: scipy's binomtest, which finds the
    Clopper–Pearson limits by root-finding."""
    from scipy import stats
    for n in (1, 2, 6, 17, 27, 36, 118):
        for k in sorted({0, 1, n // 3, n // 2, n - 1, n}):
            for conf in (0.80, 0.95, 0.99):
                ref = stats.binomtest(k, n).proportion_ci(confidence_level=conf, method="exact")
                lo, hi = binomial_ci(k, n, "exact", conf)
                assert lo == pytest.approx(ref.low, abs=1e-9) and hi == pytest.approx(ref.high, abs=1e-9), (k, n, conf)


def test_ci_edges():
    assert binomial_ci(0, 10, "exact")[0] == 0.0
    assert binomial_ci(10, 10, "exact")[1] == 1.0
    lo, hi = binomial_ci(12, 15, "exact", confidence=0.90)
    lo95, hi95 = binomial_ci(12, 15, "exact")
    assert lo95 < lo < 0.8 < hi < hi95


@pytest.mark.parametrize("k, n, word", [(28, 27, "k=28"), (-1, 27, "k=-1"), (1, 0, "n=0"),
                                        (1, -5, "n=-5"), (1.5, 27, "k=1.5"), (True, 27, "k=True")])
def test_ci_bad_counts(k, n, word):
    with pytest.raises(ValueError, match=word.replace(".", r"\.")) as err:
        binomial_ci(k, n)
    assert "accepted" in str(err.value) or "need" in str(err.value) or "must" in str(err.value)


def test_ci_bad_method_and_confidence():
    with pytest.raises(ValueError, match=r"method='wald'.*exact, wilson"):
        binomial_ci(1, 2, "wald")
    with pytest.raises(ValueError, match=r"confidence=95"):
        binomial_ci(1, 2, "exact", confidence=95)


def test_ci_table_widths():
    t = ci_table({"CRc": (17, 27), "MRD-": (12, 15)})
    assert list(t.index) == ["CRc", "MRD-"]
    assert math.isclose(t.loc["CRc", "estimate_pct"], 100 * 17 / 27)
    assert (t["exact_width"] > t["wilson_width"]).all()


def test_clagm_comparator_fails_grim():
    # hand-worked: 100·k/118 rounds half up to 58 only for 67.85 <= k < 69.03, i.e. k = 68 or 69
    assert counts_from_rate(CLAGM_SHEET_PCT, CLAGM_N) == [68, 69]
    assert CLAGM_CR_K not in counts_from_rate(CLAGM_SHEET_PCT, CLAGM_N)
    assert round(100 * CLAGM_CR_K / CLAGM_N, 1) == 55.9


def test_exact_test_vs_historical():
    assert HISTORICAL_CLAG_CR == 0.58 and HISTORICAL_CLAG_N == 36
    p = exact_test_vs_historical(17, 27)
    assert math.isclose(p, stats.binom.sf(16, 27, 0.58))
    with pytest.raises(ValueError, match="p0=1.2"):
        exact_test_vs_historical(17, 27, p0=1.2)
    with pytest.raises(ValueError, match="k=30"):
        exact_test_vs_historical(30, 27)
    with pytest.raises(ValueError, match="alternative='bigger'"):
        exact_test_vs_historical(17, 27, alternative="bigger")


def _brute_force(r1, n1, r, n, p):
    """P(declare promising) by a plain double sum."""
    total = 0.0
    for x1 in range(r1 + 1, n1 + 1):
        for x2 in range(n - n1 + 1):
            if x1 + x2 > r:
                total += stats.binom.pmf(x1, n1, p) * stats.binom.pmf(x2, n - n1, p)
    return total


def test_simon_matches_simon_1989_table():
    """Simon (1989), Table 1, p0 = 0.40, p1 = 0.60, alpha = 0.05, beta = 0.20:
    optimal 7/16, 23/46 (EN0 24.5, PET0 0.72); minimax 17/34, 20/39 (EN0 34.4, PET0 0.91)."""
    d = simon_two_stage(0.40, 0.60, 0.05, 0.80)
    o, m = d["optimal"], d["minimax"]
    assert (o.r1, o.n1, o.r, o.n) == (7, 16, 23, 46)
    assert (round(o.en0, 1), round(o.pet0, 2)) == (24.5, 0.72)
    assert (m.r1, m.n1, m.r, m.n) == (17, 34, 20, 39)
    assert (round(m.en0, 1), round(m.pet0, 2)) == (34.4, 0.91)
    for des in (o, m):
        assert math.isclose(des.alpha, _brute_force(des.r1, des.n1, des.r, des.n, 0.40), rel_tol=1e-9)
        assert math.isclose(des.power, _brute_force(des.r1, des.n1, des.r, des.n, 0.60), rel_tol=1e-9)
        assert des.alpha <= 0.05 and des.power >= 0.80


@pytest.mark.parametrize("kwargs, word", [
    (dict(p0=0.0, p1=0.6), "p0=0.0"), (dict(p0=0.6, p1=0.4), "p1=0.4"),
    (dict(p0=0.4, p1=0.6, alpha=0.7), "alpha=0.7"), (dict(p0=0.4, p1=0.6, power=0.3), "power=0.3"),
    (dict(p0=0.4, p1=0.6, max_n=1), "max_n=1"), (dict(p0=0.4, p1=0.6, max_n=10), "max_n=10"),
])
def test_simon_bad_input(kwargs, word):
    with pytest.raises(ValueError, match=word):
        simon_two_stage(**kwargs)


def test_response_table(tables):
    t = response_table(tables["adsl"], tables["adrs"])
    assert t.loc["CRc (CR+CRh+CRi)", "n"] == 17 and t.loc["ORR (CRc+MLFS+PR)", "n"] == 19
    assert t.loc[["CR", "CRh", "CRi", "MLFS", "PR", "NR", "NE"], "n"].sum() == len(tables["adsl"])
    assert t.loc["CRc (CR+CRh+CRi)", "n (%) of N=27"] == "17 (63.0)"


def test_response_table_missing_and_bad(tables):
    adrs = tables["adrs"][tables["adrs"]["USUBJID"] != "SYN-001"]
    t = response_table(tables["adsl"], adrs)
    assert t.loc["Not assessed", "n"] == 1
    bad = tables["adrs"].copy()
    bad.loc[bad.index[0], "AVALC"] = "VGPR"
    with pytest.raises(ValueError, match=r"AVALC=\['VGPR'\].*accepted"):
        response_table(tables["adsl"], bad)
    with pytest.raises(ValueError, match="cycle=3"):
        response_table(tables["adsl"], tables["adrs"], cycle=3)


def test_swimmer_data(tables):
    d = swimmer_data(tables["adsl"], tables["adrs"], tables["adtte"])
    assert len(d) == len(tables["adsl"])
    assert d["followup"].notna().all() and (d["followup"] >= 0).all()
    assert d["cycle 2"].notna().sum() == int((tables["adsl"]["NCYCLES"] == 2).sum())
    for col in ("cycle 2", "consolidation", "HSCT", "relapse", "response_day"):
        ok = d[col].dropna() <= d.loc[d[col].notna(), "followup"]
        assert ok.all(), col
    eos = tables["adsl"].set_index("USUBJID")["EOSSTT"].reindex(d.index)
    assert d["lost"].tolist() == (eos.eq("LOST TO FOLLOW-UP") & ~d["died"]).tolist()
    assert not (d["lost"] & d["died"]).any()


def test_swimmer_lost_flag_follows_eosstt(tables):
    adsl = tables["adsl"].copy()
    first = adsl["USUBJID"].iloc[0]
    adsl.loc[adsl["USUBJID"] == first, "EOSSTT"] = "LOST TO FOLLOW-UP"
    adsl.loc[adsl["USUBJID"] != first, "EOSSTT"] = "ONGOING"
    d = swimmer_data(adsl, tables["adrs"], tables["adtte"])
    assert d["lost"].sum() == (0 if d.loc[first, "died"] else 1)


@pytest.mark.parametrize("p0, p1, optimal, minimax", [
    (0.10, 0.30, (1, 10, 5, 29), (1, 15, 5, 25)),
    (0.20, 0.40, (3, 13, 12, 43), (4, 18, 10, 33)),
    (0.50, 0.70, (8, 15, 26, 43), (12, 23, 23, 37)),
])
def test_simon_more_rows_of_the_1989_table(p0, p1, optimal, minimax):
    d = simon_two_stage(p0, p1, 0.05, 0.80)
    assert (d["optimal"].r1, d["optimal"].n1, d["optimal"].r, d["optimal"].n) == optimal
    assert (d["minimax"].r1, d["minimax"].n1, d["minimax"].r, d["minimax"].n) == minimax


def test_simon_chapter_design_p0_055_p1_075():
    """The chapter's design (p0 = 0.55, p1 = 0.75, max_n = 80): error rates re-checked by brute force,
    and the search limit does not change the answer once it is large enough."""
    d = simon_two_stage(0.55, 0.75, 0.05, 0.80, max_n=80)
    for des in d.values():
        assert math.isclose(des.alpha, _brute_force(des.r1, des.n1, des.r, des.n, 0.55), rel_tol=1e-9)
        assert math.isclose(des.power, _brute_force(des.r1, des.n1, des.r, des.n, 0.75), rel_tol=1e-9)
        assert des.alpha <= 0.05 and des.power >= 0.80
    assert d == simon_two_stage(0.55, 0.75, 0.05, 0.80, max_n=60)


# =========================================================================== issue 11/12 additions
from helpers.response import (RESPONSE_ORDER, classify_response, counts_from_rate,  # noqa: E402
                              fisher_vs_historical, mark_non_evaluable, prob_rate_exceeds)


def test_early_death_is_non_evaluable_in_table(tables):
    tab = response_table(tables["adsl"], tables["adrs"], 1)
    assert "NE" in RESPONSE_ORDER and tab.loc["NE", "n"] == 1
    # categories CR..NE add up to the ITT denominator, CRc and ORR unchanged
    assert tab.loc[list(RESPONSE_ORDER), "n"].sum() == len(tables["adsl"]) == 27
    assert tab.loc["CRc (CR+CRh+CRi)", "n"] == 17


def test_mark_non_evaluable_both_data_versions(tables):
    adrs = tables["adrs"]
    once = mark_non_evaluable(adrs)
    twice = mark_non_evaluable(once)          # data that already say NE pass unchanged
    assert (once["AVALC"] == twice["AVALC"]).all()
    assert int((once["AVALC"] == "NE").sum()) == 1
    plain = pd.DataFrame({"USUBJID": ["a"], "PARAMCD": ["OVRLRESP"], "AVALC": ["NR"], "RSNOTE": [""]})
    assert mark_non_evaluable(plain)["AVALC"].tolist() == ["NR"]   # a true non-responder stays NR


@pytest.mark.parametrize("args, kwargs, expected", [
    ((2, 1.5, 150), {}, "CR"),
    ((2, 0.6, 60), {}, "CRh"),
    ((2, 0.4, 150), {}, "CRi"),            # residual neutropenia only
    ((2, 1.2, 30), {}, "CRi"),             # residual thrombocytopenia only
    ((2, 0.3, 20), {}, "MLFS"),            # both low, CRh not met
    ((2, 0.3, 20), {"aplastic_marrow": True}, "NE"),
    ((2, 1.5, 150), {"circulating_blasts": True}, "NR"),
    ((12, 1.5, 150), {"baseline_blasts_pct": 60}, "PR"),
    ((12, 1.5, 150), {"baseline_blasts_pct": 20}, "NR"),   # fall < 50%
    ((12, 0.8, 150), {"baseline_blasts_pct": 60}, "NR"),   # PR needs CR counts
    ((40, 1.5, 150), {"baseline_blasts_pct": 80}, "NR"),
    ((0, 0, 0), {"evaluable": False}, "NE"),
    ((4.9, 1.0, 100), {}, "CR"),           # boundaries: < 5, ≥ 1.0, ≥ 100
    ((5.0, 1.0, 100), {"baseline_blasts_pct": 10}, "PR"),
])
def test_classify_response(args, kwargs, expected):
    assert classify_response(*args, **kwargs) == expected


@pytest.mark.parametrize("args, kwargs, match", [
    ((-1, 1, 100), {}, "marrow_blasts_pct=-1"),
    ((2, -0.5, 100), {}, "anc_e9_l=-0.5"),
    ((2, 1, "many"), {}, "platelets_e9_l='many'"),
    ((12, 1.5, 150), {}, "baseline_blasts_pct=None"),
    ((2, 1, 100), {"evaluable": "no"}, "evaluable='no'"),
])
def test_classify_response_bad_input(args, kwargs, match):
    with pytest.raises(ValueError, match=match):
        classify_response(*args, **kwargs)


def test_counts_from_rate_grim():
    assert counts_from_rate(58, 36) == [21]        # 21/36 = 58.3%; 20/36 = 55.6%, 22/36 = 61.1%
    assert counts_from_rate(50, 4) == [2]
    assert counts_from_rate(33.3, 6, 1) == [2]     # 2/6 = 33.33 → 33.3
    with pytest.raises(ValueError, match="pct=120"):
        counts_from_rate(120, 10)


def test_counts_from_rate_one_decimal():
    assert counts_from_rate(33.3, 9, 1) == [3]
    assert counts_from_rate(63.0, 27, 1) == [17]


def test_fisher_matches_hypergeometric_sum():
    # one-sided "greater": P(X ≥ 17) for X ~ Hypergeom(M = 63, n = 38 responders, N = 27 drawn)
    res = fisher_vs_historical(17, 27, 21, 36, "greater")
    by_hand = stats.hypergeom.sf(16, 63, 38, 27)
    assert res["p_value"] == pytest.approx(by_hand, rel=1e-10)
    assert res["odds_ratio"] == pytest.approx((17 * 15) / (10 * 21))
    with pytest.raises(ValueError, match="alternative='up'"):
        fisher_vs_historical(17, 27, 21, 36, "up")
    with pytest.raises(ValueError, match="k=40"):
        fisher_vs_historical(40, 27, 21, 36)


def _prob_greater_closed_form(a1, b1, a2, b2):
    """Second implementation: P(Y > X) for X ~ Beta(a1, b1), Y ~ Beta(a2, b2), integer a2 (Evan Miller's
    closed form): Σ_{i=0}^{a2−1} B(a1+i, b1+b2) / ((b2+i)·B(1+i, b2)·B(a1, b1))."""
    from scipy.special import betaln
    total = 0.0
    for i in range(int(a2)):
        total += math.exp(betaln(a1 + i, b1 + b2) - math.log(b2 + i) - betaln(1 + i, b2) - betaln(a1, b1))
    return total


def test_prob_rate_exceeds_matches_closed_form():
    p = prob_rate_exceeds(17, 27, 21, 36)
    # uniform priors: p_new ~ Beta(18, 11), p_hist ~ Beta(22, 16); X = p_hist, Y = p_new
    assert p == pytest.approx(_prob_greater_closed_form(22, 16, 18, 11), abs=1e-8)
    # symmetry: identical data → 1/2
    assert prob_rate_exceeds(10, 20, 10, 20) == pytest.approx(0.5, abs=1e-9)
    with pytest.raises(ValueError, match="prior="):
        prob_rate_exceeds(17, 27, 21, 36, prior=(0, 1))


# =========================================================================== issue 16: the faster Simon search
def _simon_reference(p0, p1, alpha, power, max_n):
    """The one-design-at-a-time search simon_two_stage used before issue 16 (copied verbatim, input
    checks left out): the vectorised search must return the same designs, float for float."""
    pmf_cache = {p: {m: stats.binom.pmf(np.arange(m + 1), m, p) for m in range(1, max_n + 1)} for p in (p0, p1)}
    sf_cache = {p: {m: stats.binom.sf(np.arange(-1, m + 1), m, p) for m in range(1, max_n + 1)} for p in (p0, p1)}
    best_opt: SimonDesign | None = None
    best_mm: SimonDesign | None = None
    for n in range(2, max_n + 1):
        for n1 in range(1, n):
            n2 = n - n1
            x1 = np.arange(n1 + 1)
            r_grid = np.arange(n + 1)
            # P(X2 > r - x1) for every (x1, r); sf of a negative threshold is 1.
            thresh = r_grid[None, :] - x1[:, None]
            res = {}
            for label, p in (("p0", p0), ("p1", p1)):
                pmf1 = pmf_cache[p][n1]
                # sf_cache[p][n2][j + 1] = P(X2 > j) for j = -1 .. n2; thresholds outside are clipped
                sf2 = sf_cache[p][n2][np.clip(thresh, -1, n2) + 1]
                contrib = pmf1[:, None] * sf2
                # reject[r1, r] = sum over x1 > r1 of contrib[x1, r]
                tail = np.cumsum(contrib[::-1], axis=0)[::-1]
                reject = np.vstack([tail[1:], np.zeros((1, n + 1))])
                res[label] = reject
            ok = (res["p0"] <= alpha) & (res["p1"] >= power) & (r_grid[None, :] >= x1[:, None])
            rows = np.nonzero(ok.any(axis=1))[0]
            if rows.size == 0:
                continue
            pet0_all = stats.binom.cdf(rows, n1, p0)
            en0_all = n1 + (1 - pet0_all) * n2
            for pick, best in (("opt", best_opt), ("mm", best_mm)):
                i = int(np.argmin(en0_all))          # first r1 with the smallest EN0
                r1 = int(rows[i])
                r = int(np.argmax(ok[r1]))           # smallest r that meets both constraints
                d = SimonDesign("", r1, n1, r, n, float(res["p0"][r1, r]), float(res["p1"][r1, r]),
                                float(en0_all[i]), float(pet0_all[i]))
                if pick == "opt" and (best is None or (round(d.en0, 10), n) < (round(best.en0, 10), best.n)):
                    best_opt = d
                if pick == "mm" and (best is None or (n, round(d.en0, 10)) < (best.n, round(best.en0, 10))):
                    best_mm = d
    if best_opt is None or best_mm is None:
        raise ValueError(f"max_n={max_n} is too small: no design meets alpha={alpha}, power={power}")
    return {"optimal": replace(best_opt, kind="optimal"), "minimax": replace(best_mm, kind="minimax")}




_SIMON_CASES = [(p0, round(p0 + d, 2), a, pw, 40) for p0 in (0.05, 0.2, 0.4, 0.55, 0.7) for d in (0.15, 0.25)
                for a, pw in ((0.05, 0.80), (0.10, 0.90)) if p0 + d < 1]
_SIMON_CASES += [(0.123, 0.377, 0.07, 0.83, 37), (0.31, 0.52, 0.033, 0.77, 52), (0.5, 0.65, 0.05, 0.8, 30),
                 (0.55, 0.75, 0.05, 0.80, 80), (0.58, 0.75, 0.05, 0.80, 80)]  # the last two: chapter 03


@pytest.mark.parametrize("case", _SIMON_CASES)
def test_simon_vectorised_search_equals_the_reference(case):
    _simon_search.cache_clear()
    try:
        expected = _simon_reference(*case)
    except ValueError:
        with pytest.raises(ValueError, match="too small"):
            simon_two_stage(*case)
        return
    got = simon_two_stage(*case)
    assert got == expected  # dataclass equality: every float identical, not merely close
    assert got == simon_two_stage(*case)  # the cached answer is the same


def test_simon_cache_returns_a_fresh_dict():
    a = simon_two_stage(0.4, 0.6, 0.05, 0.80)
    a["optimal"] = None
    assert simon_two_stage(0.4, 0.6, 0.05, 0.80)["optimal"] is not None


def test_plot_swimmer_draws_one_bar_and_the_marks_of_every_patient(tables):
    """The grouped drawing (issue 16) puts every patient's bar and marks where the data say."""
    import matplotlib
    matplotlib.use("agg")
    import matplotlib.pyplot as plt
    from helpers.swimmer import DAYS_PER_MONTH, lost_mark, plot_swimmer

    sw = swimmer_data(tables["adsl"], mark_non_evaluable(tables["adrs"]), tables["adtte"])
    fig, ax = plt.subplots()
    try:
        plot_swimmer(sw, ax, {"CR": "#000000"})
        bars = sorted((round(p.get_y() + p.get_height() / 2), round(p.get_width(), 6)) for p in ax.patches)
        assert bars == sorted((i, round(float(v) / DAYS_PER_MONTH, 6)) for i, v in enumerate(sw["followup"]))
        points = {}
        for line in ax.lines:
            points.setdefault(line.get_marker(), set()).update(
                (round(float(a), 6), int(b)) for a, b in zip(line.get_xdata(), line.get_ydata()))
        months = sw.reset_index(drop=True)
        for col, marker in (("cycle 2", "|"), ("HSCT", "*"), ("relapse", "v")):
            hit = months[col].notna()
            want = {(round(float(v) / DAYS_PER_MONTH, 6), int(i)) for i, v in months.loc[hit, col].items()}
            assert points.get(marker, set()) == want, col
        assert len(points.get("X", ())) == int(months["died"].sum())
        alive = ~months["died"].astype(bool)
        lost = tables["adsl"].set_index("USUBJID").loc[sw.index, "EOSSTT"].eq(
            "LOST TO FOLLOW-UP").to_numpy() & alive.to_numpy()
        assert lost.sum() >= 1   # the data hold a patient lost to follow-up: the test must see the mark
        assert len(points.get(">", ())) == int(alive.sum()) - int(lost.sum())
        assert {b for _, b in points.get(lost_mark(), ())} == set(np.flatnonzero(lost).tolist())
        hatched = {round(p.get_y() + p.get_height() / 2) for p in ax.patches if p.get_hatch() == "...."}
        assert hatched == set(np.flatnonzero(months["response"].eq("CRh").to_numpy()).tolist())
    finally:
        plt.close(fig)


def test_lost_mark_is_a_centred_question_mark_path_without_mathtext():
    from matplotlib.path import Path
    from matplotlib.textpath import TextPath
    from helpers.swimmer import lost_mark

    mark = lost_mark()
    assert isinstance(mark, Path) and mark is lost_mark()          # one object: legend and points match
    box = mark.get_extents()
    assert abs(box.x0 + box.x1) < 1e-9 and abs(box.y0 + box.y1) < 1e-9   # centred on the data point
    glyph = TextPath((0, 0), "?", size=1)
    assert box.width == pytest.approx(glyph.get_extents().width) and len(mark.vertices) == len(glyph.vertices)


def test_fisher_mid_p_hand_worked():
    # 3/3 vs 0/3: the observed table is the most extreme; P = C(3,3)C(3,0)/C(6,3) = 1/20
    res = fisher_vs_historical(3, 3, 0, 3, "greater")
    assert res["p_value"] == pytest.approx(0.05) and res["mid_p"] == pytest.approx(0.025)
    # two-sided: the mirror table 0/3 vs 3/3 is as likely, so both count half
    res = fisher_vs_historical(3, 3, 0, 3, "two-sided")
    assert res["p_value"] == pytest.approx(0.10) and res["mid_p"] == pytest.approx(0.05)
    # 2/3 vs 1/3, greater: P(X=2) = 9/20, P(X=3) = 1/20 -> Fisher 10/20, mid-p 1/20 + 9/40
    res = fisher_vs_historical(2, 3, 1, 3, "greater")
    assert res["p_value"] == pytest.approx(0.5) and res["mid_p"] == pytest.approx(1 / 20 + 9 / 40)


@pytest.mark.parametrize("k, n, k0, n0", [(4, 5, 1, 4), (3, 6, 2, 5), (17, 27, 21, 36)])
def test_boschloo_matches_brute_force_supremum(k, n, k0, n0):
    """Second implementation: Boschloo's p is the supremum over the common response rate of the probability
    of every table whose one-sided Fisher p is at most the observed one (computed here on a fine grid)."""
    from scipy import stats
    fisher_p = {(a, b): stats.fisher_exact([[a, n - a], [b, n0 - b]], alternative="greater").pvalue
                for a in range(n + 1) for b in range(n0 + 1)}
    extreme = [(a, b) for (a, b), p in fisher_p.items() if p <= fisher_p[(k, k0)] * (1 + 1e-7)]
    a, b = np.array(extreme).T
    grid = np.linspace(0, 1, 4001)[:, None]
    sup = (stats.binom.pmf(a, n, grid) * stats.binom.pmf(b, n0, grid)).sum(axis=1).max()
    got = fisher_vs_historical(k, n, k0, n0, "greater")["boschloo_p"]
    assert got == pytest.approx(sup, abs=2e-4)
    assert got <= fisher_vs_historical(k, n, k0, n0, "greater")["p_value"] + 1e-12   # never above Fisher's
