"""KM-GRIM: every Kaplan–Meier step sequence that reproduces a printed survival percentage.

GRIM (Brown & Heathers, Soc Psychol Personal Sci 2017;8:363) lists the counts k behind a printed
percentage of n. A Kaplan–Meier estimate is not k/n once someone is censored, but it is still a product
of fractions fixed by the data: at each distinct event time with r patients at risk and d events, the
curve is multiplied by (r − d)/r. :func:`km_grim` lists every such sequence of (at risk, events) steps
whose product, rounded half up like the abstract, gives the printed value — the same question GRIM asks
of k/n, asked of a KM estimate.

Canonical form. Two event times with nobody censored between them multiply to the same value as one
time with both events ((r − a)/r · (r − a − b)/(r − a) = (r − a − b)/r), so ties and near-ties cannot be
told apart from the estimate. A sequence is therefore listed once, with at least one patient censored
between consecutive steps: r₁ ≤ n and r_{j+1} ≤ r_j − d_j − 1. ``n − r₁`` patients were censored before
the first event. After the last step ``r_J − d_J`` patients remain; at least ``min_at_risk_after`` of them
(default 1: someone was still observed at the time point, otherwise the estimate there is undefined) are
at risk at the time point.

Every result here is **trial** provenance: it uses only the printed percentage, its rounding and n.

Speed: the search is a depth-first enumeration with integer arithmetic and pruning (the product only
falls), written by hand because no library enumerates KM step sequences; results are cached.
"""
from __future__ import annotations

from fractions import Fraction
from functools import lru_cache

import pandas as pd

__all__ = ["rounding_window", "km_grim_sequences", "km_grim", "km_value", "pre_timepoint_string",
           "steps_from_string",
           "naive_all_counts", "naive_followed_counts", "estimator_compatibility", "ESTIMATORS"]

ESTIMATORS = ("km", "naive_all", "naive_followed")

Step = tuple[int, int]


def _check_int(name: str, value: object, minimum: int, maximum: int | None = None) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum or (
            maximum is not None and value > maximum):
        upper = f" and <= {maximum}" if maximum is not None else ""
        raise ValueError(f"{name}={value!r} is not accepted; accepted: a whole number >= {minimum}{upper}")
    return value


def rounding_window(percent: float, decimals: int) -> tuple[Fraction, Fraction, bool]:
    """The proportions that print as ``percent`` (rounded half up at ``decimals`` places).

    Returns ``(lo, hi, hi_inclusive)`` as exact fractions of 1: a proportion p prints as ``percent`` iff
    ``lo <= p < hi`` (or ``p <= hi`` when ``hi_inclusive``, used only for 100 %, where p cannot exceed 1).

    >>> rounding_window(71.4, 1)[:2]
    (Fraction(1427, 2000), Fraction(1429, 2000))
    """
    if isinstance(percent, bool) or not isinstance(percent, (int, float)) or not 0 <= percent <= 100:
        raise ValueError(f"percent={percent!r} is not accepted; accepted: a number from 0 to 100")
    _check_int("decimals", decimals, 0, 6)
    p = Fraction(str(percent))
    half = Fraction(1, 2 * 10 ** decimals)
    lo, hi = (p - half) / 100, (p + half) / 100
    if hi >= 1:
        return max(lo, Fraction(0)), Fraction(1), True
    return max(lo, Fraction(0)), hi, False


def _inside(num: int, den: int, lo: Fraction, hi: Fraction, hi_incl: bool) -> bool:
    if num * lo.denominator < lo.numerator * den:
        return False
    return num * hi.denominator <= hi.numerator * den if hi_incl else num * hi.denominator < hi.numerator * den


@lru_cache(maxsize=256)
def km_grim_sequences(percent: float, n: int, decimals: int = 1,
                      min_at_risk_after: int = 1) -> tuple[tuple[Step, ...], ...]:
    """All canonical step sequences ((r₁, d₁), (r₂, d₂), …) whose KM product prints as ``percent``.

    ``n``: patients in the group; ``decimals``: as printed; ``min_at_risk_after``: patients that must
    remain after the last step (default 1). The empty sequence (no event) is included when ``percent``
    prints as 100. Sorted from the first step's largest risk set down (deterministic).
    """
    _check_int("n", n, 1, 500)
    _check_int("min_at_risk_after", min_at_risk_after, 0, n)
    lo, hi, hi_incl = rounding_window(percent, decimals)
    out: list[tuple[Step, ...]] = []
    flo = float(lo) - 1e-12

    # _inside(num, den, lo, hi, hi_incl) with the window's numerators and denominators read once (speed)
    lo_n, lo_d, hi_n, hi_d = lo.numerator, lo.denominator, hi.numerator, hi.denominator

    def rec(rmax: int, num: int, den: int, steps: tuple[Step, ...]) -> None:
        if steps and num * lo_d >= lo_n * den and (
                num * hi_d <= hi_n * den if hi_incl else num * hi_d < hi_n * den):
            out.append(steps)
        for r in range(rmax, 0, -1):
            if r - 1 < min_at_risk_after:
                break
            if num * (r - 1) / (den * r) < flo:
                break  # one event at a smaller risk set falls even lower
            for d in range(1, r - min_at_risk_after + 1):
                n2, d2 = num * (r - d), den * r
                if n2 / d2 < flo:
                    break
                rec(r - d - 1, n2, d2, steps + ((r, d),))

    if _inside(1, 1, lo, hi, hi_incl):
        out.append(())
    rec(n, 1, 1, ())
    return tuple(out)


def km_value(steps: tuple[Step, ...] | list[Step]) -> Fraction:
    """The exact KM product of a step sequence."""
    # integer products, reduced once at the end: the same Fraction as multiplying Fractions step by step
    num = den = 1
    for r, d in steps:
        num *= r - d
        den *= r
    return Fraction(num, den)


def pre_timepoint_string(steps: tuple[Step, ...], n: int, at_risk: int) -> str:
    """The sorted observations before the time point as a string of 'D' (event) and 'C' (censored).

    ``n − at_risk`` observations end before the time point; the events sit where the steps put them
    (the event of risk set r is the (n − r + 1)-th observation) and every other one is a censoring.
    Raises ValueError if ``at_risk`` is more than the sequence leaves.
    """
    left = steps[-1][0] - steps[-1][1] if steps else n
    if isinstance(at_risk, bool) or not isinstance(at_risk, int) or not 0 <= at_risk <= left:
        raise ValueError(f"at_risk={at_risk!r} is not accepted; accepted: 0..{left} for this sequence")
    s = ["C"] * (n - at_risk)
    for r, d in steps:
        for k in range(d):
            s[n - r + k] = "D"
    return "".join(s)


def steps_from_string(s: str, n: int) -> tuple[Step, ...]:
    """The KM steps (at risk, events) of sorted observations written as 'D'/'C' (the inverse of
    :func:`pre_timepoint_string`): each run of 'D' is one step, at risk = n minus the observations before it."""
    if not isinstance(s, str) or set(s) - {"D", "C"}:
        raise ValueError(f"s={s!r} is not accepted; accepted: a string of 'D' (event) and 'C' (censored)")
    n = _check_int("n", n, max(len(s), 1))
    steps, i = [], 0
    while i < len(s):
        if s[i] == "D":
            j = i
            while j < len(s) and s[j] == "D":
                j += 1
            steps.append((n - i, j - i))
            i = j
        else:
            i += 1
    return tuple(steps)


def naive_all_counts(percent: float, n: int, decimals: int = 1) -> list[int]:
    """Survivor counts k with k/n printing as ``percent`` (a naive proportion over everyone)."""
    _check_int("n", n, 1, 500)
    lo, hi, incl = rounding_window(percent, decimals)
    return [k for k in range(n + 1) if _inside(k, n, lo, hi, incl)]


def naive_followed_counts(percent: float, n: int, decimals: int = 1) -> list[tuple[int, int]]:
    """Pairs (alive at the time point, dead before it) with alive/(alive + dead) printing as ``percent``:
    a naive proportion over the patients whose status at the time point is known (censored excluded)."""
    _check_int("n", n, 1, 500)
    lo, hi, incl = rounding_window(percent, decimals)
    return [(a, m - a) for m in range(1, n + 1) for a in range(m + 1) if _inside(a, m, lo, hi, incl)]


def km_grim(percent: float, n: int, decimals: int = 1, min_at_risk_after: int = 1) -> pd.DataFrame:
    """:func:`km_grim_sequences` as a table, one row per sequence.

    Columns: ``sequence`` (e.g. "11:1 → 9:1" = 1 event with 11 at risk, then 1 with 9), ``steps``,
    ``events``, ``censored_before_first``, ``left_after_last``, ``km`` (exact value as a float),
    ``km_fraction``.
    """
    rows = []
    for steps in km_grim_sequences(percent, n, decimals, min_at_risk_after):
        v = km_value(steps)
        rows.append(dict(sequence=" → ".join(f"{r}:{d}" for r, d in steps) or "no event",
                         steps=steps, events=sum(d for _, d in steps),
                         censored_before_first=n - steps[0][0] if steps else 0,
                         left_after_last=(steps[-1][0] - steps[-1][1]) if steps else n,
                         km=float(v), km_fraction=f"{v.numerator}/{v.denominator}"))
    return pd.DataFrame(rows, columns=["sequence", "steps", "events", "censored_before_first",
                                       "left_after_last", "km", "km_fraction"])


def estimator_compatibility(figures: list[tuple[str, float, int, int]]) -> pd.DataFrame:
    """Which estimators can print each 6-month figure, from its percentage, rounding and group size only.

    ``figures``: ``(fact_id, percent, decimals, n)``. One row per figure with the number of KM step
    sequences (:func:`km_grim_sequences`), the survivor counts a naive proportion over everyone allows
    (:func:`naive_all_counts`), and the (alive, dead) pairs a naive proportion over the patients with known
    status allows (:func:`naive_followed_counts`).
    """
    rows = []
    for fid, pct, dec, n in figures:
        km = km_grim_sequences(pct, n, dec)
        na = naive_all_counts(pct, n, dec)
        nf = naive_followed_counts(pct, n, dec)
        rows.append(dict(fact_id=fid, printed=pct, n=n, km_sequences=len(km),
                         naive_all=", ".join(f"{k}/{n}" for k in na) or "none",
                         naive_followed=", ".join(f"{a}/{a + d}" for a, d in nf[:6]) + (" …" if len(nf) > 6 else "")
                         if nf else "none",
                         km_possible=bool(km), naive_all_possible=bool(na), naive_followed_possible=bool(nf)))
    return pd.DataFrame(rows)
