"""Exercises of 00_index: warm-ups that need only the project's own files."""
from __future__ import annotations

import re

from helpers.exercises import Exercise
from helpers.paths import DATA_DIR, NOTEBOOKS_DIR

# A chapter notebook is named "NN_something.ipynb" (two digits, an underscore).
_CHAPTER_RE = re.compile(r"^(\d{2})_.+\.ipynb$")


def chapter_notebooks() -> list[str]:
    """File names of the chapter notebooks in notebooks/, sorted (the index 00 included)."""
    return sorted(p.name for p in NOTEBOOKS_DIR.glob("*.ipynb") if _CHAPTER_RE.match(p.name))


def _count_chapters() -> int:
    return len(chapter_notebooks())


def _chapter_numbers() -> list[str]:
    return [_CHAPTER_RE.match(name).group(1) for name in chapter_notebooks()]


def _crc_proportion() -> float:
    """CRc after cycle 1 as a proportion: numerator / denominator of the abstract's crc_c1_pct row."""
    from helpers.engine.facts import load_facts  # pandas only when this exercise is checked

    facts = load_facts(DATA_DIR / "abstract_facts.csv").set_index("fact_id")
    row = facts.loc["crc_c1_pct"]
    return float(row["numerator"]) / float(row["denominator"])


EXERCISES: dict[str, Exercise] = {
    "00.1": Exercise(
        expected=_count_chapters,
        hint="List the folder with pathlib: NOTEBOOKS_DIR.glob('[0-9][0-9]_*.ipynb'), then count "
             "(len of a list). The index itself counts.",
    ),
    "00.2": Exercise(
        expected=_crc_proportion,
        decimals=3,
        hint="Divide the number of patients in composite complete remission by the number of patients "
             "treated, both as the abstract prints them.",
    ),
    "00.3": Exercise(
        expected=_chapter_numbers,
        hint="Sort the chapter file names, then keep the first two characters of each, as strings "
             "('00', not 0).",
    ),
}
