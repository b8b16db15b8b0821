"""Body-surface area, per-patient doses and cumulative mitoxantrone exposure, with unit guard-rails.

Every function refuses impossible input with a ``ValueError`` that names the argument, the value
and the accepted range, and it does so *before* a dose is computed: a height typed in metres
(1.72 instead of 172 cm) must never silently become a tiny BSA and a tiny dose, and a dose typed
in the wrong unit (1000 g/m² for 1000 mg/m²) must never reach a prescription.

Units: height cm, weight kg, BSA m², doses mg (G-CSF: µg on the label, mg internally).

References
----------
- Mosteller RD. N Engl J Med 1987;317:1098. DuBois D, DuBois EF. Arch Intern Med 1916;17:863.
  Haycock GB et al. J Pediatr 1978;93:62. Gehan EA, George SL. Cancer Chemother Rep 1970;54:225.
- Griggs JJ et al. Appropriate chemotherapy dosing for obese adult patients with cancer: ASCO
  clinical practice guideline. J Clin Oncol 2012;30:1553–1561.
- Mitoxantrone (Novantrone) US prescribing information, boxed warning (cardiotoxicity).
- Feijen EAM et al. Derivation of anthracycline and anthraquinone equivalence ratios to
  doxorubicin for late-onset cardiotoxicity. JAMA Oncol 2019;5:864–871.
- Wierzbowska A et al. CLAG-M in refractory/relapsed AML. Eur J Haematol 2008;80:115–126.
- Hu et al. (2023): pharmacokinetics of mitoxantrone hydrochloride liposome (free drug ~1%).
- Swain SM, Whaley FS, Ewer MS. Congestive heart failure in patients treated with doxorubicin.
  Cancer 2003;97:2869–2879.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from helpers import validate as v
from helpers.cohort import median_range

# --------------------------------------------------------------------------- external constants
#: Cumulative conventional-mitoxantrone dose (mg/m²) in the label's boxed warning: up to it the
#: risk of symptomatic congestive heart failure in oncology patients is about 2.6 % (Novantrone
#: prescribing information). A reference point on a rising risk curve, not a hard cap.
MITOX_LABEL_CUMULATIVE_LIMIT_MG_M2: float = 140.0
MITOX_HF_RISK_AT_LIMIT_PCT: float = 2.6
#: Old doxorubicin-equivalence ratio for mitoxantrone (Children's Oncology Group convention, 4–5×;
#: we use the lower end).
DOX_EQ_RATIO_MITOX_OLD: float = 4.0
#: Evidence-based ratio, 10.5 (95 % CI 6.2–19.1), from 28,423 childhood-cancer survivors
#: (Feijen et al., JAMA Oncol 2019).
DOX_EQ_RATIO_MITOX_FEIJEN: float = 10.5
DOX_EQ_RATIO_MITOX_FEIJEN_CI: tuple[float, float] = (6.2, 19.1)
#: CLAG-M mitoxantrone: 10 mg/m² on days 1–3 (Wierzbowska et al., Eur J Haematol 2008).
CLAGM_MITOX_DOSE_MG_M2: float = 10.0
CLAGM_MITOX_DAYS: int = 3

# --------------------------------------------------------------------------- guard-rails (ours)
#: Accepted input ranges. These are plausibility limits chosen for this collection, not guidance.
HEIGHT_RANGE_CM: tuple[float, float] = (50.0, 250.0)
WEIGHT_RANGE_KG: tuple[float, float] = (2.0, 350.0)
BSA_RANGE_M2: tuple[float, float] = (0.2, 3.5)
#: Units a dose may be written in, and the factor that converts one unit to mg (or mg/m²).
UNIT_TO_MG: dict[str, float] = {"mg/m2": 1.0, "g/m2": 1000.0, "ug": 0.001, "mg": 1.0, "g": 1000.0}
PER_M2_UNITS = {"mg/m2", "g/m2"}
#: Highest per-administration dose this collection accepts per drug, in mg/m² for per-m² drugs and in
#: mg for the flat G-CSF dose. A guard-rail against unit slips that must never refuse a dose used in
#: registered studies; NOT a clinical maximum. Each limit is derived below from a cited source
#: (``MAX_DOSE_SOURCE``), and the arithmetic is visible:
#:
#: * Lipo-MIT: the highest dose in a registered AML study. NCT05100303 (with cytarabine, 3+3 escalation
#:   24 → 30 → 36 mg/m²) and NCT05941585 (24 or 30 mg/m² with chemotherapy, de novo AML) were checked
#:   against their registry records; NCT05345938 (monotherapy, 30 → 36 → 40 mg/m²) we could not verify
#:   beyond our reference sheet. The PTCL approval dose is 20 mg/m²; this trial uses 18 mg/m².
#: * Cladribine: the label's boxed warning reports nephro- and neurotoxicity at 4–9 × the hairy-cell
#:   dose (0.09 mg/kg/day); 4 × 0.09 mg/kg for a 70 kg, 1.8 m² adult is 14 mg/m² per day. AML regimens
#:   (CLAG, CLAG-M, this trial) use 5 mg/m².
#: * Cytarabine: high-dose cytarabine, 3 g/m² per administration (every 12 h; Mayer RJ et al.,
#:   N Engl J Med 1994;331:896–903), the highest single dose in common AML use.
#: * G-CSF (filgrastim): the label's highest dose, 10 µg/kg/day (stem-cell mobilisation), for a 100 kg
#:   adult = 1000 µg = 1.0 mg. Flat doses of 300 or 480 µg, as here, sit well below.
LIPOMIT_REGISTERED_AML_DOSES_MG_M2: dict[str, tuple[float, ...]] = {
    "NCT05100303": (24.0, 30.0, 36.0), "NCT05941585": (24.0, 30.0), "NCT05345938": (30.0, 36.0, 40.0)}
CLADRIBINE_HCL_LABEL_MG_KG_DAY: float = 0.09
CLADRIBINE_TOXIC_MULTIPLE: float = 4.0
REFERENCE_ADULT_KG_M2: tuple[float, float] = (70.0, 1.8)
HIDAC_MG_M2: float = 3000.0
GCSF_LABEL_MAX_UG_KG_DAY: float = 10.0
GCSF_REFERENCE_MAX_KG: float = 100.0
MAX_DOSE_MG: dict[str, float] = {
    "lipomit": max(d for doses in LIPOMIT_REGISTERED_AML_DOSES_MG_M2.values() for d in doses),
    "cladribine": round(CLADRIBINE_TOXIC_MULTIPLE * CLADRIBINE_HCL_LABEL_MG_KG_DAY
                        * REFERENCE_ADULT_KG_M2[0] / REFERENCE_ADULT_KG_M2[1], 1),
    "cytarabine": HIDAC_MG_M2,
    "gcsf": GCSF_LABEL_MAX_UG_KG_DAY * GCSF_REFERENCE_MAX_KG / 1000.0,
}
MAX_DOSE_SOURCE: dict[str, str] = {
    "lipomit": "highest Lipo-MIT dose in registered AML studies (NCT05100303: 24–36; NCT05941585: 24/30; "
               "NCT05345938: up to 40, not verified by us)",
    "cladribine": "4 × the labelled hairy-cell dose 0.09 mg/kg/day (boxed warning: nephro/neurotoxicity at 4–9 ×), "
                  "for 70 kg / 1.8 m²",
    "cytarabine": "high-dose cytarabine 3 g/m² per administration (Mayer et al., NEJM 1994)",
    "gcsf": "filgrastim label maximum 10 µg/kg/day (mobilisation) × 100 kg",
}
MAX_DOSE_RATIONALE: dict[str, str] = {
    "lipomit": "mg/m²; " + MAX_DOSE_SOURCE["lipomit"],
    "cladribine": "mg/m²; " + MAX_DOSE_SOURCE["cladribine"],
    "cytarabine": "mg/m²; " + MAX_DOSE_SOURCE["cytarabine"],
    "gcsf": "mg (= 1000 µg); " + MAX_DOSE_SOURCE["gcsf"],
}
#: Conventional mitoxantrone in AML induction: 12 mg/m² on days 1–3 (a usual schedule; used for
#: prior-exposure arithmetic only).
CONV_MITOX_INDUCTION_MG_M2: float = 12.0
CONV_MITOX_INDUCTION_DAYS: int = 3
#: Cumulative doxorubicin range (mg/m²) over which the risk of doxorubicin heart failure becomes
#: clinically relevant and rises steeply (about 5 % at 400 mg/m²; Swain SM et al., Cancer 2003;97:2869).
DOXORUBICIN_RISK_RANGE_MG_M2: tuple[float, float] = (300.0, 500.0)

BSA_FORMULAS: dict[str, tuple[float, float, float]] = {
    # name: (coefficient, height exponent, weight exponent); BSA = c · H^a · W^b
    "Mosteller": (1 / 60, 0.5, 0.5),  # √(H·W/3600)
    "DuBois": (0.007184, 0.725, 0.425),
    "Haycock": (0.024265, 0.3964, 0.5378),
    "Gehan-George": (0.0235, 0.42246, 0.51456),
}


#: How each drug is dosed: per m² of BSA (mg/m2, g/m2) or flat (ug, mg, g). A per-m² drug written in a
#: flat unit would silently ignore the BSA, and a flat drug multiplied by a BSA would exceed its cap.
DRUG_BASIS: dict[str, str] = {"lipomit": "per m2", "cladribine": "per m2", "cytarabine": "per m2", "gcsf": "flat"}
#: Plausible range of body-mass index (kg/m²) for a height and weight pair: outside it the pair is
#: more likely a unit slip (weight in pounds, height in inches) than a patient. A guard-rail, not guidance.
BMI_RANGE: tuple[float, float] = (12.0, 50.0)
#: Cumulative mitoxantrone (mg/m²) above which this collection refuses to compute equivalents: twice the
#: label reference; a larger number is a unit slip (g/m² read as mg/m²), not an exposure to discuss.
MAX_CUMULATIVE_MITOX_MG_M2: float = 2 * 140.0


def _check_range(name: str, value, lo: float, hi: float, unit: str, hint: str = "") -> np.ndarray:
    """Return ``value`` as a float array; raise ValueError naming the first value outside [lo, hi]."""
    arr = np.asarray(value, dtype=float)
    bad = ~((arr >= lo) & (arr <= hi))  # NaN counts as bad
    if bad.any():
        first = arr.reshape(-1)[np.argmax(bad.reshape(-1))]
        raise ValueError(f"{name}={float(first):g} is outside the accepted range {lo:g}–{hi:g} {unit}{hint}")
    return arr


def bsa(height_cm, weight_kg, formula: str = "Mosteller"):
    """Body-surface area in m² from height (cm) and weight (kg); scalars or arrays.

    ``formula`` is one of ``BSA_FORMULAS`` (Mosteller, DuBois, Haycock, Gehan-George).
    Raises ValueError for a height outside 50–250 cm (e.g. metres), a weight outside 2–350 kg,
    or an unknown formula.
    """
    if not isinstance(formula, str) or formula not in BSA_FORMULAS:
        raise ValueError(f"formula={formula!r} is not a known BSA formula; expected one of {list(BSA_FORMULAS)}")
    v.check_float_array("height_cm", height_cm, unit="cm", finite=False)
    v.check_float_array("weight_kg", weight_kg, unit="kg", finite=False)
    h = _check_range("height_cm", height_cm, *HEIGHT_RANGE_CM, "cm",
                     " (was the height given in metres?)")
    w = _check_range("weight_kg", weight_kg, *WEIGHT_RANGE_KG, "kg")
    if h.shape != w.shape and h.ndim and w.ndim:
        raise ValueError(f"height_cm has shape {h.shape} but weight_kg has shape {w.shape}; accepted: the same shape")
    bmi = w / (h / 100) ** 2
    if not ((bmi >= BMI_RANGE[0]) & (bmi <= BMI_RANGE[1])).all():
        i = int(np.argmax(~((bmi >= BMI_RANGE[0]) & (bmi <= BMI_RANGE[1])).reshape(-1)))
        hh, ww, bb = (np.broadcast_to(a, bmi.shape).reshape(-1)[i] for a in (h, w, bmi))
        raise ValueError(f"height_cm={hh:g} with weight_kg={ww:g} is a body-mass index of {bb:.1f} kg/m², outside "
                         f"the accepted {BMI_RANGE[0]:g}–{BMI_RANGE[1]:g}: was the weight given in pounds or the "
                         "height in inches?")
    c, a, b = BSA_FORMULAS[formula]
    out = c * h ** a * w ** b
    return float(out) if out.ndim == 0 else out


def bsa_table(adsl: pd.DataFrame) -> pd.DataFrame:
    """One row per patient: USUBJID, HEIGHTCM, WEIGHTKG, BSA (as stored) and one column per formula (m²)."""
    v.check_frame("adsl", adsl, ["USUBJID", "HEIGHTCM", "WEIGHTKG", "BSA"], nonempty=True)
    v.check_unique("adsl", adsl, ["USUBJID"])
    out = adsl[["USUBJID", "HEIGHTCM", "WEIGHTKG", "BSA"]].copy()
    for name in BSA_FORMULAS:
        out[name] = bsa(out["HEIGHTCM"].to_numpy(), out["WEIGHTKG"].to_numpy(), name)
    return out


def to_mg(dose: float, unit: str) -> float:
    """Convert a dose written in ``unit`` (mg/m2, g/m2, ug, mg, g) to mg (or mg/m²).

    >>> to_mg(1.0, "g/m2")
    1000.0
    """
    if not isinstance(unit, str) or unit not in UNIT_TO_MG:
        raise ValueError(f"unit={unit!r} is not a dose unit this helper knows; expected one of {list(UNIT_TO_MG)}")
    v.check_float("dose", dose, unit=unit)
    if not np.isfinite(dose) or dose < 0:
        raise ValueError(f"dose={dose!r} must be a finite number ≥ 0 (in {unit})")
    return float(dose) * UNIT_TO_MG[unit]


def dose_mg(drugkey: str, dose: float, unit: str, bsa_m2: float | None = None) -> float:
    """Dose of one administration in mg: ``dose`` per m² × BSA for mg/m2 or g/m2, else the flat dose.

    Checks, all before any multiplication: a known unit, dose ≥ 0, a known drug, the dose (mg/m² or
    flat mg) not above ``MAX_DOSE_MG[drugkey]`` and, for per-m² doses, a BSA within 0.2–3.5 m².
    """
    per = to_mg(dose, unit)
    if not isinstance(drugkey, str) or drugkey not in MAX_DOSE_MG:
        raise ValueError(f"drugkey={drugkey!r} is not a drug with a plausibility limit; "
                         f"expected one of {list(MAX_DOSE_MG)}")
    limit = MAX_DOSE_MG[drugkey]
    if bsa_m2 is not None:
        v.check_float("bsa_m2", bsa_m2, unit="m²")
    basis = "per m2" if unit in PER_M2_UNITS else "flat"
    if basis != DRUG_BASIS[drugkey]:
        raise ValueError(f"unit={unit!r} is a {basis} dose but {drugkey} is dosed {DRUG_BASIS[drugkey]}; accepted: "
                         + ("mg/m2 or g/m2" if DRUG_BASIS[drugkey] == "per m2" else "ug, mg or g"))
    if per > limit:
        shown = "mg/m²" if unit in PER_M2_UNITS else "mg"
        raise ValueError(f"dose={dose!r} {unit} ({per:g} {shown}) is above the plausible maximum "
                         f"{limit:g} {shown} for {drugkey}: check the unit (accepted 0–{limit:g} {shown})")
    if unit in PER_M2_UNITS:
        if bsa_m2 is None:
            raise ValueError(f"bsa_m2=None: a per-m² dose ({unit}) needs a BSA in "
                             f"{BSA_RANGE_M2[0]:g}–{BSA_RANGE_M2[1]:g} m²")
        b = float(_check_range("bsa_m2", bsa_m2, *BSA_RANGE_M2, "m²"))
        final = per * b
        if final > limit * BSA_RANGE_M2[1]:  # the cap on the final dose (mg), after multiplication
            raise ValueError(f"dose={dose!r} {unit} × bsa_m2={b:g} = {final:g} mg is above the cap "
                             f"{limit * BSA_RANGE_M2[1]:g} mg for {drugkey}")
        return final
    return per


#: Parts of a DRUG name in regimen.csv that are our assumption, not the abstract's (it prints only "G-CSF").
ASSUMED_NAME_PARTS: dict[str, str] = {"gcsf": " (filgrastim)"}


def abstract_drug_names(regimen: pd.DataFrame) -> list[str]:
    """The regimen's drug names as the abstract prints them (our assumed product names removed), in row order."""
    v.check_regimen("regimen", regimen)
    return [name.replace(ASSUMED_NAME_PARTS[key], "") if key in ASSUMED_NAME_PARTS else name
            for name, key in zip(regimen["DRUG"], regimen["DRUGKEY"])]


def regimen_table(regimen: pd.DataFrame) -> pd.DataFrame:
    """The regimen as a readable table: drug, dose as written, route, days, administrations per cycle,
    and the dose per cycle in mg/m² (per-m² drugs) or mg (flat)."""
    v.check_regimen("regimen", regimen)
    rows = []
    for r in regimen.itertuples(index=False):
        n_days = int(r.LASTDAY) - int(r.FIRSTDAY) + 1
        unit = r.UNIT.replace("m2", "m²").replace("ug", "µg")
        days = f"{r.FIRSTDAY}" if r.FIRSTDAY == r.LASTDAY else f"{r.FIRSTDAY}–{r.LASTDAY}"
        per_mg = to_mg(r.DOSE, r.UNIT)
        per_cycle = f"{per_mg * n_days:g} mg/m²" if r.UNIT in PER_M2_UNITS else f"{r.DOSE * n_days:g} {unit}"
        rows.append({"Drug": r.DRUG, "Dose": f"{r.DOSE:g} {unit}", "Basis": r.BASIS, "Route": r.ROUTE,
                     "Days": days, "Administrations per cycle": n_days, "Per cycle": per_cycle,
                     "Cycle length (days)": int(r.CYCLEDAYS), "Max cycles": int(r.MAXCYCLES)})
    return pd.DataFrame(rows)


def schedule(regimen: pd.DataFrame, n_cycles: int = 2) -> pd.DataFrame:
    """Long table of dosing days: DRUG, CYCLE, DAY_IN_CYCLE, DAY (cycle k starts on day (k−1)·CYCLEDAYS)."""
    v.check_regimen("regimen", regimen)
    v.check_int("n_cycles", n_cycles, 1, int(pd.to_numeric(regimen["MAXCYCLES"]).max()))
    if n_cycles < 1:
        raise ValueError(f"n_cycles={n_cycles!r} must be ≥ 1")
    rows = []
    for r in regimen.itertuples(index=False):
        for cycle in range(1, n_cycles + 1):
            for d in range(int(r.FIRSTDAY), int(r.LASTDAY) + 1):
                rows.append({"DRUG": r.DRUG, "DRUGKEY": r.DRUGKEY, "CYCLE": cycle, "DAY_IN_CYCLE": d,
                             "DAY": (cycle - 1) * int(r.CYCLEDAYS) + d})
    return pd.DataFrame(rows)


def patient_doses(adsl: pd.DataFrame, regimen: pd.DataFrame, bsa_col: str = "BSA") -> pd.DataFrame:
    """One row per patient × drug: USUBJID, DRUGKEY, BSA, DAYS, PER_DAY_MG, PER_CYCLE_MG.

    Doses come from ``regimen`` (DOSE, UNIT, FIRSTDAY..LASTDAY); per-m² drugs use ``adsl[bsa_col]``,
    which must agree with the patient's height and weight (``helpers.validate.check_patient_sizes``).
    """
    v.check_regimen("regimen", regimen)
    v.check_patient_sizes("adsl", adsl, bsa_col)
    rows = []
    for r in regimen.itertuples(index=False):
        n_days = int(r.LASTDAY) - int(r.FIRSTDAY) + 1
        for u, b in zip(adsl["USUBJID"], adsl[bsa_col]):
            per_day = dose_mg(r.DRUGKEY, r.DOSE, r.UNIT, b)
            rows.append({"USUBJID": u, "DRUGKEY": r.DRUGKEY, "BSA": float(b), "DAYS": n_days,
                         "PER_DAY_MG": per_day, "PER_CYCLE_MG": per_day * n_days})
    return pd.DataFrame(rows)


def dose_summary(doses: pd.DataFrame) -> pd.DataFrame:
    """Cohort summary of :func:`patient_doses`: median (range) per day and per cycle, in the unit
    a prescriber writes (mg; cytarabine also in g; G-CSF in µg)."""
    v.check_frame("doses", doses, ["DRUGKEY", "DAYS", "PER_DAY_MG", "PER_CYCLE_MG"], nonempty=True)
    v.check_float_array("doses['PER_DAY_MG']", doses["PER_DAY_MG"], lo=0, unit="mg")
    v.check_float_array("doses['PER_CYCLE_MG']", doses["PER_CYCLE_MG"], lo=0, unit="mg")
    shown = [("lipomit", "Lipo-MIT", "mg", 1.0, 1), ("cladribine", "Cladribine", "mg", 1.0, 1),
             ("cytarabine", "Cytarabine", "g", 0.001, 2), ("cytarabine", "Cytarabine", "mg", 1.0, 0),
             ("gcsf", "G-CSF", "µg", 1000.0, 0)]
    rows = []
    for key, name, unit, factor, decimals in shown:
        d = doses[doses["DRUGKEY"] == key]
        if d.empty:
            continue
        rows.append({"Drug": name, "Unit": unit, "Days per cycle": int(d["DAYS"].iloc[0]),
                     "Per day, median (range)": median_range(d["PER_DAY_MG"] * factor, decimals),
                     "Per cycle, median (range)": median_range(d["PER_CYCLE_MG"] * factor, decimals)})
    return pd.DataFrame(rows)


def formula_dose_spread(adsl: pd.DataFrame, regimen: pd.DataFrame) -> pd.DataFrame:
    """For every patient and per-m² drug: the per-cycle dose (mg) under each BSA formula, and
    SPREAD_PCT = (max − min) / Mosteller × 100."""
    v.check_regimen("regimen", regimen)
    bt = bsa_table(adsl)
    rows = []
    for r in regimen[regimen["UNIT"].isin(PER_M2_UNITS)].itertuples(index=False):
        n_days = int(r.LASTDAY) - int(r.FIRSTDAY) + 1
        for row in bt.to_dict("records"):
            rec = {"USUBJID": row["USUBJID"], "DRUGKEY": r.DRUGKEY, "DRUG": r.DRUG}
            for name in BSA_FORMULAS:
                rec[name] = dose_mg(r.DRUGKEY, r.DOSE, r.UNIT, row[name]) * n_days
            values = [rec[n] for n in BSA_FORMULAS]
            rec["SPREAD_PCT"] = (max(values) - min(values)) / rec["Mosteller"] * 100
            rows.append(rec)
    return pd.DataFrame(rows)


def doxorubicin_equivalent(mitox_mg_m2, ratio: float):
    """Doxorubicin-equivalent dose (mg/m²) of a mitoxantrone dose: dose × ratio."""
    v.check_float("ratio", ratio, 0, 50, lo_open=True)
    v.check_float_array("mitox_mg_m2", mitox_mg_m2, 0, MAX_CUMULATIVE_MITOX_MG_M2, "mg/m²",
                        " (cumulative mitoxantrone; more is a unit slip)")
    if ratio <= 0:
        raise ValueError(f"ratio={ratio!r} must be > 0")
    arr = np.asarray(mitox_mg_m2, dtype=float)
    if (arr < 0).any() or not np.isfinite(arr).all():
        raise ValueError(f"mitox_mg_m2={mitox_mg_m2!r} must be finite and ≥ 0 mg/m²")
    out = arr * ratio
    return float(out) if out.ndim == 0 else out


def cumulative_mitoxantrone(adsl: pd.DataFrame, regimen: pd.DataFrame, drugkey: str = "lipomit") -> pd.DataFrame:
    """Per patient: NCYCLES, cumulative mitoxantrone (as Lipo-MIT) in mg/m² and mg, % of the
    conventional label limit (140 mg/m²), and doxorubicin-equivalents with the old (4) and the
    Feijen 2019 (10.5) ratios. Assumes every cycle given at the full protocol dose."""
    v.check_regimen("regimen", regimen)
    v.check_str("drugkey", drugkey)
    v.check_patient_sizes("adsl", adsl)
    v.check_frame("adsl", adsl, ["NCYCLES"])
    v.check_float_array("adsl['NCYCLES']", adsl["NCYCLES"], 1, int(pd.to_numeric(regimen["MAXCYCLES"]).max()),
                        "cycles (the regimen's MAXCYCLES)")
    r = regimen.loc[regimen["DRUGKEY"] == drugkey]
    if r.empty:
        raise ValueError(f"drugkey={drugkey!r} is not in the regimen; expected one of {list(regimen['DRUGKEY'])}")
    r = r.iloc[0]
    per_cycle_m2 = to_mg(r["DOSE"], r["UNIT"]) * (int(r["LASTDAY"]) - int(r["FIRSTDAY"]) + 1)
    out = adsl[["USUBJID", "NCYCLES", "BSA"]].copy()
    out["NCYCLES"] = out["NCYCLES"].astype(int)
    out["CUM_MG_M2"] = per_cycle_m2 * out["NCYCLES"]
    if out["CUM_MG_M2"].max() > MITOX_LABEL_CUMULATIVE_LIMIT_MG_M2:  # guard against the label reference
        raise ValueError(f"regimen: {drugkey} gives a cumulative {out['CUM_MG_M2'].max():g} mg/m², above the label "
                         f"reference {MITOX_LABEL_CUMULATIVE_LIMIT_MG_M2:g} mg/m²; accepted: at most that "
                         "(check DOSE, UNIT, days and NCYCLES)")
    out["CUM_MG"] = out["CUM_MG_M2"] * out["BSA"]
    out["PCT_OF_LABEL_LIMIT"] = 100 * out["CUM_MG_M2"] / MITOX_LABEL_CUMULATIVE_LIMIT_MG_M2
    out["DOXEQ_OLD_MG_M2"] = doxorubicin_equivalent(out["CUM_MG_M2"].to_numpy(), DOX_EQ_RATIO_MITOX_OLD)
    out["DOXEQ_FEIJEN_MG_M2"] = doxorubicin_equivalent(out["CUM_MG_M2"].to_numpy(), DOX_EQ_RATIO_MITOX_FEIJEN)
    return out


# --------------------------------------------------------------------------- prior exposure
#: Doxorubicin-equivalence ratios for cardiomyopathy, with 95 % CIs where one was estimated. All are
#: conventions derived in childhood-cancer survivors (Feijen et al., JAMA Oncol 2019;5:864, Table 3:
#: daunorubicin 0.6 (0.4–1.0), epirubicin 0.8 (0.5–2.8), mitoxantrone 10.5 (6.2–19.1); idarubicin was
#: "not estimable", so the older Children's Oncology Group factor 5 is used and has no CI). The
#: International Late Effects of Childhood Cancer Guideline Harmonization Group adopted 0.6 and 10.5 and
#: made no recommendation for idarubicin or epirubicin. None was derived in adults or for a liposomal drug.
DOX_EQ_RATIOS: dict[str, tuple[float, float | None, float | None]] = {
    "doxorubicin": (1.0, None, None),
    "daunorubicin": (0.6, 0.4, 1.0),
    "epirubicin": (0.8, 0.5, 2.8),
    "idarubicin": (5.0, None, None),
    "mitoxantrone": (DOX_EQ_RATIO_MITOX_FEIJEN, *DOX_EQ_RATIO_MITOX_FEIJEN_CI),
}
#: Usual first-induction doses ("7+3"), for the prior-exposure arithmetic only: daunorubicin 60 mg/m² or
#: idarubicin 12 mg/m² on days 1–3.
DAUNORUBICIN_7_3_MG_M2: float = 60.0
IDARUBICIN_7_3_MG_M2: float = 12.0
INDUCTION_ANTHRACYCLINE_DAYS: int = 3


def prior_exposure(courses: pd.DataFrame) -> pd.DataFrame:
    """Cumulative anthracycline/anthracenedione exposure as doxorubicin-equivalents.

    ``courses`` has one row per course with columns ``DRUG`` (a key of ``DOX_EQ_RATIOS``), ``DOSE_MG_M2``
    (per administration) and ``DAYS`` (administrations). Returns one row per course plus a ``TOTAL`` row:
    cumulative mg/m², the ratio, and the doxorubicin-equivalent (mg/m²) at the ratio and at its CI limits
    (NaN where no CI exists). The TOTAL row's limits add each course's limits (a course without a CI adds
    its point value): a sensitivity range over the ratios, not a confidence interval. Liposomal
    mitoxantrone counted as ``mitoxantrone`` is worst-case bookkeeping.
    """
    needed = ["DRUG", "DOSE_MG_M2", "DAYS"]
    missing = [c for c in needed if c not in courses.columns]
    if missing:
        raise ValueError(f"courses is missing column(s) {missing}; prior_exposure needs {needed}")
    rows = []
    for r in courses.itertuples(index=False):
        if r.DRUG not in DOX_EQ_RATIOS:
            raise ValueError(f"DRUG={r.DRUG!r} has no doxorubicin-equivalence ratio; accepted: {list(DOX_EQ_RATIOS)}")
        dose = _check_range("DOSE_MG_M2", r.DOSE_MG_M2, 0.0, 200.0, "mg/m² per administration")
        days = _check_range("DAYS", r.DAYS, 1, 14, "administrations")
        cum = float(dose) * float(days)
        ratio, lo, hi = DOX_EQ_RATIOS[r.DRUG]
        rows.append({"DRUG": r.DRUG, "CUM_MG_M2": cum, "RATIO": ratio, "DOXEQ_MG_M2": cum * ratio,
                     "DOXEQ_LOW_MG_M2": cum * lo if lo is not None else np.nan,
                     "DOXEQ_HIGH_MG_M2": cum * hi if hi is not None else np.nan})
    out = pd.DataFrame(rows, columns=["DRUG", "CUM_MG_M2", "RATIO", "DOXEQ_MG_M2", "DOXEQ_LOW_MG_M2",
                                      "DOXEQ_HIGH_MG_M2"])
    total = {"DRUG": "TOTAL", "CUM_MG_M2": np.nan, "RATIO": np.nan, "DOXEQ_MG_M2": out["DOXEQ_MG_M2"].sum(),
             # a course without a CI contributes its point value to both limits
             "DOXEQ_LOW_MG_M2": out["DOXEQ_LOW_MG_M2"].fillna(out["DOXEQ_MG_M2"]).sum(),
             "DOXEQ_HIGH_MG_M2": out["DOXEQ_HIGH_MG_M2"].fillna(out["DOXEQ_MG_M2"]).sum()}
    return pd.concat([out, pd.DataFrame([total])], ignore_index=True)
