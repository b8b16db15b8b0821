"""Response analysis for chapter 03: binomial intervals, a one-sample exact test against a
historical rate, Simon's two-stage design and the cycle-1 response table.

References
----------
* Döhner H, et al. Diagnosis and management of AML in adults: 2022 ELN recommendations.
  Blood 2022;140:1345–1377 (response categories).
* Clopper CJ, Pearson ES. Biometrika 1934;26:404–413 (exact interval); Wilson EB.
  J Am Stat Assoc 1927;22:209–212 (score interval). Both computed by scipy, not by hand.
* Simon R. Optimal two-stage designs for phase II clinical trials. Control Clin Trials
  1989;10:1–10.
* Ye L, et al. Ann Hematol 2019, doi 10.1007/s00277-019-03723-w (CLAG at this trial's doses).
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from numbers import Integral

import numpy as np
import pandas as pd
from scipy import stats

from helpers import validate as v
from helpers.engine.derive import CRC_CATEGORIES, ORR_CATEGORIES, response_after_cycle

__all__ = [
    "HISTORICAL_CLAG_CR", "HISTORICAL_CLAG_N", "HISTORICAL_CLAG_SOURCE", "CI_METHODS",
    "RESPONSE_ORDER", "binomial_ci", "ci_table", "exact_test_vs_historical",
    "SimonDesign", "simon_two_stage", "response_table",
]

# External constant chosen BEFORE looking at this trial's result: CLAG (cladribine 5 mg/m²,
# cytarabine 1 g/m², G-CSF) in R/R AML, CR 58% of 36 patients.
HISTORICAL_CLAG_CR: float = 0.58
HISTORICAL_CLAG_N: int = 36
HISTORICAL_CLAG_SOURCE: str = "Ye et al., Ann Hematol 2019, doi 10.1007/s00277-019-03723-w"

CI_METHODS: tuple[str, ...] = ("exact", "wilson")
RESPONSE_ORDER: tuple[str, ...] = ("CR", "CRh", "CRi", "MLFS", "PR", "NR")


def _check_counts(k: object, n: object) -> tuple[int, int]:
    for name, value in (("k", k), ("n", n)):
        if isinstance(value, bool) or not isinstance(value, Integral):
            raise ValueError(f"{name}={value!r} is not accepted; {name} must be a whole number (int)")
    k, n = int(k), int(n)
    if n > 10**7:
        raise ValueError(f"n={n} is not accepted; n (patients) must be at most 10,000,000")
    if n <= 0:
        raise ValueError(f"n={n} is not accepted; n (patients) must be a positive integer")
    if k < 0:
        raise ValueError(f"k={k} is not accepted; k (responders) must be >= 0")
    if k > n:
        raise ValueError(f"k={k} is not accepted with n={n}; need 0 <= k <= n")
    return k, n


def binomial_ci(k: int, n: int, method: str = "exact", confidence: float = 0.95) -> tuple[float, float]:
    """Two-sided confidence interval (proportions, 0–1) for k responders out of n patients.

    method: "exact" (Clopper–Pearson) or "wilson" (score interval), both from
    ``scipy.stats.binomtest(k, n).proportion_ci``. Raises ValueError for impossible counts
    (k < 0, k > n, n <= 0, non-integers), an unknown method or a confidence outside (0, 1).
    """
    k, n = _check_counts(k, n)
    if method not in CI_METHODS:
        raise ValueError(f"method={method!r} is not accepted; accepted: {', '.join(CI_METHODS)}")
    if not (isinstance(confidence, float) and 0.0 < confidence < 1.0):
        raise ValueError(f"confidence={confidence!r} is not accepted; need a float strictly between 0 and 1")
    ci = stats.binomtest(k, n).proportion_ci(confidence_level=confidence, method=method)
    return float(ci.low), float(ci.high)


def ci_table(counts: dict[str, tuple[int, int]], confidence: float = 0.95) -> pd.DataFrame:
    """One row per label: k, n, estimate (%), and both intervals in % (exact and Wilson)."""
    if not isinstance(counts, dict) or not counts:
        raise ValueError(f"counts={counts!r} is not accepted; accepted: a non-empty dict label -> (k, n)")
    for label_, pair in counts.items():
        v.check_str("counts label", label_)
        if not isinstance(pair, tuple) or len(pair) != 2:
            raise ValueError(f"counts[{label_!r}]={pair!r} is not accepted; accepted: a pair (k, n)")
    rows = []
    for label, (k, n) in counts.items():
        ex = binomial_ci(k, n, "exact", confidence)
        wi = binomial_ci(k, n, "wilson", confidence)
        rows.append({"endpoint": label, "k": int(k), "n": int(n), "estimate_pct": 100 * k / n,
                     "exact_low": 100 * ex[0], "exact_high": 100 * ex[1],
                     "wilson_low": 100 * wi[0], "wilson_high": 100 * wi[1]})
    out = pd.DataFrame(rows).set_index("endpoint")
    out["exact_width"] = out["exact_high"] - out["exact_low"]
    out["wilson_width"] = out["wilson_high"] - out["wilson_low"]
    return out


def exact_test_vs_historical(k: int, n: int, p0: float = HISTORICAL_CLAG_CR,
                             alternative: str = "greater") -> float:
    """One-sample exact binomial test p-value of k/n against a fixed rate p0 (0–1).

    This treats p0 as known without error: it ignores that the historical 58% is itself an
    estimate from 36 patients, in another population.
    """
    k, n = _check_counts(k, n)
    v.check_float("p0", p0, 0, 1, lo_open=True, hi_open=True)
    v.check_str("alternative", alternative)
    if not 0.0 < p0 < 1.0:
        raise ValueError(f"p0={p0!r} is not accepted; need 0 < p0 < 1")
    if alternative not in ("greater", "two-sided", "less"):
        raise ValueError(f"alternative={alternative!r} is not accepted; accepted: greater, two-sided, less")
    return float(stats.binomtest(k, n, p0, alternative=alternative).pvalue)


@dataclass(frozen=True)
class SimonDesign:
    """Simon two-stage design: stop after stage 1 if responses <= r1 of n1; at the end the
    regimen is called promising if responses > r of n."""
    kind: str
    r1: int
    n1: int
    r: int
    n: int
    alpha: float      # actual type I error under p0
    power: float      # actual power under p1
    en0: float        # expected sample size under p0
    pet0: float       # probability of early termination under p0


def simon_two_stage(p0: float, p1: float, alpha: float = 0.05, power: float = 0.80,
                    max_n: int = 60) -> dict[str, SimonDesign]:
    """Optimal and minimax Simon (1989) two-stage designs by exhaustive exact-binomial search.

    p0: uninteresting response rate; p1: desirable rate (0 < p0 < p1 < 1); alpha: one-sided
    type I error; power: 1 − type II error; max_n: largest total size searched (keep ≤ ~60 for
    speed). Returns ``{"optimal": ..., "minimax": ...}``. Raises ValueError on bad inputs or if
    no design with n <= max_n meets the constraints.
    """
    for name, value in (("p0", p0), ("p1", p1), ("alpha", alpha), ("power", power)):
        v.check_float(name, value)
    if not (0.0 < p0 < 1.0):
        raise ValueError(f"p0={p0!r} is not accepted; need 0 < p0 < 1")
    if not (p0 < p1 < 1.0):
        raise ValueError(f"p1={p1!r} is not accepted; need p0 < p1 < 1 (p0={p0})")
    if not (0.0 < alpha < 0.5):
        raise ValueError(f"alpha={alpha!r} is not accepted; need 0 < alpha < 0.5")
    if not (0.5 < power < 1.0):
        raise ValueError(f"power={power!r} is not accepted; need 0.5 < power < 1")
    if isinstance(max_n, bool) or not isinstance(max_n, Integral) or not 2 <= max_n <= 200:
        raise ValueError(f"max_n={max_n!r} is not accepted; need an integer between 2 and 200")

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


def response_table(adsl: pd.DataFrame, adrs: pd.DataFrame, cycle: int = 1) -> pd.DataFrame:
    """Best overall response at one cycle's assessment, CSR style: rows CR … NR, then CRc and ORR;
    columns ``n``, ``pct`` and ``n (%)``; the denominator is every patient in ADSL (patients
    without an assessment would appear as "Not assessed")."""
    cycle = v.check_int("cycle", cycle, 1, 2)
    v.check_frame("adsl", adsl, ["USUBJID"])
    v.check_frame("adrs", adrs, ["USUBJID", "PARAMCD", "AVISIT", "AVALC"])
    v.check_unique("adsl", adsl, ["USUBJID"])
    v.check_unique("adrs", adrs, ["USUBJID", "PARAMCD", "AVISIT"])
    v.check_subjects_in("adrs", adrs, adsl)
    if cycle not in (1, 2):
        raise ValueError(f"cycle={cycle!r} is not accepted; accepted: 1, 2")
    n_all = len(adsl)
    if n_all == 0:
        raise ValueError("adsl has no rows: the denominator would be 0")
    resp = response_after_cycle(adrs, cycle).reindex(adsl["USUBJID"]).fillna("Not assessed")
    unknown = sorted(set(resp) - set(RESPONSE_ORDER) - {"Not assessed"})
    if unknown:
        raise ValueError(f"AVALC={unknown} is not accepted; accepted: {', '.join(RESPONSE_ORDER)}")
    counts = resp.value_counts().reindex(list(RESPONSE_ORDER), fill_value=0)
    if (resp == "Not assessed").any():
        counts["Not assessed"] = int((resp == "Not assessed").sum())
    counts["CRc (CR+CRh+CRi)"] = int(resp.isin(CRC_CATEGORIES).sum())
    counts["ORR (CRc+MLFS+PR)"] = int(resp.isin(ORR_CATEGORIES).sum())
    out = pd.DataFrame({"n": counts.astype(int)})
    out["pct"] = (100 * out["n"] / n_all).round(1)
    out[f"n (%) of N={n_all}"] = [f"{k} ({p:.1f})" for k, p in zip(out["n"], out["pct"])]
    out.index.name = "response"
    return out
