"""The skeleton draw of helpers.engine.generator (issue 16 speed work) against a frozen copy of the
draw it replaced, on the shipped facts and on inputs the shipped facts never produce; and its
written-out pieces (Kaplan–Meier from codes, randint/choice, ISO dates) against what they stand for.

The frozen copy below is generator._survival_skeletons as of commit b18b42f, whose output the
fingerprints (tests/test_generator_fingerprints.py) tie byte for byte to the original generator.
Each comparison runs both on the same random state and patient records and requires the same
answer, the same patient records and the same state of the random stream afterwards.
"""
from __future__ import annotations

import copy
import random
from bisect import bisect
from datetime import date, timedelta

import numpy as np
import pytest

from helpers.engine import generator as gen
from helpers.engine.derive import km_at
from helpers.engine.facts import load_facts
from helpers.engine.generator import (_ABOVE_CUM, _BELOW_CUM, _LONG_CUM, FREE_CENSOR_ROLES, LONG_ROLES,
                                      SIX_MONTHS_DAYS, _round1, _skeleton_plan, _survival_ok)


# --- frozen reference (do not edit) ---------------------------------------------------------------
def reference_skeletons(r: random.Random, pts: dict, t, tries: int) -> bool:
    """Up to ``tries`` draws of OS/RFS times inside the role windows; True at the first draw that
    hits every survival figure (``pts`` then holds it), False if none does.

    Each draw: X1 relapses on day r1 after CRc (11 CRc at risk), N5 dies in remission on day r2
    (9 at risk); the other CRc roles are censored around those events; the 8 long-followed CRc
    roles (one of them the longest follow-up) live past 6 months; D1 dies in aplasia; the 9
    remaining patients are spread around the printed median follow-up. A draw is kept if the
    follow-up min/median/max and every 6-month KM figure round to the printed values.

    Speed (issue 16): this loop runs ~300 times per cohort, so it is written without the
    ``random.Random`` convenience methods but consumes the generator's stream exactly as they
    would: ``randint(a, b)`` is ``a + _randbelow(b - a + 1)``, ``choice(s)`` is
    ``s[_randbelow(len(s))]``, ``shuffle`` swaps with ``_randbelow(i + 1)`` from the end, and
    ``choices(pop, weights)[0]`` is ``pop[bisect(cum_weights, random() * total, 0, len - 1)]``,
    where ``_randbelow(n)`` draws ``getrandbits(n.bit_length())`` until the value is below n
    (CPython 3.11's ``random.py``). The byte-identical output over hundreds of seeds is tested
    (tests/test_generator_fingerprints.py). Patient records are written only for the kept draw."""
    getrandbits = r.getrandbits
    random_ = r.random
    plan = _skeleton_plan(t)
    fu_ok = plan.fu_ok
    max_lo, max_hi = plan.max_window
    max_n = max_hi - max_lo + 1
    max_k = max_n.bit_length()
    lo, hi = plan.med_window
    n_below_target = plan.n_below_target
    all_os_target = plan.km6["all"][0]
    six = SIX_MONTHS_DAYS
    C = {k: p.assess_c1 for k, p in pts.items()}
    cN5, cL1, cX1, cH1, cH2 = C["N5"], C["L1"], C["X1"], C["H1"], C["H2"]
    cN = [C[k] for k in ("N1", "N2", "N3", "N4")]
    long_c = [(i, C[k], k.startswith("H")) for i, k in enumerate(LONG_ROLES)]
    free_floor = {k: C[k] + (60 if k in ("M1", "P1") else 3) for k in FREE_CENSOR_ROLES}
    long_total = _LONG_CUM[-1] + 0.0
    below_total = _BELOW_CUM[-1] + 0.0
    above_total = _ABOVE_CUM[-1] + 0.0
    n_free = len(FREE_CENSOR_ROLES)
    second_cycle_roles = ("M1", "P1")      # an early death drawn for them becomes "alive" (room for cycle 2)
    n_all = len(pts)

    # r.randint(a, b) is a + _randbelow(n) with n = b - a + 1: getrandbits(n.bit_length()) until < n.
    # It is written out in the loop below (a function call per draw costs as much as the draw).
    for _ in range(tries):
        x = getrandbits(5)                                   # r1 = r.randint(75, 95): n = 21
        while x >= 21:
            x = getrandbits(5)
        r1 = 75 + x
        n = 138 - r1 - 25 + 1                                # r2 = r.randint(r1 + 25, 138)
        k = n.bit_length()
        x = getrandbits(k)
        while x >= n:
            x = getrandbits(k)
        r2 = r1 + 25 + x
        if cN5 + r2 > 180:
            continue
        x = getrandbits(5)                                   # L1: r.randint(10, 30)
        while x >= 21:
            x = getrandbits(5)
        os_l1 = cL1 + 10 + x
        n = r1 - 3 - 15 + 1                                  # N1..N4: r.randint(15, r1 - 3)
        k = n.bit_length()
        os_n = []
        for c in cN:
            x = getrandbits(k)
            while x >= n:
                x = getrandbits(k)
            os_n.append(c + 15 + x)
        n = r1 - 3 - 50 + 1                                  # H1: r.randint(50, r1 - 3)
        k = n.bit_length()
        x = getrandbits(k)
        while x >= n:
            x = getrandbits(k)
        os_h1 = cH1 + 50 + x
        n = r2 - 3 - (r1 + 3) + 1                            # H2: r.randint(r1 + 3, r2 - 3)
        k = n.bit_length()
        x = getrandbits(k)
        while x >= n:
            x = getrandbits(k)
        os_h2 = cH2 + r1 + 3 + x
        x1_relapse = cX1 + r1
        x = getrandbits(6)                                   # X1: r.randint(10, 45): n = 36
        while x >= 36:
            x = getrandbits(6)
        os_x1 = min(x1_relapse + 10 + x, 178)
        os_n5 = cN5 + r2
        x = getrandbits(4)                                   # r.choice(LONG_ROLES): _randbelow(8)
        while x >= 8:
            x = getrandbits(4)
        max_i = x
        os_long = [0] * 8
        fate_long = [0] * 8            # index into _LONG_FATES: alive, relapse_alive, relapse_dead, dead_cr
        relapse_long: list[int | None] = [None] * 8
        for i, c, transplanted in long_c:
            if i == max_i:
                x = getrandbits(max_k)                       # r.randint(*_day_window(max follow-up))
                while x >= max_n:
                    x = getrandbits(max_k)
                d = max_lo + x
                x = getrandbits(2)                           # r.choice(["alive", "alive", "relapse_alive"])
                while x >= 3:
                    x = getrandbits(2)
                fate = 1 if x == 2 else 0
            else:
                x = getrandbits(9)                           # r.randint(185, 540): n = 356
                while x >= 356:
                    x = getrandbits(9)
                d = 185 + x
                fate = bisect(_LONG_CUM, random_() * long_total, 0, 3)   # r.choices(_LONG_FATES, weights)
            os_long[i] = d
            if fate:
                earliest_event = c + 184                     # no RFS event inside 6 months of CRc
                if d < earliest_event + 14:
                    fate = 0
                elif fate <= 2:                              # relapse: r.randint(earliest_event, d - 14)
                    n = d - 14 - earliest_event + 1
                    k = n.bit_length()
                    x = getrandbits(k)
                    while x >= n:
                        x = getrandbits(k)
                    relapse_long[i] = earliest_event + x
            fate_long[i] = fate
        x = getrandbits(2)                                   # D1: r.randint(11, 13): n = 3
        while x >= 3:
            x = getrandbits(2)
        os_d1 = 11 + x
        fixed = [os_l1, *os_n, os_h1, os_h2, os_x1, os_n5, *os_long, os_d1]
        fixed_below = 0
        for d in fixed:
            if d < lo:
                fixed_below += 1
        n_below = n_below_target - fixed_below
        free = FREE_CENSOR_ROLES[:]
        for i in range(n_free - 1, 0, -1):                   # r.shuffle(free)
            n = i + 1
            k = n.bit_length()
            j = getrandbits(k)
            while j >= n:
                j = getrandbits(k)
            free[i], free[j] = free[j], free[i]
        if not 0 <= n_below <= n_free - 1:
            continue
        # free[0] is the pivot, free[1:1 + n_below] the patients below the median, the rest above
        os_free = []
        dead_free = []
        for pos, key in enumerate(free):
            floor = free_floor[key]
            if pos == 0:                                     # the pivot: alive, on the median
                alive, w0, w1 = True, (lo if lo > floor else floor), hi
            elif pos <= n_below:                             # r.choices(["dead_early", "alive"], [0.45, 0.55])
                if bisect(_BELOW_CUM, random_() * below_total, 0, 1) == 0:
                    alive, w0 = key in second_cycle_roles, (floor if floor > 35 else 35)
                else:
                    alive, w0 = True, floor
                w1 = lo - 1
            else:                                            # r.choices(["dead_early", "alive", "dead_late"], ...)
                b = bisect(_ABOVE_CUM, random_() * above_total, 0, 2)
                if b == 0:
                    alive, w0, w1 = key in second_cycle_roles, hi + 1, 178
                elif b == 1:
                    alive, w0, w1 = True, hi + 1, 330
                else:
                    alive, w0, w1 = False, 186, 450
            if w0 > w1:
                break
            n = w1 - w0 + 1                                  # r.randint(w0, w1)
            k = n.bit_length()
            x = getrandbits(k)
            while x >= n:
                x = getrandbits(k)
            os_free.append(w0 + x)
            dead_free.append(not alive)
        else:
            # --- the checks of _survival_ok, cheapest and most selective first (no side effects).
            # 6-month OS of all patients: km_at's product over the event times up to 6 months, in
            # the same order (sorted (time, event) pairs; events before censorings at a tied time)
            early = [(d, 0) for d in (os_l1, *os_n, os_h1, os_h2) if d <= six]
            early += [(d, 1) for d in (os_x1, os_n5, os_d1) if d <= six]
            for i in range(8):
                d = os_long[i]
                if d <= six:
                    early.append((d, 1 if fate_long[i] >= 2 else 0))
            for d, e in zip(os_free, dead_free):
                if d <= six:
                    early.append((d, 1 if e else 0))
            early.sort()
            s, at_risk, i, m = 1.0, n_all, 0, len(early)
            while i < m:
                tt, dd, j = early[i][0], 0, i
                while j < m and early[j][0] == tt:
                    dd += early[j][1]
                    j += 1
                if dd:
                    s *= 1 - dd / at_risk
                at_risk -= j - i
                i = j
            if _round1(100 * s) != all_os_target:
                continue
            ordered = sorted(fixed + os_free)
            if not (fu_ok(0, ordered[0]) and fu_ok(1, ordered[len(ordered) // 2]) and fu_ok(2, ordered[-1])):
                continue
            if ordered[0] == ordered[1]:
                continue
            # a candidate: write it into the patient records and run the complete check
            for p in pts.values():
                p.dead = p.lost = False
                p.relapse_day = None
                p.death_cause = ""
            pts["L1"].os_day, pts["L1"].lost = os_l1, True
            for key, d in zip(("N1", "N2", "N3", "N4"), os_n):
                pts[key].os_day = d
            pts["H1"].os_day, pts["H2"].os_day = os_h1, os_h2
            x1 = pts["X1"]
            x1.relapse_day, x1.os_day, x1.dead, x1.death_cause = x1_relapse, os_x1, True, "Disease progression"
            n5 = pts["N5"]
            n5.os_day, n5.dead, n5.death_cause = os_n5, True, "Infection in remission"
            for (i, c, transplanted), key in zip(long_c, LONG_ROLES):
                p, fate = pts[key], fate_long[i]
                p.os_day, p.relapse_day = os_long[i], relapse_long[i]
                if fate >= 2:
                    p.dead = True
                    p.death_cause = "Disease progression" if fate == 2 else (
                        "Transplant-related mortality" if transplanted else "Infection in remission")
            d1 = pts["D1"]
            d1.os_day, d1.dead, d1.death_cause = os_d1, True, "Sepsis during aplasia"
            for key, d, dead in zip(free, os_free, dead_free):
                p = pts[key]
                p.os_day, p.dead = d, dead
                p.death_cause = "Disease progression" if dead else ""
            if _survival_ok(pts, t):
                return True
    return False
# --- end of the frozen reference -------------------------------------------------------------------

FIELDS = ("os_day", "dead", "lost", "relapse_day", "death_cause")


def _cohort_start(seed: int, t: gen.Targets, assess_shift: dict[str, int] | None = None):
    """A random stream and patient records as generate() has them before its first skeleton draw."""
    r = gen._Random(seed)
    pts = {k: gen.Patient(role=k, crc=True) for k in gen.CRC_ROLES}
    pts.update({k: gen.Patient(role=k, crc=False) for k in gen.NONCRC_ROLES})
    for k, p in pts.items():
        p.hsctgrp = "HSCT" if k.startswith("H") else "NO HSCT" if k[0] in "NX" else ""
    gen._responses(r, pts, t)
    for k, days in (assess_shift or {}).items():
        pts[k].assess_c1 += days
    return r, pts


def _same_draws(seed: int, t: gen.Targets, tries: int, assess_shift=None) -> bool:
    """Run the current and the reference skeleton from the same state; assert they agree; return the answer."""
    r_new, pts_new = _cohort_start(seed, t, assess_shift)
    r_ref = random.Random()
    r_ref.setstate(r_new.getstate())
    pts_ref = copy.deepcopy(pts_new)
    got = gen._survival_skeletons(r_new, pts_new, t, tries)
    want = reference_skeletons(r_ref, pts_ref, t, tries)
    assert got == want, seed
    assert r_new.getstate() == r_ref.getstate(), f"seed {seed}: the stream was consumed differently"
    for k in pts_new:
        assert [getattr(pts_new[k], f) for f in FIELDS] == [getattr(pts_ref[k], f) for f in FIELDS], (seed, k)
    return got


def _targets_with(**values: float) -> gen.Targets:
    facts = load_facts()
    for fid, value in values.items():
        facts.loc[facts["fact_id"] == fid, "value"] = value
    return gen.Targets(facts)


def test_skeleton_matches_the_reference_on_the_shipped_facts():
    t = gen._default_targets()
    answers = [_same_draws(seed, t, 400) for seed in range(40)]
    assert any(answers) and not all(answers)         # both outcomes were compared


def test_skeleton_matches_the_reference_when_fixed_times_can_pass_six_months():
    """Late cycle-1 assessments (H2 on day ~80, N1 on day ~120) make fixed_all_early False: the
    6-month OS check then sorts out, one by one, which fixed times fall within 6 months."""
    t = gen._default_targets()
    for seed in range(25):
        r, pts = _cohort_start(seed, t, {"H2": 45, "N1": 90})
        plan_c = {k: p.assess_c1 for k, p in pts.items()}
        assert plan_c["H2"] + 135 > SIX_MONTHS_DAYS
        _same_draws(seed, t, 300, {"H2": 45, "N1": 90})


def test_skeleton_matches_the_reference_when_long_roles_can_fall_below_the_median():
    """A printed median follow-up of 7.0 months puts the median window past the long roles' earliest
    day (185): the count of fixed times below it then includes them (long_can_be_below)."""
    t = _targets_with(followup_median=7.0)
    plan = _skeleton_plan(t)
    assert min(185, plan.max_window[0]) < plan.med_window[0]
    for seed in range(25):
        _same_draws(seed, t, 300)


def test_skeleton_matches_the_reference_when_long_roles_fall_within_six_months():
    """A printed longest follow-up of 5.5 months puts the longest-followed role inside 6 months
    (long_can_be_early); the median is moved so that draws get as far as the checks."""
    t = _targets_with(followup_max=5.5)
    assert _skeleton_plan(t).long_can_be_early and not _skeleton_plan(gen._default_targets()).long_can_be_early
    for seed in range(25):
        _same_draws(seed, t, 300)


@pytest.mark.parametrize("seed", range(6))
def test_km_from_codes_is_km_at(seed):
    """Bit for bit the estimate of derive.km_at (the checked numpy implementation), ties included."""
    rng = random.Random(seed)
    for _ in range(300):
        n_obs = rng.randint(0, 20)
        n_at_start = n_obs + rng.randint(0, 10)          # the others are observed after the time point
        days = [rng.randint(0, 30) for _ in range(n_obs)]  # few distinct days: many ties
        events = [rng.randint(0, 1) for _ in range(n_obs)]
        codes = [d + d + (1 - e) for d, e in zip(days, events)]
        later = [1000] * (n_at_start - n_obs)
        want = km_at(days + later, events + [0] * len(later), 500)
        assert gen._km_from_codes(codes, n_at_start) == want


def test_randint_and_choice_draw_what_random_draws():
    ref, mine = random.Random(77), gen._Random(77)
    for a, b in [(0, 0), (0, 4), (28, 35), (2, 14), (185, 540), (-5, 5), (0, 2**40)] * 30:
        assert mine.randint(a, b) == ref.randint(a, b)
    for seq in (["CR", "CRi"], [4, 4, 4, 3], list(range(100)), "abc") * 30:
        assert mine.choice(seq) == ref.choice(seq)
    assert mine.getstate() == ref.getstate()
    for call in (lambda r: r.randint(5, 4), lambda r: r.choice([])):
        with pytest.raises(Exception) as want:
            call(random.Random(1))
        with pytest.raises(want.type, match=str(want.value).replace("(", r"\(").replace(")", r"\)")):
            call(gen._Random(1))


def test_iso_dates_are_the_date_arithmetic():
    for start in (date(2023, 11, 1), date(2024, 2, 28), date(2025, 6, 30), date(2020, 1, 1), date(2030, 5, 5)):
        for day in (0, 1, 59, 365, 600, 1200, -3):
            assert gen._date(start, day) == (start + timedelta(days=day)).isoformat()
    assert gen._date(date(2024, 1, 1), None) == ""
    assert gen._date(date(2024, 1, 1), np.int64(3)) == "2024-01-04"
