"""Exercises of 03_response: each expected answer is computed from data/."""
from __future__ import annotations

from helpers.derive import CRC_CATEGORIES, crc_patients, mrd_after_cycle, response_after_cycle
from helpers.exercises import Exercise
from helpers.response import binomial_ci, simon_two_stage
from helpers.tables import load_all


def _orr_wilson_low_pct() -> float:
    t = load_all()
    resp = response_after_cycle(t["adrs"], 1).reindex(t["adsl"]["USUBJID"])
    k = int(resp.isin(CRC_CATEGORIES + ("MLFS", "PR")).sum())
    return 100 * binomial_ci(k, len(t["adsl"]), "wilson")[0]


def _mrd_exact_low_pct() -> float:
    t = load_all()
    crc = crc_patients(t["adrs"])
    mrd = mrd_after_cycle(t["adrs"], 1)
    mrd = mrd[mrd.index.isin(crc)]
    return 100 * binomial_ci(int((mrd == "NEGATIVE").sum()), len(mrd), "exact")[0]


def _crc_without_mrd() -> set[str]:
    t = load_all()
    return set(crc_patients(t["adrs"])) - set(mrd_after_cycle(t["adrs"], 1).index)


def _best_crc() -> int:
    t = load_all()
    ids = t["adsl"]["USUBJID"]
    r1 = response_after_cycle(t["adrs"], 1).reindex(ids).isin(CRC_CATEGORIES)
    r2 = response_after_cycle(t["adrs"], 2).reindex(ids).isin(CRC_CATEGORIES)
    return int((r1 | r2).sum())


def _minimax_n_55() -> int:
    return simon_two_stage(0.50, 0.70, 0.05, 0.80, max_n=60)["minimax"].n


EXERCISES: dict[str, Exercise] = {
    "03.1": Exercise(expected=_orr_wilson_low_pct, abs_tol=0.05, rel_tol=0,
                     hint="Count CR/CRh/CRi/MLFS/PR after cycle 1 over all 27, then "
                          "binomial_ci(k, 27, 'wilson')[0] × 100."),
    "03.2": Exercise(expected=_mrd_exact_low_pct, abs_tol=0.05, rel_tol=0,
                     hint="The MRD denominator is the 15 CRc patients WITH a flow result; "
                          "use method='exact' and multiply by 100."),
    "03.3": Exercise(expected=_crc_without_mrd,
                     hint="crc_patients(adrs) minus the USUBJIDs that have a cycle-1 MRDFLOW row."),
    "03.4": Exercise(expected=_best_crc,
                     hint="A patient counts if CRc after cycle 1 OR after cycle 2 (reindex both on ADSL)."),
    "03.5": Exercise(expected=_minimax_n_55,
                     hint="simon_two_stage(0.50, 0.70, 0.05, 0.80)['minimax'].n"),
}
