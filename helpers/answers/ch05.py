"""Exercises of 05_toxicity: each expected answer is computed from data/ or by the CTCAE v5.0 helpers
(unit-tested against the CTCAE tables)."""
from __future__ import annotations

from helpers.exercises import Exercise
from helpers.engine.facts import load_facts
from helpers.engine.tables import load_all
from helpers.toxicity import ctcae_febrile_neutropenia_grade, ctcae_lab_grade, median_range_with_one_more

#: Exercise 05.1: five findings to grade with CTCAE v5.0 (lower limits of normal: ANC 2.0, platelets 150,
#: haemoglobin 12.0 g/dL).
CTCAE_CASES: dict[str, dict] = {
    "a": dict(description="day 12: neutrophils 0.3×10⁹/L", kind="lab",
              term="Neutrophil count decreased", value=0.3, lln=2.0),
    "b": dict(description="day 14: platelets 30×10⁹/L, no bleeding", kind="lab",
              term="Platelet count decreased", value=30.0, lln=150.0),
    "c": dict(description="day 10: haemoglobin 7.6 g/dL, transfusion given", kind="lab",
              term="Anemia", value=7.6, lln=12.0),
    "d": dict(description="day 9: a single temperature of 38.6 °C with neutrophils 0.4×10⁹/L", kind="fn",
              anc=0.4, temp_c=38.6, sustained_hours=0.0),
    "e": dict(description="day 11: 38.1 °C for 30 minutes, then afebrile, neutrophils 0.2×10⁹/L", kind="fn",
              anc=0.2, temp_c=38.1, sustained_hours=0.5),
}


def _ctcae_grades() -> dict[str, int]:
    out = {}
    for k, c in CTCAE_CASES.items():
        if c["kind"] == "lab":
            out[k] = ctcae_lab_grade(c["term"], c["value"], c["lln"])
        else:
            out[k] = ctcae_febrile_neutropenia_grade(c["anc"], c["temp_c"], c["sustained_hours"])
    return out


def _anc_over_28() -> int:
    return int((load_all()["adsl"]["ANCDUR"].dropna() > 28).sum())


def _median_range_if_missing_is_shortest() -> tuple[float, float]:
    """From the abstract alone: range of the median ANCDUR of 17 if the missing CRc patient's duration were at
    or below the printed minimum."""
    f = load_facts().set_index("fact_id")["value"]
    return median_range_with_one_more(int(f["cytopenia_n"]), float(f["anc_dur_median"]), int(f["anc_dur_min"]),
                                      int(f["anc_dur_max"]), extra="at_or_below_min")


EXERCISES: dict[str, Exercise] = {
    "05.1": Exercise(expected=_ctcae_grades,
                     hint="Neutrophils: <1.5 / <1.0 / <0.5 = grades 2 / 3 / 4; platelets <75 / <50 / <25; "
                          "anemia Hb <10 / <8 g/dL = grades 2 / 3. Febrile neutropenia (grade 3) needs ANC <1.0 "
                          "AND one temperature >38.3 °C or ≥38 °C for more than an hour; otherwise answer 0."),
    "05.2": Exercise(expected=_anc_over_28,
                     hint="Count the non-missing ANCDUR values greater than 28 (days)."),
    "05.3": Exercise(expected=_median_range_if_missing_is_shortest,
                     hint="With the 17th value at the bottom, the median of 17 is the 8th of the 16 sorted values, "
                          "x8. You know x8 + x9 = 2 × the median, x8 ≤ x9 ≤ the maximum and x8 ≥ the minimum. "
                          "Answer (lowest, highest)."),
}
