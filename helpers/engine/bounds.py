"""What the abstract proves: exact bounds over every cohort consistent with its survival figures.

The abstract prints, for 27 patients, 6-month OS 71.4 %, 6-month RFS 80.8 %, 6-month OS and RFS of 100 %
in the 6 transplanted patients and 66.7 % in the 10 who were not, and a median follow-up of 3.3 months
(range 0.4–18.6) at a June 2025 cut-off. It does not print deaths, patients at risk, 12-month OS or the
median OS. This module finds, for each such quantity, its **minimum and maximum over all patient-level
configurations consistent with every one of those figures** under a stated interpretation, by exhaustive
enumeration, and returns a **witness cohort** at each bound that reproduces every figure (checked with the
engine's own Kaplan–Meier and follow-up functions). A quantity is *determined* only when min = max.

The model (what "consistent" means; each rule is either a printed figure or a named interpretation):

* Times are whole days; months = days / 30.4375; "6 months" = 182.625 days, "12 months" = 365.25 days.
  Only the order of the observations matters to a Kaplan–Meier estimate (ties change nothing that the
  order does not), and there are enough whole days between the printed anchors (shortest follow-up
  11–13 days, median 99–101 days, 6 months, longest 565–567 days) to realise any order, so the model
  enumerates orders: OS is a string of 27 sorted observations, each a death (D) or censoring (C), cut at
  6 months; RFS likewise for its population.
* Groups: 17 CRc after cycle 1 = 6 HSCT + 10 no-HSCT + 1 CRc patient in neither group (the abstract's
  6 + 10 = 16); 10 not CRc. A CRc patient was alive at the cycle-1 assessment (at least one 4-week cycle,
  longer than the 0.45 months the shortest follow-up allows), so the shortest-followed patient is not CRc.
* 6-month estimates: each printed 6-month figure must print, rounded half up, from its group's estimate
  (``estimator``); each group has at least one patient still observed at 6 months (otherwise the
  estimate at 6 months is undefined).
* Follow-up: the 14th of the 27 sorted observation times (``followup_method="observed"``) or the reverse
  Kaplan–Meier median (``"reverse_km"``) lies in 99–101 days; the shortest in 11–13 days; the longest in
  565–567 days. The cut-off (June 2025) adds nothing beyond the longest follow-up: entry dates are free.
* OS ↔ RFS, per patient: a CRc patient who dies had an RFS event (relapse or death in remission) before
  or at death, at least 28 days (one cycle) after entry; a patient still in remission and observed at
  6 months of RFS is alive and observed at 6 months of OS; a death in remission is an OS death.
* Witness rule (a modelling assumption, not from the abstract): a death in remission has its RFS clock
  start 28–60 days after cycle 1 day 1, i.e. its OS time exceeds its RFS time by 28–60 days
  (:func:`check_witness`: "death in remission is an OS death within 60 days of the RFS clock's start").
  Only the witness builder uses it; the counting model that gives the minima and maxima does not, so it
  decides whether a bound is *attained*, not its value.

Exhaustiveness. OS configurations are enumerated as (Kaplan–Meier step sequence from
:func:`helpers.engine.kmgrim.km_grim_sequences`, patients at risk at 6 months), with the no-HSCT group's
own sequence embedded as a subsequence (a greedy subsequence test is exact), and counts for the HSCT
group, the 17th CRc patient and the non-CRc patients. RFS likewise. The two are joined by the per-patient
rules above, expressed as counts (exact: the counts are the whole of what the rules ask when patients of
a group can be matched freely between the two orders). Every bound is then *attained* by building a
witness cohort in days and re-deriving every figure from it; a bound whose witness cannot be built is
reported as not attained (never silently).

Speed (issue 16: the bounds, their witnesses and notebook 06's interpretation table in about 0.3 s of CPU,
from about 4 s; the results are those of the plain version, checked against a fixture recorded with it in
tests/test_bounds_equivalence.py). The part of the OS enumeration that no reading changes is computed once
for all pairs with numpy; the joint choices of an OS group and an RFS configuration are cached on the fields
they read and summarised without being listed; witnesses are built on plain columns and checked on numpy
arrays; the cyclic garbage collector is paused while the search allocates. Each shortcut says so where it is.

Not modelled (so the ranges can only be wider than a fuller model's, never narrower): transplant,
consolidation and relapse *dates* beyond the ordering rules above (e.g. a transplanted patient is not required
to be followed until a plausible transplant date), and the response and toxicity figures.

Everything here is **trial** provenance: it uses the printed figures only, never our synthetic cohort.
"""
from __future__ import annotations

import functools
import gc
import time
from dataclasses import asdict, dataclass, replace
from fractions import Fraction
from functools import lru_cache
from itertools import islice
from typing import Iterator

import numpy as np
import pandas as pd

from helpers.engine.derive import DAYS_PER_MONTH, km_at
from helpers.engine.facts import fact_value, load_facts, round_half_up
from helpers.engine.kmgrim import (km_grim_sequences, km_value, naive_all_counts, naive_followed_counts,
                                   pre_timepoint_string, steps_from_string)

__all__ = ["Interpretation", "CHOICES", "DEFAULT", "SurvivalFacts", "survival_facts", "exact_bounds",
           "witness_cohort", "check_witness", "witness_quantities", "interpretation_table", "QUANTITIES",
           "os_configurations", "rfs_configurations", "DAY_6M", "DAY_12M"]

DAY_6M = 6 * DAYS_PER_MONTH    # 182.625
DAY_12M = 12 * DAYS_PER_MONTH  # 365.25

CHOICES: dict[str, tuple[str, ...]] = {
    "rfs_population": ("crc_c1", "hsct_comparison", "crc_any"),
    "followup_method": ("observed", "reverse_km"),
    "early_death": ("counted", "not_assumed"),
    "estimator": ("km", "naive_all", "naive_followed"),
}
CHOICE_TEXT: dict[str, dict[str, str]] = {
    "rfs_population": {"crc_c1": "RFS over the 17 CRc after cycle 1",
                       "hsct_comparison": "RFS over the 16 of the HSCT comparison",
                       "crc_any": "RFS over CRc at any assessment (17 + up to 7 converted by cycle 2)"},
    "followup_method": {"observed": "median follow-up = median of all observation times",
                        "reverse_km": "median follow-up = reverse Kaplan–Meier"},
    "early_death": {"counted": "shortest follow-up (0.4 mo) is the early death",
                    "not_assumed": "shortest follow-up may be a death or a censoring"},
    "estimator": {"km": "6-month figures are Kaplan–Meier estimates",
                  "naive_all": "6-month figures are survivors / everyone",
                  "naive_followed": "6-month figures are survivors / patients with known status"},
}


@dataclass(frozen=True)
class Interpretation:
    """The reading of the abstract the bounds assume; defaults are the project's current reading.

    ``rfs_population``: "crc_c1" (the 17 CRc after cycle 1), "hsct_comparison" (the 16 of the HSCT
    comparison), "crc_any" (CRc at any assessment: the 17 plus 0–7 patients who became CRc after cycle 2).
    ``followup_method``: "observed" (median of all 27 observation times) or "reverse_km".
    ``early_death``: "counted" (the 0.4-month patient is an early death, one of the 10 non-CRc) or
    "not_assumed" (that patient may be dead or censored). ``estimator``: "km", "naive_all" (survivors /
    everyone) or "naive_followed" (survivors / patients whose 6-month status is known).
    """
    rfs_population: str = "crc_c1"
    followup_method: str = "observed"
    early_death: str = "counted"
    estimator: str = "km"

    def __post_init__(self) -> None:
        for name, accepted in CHOICES.items():
            value = getattr(self, name)
            if value not in accepted:
                raise ValueError(f"{name}={value!r} is not accepted; accepted: {', '.join(map(repr, accepted))}")


def _gc_paused(fn):
    """Run ``fn`` with Python's cyclic garbage collector paused (speed). The search allocates hundreds of
    thousands of small tuples and dicts without reference cycles (freed by reference counting anyway); each
    allocation burst triggers collections that, in a notebook kernel holding pandas/matplotlib/lifelines,
    traverse every live object: about half of the interpretation table's time. Results are unaffected."""
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        was_enabled = gc.isenabled()
        gc.disable()
        try:
            return fn(*args, **kwargs)
        finally:
            if was_enabled:
                gc.enable()
    return wrapper


DEFAULT = Interpretation()


@dataclass(frozen=True)
class SurvivalFacts:
    """The printed figures the survival model uses (read from ``abstract_facts.csv``)."""
    n: int
    n_crc: int
    n_hsct: int
    n_nohsct: int
    n_two_cycles: int
    os_6m: float
    rfs_6m: float
    hsct_os_6m: float
    hsct_rfs_6m: float
    nohsct_os_6m: float
    nohsct_rfs_6m: float
    decimals: tuple[int, int, int, int, int, int]
    followup_median: float
    followup_min: float
    followup_max: float
    cycle_days: int

    def day_window(self, months: float, decimals: int = 1) -> tuple[int, int]:
        """Whole days whose months print as ``months`` at ``decimals`` places."""
        return _day_window(months, decimals)


@lru_cache(maxsize=64)
def _day_window(months: float, decimals: int = 1) -> tuple[int, int]:
    """:meth:`SurvivalFacts.day_window` (it uses neither the facts nor anything else; cached: the witness
    builder asks it a few times per cohort)."""
    lo = int(np.floor((months - 0.5 * 10 ** -decimals) * DAYS_PER_MONTH)) - 1
    days = [d for d in range(max(lo, 0), lo + 40)
            if round_half_up(d / DAYS_PER_MONTH, decimals) == round_half_up(months, decimals)]
    return days[0], days[-1]


_DEFAULT_SF: SurvivalFacts | None = None


def survival_facts(facts: pd.DataFrame | None = None) -> SurvivalFacts:
    """Read the survival figures from ``abstract_facts.csv`` (never typed in)."""
    if facts is None:
        global _DEFAULT_SF
        if _DEFAULT_SF is None:
            _DEFAULT_SF = survival_facts(load_facts())
        return _DEFAULT_SF
    if not isinstance(facts, pd.DataFrame) or "fact_id" not in facts.columns:
        raise ValueError(f"facts={type(facts).__name__} is not accepted; accepted: the DataFrame of load_facts()")
    row = facts.set_index("fact_id")
    v = lambda f: fact_value(facts, f)  # noqa: E731
    dec = tuple(int(row.loc[f, "decimals"]) for f in ("os_6m_pct", "rfs_6m_pct", "hsct_os_6m_pct",
                                                        "hsct_rfs_6m_pct", "nohsct_os_6m_pct", "nohsct_rfs_6m_pct"))
    return SurvivalFacts(n=int(v("n_enrolled")), n_crc=int(row.loc["crc_c1_pct", "numerator"]),
                         n_hsct=int(v("hsct_group_n")), n_nohsct=int(v("nohsct_group_n")),
                         n_two_cycles=int(v("two_cycles_n")),
                         os_6m=v("os_6m_pct"), rfs_6m=v("rfs_6m_pct"), hsct_os_6m=v("hsct_os_6m_pct"),
                         hsct_rfs_6m=v("hsct_rfs_6m_pct"), nohsct_os_6m=v("nohsct_os_6m_pct"),
                         nohsct_rfs_6m=v("nohsct_rfs_6m_pct"), decimals=dec,
                         followup_median=v("followup_median"), followup_min=v("followup_min"),
                         followup_max=v("followup_max"), cycle_days=int(round(7 * v("cycle_length"))))


# --------------------------------------------------------------------------- strings and estimators

def _subsequence_slots(small: str, big: str, start: int = 0) -> list[int] | None:
    """Greedy leftmost embedding of ``small`` in ``big[start:]`` (exact test: a string embeds iff the
    greedy one does); returns the 0-based positions used, or None."""
    out, j = [], start
    for ch in small:
        j = big.find(ch, j)
        if j < 0:
            return None
        out.append(j)
        j += 1
    return out


def _embed_end(small: str, core: str, start: int = 1) -> int | None:
    """Where the greedy embedding of ``small`` in ``(core + "C" * k)[start:]`` ends, for every k large enough:
    the 0-based position of its last character (-1 if ``small`` is empty), or None if no k works
    (a "D" of ``small`` finds none left in ``core``). So ``_subsequence_slots(small, core + "C" * k, start)`` is
    not None iff the end is below ``len(core) + k``: one embedding serves every string that differs only in
    its final censorings (the overall strings of one KM sequence at each number at risk; speed)."""
    j, size = start, len(core)
    for ch in small:
        k = core.find(ch, j) if j < size else -1
        if k < 0:
            if ch == "D":
                return None
            k = max(j, size)  # the first of the final censorings at or after j
        j = k + 1
    return j - 1 if small else -1


def _group_strings(percent: float, n: int, decimals: int, estimator: str) -> list[tuple[str, int]]:
    """Every (pre-6-month D/C string, at risk at 6 months ≥ 1) a group of ``n`` may have under ``estimator``.

    "km": from the KM step sequences; "naive_followed": alive/(alive + dead) prints, deaths placed anywhere
    (all strings with that many D and C); "naive_all": alive/n prints (censoring before 6 months allowed,
    alive = patients observed beyond 6 months)."""
    return list(_group_strings_cached(percent, n, decimals, estimator))


@lru_cache(maxsize=64)
def _group_strings_cached(percent: float, n: int, decimals: int, estimator: str) -> tuple[tuple[str, int], ...]:
    """:func:`_group_strings`, computed once per process (every interpretation shares these lists)."""
    from itertools import combinations
    out: set[tuple[str, int]] = set()
    if estimator == "km":
        for steps in km_grim_sequences(percent, n, decimals):
            left = steps[-1][0] - steps[-1][1] if steps else n
            for at_risk in range(1, left + 1):
                out.add((pre_timepoint_string(steps, n, at_risk), at_risk))
    else:
        pairs = ([(k, None) for k in naive_all_counts(percent, n, decimals)] if estimator == "naive_all"
                 else naive_followed_counts(percent, n, decimals))
        for alive, dead in pairs:
            if alive < 1:
                continue
            deads = range(0, n - alive + 1) if dead is None else [dead]
            for d in deads:
                length = n - alive
                if d > length:
                    continue
                for pos in combinations(range(length), d):
                    s = ["C"] * length
                    for p in pos:
                        s[p] = "D"
                    out.add(("".join(s), alive))
    return tuple(sorted(out))


@lru_cache(maxsize=None)
def _reverse_km_anchor(s: str, n: int) -> int | None:
    """0-based index of the censoring at which the reverse KM of the pre-6-month string first reaches
    0.5 or below (censoring = event, death = censored), or None."""
    # exact, in integers: the reverse KM is num/den with num, den the products of (n - i - 1) and (n - i)
    # over the censorings so far, and num/den <= 1/2 iff 2 num <= den (the same test as with Fractions)
    num = den = 1
    for i, ch in enumerate(s):
        if ch == "C":
            num *= n - i - 1
            den *= n - i
            if 2 * num <= den:
                return i
    return None


# --------------------------------------------------------------------------- OS configurations

class _OSCandidates:
    """The interpretation-independent part of the OS enumeration, shared by every reading with the same
    estimator (the follow-up and early-death readings only filter the overall strings): for every overall
    pre-6-month string ``s`` (with ``r6`` at risk) and every no-HSCT string ``ns`` (with ``n6``), whether ``ns``
    fits in ``s`` and the group counts that follow, as numpy arrays over (string, no-HSCT string).

    The rules are those of the original loop, one per line below, evaluated for all pairs at once (numpy, for
    speed: about 4,700 × 20 pairs); tests/test_bounds_equivalence.py checks the configurations are unchanged."""

    def __init__(self, sf: SurvivalFacts, estimator: str) -> None:
        self.n, n_h = sf.n, sf.n_hsct
        n_l = sf.n_crc - sf.n_hsct - sf.n_nohsct
        self.overall = _group_strings_cached(sf.os_6m, sf.n, sf.decimals[0], estimator)
        nstrings = _group_strings_cached(sf.nohsct_os_6m, sf.n_nohsct, sf.decimals[4], estimator)
        self.nstrings = nstrings
        strings = [x for x, _ in self.overall]
        p6 = np.array([len(x) for x in strings], dtype=np.int64)
        r6 = np.array([r for _, r in self.overall], dtype=np.int64)
        deaths = np.array([x.count("D") for x in strings], dtype=np.int64)
        first_d = np.array([x[:1] == "D" for x in strings], dtype=np.int64)
        nonempty = p6 > 0
        n6 = np.array([m for _, m in nstrings], dtype=np.int64)
        ns_d = np.array([x.count("D") for x, _ in nstrings], dtype=np.int64)
        ns_c = np.array([x.count("C") for x, _ in nstrings], dtype=np.int64)
        # greedy embedding of each ns after the first observation, once per string without its final censorings
        never = 10 ** 9
        ends: dict[str, list[int]] = {}
        end = np.empty((len(strings), len(nstrings)), dtype=np.int64)
        for i, x in enumerate(strings):
            core = x.rstrip("C")
            row = ends.get(core)
            if row is None:
                row = ends[core] = [never if e is None else e for e in (_embed_end(y, core) for y, _ in nstrings)]
            end[i] = row
        tail_d = deaths - first_d
        tail_c = p6 - 1 - tail_d
        ok = nonempty[:, None] & (n6[None, :] <= r6[:, None] - 1)
        ok &= ns_d[None, :] <= tail_d[:, None]
        ok &= ns_c[None, :] <= tail_c[:, None]
        ok &= end < p6[:, None]                      # _subsequence_slots(ns, s, 1) is not None
        nonn_c = (p6 - deaths)[:, None] - ns_c[None, :] - (1 - first_d)[:, None]
        nonn_d = (deaths - first_d)[:, None] - ns_d[None, :]
        h_lo = np.maximum(1, n_h - nonn_c)
        h_hi = np.minimum(n_h, r6[:, None] - n6[None, :])
        ok &= h_lo <= h_hi
        if n_l:
            l_d = nonn_d >= 1
            l_c = nonn_c - (n_h - h_hi) >= 1
            l_a = r6[:, None] - n6[None, :] - h_lo >= 1
            ok &= l_d | l_c | l_a
            l_code = 4 * l_d + 2 * l_c + l_a
        else:
            l_code = np.zeros(ok.shape, dtype=np.int64)
        self.ok, self.h_lo, self.h_hi, self.nonn_c, self.l_code = ok, h_lo, h_hi, nonn_c, l_code
        self.p6, self.r6, self.deaths, self.first_d, self.n6, self.ns_d = p6, r6, deaths, first_d, n6, ns_d
        # KM at 6 months of each overall string (it depends on the deaths' positions only)
        self.km6: list[float | None] = [None] * len(strings)
        if estimator == "km":
            by_core: dict[str, float] = {}
            for i, x in enumerate(strings):
                core = x.rstrip("C")
                v = by_core.get(core)
                if v is None:
                    v = by_core[core] = float(km_value(steps_from_string(x, self.n)))
                self.km6[i] = v


_L_STATES = {c: tuple(st for bit, st in ((4, "D"), (2, "C"), (1, "A")) if c & bit) for c in range(8)}


@lru_cache(maxsize=8)
def _os_candidates(sf: SurvivalFacts, estimator: str) -> _OSCandidates:
    return _OSCandidates(sf, estimator)


_OS_FIELDS = ("s", "r6", "anchor", "deaths", "km6", "ns", "n6", "dn", "h_lo", "h_hi", "nonn_c", "l_states")


class _OSRows:
    """The OS configurations of one reading (fields :data:`_OS_FIELDS`) as numpy columns over the kept
    (string, no-HSCT string) pairs; each configuration's dict (plain Python values) is made on first use and
    kept, so a configuration is always the same object (speed: the search needs the dicts of a few hundred
    configurations out of tens of thousands)."""

    def __init__(self, cand: _OSCandidates, si: np.ndarray, ki: np.ndarray, anchor: np.ndarray) -> None:
        self.cand, self.si, self.ki, self.anchor = cand, si, ki, anchor
        self.r6 = cand.r6[si]
        self.deaths = cand.deaths[si]
        self.n6 = cand.n6[ki]
        self.dn = cand.ns_d[ki]
        self.h_lo = cand.h_lo[si, ki]
        self.h_hi = cand.h_hi[si, ki]
        self.nonn_c = cand.nonn_c[si, ki]
        self.l_code = cand.l_code[si, ki]
        self._dicts: list[dict | None] = [None] * len(si)

    def __len__(self) -> int:
        return len(self.si)

    def config(self, i: int) -> dict:
        d = self._dicts[i]
        if d is None:
            c, si, ki = self.cand, int(self.si[i]), int(self.ki[i])
            d = self._dicts[i] = dict(
                s=c.overall[si][0], r6=int(self.r6[i]), anchor=int(self.anchor[i]), deaths=int(self.deaths[i]),
                km6=c.km6[si], ns=c.nstrings[ki][0], n6=int(self.n6[i]), dn=int(self.dn[i]),
                h_lo=int(self.h_lo[i]), h_hi=int(self.h_hi[i]), nonn_c=int(self.nonn_c[i]),
                l_states=_L_STATES[int(self.l_code[i])])
        return d

    def all(self) -> tuple[dict, ...]:
        return tuple(self.config(i) for i in range(len(self.si)))


def _first_k_per_key(code: np.ndarray, k: int) -> np.ndarray:
    """Mask of the first ``k`` occurrences of each value of ``code``, in order (what a loop counting the keys
    it has seen and skipping a key seen ``k`` times keeps)."""
    order = np.argsort(code, kind="stable")
    sc = code[order]
    run_start = np.flatnonzero(np.r_[True, sc[1:] != sc[:-1]]) if len(sc) else np.zeros(0, dtype=np.int64)
    rank = np.arange(len(sc)) - np.repeat(run_start, np.diff(np.r_[run_start, len(sc)]))
    keep = np.zeros(len(sc), dtype=bool)
    keep[order] = rank < k
    return keep


def _mixed_radix(cols) -> np.ndarray:
    """One non-negative integer per row that is equal exactly when every column is (columns of integers >= 0)."""
    code = None
    for col in cols:
        col = np.asarray(col, dtype=np.int64)
        code = col.copy() if code is None else code * (int(col.max()) + 1 if len(col) else 1) + col
    return code


@lru_cache(maxsize=16)
def _os_configs_cached(sf: SurvivalFacts, followup_method: str, early_death: str,
                       estimator: str) -> tuple[dict, ...]:
    return _os_rows(sf, followup_method, early_death, estimator).all()


@lru_cache(maxsize=16)
def _os_rows(sf: SurvivalFacts, followup_method: str, early_death: str, estimator: str) -> _OSRows:
    n = sf.n
    for name, value, dec in (("hsct_os_6m_pct", sf.hsct_os_6m, sf.decimals[2]), ("hsct_rfs_6m_pct", sf.hsct_rfs_6m, sf.decimals[3])):
        if round_half_up(value, dec) != 100:
            raise ValueError(f"{name}={value!r}: the model reads the HSCT group's figures as 100 % (no event "
                             "before 6 months); accepted: 100")
    cand = _os_candidates(sf, estimator)
    median_pos = (n + 1) // 2 - 1  # 0-based index of the median of n (odd) sorted times
    # the reading's filter on the overall strings, and the median's position (the follow-up anchor)
    keep_s = np.ones(len(cand.overall), dtype=bool)
    if early_death == "counted":
        keep_s &= cand.first_d == 1
    if followup_method == "observed":
        keep_s &= cand.p6 > median_pos
        anchor_s = np.full(len(cand.overall), median_pos, dtype=np.int64)
    else:
        anchor_s = np.full(len(cand.overall), -1, dtype=np.int64)
        for i in np.flatnonzero(keep_s):
            a = _reverse_km_anchor(cand.overall[i][0], n)
            anchor_s[i] = -1 if a is None else a
        keep_s &= anchor_s >= 1
    # every fitting (string, no-HSCT string) pair of the kept strings, strings in order then ns in order
    si, ki = np.nonzero(cand.ok & keep_s[:, None])
    # keep the first 3 of each (dn, n6, h_lo, h_hi, l_states, nonn_c, r6, deaths, km6): the same to the join
    # and the quantities; a few alternatives suffice for witnesses
    if cand.km6 and cand.km6[0] is not None:
        _, km_code = np.unique(np.array(cand.km6, dtype=float), return_inverse=True)
        km_code = km_code.reshape(-1)[si]
    else:
        km_code = np.zeros(len(si), dtype=np.int64)
    key = _mixed_radix([cand.ns_d[ki], cand.n6[ki], cand.h_lo[si, ki], cand.h_hi[si, ki], cand.l_code[si, ki],
                        cand.nonn_c[si, ki], cand.r6[si], cand.deaths[si], km_code])
    keep = _first_k_per_key(key, 3) if len(si) else np.zeros(0, dtype=bool)
    si, ki = si[keep], ki[keep]
    return _OSRows(cand, si, ki, anchor_s[si])


@_gc_paused
def os_configurations(interp: Interpretation = DEFAULT, facts: pd.DataFrame | None = None) -> pd.DataFrame:
    """Every OS configuration (pre-6-month order, at risk at 6 months, no-HSCT embedding) as a table."""
    sf = survival_facts(facts)
    return pd.DataFrame(list(_os_configs_cached(sf, interp.followup_method, interp.early_death, interp.estimator)))


# --------------------------------------------------------------------------- RFS configurations

def _rfs_size_range(sf: SurvivalFacts, population: str) -> tuple[int, int]:
    if population == "crc_c1":
        return sf.n_crc, sf.n_crc
    if population == "hsct_comparison":
        return sf.n_hsct + sf.n_nohsct, sf.n_hsct + sf.n_nohsct
    return sf.n_crc, sf.n_crc + min(sf.n_two_cycles, sf.n - sf.n_crc - 1)


@lru_cache(maxsize=16)
def _rfs_configs_cached(sf: SurvivalFacts, population: str, estimator: str) -> tuple[dict, ...]:
    n_h, n_n = sf.n_hsct, sf.n_nohsct
    lo_n, hi_n = _rfs_size_range(sf, population)
    nstrings = _group_strings(sf.nohsct_rfs_6m, n_n, sf.decimals[5], estimator)
    out = []
    for n_r in range(lo_n, hi_n + 1):
        others = n_r - n_h - n_n  # the 17th CRc patient and/or patients converted after cycle 2
        for s, r6 in _group_strings(sf.rfs_6m, n_r, sf.decimals[1], estimator):
            events = s.count("D")
            for ns, n6 in nstrings:
                if n6 > r6 - 1:
                    continue
                if _subsequence_slots(ns, s) is None:
                    continue
                en = ns.count("D")
                other_events = events - en
                if other_events < 0 or other_events > others:
                    continue
                nonn_c = (len(s) - events) - (len(ns) - en)
                h_lo, h_hi = max(1, n_h - nonn_c), min(n_h, r6 - n6)
                if h_lo > h_hi:
                    continue
                out.append(dict(n_r=n_r, s=s, r6=r6, events=events, ns=ns, n6=n6, en=en,
                                other_events=other_events, others=others, nonn_c=nonn_c, h_lo=h_lo, h_hi=h_hi))
    return tuple(out)


@_gc_paused
def rfs_configurations(interp: Interpretation = DEFAULT, facts: pd.DataFrame | None = None) -> pd.DataFrame:
    """Every RFS configuration (pre-6-month order, at risk at 6 months, no-HSCT embedding) as a table."""
    sf = survival_facts(facts)
    return pd.DataFrame(list(_rfs_configs_cached(sf, interp.rfs_population, interp.estimator)))


# --------------------------------------------------------------------------- joining OS and RFS

def _joint(o: dict, r: dict, population: str, n_h: int) -> list[dict]:
    """All joint choices (h6, h6r, L states) for one OS and one RFS configuration; [] if incompatible."""
    if o["dn"] > r["en"] or r["n6"] > o["n6"]:
        return []
    res = []
    for h6 in range(o["h_lo"], o["h_hi"] + 1):
        for h6r in range(r["h_lo"], min(r["h_hi"], h6) + 1):
            others_c = r["nonn_c"] - (n_h - h6r)        # RFS censorings before 6 months left for others
            others_a = r["r6"] - r["n6"] - h6r           # RFS at risk at 6 months left for others
            if others_c < 0 or others_a < 0:
                continue
            # the 17th CRc patient (L) in OS: D (died < 6 mo), C (censored < 6 mo), A (at risk at 6 mo)
            l_os_options = [st for st in o["l_states"]
                            if not (st == "C" and o["nonn_c"] - (n_h - h6) < 1)
                            and not (st == "A" and o["r6"] - o["n6"] - h6 < 1)]
            if not o["l_states"]:
                l_os_options = [None]
            l_in_rfs = population in ("crc_c1", "crc_any")
            extras = r["others"] - (1 if l_in_rfs else 0)
            x_post6 = o["r6"] - o["n6"] - h6  # OS at-risk slots for non-N non-H patients (L + non-CRc)
            for l_os in l_os_options:
                if l_in_rfs:
                    l_rfs_opts = [st for st, ok in (("E", r["other_events"] >= 1), ("C", others_c >= 1),
                                                    ("A", others_a >= 1)) if ok]
                else:
                    l_rfs_opts = [None]
                for l_rfs in l_rfs_opts:
                    if l_os == "D" and l_rfs not in ("E", None):
                        continue
                    if l_rfs == "A" and l_os != "A":
                        continue
                    ext_a = others_a - (l_rfs == "A")
                    ext_e = r["other_events"] - (l_rfs == "E")
                    ext_c = others_c - (l_rfs == "C")
                    if min(ext_a, ext_e, ext_c) < 0 or ext_a + ext_e + ext_c != extras:
                        continue
                    # converted patients at risk in RFS at 6 months are at risk in OS too (non-CRc slots)
                    if ext_a > x_post6 - (l_os == "A"):
                        continue
                    # deaths in remission before 6 months: patients with an RFS event who die in OS
                    dir_n = o["dn"] + min(o["n6"] - r["n6"], r["en"] - o["dn"])
                    dir_l = int(l_rfs == "E" and l_os in ("D", "A"))
                    res.append(dict(h6=h6, h6r=h6r, l_os=l_os, l_rfs=l_rfs, extras=extras, ext_a=ext_a,
                                    ext_e=ext_e, ext_c=ext_c, dir_max=dir_n + dir_l))
    return res


def _rfs_options(r: dict, population: str, n_h: int) -> tuple[int, list[tuple[int, list[tuple]]]]:
    """The part of :func:`_joint` that depends on the RFS configuration alone: ``extras`` and, for each HSCT
    RFS at-risk count ``h6r`` (in order) that leaves no negative count, the 17th CRc patient's RFS states
    ``(l_rfs, ext_a, ext_e, ext_c)`` (in the order E, C, A) that pass the RFS-only rules. Cached per RFS key."""
    key = (population, n_h, r["en"], r["n6"], r["h_lo"], r["h_hi"], r["nonn_c"], r["r6"], r["others"],
           r["other_events"])
    got = _RFS_OPTIONS.get(key)
    if got is not None:
        return got
    r_nonn_c, r_r6, r_n6, oe = r["nonn_c"], r["r6"], r["n6"], r["other_events"]
    l_in = population in ("crc_c1", "crc_any")
    extras = r["others"] - (1 if l_in else 0)
    per_h6r = []
    for h6r in range(r["h_lo"], r["h_hi"] + 1):
        others_c = r_nonn_c - (n_h - h6r)
        others_a = r_r6 - r_n6 - h6r
        if others_c < 0 or others_a < 0:
            continue
        if l_in:
            l_rfs_opts = [st for st, ok in (("E", oe >= 1), ("C", others_c >= 1), ("A", others_a >= 1)) if ok]
        else:
            l_rfs_opts = [None]
        opts = []
        for l_rfs in l_rfs_opts:
            ext_a = others_a - (l_rfs == "A")
            ext_e = oe - (l_rfs == "E")
            ext_c = others_c - (l_rfs == "C")
            if min(ext_a, ext_e, ext_c) < 0 or ext_a + ext_e + ext_c != extras:
                continue
            opts.append((l_rfs, ext_a, ext_e, ext_c))
        if opts:
            per_h6r.append((h6r, opts))
    got = _RFS_OPTIONS[key] = (extras, per_h6r)
    return got


_RFS_OPTIONS: dict = {}


def _joint_valid(o: dict, r: dict, population: str, n_h: int, h6_values) -> "Iterator[tuple]":
    """The valid joint choices of :func:`_joint`, in its order, for the HSCT at-risk counts ``h6_values``, as
    light tuples ``(h6, h6r, l_os, l_rfs, extras, ext_a, ext_e, ext_c, dir_l)``. The same rules as
    :func:`_joint`, with the rules on the RFS configuration alone evaluated once (:func:`_rfs_options`) and
    the loop invariants hoisted (speed; tests/test_bounds.py checks the two agree on every pair the searches
    meet)."""
    o_n6, o_r6, o_nonn_c, l_states = o["n6"], o["r6"], o["nonn_c"], o["l_states"]
    extras, per_h6r = _rfs_options(r, population, n_h)
    if not per_h6r:
        return
    for h6 in h6_values:
        x_post6 = o_r6 - o_n6 - h6
        if l_states:
            l_os_options = [st for st in l_states
                            if not (st == "C" and o_nonn_c - (n_h - h6) < 1) and not (st == "A" and x_post6 < 1)]
            if not l_os_options:
                continue
        else:
            l_os_options = [None]
        for h6r, opts in per_h6r:
            if h6r > h6:
                break
            for l_os in l_os_options:
                for l_rfs, ext_a, ext_e, ext_c in opts:
                    if l_os == "D" and l_rfs not in ("E", None):
                        continue
                    if l_rfs == "A" and l_os != "A":
                        continue
                    if ext_a > x_post6 - (l_os == "A"):
                        continue
                    yield (h6, h6r, l_os, l_rfs, extras, ext_a, ext_e, ext_c,
                           int(l_rfs == "E" and l_os in ("D", "A")))


def _joint_dict(t: tuple, dir_n: int) -> dict:
    h6, h6r, l_os, l_rfs, extras, ext_a, ext_e, ext_c, dir_l = t
    return dict(h6=h6, h6r=h6r, l_os=l_os, l_rfs=l_rfs, extras=extras, ext_a=ext_a, ext_e=ext_e, ext_c=ext_c,
                dir_max=dir_n + dir_l)


def _joint_core(o: dict, r: dict, population: str, n_h: int) -> tuple[tuple, tuple, tuple] | None:
    """``(first, first with dir_l, first of the largest h6)`` as :func:`_joint_valid` tuples, or None when
    there is no valid joint choice. Depends on the OS configuration only through ``(h_lo, h_hi, r6 − n6,
    nonn_c, l_states)`` (what :func:`_joint_valid` reads), which the search uses as a cache key."""
    lo, hi = o["h_lo"], o["h_hi"]
    gen = _joint_valid(o, r, population, n_h, range(lo, hi + 1))
    first = next(gen, None)
    if first is None:
        return None
    t_dir = first if first[8] else next((t for t in gen if t[8]), first)
    t_h = first
    for h6 in range(hi, first[0], -1):
        t = next(_joint_valid(o, r, population, n_h, (h6,)), None)
        if t is not None:
            t_h = t
            break
    return first, t_dir, t_h


def _joint_summary(o: dict, r: dict, population: str, n_h: int) -> tuple[dict, dict, dict] | None:
    """What the search takes from ``js = _joint(o, r, population, n_h)``: ``(js[0], the first with the most
    deaths in remission, the first with the most HSCT patients at risk)``, or None when ``js`` is empty.

    Equal to ``(js[0], max(js, key=dir_max), max(js, key=h6))`` (``max`` keeps the first maximum) without
    listing every joint choice: the first choice ends the scan; the most deaths in remission is the first
    choice with the remission death of the 17th CRc patient (``dir_l``) if there is one; the most HSCT at risk
    is the first choice of the largest HSCT count that has one (written by hand for speed: the searches ask
    this for every pair of OS and RFS configurations)."""
    if o["dn"] > r["en"] or r["n6"] > o["n6"]:
        return None
    core = _joint_core(o, r, population, n_h)
    if core is None:
        return None
    dir_n = o["dn"] + min(o["n6"] - r["n6"], r["en"] - o["dn"])
    return tuple(_joint_dict(t, dir_n) for t in core)


_JOINT_MEMO: dict = {}  # (population, n_h, RFS key) -> {reduced OS key: _joint_core}; pure function of the keys


# --------------------------------------------------------------------------- quantities and bounds

QUANTITIES: dict[str, str] = {
    "os_deaths_6m": "deaths before 6 months",
    "os_deaths_cutoff": "deaths by the cut-off",
    "os_at_risk_6m": "OS: patients at risk at 6 months",
    "rfs_at_risk_6m": "RFS: patients at risk at 6 months",
    "rfs_events_6m": "RFS events before 6 months",
    "rfs_relapses_6m": "… of which relapses",
    "rfs_dir_6m": "… of which deaths in remission",
    "hsct_deaths_6m": "HSCT group: deaths before 6 months",
    "hsct_deaths_cutoff": "HSCT group: deaths by the cut-off",
    "nohsct_deaths_6m": "no-HSCT group: deaths before 6 months",
    "nohsct_deaths_cutoff": "no-HSCT group: deaths by the cut-off",
    "os_12m_pct": "12-month OS, % (Kaplan–Meier)",
    "median_os_reached": "median OS reached (1 = yes, 0 = no)",
}


def _candidates(o: dict, r: dict, j: dict) -> dict[str, list[tuple[float, dict]]]:
    """For one joint configuration: each quantity's lowest and highest value with the post-6-month
    choices that give it (``post``: 'none' = nobody dies after 6 months, 'all' = every patient at risk at
    6 months dies by the cut-off, 'all_but_last' = all but the longest-followed die before 12 months;
    ``dir``: deaths in remission among the RFS events before 6 months)."""
    km6 = o["km6"] if o["km6"] is not None else float("nan")
    ev = r["events"]
    return {
        "os_deaths_6m": [(o["deaths"], {"post": "none"})] * 2,
        "os_deaths_cutoff": [(o["deaths"], {"post": "none"}), (o["deaths"] + o["r6"], {"post": "all"})],
        "os_at_risk_6m": [(o["r6"], {"post": "none"})] * 2,
        "rfs_at_risk_6m": [(r["r6"], {"post": "none"})] * 2,
        "rfs_events_6m": [(ev, {"post": "none"})] * 2,
        "rfs_relapses_6m": [(ev - j["dir_max"], {"post": "none", "dir": j["dir_max"]}), (ev, {"post": "none", "dir": 0})],
        "rfs_dir_6m": [(0, {"post": "none", "dir": 0}), (j["dir_max"], {"post": "none", "dir": j["dir_max"]})],
        "hsct_deaths_6m": [(0, {"post": "none"})] * 2,
        "hsct_deaths_cutoff": [(0, {"post": "none"}), (j["h6"], {"post": "all"})],
        "nohsct_deaths_6m": [(o["dn"], {"post": "none"})] * 2,
        "nohsct_deaths_cutoff": [(o["dn"], {"post": "none"}), (o["dn"] + o["n6"], {"post": "all"})],
        "os_12m_pct": [(100 * km6 / o["r6"], {"post": "all_but_last"}), (100 * km6, {"post": "none"})],
        "median_os_reached": [(0, {"post": "none"}), (1, {"post": "all"})],
    }


_ALTERNATIVES = 40  # configurations kept per bound, tried in turn until a witness is built

_ALTERNATIVES_DIR = 5000
_DIR = {"rfs_dir_6m", "rfs_relapses_6m"}


def _dir_score(alt) -> tuple:
    """Order in which tied configurations are tried for the relapse/death-in-remission split. A death in
    remission has its RFS event 28–60 days before its OS death, so the witness is easiest to build when the
    deaths in remission are no-HSCT deaths before 6 months of OS (rather than later deaths), early in OS."""
    _, o, r, j, _ = alt
    return (j["dir_max"] - o["dn"], _early_nohsct_deaths(o["ns"], o["s"]), -_death_positions(r["s"]))


@lru_cache(maxsize=None)
def _early_nohsct_deaths(ns: str, s: str) -> int:
    """Sum of the OS positions of the no-HSCT deaths in the embedding (a part of :func:`_dir_score`, cached)."""
    slots = _subsequence_slots(ns, s, 1) or []
    return sum(p for p, ch in zip(slots, ns) if ch == "D")


@lru_cache(maxsize=None)
def _death_positions(s: str) -> int:
    """Sum of the positions of the events in an RFS string (a part of :func:`_dir_score`, cached)."""
    return sum(i for i, ch in enumerate(s) if ch == "D")


_OS_ONLY = {"os_deaths_6m", "os_deaths_cutoff", "os_at_risk_6m", "nohsct_deaths_6m", "nohsct_deaths_cutoff",
            "os_12m_pct", "median_os_reached", "hsct_deaths_6m"}


def _update(best: dict, q: str, cands, o: dict, r: dict, j: dict) -> None:
    (vmin, cmin), (vmax, cmax) = cands
    cap = _ALTERNATIVES_DIR if q in _DIR else _ALTERNATIVES
    lo, hi = best[q]
    if lo is None or vmin < lo[0][0] - 1e-12:
        best[q][0] = [(vmin, o, r, j, cmin)]
    elif len(lo) < cap and abs(vmin - lo[0][0]) <= 1e-12:
        lo.append((vmin, o, r, j, cmin))
    if hi is None or vmax > hi[0][0] + 1e-12:
        best[q][1] = [(vmax, o, r, j, cmax)]
    elif len(hi) < cap and abs(vmax - hi[0][0]) <= 1e-12:
        hi.append((vmax, o, r, j, cmax))


def _search(interp: Interpretation, facts: pd.DataFrame | None):
    if facts is None:
        return _search_default(interp)
    return _search_uncached(interp, facts)


@lru_cache(maxsize=32)
def _search_default(interp: Interpretation):
    return _search_uncached(interp, None)


def _search_uncached(interp: Interpretation, facts: pd.DataFrame | None):
    """Exhaustive search: every OS configuration joined with every RFS configuration and joint choice.

    Returns ``(facts, best, n_os, n_rfs)``; ``best[q] = [min_alternatives, max_alternatives]``, each a list
    of tied ``(value, os_config, rfs_config, joint_choice, post_choice)`` (None when nothing is consistent).
    """
    sf = survival_facts(facts)
    if interp.estimator != "km" and not _naive_possible(sf, interp.estimator):
        return sf, {q: [None, None] for q in QUANTITIES}, 0, 0
    osr = _os_rows(sf, interp.followup_method, interp.early_death, interp.estimator)
    rfs_all = _rfs_configs_cached(sf, interp.rfs_population, interp.estimator)
    # RFS configurations that look the same to the join and to the quantities: keep a few of each
    rfs_seen: dict[tuple, int] = {}
    rfs_c = []
    for r in rfs_all:
        k = (r["en"], r["n6"], r["h_lo"], r["h_hi"], r["nonn_c"], r["r6"], r["other_events"], r["others"], r["events"])
        if rfs_seen.get(k, 0) < 3:
            rfs_seen[k] = rfs_seen.get(k, 0) + 1
            rfs_c.append(r)
    ix = _os_index(sf, interp.followup_method, interp.early_death, interp.estimator)
    entries: dict[str, list] = {q: [] for q in QUANTITIES}   # (vmin, vmax, o, r, j, cmin, cmax)
    feasible: list[tuple[dict, dict, dict]] = []
    none = {"post": "none"}
    first_for_group: dict[int, tuple[dict, dict]] = {}
    reps = ix.reps
    # RFS-side quantities depend on the RFS configuration and, through the joint choices, only on the largest
    # number of deaths in remission and the largest HSCT at-risk count: one pass per RFS configuration.
    # The joint choices depend only on the OS group key and the RFS key (the fields _joint reads), so the
    # pass is computed once per RFS key (memoised across interpretations) and reused by its duplicates.
    group_keys = ix.group_keys
    per_rkey: dict[tuple, tuple] = {}
    jdicts: dict[tuple, dict] = {}

    def jdict(t: tuple, dir_n: int) -> dict:
        """The joint-choice dict of a _joint_valid tuple (one object per value: nothing mutates them)."""
        d = jdicts.get((t, dir_n))
        if d is None:
            d = jdicts[(t, dir_n)] = _joint_dict(t, dir_n)
        return d

    for r in rfs_c:
        ev = r["events"]
        rkey = (r["en"], r["n6"], r["h_lo"], r["h_hi"], r["nonn_c"], r["r6"], r["others"], r["other_events"])
        res = per_rkey.get(rkey)
        if res is None:
            memo = _JOINT_MEMO.setdefault((interp.rfs_population, sf.n_hsct, rkey), {})
            hits = []
            found = None
            dir_best, dir_alts = -1, []
            h_best, h_alt = -1, None
            r_en, r_n6 = r["en"], r["n6"]
            for gi, gkey in enumerate(group_keys):
                dn, n6 = gkey[0], gkey[1]
                if dn > r_en or r_n6 > n6:
                    continue
                red = (gkey[2], gkey[3], gkey[6] - n6, gkey[5], gkey[4])  # h_lo, h_hi, r6 - n6, nonn_c, l_states
                core = memo.get(red, memo)
                if core is memo:
                    core = memo[red] = _joint_core(reps[gi], r, interp.rfs_population, sf.n_hsct)
                if core is None:
                    continue
                t0, td, th = core
                dir_n = dn + min(n6 - r_n6, r_en - dn)
                rep = reps[gi]
                hits.append((gi, t0, dir_n))
                if found is None:
                    found = (rep, jdict(t0, dir_n))
                if dir_n + td[8] > dir_best:
                    dir_best, dir_alts = dir_n + td[8], [(rep, td, dir_n)]
                elif dir_n + td[8] == dir_best and len(dir_alts) < 200:
                    dir_alts.append((rep, td, dir_n))
                if th[0] > h_best:
                    h_best, h_alt = th[0], (rep, th, dir_n)
            dir_alts = [(rep, jdict(t, dn_)) for rep, t, dn_ in dir_alts]
            if h_alt is not None:
                h_alt = (h_alt[0], jdict(h_alt[1], h_alt[2]))
            res = per_rkey[rkey] = (hits, found, dir_best, dir_alts, h_best, h_alt)
            first_r = True
        else:
            first_r = False
        hits, found, dir_best, dir_alts, h_best, h_alt = res
        if first_r:  # a later RFS configuration with the same key finds every group already taken
            for gi, t0, dir_n in hits:
                if gi not in first_for_group:
                    first_for_group[gi] = (r, jdict(t0, dir_n))
        if found is None:
            continue
        rep, j0 = found
        entries["rfs_at_risk_6m"].append((r["r6"], r["r6"], rep, r, j0, none, none))
        entries["rfs_events_6m"].append((ev, ev, rep, r, j0, none, none))
        for rep_d, jd in dir_alts:
            entries["rfs_relapses_6m"].append((ev - dir_best, ev, rep_d, r, jd, {"post": "none", "dir": dir_best},
                                               {"post": "none", "dir": 0}))
            entries["rfs_dir_6m"].append((0, dir_best, rep_d, r, jd, {"post": "none", "dir": 0},
                                          {"post": "none", "dir": dir_best}))
        entries["hsct_deaths_cutoff"].append((0, h_best, h_alt[0], r, h_alt[1], none, {"post": "all"}))
    # the OS-side quantities depend only on (deaths, at risk, no-HSCT deaths, no-HSCT at risk, KM at 6 months):
    # keep a few configurations per such key (alternatives for building the witness), in the order of the
    # feasible groups
    feas_groups = [gi for gi in range(len(reps)) if gi in first_for_group]
    if ix.km6 is not None:
        # numpy (speed): the first 3 configurations of each key, as the loop below would keep them
        pos = (np.concatenate([ix.group_index[gi] for gi in feas_groups]) if feas_groups
               else np.zeros(0, dtype=np.int64))
        gpos = np.repeat(np.array(feas_groups, dtype=np.int64),
                         [len(ix.group_index[gi]) for gi in feas_groups]).astype(np.int64)
        keep = _first_k_per_key(ix.slim_code[pos], 3)
        slim_pos, slim_grp = pos[keep], gpos[keep]
        slim = None
    else:
        for gi in feas_groups:
            r0, j0 = first_for_group[gi]
            feasible.extend((osr.config(i), r0, j0) for i in ix.group_index[gi])
        kept: dict[tuple, int] = {}
        slim = []
        for o, r0, j0 in feasible:
            k = (o["deaths"], o["r6"], o["dn"], o["n6"], o["km6"])
            if kept.get(k, 0) < 3:
                kept[k] = kept.get(k, 0) + 1
                slim.append((o, r0, j0))
    best: dict[str, list] = {}
    if slim is None:
        if len(slim_pos):
            best.update(_os_side_best(ix, osr, slim_pos, slim_grp, first_for_group, none))
    else:  # no KM value (naive estimators): the general path
        for o, r0, j0 in slim:
            km6 = o["km6"] if o["km6"] is not None else float("nan")
            d, r6, dn, n6 = o["deaths"], o["r6"], o["dn"], o["n6"]
            entries["os_deaths_6m"].append((d, d, o, r0, j0, none, none))
            entries["os_deaths_cutoff"].append((d, d + r6, o, r0, j0, none, {"post": "all"}))
            entries["os_at_risk_6m"].append((r6, r6, o, r0, j0, none, none))
            entries["hsct_deaths_6m"].append((0, 0, o, r0, j0, none, none))
            entries["nohsct_deaths_6m"].append((dn, dn, o, r0, j0, none, none))
            entries["nohsct_deaths_cutoff"].append((dn, dn + n6, o, r0, j0, none, {"post": "all"}))
            entries["os_12m_pct"].append((100 * km6 / r6, 100 * km6, o, r0, j0, {"post": "all_but_last"}, none))
            entries["median_os_reached"].append((0, 1, o, r0, j0, none, {"post": "all"}))
    for q, es in entries.items():
        if q in best:
            continue
        if not es:
            best[q] = [None, None]
            continue
        cap = _ALTERNATIVES_DIR if q in _DIR else _ALTERNATIVES
        vmin = min(e[0] for e in es)
        vmax = max(e[1] for e in es)
        lo = list(islice(((e[0], e[2], e[3], e[4], e[5]) for e in es if e[0] == vmin), cap))
        hi = list(islice(((e[1], e[2], e[3], e[4], e[6]) for e in es if e[1] == vmax), cap))
        best[q] = [lo, hi]
    return sf, best, len(osr), len(rfs_all)


class _OSIndex:
    """Per OS configuration set (cached): the groups of configurations that look the same to the join (keys
    in order of first appearance, positions, and each group's first configuration) and numpy columns of the
    fields the OS-side quantities use (``km6`` None when the configurations have no KM value)."""

    def __init__(self, osr: _OSRows) -> None:
        gcode = _mixed_radix([osr.dn, osr.n6, osr.h_lo, osr.h_hi, osr.l_code, osr.nonn_c, osr.r6])
        if len(gcode):
            uniq, first, inverse = np.unique(gcode, return_index=True, return_inverse=True)
            inverse = inverse.reshape(-1)
            by_first = np.argsort(first, kind="stable")          # groups in order of first appearance
            rank = np.empty(len(uniq), dtype=np.int64)
            rank[by_first] = np.arange(len(uniq))
            gid = rank[inverse]
            order = np.argsort(gid, kind="stable")
            bounds_ = np.r_[0, np.cumsum(np.bincount(gid, minlength=len(uniq)))]
            self.group_index = [order[bounds_[g]:bounds_[g + 1]] for g in range(len(uniq))]
        else:
            self.group_index = []
        self.reps = [osr.config(int(ix[0])) for ix in self.group_index]
        self.group_keys = [(o["dn"], o["n6"], o["h_lo"], o["h_hi"], o["l_states"], o["nonn_c"], o["r6"])
                           for o in self.reps]
        self.km6 = None
        if len(osr) and osr.cand.km6[int(osr.si[0])] is not None:
            self.d, self.r6, self.dn, self.n6 = osr.deaths, osr.r6, osr.dn, osr.n6
            self.km6 = np.array([osr.cand.km6[i] for i in osr.si.tolist()], dtype=float)
            # one integer per (deaths, r6, dn, n6, km6): equal codes = equal keys (KM values by exact equality)
            _, km_code = np.unique(self.km6, return_inverse=True)
            self.slim_code = _mixed_radix([self.d, self.r6, self.dn, self.n6, km_code.reshape(-1)])


@lru_cache(maxsize=16)
def _os_index(sf: SurvivalFacts, followup_method: str, early_death: str, estimator: str) -> _OSIndex:
    return _OSIndex(_os_rows(sf, followup_method, early_death, estimator))


def _os_side_best(ix: _OSIndex, osr: _OSRows, slim_pos: np.ndarray, slim_grp: np.ndarray,
                  first_for_group: dict, none: dict) -> dict[str, list]:
    """``best`` of the OS-side quantities from the kept OS configurations (positions ``slim_pos`` in
    ``osr``, of groups ``slim_grp``), without one entry per configuration and quantity: the same values and
    the same first ``_ALTERNATIVES`` ties, in the same order, as the general path of :func:`_search_uncached`
    (numpy finds the extremes and the positions of the ties; values are then computed exactly as there, in
    Python, for the few configurations kept)."""
    d, r6, dn, n6, km6 = (ix.d[slim_pos], ix.r6[slim_pos], ix.dn[slim_pos], ix.n6[slim_pos], ix.km6[slim_pos])
    zero, one = np.zeros(len(slim_pos), dtype=int), np.ones(len(slim_pos), dtype=int)
    post_all, but_last = {"post": "all"}, {"post": "all_but_last"}
    # quantity: (lowest value, highest value) as arrays and as Python functions of o, and the post choices
    spec = {
        "os_deaths_6m": (d, d, lambda o: o["deaths"], lambda o: o["deaths"], none, none),
        "os_deaths_cutoff": (d, d + r6, lambda o: o["deaths"], lambda o: o["deaths"] + o["r6"], none, post_all),
        "os_at_risk_6m": (r6, r6, lambda o: o["r6"], lambda o: o["r6"], none, none),
        "hsct_deaths_6m": (zero, zero, lambda o: 0, lambda o: 0, none, none),
        "nohsct_deaths_6m": (dn, dn, lambda o: o["dn"], lambda o: o["dn"], none, none),
        "nohsct_deaths_cutoff": (dn, dn + n6, lambda o: o["dn"], lambda o: o["dn"] + o["n6"], none, post_all),
        "os_12m_pct": (100 * km6 / r6, 100 * km6, lambda o: 100 * o["km6"] / o["r6"], lambda o: 100 * o["km6"],
                       but_last, none),
        "median_os_reached": (zero, one, lambda o: 0, lambda o: 1, none, post_all),
    }

    def alt(i: int, f, c: dict) -> tuple:
        o = osr.config(int(slim_pos[i]))
        r0, j0 = first_for_group[int(slim_grp[i])]
        return (f(o), o, r0, j0, dict(c))

    best = {}
    for q, (alo, ahi, flo, fhi, cmin, cmax) in spec.items():
        lo = [alt(i, flo, cmin) for i in np.flatnonzero(alo == alo.min())[:_ALTERNATIVES]]
        hi = [alt(i, fhi, cmax) for i in np.flatnonzero(ahi == ahi.max())[:_ALTERNATIVES]]
        best[q] = [lo, hi]
    return best


def _naive_possible(sf: SurvivalFacts, estimator: str) -> bool:
    """Whether every printed 6-month figure can come from a naive proportion (GRIM-style, quick)."""
    groups = [(sf.os_6m, sf.n, sf.decimals[0]), (sf.rfs_6m, sf.n_crc, sf.decimals[1]),
              (sf.hsct_os_6m, sf.n_hsct, sf.decimals[2]), (sf.hsct_rfs_6m, sf.n_hsct, sf.decimals[3]),
              (sf.nohsct_os_6m, sf.n_nohsct, sf.decimals[4]), (sf.nohsct_rfs_6m, sf.n_nohsct, sf.decimals[5])]
    f = naive_all_counts if estimator == "naive_all" else naive_followed_counts
    return all(f(p, n, d) for p, n, d in groups)


@_gc_paused
def exact_bounds(interp: Interpretation = DEFAULT, facts: pd.DataFrame | None = None,
                 with_witnesses: bool = True) -> pd.DataFrame:
    """One row per quantity: ``quantity, label, min, max, determined, attained_min, attained_max``.

    ``min``/``max`` are over every configuration consistent with the printed survival figures under
    ``interp``; ``attained_*`` says whether the witness cohort at that bound was built and reproduces every
    figure (:func:`check_witness`). NaN bounds mean no configuration is consistent (the interpretation
    contradicts the abstract). Deterministic.
    """
    if not isinstance(interp, Interpretation):
        raise ValueError(f"interp={interp!r} is not accepted; accepted: a helpers.engine.bounds.Interpretation")
    sf, best, _, _ = _search(interp, facts)
    rows = []
    for q, label in QUANTITIES.items():
        lo, hi = best[q]
        row = dict(quantity=q, label=label, min=np.nan if lo is None else lo[0][0],
                   max=np.nan if hi is None else hi[0][0])
        row["determined"] = bool(lo is not None and abs(row["min"] - row["max"]) < 1e-9)
        if with_witnesses:
            for side, alts in (("min", lo), ("max", hi)):
                row[f"attained_{side}"] = _first_witness(sf, interp, q, alts, facts) is not None
        rows.append(row)
    return pd.DataFrame(rows)


@_gc_paused
def witness_cohort(quantity: str, side: str = "max", interp: Interpretation = DEFAULT,
                   facts: pd.DataFrame | None = None) -> pd.DataFrame:
    """The witness cohort at one bound: one row per patient, in days.

    Columns: ``patient, group`` ("HSCT", "NO HSCT", "CRc, neither group", "not CRc"), ``os_days,
    os_event`` (1 = death), ``in_rfs``, ``rfs_days, rfs_event`` (1 = relapse or death in remission),
    ``rfs_event_type`` ("relapse", "death in remission", ""). Raises ValueError for an unknown quantity
    or side, or when no consistent configuration exists.
    """
    if quantity not in QUANTITIES:
        raise ValueError(f"quantity={quantity!r} is not accepted; accepted: {', '.join(QUANTITIES)}")
    if side not in ("min", "max"):
        raise ValueError(f"side={side!r} is not accepted; accepted: 'min', 'max'")
    sf, best, _, _ = _search(interp, facts)
    alts = best[quantity][0 if side == "min" else 1]
    if alts is None:
        raise ValueError(f"interp={interp!r}: no cohort is consistent with the abstract under this interpretation")
    w = _first_witness(sf, interp, quantity, alts, facts)
    if w is None:
        raise ValueError(f"the witness for {quantity} ({side}) could not be built; the bound is not attained")
    return w


def _first_witness(sf, interp, q, alts, facts):
    """The first configuration among the tied ones whose witness builds and reproduces every figure."""
    if q in _DIR and alts and alts[0][4].get("dir", 0) > 0:
        alts = sorted(alts, key=_dir_score)
    for v, o, r, j, c in alts or []:
        key = (id(o), id(r), tuple(j.items()), tuple(c.items()), interp)
        if facts is not None or key not in _WITNESS_MEMO:  # ids are stable only for the cached default search
            w = _build(sf, interp, o, r, j, c)
            ok = w is not None and bool(check_witness(w, interp, facts)["ok"].all())
            _WITNESS_MEMO[key] = (w, ok, witness_quantities(w) if ok else None)
        w, ok, qs = _WITNESS_MEMO[key]
        if ok and abs(qs[q] - v) < 1e-9:
            return w.copy()
    return None


_WITNESS_MEMO: dict = {}  # configurations are cached objects, so their ids are stable within a process


# --------------------------------------------------------------------------- witness construction

def _os_days(sf: SurvivalFacts, p6: int, anchor: int, n: int) -> list[int]:
    """Strictly increasing days for the pre-6-month positions (anchor = the median's position)."""
    dmin = sf.day_window(sf.followup_min)[0] + 1
    dmed = sf.day_window(sf.followup_median)[0] + 1
    days = [dmin]
    k = anchor - 1  # positions 1..anchor-1 lie strictly between dmin and dmed
    lo_day = max(dmin + 1, sf.cycle_days + 18)
    step = max(1, (dmed - 2 - lo_day) // max(1, k - 1)) if k > 1 else 1
    days += [lo_day + i * step for i in range(k)]
    days.append(dmed)
    m = p6 - anchor - 1
    step2 = max(1, (int(DAY_6M) - 2 - (dmed + 4)) // max(1, m - 1)) if m > 1 else 1
    days += [dmed + 4 + i * step2 for i in range(m)]
    return days


def _build(sf: SurvivalFacts, interp: Interpretation, o: dict, r: dict, j: dict, choice: dict) -> pd.DataFrame | None:
    n, n_h, n_n = sf.n, sf.n_hsct, sf.n_nohsct
    s, r6, p6 = o["s"], o["r6"], len(o["s"])
    days = _os_days(sf, p6, o["anchor"], n)
    if len(days) != p6 or any(b <= a for a, b in zip(days, days[1:])) or days[-1] >= DAY_6M:
        return None
    if days[o["anchor"]] != sf.day_window(sf.followup_median)[0] + 1:
        return None
    # ---- OS labels, pre-6-month positions
    lab = [None] * n
    lab[0] = "X"
    for p in _subsequence_slots(o["ns"], s, 1):
        lab[p] = "N"
    free_c = [i for i in range(1, p6) if lab[i] is None and s[i] == "C"]
    free_d = [i for i in range(1, p6) if lab[i] is None and s[i] == "D"]
    h6 = j["h6"]
    for i in free_c[:n_h - h6]:
        lab[i] = "H"
    free_c = free_c[n_h - h6:]
    has_l = sf.n_crc - n_h - n_n
    if has_l and j["l_os"] == "D":
        lab[free_d.pop(0)] = "L"
    elif has_l and j["l_os"] == "C":
        lab[free_c.pop(0)] = "L"
    for i in free_c + free_d:
        lab[i] = "X"
    # ---- after 6 months: N, H, L at risk, then non-CRc
    post = ["N"] * o["n6"] + ["H"] * h6 + (["L"] if has_l and j["l_os"] == "A" else [])
    post += ["X"] * (r6 - len(post))
    if len(post) != r6:
        return None
    ndie = {"none": 0, "all": r6, "all_but_last": r6 - 1}[choice["post"]]
    dmax = sf.day_window(sf.followup_max)[0] + 1
    post_days, post_event = [], []
    for i in range(r6):
        if i == r6 - 1:
            post_days.append(dmax)
            post_event.append(int(ndie == r6))
        elif i < ndie:
            post_days.append(236 + 6 * i)
            post_event.append(1)
        else:
            post_days.append(400 + 8 * i)
            post_event.append(0)
    # the longest-followed patient should be an at-risk CRc patient only if needed; order as built
    os_rows = [dict(slot=i, label=lab[i], os_days=days[i], os_event=int(s[i] == "D")) for i in range(p6)]
    os_rows += [dict(slot=p6 + i, label=post[i], os_days=post_days[i], os_event=post_event[i]) for i in range(r6)]
    # The cohort is kept as plain columns (lists indexed by row = the DataFrame's RangeIndex) while it is built
    # and becomes a DataFrame only at the end (speed: pandas cell access cost ~10 ms a witness); every step
    # reads and writes the same cells in the same order as the DataFrame version did.
    col = {k: [row[k] for row in os_rows] for k in ("slot", "label", "os_days", "os_event")}
    rows_n = len(os_rows)
    label, os_days_, os_event_ = col["label"], col["os_days"], col["os_event"]
    # ---- RFS: slots of the RFS order, filled by patients compatible with their OS
    sr, r6r = r["s"], r["r6"]
    rslots = [dict(kind="E" if ch == "D" else "C") for ch in sr] + [dict(kind="A") for _ in range(r6r)]
    nslots = set(_subsequence_slots(r["ns"], sr) or [])
    for i, sl in enumerate(rslots):
        sl["grp"] = "N" if (i in nslots or (i >= len(sr) and i < len(sr) + r["n6"])) else None
    # HSCT slots: first (n_h - h6r) censorings not taken by N, and h6r at-risk slots
    h6r = j["h6r"]
    c_free = [i for i in range(len(sr)) if rslots[i]["grp"] is None and sr[i] == "C"]
    for i in c_free[:n_h - h6r]:
        rslots[i]["grp"] = "H"
    a_slots = list(range(len(sr) + r["n6"], len(sr) + r6r))
    for i in a_slots[:h6r]:
        rslots[i]["grp"] = "H"
    rest = [i for i, sl in enumerate(rslots) if sl["grp"] is None]
    l_in = interp.rfs_population in ("crc_c1", "crc_any")
    if l_in and has_l:
        want = {"E": "E", "C": "C", "A": "A"}[j["l_rfs"]]
        pick = [i for i in rest if rslots[i]["kind"] == want]
        if not pick:
            return None
        rslots[pick[0]]["grp"] = "L"
        rest.remove(pick[0])
    for i in rest:
        rslots[i]["grp"] = "E+"  # patients who became CRc after cycle 2 (crc_any)
    # ---- match patients to slots per group
    in_labels = {"H", "N"} | ({"L"} if l_in else set())
    in_rfs = col["in_rfs"] = [lb in in_labels for lb in label]
    rfs_slot = col["rfs_slot"] = [-1] * rows_n
    n_dir = choice.get("dir", 0)
    for grp in ("N", "H", "L"):
        pts = [p for p in range(rows_n) if label[p] == grp] if grp != "L" or l_in else []
        sl = [i for i, x in enumerate(rslots) if x["grp"] == grp]
        if len(pts) != len(sl):
            return None
        dead6 = [p for p in pts if os_event_[p] == 1 and os_days_[p] < DAY_6M]
        cens6 = [p for p in pts if os_event_[p] == 0 and os_days_[p] < DAY_6M]
        atrisk = [p for p in pts if os_days_[p] >= DAY_6M]
        e_sl = [i for i in sl if rslots[i]["kind"] == "E"]
        c_sl = [i for i in sl if rslots[i]["kind"] == "C"]
        a_sl = [i for i in sl if rslots[i]["kind"] == "A"]
        if len(dead6) > len(e_sl) or len(a_sl) > len(atrisk):
            return None
        # event slots: the OS deaths first, then patients still observed at 6 months (who may die in
        # remission later), then patients censored before 6 months; each class is matched in time order
        pool = atrisk[len(a_sl):] + cens6
        e_pat = dead6 + pool[:len(e_sl) - len(dead6)]
        c_pat = pool[len(e_sl) - len(dead6):]
        a_pat = atrisk[:len(a_sl)]
        if len(c_pat) != len(c_sl):
            return None
        assign = {}
        for pats, slots in ((e_pat, e_sl), (c_pat, c_sl), (a_pat, a_sl)):
            assign.update(zip(sorted(pats, key=os_days_.__getitem__), sorted(slots)))
        for p, i in assign.items():
            rfs_slot[p] = i
    # patients converted after cycle 2 (crc_any): non-CRc patients observed long enough
    ext = [i for i, x in enumerate(rslots) if x["grp"] == "E+"]
    if ext:
        cand = [p for p in range(rows_n) if label[p] == "X" and os_days_[p] >= 2 * sf.cycle_days + 30]
        ext_a = [i for i in ext if rslots[i]["kind"] == "A"]
        cand_a = [p for p in cand if os_days_[p] >= DAY_6M]
        cand_o = [p for p in cand if p not in cand_a[:len(ext_a)]]
        if len(cand_a) < len(ext_a) or len(cand_o) < len(ext) - len(ext_a):
            return None
        for p, i in zip(cand_a, ext_a):
            rfs_slot[p] = i
            label[p] = "X+"
        for p, i in zip(cand_o, [i for i in ext if i not in ext_a]):
            rfs_slot[p] = i
            label[p] = "X+"
        for p in range(rows_n):
            if label[p] == "X+":
                in_rfs[p] = True
    # ---- RFS days along the RFS order, each within what the patient's OS allows
    members = sorted((p for p in range(rows_n) if rfs_slot[p] >= 0), key=rfs_slot.__getitem__)  # slots distinct
    if len(members) != len(rslots):
        return None
    # deaths in remission: among event slots before 6 months, patients who die in OS
    dir_set: set[int] = set()
    if n_dir:
        cands = [p for p in members if rslots[rfs_slot[p]]["kind"] == "E" and os_event_[p] == 1]
        cands += [p for p in members if rslots[rfs_slot[p]]["kind"] == "E"
                  and os_event_[p] == 0 and os_days_[p] >= DAY_6M]
        dir_set = set(cands[:n_dir])
        if len(dir_set) < n_dir:
            return None
    prev = 0
    rfs_days, rfs_event, rfs_type = {}, {}, {}
    for p in members:
        kind = rslots[rfs_slot[p]]["kind"]
        start = sf.cycle_days + (1 if p in dir_set else 0)
        if kind == "A":
            day = max(prev + 1, int(np.ceil(DAY_6M)))
            hi = os_days_[p] - sf.cycle_days
        else:
            day = prev + 1
            hi = min(os_days_[p] - sf.cycle_days, int(np.floor(DAY_6M)))
        if p in dir_set:
            if os_event_[p] == 0:
                # alive and at risk at 6 months in OS: make the death in remission happen after 6 months of OS
                death = max(int(np.ceil(DAY_6M)) + 1, day + sf.cycle_days)
                if death - sf.cycle_days > hi or death >= 400:
                    return None
                day = death - sf.cycle_days
                os_days_[p], os_event_[p] = death, 1
            else:
                day = max(day, os_days_[p] - 60)
                if os_days_[p] - day < sf.cycle_days:
                    return None
        if day > hi:
            return None
        prev = day
        rfs_days[p] = day
        rfs_event[p] = int(kind == "E" or (kind == "A" and os_event_[p] == 1))
        rfs_type[p] = ("death in remission" if p in dir_set else "relapse") if rfs_event[p] else ""
        if kind == "A" and os_event_[p] == 1:
            rfs_days[p] = day  # relapse after 6 months, before the death
    if sorted(rfs_days.values()) != [rfs_days[p] for p in members]:
        return None
    names = {"H": "HSCT", "N": "NO HSCT", "L": "CRc, neither group", "X": "not CRc", "X+": "CRc after cycle 2"}
    # rows sorted by (os_days, slot); RFS columns as pandas made them from {patient: value} reindexed to every
    # patient: float64 with NaN for patients outside the RFS population (int64 if there are none), "" types
    order = sorted(range(rows_n), key=lambda p: (os_days_[p], col["slot"][p]))
    everyone = len(rfs_days) == rows_n

    def rfs_col(values: dict) -> np.ndarray:
        if everyone:
            return np.array([values[p] for p in order], dtype=np.int64)
        return np.array([values[p] if p in values else np.nan for p in order], dtype=float)

    return pd.DataFrame({
        "patient": [f"W{i + 1:02d}" for i in range(rows_n)],
        "group": [names.get(label[p], np.nan) for p in order],
        "os_days": np.array([os_days_[p] for p in order], dtype=np.int64),
        "os_event": np.array([os_event_[p] for p in order], dtype=np.int64),
        "in_rfs": np.array([in_rfs[p] for p in order], dtype=bool),
        "rfs_days": rfs_col(rfs_days),
        "rfs_event": rfs_col(rfs_event),
        "rfs_event_type": [rfs_type.get(p, "") for p in order],
    })


# --------------------------------------------------------------------------- checking a witness

def _estimate(times, events, estimator: str) -> float:
    t, e = np.asarray(times, float), np.asarray(events, int)
    if estimator == "km":
        return 100 * km_at(t, e, DAY_6M)
    dead = int(((t < DAY_6M) & (e == 1)).sum())
    alive = int((t >= DAY_6M).sum())
    if estimator == "naive_all":
        return 100 * alive / len(t)
    return 100 * alive / (alive + dead) if alive + dead else float("nan")


def check_witness(cohort: pd.DataFrame, interp: Interpretation = DEFAULT,
                  facts: pd.DataFrame | None = None) -> pd.DataFrame:
    """Every survival figure of the abstract re-derived from a witness cohort, and every model rule checked.

    Columns: ``check, reported, rederived, ok``. Figures use :func:`helpers.engine.derive.km_at` and
    :mod:`helpers.survival` (the engine's own functions); rules are the per-patient OS ↔ RFS links.
    """
    from helpers.survival import followup_median_observed, reverse_km_median
    sf = survival_facts(facts)
    need = ["group", "os_days", "os_event", "in_rfs", "rfs_days", "rfs_event", "rfs_event_type"]
    missing = [c for c in need if c not in cohort.columns]
    if missing:
        raise ValueError(f"cohort is missing column(s) {missing}; expected the output of witness_cohort()")
    rows = []

    def fig(name, reported, value, decimals):
        rows.append(dict(check=name, reported=reported, rederived=value,
                         ok=bool(np.isfinite(value) and round_half_up(value, decimals) == reported)))

    def rule(name, ok, detail=""):
        rows.append(dict(check=name, reported="rule", rederived=detail, ok=bool(ok)))

    # plain arrays (speed: pandas boolean indexing cost ~10 ms a witness); every figure and rule is computed
    # from the same values, in the same order, with the same functions as on the DataFrame
    a = _witness_arrays(cohort)
    grp_, osd, ose, inr, rfd, rfe, rft = a
    est = interp.estimator
    fig("6-month OS, %", sf.os_6m, _estimate(osd, ose, est), sf.decimals[0])
    fig("6-month RFS, %", sf.rfs_6m, _estimate(rfd[inr], rfe[inr], est), sf.decimals[1])
    for grp, os_v, rfs_v, d_os, d_rfs in (("HSCT", sf.hsct_os_6m, sf.hsct_rfs_6m, 2, 3),
                                          ("NO HSCT", sf.nohsct_os_6m, sf.nohsct_rfs_6m, 4, 5)):
        g = grp_ == grp
        fig(f"{grp}: 6-month OS, %", os_v, _estimate(osd[g], ose[g], est), sf.decimals[d_os])
        fig(f"{grp}: 6-month RFS, %", rfs_v, _estimate(rfd[g], rfe[g], est), sf.decimals[d_rfs])
        rule(f"{grp}: someone observed at 6 months (OS and RFS)",
             (osd[g] >= DAY_6M).any() and (rfd[g] >= DAY_6M).any())
    months = osd / DAYS_PER_MONTH
    med = (followup_median_observed(months) if interp.followup_method == "observed"
           else reverse_km_median(months, 1 - ose))
    fig("median follow-up, months", sf.followup_median, med, 1)
    fig("shortest follow-up, months", sf.followup_min, float(months.min()), 1)
    fig("longest follow-up, months", sf.followup_max, float(months.max()), 1)
    rule("patients", len(osd) == sf.n, f"{len(osd)}")
    rule("group sizes 6 HSCT / 10 no-HSCT",
         int((grp_ == "HSCT").sum()) == sf.n_hsct and int((grp_ == "NO HSCT").sum()) == sf.n_nohsct)
    crc = np.isin(grp_, ["HSCT", "NO HSCT", "CRc, neither group"])
    rule("CRc after cycle 1", int(crc.sum()) == sf.n_crc, f"{int(crc.sum())}")
    first = int(np.argmin(osd))  # the first row with the shortest time, as idxmin
    rule("shortest-followed patient is not CRc", grp_[first] in ("not CRc",))
    if interp.early_death == "counted":
        rule("shortest-followed patient is the early death", ose[first] == 1)
    lo_n, hi_n = _rfs_size_range(sf, interp.rfs_population)
    n_rfs = int(inr.sum())
    rule("RFS population size", lo_n <= n_rfs <= hi_n, f"{n_rfs}")
    gap = osd[inr] - rfd[inr]
    rule("RFS ends at least one cycle after entry, before the end of OS", bool((gap >= sf.cycle_days).all()))
    rule("every CRc death has an RFS event", not ((ose[inr] == 1) & (rfe[inr] == 0)).any())
    d = inr & (rft == "death in remission")
    dgap = osd[d] - rfd[d]
    rule("death in remission is an OS death within 60 days of the RFS clock's start",
         bool((ose[d] == 1).all() and ((dgap >= sf.cycle_days) & (dgap <= 60)).all()))
    return pd.DataFrame(rows)


def witness_quantities(cohort: pd.DataFrame) -> dict[str, float]:
    """The quantities of :data:`QUANTITIES` computed directly from a witness cohort."""
    from helpers.survival import km_median
    grp_, osd, ose, inr, rfd, rfe, rft = _witness_arrays(cohort)
    before = osd < DAY_6M
    rb = rfd[inr] < DAY_6M
    ev6 = rb & (rfe[inr] == 1)
    ev6_type = rft[inr][ev6]
    h, nh = grp_ == "HSCT", grp_ == "NO HSCT"
    return {
        "os_deaths_6m": int((before & (ose == 1)).sum()),
        "os_deaths_cutoff": int(ose.sum()),
        "os_at_risk_6m": int((~before).sum()),
        "rfs_at_risk_6m": int((~rb).sum()),
        "rfs_events_6m": int(ev6.sum()),
        "rfs_relapses_6m": int((ev6_type == "relapse").sum()),
        "rfs_dir_6m": int((ev6_type == "death in remission").sum()),
        "hsct_deaths_6m": int(((osd[h] < DAY_6M) & (ose[h] == 1)).sum()),
        "hsct_deaths_cutoff": int(ose[h].sum()),
        "nohsct_deaths_6m": int(((osd[nh] < DAY_6M) & (ose[nh] == 1)).sum()),
        "nohsct_deaths_cutoff": int(ose[nh].sum()),
        "os_12m_pct": 100 * km_at(osd, ose, DAY_12M),
        "median_os_reached": int(np.isfinite(km_median(osd, 1 - ose))),
    }


def _witness_arrays(cohort: pd.DataFrame) -> tuple[np.ndarray, ...]:
    """The witness columns as numpy arrays: group, os_days, os_event, in_rfs (bool), rfs_days, rfs_event,
    rfs_event_type (the values of the DataFrame, in its row order)."""
    return (cohort["group"].to_numpy(dtype=object), cohort["os_days"].to_numpy(dtype=float),
            cohort["os_event"].to_numpy(), cohort["in_rfs"].to_numpy(dtype=bool),
            cohort["rfs_days"].to_numpy(dtype=float), cohort["rfs_event"].to_numpy(dtype=float),
            cohort["rfs_event_type"].to_numpy(dtype=object))


# --------------------------------------------------------------------------- interpretation × bound

# RFS populations of 17 to 24 patients: about 1.5 s of CPU (30 s before issue 16), four times the rest of the table
SLOW_CHOICES = {("rfs_population", "crc_any")}


def _fmt_bound(x: float) -> str:
    """A count as an integer, a percentage at the abstract's one decimal (71.449… prints as 71.4, as printed)."""
    return f"{int(round(x))}" if abs(x - round(x)) < 1e-9 else f"{x:.1f}"


@_gc_paused
def interpretation_table(quantities: list[str] | None = None, facts: pd.DataFrame | None = None,
                         with_witnesses: bool = False, include_slow: bool = False) -> pd.DataFrame:
    """How each bound moves when one interpretation changes (the others at their defaults).

    One row per interpretation (the default first, then each alternative of each parameter), one column
    per quantity holding "min–max" (or the value when determined; "none consistent" when no cohort fits).
    ``include_slow`` adds the alternatives of :data:`SLOW_CHOICES` (about 1.5 s more).
    """
    quantities = list(QUANTITIES) if quantities is None else list(quantities)
    bad = [q for q in quantities if q not in QUANTITIES]
    if bad:
        raise ValueError(f"quantities={bad!r} are not accepted; accepted: {', '.join(QUANTITIES)}")
    variants = [("default", DEFAULT)]
    for name, options in CHOICES.items():
        for opt in options:
            if opt != getattr(DEFAULT, name) and (include_slow or (name, opt) not in SLOW_CHOICES):
                variants.append((f"{name} = {opt}", replace(DEFAULT, **{name: opt})))
    rows = []
    for label, interp in variants:
        b = exact_bounds(interp, facts, with_witnesses=with_witnesses).set_index("quantity")
        row = {"interpretation": label,
               "reading": "project's reading" if label == "default"
               else CHOICE_TEXT[label.split(" = ")[0]][label.split(" = ")[1]]}
        for q in quantities:
            lo, hi = b.at[q, "min"], b.at[q, "max"]
            if not np.isfinite(lo):
                row[q] = "none consistent"
            elif abs(lo - hi) < 1e-9:
                row[q] = _fmt_bound(lo)
            else:
                row[q] = f"{_fmt_bound(lo)}–{_fmt_bound(hi)}"
        rows.append(row)
    return pd.DataFrame(rows)
