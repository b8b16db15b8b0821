"""Exact bounds: every bound attained by a witness that reproduces every survival figure; hand-derived
limits; exhaustive enumeration checked against brute force on small cases; bad parameters refused."""
from __future__ import annotations

from itertools import combinations, product

import pytest

from helpers.engine import bounds as B
from helpers.engine.derive import km_at
from helpers.engine.kmgrim import rounding_window


@pytest.fixture(scope="module")
def table():
    return B.exact_bounds().set_index("quantity")


def test_every_bound_attained(table):
    assert table["attained_min"].all() and table["attained_max"].all()


@pytest.mark.parametrize("quantity", list(B.QUANTITIES))
@pytest.mark.parametrize("side", ["min", "max"])
def test_witness_reproduces_every_fact(quantity, side, table):
    w = B.witness_cohort(quantity, side)
    checks = B.check_witness(w)
    assert checks["ok"].all(), checks[~checks["ok"]]
    assert B.witness_quantities(w)[quantity] == pytest.approx(table.at[quantity, side])
    # 27 patients, 6 + 10 in the comparison, 17 CRc, the RFS population the interpretation names
    assert len(w) == 27 and w["in_rfs"].sum() == 17


def test_hand_derived_limits(table):
    # 8 deaths before 6 months leave at most 19/27 = 70.4 % < 71.35 %
    assert table.at["os_deaths_6m", "max"] == 7
    # the median (14th of 27) is < 3.35 months < 6: at most 13 observation times reach 6 months
    assert table.at["os_at_risk_6m", "max"] == 13
    # KM-GRIM 80.8 % of 17: 2 or 3 events; 66.7 % of 10: 1 to 3 events; 100 %: none
    assert (table.at["rfs_events_6m", "min"], table.at["rfs_events_6m", "max"]) == (2, 3)
    assert (table.at["nohsct_deaths_6m", "min"], table.at["nohsct_deaths_6m", "max"]) == (1, 3)
    assert table.at["hsct_deaths_6m", "max"] == 0
    # 12-month OS can be as high as the 6-month value (nobody dies between 6 and 12 months)
    assert 71.35 <= table.at["os_12m_pct", "max"] < 71.45


def test_determined_only_when_min_equals_max(table):
    assert table["determined"].tolist() == (table["min"] == table["max"]).tolist()
    assert table.index[table["determined"]].tolist() == ["hsct_deaths_6m"]


def test_the_generator_choices_are_not_forced(table):
    # the generator always splits the two early RFS events into 1 relapse + 1 death in remission,
    # and has 8 or 9 at risk at 6 months: the abstract allows far more
    assert table.at["rfs_dir_6m", "min"] == 0 and table.at["rfs_dir_6m", "max"] >= 2
    assert table.at["os_at_risk_6m", "min"] < 8


def test_deterministic():
    a = B.exact_bounds(with_witnesses=False)
    b = B.exact_bounds(with_witnesses=False)
    assert a.equals(b)
    assert B.witness_cohort("os_deaths_6m", "min").equals(B.witness_cohort("os_deaths_6m", "min"))


def test_interpretations_move_bounds():
    # without assuming the early death, fewer deaths before 6 months are possible
    na = B.exact_bounds(B.Interpretation(early_death="not_assumed"), with_witnesses=False).set_index("quantity")
    assert na.at["os_deaths_6m", "min"] < 4
    # naive proportions cannot print the abstract's figures at all
    nv = B.exact_bounds(B.Interpretation(estimator="naive_all"), with_witnesses=False)
    assert nv["min"].isna().all()


@pytest.mark.parametrize("kwargs,name", [(dict(rfs_population="all"), "rfs_population"),
                                         (dict(followup_method="median"), "followup_method"),
                                         (dict(early_death=True), "early_death"),
                                         (dict(estimator="cox"), "estimator")])
def test_bad_interpretation(kwargs, name):
    with pytest.raises(ValueError, match=f"{name}=.*accepted"):
        B.Interpretation(**kwargs)


def test_bad_arguments():
    with pytest.raises(ValueError, match="quantity=.*accepted"):
        B.witness_cohort("deaths")
    with pytest.raises(ValueError, match="side=.*accepted"):
        B.witness_cohort("os_deaths_6m", "middle")
    with pytest.raises(ValueError, match="interp=.*accepted"):
        B.exact_bounds("default")
    with pytest.raises(ValueError, match="no cohort is consistent"):
        B.witness_cohort("os_deaths_6m", "min", B.Interpretation(estimator="naive_all"))


# ----------------------------------------------------------------------- brute force on small cases

def _brute_group_strings(percent, n, decimals):
    """Every (pre-time-point D/C order, at risk >= 1) whose KM (derive.km_at) prints as percent."""
    lo, hi, incl = rounding_window(percent, decimals)
    out = set()
    for length in range(n):
        for s in product("DC", repeat=length):
            times = list(range(1, length + 1)) + [100] * (n - length)
            ev = [c == "D" for c in s] + [False] * (n - length)
            v = km_at(times, ev, 50)
            if float(lo) - 1e-12 <= v and (v <= float(hi) + 1e-12 if incl else v < float(hi) - 1e-12):
                out.add(("".join(s), n - length))
    return out


@pytest.mark.parametrize("percent,n,decimals", [(66.7, 8, 1), (75.0, 8, 1), (60.0, 7, 0), (100, 6, 0)])
def test_group_strings_brute_force(percent, n, decimals):
    assert set(B._group_strings(percent, n, decimals, "km")) == _brute_group_strings(percent, n, decimals)


def test_subsequence_brute_force():
    """The greedy embedding test agrees with trying every choice of positions (all strings up to 8)."""
    for n in range(1, 8):
        for big in map("".join, product("DC", repeat=n)):
            for m in range(0, n + 1):
                for small in map("".join, product("DC", repeat=m)):
                    brute = any("".join(big[i] for i in pos) == small for pos in combinations(range(n), m))
                    assert (B._subsequence_slots(small, big) is not None) == brute


def test_small_joint_model_brute_force():
    """A small OS model solved both ways: 8 patients, KM at 6 months prints as 75.0 %, a group of 4 inside
    (not the first-followed patient) prints as 66.7 %, the 5th of 8 sorted times lies before 6 months.
    Max and min deaths before 6 months from the enumeration equal those of brute force over all labelled
    orders."""
    n, g = 8, 4
    overall = B._group_strings(75.0, n, 1, "km")
    group = B._group_strings(66.7, g, 1, "km")
    enum = set()
    for s, r6 in overall:
        if len(s) < 5:
            continue
        for ns, g6 in group:
            if g6 <= r6 and B._subsequence_slots(ns, s, 1) is not None:
                enum.add((s.count("D"), r6))
    brute = set()
    for length in range(5, n):
        for s in product("DC", repeat=length):
            times = list(range(1, length + 1)) + [100] * (n - length)
            ev = [c == "D" for c in s] + [False] * (n - length)
            if round(100 * km_at(times, ev, 50), 1) != 75.0:
                continue
            for members in combinations(range(1, n), g):
                gt = [times[i] for i in members]
                ge = [ev[i] for i in members]
                if not any(t >= 100 for t in gt):
                    continue
                if round(100 * km_at(gt, ge, 50), 1) == 66.7:
                    brute.add((list(s).count("D"), n - length))
                    break
    assert enum == brute


def test_interpretation_table_prints_counts_as_integers_and_percentages_at_one_decimal():
    from helpers.engine.bounds import _fmt_bound
    assert _fmt_bound(4.0) == "4"
    assert _fmt_bound(71.44999) == "71.4"   # below the rounding window's open end: prints as the abstract does
    assert _fmt_bound(5.4893) == "5.5"


# ----------------------------------------------------------------------- the fast paths against the plain ones

def test_joint_summary_equals_the_listing_of_every_joint_choice():
    """_joint_summary (the search's shortcut) gives exactly js[0], the first maximum of deaths in remission and
    the first maximum of HSCT at risk of _joint (which lists every joint choice), on every pair of an OS group
    and an RFS configuration the default, HSCT-comparison and not-assumed readings meet."""
    sf = B.survival_facts()
    pairs = 0
    for interp in (B.DEFAULT, B.Interpretation(rfs_population="hsct_comparison"),
                   B.Interpretation(early_death="not_assumed")):
        os_c = B._os_configs_cached(sf, interp.followup_method, interp.early_death, interp.estimator)
        reps = {}
        for o in os_c:
            reps.setdefault((o["dn"], o["n6"], o["h_lo"], o["h_hi"], o["l_states"], o["nonn_c"], o["r6"]), o)
        for r in B._rfs_configs_cached(sf, interp.rfs_population, interp.estimator):
            for o in reps.values():
                js = B._joint(o, r, interp.rfs_population, sf.n_hsct) if not (
                    o["dn"] > r["en"] or r["n6"] > o["n6"]) else []
                summary = B._joint_summary(o, r, interp.rfs_population, sf.n_hsct)
                if not js:
                    assert summary is None
                    continue
                pairs += 1
                assert summary == (js[0], max(js, key=lambda j: j["dir_max"]), max(js, key=lambda j: j["h6"]))
    assert pairs > 1000


def test_embed_end_agrees_with_the_greedy_embedding():
    """One embedding end per string without its final censorings answers _subsequence_slots for every number
    of final censorings (all strings up to 9, all small strings up to 5, start 0, 1, 2)."""
    for length in range(10):
        for big in map("".join, product("DC", repeat=length)):
            core = big.rstrip("C")
            for m in range(6):
                for small in map("".join, product("DC", repeat=m)):
                    for start in (0, 1, 2):
                        end = B._embed_end(small, core, start)
                        assert (B._subsequence_slots(small, big, start) is not None) == (
                            end is not None and end < len(big))


def test_reverse_km_anchor_integer_arithmetic_matches_fractions():
    from fractions import Fraction

    def with_fractions(s, n):
        v = Fraction(1)
        for i, ch in enumerate(s):
            if ch == "C":
                v *= Fraction(n - i - 1, n - i)
                if v <= Fraction(1, 2):
                    return i
        return None

    for length in range(1, 12):
        for s in map("".join, product("DC", repeat=length)):
            for n in (length + 1, length + 5, 27):
                assert B._reverse_km_anchor(s, n) == with_fractions(s, n)


def test_witness_checks_on_arrays_match_hand_counts():
    """check_witness and witness_quantities (numpy columns) on a hand-edited witness: one more death before 6
    months in the no-HSCT group moves exactly the counts it should and breaks the 6-month OS figure."""
    w = B.witness_cohort("os_deaths_6m", "min")
    q0 = B.witness_quantities(w)
    alive = w.index[(w["group"] == "NO HSCT") & (w["os_days"] < B.DAY_6M) & (w["os_event"] == 0)]
    if len(alive) == 0:
        pytest.skip("no censored no-HSCT patient before 6 months in this witness")
    w2 = w.copy()
    w2.loc[alive[0], "os_event"] = 1
    q1 = B.witness_quantities(w2)
    assert q1["os_deaths_6m"] == q0["os_deaths_6m"] + 1 and q1["nohsct_deaths_6m"] == q0["nohsct_deaths_6m"] + 1
    assert q1["os_deaths_cutoff"] == q0["os_deaths_cutoff"] + 1 and q1["hsct_deaths_6m"] == q0["hsct_deaths_6m"]
    checks = B.check_witness(w2).set_index("check")
    assert not checks.at["6-month OS, %", "ok"] and checks.at["patients", "ok"]


def test_garbage_collector_state_restored():
    import gc
    assert gc.isenabled()
    B.exact_bounds(with_witnesses=False)
    assert gc.isenabled()
    with pytest.raises(ValueError):
        B.witness_cohort("deaths")
    assert gc.isenabled()
    gc.disable()
    try:
        B.exact_bounds(with_witnesses=False)
        assert not gc.isenabled()  # a caller's choice is kept
    finally:
        gc.enable()
