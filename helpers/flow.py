"""Patient flow (CONSORT style), computed from the cohort tables, with the abstract's own counts beside ours.

CONSORT's flow diagram (Schulz, Altman & Moher, BMJ 2010;340:c332; for abstracts Hopewell et al., PLoS Med
2008;5:e20) was written for randomized trials; a single-arm trial adapts it: enrolment, treatment cycles,
response, what happened after remission, and every patient who left the path (early death, lost to
follow-up, relapse before completing therapy).

:func:`flow_counts` returns one row per box. Every ``n`` is computed from ADSL and ADRS; ``abstract`` is the
count the abstract prints for the same box (read from ``abstract_facts.csv``), or empty where it prints none.
:func:`draw_flow` draws the boxes; a box whose two counts differ shows both.

The abstract's figures disagree with each other (17 CRc patients after cycle 1, but "Among 16 CRc pts" and
6 + 10 = 16 in the transplant comparison; 4 + 2 + 9 = 15 "who completed therapy", but 10 "did not receive
HSCT"). The synthetic cohort resolves them with one CRc patient lost to follow-up and one who relapsed before
completing therapy (``data/README.md``); the diagram shows where those two patients sit, and that this
resolution is ours, not the abstract's.
"""
from __future__ import annotations

import pandas as pd

from helpers.engine.derive import CRC_CATEGORIES, response_after_cycle

#: Columns of :func:`flow_counts`.
FLOW_COLUMNS = ["box", "stage", "label", "n", "abstract", "abstract_source", "parent"]
#: Extra columns: the count another sentence of the abstract gives for the same patients, and its source.
ELSEWHERE_COLUMNS = ["abstract_elsewhere", "elsewhere_source"]
#: Extra column: how the abstract gives ``abstract``: "printed" (a number in its text), "sum" or "difference"
#: (implied by printed numbers, never printed itself), or "" where it gives none.
HOW_COLUMN = "abstract_how"
_IMPLIED = {"mlfs_pr_c1": "difference", "crc_completed": "sum"}


def _fact(facts: pd.DataFrame, fact_id: str, use: str = "value") -> int:
    row = facts.loc[facts["fact_id"] == fact_id]
    if row.empty:
        raise ValueError(f"fact_id={fact_id!r} is not in the facts table")
    value = row[use].iloc[0]
    return int(float(value))


def flow_counts(adsl: pd.DataFrame, adrs: pd.DataFrame, facts: pd.DataFrame) -> pd.DataFrame:
    """One row per box of the patient-flow diagram (columns ``FLOW_COLUMNS``).

    ``n`` is counted in ADSL/ADRS; ``abstract`` is the abstract's count for that box (``<NA>`` where it
    prints none) and ``abstract_source`` says which sentence (fact ids joined by ``+``) it comes from.
    Raises ``ValueError`` if a needed column is missing or if a patient has no cycle-1 response row.
    """
    for name, table, cols in [("adsl", adsl, ["USUBJID", "NCYCLES", "POSTREM", "COMPLFL", "EOSSTT", "HSCTGRP"]),
                              ("adrs", adrs, ["USUBJID", "PARAMCD", "AVISIT", "AVALC"])]:
        missing = [c for c in cols if c not in table.columns]
        if missing:
            raise ValueError(f"{name} is missing column(s) {missing}; flow_counts needs {cols}")
    ids = list(adsl["USUBJID"])
    resp1 = response_after_cycle(adrs, 1).reindex(ids)
    if resp1.isna().any():
        raise ValueError(f"patients without a cycle-1 response row: {list(resp1[resp1.isna()].index)}")
    resp2 = response_after_cycle(adrs, 2)
    a = adsl.set_index("USUBJID")
    crc = resp1.isin(CRC_CATEGORIES)
    crc_ids = resp1.index[crc]
    other_resp = resp1.isin(["MLFS", "PR"])
    two = a["NCYCLES"].astype(int) == 2
    lost = a.loc[crc_ids, "EOSSTT"] == "LOST TO FOLLOW-UP"
    not_complete = a.loc[crc_ids, "COMPLFL"] == "N"
    complete = a.loc[crc_ids, "COMPLFL"] == "Y"
    post = a.loc[crc_ids, "POSTREM"]
    n_crc_abs = _fact(facts, "crc_c1_pct", "numerator")
    n_orr_abs = _fact(facts, "orr_c1_pct", "numerator")
    n_all_abs = _fact(facts, "n_enrolled")
    na = pd.NA
    rows = [
        ("enrolled", 0, "Enrolled and treated\n(cycle 1)", len(ids), n_all_abs, "n_enrolled", ""),
        ("crc_c1", 1, "CRc after cycle 1\n(CR/CRh/CRi)", int(crc.sum()), n_crc_abs, "crc_c1_pct", "enrolled"),
        ("mlfs_pr_c1", 1, "MLFS or PR\nafter cycle 1", int(other_resp.sum()), n_orr_abs - n_crc_abs,
         "orr_c1_pct − crc_c1_pct", "enrolled"),
        ("nr_c1", 1, "No response (NR)\nafter cycle 1", int((resp1 == "NR").sum()), na, "", "enrolled"),
        ("ne_c1", 1, "Non-evaluable (NE):\nearly death", int((resp1 == "NE").sum()), na, "", "enrolled"),
        ("cycle2", 2, "Received cycle 2", int(two.sum()), _fact(facts, "two_cycles_n"), "two_cycles_n", ""),
        ("cycle2_from_crc", 2, "  of whom CRc after cycle 1", int((two & crc).sum()), na, "", "crc_c1"),
        ("cycle2_from_mlfs_pr", 2, "  of whom MLFS/PR after cycle 1", int((two & other_resp).sum()), na, "",
         "mlfs_pr_c1"),
        ("crc_c2", 2, "CRc after cycle 2", int(resp2.reindex(a.index[two]).isin(CRC_CATEGORIES).sum()),
         _fact(facts, "two_cycles_crc_pct", "numerator"), "two_cycles_crc_pct", "cycle2"),
        ("crc_lost", 3, "CRc, lost to\nfollow-up", int(lost.sum()), na, "implied: crc_c1_pct numerator vs cytopenia_n", "crc_c1"),
        ("crc_followed", 3, "CRc not lost to follow-up\n(our reading of \"Among 16 CRc pts\")", int((~lost).sum()),
         _fact(facts, "cytopenia_n"),
         "cytopenia_n (\"Among 16 CRc pts\")", "crc_c1"),
        ("crc_relapsed_early", 3, "CRc, relapsed before\ncompleting therapy", int(not_complete.sum()), na,
         "implied: nohsct_group_n vs postrem_none_n", "crc_c1"),
        ("crc_completed", 3, "CRc who \"completed\ntherapy\" (undefined)", int(complete.sum()),
         sum(_fact(facts, f) for f in ("postrem_hsct_n", "postrem_consol_hsct_n", "postrem_none_n")),
         "postrem_hsct_n + postrem_consol_hsct_n + postrem_none_n", "crc_c1"),
        ("hsct_direct", 4, "HSCT directly", int((post == "HSCT").sum()), _fact(facts, "postrem_hsct_n"),
         "postrem_hsct_n", "crc_completed"),
        ("consol_hsct", 4, "Consolidation,\nthen HSCT", int((post == "CONSOLIDATION-HSCT").sum()),
         _fact(facts, "postrem_consol_hsct_n"), "postrem_consol_hsct_n", "crc_completed"),
        ("no_further", 4, "No further therapy", int((post == "NONE").sum()), _fact(facts, "postrem_none_n"),
         "postrem_none_n", "crc_completed"),
        ("group_hsct", 5, "Survival comparison:\nHSCT group", int((a["HSCTGRP"] == "HSCT").sum()),
         _fact(facts, "hsct_group_n"), "hsct_group_n", ""),
        ("group_nohsct", 5, "Survival comparison:\nno-HSCT group", int((a["HSCTGRP"] == "NO HSCT").sum()),
         _fact(facts, "nohsct_group_n"), "nohsct_group_n", ""),
    ]
    out = pd.DataFrame(rows, columns=FLOW_COLUMNS)
    out["abstract"] = out["abstract"].astype("Int64")
    # where another sentence of the abstract counts the same patients differently
    elsewhere = {
        "crc_c1": (_fact(facts, "cytopenia_n"), "cytopenia_n (\"Among 16 CRc pts\"); also "
                   "hsct_group_n + nohsct_group_n"),
        "no_further": (_fact(facts, "nohsct_group_n"), "nohsct_group_n (\"did not receive HSCT\")"),
    }
    out["abstract_elsewhere"] = pd.array([elsewhere[b][0] if b in elsewhere and elsewhere[b][0] != a
                                          else pd.NA for b, a in zip(out["box"], out["abstract"])], dtype="Int64")
    out["elsewhere_source"] = [elsewhere[b][1] if b in elsewhere else "" for b in out["box"]]
    out[HOW_COLUMN] = [_IMPLIED.get(b, "printed") if pd.notna(a) else "" for b, a in zip(out["box"], out["abstract"])]
    return out


# box layout for draw_flow: box id -> (x centre, y centre), in axis units (0..12 × 0..10)
_LAYOUT = {
    "enrolled": (6.0, 9.4),
    "crc_c1": (2.6, 7.5), "mlfs_pr_c1": (6.0, 7.5), "nr_c1": (8.6, 7.5), "ne_c1": (10.9, 7.5),
    "cycle2": (8.6, 5.3),
    "crc_lost": (0.8, 4.9), "crc_relapsed_early": (3.0, 4.9), "crc_completed": (5.4, 4.9),
    "hsct_direct": (3.2, 2.7), "consol_hsct": (5.4, 2.7), "no_further": (7.6, 2.7),
    "group_hsct": (4.3, 0.6), "group_nohsct": (8.2, 0.6),
}
_EDGES = [("enrolled", "crc_c1"), ("enrolled", "mlfs_pr_c1"), ("enrolled", "nr_c1"), ("enrolled", "ne_c1"),
          ("crc_c1", "cycle2"), ("mlfs_pr_c1", "cycle2"),
          ("crc_c1", "crc_lost"), ("crc_c1", "crc_relapsed_early"), ("crc_c1", "crc_completed"),
          ("crc_completed", "hsct_direct"), ("crc_completed", "consol_hsct"), ("crc_completed", "no_further"),
          ("hsct_direct", "group_hsct"), ("consol_hsct", "group_hsct"), ("no_further", "group_nohsct"),
          ("crc_relapsed_early", "group_nohsct")]
_HALF_HEIGHT = 0.62
#: edges drawn through waypoints so that they pass between, not through, the boxes on their way: the
#: relapsed-early patients go down the gap between "HSCT directly" and "Consolidation, then HSCT"
_GAP_X = (_LAYOUT["hsct_direct"][0] + _LAYOUT["consol_hsct"][0]) / 2
_WAYPOINTS = {("crc_relapsed_early", "group_nohsct"): [(_GAP_X, _LAYOUT["consol_hsct"][1] + 0.9),
                                                        (_GAP_X, _LAYOUT["consol_hsct"][1] - 0.95)]}


def box_text(row: pd.Series) -> str:
    """The text of one box: label, our n, and the abstract's count(s) for the same patients; a count the
    abstract only implies (a sum or difference of printed numbers) says so: "abstract (sum): 15"."""
    text = f"{row['label'].strip()}\nn = {row['n']}"
    if pd.notna(row["abstract"]):
        same = int(row["abstract"]) == int(row["n"])
        how = row.get(HOW_COLUMN, "printed")
        tag = "abstract" if how in ("printed", "") else f"abstract ({how})"
        text += f"\n{tag}: {int(row['abstract'])}{'' if same else ' (differs)'}"
    if pd.notna(row.get("abstract_elsewhere", pd.NA)):
        text += f"\nelsewhere in the abstract: {int(row['abstract_elsewhere'])}"
    return text


def draw_flow(counts: pd.DataFrame, ax, colors: dict[str, str] | None = None, title: str | None = None):
    """Draw the boxes of :func:`flow_counts` on a matplotlib axis. A box for which the abstract prints a
    different count (here or in another sentence) gets a thick outline. ``colors`` maps box id → face
    colour (default white). The cycle-2 box also shows where its patients came from."""
    needed = set(_LAYOUT) | {"cycle2_from_crc", "cycle2_from_mlfs_pr", "crc_c2"}
    missing = sorted(needed - set(counts["box"]))
    if missing:
        raise ValueError(f"counts lacks the box(es) {missing}; pass the table flow_counts returns")
    rows = counts.set_index("box")
    colors = colors or {}
    for a, b in _EDGES:
        (x0, y0), (x1, y1) = _LAYOUT[a], _LAYOUT[b]
        start = (x0, y0 - _HALF_HEIGHT)
        via = _WAYPOINTS.get((a, b), [])
        if via:
            xs, ys = zip(start, *via)
            ax.plot(xs, ys, color="#555555", lw=0.9)
            start = via[-1]
        ax.annotate("", xy=(x1, y1 + _HALF_HEIGHT), xytext=start,
                    arrowprops=dict(arrowstyle="->", color="#555555", lw=0.9))
    for box, (x, y) in _LAYOUT.items():
        row = rows.loc[box]
        text = box_text(row)
        if box == "cycle2":
            text += (f"\nfrom CRc {rows.loc['cycle2_from_crc', 'n']}, from MLFS/PR "
                     f"{rows.loc['cycle2_from_mlfs_pr', 'n']}\nCRc after cycle 2: {rows.loc['crc_c2', 'n']}")
        differs = ((pd.notna(row["abstract"]) and int(row["abstract"]) != int(row["n"]))
                   or pd.notna(row.get("abstract_elsewhere", pd.NA)))
        ax.text(x, y, text, ha="center", va="center", fontsize=7.5,
                bbox=dict(boxstyle="round,pad=0.35", facecolor=colors.get(box, "white"),
                          edgecolor="black", linewidth=2.2 if differs else 0.8))
    ax.set_xlim(-0.4, 12.2)
    ax.set_ylim(-0.2, 10.1)
    ax.axis("off")
    if title:
        ax.set_title(title)
    return ax
