"""One look for every figure of the collection: seaborn theme, named colours, figure size.

Call ``apply()`` once near the top of a notebook (after the imports)::

    from helpers import style
    style.apply()
    sns.barplot(..., palette=style.RESPONSE_COLORS)

Colours come from the Okabe–Ito palette, which stays distinguishable for the common forms of
colour-vision deficiency. Importing this module is cheap: matplotlib and seaborn are imported only
inside ``apply()``.
"""
from __future__ import annotations

import os

__all__ = [
    "OKABE_ITO", "RESPONSE_COLORS", "HSCT_COLORS", "ELN_COLORS", "DISEASE_COLORS", "TRACK_COLORS",
    "COMPARISON_COLORS", "MEANING_PALETTES", "CYCLE",
    "FIGSIZE", "DPI", "SVG_HASHSALT", "apply", "color_for", "show_uncropped", "margins",
]

# Okabe & Ito (2008), "Color Universal Design".
OKABE_ITO: dict[str, str] = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "bluish_green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish_purple": "#CC79A7",
    "grey": "#999999",
}

# One colour per meaning across the collection: no hex code below carries two meanings (a test checks it).
# Each clinical scale gets its own hue family, so "green" always means remission, "purple" always ELN risk,
# blue/vermillion always the transplant comparison, brown always disease status.

# Response categories (ELN 2022), best to worst: remission = greens (dark CR → light CRi); partial
# answers warm; no response dark grey; non-evaluable light grey.
RESPONSE_COLORS: dict[str, str] = {
    "CR": OKABE_ITO["bluish_green"],
    "CRh": "#5CC3A0",
    "CRi": "#A8DCC8",
    "MLFS": OKABE_ITO["yellow"],
    "PR": OKABE_ITO["orange"],
    "NR": "#666666",
    "NE": "#C4C4C4",
}

HSCT_COLORS: dict[str, str] = {
    "HSCT": OKABE_ITO["blue"],
    "NO HSCT": OKABE_ITO["vermillion"],
}

# ELN 2022 genetic risk: one purple scale, light (favorable) to dark (adverse), ordered by lightness so
# it reads in grey print and with colour-vision deficiency.
ELN_COLORS: dict[str, str] = {
    "FAVORABLE": "#CBC9E2",
    "INTERMEDIATE": "#9E9AC8",
    "ADVERSE": "#54278F",
}

# Disease status at enrolment: browns.
DISEASE_COLORS: dict[str, str] = {
    "REFRACTORY": "#8C510A",
    "RELAPSED": "#DFC27D",
}

# Oncoprint cells and tracks, and the "abstract vs ours" markers used in comparison figures.
TRACK_COLORS: dict[str, str] = {
    "mutated": "#404040",
    "not mutated": "#EEEEEE",
    "secondary AML": OKABE_ITO["reddish_purple"],
    "not secondary AML": "#F7F7F7",
}
COMPARISON_COLORS: dict[str, str] = {
    "abstract": OKABE_ITO["black"],
    "re-derived": OKABE_ITO["sky_blue"],
}

# Default colour cycle for anything not named above.
CYCLE: tuple[str, ...] = (
    OKABE_ITO["blue"], OKABE_ITO["vermillion"], OKABE_ITO["bluish_green"], OKABE_ITO["orange"],
    OKABE_ITO["reddish_purple"], OKABE_ITO["sky_blue"], OKABE_ITO["yellow"], OKABE_ITO["black"],
)

FIGSIZE: tuple[float, float] = (6.4, 4.0)
DPI: int = 100
#: How notebooks encode their PNGs (:func:`show_uncropped`).
PNG_SAVE: dict[str, int] = {"compress_level": 3}
SVG_HASHSALT: str = "lipomit-clag"

_NAMED = {"response": RESPONSE_COLORS, "hsct": HSCT_COLORS, "eln": ELN_COLORS, "disease": DISEASE_COLORS}
#: Every palette with a meaning: no colour may appear in two of them (tests/test_style.py).
MEANING_PALETTES = {**_NAMED, "track": TRACK_COLORS, "comparison": COMPARISON_COLORS}


def color_for(category: str) -> str:
    """Hex colour of a named category (response, HSCT group, ELN risk or disease status), case-insensitive."""
    if isinstance(category, str):
        wanted = " ".join(category.split()).casefold()
        for colors in _NAMED.values():
            for name, hex_color in colors.items():
                if name.casefold() == wanted:
                    return hex_color
    accepted = ", ".join(name for colors in _NAMED.values() for name in colors)
    raise ValueError(f"category={category!r} has no colour; accepted: {accepted}.")


JITTER_SEED = 2025


def apply() -> None:
    """Set the collection's seaborn theme and make saved figures reproducible byte for byte."""
    # PDF/PS writers stamp a creation date unless SOURCE_DATE_EPOCH is set.
    os.environ.setdefault("SOURCE_DATE_EPOCH", "0")
    # seaborn's stripplot jitter draws from NumPy's global generator: seed it so figures repeat.
    import numpy as np

    np.random.seed(JITTER_SEED)

    # Tables show every cell's text whole (the abstract's sentences, definitions): no "…" cut.
    import pandas as pd

    pd.set_option("display.max_colwidth", None)

    import seaborn as sns

    sns.set_theme(
        context="notebook",
        style="whitegrid",
        palette=list(CYCLE),
        rc={
            "figure.figsize": FIGSIZE,
            "figure.dpi": DPI,
            "savefig.dpi": DPI,
            "svg.hashsalt": SVG_HASHSALT,  # fixed ids inside SVGs instead of random ones
            "svg.fonttype": "path",
            "pdf.compression": 6,
            "axes.titlelocation": "left",
            # Titles sit just above the axes (where matplotlib's automatic placement puts them when, as in
            # every figure here, no tick labels are on top), without measuring every tick label for it on
            # each draw: that measuring was a tenth of chapter 04's Run All.
            "axes.titley": 1.0,
            # Glyphs drawn unhinted: at these sizes they look the same, and drawing text (tick labels, at-risk
            # tables) is most of a figure's cost; hinting added about a quarter to it (chapter 04's seven
            # figures: 1.2 -> 0.93 CPU-s, benchmarks/profile_notebooks.py).
            "text.hinting": "none",
            "axes.spines.top": False,
            "axes.spines.right": False,
        },
    )


def show_uncropped() -> None:
    """In a notebook, show each figure at its own size, with the margins it sets (:func:`margins`), instead
    of cropping it to what it draws (the inline backend's default, ``bbox_inches="tight"``). The crop draws
    every figure twice, once to measure it: in chapter 04, about half the time its seven figures take
    (benchmarks/profile_notebooks.py). A figure shown this way must leave room for everything it draws
    outside its axes (titles, tables under the axis): give it :func:`margins`. Does nothing outside IPython."""
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython is part of the stack
        return
    if get_ipython() is None:
        return
    from matplotlib_inline.backend_inline import set_matplotlib_formats

    # zlib level 3 instead of PIL's default 6: a third less time encoding each PNG, files no larger
    # (measured on every figure of the collection: 0.54 -> 0.33 CPU-s, 1.10 -> 1.07 MB)
    set_matplotlib_formats("png", bbox_inches=None, pil_kwargs=PNG_SAVE)


def margins(fig, *, left_in: float, bottom_in: float, top_in: float = 0.5, right_in: float = 0.2,
            wspace: float | None = None) -> None:
    """Set the space around ``fig``'s axes in inches (``left_in``, ``bottom_in``, ``top_in``, ``right_in``:
    from each edge of the figure to the axes), and ``wspace`` (gap between subplots, as a fraction of the
    mean axes width), for figures shown with :func:`show_uncropped`. Raises ValueError if a margin is negative
    or the margins leave no room for the axes."""
    width_in, height_in = fig.get_size_inches()
    for name, value in (("left_in", left_in), ("bottom_in", bottom_in), ("top_in", top_in), ("right_in", right_in)):
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not value >= 0:
            raise ValueError(f"{name}={value!r} is not accepted; accepted: a number of inches >= 0")
    if left_in + right_in >= width_in or bottom_in + top_in >= height_in:
        raise ValueError(f"margins left_in={left_in}, right_in={right_in}, bottom_in={bottom_in}, top_in={top_in} "
                         f"leave no room in a {width_in:g} x {height_in:g} in figure; accepted: margins that sum "
                         "to less than the figure's width and height")
    if wspace is not None and (isinstance(wspace, bool) or not isinstance(wspace, (int, float)) or not wspace >= 0):
        raise ValueError(f"wspace={wspace!r} is not accepted; accepted: None or a number >= 0")
    fig.subplots_adjust(left=left_in / width_in, right=1 - right_in / width_in, bottom=bottom_in / height_in,
                        top=1 - top_in / height_in, **({} if wspace is None else {"wspace": wspace}))
