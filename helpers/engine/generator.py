"""Generate synthetic patient-level cohorts that reproduce every figure of the abstract.

No individual patient data was published. This module builds 27 synthetic patients such
that, analysed the way the abstract describes (definitions in ``data/README.md``), every
reported figure comes out as printed, and the tables look clinically plausible.

Command line (the only thing that writes into ``data/``)::

    python -m helpers.engine.generator --seed 0 --out data --overwrite-data

(``make data`` runs exactly this). Without ``--overwrite-data`` the command refuses to write into
``data/``, and it refuses an ``--out`` that is an existing file.

How it works, in three layers:

1. **Roles.** Each of the 27 patients gets a role that the abstract forces on somebody:
   6 transplanted CRc patients (``H1``–``H6``), 9 CRc patients with no further therapy
   (``N1``–``N9``), one CRc patient who relapsed before completing therapy (``X1``, the
   10th "did not receive HSCT"), one CRc patient lost to follow-up (``L1``, the 17th CRc
   patient missing from the "16" sentences), an early death (``D1``), an MLFS and a PR
   patient (``M1``, ``P1``) and 7 non-responders (``R1``–``R7``).
2. **A survival skeleton** drawn at random inside windows that fix the Kaplan–Meier risk
   sets of the reported subgroup estimates (e.g. the two RFS events happen when 11 and 9
   CRc patients are at risk: 10/11 × 8/9 = 80.8%), then accepted only if the overall 6-month
   OS and the median/range of follow-up round to the printed values (rejection sampling).
3. **Everything else** (ages, sexes, genetics, cytopenia durations, response subtypes,
   dates, adverse events) drawn to match the printed counts exactly.

The roles never appear in the output tables. Targets are read from
``data/abstract_facts.csv`` where the abstract prints them as counts.
"""
from __future__ import annotations

import argparse
import math
import random
from bisect import bisect, bisect_left
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import accumulate
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pandas as pd

from helpers.eln import MR_GENES, classify_eln2022, cyto_lesions
from helpers.engine.derive import DAYS_PER_MONTH, frame_from_arrays
from helpers.engine.facts import fact_value, load_facts, reported_count, round_half_up
from helpers.engine.tables import typed

CUTOFF = date(2025, 6, 30)          # "data cut-off on June 2025": last day of that month
EARLIEST_START = date(2023, 11, 1)  # first cycle 1 day 1 allowed ("late 2023")
SIX_MONTHS_DAYS = 6.0 * DAYS_PER_MONTH
STUDYID = "CHICTR2400086291-SYN"

CRC_ROLES = [f"H{i}" for i in range(1, 7)] + [f"N{i}" for i in range(1, 10)] + ["X1", "L1"]
NONCRC_ROLES = ["D1", "M1", "P1"] + [f"R{i}" for i in range(1, 8)]
LONG_ROLES = ["H3", "H4", "H5", "H6", "N6", "N7", "N8", "N9"]
FREE_CENSOR_ROLES = ["M1", "P1"] + [f"R{i}" for i in range(1, 8)]
OUTPUT_FILES = ["adsl.csv", "adrs.csv", "adtte.csv", "adae.csv", "mutations.csv", "regimen.csv", "protocol.csv"]


@dataclass
class Patient:
    """Internal record for one synthetic patient (days are counted from cycle 1 day 1 = day 0)."""
    role: str
    crc: bool
    resp_c1: str = "NR"
    assess_c1: int = 30           # day of the cycle-1 response assessment
    anc_dur: int | None = None
    plt_dur: int | None = None
    os_day: int = 0               # death or last-contact day
    dead: bool = False
    lost: bool = False
    relapse_day: int | None = None
    death_cause: str = ""
    c2_start: int | None = None
    c2_assess: int | None = None
    resp_c2: str | None = None
    mrd_c1: str | None = None
    consol_day: int | None = None
    hsct_day: int | None = None
    postrem: str = ""
    hsctgrp: str = ""
    complete: str = ""
    extra: dict = field(default_factory=dict)

    @property
    def rfs(self) -> tuple[int, int] | None:
        """(RFS days from the CRc date, event flag) for CRc patients."""
        if not self.crc:
            return None
        if self.relapse_day is not None:
            return self.relapse_day - self.assess_c1, 1
        return self.os_day - self.assess_c1, int(self.dead)


def km_at(times: list[float], events: list[int], at: float) -> float:
    """Kaplan–Meier survival at time ``at`` (events before censorings at tied times).

    A fast pure-Python twin of :func:`helpers.engine.derive.km_at` for the generator's inner loop;
    a unit test keeps the two in agreement."""
    s, at_risk = 1.0, len(times)
    pairs = sorted(zip(times, events))
    i = 0
    while i < len(pairs) and pairs[i][0] <= at:
        t, d, j = pairs[i][0], 0, i
        while j < len(pairs) and pairs[j][0] == t:
            d += pairs[j][1]
            j += 1
        if d:
            s *= 1 - d / at_risk
        at_risk -= j - i
        i = j
    return s


class Targets:
    """The printed figures the generator must hit, read from abstract_facts.csv."""

    def __init__(self, facts: pd.DataFrame):
        n = self.n = reported_count(facts, "n_enrolled")
        c = lambda fid: reported_count(facts, fid, n)  # noqa: E731
        self.male, self.refractory, self.secaml = c("male_pct"), c("refractory_pct"), c("secondary_aml_pct")
        self.eln = {"FAVORABLE": c("eln_favorable_pct"), "INTERMEDIATE": c("eln_intermediate_pct"),
                    "ADVERSE": c("eln_adverse_pct")}
        self.genes = {"CEBPA": c("mut_cebpa_pct"), "FLT3-ITD": c("mut_flt3itd_pct"), "TP53": c("mut_tp53_pct"),
                      "ASXL1": c("mut_asxl1_pct"), "U2AF1": c("mut_u2af1_pct")}
        self.crc, self.orr = c("crc_c1_pct"), c("orr_c1_pct")
        self.mrd_neg, self.mrd_tested = reported_count(facts, "mrd_neg_c1_pct"), 15
        self.two_cycles = c("two_cycles_n")
        self.age = tuple(int(fact_value(facts, f)) for f in ("age_min", "age_median", "age_max"))
        self.fu = tuple(fact_value(facts, f) for f in ("followup_min", "followup_median", "followup_max"))
        self.km6 = {"all": (fact_value(facts, "os_6m_pct"), fact_value(facts, "rfs_6m_pct")),
                    "HSCT": (fact_value(facts, "hsct_os_6m_pct"), fact_value(facts, "hsct_rfs_6m_pct")),
                    "NO HSCT": (fact_value(facts, "nohsct_os_6m_pct"), fact_value(facts, "nohsct_rfs_6m_pct"))}
        self.anc = tuple(int(fact_value(facts, f"anc_dur_{s}")) for s in ("min", "median", "max"))
        self.plt = tuple(int(fact_value(facts, f"plt_dur_{s}")) for s in ("min", "median", "max"))
        self.ae = {"Anemia": c("ae_g34_anemia_pct"), "Febrile neutropenia": c("ae_g34_fn_pct")}
        self.regimen = {d: (fact_value(facts, f"{d}_dose"), facts.loc[facts.fact_id == f"{d}_dose", "unit"].iloc[0],
                            int(fact_value(facts, f"{d}_first_day")), int(fact_value(facts, f"{d}_last_day")))
                        for d in ("lipomit", "cladribine", "cytarabine", "gcsf")}
        self.cycle_days = int(fact_value(facts, "cycle_length")) * 7
        self.max_cycles = int(fact_value(facts, "max_cycles"))
        self.eligible_age = (int(fact_value(facts, "elig_age_min")), int(fact_value(facts, "elig_age_max")))


def _day_window(months: float, decimals: int = 1) -> tuple[int, int]:
    """Whole days whose length in months rounds (half up) to ``months``."""
    half = 0.5 * 10 ** -decimals
    return math.ceil((months - half) * DAYS_PER_MONTH), math.floor((months + half) * DAYS_PER_MONTH - 1e-9)


def _median_spread(r: random.Random, lo: int, med: int, hi: int, k: int) -> list[int]:
    """k (even) integers with exactly this minimum, median and maximum."""
    half = k // 2
    a = r.randint(max(lo, med - 2), med)          # the two middle values are a and 2·med − a
    lower = [lo] + [r.randint(lo, a) for _ in range(half - 2)] + [a]
    upper = [2 * med - a] + [r.randint(2 * med - a, hi) for _ in range(half - 2)] + [hi]
    return sorted(lower + upper)


def _responses(r: random.Random, pts: dict[str, Patient], t: Targets) -> None:
    """Cytopenia durations, CRc subtypes and cycle-1 assessment days."""
    crc_with_counts = [p for p in pts.values() if p.crc and p.role != "L1"]
    anc = _median_spread(r, *t.anc, len(crc_with_counts))
    plt = _median_spread(r, *t.plt, len(crc_with_counts))
    # pair neutrophil and platelet ranks loosely (they go together in real marrows)
    anc_order = sorted(range(len(anc)), key=lambda i: anc[i])
    plt_idx = sorted(range(len(plt)), key=lambda i: plt[i])
    anc = [anc[i] for i in anc_order]
    for i in range(len(plt_idx) - 1):
        if r.random() < 0.35:
            plt_idx[i], plt_idx[i + 1] = plt_idx[i + 1], plt_idx[i]
    r.shuffle(crc_with_counts)
    # A CR/CRh marrow is read after neutrophils (from ~day 7) and platelets (from ~day 8)
    # recover, and within ~6 weeks of day 1; slower recoveries are read on schedule as CRi.
    for i, p in enumerate(crc_with_counts):
        p.anc_dur, p.plt_dur = anc[i], plt[plt_idx[i]]
        recovered = max(7 + p.anc_dur, 8 + p.plt_dur) + r.randint(2, 4)
        if recovered <= 44 and r.random() < 0.85:
            p.resp_c1 = "CRh" if (recovered > 30 and r.random() < 0.4) else "CR"
            p.extra["recovered"] = recovered
        else:
            p.resp_c1 = "CRi"
            p.extra["recovered"] = None
    pts["L1"].resp_c1 = r.choice(["CR", "CRi"])
    for p in pts.values():
        p.assess_c1 = max(r.randint(28, 35), p.extra.get("recovered") or 0)
    pts["M1"].resp_c1, pts["P1"].resp_c1 = "MLFS", "PR"


def _survival_skeleton(r: random.Random, pts: dict[str, Patient], t: Targets) -> bool:
    """Draw OS/RFS times inside the role windows; True if every survival figure is hit.

    One draw of :func:`_survival_skeletons` (which documents the draw)."""
    return _survival_skeletons(r, pts, t, 1)


class _SkeletonPlan:
    """Constants of the skeleton draw for one :class:`Targets`, computed once."""

    def __init__(self, t: Targets):
        self.max_window = _day_window(t.fu[2])
        self.med_window = _day_window(t.fu[1])
        self.n_below_target = (t.n - 1) // 2
        self.fu = tuple(t.fu)
        self._fu_memo: dict[tuple[int, int], bool] = {}
        self.km6 = t.km6
        # Per value of r1 = r.randint(75, 95) (index r1 - 75): r1 and the size n and bit count k of the
        # three ranges it fixes, r2 = randint(r1 + 25, 138), N1..N4 = randint(15, r1 - 3) and
        # H1 = randint(50, r1 - 3), looked up instead of recomputed in every draw.
        self.by_r1 = [(r1, *_size_bits(138 - (r1 + 25) + 1), *_size_bits(r1 - 3 - 15 + 1),
                       *_size_bits(r1 - 3 - 50 + 1)) for r1 in range(75, 96)]
        # The long-followed roles live at least min(185 days, the max-follow-up window): if that is past
        # 6 months (the shipped facts), they never enter the 6-month OS estimate.
        self.long_can_be_early = min(185, self.max_window[0]) <= SIX_MONTHS_DAYS

    def fu_ok(self, which: int, day: int) -> bool:
        """round_half_up(day / DAYS_PER_MONTH, 1) == the printed follow-up figure ``which`` (0 min,
        1 median, 2 max): the very expression of :func:`_survival_ok`, memoised per whole day."""
        key = (which, day)
        ok = self._fu_memo.get(key)
        if ok is None:
            ok = self._fu_memo[key] = round_half_up(day / DAYS_PER_MONTH, 1) == self.fu[which]
        return ok


def _size_bits(n: int) -> tuple[int, int]:
    """(n, n.bit_length()): a range size and the bits ``_randbelow(n)`` draws for it."""
    return n, n.bit_length()


def _skeleton_plan(t: Targets) -> _SkeletonPlan:
    plan = t.__dict__.get("_skeleton_plan")
    if plan is None:
        plan = t.__dict__["_skeleton_plan"] = _SkeletonPlan(t)
    return plan


def _round1(value: float) -> float:
    """``round_half_up(value, 1)`` for a finite value >= 0, the same float operations without the
    argument checks (the skeleton loop calls it ~300 times per cohort)."""
    return int(value * 10 + 1e-9 + 0.5) / 10


def _km_from_codes(codes: list[int], n_at_start: int) -> float:
    """Kaplan–Meier survival after the observations ``codes`` (each ``2·day`` for an event or
    ``2·day + 1`` for a censoring; sorted here, in place), ``n_at_start`` patients at risk at day 0.

    The same products in the same order as :func:`km_at` (one factor ``1 - d/at_risk`` per distinct
    event day, ascending; at a tied day events before censorings, so the risk set is everyone not
    observed on an earlier day = the codes below ``2·day``). Written out because the skeleton checks
    it for every draw (speed, issue 16; a test compares it with :func:`km_at`)."""
    codes.sort()
    s, prev = 1.0, -1
    for before, c in enumerate(codes):
        if not c & 1 and c != prev:                   # the first event of a new event day
            s *= 1 - (bisect(codes, c) - before) / (n_at_start - before)
            prev = c
    return s


# Weights of the fates drawn with random.choices in the skeleton, accumulated once the way
# random.choices accumulates them: r.choices(population, weights)[0] is
# population[bisect(cum, random() * total, 0, len - 1)], and since cum is ascending that bisection
# is the chain of comparisons x < cum[0], x < cum[1], ... used in the loop (same single random() call).
_LONG_FATES = ("alive", "relapse_alive", "relapse_dead", "dead_cr")
_LONG_CUM = list(accumulate([0.5, 0.15, 0.25, 0.1]))
_BELOW_FATES = ("dead_early", "alive")
_BELOW_CUM = list(accumulate([0.45, 0.55]))
_ABOVE_FATES = ("dead_early", "alive", "dead_late")
_ABOVE_CUM = list(accumulate([0.35, 0.4, 0.25]))


_Window = tuple[int, int, int, bool]


def _free_windows(assess_c1: dict[str, int], lo: int, hi: int) -> tuple[list[_Window], ...]:
    """The day windows of the free roles (the patients spread around the median follow-up, by index
    in FREE_CENSOR_ROLES), one list per place and fate a draw can give them: the pivot (alive, on the
    median), below the median dead early or alive, above it dead early, alive or dead late.

    Each window is ``(first day w0, size n, n.bit_length(), alive)`` for ``r.randint(w0, w0 + n - 1)``;
    ``n < 1`` is an empty window (the draw stops there). A role is censored from 3 days after its
    cycle-1 assessment (60 for M1 and P1, whose second cycle must fit), and an early death drawn for
    M1 or P1 is kept alive. Computed once per set of assessment days, not in every draw (issue 16)."""
    out: tuple[list[_Window], ...] = ([], [], [], [], [], [])
    for key in FREE_CENSOR_ROLES:
        second_cycle = key in ("M1", "P1")
        floor = assess_c1[key] + (60 if second_cycle else 3)
        for place, (w0, w1, alive) in zip(out, [(max(lo, floor), hi, True), (max(floor, 35), lo - 1, second_cycle),
                                                (floor, lo - 1, True), (hi + 1, 178, second_cycle),
                                                (hi + 1, 330, True), (186, 450, False)]):
            n = w1 - w0 + 1
            place.append((w0, n, n.bit_length(), alive))
    return out


def _survival_skeletons(r: random.Random, pts: dict[str, Patient], t: Targets, tries: int) -> bool:
    """Up to ``tries`` draws of OS/RFS times inside the role windows; True at the first draw that
    hits every survival figure (``pts`` then holds it), False if none does.

    Each draw: X1 relapses on day r1 after CRc (11 CRc at risk), N5 dies in remission on day r2
    (9 at risk); the other CRc roles are censored around those events; the 8 long-followed CRc
    roles (one of them the longest follow-up) live past 6 months; D1 dies in aplasia; the 9
    remaining patients are spread around the printed median follow-up. A draw is kept if the
    follow-up min/median/max and every 6-month KM figure round to the printed values.

    Speed (issue 16): this loop runs ~380 times per cohort, so it is written without the
    ``random.Random`` convenience methods but consumes the generator's stream exactly as they
    would: ``randint(a, b)`` is ``a + _randbelow(b - a + 1)``, ``choice(s)`` is
    ``s[_randbelow(len(s))]``, ``shuffle`` swaps with ``_randbelow(i + 1)`` from the end, and
    ``choices(pop, weights)[0]`` is ``pop[bisect(cum_weights, random() * total, 0, len - 1)]``,
    where ``_randbelow(n)`` draws ``getrandbits(n.bit_length())`` until the value is below n
    (CPython 3.11's ``random.py``). The stream is consumed draw after draw, each draw to its end
    (where the next one starts depends on every value before it), so the draws cannot be made in
    one vectorised batch without changing the cohorts; what is cut is the cost of rejecting: the
    6-month OS of all patients, which rejects ~85% of the draws, is checked first, from the
    observations up to 6 months only (:func:`_km_from_codes`). The byte-identical output over hundreds of
    seeds is tested (tests/test_generator_fingerprints.py). Patient records are written only for
    the kept draw."""
    getrandbits = r.getrandbits
    random_ = r.random
    plan = _skeleton_plan(t)
    fu_ok = plan.fu_ok
    by_r1 = plan.by_r1
    long_can_be_early = plan.long_can_be_early
    long_can_be_below = min(185, plan.max_window[0]) < plan.med_window[0]   # a long role's time below lo
    max_lo, max_hi = plan.max_window
    max_n = max_hi - max_lo + 1
    max_k = max_n.bit_length()
    lo, hi = plan.med_window
    n_below_target = plan.n_below_target
    all_os_target = plan.km6["all"][0]
    six = SIX_MONTHS_DAYS
    C = {k: p.assess_c1 for k, p in pts.items()}
    cN5, cL1, cX1, cH1, cH2 = C["N5"], C["L1"], C["X1"], C["H1"], C["H2"]
    cN1, cN2, cN3, cN4 = (C[k] for k in ("N1", "N2", "N3", "N4"))
    long_c = [(i, C[k], k.startswith("H")) for i, k in enumerate(LONG_ROLES)]
    n_free = len(FREE_CENSOR_ROLES)
    pivot, below_dead, below_alive, above_early, above_alive, above_late = _free_windows(C, lo, hi)
    long_c0, long_c1, long_c2 = _LONG_CUM[:3]
    below_c0 = _BELOW_CUM[0]
    above_c0, above_c1 = _ABOVE_CUM[:2]
    long_total = _LONG_CUM[-1] + 0.0
    below_total = _BELOW_CUM[-1] + 0.0
    above_total = _ABOVE_CUM[-1] + 0.0
    n_all = len(pts)
    shuffle_sizes = [(i, *_size_bits(i + 1)) for i in range(n_free - 1, 0, -1)]
    # Every time of L1, N1-N4, H1, H2 (censored) and X1, N5, D1 (deaths) a draw can give is within
    # 6 months when these bounds hold (always, for the shipped facts: assessments are by day 44): then
    # the 6-month OS check takes them without comparing each with 6 months.
    fixed_all_early = (cL1 + 30 <= six and max(cN1, cN2, cN3, cN4, cH1) + 92 <= six and cH2 + 135 <= six
                       and 178 <= six and 180 <= six and 13 <= six)

    # r.randint(a, b) is a + _randbelow(n) with n = b - a + 1: getrandbits(n.bit_length()) until < n.
    # It is written out in the loop below (a function call per draw costs as much as the draw).
    for _ in range(tries):
        x = getrandbits(5)                                   # r1 = r.randint(75, 95): n = 21
        while x >= 21:
            x = getrandbits(5)
        r1, n, k, n_n, k_n, n_h1, k_h1 = by_r1[x]
        x = getrandbits(k)                                   # r2 = r.randint(r1 + 25, 138)
        while x >= n:
            x = getrandbits(k)
        r2 = r1 + 25 + x
        if cN5 + r2 > 180:
            continue
        x = getrandbits(5)                                   # L1: r.randint(10, 30)
        while x >= 21:
            x = getrandbits(5)
        os_l1 = cL1 + 10 + x
        x = getrandbits(k_n)                                 # N1..N4: r.randint(15, r1 - 3)
        while x >= n_n:
            x = getrandbits(k_n)
        os_n1 = cN1 + 15 + x
        x = getrandbits(k_n)
        while x >= n_n:
            x = getrandbits(k_n)
        os_n2 = cN2 + 15 + x
        x = getrandbits(k_n)
        while x >= n_n:
            x = getrandbits(k_n)
        os_n3 = cN3 + 15 + x
        x = getrandbits(k_n)
        while x >= n_n:
            x = getrandbits(k_n)
        os_n4 = cN4 + 15 + x
        x = getrandbits(k_h1)                                # H1: r.randint(50, r1 - 3)
        while x >= n_h1:
            x = getrandbits(k_h1)
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
                u = random_() * long_total                   # r.choices(_LONG_FATES, weights)
                fate = 0 if u < long_c0 else 1 if u < long_c1 else 2 if u < long_c2 else 3
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
        if long_can_be_below:                                # minus the fixed times below lo
            fixed = [os_l1, os_n1, os_n2, os_n3, os_n4, os_h1, os_h2, os_x1, os_n5, *os_long, os_d1]
            fixed.sort()
            n_below = n_below_target - bisect_left(fixed, lo)
        else:                                                # (the long roles all live past lo)
            n_below = n_below_target - ((os_l1 < lo) + (os_n1 < lo) + (os_n2 < lo) + (os_n3 < lo) + (os_n4 < lo)
                                        + (os_h1 < lo) + (os_h2 < lo) + (os_x1 < lo) + (os_n5 < lo) + (os_d1 < lo))
        free = list(range(n_free))                           # r.shuffle(FREE_CENSOR_ROLES), by index
        for i, n, k in shuffle_sizes:
            j = getrandbits(k)
            while j >= n:
                j = getrandbits(k)
            free[i], free[j] = free[j], free[i]
        if not 0 <= n_below <= n_free - 1:
            continue
        # free[0] is the pivot, free[1:1 + n_below] the patients below the median, the rest above;
        # codes: the observations up to 6 months for the 6-month OS check (2·day + 1 if censored,
        # 2·day for a death), the fixed roles' now, the free roles' as they are drawn
        if fixed_all_early:
            codes = [os_l1 + os_l1 + 1, os_n1 + os_n1 + 1, os_n2 + os_n2 + 1, os_n3 + os_n3 + 1, os_n4 + os_n4 + 1,
                     os_h1 + os_h1 + 1, os_h2 + os_h2 + 1, os_x1 + os_x1, os_n5 + os_n5, os_d1 + os_d1]
        else:
            codes = [d + d + 1 for d in (os_l1, os_n1, os_n2, os_n3, os_n4, os_h1, os_h2) if d <= six]
            codes += [d + d for d in (os_x1, os_n5, os_d1) if d <= six]
        if long_can_be_early:
            codes += [d + d + (fate < 2) for d, fate in zip(os_long, fate_long) if d <= six]
        os_free = []
        dead_free = []
        for pos, f in enumerate(free):
            if pos == 0:                                     # the pivot: alive, on the median
                w0, n, k, alive = pivot[f]
            elif pos <= n_below:                             # r.choices(["dead_early", "alive"], [0.45, 0.55])
                w0, n, k, alive = below_dead[f] if random_() * below_total < below_c0 else below_alive[f]
            else:                                            # r.choices(["dead_early", "alive", "dead_late"], ...)
                u = random_() * above_total
                w0, n, k, alive = above_early[f] if u < above_c0 else above_alive[f] if u < above_c1 else above_late[f]
            if n < 1:                                        # an empty window
                break
            x = getrandbits(k)                               # r.randint(w0, w0 + n - 1)
            while x >= n:
                x = getrandbits(k)
            d = w0 + x
            os_free.append(d)
            dead_free.append(not alive)
            if d <= six:
                codes.append(d + d + alive)
        else:
            # --- the checks of _survival_ok, the most selective first (no side effects)
            if _round1(100 * _km_from_codes(codes, n_all)) != all_os_target:
                continue
            ordered = sorted([os_l1, os_n1, os_n2, os_n3, os_n4, os_h1, os_h2, os_x1, os_n5, *os_long, os_d1, *os_free])
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
            for key, d in zip(("N1", "N2", "N3", "N4"), (os_n1, os_n2, os_n3, os_n4)):
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
            for f, d, dead in zip(free, os_free, dead_free):
                p = pts[FREE_CENSOR_ROLES[f]]
                p.os_day, p.dead = d, dead
                p.death_cause = "Disease progression" if dead else ""
            if _survival_ok(pts, t):
                return True
    return False


def _survival_ok(pts: dict[str, Patient], t: Targets) -> bool:
    os_times = [p.os_day for p in pts.values()]
    ordered = sorted(os_times)
    months = [x / DAYS_PER_MONTH for x in ordered]
    if [round_half_up(m, 1) for m in (months[0], months[len(months) // 2], months[-1])] != list(t.fu):
        return False
    if sorted(os_times)[0] == sorted(os_times)[1]:
        return False
    groups = {"all": list(pts.values()),
              "HSCT": [p for p in pts.values() if p.hsctgrp == "HSCT"],
              "NO HSCT": [p for p in pts.values() if p.hsctgrp == "NO HSCT"]}
    for name, members in groups.items():
        os_target, rfs_target = t.km6[name]
        if round_half_up(100 * km_at([p.os_day for p in members], [int(p.dead) for p in members],
                                     SIX_MONTHS_DAYS), 1) != os_target:
            return False
        rfs = [p.rfs for p in members if p.crc]
        if round_half_up(100 * km_at([x[0] for x in rfs], [x[1] for x in rfs], SIX_MONTHS_DAYS), 1) != rfs_target:
            return False
    return True


def _post_remission(r: random.Random, pts: dict[str, Patient], t: Targets) -> bool:
    """Second cycles, MRD, consolidation and transplant dates. False if infeasible."""
    for p in pts.values():
        p.c2_start = p.c2_assess = p.resp_c2 = p.consol_day = p.hsct_day = None
        p.mrd_c1 = None

    def c2_window(p: Patient) -> tuple[int, int] | None:
        start = max(p.assess_c1 + 3, 35)
        if p.anc_dur is not None:
            start = max(start, 7 + p.anc_dur + 3, 8 + p.plt_dur + 3)
        start += r.randint(0, 4)
        if start > 56:
            return None
        assess = start + r.randint(28, 35)
        last_ok = p.relapse_day if p.relapse_day is not None else p.os_day
        if assess + 3 > last_ok:
            return None
        return start, assess

    # M1 and P1 convert to CRc with a second cycle
    for k, resp in (("M1", "CR"), ("P1", r.choice(["CR", "CRh"]))):
        w = c2_window(pts[k])
        if w is None:
            return False
        pts[k].c2_start, pts[k].c2_assess = w
        pts[k].resp_c2 = resp
    # transplant group: 4 direct, 2 consolidation then HSCT; H1 must be direct (short window)
    consol = r.sample(["H2", "H3", "H4", "H5", "H6"], 2)
    for k in CRC_ROLES:
        p = pts[k]
        if k.startswith("H"):
            p.postrem, p.hsctgrp, p.complete = ("CONSOLIDATION-HSCT" if k in consol else "HSCT"), "HSCT", "Y"
        elif k.startswith("N"):
            p.postrem, p.hsctgrp, p.complete = "NONE", "NO HSCT", "Y"
        elif k == "X1":
            p.postrem, p.hsctgrp, p.complete = "", "NO HSCT", "N"
    # second cycle for 5 CRc patients: the 3 MRD-positive ones and 2 MRD-negative ones
    n_c2_crc = t.two_cycles - 2
    eligible = [k for k in CRC_ROLES if k not in ("H1", "X1", "L1") and c2_window(pts[k]) is not None]
    if len(eligible) < n_c2_crc:
        return False
    c2_crc = r.sample(eligible, n_c2_crc)
    for k in c2_crc:
        w = c2_window(pts[k])
        if w is None:
            return False
        pts[k].c2_start, pts[k].c2_assess = w
        pts[k].resp_c2 = "CR" if pts[k].resp_c1 == "CR" else r.choice(["CR", pts[k].resp_c1])
    n_pos = t.mrd_tested - t.mrd_neg
    mrd_pos = r.sample(c2_crc, n_pos)
    untested = ["L1", r.choice([k for k in CRC_ROLES if k not in c2_crc and k != "L1"])]
    for k in CRC_ROLES:
        if k not in untested:
            pts[k].mrd_c1 = "POSITIVE" if k in mrd_pos else "NEGATIVE"
    # transplant timing (days from C1D1): after the last response assessment, before censoring/relapse
    for k in [k for k in CRC_ROLES if k.startswith("H")]:
        p = pts[k]
        ready = (p.c2_assess or p.assess_c1) + r.randint(21, 35)
        if p.anc_dur is not None:   # conditioning only after neutrophils and platelets have recovered
            ready = max(ready, 7 + p.anc_dur + 14, 8 + p.plt_dur + 14)
        end = (p.relapse_day if p.relapse_day is not None else p.os_day) - 7
        if p.postrem == "CONSOLIDATION-HSCT":
            p.consol_day = ready
            p.hsct_day = p.consol_day + r.randint(35, 56)
        else:
            p.hsct_day = ready + r.randint(0, 21)
        if p.hsct_day > end:
            return False
    return True


def _demographics(r: random.Random, pts: dict[str, Patient], t: Targets) -> None:
    keys = list(pts)
    r.shuffle(keys)
    lo, med, hi = t.age
    half = (t.n - 1) // 2
    # one patient below the eligibility age (the abstract's range says so); the rest 18+
    ages = [lo] + [r.randint(18, med) for _ in range(half - 1)] + [med] + \
           [r.randint(med, hi - 1) for _ in range(half - 1)] + [hi]
    r.shuffle(ages)
    males = set(r.sample(keys, t.male))
    for k, age in zip(keys, ages):
        p = pts[k]
        sex = "M" if k in males else "F"
        if age < 16:       # a child: paediatric size
            h, w = r.gauss(140, 6), r.gauss(33, 4)
        elif sex == "M":
            h, w = r.gauss(170, 6), r.gauss(68, 9)
        else:
            h, w = r.gauss(158, 5), r.gauss(56, 7)
        if age < 16:
            h, w = min(max(h, 128), 152), min(max(w, 24), 45)
        else:
            h, w = min(max(h, 146 if sex == "M" else 141), 192 if sex == "M" else 182), min(max(w, 42), 105)
        h, w = round(h, 1), round(w, 1)
        p.extra.update(AGE=age, SEX=sex, HEIGHTCM=h, WEIGHTKG=w, BSA=round((h * w / 3600) ** 0.5, 2))
    refractory = set(r.sample(keys, t.refractory))
    for k in keys:
        pts[k].extra["DISSTAT"] = "REFRACTORY" if k in refractory else "RELAPSED"


# Genes the abstract does not list appear in at most one patient each (the printed frequencies
# name CEBPA 3/27 and FLT3-ITD, TP53, ASXL1, U2AF1 2/27 each; an unlisted gene in 2 or more
# patients would have tied or beaten them). Variant classes are generic on purpose.
VARIANT = {"CEBPA": "bZIP in-frame", "FLT3-ITD": "internal tandem duplication", "TP53": "missense",
           "ASXL1": "frameshift", "U2AF1": "missense", "NPM1": "exon 12 insertion", "KIT": "missense",
           "DNMT3A": "missense", "NRAS": "missense", "KRAS": "missense", "IDH1": "missense", "IDH2": "missense",
           "TET2": "frameshift", "WT1": "frameshift", "PTPN11": "missense", "CBL": "missense",
           "GATA2": "missense", "CSF3R": "missense", "PHF6": "nonsense", "RUNX1": "frameshift",
           "SRSF2": "missense", "BCOR": "frameshift", "EZH2": "frameshift", "STAG2": "nonsense",
           "SF3B1": "missense", "ZRSR2": "nonsense", "SETBP1": "missense"}
# partners that do not change an intermediate or favorable group (no MR gene, no NPM1/CEBPA/TP53)
NEUTRAL_PARTNERS = ["DNMT3A", "TET2", "IDH1", "IDH2", "NRAS", "KRAS", "WT1", "PTPN11", "CBL", "PHF6"]
MR_PARTNERS = ["RUNX1", "SRSF2", "BCOR", "EZH2", "STAG2", "SF3B1", "ZRSR2"]
ADVERSE_CYTO_POOL = ["complex", "complex", "-7", "-7", "-5/del(5q)", "monosomal", "inv(3)", "KMT2A-r", "t(6;9)"]
MDS_LIKE_CYTO = {"-7", "-5/del(5q)", "complex"}


def _genetics(r: random.Random, pts: dict[str, Patient], t: Targets) -> None:
    """Cytogenetics and co-mutations consistent with the ELN counts and the printed gene counts.

    Each unlisted gene is used at most once in the cohort; patients carry 0–3 mutations in
    patterns seen in AML (NPM1 with FLT3-ITD and DNMT3A, bZIP CEBPA with GATA2/WT1, CBF AML with
    KIT or RAS, MR genes together and with TP53-negative adverse karyotypes, TP53 with complex or
    monosomal karyotypes). Every profile is checked against :func:`helpers.eln.classify_eln2022`."""
    used: set[str] = set()

    def take(candidates: list[str], p: float = 1.0) -> list[tuple[str, str]]:
        free = [g for g in candidates if g not in used]
        if not free or r.random() >= p:
            return []
        g = r.choice(free)
        used.add(g)
        return [(g, VARIANT[g])]

    profiles: list[tuple[str, list[tuple[str, str]], str]] = []   # (cyto, [(gene, class)], risk)
    n_fav = t.eln["FAVORABLE"]
    n_bzip = r.randint(max(1, t.genes["CEBPA"] - 1), min(t.genes["CEBPA"], n_fav))
    for _ in range(n_bzip):
        profiles.append(("normal", [("CEBPA", "bZIP in-frame")] + take(["GATA2", "WT1", "CSF3R", "TET2"], 0.6),
                         "FAVORABLE"))
    asxl1_left = t.genes["ASXL1"]
    for i in range(n_fav - n_bzip):     # core-binding-factor AML, sometimes with extra abnormalities
        base = r.choice(["t(8;21)", "inv(16)"])
        cyto = base + (r.choice([" + complex", " + monosomal"]) if i == 0 and r.random() < 0.6 else "")
        genes = take(["KIT", "NRAS", "KRAS"], 0.7)
        if base == "t(8;21)" and asxl1_left and r.random() < 0.4:
            genes.append(("ASXL1", VARIANT["ASXL1"]))   # ASXL1 with a favorable subtype stays favorable
            asxl1_left -= 1
        profiles.append((cyto, genes, "FAVORABLE"))
    inter = []
    for i in range(t.genes["FLT3-ITD"]):
        genes = [("FLT3-ITD", VARIANT["FLT3-ITD"])]
        if i == 0:                        # the classic NPM1 / FLT3-ITD (/ DNMT3A) combination
            used.update({"NPM1"})
            genes += [("NPM1", VARIANT["NPM1"])] + take(["DNMT3A"], 0.8)
        else:
            genes += take(["WT1", "TET2", "IDH2", "PTPN11"], 0.6)
        inter.append((r.choice(["normal", "normal", "other"]), genes, "INTERMEDIATE"))
    for _ in range(t.genes["CEBPA"] - n_bzip):
        inter.append(("normal", [("CEBPA", "N-terminal frameshift (non-bZIP)")] + take(NEUTRAL_PARTNERS, 0.5),
                      "INTERMEDIATE"))
    while len(inter) < t.eln["INTERMEDIATE"]:
        cyto = r.choice(["normal", "normal", "other", "t(9;11)", "t(9;11) + complex"])
        genes = take(NEUTRAL_PARTNERS, 0.6)
        if genes:
            genes += take(NEUTRAL_PARTNERS, 0.3)
        inter.append((cyto, genes, "INTERMEDIATE"))
    profiles += inter
    adverse: list[tuple[str, list[tuple[str, str]], str]] = []
    for i in range(t.genes["TP53"]):
        cyto = "complex" if i == 0 else r.choice(["complex", "abn(17p)", "monosomal", "complex + -5/del(5q)"])
        adverse.append((cyto, [("TP53", VARIANT["TP53"])] + take(["DNMT3A", "TET2"], 0.3),
                        "ADVERSE"))
    u2af1_left = t.genes["U2AF1"]
    for _ in range(asxl1_left):
        genes = [("ASXL1", VARIANT["ASXL1"])]
        if u2af1_left and r.random() < 0.5:
            genes.append(("U2AF1", VARIANT["U2AF1"]))
            u2af1_left -= 1
        genes += take(["RUNX1", "SRSF2", "EZH2", "STAG2", "SETBP1"], 0.8)
        adverse.append((r.choice(["normal", "normal", "-7", "other"]), genes, "ADVERSE"))
    for _ in range(u2af1_left):
        genes = [("U2AF1", VARIANT["U2AF1"])] + take(["RUNX1", "BCOR", "STAG2", "ZRSR2", "TET2"], 0.6)
        adverse.append((r.choice(["normal", "-7", "-5/del(5q)", "other"]), genes, "ADVERSE"))
    while len(adverse) < t.eln["ADVERSE"]:
        genes = take(MR_PARTNERS, 0.35)      # an MR-gene-defined adverse AML with a normal karyotype
        if genes:
            adverse.append(("normal", genes + take(MR_PARTNERS + NEUTRAL_PARTNERS, 0.5), "ADVERSE"))
        else:
            cyto = r.choice(ADVERSE_CYTO_POOL)
            partners = {"inv(3)": ["NRAS", "KRAS", "PTPN11", "SF3B1"], "KMT2A-r": ["KRAS", "NRAS", "PTPN11"],
                        "t(6;9)": ["WT1", "CBL"]}.get(cyto, MR_PARTNERS + NEUTRAL_PARTNERS)
            adverse.append((cyto, take(partners, 0.5), "ADVERSE"))
    profiles += adverse
    assert len(profiles) == t.n, len(profiles)
    r.shuffle(profiles)
    for k, (cyto, genes, risk) in zip(pts, profiles):
        p = pts[k]
        p.extra.update(CYTO=cyto, GENES=genes, ELN2022=risk)
        bzip = any(g == "CEBPA" and "bZIP in-frame" in c for g, c in genes)
        assert classify_eln2022(cyto, [g for g, _ in genes], bzip) == risk, (cyto, genes, risk)
    # secondary AML arises from MDS: give it to adverse patients with myelodysplasia-type lesions
    mds_like = [k for k in pts if pts[k].extra["ELN2022"] == "ADVERSE"
                and (cyto_lesions(pts[k].extra["CYTO"]) & MDS_LIKE_CYTO
                     or {g for g, _ in pts[k].extra["GENES"]} & (MR_GENES | {"TP53"}))]
    sec = set(r.sample(mds_like, t.secaml))
    for k in pts:
        pts[k].extra["SECAML"] = "Y" if k in sec else "N"


def _date(start: date, day: int | None) -> str:
    """ISO date ``day`` days after ``start`` ("" for None). Speed (issue 16: ~450 calls per cohort):
    dates from a year before the earliest start to a year after the cut-off are looked up by their
    day number (:func:`_iso_by_ordinal`); others are computed."""
    if day is None:
        return ""
    ordinal = start.toordinal() + int(day)
    first, table = _iso_by_ordinal()
    i = ordinal - first
    return table[i] if 0 <= i < len(table) else (start + timedelta(days=int(day))).isoformat()


@lru_cache(maxsize=1)
def _iso_by_ordinal() -> tuple[int, list[str]]:
    """(first day number, ISO strings of the consecutive days from it): a year around the study window."""
    first = EARLIEST_START.toordinal() - 366
    return first, [date.fromordinal(o).isoformat() for o in range(first, CUTOFF.toordinal() + 367)]


class _Random(random.Random):
    """``random.Random`` whose ``randint`` and ``choice`` give the same values from the same stream
    with fewer Python calls (the generator makes ~600 such draws per cohort; issue 16): ``randint(a, b)``
    is ``a + _randbelow(b - a + 1)`` and ``choice(s)`` is ``s[_randbelow(len(s))]``, with
    ``_randbelow(n)`` drawing ``getrandbits(n.bit_length())`` until the value is below n (CPython's
    ``random.py``, pinned by tests/test_generator_fingerprints.py). Anything but whole numbers that
    make a non-empty range goes to ``random.Random`` itself (and its errors)."""

    def randint(self, a: int, b: int) -> int:
        n = b - a + 1
        if type(a) is not int or type(b) is not int or n <= 0:
            return super().randint(a, b)
        k = n.bit_length()
        x = self.getrandbits(k)
        while x >= n:
            x = self.getrandbits(k)
        return a + x

    def choice(self, seq):
        n = len(seq)
        if not n:
            return super().choice(seq)
        k = n.bit_length()
        x = self.getrandbits(k)
        while x >= n:
            x = self.getrandbits(k)
        return seq[x]


def _start_dates(r: random.Random, pts: dict[str, Patient]) -> None:
    """Cycle 1 day 1: censored-at-cut-off patients are fixed by their follow-up; others float."""
    span = (CUTOFF - EARLIEST_START).days
    for p in pts.values():
        if p.dead or p.lost:
            slack = r.randint(0, span - p.os_day)
            p.extra["TRTSDT"] = CUTOFF - timedelta(days=p.os_day + slack)
        else:
            p.extra["TRTSDT"] = CUTOFF - timedelta(days=p.os_day)


def _adverse_events(r: random.Random, p: Patient, usubjid: str, anemia: bool, fn: bool) -> list[dict]:
    start = p.extra["TRTSDT"]
    last = p.os_day
    rows = []

    def add(term, grade, day, rel="Y"):
        rows.append(dict(USUBJID=usubjid, AEDECOD=term, AETOXGR=grade, AEREL=rel,
                         ASTDT=_date(start, min(day, last))))

    add("White blood cell decreased", r.choice([4, 4, 4, 3]), r.randint(3, 6))
    add("Neutrophil count decreased", 4, r.randint(4, 7))
    add("Platelet count decreased", r.choice([4, 4, 3]), r.randint(5, 8))
    add("Anemia", 3 if anemia else 2, r.randint(5, 10))
    if fn:
        add("Febrile neutropenia", r.choice([3, 3, 3, 4]), r.randint(6, 11))
    if p.role == "D1":
        add("Sepsis", 5, last)
    for term, prob, grades in [("Nausea", 0.45, [1, 2]), ("Alanine aminotransferase increased", 0.25, [1, 2]),
                               ("Skin hyperpigmentation", 0.3, [1]), ("Diarrhea", 0.2, [1, 2]),
                               ("Lung infection", 0.2, [3]), ("Ejection fraction decreased", 0.05, [2])]:
        if r.random() < prob:
            add(term, r.choice(grades), r.randint(2, 14))
    if p.c2_start is not None:
        add("Neutrophil count decreased", 4, p.c2_start + r.randint(4, 7))
        add("Platelet count decreased", r.choice([3, 4]), p.c2_start + r.randint(5, 8))
    return rows


@lru_cache(maxsize=1)
def _default_targets() -> Targets:
    return Targets(load_facts())


#: Facts the patient roles fix (the roles are built for them): a facts table that changes one of
#: these cannot be honoured. Values are patient counts.
ROLE_FACTS: dict[str, int] = {
    "n_enrolled": len(CRC_ROLES) + len(NONCRC_ROLES), "crc_c1_pct": len(CRC_ROLES),
    "orr_c1_pct": len(CRC_ROLES) + 2, "hsct_group_n": 6, "nohsct_group_n": 10, "cytopenia_n": len(CRC_ROLES) - 1,
    "postrem_hsct_n": 4, "postrem_consol_hsct_n": 2, "postrem_none_n": 9,
}
MAX_TRIES_LIMIT = 20000


def _check_facts(facts: pd.DataFrame) -> Targets:
    """Targets from a facts table, refusing (ValueError naming the facts) what the roles cannot honour."""
    from helpers.engine.facts import FACT_COLUMNS
    from helpers.validate import check_frame

    check_frame("facts", facts, FACT_COLUMNS, nonempty=True)
    wrong = []
    for fid, count in ROLE_FACTS.items():
        try:
            got = reported_count(facts, fid, ROLE_FACTS["n_enrolled"])
        except ValueError as exc:
            wrong.append(f"{fid} ({exc})")
            continue
        if got != count:
            wrong.append(f"{fid} (count {got}; the generator's patient roles need {count})")
    if wrong:
        raise ValueError(f"facts cannot be honoured by this generator: {'; '.join(wrong)}")
    return Targets(facts)


def _changed_facts(facts: pd.DataFrame | None) -> list[str]:
    """fact_ids whose printed value or counts differ from the shipped abstract_facts.csv."""
    if facts is None:
        return []
    shipped = load_facts().set_index("fact_id")[["value", "numerator", "denominator"]]
    given = facts.set_index("fact_id")[["value", "numerator", "denominator"]].reindex(shipped.index)
    differs = ~((shipped == given) | (shipped.isna() & given.isna())).all(axis=1)
    return list(shipped.index[differs])


def generate(seed: int = 0, facts: pd.DataFrame | None = None, max_tries: int = 20000) -> dict[str, pd.DataFrame]:
    """Build one synthetic cohort: a dict of DataFrames keyed by file name stem
    (``adsl``, ``adrs``, ``adtte``, ``adae``, ``mutations``, ``regimen``). Deterministic in ``seed``.

    ``facts`` (default: ``data/abstract_facts.csv``) must be facts this generator can honour: a
    facts table that changes a count the patient roles fix (``ROLE_FACTS``), or whose cohort does not
    re-derive every fact, raises ``ValueError`` naming those facts. ``max_tries`` (1–20000) bounds
    the search."""
    from helpers.validate import check_int

    seed = check_int("seed", seed, 0, 2**63 - 1)
    max_tries = check_int("max_tries", max_tries, 1, MAX_TRIES_LIMIT)
    t = _default_targets() if facts is None else _check_facts(facts)
    r = _Random(seed)
    pts = {k: Patient(role=k, crc=True) for k in CRC_ROLES}
    pts.update({k: Patient(role=k, crc=False) for k in NONCRC_ROLES})
    for k, p in pts.items():
        p.hsctgrp = "HSCT" if k.startswith("H") else "NO HSCT" if k[0] in "NX" else ""
    for _ in range(max_tries):
        _responses(r, pts, t)
        if _survival_skeletons(r, pts, t, 400) and _post_remission(r, pts, t):
            break
    else:
        changed = _changed_facts(facts)
        raise ValueError(f"seed={seed}, max_tries={max_tries}: no cohort found; facts cannot be honoured by this "
                         f"generator: {', '.join(changed) if changed else 'none changed from the shipped facts'}")
    _demographics(r, pts, t)
    _genetics(r, pts, t)
    _start_dates(r, pts)
    tables = _tables(r, pts, t)
    if facts is not None:
        from helpers.engine.audit import audit

        result = audit(tables, facts)
        missed = result.loc[~result["match"], ["fact_id", "reported", "rederived_rounded"]]
        if len(missed):
            shown = ", ".join(f"{f} (asked {a:g}, got {b:g})" for f, a, b in missed.itertuples(index=False))
            raise ValueError(f"facts cannot be honoured by this generator: {shown}")
    return tables


def _tables(r: random.Random, pts: dict[str, Patient], t: Targets) -> dict[str, pd.DataFrame]:
    order = sorted(pts, key=lambda k: (pts[k].extra["TRTSDT"], k))
    ids = {k: f"SYN-{i + 1:03d}" for i, k in enumerate(order)}
    anemia = set(r.sample(order, t.ae["Anemia"]))
    fn = set(r.sample(order, t.ae["Febrile neutropenia"]))
    adsl, adrs, adtte, adae, muts = [], [], [], [], []
    for k in order:
        p, u = pts[k], ids[k]
        s = p.extra["TRTSDT"]
        last_day = p.os_day
        adsl.append(dict(
            STUDYID=STUDYID, USUBJID=u, AGE=p.extra["AGE"], SEX=p.extra["SEX"],
            HEIGHTCM=p.extra["HEIGHTCM"], WEIGHTKG=p.extra["WEIGHTKG"], BSA=p.extra["BSA"],
            DISSTAT=p.extra["DISSTAT"], SECAML=p.extra["SECAML"], CYTO=p.extra["CYTO"], ELN2022=p.extra["ELN2022"],
            TRTSDT=s.isoformat(), NCYCLES=2 if p.c2_start is not None else 1, C2SDT=_date(s, p.c2_start),
            POSTREM=p.postrem, HSCTGRP=p.hsctgrp, COMPLFL=p.complete, CONSDT=_date(s, p.consol_day),
            HSCTDT=_date(s, p.hsct_day), RELDT=_date(s, p.relapse_day),
            ANCDUR="" if p.anc_dur is None else p.anc_dur, PLTDUR="" if p.plt_dur is None else p.plt_dur,
            DTHFL="Y" if p.dead else "N", DTHDT=_date(s, p.os_day if p.dead else None),
            DTHCAUS=p.death_cause if p.dead else "", LSTALVDT=_date(s, last_day),
            EOSSTT="DEAD" if p.dead else "LOST TO FOLLOW-UP" if p.lost else "ONGOING"))
        if p.role == "D1":
            # ELN 2022: no adequate marrow evaluation (early death) = non-evaluable for response, not
            # "no response"; the intention-to-treat denominator still counts the patient as a failure.
            adrs.append(dict(USUBJID=u, PARAMCD="OVRLRESP", AVISIT="CYCLE 1", AVALC="NE",
                             ADT=_date(s, p.os_day),
                             RSNOTE="Early death before response assessment (non-evaluable for response)"))
        else:
            adrs.append(dict(USUBJID=u, PARAMCD="OVRLRESP", AVISIT="CYCLE 1", AVALC=p.resp_c1,
                             ADT=_date(s, p.assess_c1), RSNOTE=""))
        if p.mrd_c1:
            adrs.append(dict(USUBJID=u, PARAMCD="MRDFLOW", AVISIT="CYCLE 1", AVALC=p.mrd_c1,
                             ADT=_date(s, p.assess_c1), RSNOTE=""))
        if p.c2_start is not None:
            adrs.append(dict(USUBJID=u, PARAMCD="OVRLRESP", AVISIT="CYCLE 2", AVALC=p.resp_c2,
                             ADT=_date(s, p.c2_assess), RSNOTE=""))
            adrs.append(dict(USUBJID=u, PARAMCD="MRDFLOW", AVISIT="CYCLE 2", AVALC="NEGATIVE",
                             ADT=_date(s, p.c2_assess), RSNOTE=""))
        os_desc = "DEATH" if p.dead else "LOST TO FOLLOW-UP" if p.lost else "ALIVE AT DATA CUT-OFF"
        adtte.append(dict(USUBJID=u, PARAMCD="OS", STARTDT=s.isoformat(), ADT=_date(s, p.os_day),
                          AVAL=p.os_day, CNSR=0 if p.dead else 1, EVNTDESC=os_desc))
        if p.crc:
            rfs_days, rfs_event = p.rfs
            if p.relapse_day is not None:
                desc = "RELAPSE"
            elif p.dead:
                desc = "DEATH IN REMISSION"
            else:
                desc = "IN REMISSION AT LAST CONTACT" if p.lost else "IN REMISSION AT DATA CUT-OFF"
            adtte.append(dict(USUBJID=u, PARAMCD="RFS", STARTDT=_date(s, p.assess_c1),
                              ADT=_date(s, p.assess_c1 + rfs_days), AVAL=rfs_days, CNSR=1 - rfs_event,
                              EVNTDESC=desc))
        adae.extend(_adverse_events(r, p, u, k in anemia, k in fn))
        for gene, klass in p.extra["GENES"]:
            muts.append(dict(USUBJID=u, GENE=gene, VARIANT_CLASS=klass))
    # the stable sorts of pandas' sort_values(kind="stable") on string keys, done on the rows
    adtte.sort(key=lambda row: (row["PARAMCD"], row["USUBJID"]))
    adae.sort(key=lambda row: (row["USUBJID"], row["ASTDT"], row["AEDECOD"]))
    return {
        "adsl": _typed_frame("adsl", adsl),
        "adrs": _typed_frame("adrs", adrs),
        "adtte": _typed_frame("adtte", adtte),
        "adae": _typed_frame("adae", adae),
        "mutations": _typed_frame("mutations", muts, ["USUBJID", "GENE", "VARIANT_CLASS"]),
        **{name: frame.copy() for name, frame in _fixed_frames(t).items()},
    }


def _fixed_frames(t: Targets) -> dict[str, pd.DataFrame]:
    """The tables that follow from the printed facts alone, the same in every cohort: ``regimen`` and
    ``protocol``. Built once per :class:`Targets` (speed, issue 16: a copy costs a fifth of building
    them); every cohort gets its own deep copy (tests/test_gen_columns.py edits one)."""
    frames = t.__dict__.get("_fixed_frames")
    if frames is not None:
        return frames
    regimen = []
    names = {"lipomit": ("Mitoxantrone hydrochloride liposome (Lipo-MIT)", "IV"),
             "cladribine": ("Cladribine", "IV"), "cytarabine": ("Cytarabine", "IV"),
             "gcsf": ("G-CSF (filgrastim)", "SC")}
    for key, (dose, unit, d0, d1) in t.regimen.items():
        basis = "per m2" if unit.endswith("/m2") else "flat"
        regimen.append(dict(DRUG=names[key][0], DRUGKEY=key, DOSE=dose, UNIT=unit, BASIS=basis, ROUTE=names[key][1],
                            FIRSTDAY=d0, LASTDAY=d1, CYCLEDAYS=t.cycle_days, MAXCYCLES=t.max_cycles))
    protocol = [
        dict(PARAM="ELIGAGEMIN", VALUE=str(t.eligible_age[0]), UNIT="years"),
        dict(PARAM="ELIGAGEMAX", VALUE=str(t.eligible_age[1]), UNIT="years"),
        dict(PARAM="CUTOFFDT", VALUE=CUTOFF.isoformat(), UNIT=""),
        dict(PARAM="DAYSPERMONTH", VALUE=str(DAYS_PER_MONTH), UNIT="days"),
    ]
    frames = t.__dict__["_fixed_frames"] = {"regimen": _typed_frame("regimen", regimen),
                                            "protocol": _typed_frame("protocol", protocol)}
    return frames


def _int64_array(values: list) -> pd.api.extensions.ExtensionArray:
    """``pd.array([None if v == "" else v for v in values], dtype="Int64")`` (what typed() does).

    For Python ints and "" (all the generator writes) the IntegerArray is made from its data and
    mask directly, with 1 under the mask as pandas itself stores it; that is ~20× faster than
    pd.array's per-value conversion (issue 16). Anything else goes through pd.array."""
    if all(type(v) is int or (type(v) is str and v == "") for v in values):
        mask = np.array([type(v) is str for v in values], dtype=bool)
        data = np.array([1 if type(v) is str else v for v in values], dtype=np.int64)
        return pd.arrays.IntegerArray(data, mask)
    return pd.array([None if v == "" else v for v in values], dtype="Int64")


def _typed_frame(name: str, rows: list[dict], columns: list[str] | None = None) -> pd.DataFrame:
    """``typed(name, pd.DataFrame(rows, columns=columns))``, built column by column.

    Speed (issue 16): building a frame from row dicts and then re-casting every column costs more
    than the rest of the cohort; here each column is made once with the dtype
    :func:`helpers.engine.tables.typed` gives it (Int64 with empty strings as missing, float64,
    or object strings). Every row has the same keys in the same order (so the columns are those
    of the first row, as pandas would find them). The fingerprint tests check the result is the
    same, byte for byte and dtype for dtype."""
    from helpers.engine.tables import SCHEMAS

    given = columns
    columns = given if given is not None else list(rows[0]) if rows else []
    if set(columns) != set(SCHEMAS[name]) or any(list(row) != columns for row in rows):   # not the plain case
        return typed(name, pd.DataFrame(rows, columns=given))
    index, modes = _frame_plan(name, tuple(columns))
    arrays = []
    for col, mode in zip(columns, modes):
        values = [row[col] for row in rows]
        if mode == "int":
            arrays.append(_int64_array(values))
        elif mode == "float":
            arrays.append(np.array(values, dtype=float))
        elif not values or set(map(type, values)) == {str}:       # every value a str (checked in C)
            arrays.append(np.array(values, dtype=object))
        else:
            arrays.append(pd.Series(values, dtype=object).astype(str).to_numpy())
    return frame_from_arrays(arrays, index, len(rows))


@lru_cache(maxsize=None)
def _frame_plan(name: str, columns: tuple[str, ...]) -> tuple[pd.Index, tuple[str, ...]]:
    """The column index of a generated table (one immutable Index shared by every cohort's table, so
    its hash table is built once, not at the first column lookup of each cohort) and each column's
    kind in :data:`helpers.engine.tables.SCHEMAS`: "int" (Int64), "float" or "str"."""
    from helpers.engine.tables import SCHEMAS

    modes = []
    for col in columns:
        kind = SCHEMAS[name][col]
        kind = kind[1:] if isinstance(kind, str) and kind.startswith("?") else kind
        if kind == "int" or (isinstance(kind, list) and all(isinstance(a, int) for a in kind)):
            modes.append("int")
        else:
            modes.append("float" if kind == "float" else "str")
    return pd.Index(list(columns), dtype=object), tuple(modes)


def write_tables(tables: dict[str, pd.DataFrame], out: str | Path) -> list[Path]:
    """Write each table as ``<name>.csv`` (UTF-8, ``\\n`` line ends, no index)."""
    if not isinstance(tables, dict) or not tables or not all(
            isinstance(k, str) and isinstance(df, pd.DataFrame) for k, df in tables.items()):
        raise ValueError(f"tables={type(tables).__name__} is not accepted; accepted: a dict name -> DataFrame "
                         "(the output of generate())")
    if not isinstance(out, (str, Path)):
        raise ValueError(f"out={out!r} is not accepted; accepted: a folder path (str or Path)")
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, df in tables.items():
        path = out / f"{name}.csv"
        df.to_csv(path, index=False, lineterminator="\n")
        paths.append(path)
    return paths


def main(argv: list[str] | None = None) -> None:
    """Command line: ``--seed N --out FOLDER [--overwrite-data]``.

    Raises ``ValueError`` (the ``__main__`` entry prints it and exits with status 2) if ``--out``
    is an existing file, or is the project's ``data/`` folder without ``--overwrite-data``."""
    from helpers.paths import DATA_DIR

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=0, help="random seed (the shipped data/ is seed 0)")
    parser.add_argument("--out", required=True, help="folder to write the CSV tables into (created if absent)")
    parser.add_argument("--overwrite-data", action="store_true",
                        help="allow --out to be the project's data/ folder (make data passes it)")
    args = parser.parse_args(argv)
    out = Path(args.out)
    if out.exists() and not out.is_dir():
        raise ValueError(f"--out={args.out!r} is an existing file; accepted: a folder (new or existing)")
    if out.resolve() == DATA_DIR.resolve() and not args.overwrite_data:
        raise ValueError(f"--out={args.out!r} is the project's data/ folder; refusing to overwrite the shipped "
                         "data without --overwrite-data (use `make data`)")
    tables = generate(args.seed)
    for path in write_tables(tables, out):
        print(f"wrote {path}")


if __name__ == "__main__":
    import sys

    try:
        main()
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        sys.exit(2)
