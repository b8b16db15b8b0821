"""Adverse-event tables for chapter 05, in the clinical-study-report style of the TLG catalog's
AET04 ("adverse events by highest NCI CTCAE grade"): one row per CTCAE term, each patient
counted once per term at his or her worst grade, ADSL as the denominator.

References
----------
* NCI Common Terminology Criteria for Adverse Events (CTCAE) v5.0, 2017 (grades 1–5).
* pharmaverse / NEST TLG catalog, table AET04.
"""
from __future__ import annotations

import math

import pandas as pd

from helpers import validate as v
from helpers.response import binomial_ci

__all__ = ["GRADES", "GRADE_COLUMNS", "worst_grade", "ae_counts", "ae_table",
           "related_grade34", "duration_summary", "median_range_with_one_more", "CTCAE_LAB_THRESHOLDS",
           "ctcae_lab_grade",
           "ctcae_febrile_neutropenia_grade"]

GRADES: tuple[int, ...] = (1, 2, 3, 4, 5)
GRADE_COLUMNS: dict[str, tuple[int, ...]] = {
    "Any grade": GRADES, "Grade 1–2": (1, 2), "Grade 3–4": (3, 4), "Grade 5": (5,),
}


def _validate(adae: pd.DataFrame, adsl: pd.DataFrame) -> None:
    v.check_frame("adae", adae)
    v.check_frame("adsl", adsl, ["USUBJID"])
    v.check_unique("adsl", adsl, ["USUBJID"])
    for col in ("USUBJID", "AEDECOD", "AETOXGR"):
        if col not in adae.columns:
            raise ValueError(f"adae is missing column {col!r}; needed: USUBJID, AEDECOD, AETOXGR")
    if len(adsl) == 0:
        raise ValueError("adsl has no rows: the denominator would be 0")
    bad = sorted({g for g in adae["AETOXGR"].tolist() if pd.isna(g) or g not in GRADES}, key=str)
    if bad:
        raise ValueError(f"AETOXGR={bad} is not accepted; accepted CTCAE grades: {', '.join(map(str, GRADES))}")
    outside = sorted(set(adae["USUBJID"]) - set(adsl["USUBJID"]))
    if outside:
        raise ValueError(f"USUBJID={outside} in adae is not in adsl; every event needs a subject in ADSL")


def worst_grade(adae: pd.DataFrame) -> pd.DataFrame:
    """One row per patient and term: the highest grade recorded (USUBJID, AEDECOD, AETOXGR)."""
    v.check_frame("adae", adae, ["USUBJID", "AEDECOD", "AETOXGR"])
    return (adae.groupby(["USUBJID", "AEDECOD"], as_index=False)["AETOXGR"].max())


def ae_counts(adae: pd.DataFrame, adsl: pd.DataFrame, related_only: bool = False) -> pd.DataFrame:
    """Patients per term (rows) and grade band (columns, see GRADE_COLUMNS), counted once per
    term at their worst grade. Rows sorted by any-grade count (descending), then term."""
    v.check_bool("related_only", related_only)
    _validate(adae, adsl)
    if related_only:
        if "AEREL" not in adae.columns:
            raise ValueError("related_only=True needs column 'AEREL' (Y/N) in adae")
        adae = adae[adae["AEREL"] == "Y"]
    worst = worst_grade(adae)
    out = pd.DataFrame({name: worst[worst["AETOXGR"].isin(g)].groupby("AEDECOD")["USUBJID"].nunique()
                        for name, g in GRADE_COLUMNS.items()}).fillna(0).astype(int)
    out.index.name = "CTCAE term"
    out = out.reset_index().sort_values(["Any grade", "CTCAE term"], ascending=[False, True])
    return out.set_index("CTCAE term")


def ae_table(adae: pd.DataFrame, adsl: pd.DataFrame, related_only: bool = False) -> pd.DataFrame:
    """The AET04-style display: the counts of :func:`ae_counts` as "n (%)" strings, % of all
    patients in ADSL, with a first row "Any adverse event" (patients with ≥1 event)."""
    v.check_bool("related_only", related_only)
    counts = ae_counts(adae, adsl, related_only)
    n_all = len(adsl)
    ev = adae[adae["AEREL"] == "Y"] if related_only else adae
    worst_any = ev.groupby("USUBJID")["AETOXGR"].max()
    top = pd.DataFrame({name: [int(worst_any.isin(g).sum())] for name, g in GRADE_COLUMNS.items()},
                       index=pd.Index(["Any adverse event"], name="CTCAE term"))
    counts = pd.concat([top, counts])
    fmt = counts.apply(lambda col: [f"{k} ({100 * k / n_all:.1f})" if k else "0" for k in col])
    fmt.columns = [f"{c}, n (%)" for c in counts.columns]
    fmt.columns.name = f"N = {n_all}"
    return fmt


def related_grade34(adae: pd.DataFrame, adsl: pd.DataFrame, terms: list[str]) -> pd.DataFrame:
    """Patients with a treatment-related (AEREL = Y) grade 3 or 4 event of each term, with the
    exact (Clopper–Pearson) 95% CI in %, denominator ADSL. Each term must occur in ``adae``
    (exact spelling: a misspelt term would silently count 0)."""
    terms = v.check_str_list("terms", terms, allow_empty=False)
    v.check_frame("adae", adae, ["AEDECOD", "AEREL"])
    v.check_str_list("terms", terms, allowed=set(adae["AEDECOD"]))
    _validate(adae, adsl)
    n_all = len(adsl)
    rel = adae[(adae["AEREL"] == "Y") & adae["AETOXGR"].isin([3, 4])]
    rows = []
    for term in terms:
        k = int(rel.loc[rel["AEDECOD"] == term, "USUBJID"].nunique())
        lo, hi = binomial_ci(k, n_all, "exact")
        rows.append({"CTCAE term": term, "k": k, "n": n_all, "pct": 100 * k / n_all,
                     "exact_low": 100 * lo, "exact_high": 100 * hi})
    return pd.DataFrame(rows).set_index("CTCAE term")


def duration_summary(values: pd.Series) -> dict[str, float]:
    """n, median, min and max of the non-missing values (e.g. days of cytopenia)."""
    if isinstance(values, (str, bytes, dict)) or values is None or pd.api.types.is_scalar(values):
        raise ValueError(f"values={values!r} is not accepted; accepted: a Series or list of numbers >= 0")
    present = pd.Series(values, dtype=object).dropna()
    v.check_float_array("values", present.to_numpy(), lo=0, unit="(e.g. days)", allow_empty=True)
    x = pd.Series(values).dropna().astype(float)
    if x.empty:
        raise ValueError("values has no non-missing entries; need at least one number")
    return {"n": int(len(x)), "median": float(x.median()), "min": float(x.min()), "max": float(x.max())}


EXTRA_POSITIONS: tuple[str, str] = ("at_or_above_max", "at_or_below_min")


def median_range_with_one_more(n: int, median: float, minimum: int, maximum: int,
                               extra: str = "at_or_above_max") -> tuple[float, float]:
    """Smallest and largest possible median of n + 1 whole-number values (e.g. days), knowing only the
    median, minimum and maximum of the first n, when the added value is at or above their maximum
    (``extra="at_or_above_max"``) or at or below their minimum (``"at_or_below_min"``).

    The printed median is read as exact. With x1 <= ... <= xn sorted: for even n = 2k,
    x_k + x_(k+1) = 2 * median, and a value added at the top makes the new median x_(k+1), which lies in
    [median, min(maximum, 2 * median - minimum)] (the top end when x_k sits at the minimum); a value added at
    the bottom makes it x_k, in [max(minimum, 2 * median - maximum), median]. For odd n the new median is the
    mean of x_k = median and its upper (lower) neighbour. Every bound is attained by some sample, so the
    range is exact: it holds for any data with these three summaries.
    """
    if isinstance(n, bool) or not isinstance(n, int) or n < 2:
        raise ValueError(f"n={n!r} is not accepted; expected a whole number of values >= 2")
    if extra not in EXTRA_POSITIONS:
        raise ValueError(f"extra={extra!r} is not accepted; accepted: {', '.join(map(repr, EXTRA_POSITIONS))}")
    for name, x in (("minimum", minimum), ("maximum", maximum)):
        if isinstance(x, bool) or not isinstance(x, (int, float)) or not float(x).is_integer():
            raise ValueError(f"{name}={x!r} is not accepted; expected a whole number (the values are whole numbers)")
    lo, hi = int(minimum), int(maximum)
    if hi < lo:
        raise ValueError(f"maximum={maximum!r} is below minimum={minimum!r}")
    if isinstance(median, bool) or not isinstance(median, (int, float)) or not lo <= median <= hi:
        raise ValueError(f"median={median!r} is not accepted; expected a number from minimum {lo} to maximum {hi}")
    two_m = 2 * float(median)
    if not two_m.is_integer() or (n % 2 == 1 and not float(median).is_integer()):
        raise ValueError(f"median={median!r} is not accepted: the median of {n} whole numbers is "
                         f"{'a whole number' if n % 2 else 'a whole or half number'}")
    if n == 2 and lo + hi != two_m:
        raise ValueError(f"median={median!r} is not accepted: with n=2 it must be (minimum + maximum) / 2")
    m = two_m / 2
    up = extra == "at_or_above_max"
    if n % 2 == 0:
        if n == 2:
            value = float(hi if up else lo)
            return value, value
        if up:
            return float(math.ceil(m)), float(min(hi, two_m - lo))
        return float(max(lo, two_m - hi)), float(math.floor(m))
    if n == 3:  # the neighbour of the middle value is the maximum (minimum) itself
        value = (m + (hi if up else lo)) / 2
        return value, value
    return (m, (m + hi) / 2) if up else ((m + lo) / 2, m)


# --------------------------------------------------------------------------- CTCAE v5.0 grading
#: CTCAE v5.0 grade thresholds for the haematological laboratory terms, in ×10⁹/L (haemoglobin in g/dL).
#: Grade g applies when the value is below the g-th threshold (grade 1 starts below the lower limit of
#: normal, LLN, which the caller supplies). Neutrophil count decreased: <1.5, <1.0, <0.5; platelet count
#: decreased: <75, <50, <25; white blood cell decreased: <3.0, <2.0, <1.0; anemia: Hb <10.0, <8.0 g/dL
#: (anemia has no laboratory grade 4: grade 4 is "life-threatening consequences; urgent intervention
#: indicated").
CTCAE_LAB_THRESHOLDS: dict[str, tuple[float, ...]] = {
    "Neutrophil count decreased": (1.5, 1.0, 0.5),
    "Platelet count decreased": (75.0, 50.0, 25.0),
    "White blood cell decreased": (3.0, 2.0, 1.0),
    "Anemia": (10.0, 8.0),
}


def ctcae_lab_grade(term: str, value: float, lln: float, life_threatening: bool = False) -> int:
    """CTCAE v5.0 grade (0–4) of a haematological laboratory value.

    ``value`` in ×10⁹/L (haemoglobin in g/dL); ``lln`` is the laboratory's lower limit of normal in the same
    unit (grade 1 is "<LLN"). For anemia, grade 4 needs ``life_threatening=True`` (a clinical judgement, not
    a number); otherwise anemia stops at grade 3.
    """
    if term not in CTCAE_LAB_THRESHOLDS:
        raise ValueError(f"term={term!r} is not a term this helper grades; accepted: {list(CTCAE_LAB_THRESHOLDS)}")
    for name, x in (("value", value), ("lln", lln)):
        if isinstance(x, bool) or not isinstance(x, (int, float)) or not x >= 0:
            raise ValueError(f"{name}={x!r} must be a number ≥ 0")
    thresholds = CTCAE_LAB_THRESHOLDS[term]
    if lln <= thresholds[0]:
        raise ValueError(f"lln={lln!r} must be above the grade-2 threshold {thresholds[0]:g} for {term}")
    if value >= lln:
        return 0
    grade = 1 + sum(value < t for t in thresholds)
    if term == "Anemia" and life_threatening:
        return 4
    return grade


def ctcae_febrile_neutropenia_grade(anc: float, temp_c: float, sustained_hours: float = 0.0,
                                    life_threatening: bool = False, died: bool = False) -> int:
    """CTCAE v5.0 febrile neutropenia: grade 3 when ANC < 1.0×10⁹/L with a single temperature > 38.3 °C or
    ≥ 38 °C sustained for more than 1 hour; grade 4 with life-threatening consequences (urgent intervention
    indicated); grade 5 death. Returns 0 when the definition is not met (there is no grade 1 or 2)."""
    for name, x in (("anc", anc), ("temp_c", temp_c), ("sustained_hours", sustained_hours)):
        if isinstance(x, bool) or not isinstance(x, (int, float)) or not x >= 0:
            raise ValueError(f"{name}={x!r} must be a number ≥ 0")
    if not 30 <= temp_c <= 45:
        raise ValueError(f"temp_c={temp_c!r} is outside 30–45 °C: was it given in °F?")
    fever = temp_c > 38.3 or (temp_c >= 38.0 and sustained_hours > 1)
    if not (anc < 1.0 and fever):
        return 0
    return 5 if died else 4 if life_threatening else 3
