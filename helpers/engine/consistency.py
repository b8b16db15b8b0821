"""Internal-consistency checks of the abstract, and what the abstract leaves undetermined.

Every reported number comes from ``data/abstract_facts.csv`` (via :mod:`helpers.engine.facts`); the
functions here only do arithmetic on those numbers, or on cohort tables passed in.

* :func:`grim_table` — GRIM-style check (Brown & Heathers, Soc Psychol Personal Sci 2017;8:363):
  which counts k of n reproduce each printed percentage at the printed number of decimals.
* :func:`denominator_drift` — the sizes of the "CRc" population in successive sentences.
* :func:`consistency_checks` — one row per arithmetic check of the abstract against itself.
* :func:`followup_bound` — how many patients can have been followed beyond 6 months.
* :func:`two_cycle_bounds`, :func:`evaluable_check` — best-response CRc the abstract allows, and
  whether "all 27 efficacy-evaluable" fits the shortest follow-up.
* :func:`consort_checklist` — CONSORT for Abstracts (Hopewell et al., PLoS Med 2008;5:e20),
  adapted to a single-arm trial.
* :func:`unreported_quantities`, :func:`ensemble_table`, :func:`determined_summary` — how unreported
  quantities vary across the cohorts of ONE generator (synthetic: an illustration, not bounds; what the
  abstract determines is proved in :mod:`helpers.engine.bounds`).
"""
from __future__ import annotations

import math
from typing import Iterable

import numpy as np
import pandas as pd

from helpers import validate as v
from helpers.engine.derive import DAYS_PER_MONTH, days_to_months, km_at
from helpers.survival import km_median
from helpers.engine.facts import fact_value, grim_numerators, load_facts, round_half_up

__all__ = ["KM_GROUP_SIZE", "KM_FITS", "KM_NOT_KN", "grim_table", "rounding_interval", "two_cycle_bounds",
           "evaluable_check", "two_cycle_responses", "denominator_drift", "consistency_checks", "followup_bound",
           "consort_checklist", "unreported_quantities", "ensemble_table", "determined_summary",
           "audit_with_links"]

# Kaplan–Meier percentages print no denominator; test them against the size of the group they describe.
# Value: the fact whose count is the group size (a count fact, or the numerator of a percentage fact).
KM_GROUP_SIZE: dict[str, str] = {
    "rfs_6m_pct": "crc_c1_pct",
    "os_6m_pct": "n_enrolled",
    "hsct_rfs_6m_pct": "hsct_group_n",
    "hsct_os_6m_pct": "hsct_group_n",
    "nohsct_rfs_6m_pct": "nohsct_group_n",
    "nohsct_os_6m_pct": "nohsct_group_n",
}


def _count(facts: pd.DataFrame, fact_id: str) -> int:
    """A patient count printed by the abstract: the numerator of a percentage, or a count fact."""
    row = facts.loc[facts["fact_id"] == fact_id]
    if row.empty:
        raise ValueError(f"fact_id={fact_id!r} is not in abstract_facts.csv")
    row = row.iloc[0]
    if row["unit"] == "%":
        if pd.isna(row["numerator"]):
            raise ValueError(f"fact_id={fact_id!r} prints no numerator; expected a count or k/n fact")
        return int(row["numerator"])
    return int(row["value"])


def _facts(facts: pd.DataFrame | None) -> pd.DataFrame:
    if facts is None:
        return load_facts()
    if not isinstance(facts, pd.DataFrame) or "fact_id" not in facts.columns:
        raise ValueError(f"facts={type(facts).__name__} must be the DataFrame of helpers.engine.facts.load_facts()")
    from helpers.engine.facts import FACT_COLUMNS
    from helpers.validate import check_frame
    check_frame("facts", facts, FACT_COLUMNS)
    return facts


# Verdicts of grim_table for Kaplan–Meier estimates.
KM_FITS = "KM: equals some k/n, censoring not excluded"
KM_NOT_KN = "not k/n of the whole group: a KM estimate, or k/m over a subset with known status"


def grim_table(facts: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per printed percentage: which k/n reproduce it.

    Columns: ``fact_id, statement, printed (%), decimals, n, n_source, k_possible`` (list of
    counts), ``verdict``. ``n`` is the population size the percentage is of: *stated* when the
    abstract prints k/n, *implied* (all 27 enrolled) when it prints only a percentage (the
    ``denominator`` column of ``abstract_facts.csv``), or for a Kaplan–Meier estimate the size of
    the group it describes (:data:`KM_GROUP_SIZE`). An empty ``k_possible`` means the printed value
    cannot be a simple proportion of that n — for a 6-month estimate that says only that it is not a
    proportion over the whole group: it may be a KM estimate (censoring makes the steps uneven) or a
    proportion over a subset whose status is known; for a plain proportion it would be an error. A KM estimate that *does* equal
    some k/n (e.g. 100 %) gets the verdict :data:`KM_FITS`: it does not show there was no censoring
    (a curve without events stays at 100 % whoever is censored).
    """
    facts = _facts(facts)
    rows = []
    for f in facts[facts["unit"] == "%"].itertuples(index=False):
        if pd.notna(f.denominator):
            km = False
            n = int(f.denominator)
            source = ("stated (k/n printed)" if pd.notna(f.numerator)
                      else "implied (only % printed; all enrolled)")
        elif f.fact_id in KM_GROUP_SIZE:
            n, source, km = _count(facts, KM_GROUP_SIZE[f.fact_id]), f"group size ({KM_GROUP_SIZE[f.fact_id]})", True
        else:
            continue
        ks = grim_numerators(float(f.value), n, int(f.decimals))
        if ks and km:
            verdict = KM_FITS
        elif ks:
            verdict = "consistent" if (pd.isna(f.numerator) or int(f.numerator) in ks) else "printed k does not fit"
        else:
            verdict = KM_NOT_KN if km else "IMPOSSIBLE as k/n"
        rows.append(dict(fact_id=f.fact_id, statement=f.statement, printed=float(f.value),
                         decimals=int(f.decimals), n=n, n_source=source,
                         k_possible=", ".join(str(k) for k in ks) if ks else "none", verdict=verdict))
    return pd.DataFrame(rows)


def denominator_drift(facts: pd.DataFrame | None = None) -> pd.DataFrame:
    """The size of "the CRc patients" in each sentence that talks about them.

    Columns: ``sentence, n, arithmetic, population, difference`` (n − CRc count after cycle 1).
    ``population`` says whether the sentence names a subset ("with a flow result", "who completed
    therapy": a smaller n is expected) or speaks of CRc patients without restriction (a smaller n
    is unexplained).
    """
    facts = _facts(facts)
    crc = _count(facts, "crc_c1_pct")
    mrd_n = int(facts.loc[facts["fact_id"] == "mrd_neg_c1_pct", "denominator"].iloc[0])
    direct, consol, none = (_count(facts, f) for f in ("postrem_hsct_n", "postrem_consol_hsct_n", "postrem_none_n"))
    hsct, nohsct = _count(facts, "hsct_group_n"), _count(facts, "nohsct_group_n")
    cyto = _count(facts, "cytopenia_n")
    rows = [
        ("CRc rate after cycle 1 (k of CRc/27)", crc, f"{crc}", "all CRc (reference)"),
        ("MRD: CRc with a flow result", mrd_n, f"{mrd_n}", "declared subset"),
        ("CRc who completed therapy (HSCT + consolidation→HSCT + none)", direct + consol + none,
         f"{direct} + {consol} + {none}", "declared subset"),
        ("HSCT vs no-HSCT comparison", hsct + nohsct, f"{hsct} + {nohsct}", "all CRc? (not restricted)"),
        ("Count-recovery sentence (\"Among … CRc pts\")", cyto, f"{cyto}", "all CRc? (not restricted)"),
    ]
    out = pd.DataFrame(rows, columns=["sentence", "n", "arithmetic", "population"])
    out["difference"] = out["n"] - crc
    return out


def consistency_checks(facts: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per check of the abstract against itself.

    Columns: ``check, abstract_says, arithmetic, consistent`` (bool), ``verdict``, ``comment``.
    ``verdict`` is "adds up", "does not add up", or "caveat" (arithmetically possible, but it limits
    what the figures can mean).
    """
    facts = _facts(facts)
    v = lambda fid: fact_value(facts, fid)  # noqa: E731
    rows = []

    def add(check, says, arithmetic, ok, comment, caveat=False):
        verdict = "caveat" if caveat else ("adds up" if ok else "does not add up")
        rows.append(dict(check=check, abstract_says=says, arithmetic=arithmetic, consistent=bool(ok),
                         verdict=verdict, comment=comment))

    ref, rel = v("refractory_pct"), v("relapsed_pct")
    add("Refractory + relapsed = 100%", f"{ref}% + {rel}%", f"{round_half_up(ref + rel, 1)}%",
        math.isclose(ref + rel, 100.0), "every patient is one or the other")
    fav, inter, adv = v("eln_favorable_pct"), v("eln_intermediate_pct"), v("eln_adverse_pct")
    add("ELN 2022 groups sum to 100%", f"{fav}% + {inter}% + {adv}%", f"{round_half_up(fav + inter + adv, 1)}%",
        math.isclose(fav + inter + adv, 100.0), "no patient left unclassified")
    n = _count(facts, "n_enrolled")
    crc, orr = _count(facts, "crc_c1_pct"), _count(facts, "orr_c1_pct")
    add("ORR − CRc = MLFS + PR", f"{orr} − {crc}", f"{orr - crc} patients", orr >= crc,
        "the abstract never says how many MLFS and how many PR")
    mrd_n = int(facts.loc[facts["fact_id"] == "mrd_neg_c1_pct", "denominator"].iloc[0])
    add("MRD denominator ≤ CRc", f"{mrd_n} of {crc}", f"{crc - mrd_n} CRc without a flow result",
        mrd_n <= crc, "why they have no result is not said", caveat=True)
    direct, consol, none = (_count(facts, f) for f in ("postrem_hsct_n", "postrem_consol_hsct_n", "postrem_none_n"))
    hsct, nohsct = _count(facts, "hsct_group_n"), _count(facts, "nohsct_group_n")
    add("HSCT group = direct HSCT + consolidation→HSCT", f"{hsct} vs {direct} + {consol}",
        f"{direct + consol}", hsct == direct + consol, "")
    add("No-HSCT group = 'no further therapy'", f"{nohsct} vs {none}", f"difference {nohsct - none}",
        nohsct == none, f"if the comparison is among CRc who completed therapy, {nohsct} ≠ {none}: someone else is in it")
    add("HSCT comparison covers all CRc", f"{hsct} + {nohsct} vs {crc}", f"{hsct + nohsct}",
        hsct + nohsct == crc, "if the comparison is among all CRc, someone is in neither group")
    done = direct + consol + none
    add("'Completed therapy' is a subset of CRc", f"{direct} + {consol} + {none} vs {crc}",
        f"{done} ≤ {crc}: {crc - done} did not complete therapy", done <= crc,
        "how many did not complete therapy, and why, is never said", caveat=True)
    cyto = _count(facts, "cytopenia_n")
    add("Count-recovery sentence covers all CRc", f"{cyto} vs {crc}", f"difference {cyto - crc}",
        cyto == crc, "who is missing is not said")
    amin, amax = v("age_min"), v("age_max")
    emin, emax = v("elig_age_min"), v("elig_age_max")
    add("Age range inside eligibility", f"{amin:g}–{amax:g} vs {emin:g}–{emax:g}",
        f"youngest {emin - amin:g} years below the minimum", emin <= amin and amax <= emax,
        "a typo, a protocol exception, or a paediatric patient enrolled")
    tc = two_cycle_bounds(facts)
    add("Best response after 2 cycles", f"{tc['two_cycles']} had 2 cycles, all CRc after cycle 2; "
        f"{crc}/{n} CRc after cycle 1",
        f"best-response CRc {tc['best_min']}/{n} to {tc['best_max']}/{n} "
        f"({tc['best_min_pct']:.1f}–{tc['best_max_pct']:.1f}%)", True,
        "how many of the 7 were already CRc after cycle 1 is not said; only the cycle-1 rate is reported",
        caveat=True)
    ev = evaluable_check(facts)
    add("All enrolled 'efficacy-evaluable' vs shortest follow-up",
        f"CRc {crc}/{ev['denominator']}; shortest follow-up {ev['followup_min']} months",
        f"< {ev['max_min_days']:.1f} days observed vs a {ev['cycle_days']}-day cycle", False,
        "very unlikely that every patient had a cycle-1 marrow (an early marrow before day 14 is possible; "
        "assumes follow-up starts on cycle 1 day 1): probably an early death, loss, or enrolment just before "
        "cut-off — evaluable only if a missing assessment counts as no response", caveat=True)
    b = followup_bound(facts)
    add("6-month estimates vs median follow-up",
        f"median {v('followup_median')} months of {n} (true median {b['median_lo']:g}–<{b['median_hi']:g})",
        f"at most {b['max_beyond_median']} of {n} followed beyond the true median, "
        f"so at most {b['max_beyond_median']} reach 6 months (if the median is over all {n} observation times)",
        True, "assumes median follow-up = median of all observation times (not stated; a reverse-KM median "
        "gives another limit); 6-month estimates rest on few patients at risk; no interval given", caveat=True)
    return pd.DataFrame(rows)


def rounding_interval(facts: pd.DataFrame, fact_id: str) -> tuple[float, float]:
    """The interval [lo, hi) of true values that round half-up to the printed value (same unit).

    3.3 printed with 1 decimal → (3.25, 3.35): the true value is ≥ 3.25 and < 3.35.
    """
    facts = _facts(facts)
    v.check_str("fact_id", fact_id)
    row = facts.loc[facts["fact_id"] == fact_id]
    if row.empty:
        raise ValueError(f"fact_id={fact_id!r} is not in abstract_facts.csv")
    row = row.iloc[0]
    if pd.isna(row["decimals"]):
        raise ValueError(f"fact_id={fact_id!r} has no printed number of decimals")
    half = 0.5 * 10.0 ** -int(row["decimals"])
    return round(float(row["value"]) - half, 10), round(float(row["value"]) + half, 10)


def two_cycle_bounds(facts: pd.DataFrame | None = None) -> dict[str, float]:
    """Best-response CRc that the abstract allows, given "7 received 2 cycles, all CRc after two".

    Each 2-cycle patient was either already CRc after cycle 1 (adds nothing) or not (adds one CRc),
    and at most n − CRc patients were not CRc after cycle 1. Keys: ``two_cycles``, ``crc_c1``,
    ``n``, ``best_min`` (= CRc after cycle 1), ``best_max``, and the two as % of n.
    """
    facts = _facts(facts)
    n, crc, two = _count(facts, "n_enrolled"), _count(facts, "crc_c1_pct"), _count(facts, "two_cycles_n")
    best_max = crc + min(two, n - crc)
    return {"two_cycles": two, "crc_c1": crc, "n": n, "best_min": crc, "best_max": best_max,
            "best_min_pct": 100.0 * crc / n, "best_max_pct": 100.0 * best_max / n}


def evaluable_check(facts: pd.DataFrame | None = None) -> dict[str, float]:
    """Could every enrolled patient have had a cycle-1 response assessment?

    The shortest follow-up is printed rounded (0.4 months → < 0.45 months); in days (× 30.4375) that
    is compared with one cycle (the printed cycle length, weeks × 7): response after one cycle is
    read when the cycle ends and counts recover (ELN 2022, Döhner et al. Blood 2022). Follow-up is
    assumed to start at cycle 1 day 1. Keys: ``denominator`` (of the CRc rate), ``followup_min``
    (months, printed), ``max_min_days`` (upper bound of the true minimum, days), ``cycle_days``,
    ``assessable`` (bool: could the shortest-followed patient have had a cycle-1 marrow?).
    """
    facts = _facts(facts)
    den = int(facts.loc[facts["fact_id"] == "crc_c1_pct", "denominator"].iloc[0])
    _, hi = rounding_interval(facts, "followup_min")
    weeks = fact_value(facts, "cycle_length")
    cycle_days = int(round(7 * weeks))
    max_days = hi * DAYS_PER_MONTH
    return {"denominator": den, "followup_min": fact_value(facts, "followup_min"), "max_min_days": max_days,
            "cycle_days": cycle_days, "assessable": bool(max_days >= cycle_days)}


def followup_bound(facts: pd.DataFrame | None = None, adtte: pd.DataFrame | None = None,
                   months: float = 6.0) -> dict[str, float]:
    """How many patients can have contributed beyond ``months``.

    From the abstract alone: the printed median m is rounded, so the true median lies in
    [``median_lo``, ``median_hi``) (:func:`rounding_interval`). With n patients (n odd) the true
    median is the ((n + 1) / 2)-th sorted time, so at most ⌊(n − 1) / 2⌋ times lie strictly above
    it, and at most that many reach ``median_hi`` or any later landmark such as 6 months. (Above the
    *printed* 3.3 there can be more: times between 3.3 and the true median.) From the data (``adtte``
    given): patients whose OS observation time is ≥ ``months``, and those still at risk
    (alive and under follow-up) just before ``months``.
    """
    facts = _facts(facts)
    v.check_float("months", months, 0, lo_open=True, unit="months")
    if adtte is not None:
        v.check_frame("adtte", adtte, ["PARAMCD", "AVAL", "CNSR"])
    if not isinstance(months, (int, float)) or isinstance(months, bool) or months <= 0:
        raise ValueError(f"months={months!r} must be a positive number of months")
    n = _count(facts, "n_enrolled")
    lo, hi = rounding_interval(facts, "followup_median")
    out = {"n": n, "max_beyond_median": (n - 1) // 2, "median_lo": lo, "median_hi": hi}
    if adtte is not None:
        os_rows = adtte[adtte["PARAMCD"] == "OS"]
        if os_rows.empty:
            raise ValueError("adtte has no OS rows (PARAMCD == 'OS')")
        t = days_to_months(os_rows["AVAL"].astype(float))
        out["os_time_ge"] = int((t >= months).sum())
        out["deaths_before"] = int(((t < months) & (os_rows["CNSR"].to_numpy() == 0)).sum())
        out["censored_before"] = int(((t < months) & (os_rows["CNSR"].to_numpy() == 1)).sum())
    return out


def consort_checklist() -> pd.DataFrame:
    """CONSORT for Abstracts items (Hopewell et al., PLoS Med 2008), adapted to a single-arm trial.

    Columns: ``item, expected, in_abstract`` ("yes" / "partly" / "no"), ``what_is_missing``.
    A judgement, written out so it can be argued with.
    """
    rows = [
        ("Trial design", "single-arm, phase, centres", "partly", "phase and number of centres not stated"),
        ("Participants", "eligibility and setting", "partly", "age range of enrolled patients breaks the stated eligibility"),
        ("Interventions", "doses, schedule, number of cycles", "yes", "criteria for giving cycle 2 not stated"),
        ("Objective / primary outcome", "pre-specified, with definition", "partly",
         "CRc named but not defined (CR+CRh+CRi? CR+CRi?); response criteria (ELN 2022?) not named"),
        ("Response landmark", "when response was assessed", "partly", "'after one cycle' — day of marrow not given"),
        ("MRD", "assay, sensitivity, threshold", "no", "flow MRD: no threshold (0.1%?), no sample, no event count"),
        ("Numbers analysed", "n enrolled, n analysed per outcome", "partly",
         "denominators drift 27 → 17 → 16 → 15 without explanation"),
        ("Outcome with precision", "estimate with confidence interval", "no", "no interval for any rate or KM estimate"),
        ("Follow-up", "how estimated", "no", "median of all times or reverse KM? not stated"),
        ("Time-to-event definitions", "origin, events, censoring", "no",
         "RFS origin and events, OS origin, handling of HSCT (censor? time-varying?) not stated"),
        ("HSCT comparison", "how groups were formed", "no",
         "groups defined after baseline: immortal-time/guarantee-time bias not addressed"),
        ("Harms", "AE denominator, grading, grade 5", "partly",
         "percentages without denominator; CTCAE version and deaths/grade 5 events not given"),
        ("Registration", "registry and number", "yes", ""),
        ("Funding", "source of funding", "no", "not stated"),
    ]
    return pd.DataFrame(rows, columns=["item", "expected", "in_abstract", "what_is_missing"])


def unreported_quantities(tables: dict[str, pd.DataFrame], months: float = 6.0) -> dict[str, float]:
    """Quantities a reader might want but the abstract does not print, from one cohort.

    Keys: ``os_12m_pct`` (KM OS at 12 months, %), ``deaths`` (count), ``at_risk_os_6m``
    (patients with OS time ≥ ``months``), ``relapses`` (CRc patients with an RFS event that is a
    relapse or death), ``hsct_median_age`` (years), ``os_median_months`` (KM median OS; NaN if not reached).
    """
    v.check_tables("tables", tables, {"adsl": ["USUBJID", "AGE", "HSCTDT"],
                                      "adtte": ["USUBJID", "PARAMCD", "AVAL", "CNSR", "EVNTDESC"]})
    v.check_float("months", months, 0, lo_open=True, unit="months")
    for name in ("adsl", "adtte"):
        if name not in tables:
            raise ValueError(f"tables is missing {name!r}; expected the dict of helpers.engine.tables.load_all()")
    adsl, adtte = tables["adsl"], tables["adtte"]
    os_rows = adtte[adtte["PARAMCD"] == "OS"]
    t = os_rows["AVAL"].astype(float).to_numpy()
    e = 1 - os_rows["CNSR"].astype(int).to_numpy()
    rfs = adtte[adtte["PARAMCD"] == "RFS"]
    return {
        "os_12m_pct": 100.0 * km_at(t, e, 12.0 * DAYS_PER_MONTH),
        "deaths": float(e.sum()),
        "at_risk_os_6m": float((t >= months * DAYS_PER_MONTH).sum()),
        "relapses": float((rfs["CNSR"].astype(int) == 0).sum()),
        "hsct_median_age": float(adsl.loc[adsl["HSCTGRP"] == "HSCT", "AGE"].median()),
        "os_median_months": km_median(t, 1 - e) / DAYS_PER_MONTH,  # NaN if not reached
    }


def ensemble_table(seeds: Iterable[int], generate=None) -> pd.DataFrame:
    """One row per seed: whether every audited fact matches, plus :func:`unreported_quantities`.

    ``generate`` defaults to :func:`helpers.engine.generator.generate`.
    """
    from helpers.engine.audit import audit
    if generate is None:
        from helpers.engine.generator import generate
    if generate is not None and not callable(generate):
        raise ValueError(f"generate={generate!r} is not accepted; accepted: a function seed -> tables, or None")
    seeds = v.check_seeds("seeds", seeds)
    seeds = list(seeds)
    if not seeds or not all(isinstance(s, (int, np.integer)) and not isinstance(s, bool) for s in seeds):
        raise ValueError(f"seeds={seeds!r} must be a non-empty list of integers")
    facts = load_facts()
    rows = []
    for seed in seeds:
        tables = generate(int(seed))
        a = audit(tables, facts)
        row = {"seed": int(seed), "facts_matched": int(a["match"].sum()), "facts": len(a)}
        row.update(unreported_quantities(tables))
        rows.append(row)
    return pd.DataFrame(rows)


QUANTITY_LABELS = {
    "facts_matched": "audited facts reproduced (of all)",
    "os_12m_pct": "12-month OS, % (KM)",
    "deaths": "deaths by cut-off",
    "at_risk_os_6m": "patients with OS time ≥ 6 months",
    "relapses": "RFS events among CRc",
    "hsct_median_age": "median age of HSCT group, years",
    "os_median_months": "median OS, months (KM)",
}


def determined_summary(ens: pd.DataFrame) -> pd.DataFrame:
    """Per quantity of an :func:`ensemble_table`: min, max, number of distinct values, and whether every
    generated cohort gave the same value (rounded to 1 decimal), column ``same_in_every_generated_cohort``.

    This describes one generator's cohorts, not the abstract: a value that is the same in every generated
    cohort may still be open (the generator hard-wires choices), and the range across cohorts is not a
    bound. Whether the abstract *determines* a quantity is decided by :func:`helpers.engine.bounds.exact_bounds`.
    """
    v.check_frame("ens", ens, nonempty=True)
    missing = [c for c in QUANTITY_LABELS if c not in ens.columns]
    if missing:
        raise ValueError(f"ens is missing column(s) {missing}; expected the output of ensemble_table()")
    rows = []
    for col, label in QUANTITY_LABELS.items():
        x = ens[col].astype(float).round(1)
        rows.append(dict(quantity=label, min=x.min(), max=x.max(), distinct=int(x.nunique(dropna=False)),
                         not_reached=int(x.isna().sum()),
                         same_in_every_generated_cohort=bool(x.nunique(dropna=False) == 1)))
    return pd.DataFrame(rows)


def audit_with_links(audit_df: pd.DataFrame) -> pd.DataFrame:
    """The audit table for display: ✓/✗, and a markdown link to the teaching notebook."""
    v.check_frame("audit_df", audit_df)
    need = ["section", "fact_id", "statement", "reported", "rederived_rounded", "match", "notebook"]
    missing = [c for c in need if c not in audit_df.columns]
    if missing:
        raise ValueError(f"audit_df is missing column(s) {missing}; expected helpers.engine.audit.audit() output")
    out = audit_df[need[:-1]].copy()
    out["match"] = np.where(audit_df["match"], "✓", "✗")
    out["notebook"] = [f"[{nb}]({nb}.ipynb)" for nb in audit_df["notebook"]]
    return out


def two_cycle_responses(adsl: pd.DataFrame, adrs: pd.DataFrame) -> pd.DataFrame:
    """Cycle-1 and cycle-2 overall response of the patients who received 2 cycles (one row each).

    Columns: ``USUBJID, CYCLE 1, CYCLE 2, new_crc`` (True when not CRc after cycle 1 but CRc after
    cycle 2).
    """
    from helpers.engine.derive import CRC_CATEGORIES
    for name, df, cols in (("adsl", adsl, ["USUBJID", "NCYCLES"]), ("adrs", adrs, ["USUBJID", "PARAMCD", "AVISIT", "AVALC"])):
        if not isinstance(df, pd.DataFrame) or any(c not in df.columns for c in cols):
            raise ValueError(f"{name} must be a DataFrame with columns {cols}")
    two = adsl.loc[adsl["NCYCLES"] == 2, "USUBJID"]
    r = adrs[(adrs["PARAMCD"] == "OVRLRESP") & adrs["USUBJID"].isin(two)]
    wide = r.pivot(index="USUBJID", columns="AVISIT", values="AVALC").reindex(columns=["CYCLE 1", "CYCLE 2"])
    wide = wide.reindex(sorted(two)).reset_index()
    wide.columns.name = None
    wide["new_crc"] = ~wide["CYCLE 1"].isin(CRC_CATEGORIES) & wide["CYCLE 2"].isin(CRC_CATEGORIES)
    return wide
