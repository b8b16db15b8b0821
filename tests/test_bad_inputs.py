"""Bad input gets a clear error, never a silent wrong number: the helpers' contract.

Every case below calls one public function of ``helpers`` (including ``helpers.engine``) with ONE
bad argument and everything else valid, and asserts that it raises ``ValueError`` and that the
message names the argument (or, for a bad table, the table or column at fault). Each case runs
under a time limit (``CASE_SECONDS``): an algorithm that does not bound its input fails instead of
hanging. The second half are hypothesis properties (random bad values of each kind).
"""
from __future__ import annotations

import math
import signal
from contextlib import contextmanager

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from helpers import cohort, dosing, eln, exercises, provenance, response, style, survival, swimmer, toxicity
from helpers.engine import audit, consistency, derive, ensemble, facts as facts_mod, generator, plausibility, tables
from helpers.paths import DATA_DIR

CASE_SECONDS = 20


@contextmanager
def time_limit(seconds: int = CASE_SECONDS):
    """Fail (TimeoutError) if the block runs longer than ``seconds``: no case may hang."""
    def _raise(signum, frame):
        raise TimeoutError(f"no answer within {seconds} s: the function does not bound its work")
    old = signal.signal(signal.SIGALRM, _raise)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


_TABLES = tables.load_all()
_FACTS = facts_mod.load_facts()


def T() -> dict[str, pd.DataFrame]:
    """A fresh copy of the shipped tables."""
    return {k: v.copy() for k, v in _TABLES.items()}


def F() -> pd.DataFrame:
    return _FACTS.copy()


def adsl():
    return T()["adsl"]


def adrs():
    return T()["adrs"]


def adtte():
    return T()["adtte"]


def adae():
    return T()["adae"]


def muts():
    return T()["mutations"]


def reg():
    return T()["regimen"]


def _set(df, row, col, value):
    df = df.copy()
    if value is not None and not isinstance(value, str) and df[col].dtype == object:
        df[col] = df[col].astype(object)
    elif isinstance(value, str) and df[col].dtype != object:
        df[col] = df[col].astype(object)
    elif isinstance(value, float) and str(df[col].dtype) == "Int64":
        df[col] = df[col].astype(float)
    df.loc[df.index[row], col] = value
    return df


def reg_with(drugkey, **changes):
    df = reg()
    i = int(np.flatnonzero(df["DRUGKEY"] == drugkey)[0])
    for col, value in changes.items():
        df = _set(df, i, col, value)
    return df


def _dup(df, row=0):
    return pd.concat([df, df.iloc[[row]]], ignore_index=True)


def _orphan(df, new="SYN-999"):
    return _set(df, 0, "USUBJID", new)


def _hframe():
    return survival.hsct_frame(adsl(), adtte(), "OS")


# Bad values by kind (each used where an argument of that kind is expected).
NOT_INT = [1.5, "2", None, True, float("nan"), [1], np.float64(1.5)]
NOT_FLOAT = ["1", None, True, float("nan"), float("inf"), [1.0]]
NOT_STR = [None, 1, ["a"], b"x"]
NOT_FRAME = [None, "table", [1, 2], {"USUBJID": ["SYN-001"]}]

CASES: list[tuple[str, object, str]] = []  # (id, zero-argument call, text the message must contain)


def add(case_id, call, expect):
    CASES.append((case_id, call, expect))


def add_many(prefix, make_call, values, expect):
    for v in values:
        add(f"{prefix}[{v!r}]"[:90], (lambda v=v: make_call(v)), expect)


# --------------------------------------------------------------------------- helpers.dosing
add_many("bsa.height_cm", lambda v: dosing.bsa(v, 70), [1.72, 300, -1, float("nan"), float("inf"), "172", None, True,
                                                      [172, 1.72], np.array([[172.0, 1.7]])], "height_cm")
add("bsa.height_in_inches", lambda: dosing.bsa(68, 70), "height_cm")
add("bsa.weight_in_pounds", lambda: dosing.bsa(172, 154), "weight_kg")
add("bsa.weight_in_pounds_array", lambda: dosing.bsa([172, 165], [70, 150]), "weight_kg")
add_many("bsa.weight_kg", lambda v: dosing.bsa(172, v), [0, 500, -70, float("nan"), "70", None, False], "weight_kg")
add_many("bsa.formula", lambda v: dosing.bsa(172, 70, v), ["mosteller", "BSA", None, 1, ["Mosteller"]], "formula")
add("bsa.shape_mismatch", lambda: dosing.bsa([170, 180], [70, 80, 90]), "shape")
add_many("bsa_table.adsl", dosing.bsa_table, NOT_FRAME + [pd.DataFrame(columns=["USUBJID", "HEIGHTCM", "WEIGHTKG",
                                                                                  "BSA"])], "adsl")
add("bsa_table.missing_column", lambda: dosing.bsa_table(adsl().drop(columns=["WEIGHTKG"])), "adsl")
add("bsa_table.duplicate_patient", lambda: dosing.bsa_table(_dup(adsl())), "adsl")
add("bsa_table.height_in_metres", lambda: dosing.bsa_table(_set(adsl(), 0, "HEIGHTCM", 1.72)), "height_cm")
add_many("to_mg.dose", lambda v: dosing.to_mg(v, "mg/m2"), [-18, float("nan"), float("inf"), "18", None, True, [18]],
         "dose")
add_many("to_mg.unit", lambda v: dosing.to_mg(18, v), ["mg/kg", "MG/M2", "mg/m²", None, 1, ["mg"]], "unit")
add_many("dose_mg.drugkey", lambda v: dosing.dose_mg(v, 18, "mg/m2", 1.8), ["LIPOMIT", "doxorubicin", None,
                                                                            ["lipomit"]], "drugkey")
add("dose_mg.cytarabine_g_for_mg", lambda: dosing.dose_mg("cytarabine", 1000, "g/m2", 1.7), "dose")
add("dose_mg.lipomit_g_for_mg", lambda: dosing.dose_mg("lipomit", 18, "g/m2", 1.8), "dose")
add("dose_mg.gcsf_mg_for_ug", lambda: dosing.dose_mg("gcsf", 300, "mg"), "dose")
add("dose_mg.gcsf_per_m2", lambda: dosing.dose_mg("gcsf", 0.96, "mg/m2", 3.5), "unit")
add("dose_mg.gcsf_per_m2_ug", lambda: dosing.dose_mg("gcsf", 300, "g/m2", 1.5), "unit")
add("dose_mg.lipomit_flat_mg", lambda: dosing.dose_mg("lipomit", 18, "mg", 1.8), "unit")
add("dose_mg.cytarabine_flat_g", lambda: dosing.dose_mg("cytarabine", 1, "g", 1.8), "unit")
add_many("dose_mg.dose", lambda v: dosing.dose_mg("lipomit", v, "mg/m2", 1.8),
         [-1, dosing.MAX_DOSE_MG["lipomit"] + 1, float("nan"), "18", None, True], "dose")
add_many("dose_mg.bsa_m2", lambda v: dosing.dose_mg("lipomit", 18, "mg/m2", v), [None, 17, 0, -1, 3.6, float("nan"),
                                                                                 "1.8", True, [1.8]], "bsa_m2")


def _bad_regimens():
    return [
        ("lastday_before_firstday", lambda: reg_with("cladribine", FIRSTDAY=5, LASTDAY=1)),
        ("lipomit_g_per_m2", lambda: reg_with("lipomit", UNIT="g/m2")),
        ("cytarabine_1000_g", lambda: reg_with("cytarabine", DOSE=1000.0)),
        ("gcsf_per_m2", lambda: reg_with("gcsf", UNIT="mg/m2", BASIS="per m2", DOSE=0.96)),
        ("basis_flat_for_mg_m2", lambda: reg_with("lipomit", BASIS="flat")),
        ("negative_dose", lambda: reg_with("lipomit", DOSE=-18.0)),
        ("unknown_drug", lambda: reg_with("lipomit", DRUGKEY="doxorubicin")),
        ("duplicate_drug", lambda: _dup(reg())),
        ("lastday_past_cycle", lambda: reg_with("cytarabine", LASTDAY=40)),
        ("missing_column", lambda: reg().drop(columns=["UNIT"])),
        ("header_only", lambda: reg().iloc[0:0]),
        ("unknown_unit", lambda: reg_with("lipomit", UNIT="mg/kg")),
        ("maxcycles_huge", lambda: reg_with("lipomit", MAXCYCLES=200000)),
    ]


for label_, make in _bad_regimens():
    add(f"regimen_table.{label_}", lambda make=make: dosing.regimen_table(make()), "regimen")
    add(f"schedule.regimen.{label_}", lambda make=make: dosing.schedule(make(), 2), "regimen")
    add(f"patient_doses.regimen.{label_}", lambda make=make: dosing.patient_doses(adsl(), make()), "regimen")
    add(f"cumulative.regimen.{label_}", lambda make=make: dosing.cumulative_mitoxantrone(adsl(), make()), "regimen")
add_many("regimen_table.regimen", dosing.regimen_table, NOT_FRAME, "regimen")
add_many("schedule.n_cycles", lambda v: dosing.schedule(reg(), v), [0, -1, 3, 200000, 1.5, "2", None, True,
                                                                   float("nan")], "n_cycles")
add("patient_doses.stored_bsa_3.4", lambda: dosing.patient_doses(_set(adsl(), 0, "BSA", 3.4), reg()), "BSA")
add("patient_doses.stored_bsa_0.9", lambda: dosing.patient_doses(_set(adsl(), 3, "BSA", 0.9), reg()), "BSA")
add("patient_doses.height_in_metres", lambda: dosing.patient_doses(_set(adsl(), 0, "HEIGHTCM", 1.72), reg()),
    "HEIGHTCM")
add("patient_doses.weight_nan", lambda: dosing.patient_doses(_set(adsl(), 0, "WEIGHTKG", float("nan")), reg()),
    "WEIGHTKG")
add("patient_doses.duplicate_patient", lambda: dosing.patient_doses(_dup(adsl()), reg()), "adsl")
add("patient_doses.bsa_col_missing", lambda: dosing.patient_doses(adsl(), reg(), bsa_col="XYZ"), "XYZ")
add_many("patient_doses.bsa_col", lambda v: dosing.patient_doses(adsl(), reg(), bsa_col=v), [None, 1, ["BSA"]],
         "bsa_col")
add_many("patient_doses.adsl", lambda v: dosing.patient_doses(v, reg()), NOT_FRAME, "adsl")
add("patient_doses.adsl_empty", lambda: dosing.patient_doses(adsl().iloc[0:0], reg()), "adsl")
add_many("dose_summary.doses", dosing.dose_summary, NOT_FRAME, "doses")
add("dose_summary.missing_column", lambda: dosing.dose_summary(
    dosing.patient_doses(adsl(), reg()).drop(columns=["DAYS"])), "doses")
add("dose_summary.negative_dose", lambda: dosing.dose_summary(
    _set(dosing.patient_doses(adsl(), reg()), 0, "PER_DAY_MG", -5.0)), "PER_DAY_MG")
add("dose_summary.empty", lambda: dosing.dose_summary(dosing.patient_doses(adsl(), reg()).iloc[0:0]), "doses")
add_many("formula_dose_spread.adsl", lambda v: dosing.formula_dose_spread(v, reg()), NOT_FRAME, "adsl")
add_many("formula_dose_spread.regimen", lambda v: dosing.formula_dose_spread(adsl(), v), NOT_FRAME, "regimen")
add_many("doxorubicin_equivalent.ratio", lambda v: dosing.doxorubicin_equivalent(36, v),
         [0, -1, float("nan"), "4", None, True, 1000], "ratio")
add_many("doxorubicin_equivalent.mitox_mg_m2", lambda v: dosing.doxorubicin_equivalent(v, 4.0),
         [-1, float("nan"), "10", None, 18000, [10, -1], [10, 18000], True], "mitox_mg_m2")
add_many("cumulative.drugkey", lambda v: dosing.cumulative_mitoxantrone(adsl(), reg(), v),
         ["LIPOMIT", "doxorubicin", None, ["lipomit"]], "drugkey")
add("cumulative.ncycles_huge", lambda: dosing.cumulative_mitoxantrone(_set(adsl(), 0, "NCYCLES", 200000), reg()),
    "NCYCLES")
add("cumulative.ncycles_zero", lambda: dosing.cumulative_mitoxantrone(_set(adsl(), 0, "NCYCLES", 0), reg()),
    "NCYCLES")
add("cumulative.stored_bsa", lambda: dosing.cumulative_mitoxantrone(_set(adsl(), 0, "BSA", 3.4), reg()), "BSA")
add("cumulative.above_label", lambda: dosing.cumulative_mitoxantrone(
    adsl(), reg_with("lipomit", DOSE=25.0, LASTDAY=3, MAXCYCLES=2)), "regimen")

# --------------------------------------------------------------------------- helpers.eln
add_many("classify_eln2022.genes", lambda v: eln.classify_eln2022("normal", v),
         ["TP53", "NPM1", ["tp53"], ["FLT3_ITD"], ["FLT3 ITD"], [1], None, 5, ["TP53", None], [""]], "genes")
add_many("classify_eln2022.cyto", lambda v: eln.classify_eln2022(v, []), ["NORMAL", "t(8,21)", None, ["normal"], 1,
                                                                         ""], "cyto")
add_many("classify_eln2022.cebpa_bzip", lambda v: eln.classify_eln2022("normal", ["CEBPA"], v),
         ["yes", 1, None, "True"], "cebpa_bzip")
add_many("classify_cohort.adsl", lambda v: eln.classify_cohort(v, muts()), NOT_FRAME, "adsl")
add_many("classify_cohort.mutations", lambda v: eln.classify_cohort(adsl(), v), NOT_FRAME, "mutations")
add("classify_cohort.duplicate_patient", lambda: eln.classify_cohort(_dup(adsl()), muts()), "adsl")
add("classify_cohort.orphan_mutation", lambda: eln.classify_cohort(adsl(), _orphan(muts())), "mutations")
add("classify_cohort.lowercase_gene", lambda: eln.classify_cohort(adsl(), _set(muts(), 0, "GENE", "tp53")), "GENE")
add("classify_cohort.underscore_gene", lambda: eln.classify_cohort(adsl(), _set(muts(), 0, "GENE", "FLT3_ITD")),
    "GENE")
add("classify_cohort.variant_nan", lambda: eln.classify_cohort(adsl(), _set(muts(), 0, "VARIANT_CLASS", np.nan)),
    "VARIANT_CLASS")
add("classify_cohort.missing_column", lambda: eln.classify_cohort(adsl().drop(columns=["CYTO"]), muts()), "adsl")

# --------------------------------------------------------------------------- helpers.response
add_many("binomial_ci.k", lambda v: response.binomial_ci(v, 27), [-1, 28, 1.5, "17", None, True, float("nan")], "k")
add_many("binomial_ci.n", lambda v: response.binomial_ci(0, v), [0, -1, 27.5, "27", None, False, 10**13], "n")
add_many("binomial_ci.method", lambda v: response.binomial_ci(17, 27, v), ["Exact", "wald", None, 1, ["exact"]],
         "method")
add_many("binomial_ci.confidence", lambda v: response.binomial_ci(17, 27, "exact", v),
         [95, 0.0, 1.0, "0.95", float("nan"), None, True], "confidence")
add_many("ci_table.counts", lambda v: response.ci_table(v), [None, "CRc", [(17, 27)], {}, {"CRc": 17},
                                                             {"CRc": (17,)}, {"CRc": "17/27"}, {1: (17, 27)}],
         "counts")
add("ci_table.k_above_n", lambda: response.ci_table({"CRc": (28, 27)}), "k")
add("ci_table.n_zero", lambda: response.ci_table({"CRc": (0, 0)}), "n")
add_many("ci_table.confidence", lambda v: response.ci_table({"CRc": (17, 27)}, v), [95, "0.95", None], "confidence")
add_many("exact_test.p0", lambda v: response.exact_test_vs_historical(17, 27, v), [0, 1, "0.58", float("nan"), None,
                                                                                   58, True], "p0")
add_many("exact_test.alternative", lambda v: response.exact_test_vs_historical(17, 27, 0.58, v),
         ["larger", None, 1, ["greater"]], "alternative")
add_many("exact_test.k", lambda v: response.exact_test_vs_historical(v, 27), [-1, 28, 1.5, "17"], "k")
add_many("simon.p0", lambda v: response.simon_two_stage(v, 0.75), ["0.5", None, float("nan"), 0, 1, True], "p0")
add_many("simon.p1", lambda v: response.simon_two_stage(0.5, v), [0.4, 0.5, 1.0, "0.75", None, float("nan")], "p1")
add_many("simon.alpha", lambda v: response.simon_two_stage(0.5, 0.75, v), [0.5, 0, "0.05", None, float("nan")],
         "alpha")
add_many("simon.power", lambda v: response.simon_two_stage(0.5, 0.75, 0.05, v), [0.4, 1, "0.8", None], "power")
add_many("simon.max_n", lambda v: response.simon_two_stage(0.5, 0.75, 0.05, 0.8, v),
         [1000, 10**9, 2.5, "60", None, True, 1], "max_n")
add_many("response_table.cycle", lambda v: response.response_table(adsl(), adrs(), v),
         [1.0, 3, 0, "1", None, True, np.float64(1.0), [1]], "cycle")
add_many("response_table.adsl", lambda v: response.response_table(v, adrs()), NOT_FRAME, "adsl")
add_many("response_table.adrs", lambda v: response.response_table(adsl(), v), NOT_FRAME, "adrs")
add("response_table.adsl_empty", lambda: response.response_table(adsl().iloc[0:0], adrs()), "adsl")
add("response_table.adrs_duplicate", lambda: response.response_table(adsl(), _dup(adrs())), "adrs")
add("response_table.adrs_orphan", lambda: response.response_table(adsl(), _orphan(adrs())), "adrs")
add("response_table.adsl_duplicate", lambda: response.response_table(_dup(adsl()), adrs()), "adsl")
add("response_table.adrs_missing_column", lambda: response.response_table(adsl(), adrs().drop(columns=["AVISIT"])),
    "adrs")

# --------------------------------------------------------------------------- helpers.survival
BAD_TIMES = ["123", None, [], [1, -1], [1, float("nan")], [[1, 2], [3, 4]], ["a", "b"], [True, False], 5,
             [1, float("inf")]]
add_many("validate_times.times", lambda v: survival.validate_times(v), BAD_TIMES, "times")
add_many("validate_times.name", lambda v: survival.validate_times([1, 2], v), [None, 1, ["t"]], "name")
add_many("validate_cnsr.cnsr", lambda v: survival.validate_cnsr(v), [[0, 2], "0101", [0.5], None, [0, "1"],
                                                                     [float("nan")], []], "cnsr")
add("validate_cnsr.length", lambda: survival.validate_cnsr([0, 1], n=3), "cnsr")
add_many("validate_cnsr.n", lambda v: survival.validate_cnsr([0, 1], n=v), [-1, 1.5, "2"], "n")
add_many("followup_median_observed.times", survival.followup_median_observed, BAD_TIMES, "times")
add_many("reverse_km.times", lambda v: survival.reverse_km(v, [0, 1]), BAD_TIMES[:5], "times")
add_many("reverse_km.cnsr", lambda v: survival.reverse_km([1, 2], v), [[0, 2], "01", [0, 1, 1], None], "cnsr")
_HUGE = np.arange(10**6, dtype=float)
add("reverse_km.huge_input_is_bounded", lambda: survival.reverse_km(_HUGE, np.ones(10**6)), "times")
add("km_median.huge_input_is_bounded", lambda: survival.km_median(_HUGE, np.zeros(10**6)), "cnsr")
add("km_at.huge_input_is_bounded", lambda: derive.km_at(_HUGE, np.ones(10**6), 5), "times")
add("cox_binary.huge_input_is_bounded", lambda: survival.cox_binary(np.zeros(10**5), np.arange(1, 10**5 + 1),
                                                                    np.ones(10**5), np.zeros(10**5)), "start")
add_many("reverse_km_median.cnsr", lambda v: survival.reverse_km_median([1, 2], v), [[0, 2], "01", None], "cnsr")
add_many("km_median.cnsr", lambda v: survival.km_median([1, 2], v), [[0, 2], "01", None, [0]], "cnsr")
add_many("km_median.times", lambda v: survival.km_median(v, [0, 1]), ["12", [1, -2], None], "times")
add_many("hsct_frame.paramcd", lambda v: survival.hsct_frame(adsl(), adtte(), v), ["os", "PFS", None, ["OS"], 1],
         "paramcd")
add_many("hsct_frame.adsl", lambda v: survival.hsct_frame(v, adtte()), NOT_FRAME, "adsl")
add_many("hsct_frame.adtte", lambda v: survival.hsct_frame(adsl(), v), NOT_FRAME, "adtte")
add("hsct_frame.adtte_duplicate", lambda: survival.hsct_frame(adsl(), _dup(adtte())), "adtte")
add("hsct_frame.adsl_duplicate", lambda: survival.hsct_frame(_dup(adsl(), 1), adtte()), "adsl")
add("hsct_frame.adtte_missing_column", lambda: survival.hsct_frame(adsl(), adtte().drop(columns=["CNSR"])), "adtte")
add_many("landmark_split.landmark", lambda v: survival.landmark_split(_hframe(), v),
         [0, -1, float("nan"), float("inf"), "60", None, True, 10**6, [60]], "landmark")
add_many("landmark_split.df", lambda v: survival.landmark_split(v, 60), NOT_FRAME, "df")
add_many("landmark_split.time_col", lambda v: survival.landmark_split(_hframe(), 60, time_col=v), ["nope", None, 1],
         "time_col")
add("landmark_split.negative_time", lambda: survival.landmark_split(_set(_hframe(), 0, "time", -3.0), 60), "time")
add("landmark_split.event_2", lambda: survival.landmark_split(_set(_hframe(), 0, "event", 2), 60), "event")
add_many("to_long_format.df", survival.to_long_format, NOT_FRAME, "df")
add("to_long_format.switch_after_end", lambda: survival.to_long_format(
    _set(_hframe(), 0, "hsct_day", 10**5)), "hsct_day")
add("to_long_format.negative_switch", lambda: survival.to_long_format(_set(_hframe(), 0, "hsct_day", -5.0)),
    "hsct_day")
add("to_long_format.duplicate_patient", lambda: survival.to_long_format(_dup(_hframe())), "USUBJID")
add_many("to_long_format.id_col", lambda v: survival.to_long_format(_hframe(), id_col=v), ["nope", None], "id_col")
_S, _E, _X = [0.0, 0.0, 0.0, 0.0], [5.0, 8.0, 12.0, 20.0], [0, 1, 0, 1]
add_many("cox_binary.x", lambda v: survival.cox_binary(_S, _E, [1, 0, 1, 0], v), [[0, 1], "0101", None,
                                                                                   [0, 1, float("nan"), 1]], "x")
add_many("cox_binary.start", lambda v: survival.cox_binary(v, _E, [1, 0, 1, 0], _X), [[0, 0], "0000", None,
                                                                                       [0, 0, 30, 0]], "start")
add_many("cox_binary.event", lambda v: survival.cox_binary(_S, _E, v, _X), [[1, 2, 1, 0], [1, 0], "1010"], "event")
add_many("cox_binary.penalizer", lambda v: survival.cox_binary(_S, _E, [1, 0, 1, 0], _X, v),
         [-1, "0.1", float("nan"), None, True], "penalizer")
add_many("cox_binary.max_iter", lambda v: survival.cox_binary(_S, _E, [1, 0, 1, 0], _X, 0.1, v),
         [0, 1.5, 10**9, "50", None], "max_iter")

# --------------------------------------------------------------------------- helpers.swimmer
add_many("swimmer_data.adsl", lambda v: swimmer.swimmer_data(v, adrs(), adtte()), NOT_FRAME, "adsl")
add_many("swimmer_data.adrs", lambda v: swimmer.swimmer_data(adsl(), v, adtte()), NOT_FRAME, "adrs")
add_many("swimmer_data.adtte", lambda v: swimmer.swimmer_data(adsl(), adrs(), v), NOT_FRAME, "adtte")
add("swimmer_data.adtte_duplicate", lambda: swimmer.swimmer_data(adsl(), adrs(), _dup(adtte())), "adtte")
add("swimmer_data.adrs_duplicate", lambda: swimmer.swimmer_data(adsl(), _dup(adrs()), adtte()), "adrs")
add("swimmer_data.adsl_duplicate", lambda: swimmer.swimmer_data(_dup(adsl()), adrs(), adtte()), "adsl")
add("swimmer_data.adrs_orphan", lambda: swimmer.swimmer_data(adsl(), _orphan(adrs()), adtte()), "adrs")
add("swimmer_data.missing_column", lambda: swimmer.swimmer_data(adsl().drop(columns=["RELDT"]), adrs(), adtte()),
    "adsl")


def _swim():
    return swimmer.swimmer_data(adsl(), adrs(), adtte())


add_many("plot_swimmer.data", lambda v: swimmer.plot_swimmer(v, None, {}), NOT_FRAME, "data")
add_many("plot_swimmer.colors", lambda v: swimmer.plot_swimmer(_swim(), None, v), ["red", None, ["red"]], "colors")
add("plot_swimmer.ax", lambda: swimmer.plot_swimmer(_swim(), None, {"CR": "#000000"}), "ax")

# --------------------------------------------------------------------------- helpers.toxicity
add_many("worst_grade.adae", toxicity.worst_grade, NOT_FRAME, "adae")
add("worst_grade.missing_column", lambda: toxicity.worst_grade(adae().drop(columns=["AETOXGR"])), "adae")
for fn_name, fn in (("ae_counts", toxicity.ae_counts), ("ae_table", toxicity.ae_table)):
    add_many(f"{fn_name}.adae", lambda v, fn=fn: fn(v, adsl()), NOT_FRAME, "adae")
    add_many(f"{fn_name}.adsl", lambda v, fn=fn: fn(adae(), v), NOT_FRAME, "adsl")
    add_many(f"{fn_name}.related_only", lambda v, fn=fn: fn(adae(), adsl(), v), ["yes", 1, None, "False"],
             "related_only")
    add(f"{fn_name}.grade_6", lambda fn=fn: fn(_set(adae(), 0, "AETOXGR", 6), adsl()), "AETOXGR")
    add(f"{fn_name}.grade_nan", lambda fn=fn: fn(_set(adae(), 0, "AETOXGR", float("nan")), adsl()), "AETOXGR")
    add(f"{fn_name}.orphan", lambda fn=fn: fn(_orphan(adae()), adsl()), "USUBJID")
    add(f"{fn_name}.adsl_empty", lambda fn=fn: fn(adae(), adsl().iloc[0:0]), "adsl")
    add(f"{fn_name}.adsl_duplicate", lambda fn=fn: fn(adae(), _dup(adsl())), "adsl")
    add(f"{fn_name}.aerel_missing", lambda fn=fn: fn(adae().drop(columns=["AEREL"]), adsl(), True), "AEREL")
add_many("related_grade34.terms", lambda v: toxicity.related_grade34(adae(), adsl(), v),
         ["Anemia", ["anemia"], ["Anaemia"], [1], None, [""], 5], "terms")
add_many("related_grade34.adae", lambda v: toxicity.related_grade34(v, adsl(), ["Anemia"]), NOT_FRAME, "adae")
add_many("duration_summary.values", toxicity.duration_summary,
         ["abc", None, [], [-1, 5], ["a", 1], [float("nan")], [float("inf"), 3], {"a": 1}, [True, 3]], "values")

# --------------------------------------------------------------------------- helpers.cohort
add_many("n_pct.k", lambda v: cohort.n_pct(v, 27), [28, -1, 1.5, "5", None, float("nan"), True], "k")
add_many("n_pct.n", lambda v: cohort.n_pct(5, v), [0, -1, "27", float("nan"), None, 27.5, True], "n")
add_many("n_pct.decimals", lambda v: cohort.n_pct(5, 27, v), [-1, 1.5, 20, "1", None], "decimals")
add_many("median_range.values", cohort.median_range, ["abc", None, [], ["1", "x"], [float("inf")], 5], "values")
add_many("median_range.decimals", lambda v: cohort.median_range([1, 2], v), [-1, 1.5, "0", None, 99], "decimals")
add_many("table1.adsl", lambda v: cohort.table1(v, muts(), F()), NOT_FRAME, "adsl")
add_many("table1.mutations", lambda v: cohort.table1(adsl(), v, F()), NOT_FRAME, "mutations")
add_many("table1.facts", lambda v: cohort.table1(adsl(), muts(), v), NOT_FRAME, "facts")
add("table1.missing_fact", lambda: cohort.table1(adsl(), muts(), F()[F()["fact_id"] != "male_pct"]), "male_pct")
add("table1.missing_column", lambda: cohort.table1(adsl().drop(columns=["SEX"]), muts(), F()), "adsl")
add("table1.orphan_mutation", lambda: cohort.table1(adsl(), _orphan(muts()), F()), "mutations")
add_many("counts_behind.fact_ids", lambda v: cohort.counts_behind_percentages(F(), v, 27),
         ["male_pct", None, ["nope"], [1]], "fact_id")
add_many("counts_behind.denominator", lambda v: cohort.counts_behind_percentages(F(), ["male_pct"], v),
         [0, -1, 1.5, "27", None, True, 10**12], "denominator")
add_many("counts_behind.facts", lambda v: cohort.counts_behind_percentages(v, ["male_pct"], 27), NOT_FRAME, "facts")
add_many("outside_eligibility.age_min", lambda v: cohort.outside_eligibility(adsl(), v, 60),
         [61, "18", float("nan"), None, True], "age_min")
add_many("outside_eligibility.age_max", lambda v: cohort.outside_eligibility(adsl(), 18, v),
         ["60", float("nan"), None], "age_max")
add_many("outside_eligibility.adsl", lambda v: cohort.outside_eligibility(v, 18, 60), NOT_FRAME, "adsl")
add_many("gene_matrix.adsl", lambda v: cohort.gene_matrix(v, muts()), NOT_FRAME, "adsl")
add_many("gene_matrix.mutations", lambda v: cohort.gene_matrix(adsl(), v), NOT_FRAME, "mutations")
add("gene_matrix.orphan", lambda: cohort.gene_matrix(adsl(), _orphan(muts())), "mutations")
add("gene_matrix.duplicate_patient", lambda: cohort.gene_matrix(_dup(adsl()), muts()), "adsl")
add_many("html_table.df", cohort.html_table, NOT_FRAME, "df")
add_many("html_table.decimals", lambda v: cohort.html_table(adsl(), v), [-1, 1.5, "2", 99], "decimals")

# --------------------------------------------------------------------------- helpers.provenance, style
add_many("label.kind", lambda v: provenance.label(adsl(), v), ["both", None, 1, ["trial"], "Trial"], "kind")
add_many("label.table", lambda v: provenance.label(v, "trial"), NOT_FRAME, "table")
add_many("tag.title", lambda v: provenance.tag(v, "trial"), [None, 1, ["x"]], "title")
add_many("tag.kind", lambda v: provenance.tag("OS", v), ["x", None, ["trial"]], "kind")
add_many("color_for.category", style.color_for, ["nope", None, 1, ["CR"]], "category")
add_many("exercises.expected", exercises.expected, ["nope", None, 3.2, "99.9", ["03.2"]], "exercise")
add_many("exercises.matches.rel_tol", lambda v: exercises.matches(1.0, 1.0, rel_tol=v), [-1, -0.5], "tol")

# --------------------------------------------------------------------------- helpers.engine.facts
add_many("round_half_up.value", lambda v: facts_mod.round_half_up(v, 1), ["1", None, float("nan"), float("inf"),
                                                                       True], "value")
add_many("round_half_up.decimals", lambda v: facts_mod.round_half_up(1.25, v), [-1, 1.5, "1", 100, None], "decimals")
add_many("grim.denominator", lambda v: facts_mod.grim_numerators(50, v, 1),
         [10**9, 10**12, 0, -3, 2.5, "27", None, True, np.float64(27.5)], "denominator")
add_many("grim.percent", lambda v: facts_mod.grim_numerators(v, 27, 1), [-1, 101, float("nan"), "66.7", None, True],
         "percent")
add_many("grim.decimals", lambda v: facts_mod.grim_numerators(66.7, 27, v), [-1, 7, 1.5, "1", None], "decimals")
add_many("load_facts.path", facts_mod.load_facts, [123, "/nonexistent/facts.csv", ["x"]], "path")
add_many("read_facts.path", facts_mod.read_facts, [123, "/nonexistent/facts.csv"], "path")
add_many("fact_value.fact_id", lambda v: facts_mod.fact_value(F(), v), ["nope", None, 1, ["male_pct"]], "fact_id")
add_many("fact_value.facts", lambda v: facts_mod.fact_value(v, "male_pct"), NOT_FRAME, "facts")
add_many("reported_count.fact_id", lambda v: facts_mod.reported_count(F(), v), ["nope", None, ["male_pct"]],
         "fact_id")
add_many("reported_count.denominator", lambda v: facts_mod.reported_count(F(), "male_pct", v),
         [0, -1, 1.5, "27", 10**12], "denominator")

# --------------------------------------------------------------------------- helpers.engine.tables
add_many("validate.name", lambda v: tables.validate(v, adsl()), ["adlb", None, 1, ["adsl"]], "table")
add_many("validate.df", lambda v: tables.validate("adsl", v), NOT_FRAME, "df")
add_many("typed.name", lambda v: tables.typed(v, adsl()), ["adlb", None, ["adsl"]], "name")
add_many("typed.df", lambda v: tables.typed("adsl", v), NOT_FRAME, "df")
add_many("load_table.name", lambda v: tables.load_table(v), ["adlb", None, 1, ["adsl"], "../data/adsl"], "name")
add_many("load_table.data_dir", lambda v: tables.load_table("adsl", v), [123, ["data"], "/nonexistent/folder"],
         "data_dir")
add_many("load_all.data_dir", tables.load_all, [123, "/nonexistent/folder"], "data_dir")
add_many("check_cohort.tables", tables.check_cohort, [None, "tables", {}, {"adsl": adsl()}], "tables")

# --------------------------------------------------------------------------- helpers.engine.derive
add_many("days_to_months.days", derive.days_to_months, ["30", None, -1, float("nan"), [1, "a"], [1, -5], True],
         "days")
add_many("km_at.times", lambda v: derive.km_at(v, [1, 0], 5), ["12", [1, float("nan")], [1, -2], None, [[1, 2]]],
         "times")
add_many("km_at.events", lambda v: derive.km_at([1, 2], v, 5), [[1, 2], "10", [1, 0, 1], None, [0.5, 1]], "events")
add_many("km_at.at", lambda v: derive.km_at([1, 2], [1, 0], v), [float("nan"), "6", None, -1, True], "at")
for fn_name, fn in (("response_after_cycle", derive.response_after_cycle), ("mrd_after_cycle", derive.mrd_after_cycle)):
    add_many(f"{fn_name}.cycle", lambda v, fn=fn: fn(adrs(), v), [1.0, 3, 0, "1", None, True], "cycle")
    add_many(f"{fn_name}.adrs", lambda v, fn=fn: fn(v, 1), NOT_FRAME, "adrs")
    add(f"{fn_name}.duplicate", lambda fn=fn: fn(_dup(adrs(), 2), 1), "adrs")
add_many("crc_patients.adrs", derive.crc_patients, NOT_FRAME, "adrs")
add_many("percent.k", lambda v: derive.percent(v, 27), [1.5, -1, "1", float("nan"), None, 28, True], "k")
add_many("percent.n", lambda v: derive.percent(1, v), [0, -1, 1.5, "27", None], "n")
add_many("survival_at_months.paramcd", lambda v: derive.survival_at_months(adtte(), v), ["os", "PFS", None, ["OS"]],
         "paramcd")
add_many("survival_at_months.months", lambda v: derive.survival_at_months(adtte(), "OS", v),
         [-1, float("nan"), "6", None, True, float("inf")], "months")
add_many("survival_at_months.usubjids", lambda v: derive.survival_at_months(adtte(), "OS", 6.0, v),
         ["SYN-001", ["NOPE"], [1], 5], "usubjids")
add_many("survival_at_months.adtte", lambda v: derive.survival_at_months(v, "OS"), NOT_FRAME, "adtte")
add("survival_at_months.duplicate", lambda: derive.survival_at_months(_dup(adtte()), "OS"), "adtte")
add_many("derive_all.tables", derive.derive_all, [None, "tables", {}, {"adsl": adsl()}], "tables")

# --------------------------------------------------------------------------- helpers.engine.audit, plausibility
add_many("audit.tables", lambda v: audit.audit(v, F()), [None, "tables", {}, {"adsl": adsl()}], "tables")
add_many("audit.facts", lambda v: audit.audit(T(), v), ["facts", [1], pd.DataFrame({"x": [1]})], "facts")
add_many("all_match.tables", lambda v: audit.all_match(v, F()), [None, {}], "tables")
add_many("violations.tables", plausibility.violations, [None, "tables", {}, {"adsl": adsl()}], "tables")
add("violations.orphan_adrs", lambda: plausibility.violations({**T(), "adrs": _orphan(adrs())}), "adrs")
add("violations.duplicate_adsl", lambda: plausibility.violations({**T(), "adsl": _dup(adsl())}), "adsl")

# --------------------------------------------------------------------------- helpers.engine.ensemble, consistency
add_many("cohort_quantities.tables", ensemble.cohort_quantities, [None, "tables", {}, {"adsl": adsl()}], "tables")
add_many("ensemble_summary.seeds", ensemble.ensemble_summary, ["123", None, [], [-1], [1.5], range(10**9), 5,
                                                               [True]], "seed")
add_many("summarise_spread.columns", lambda v: ensemble.summarise_spread(pd.DataFrame({"seed": [1], "a": [1.0]}), v),
         ["a", ["nope"], [1], 5], "columns")
add_many("summarise_spread.df", ensemble.summarise_spread, NOT_FRAME + [pd.DataFrame()], "df")
for fn_name, fn in (("grim_table", consistency.grim_table), ("denominator_drift", consistency.denominator_drift),
                    ("consistency_checks", consistency.consistency_checks),
                    ("two_cycle_bounds", consistency.two_cycle_bounds),
                    ("evaluable_check", consistency.evaluable_check)):
    add_many(f"{fn_name}.facts", fn, ["facts", [1], pd.DataFrame({"x": [1]}), pd.DataFrame({"fact_id": ["a"]})],
             "facts")
add_many("rounding_interval.fact_id", lambda v: consistency.rounding_interval(F(), v), ["nope", None, ["male_pct"]],
         "fact_id")
add_many("followup_bound.months", lambda v: consistency.followup_bound(F(), None, v),
         [0, -1, "3", float("nan"), True, float("inf")], "months")
add_many("followup_bound.adtte", lambda v: consistency.followup_bound(F(), v), ["adtte", [1], pd.DataFrame({"x": [1]})],
         "adtte")
add_many("unreported_quantities.months", lambda v: consistency.unreported_quantities(T(), v),
         [-1, 0, float("nan"), "6", None], "months")
add_many("unreported_quantities.tables", consistency.unreported_quantities, [None, {}, "tables"], "tables")
add_many("ensemble_table.seeds", consistency.ensemble_table, ["123", [], [1.5], range(10**9), None, [-1]], "seed")
add("ensemble_table.generate", lambda: consistency.ensemble_table([1], generate="x"), "generate")
add_many("determined_summary.ens", consistency.determined_summary, NOT_FRAME + [pd.DataFrame({"x": [1]})], "ens")
add_many("audit_with_links.audit_df", consistency.audit_with_links, NOT_FRAME + [pd.DataFrame({"x": [1]})], "audit_df")
add_many("two_cycle_responses.adsl", lambda v: consistency.two_cycle_responses(v, adrs()), NOT_FRAME, "adsl")
add_many("two_cycle_responses.adrs", lambda v: consistency.two_cycle_responses(adsl(), v), NOT_FRAME, "adrs")

# --------------------------------------------------------------------------- helpers.engine.generator


def _facts_with(fact_id, value=None, numerator=None):
    f = F()
    i = int(np.flatnonzero(f["fact_id"] == fact_id)[0])
    if value is not None:
        f.loc[i, "value"] = value
    if numerator is not None:
        f.loc[i, "numerator"] = numerator
    return f


add_many("generate.seed", lambda v: generator.generate(v), [-1, 1.5, "1", None, True, 2**64], "seed")
add_many("generate.max_tries", lambda v: generator.generate(0, None, v), [0, -1, 10**9, 1.5, "5"], "max_tries")
add_many("generate.facts", lambda v: generator.generate(0, v), ["facts", [1], pd.DataFrame({"fact_id": ["x"]})],
         "facts")
add("generate.facts_n_enrolled_30", lambda: generator.generate(0, _facts_with("n_enrolled", 30.0)), "n_enrolled")
add("generate.facts_hsct_group_7", lambda: generator.generate(0, _facts_with("hsct_group_n", 7.0)), "hsct_group_n")
add("generate.facts_crc_18", lambda: generator.generate(0, _facts_with("crc_c1_pct", 66.7, 18)), "crc_c1_pct")
add("generate.facts_postrem", lambda: generator.generate(0, _facts_with("postrem_none_n", 8.0)), "postrem_none_n")
add("generate.facts_os_6m", lambda: generator.generate(0, _facts_with("os_6m_pct", 55.5), max_tries=3), "os_6m_pct")
add("generate.facts_missing", lambda: generator.generate(0, F()[F()["fact_id"] != "age_median"]), "age_median")
add_many("write_tables.tables", lambda v: generator.write_tables(v, "/nonexistent-never-created"),
         [None, "tables", {"adsl": "x"}, [1]], "tables")


def test_there_are_at_least_300_table_driven_cases():
    assert len(CASES) >= 300, len(CASES)
    assert len({c[0] for c in CASES}) == len(CASES), "case ids must be unique"


@pytest.mark.parametrize("call, expect", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_bad_input_is_refused_with_a_named_value_error(call, expect):
    with time_limit():
        with pytest.raises(ValueError) as info:
            call()
    assert expect.lower() in str(info.value).lower(), f"message does not name {expect!r}: {info.value}"


# --------------------------------------------------------------------------- generator CLI


def test_cli_refuses_data_folder_without_the_flag():
    before = {p.name: p.stat().st_mtime_ns for p in DATA_DIR.glob("*.csv")}
    with pytest.raises(ValueError, match=r"--out=.*data/ folder.*--overwrite-data"):
        generator.main(["--seed", "5", "--out", str(DATA_DIR)])
    assert {p.name: p.stat().st_mtime_ns for p in DATA_DIR.glob("*.csv")} == before


def test_cli_refuses_data_folder_by_a_relative_path(monkeypatch):
    monkeypatch.chdir(DATA_DIR.parent)
    with pytest.raises(ValueError, match="--overwrite-data"):
        generator.main(["--seed", "5", "--out", "data"])
    with pytest.raises(ValueError, match="--overwrite-data"):
        generator.main(["--seed", "5", "--out", "./data/../data"])


def test_cli_refuses_an_existing_file(tmp_path):
    target = tmp_path / "adsl.csv"
    target.write_text("keep me\n")
    with pytest.raises(ValueError, match="--out=.*existing file"):
        generator.main(["--seed", "5", "--out", str(target)])
    assert target.read_text() == "keep me\n"


def test_cli_writes_a_new_folder(tmp_path):
    generator.main(["--seed", "3", "--out", str(tmp_path / "cohort")])
    assert sorted(p.name for p in (tmp_path / "cohort").iterdir()) == sorted(generator.OUTPUT_FILES)
    tables.load_all(tmp_path / "cohort")


def test_make_data_passes_the_explicit_flag():
    makefile = (DATA_DIR.parent / "Makefile").read_text()
    line = next(ln for ln in makefile.splitlines() if "helpers.engine.generator" in ln)
    assert "--out data" in line and "--overwrite-data" in line


def test_generate_with_the_shipped_facts_passed_explicitly_still_works():
    out = generator.generate(7, F())
    assert audit.audit(out, F())["match"].all()


# --------------------------------------------------------------------------- dangerous doses: the numbers


def test_no_dose_above_the_cap_for_any_bsa():
    for drug in ("lipomit", "cladribine", "cytarabine"):
        top = dosing.MAX_DOSE_MG[drug]                      # the largest dose accepted, mg/m²
        for b in (0.2, 1.0, 2.0, 3.5):
            assert dosing.dose_mg(drug, top, "mg/m2", b) == pytest.approx(top * b)
            with pytest.raises(ValueError, match="dose"):
                dosing.dose_mg(drug, top * 1.01, "mg/m2", b)
    assert dosing.dose_mg("gcsf", 960, "ug", 3.5) == pytest.approx(0.96)   # flat: BSA ignored, cap holds
    assert dosing.dose_mg("gcsf", 300, "ug") == pytest.approx(0.3)


def test_numpy_integers_are_accepted_where_ints_are():
    assert response.binomial_ci(np.int64(17), np.int32(27)) == response.binomial_ci(17, 27)
    assert facts_mod.grim_numerators(66.7, np.int64(27), np.int64(1)) == [18]
    assert cohort.n_pct(np.int64(18), np.int64(27)) == "18 (66.7)"
    assert len(dosing.schedule(reg(), np.int64(2))) == len(dosing.schedule(reg(), 2))
    assert response.response_table(adsl(), adrs(), np.int64(1)).equals(response.response_table(adsl(), adrs(), 1))
    assert derive.response_after_cycle(adrs(), np.int64(1)).equals(derive.response_after_cycle(adrs(), 1))
    assert generator.generate(np.int64(3))["adsl"].equals(generator.generate(3)["adsl"])


def test_gene_lists_of_any_container_give_the_same_answer():
    for genes in (["TP53"], ("TP53",), {"TP53"}, pd.Series(["TP53"]), np.array(["TP53"])):
        assert eln.classify_eln2022("normal", genes) == "ADVERSE"
    assert eln.classify_eln2022("normal", []) == "INTERMEDIATE"


# --------------------------------------------------------------------------- hypothesis properties
# No per-example deadline: on the shared 2-core machine one example took 3.5 s under load (a flaky
# DeadlineExceeded); a hang is still caught by time_limit(10) in _refused. Speed is benchmarked, not tested.
PROPS = settings(max_examples=40, deadline=None, derandomize=True,
                 suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])


def _refused(call, name):
    with time_limit(10):
        with pytest.raises(ValueError) as info:
            call()
    assert name.lower() in str(info.value).lower(), str(info.value)


@PROPS
@given(h=st.floats(allow_nan=True, allow_infinity=True).filter(lambda x: not 50 <= x <= 250))
def test_any_height_outside_50_250_cm_is_refused(h):
    _refused(lambda: dosing.bsa(h, 70), "height_cm")


@PROPS
@given(h=st.floats(50, 250), w=st.floats(2, 350))
def test_bsa_is_refused_or_returned_inside_its_range(h, w):
    bmi = w / (h / 100) ** 2
    if dosing.BMI_RANGE[0] <= bmi <= dosing.BMI_RANGE[1]:
        assert 0.2 <= dosing.bsa(h, w) <= 3.6
    else:
        _refused(lambda: dosing.bsa(h, w), "weight_kg")


@PROPS
@given(drug=st.sampled_from(["lipomit", "cladribine", "cytarabine"]), dose=st.floats(0, 1e7),
       unit=st.sampled_from(["mg/m2", "g/m2"]), b=st.floats(0, 10))
def test_a_per_m2_dose_is_refused_or_below_the_final_cap(drug, dose, unit, b):
    try:
        mg = dosing.dose_mg(drug, dose, unit, b)
    except ValueError as exc:
        assert any(n in str(exc) for n in ("dose", "bsa_m2")), str(exc)
        return
    assert mg <= dosing.MAX_DOSE_MG[drug] * dosing.BSA_RANGE_M2[1]
    assert 0.2 <= b <= 3.5


@PROPS
@given(dose=st.floats(0, 1e7), unit=st.sampled_from(list(dosing.UNIT_TO_MG)), b=st.one_of(st.none(), st.floats(0, 10)))
def test_gcsf_is_never_above_its_cap(dose, unit, b):
    try:
        mg = dosing.dose_mg("gcsf", dose, unit, b)
    except ValueError:
        return
    assert mg <= dosing.MAX_DOSE_MG["gcsf"]


@PROPS
@given(value=st.one_of(st.text(max_size=5), st.booleans(), st.none(), st.floats(allow_nan=True).filter(
    lambda x: not (math.isfinite(x) and float(x).is_integer())), st.lists(st.integers(), max_size=2)))
def test_non_integers_are_refused_as_counts(value):
    _refused(lambda: response.binomial_ci(value, 27), "k")
    _refused(lambda: cohort.n_pct(value, 27), "k")
    _refused(lambda: facts_mod.grim_numerators(50.0, value, 1), "denominator")


@PROPS
@given(n=st.integers(min_value=facts_mod.MAX_GRIM_DENOMINATOR + 1, max_value=10**18))
def test_grim_refuses_huge_denominators_quickly(n):
    _refused(lambda: facts_mod.grim_numerators(50.0, n, 1), "denominator")


@PROPS
@given(symbol=st.text(min_size=1, max_size=8).filter(lambda s: s not in eln_symbols()))
def test_unknown_gene_symbols_are_refused(symbol):
    _refused(lambda: eln.classify_eln2022("normal", [symbol]), "genes")


def eln_symbols():
    from helpers.validate import AML_GENE_SYMBOLS
    return AML_GENE_SYMBOLS


@PROPS
@given(text=st.text(min_size=1, max_size=6))
def test_a_single_string_is_never_iterated_as_a_list(text):
    _refused(lambda: eln.classify_eln2022("normal", text), "genes")
    _refused(lambda: toxicity.related_grade34(adae(), adsl(), text), "terms")
    _refused(lambda: survival.validate_times(text), "times")


@PROPS
@given(cycle=st.one_of(st.floats(), st.text(max_size=3), st.integers().filter(lambda c: c not in (1, 2))))
def test_response_table_refuses_every_cycle_but_1_and_2(cycle):
    _refused(lambda: response.response_table(adsl(), adrs(), cycle), "cycle")


@PROPS
@given(row=st.integers(0, 26), bsa_value=st.floats(0.2, 3.5))
def test_patient_doses_refuses_a_stored_bsa_that_does_not_fit(row, bsa_value):
    a = adsl()
    h, w = float(a["HEIGHTCM"].iloc[row]), float(a["WEIGHTKG"].iloc[row])
    formulas = [dosing.bsa(h, w, f) for f in dosing.BSA_FORMULAS]
    a = _set(a, row, "BSA", bsa_value)
    if min(formulas) - 0.02 <= bsa_value <= max(formulas) + 0.02:
        assert len(dosing.patient_doses(a, reg())) == 4 * len(a)
    else:
        _refused(lambda: dosing.patient_doses(a, reg()), "BSA")


@pytest.mark.parametrize("h, w", [(250.01, 140.0), (260.0, 150.0), (1e300, 150.0), (49.99, 5.5), (40.0, 3.5)])
def test_height_just_outside_50_250_cm_is_refused_at_a_plausible_bmi(h, w):
    """The property test above draws a weight of 70 kg, so the BMI guard catches most tall heights first; here the
    weight keeps the BMI plausible for heights near the limit, so only the height rule can refuse them."""
    _refused(lambda: dosing.bsa(h, w), "height_cm")


def test_heights_at_the_limits_are_accepted_at_a_plausible_bmi():
    assert 0.2 <= dosing.bsa(250.0, 140.0) <= 3.6 and 0.2 <= dosing.bsa(50.0, 5.5) <= 3.6
