"""Kaplan–Meier drawing rules for chapter 04: numbers at risk under every plot, curves that start only
when their risk set is non-empty, and tails that rest on too few patients drawn differently.

Pure helpers: :func:`at_risk_counts` and :func:`km_steps` return DataFrames; :func:`plot_km` and
:func:`draw_at_risk` draw on a matplotlib axis that the caller owns. Times in the caller's unit.
"""
from __future__ import annotations

from typing import Iterable

import numpy as np
import pandas as pd

from helpers.survival import validate_cnsr, validate_times

__all__ = ["at_risk_counts", "km_steps", "plot_km", "draw_at_risk"]


def at_risk_counts(stop: Iterable[float], ticks: Iterable[float], start: Iterable[float] | None = None) -> list[int]:
    """Number at risk at each tick: rows with start < tick ≤ stop (delayed entry), or stop ≥ tick when
    ``start`` is None (everyone enters at 0). At tick 0 with no ``start``, everyone counts."""
    s = validate_times(stop, name="stop")
    t = validate_times(ticks, name="ticks")
    if start is None:
        return [int((s >= u).sum()) for u in t]
    b = validate_times(start, name="start")
    if b.size != s.size:
        raise ValueError(f"start has {b.size} values but stop has {s.size}; they must have the same length")
    return [int(((b < u) & (s >= u)).sum()) if u > 0 else int(((b <= 0) & (s >= 0)).sum()) for u in t]


def km_steps(stop, event, start=None) -> pd.DataFrame:
    """Product-limit steps with delayed entry: ``time, at_risk, events, survival`` at each event time,
    starting with a row at the first entry time (survival 1). The risk set at time t counts rows with
    start < t ≤ stop, so a curve for "after HSCT" begins only at the first transplant."""
    s = validate_times(stop, name="stop")
    d = 1 - validate_cnsr(1 - np.asarray(event, dtype=float), n=s.size, name="event")
    b = np.zeros_like(s) if start is None else validate_times(start, name="start")
    if b.size != s.size:
        raise ValueError(f"start has {b.size} values but stop has {s.size}; they must have the same length")
    first = float(b.min())
    rows, surv = [(first, int(((b <= first) & (s > first)).sum()), 0, 1.0)], 1.0
    for u in np.unique(s[d == 1]):
        n = int(((b < u) & (s >= u)).sum())
        k = int(((s == u) & (d == 1)).sum())
        surv *= 1.0 - k / n
        rows.append((float(u), n, k, surv))
    return pd.DataFrame(rows, columns=["time", "at_risk", "events", "survival"])


def plot_km(ax, stop, event, start=None, *, end: float | None = None, min_at_risk: int = 2,
            label: str = "", color=None, censor_ticks: bool = True, censored=None):
    """Step curve of :func:`km_steps`, solid while at least ``min_at_risk`` patients are at risk and
    dotted once fewer remain for good; censoring ticks as "|". ``end`` = last time drawn (default: the last
    stop time). ``censored``: which rows get a censoring tick (booleans, one per row; default: every row
    with ``event`` 0). A row that leaves the curve without being censored — in a Simon–Makuch plot, a
    patient moving to the other state at transplant — is left out of it: it is not a censoring.
    Returns the time from which the tail is dotted, or None."""
    if isinstance(min_at_risk, bool) or not isinstance(min_at_risk, (int, np.integer)) or min_at_risk < 1:
        raise ValueError(f"min_at_risk={min_at_risk!r} is not accepted; accepted: an integer >= 1")
    steps = km_steps(stop, event, start)
    s = validate_times(stop, name="stop")
    b = np.zeros_like(s) if start is None else np.asarray(start, dtype=float)
    end = float(s.max()) if end is None else float(end)
    xs = list(steps["time"]) + [end]
    ys = list(steps["survival"]) + [steps["survival"].iloc[-1]]
    # number at risk just after each x: drives solid vs dotted
    grid = np.unique(np.r_[xs, b, s])
    grid = grid[grid <= end]
    n_after = np.array([int(((b <= x) & (s > x)).sum()) for x in grid])
    # the tail: from the first grid point after which fewer than min_at_risk remain for good
    thin_from = None
    for x, n in zip(grid[::-1], n_after[::-1]):
        if n >= min_at_risk:
            break
        thin_from = x
    if thin_from is not None and thin_from >= end:
        thin_from = None
    line = ax.step(xs, ys, where="post", color=color, label=label)[0]
    if thin_from is not None:
        line.remove()
        keep = [x <= thin_from for x in xs]
        xa = [x for x, k in zip(xs, keep) if k] + [thin_from]
        ya = [y for y, k in zip(ys, keep) if k] + [ys[sum(keep) - 1]]
        ax.step(xa, ya, where="post", color=color, label=label)
        xb = [thin_from] + [x for x, k in zip(xs, keep) if not k]
        yb = [ya[-1]] + [y for y, k in zip(ys, keep) if not k]
        ax.step(xb, yb, where="post", color=color, ls=":", alpha=0.7)
    if censor_ticks:
        d = np.asarray(event, dtype=int)
        if censored is None:
            mask = d == 0
        else:
            mask = np.asarray(censored)
            if mask.dtype != bool or mask.shape != s.shape:
                raise ValueError(f"censored={censored!r} is not accepted; accepted: booleans, one per row of stop "
                                 f"({s.size})")
            if (mask & (d == 1)).any():
                raise ValueError("censored marks a row with an event as censored; accepted: True only where event is 0")
        cens = s[mask]
        # the curve's height at each censoring: the last step at or before it (steps are sorted by time)
        yc = steps["survival"].to_numpy()[np.searchsorted(steps["time"].to_numpy(), cens, side="right") - 1]
        ax.plot(cens, yc, ls="", marker="|", ms=9, color=color)
    return thin_from


def draw_at_risk(ax, ticks, rows: dict[str, list[int]], fontsize: int = 8, y0: float = -0.22, dy: float = 0.07):
    """Write a number-at-risk table under ``ax``: one text row per entry of ``rows`` (label → counts at
    ``ticks``), in axis-fraction coordinates below the x-axis."""
    ticks = list(ticks)
    for i, (name, counts) in enumerate(rows.items()):
        if len(counts) != len(ticks):
            raise ValueError(f"rows[{name!r}] has {len(counts)} counts for {len(ticks)} ticks; they must match")
        y = y0 - i * dy
        ax.annotate(name, xy=(0, y), xycoords=("axes fraction", "axes fraction"), ha="right", va="center",
                    fontsize=fontsize, xytext=(-16, 0), textcoords="offset points")
        for t, c in zip(ticks, counts):
            ax.annotate(str(c), xy=(t, y), xycoords=("data", "axes fraction"), ha="center", va="center",
                        fontsize=fontsize)
    ax.annotate("At risk", xy=(0, y0 + dy), xycoords="axes fraction", ha="right", va="center",
                fontsize=fontsize, fontweight="bold", xytext=(-16, 0), textcoords="offset points")
