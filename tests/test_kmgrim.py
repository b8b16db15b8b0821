"""KM-GRIM: hand-worked step sequences for the abstract's four printed KM figures, brute force on small n."""
from __future__ import annotations

from fractions import Fraction
from itertools import product

import pytest

from helpers.engine.derive import km_at
from helpers.engine.kmgrim import (estimator_compatibility, km_grim, km_grim_sequences, km_value,
                                   naive_all_counts, naive_followed_counts, pre_timepoint_string, steps_from_string,
                                   rounding_window)


def test_rounding_window_hand_worked():
    # 71.4 % at one decimal: 71.35 <= 100 p < 71.45
    assert rounding_window(71.4, 1) == (Fraction(7135, 10000), Fraction(7145, 10000), False)
    # 100 % at no decimal: p >= 0.995, and p cannot exceed 1
    assert rounding_window(100, 0) == (Fraction(995, 1000), Fraction(1), True)


def test_rfs_808_of_17_hand_worked():
    # 14/16 * 12/13 = 168/208 = 80.77 %; 12/13 * 7/8 = 84/104 = 80.77 %; 10/11 * 8/9 = 80/99 = 80.81 %
    assert set(km_grim_sequences(80.8, 17, 1)) == {((16, 2), (13, 1)), ((13, 1), (8, 1)), ((11, 1), (9, 1))}
    # the generator's choice (11 then 9 at risk) is one of three, not the only one
    assert km_value(((11, 1), (9, 1))) == Fraction(80, 99)


def test_667_of_10_hand_worked():
    # 2/3 = 8/10*5/6 = 8/9*3/4 = 6/9 = 4/6 = 2/3; nothing else of 10 patients prints as 66.7 %
    assert set(km_grim_sequences(66.7, 10, 1)) == {((10, 2), (6, 1)), ((9, 1), (4, 1)), ((9, 3),), ((6, 2),),
                                                  ((3, 1),)}
    assert km_grim(66.7, 10)["events"].tolist() == [3, 2, 3, 2, 1]


def test_100_of_6_hand_worked():
    # one event among at most 6 at risk leaves at most 5/6 = 83.3 %: 100 % means no event at all
    assert km_grim_sequences(100, 6, 0) == ((),)


def test_714_of_27_examples_and_exclusions():
    seqs = set(km_grim_sequences(71.4, 27, 1))
    # 5/7 = 71.43 % in several ways: two deaths with 7 at risk, four with 14, six with 21
    assert {((7, 2),), ((14, 4),), ((21, 6),)} <= seqs
    # 6/7 * 5/6 is the same as two deaths with 7 at risk: listed once, in canonical form
    assert ((7, 1), (6, 1)) not in seqs
    # eight deaths can never stay above 71.35 %: at best 19/27 = 70.4 %
    assert max(sum(d for _, d in s) for s in seqs) == 7
    assert all(Fraction(7135, 10000) <= km_value(s) < Fraction(7145, 10000) for s in seqs)


def test_naive_estimators():
    # survivors / everyone: 19/27 = 70.4 %, 20/27 = 74.1 %: 71.4 % of 27 is impossible as a plain proportion
    assert naive_all_counts(71.4, 27, 1) == []
    # survivors / known status: a/m = 80.8 % needs m >= 26 > 17 patients
    assert naive_followed_counts(80.8, 17, 1) == []
    assert (5, 2) in naive_followed_counts(71.4, 27, 1)  # 5/7
    table = estimator_compatibility([("os", 71.4, 1, 27), ("rfs", 80.8, 1, 17)]).set_index("fact_id")
    assert not table.at["os", "naive_all_possible"] and table.at["os", "km_possible"]
    assert not table.at["rfs", "naive_followed_possible"]


@pytest.mark.parametrize("n", [3, 5, 6, 8])
@pytest.mark.parametrize("percent,decimals", [(66.7, 1), (50.0, 1), (80.0, 0), (75.0, 1), (100, 0)])
def test_brute_force_small_n(n, percent, decimals):
    """Every D/C order of n patients (times in days, a time point after them, >= 1 still at risk) whose
    Kaplan–Meier value (helpers.engine.derive.km_at, a second implementation) prints as ``percent``."""
    lo, hi, incl = rounding_window(percent, decimals)
    brute = set()
    for length in range(0, n):          # observations ending before the time point; n - length at risk
        for s in product("DC", repeat=length):
            times = list(range(1, length + 1)) + [100] * (n - length)
            events = [1 if c == "D" else 0 for c in s] + [0] * (n - length)
            v = Fraction(km_at(times, events, 50)).limit_denominator(10 ** 6)
            if lo <= v and (v <= hi if incl else v < hi):
                brute.add(steps_from_string("".join(s), n))
    assert brute == set(km_grim_sequences(percent, n, decimals))


def test_pre_timepoint_string():
    assert pre_timepoint_string(((7, 2),), 10, 3) == "CCCDDCC"
    with pytest.raises(ValueError, match="at_risk"):
        pre_timepoint_string(((7, 2),), 10, 6)


@pytest.mark.parametrize("kwargs,arg", [(dict(percent=101, n=10), "percent"), (dict(percent=-1, n=10), "percent"),
                                        (dict(percent=50, n=-3), "n"), (dict(percent=50, n=0), "n"),
                                        (dict(percent=50, n=10, decimals=-1), "decimals"),
                                        (dict(percent=50, n=True), "n")])
def test_bad_input(kwargs, arg):
    with pytest.raises(ValueError, match=f"{arg}=.*accepted"):
        km_grim(**kwargs)


def test_steps_from_string_inverts_pre_timepoint_string():
    # hand-worked: 10 patients, events at observations 1, 2 and 5 → 2 events with 10 at risk, 1 with 6
    assert steps_from_string("DDCCD", 10) == ((10, 2), (6, 1))
    steps = ((10, 2), (6, 1))
    assert steps_from_string(pre_timepoint_string(steps, 10, 4), 10) == steps


@pytest.mark.parametrize("s, n, name", [("DXC", 5, "s="), (["D"], 5, "s="), ("DDD", 2, "n="), ("DC", 2.0, "n=")])
def test_steps_from_string_refuses_bad_input(s, n, name):
    with pytest.raises(ValueError, match=name):
        steps_from_string(s, n)
