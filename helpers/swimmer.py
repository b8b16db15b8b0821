"""Swimmer plot for chapter 03: one bar per patient from cycle 1 day 1 (TRTSDT) to last
follow-up (the OS observation time in ADTTE), with the events that shape the story."""
from __future__ import annotations

import functools

import numpy as np
import pandas as pd

from helpers import validate as v
from helpers.engine.derive import DAYS_PER_MONTH

__all__ = ["swimmer_data", "plot_swimmer"]

_EVENTS = {"C2SDT": "cycle 2", "CONSDT": "consolidation", "HSCTDT": "HSCT", "RELDT": "relapse"}


def _days(later: pd.Series, start: pd.Series) -> pd.Series:
    return (pd.to_datetime(later) - pd.to_datetime(start)).dt.days


def swimmer_data(adsl: pd.DataFrame, adrs: pd.DataFrame, adtte: pd.DataFrame) -> pd.DataFrame:
    """One row per patient: days from C1D1 to each event (NaN if none), the cycle-1 response and
    its day, the cycle-1 flow MRD result, follow-up days (OS AVAL), whether the patient died and whether
    follow-up ended because the patient was lost (ADSL EOSSTT, not a death)."""
    v.check_frame("adsl", adsl, ["USUBJID", "TRTSDT", "EOSSTT", *_EVENTS])
    v.check_frame("adrs", adrs, ["USUBJID", "PARAMCD", "AVISIT", "AVALC", "ADT"])
    v.check_frame("adtte", adtte, ["USUBJID", "PARAMCD", "AVAL", "CNSR"])
    v.check_unique("adsl", adsl, ["USUBJID"])
    v.check_unique("adrs", adrs, ["USUBJID", "PARAMCD", "AVISIT"])
    v.check_unique("adtte", adtte, ["USUBJID", "PARAMCD"])
    v.check_subjects_in("adrs", adrs, adsl)
    v.check_subjects_in("adtte", adtte, adsl)
    a = adsl.set_index("USUBJID")
    out = pd.DataFrame(index=a.index)
    os_ = adtte[adtte["PARAMCD"] == "OS"].set_index("USUBJID")
    out["followup"] = os_["AVAL"].astype(float).reindex(out.index)
    out["died"] = (os_["CNSR"].reindex(out.index) == 0)
    out["lost"] = a["EOSSTT"].eq(LOST_TO_FOLLOW_UP) & ~out["died"]
    for col, name in _EVENTS.items():
        out[name] = _days(a[col].replace("", None), a["TRTSDT"])
    r1 = adrs[(adrs["PARAMCD"] == "OVRLRESP") & (adrs["AVISIT"] == "CYCLE 1")].set_index("USUBJID")
    out["response"] = r1["AVALC"].reindex(out.index)
    out["response_day"] = _days(r1["ADT"].reindex(out.index), a["TRTSDT"])
    m1 = adrs[(adrs["PARAMCD"] == "MRDFLOW") & (adrs["AVISIT"] == "CYCLE 1")].set_index("USUBJID")
    out["mrd"] = m1["AVALC"].reindex(out.index)
    return out.sort_values("followup")


# A patient without an adequate response assessment (non-evaluable, ELN 2022) is drawn white with a hatch,
# so that "NE" never shares the grey of "NR".
NE_STYLE = {"facecolor": "white", "edgecolor": "#555555", "hatch": "///"}
# CRh and CRi are two light greens; CRh bars also carry a dotted hatch so that the two differ without colour.
HATCHES = {"CRh": "...."}
LOST_TO_FOLLOW_UP = "LOST TO FOLLOW-UP"
# Alive at the cut-off (censored, still followed) and lost to follow-up (censored, status unknown) get
# different end marks: the first is administrative censoring, the second may not be ignorable.
ALIVE_MARK = ">"


@functools.lru_cache(maxsize=None)
def lost_mark():
    """The "lost to follow-up" marker: a "?" glyph as a centred path. Built from the plain font, not as the
    mathtext marker "$?$", whose first use sets up matplotlib's mathtext parser (about 0.35 s of a Run All)."""
    from matplotlib.path import Path
    from matplotlib.textpath import TextPath

    glyph = TextPath((0, 0), "?", size=1)
    box = glyph.get_extents()
    return Path(glyph.vertices - [(box.x0 + box.x1) / 2, (box.y0 + box.y1) / 2], glyph.codes)


UNITS = {"months": DAYS_PER_MONTH, "days": 1.0}


def plot_swimmer(data: pd.DataFrame, ax, colors: dict[str, str], unit: str = "months"):
    """Draw the swimmer plot on ``ax``; bars coloured by cycle-1 response (``colors``; "NE" hatched white).
    ``unit``: "months" (default, 30.4375 days, as in the survival chapter) or "days"."""
    v.check_frame("data", data)
    if not isinstance(colors, dict):
        raise ValueError(f"colors={colors!r} is not accepted; accepted: a dict response -> colour")
    if not hasattr(ax, "barh"):
        raise ValueError(f"ax={ax!r} is not accepted; accepted: a matplotlib Axes")
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    if unit not in UNITS:
        raise ValueError(f"unit={unit!r} is not accepted; accepted: {', '.join(map(repr, UNITS))}")
    scale = UNITS[unit]
    data = data.copy()
    for col in ("followup", "cycle 2", "consolidation", "HSCT", "relapse", "response_day"):
        data[col] = data[col] / scale
    # One barh / plot call per kind of mark for all patients (not one per patient and mark): the same
    # bars and markers, drawn in about a third of the time (each matplotlib call has a fixed cost).
    y = np.arange(len(data))
    ne = (data["response"] == "NE").to_numpy()
    if ne.any():
        ax.barh(y[ne], data["followup"].to_numpy()[ne], height=0.6, **NE_STYLE)
    resp = data["response"].to_numpy()
    for hatch in sorted(set(HATCHES.get(r, "") for r in resp[~ne])):
        sel = ~ne & np.array([HATCHES.get(r, "") == hatch for r in resp])
        ax.barh(y[sel], data["followup"].to_numpy()[sel], height=0.6, hatch=hatch or None,
                edgecolor="#333333" if hatch else None, linewidth=0,
                color=[colors.get(r, "#999999") for r in resp[sel]])
    marks = [("cycle 2", "|", "black", 10), ("consolidation", "s", "white", 6),
             ("HSCT", "*", "gold", 11), ("relapse", "v", "red", 8)]
    for col, marker, face, size in marks:
        hit = data[col].notna().to_numpy()
        if hit.any():
            ax.plot(data[col].to_numpy()[hit], y[hit], marker=marker, color=face, markeredgecolor="black", ms=size,
                    ls="")
    has_day = data["response_day"].notna().to_numpy()
    for status, face, edge in (("NEGATIVE", "white", "black"), ("POSITIVE", "black", None)):
        hit = has_day & (data["mrd"] == status).to_numpy()
        if hit.any():
            ax.plot(data["response_day"].to_numpy()[hit], y[hit], marker="o", color=face, ms=6, ls="",
                    **({"markeredgecolor": edge} if edge else {}))
    died = data["died"].astype(bool).to_numpy()
    if died.any():
        ax.plot(data["followup"].to_numpy()[died], y[died], marker="X", color="black", ms=8, ls="")
    lost = data["lost"].astype(bool).to_numpy() & ~died
    alive = ~died & ~lost
    if alive.any():
        ax.plot(data["followup"].to_numpy()[alive] + 6 / scale, y[alive], marker=ALIVE_MARK, color="black", ms=6, ls="")
    if lost.any():
        ax.plot(data["followup"].to_numpy()[lost] + 9 / scale, y[lost], marker=lost_mark(), color="black", ms=8, ls="")
    ax.set_yticks(range(len(data)))
    ax.set_yticklabels(data.index, fontsize=7)
    ax.set_xlabel(f"{unit} from cycle 1 day 1")
    handles = [Patch(facecolor=c, label=k, hatch=HATCHES.get(k), edgecolor="#333333" if k in HATCHES else c)
               for k, c in colors.items() if k != "NE"]
    if (data["response"] == "NE").any():
        handles.append(Patch(label="NE (non-evaluable)", **NE_STYLE))
    handles += [Line2D([], [], marker="|", color="black", ls="", ms=10, label="cycle 2 start"),
                Line2D([], [], marker="o", color="white", markeredgecolor="black", ls="", label="C1 MRD negative"),
                Line2D([], [], marker="o", color="black", ls="", label="C1 MRD positive"),
                Line2D([], [], marker="s", color="white", markeredgecolor="black", ls="", label="consolidation"),
                Line2D([], [], marker="*", color="gold", markeredgecolor="black", ls="", ms=11, label="HSCT"),
                Line2D([], [], marker="v", color="red", markeredgecolor="black", ls="", label="relapse"),
                Line2D([], [], marker="X", color="black", ls="", label="death"),
                Line2D([], [], marker=ALIVE_MARK, color="black", ls="", label="alive at cut-off (censored)")]
    if lost.any():
        handles.append(Line2D([], [], marker=lost_mark(), color="black", ls="", ms=8, label="lost to follow-up"))
    ax.legend(handles=handles, loc="lower right", fontsize=7, ncol=2, frameon=True)
    return ax
