"""Self-check for the exercises in the notebooks.

In a notebook::

    from helpers.exercises import check
    check("03.2", my_answer)

``check`` prints one friendly message and never raises, whatever it is given: a learner's
half-finished cell must not end in a traceback. The placeholder is ``...`` (Ellipsis): an exercise
cell reads ``my_answer = ...`` and ``check`` says "not answered yet" until it is replaced. A numeric
exercise declares its precision (``Exercise.decimals``); ``check`` states it, accepts any answer
that rounds to the expected value at that precision, and tells a rounding near-miss ("close — check
your rounding") apart from a wrong result (the method hint). Messages are wrapped at word
boundaries (``WIDTH`` characters), never mid-word. ``expected(exercise_id)`` returns the
expected answer (tests use it; learners should not need it).

Registry: exercise id ``"03.2"`` belongs to chapter ``"03"``, whose answers live in the module
``helpers.answers.ch03``. That module is imported only when one of its exercises is checked, and
defines ``EXERCISES: dict[str, Exercise]``. Every expected answer is a *function* that computes
the answer (from ``data/`` or from the project's files); no answer is typed in as a literal.
"""
from __future__ import annotations

import importlib
import math
import numbers
import re
import textwrap
from dataclasses import dataclass
from typing import Any, Callable

__all__ = ["Exercise", "check", "expected", "matches"]

_ID_RE = re.compile(r"^(\d{2})\.([0-9A-Za-z_]+)$")
_ACCEPTED_IDS = "a string like '03.2': two-digit chapter, a dot, then the exercise number"
WIDTH = 88  # characters per printed line; JupyterLab would otherwise wrap long lines mid-word


@dataclass(frozen=True)
class Exercise:
    """One exercise: how to compute its answer, a hint, and how strictly to compare.

    expected: zero-argument function returning the expected answer.
    hint: shown when the answer is wrong.
    rel_tol, abs_tol: tolerance for numbers (also inside containers, Series and DataFrames).
    decimals: the precision the exercise asks for ("3 decimals"), stated by ``check``. When set, a
        number is right if it is within half a unit of that decimal of the expected value (so the
        expected value rounded to ``decimals``, or any more precise value, is right); this replaces
        rel_tol/abs_tol. The exercise's prompt must state the same precision.
    compare: optional ``compare(answer, expected) -> bool`` replacing the default comparison.
    """

    expected: Callable[[], object]
    hint: str
    rel_tol: float = 1e-6
    abs_tol: float = 1e-9
    decimals: int | None = None
    compare: Callable[[object, object], bool] | None = None

    def __post_init__(self) -> None:
        if self.decimals is not None and (
            isinstance(self.decimals, bool) or not isinstance(self.decimals, int) or not 0 <= self.decimals <= 12
        ):
            raise ValueError(f"decimals={self.decimals!r} is not accepted; expected None or an int from 0 to 12.")

    def tolerances(self) -> tuple[float, float]:
        """(rel_tol, abs_tol) used to compare numbers: half a unit of the last decimal when ``decimals`` is set."""
        if self.decimals is None:
            return self.rel_tol, self.abs_tol
        return 0.0, 0.5 * 10.0 ** -self.decimals * (1 + 1e-9) + 1e-12  # binary floats: 0.15 - 0.148 > 0.002

    def precision(self) -> str:
        """How precisely answers are checked, in words ('' when no precision is declared)."""
        if self.decimals is None:
            return ""
        return f"{self.decimals} decimal{'' if self.decimals == 1 else 's'}"


# --------------------------------------------------------------------------- registry

def _parse_id(exercise_id: object) -> str:
    """Return the chapter ('03') of a well-formed id, else raise ValueError."""
    if not isinstance(exercise_id, str) or not _ID_RE.match(exercise_id.strip()):
        raise ValueError(
            f"exercise_id={exercise_id!r} is not a valid exercise id; expected {_ACCEPTED_IDS}."
        )
    return _ID_RE.match(exercise_id.strip()).group(1)


def _chapter_exercises(chapter: str) -> dict[str, Exercise] | None:
    """The EXERCISES dict of helpers.answers.chNN, or None if that chapter has no answers module."""
    module_name = f"helpers.answers.ch{chapter}"
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        if exc.name == module_name:  # the chapter module itself is missing, not one of its imports
            return None
        raise
    return getattr(module, "EXERCISES", {})


def _lookup(exercise_id: object) -> Exercise:
    chapter = _parse_id(exercise_id)
    key = exercise_id.strip()
    exercises = _chapter_exercises(chapter)
    if exercises is None:
        raise ValueError(
            f"exercise_id={exercise_id!r}: chapter {chapter} has no exercises "
            f"(no module helpers.answers.ch{chapter})."
        )
    if key not in exercises:
        known = ", ".join(sorted(exercises)) or "none"
        raise ValueError(
            f"exercise_id={exercise_id!r} is not an exercise of chapter {chapter}; "
            f"accepted ids: {known}."
        )
    return exercises[key]


def expected(exercise_id: str) -> object:
    """The expected answer of ``exercise_id`` (computed now, from the project's files).

    Raises ValueError for an unknown or malformed id.
    """
    return _lookup(exercise_id).expected()


# --------------------------------------------------------------------------- comparison

def _is_pandas(obj: object) -> bool:
    return type(obj).__module__.split(".")[0] == "pandas"


def _is_numpy_array(obj: object) -> bool:
    return type(obj).__module__.split(".")[0] == "numpy" and hasattr(obj, "tolist") and hasattr(obj, "ndim")


def _is_number(obj: object) -> bool:
    return isinstance(obj, numbers.Real) and not isinstance(obj, bool)


def _norm_text(text: str) -> str:
    return " ".join(text.split()).casefold()


def _describe(obj: object) -> str:
    if _is_number(obj):
        return "a number"
    if isinstance(obj, str):
        return "a string"
    if isinstance(obj, bool):
        return "True/False"
    if isinstance(obj, (set, frozenset)):
        return "a set"
    if isinstance(obj, (list, tuple)):
        return "a list"
    if isinstance(obj, dict):
        return "a dict"
    if _is_pandas(obj):
        return f"a pandas {type(obj).__name__}"
    return f"a {type(obj).__name__}"


def matches(answer: object, target: object, rel_tol: float = 1e-6, abs_tol: float = 1e-9) -> bool:
    """Default comparison: approximate for numbers, forgiving for text, recursive for containers.

    - numbers: ``math.isclose`` with the tolerances (NaN matches NaN); bools must match exactly;
    - strings: case- and whitespace-insensitive;
    - sets: same elements (each compared with these rules), order ignored;
    - lists/tuples/1-d arrays: same length, elementwise in order (list and tuple are interchangeable);
    - dicts: same keys (text keys case-insensitive), values compared with these rules;
    - pandas Series/DataFrame: same labels (order ignored) and approximately equal values.
    """
    if _is_numpy_array(answer):
        answer = answer.tolist()
    if _is_numpy_array(target):
        target = target.tolist()

    if _is_pandas(target):
        return _matches_pandas(answer, target, rel_tol, abs_tol)
    if isinstance(target, bool) or isinstance(answer, bool):
        return type(answer) is type(target) and answer == target
    if _is_number(target):
        if not _is_number(answer):
            return False
        a, t = float(answer), float(target)
        if math.isnan(t) or math.isnan(a):
            return math.isnan(t) and math.isnan(a)
        return math.isclose(a, t, rel_tol=rel_tol, abs_tol=abs_tol)
    if isinstance(target, str):
        return isinstance(answer, str) and _norm_text(answer) == _norm_text(target)
    if isinstance(target, (set, frozenset)):
        if not isinstance(answer, (set, frozenset, list, tuple)):
            return False
        answer_items = list(answer)
        if isinstance(answer, (list, tuple)) and len(set(map(_hashable_norm, answer_items))) != len(answer_items):
            return False  # a list with repeats is not the same as a set
        return _unordered_match(answer_items, list(target), rel_tol, abs_tol)
    if isinstance(target, (list, tuple)):
        if not isinstance(answer, (list, tuple)) or len(answer) != len(target):
            return False
        return all(matches(a, t, rel_tol, abs_tol) for a, t in zip(answer, target))
    if isinstance(target, dict):
        if not isinstance(answer, dict) or len(answer) != len(target):
            return False
        answer_by_key = {_hashable_norm(k): v for k, v in answer.items()}
        for key, value in target.items():
            nkey = _hashable_norm(key)
            if nkey not in answer_by_key or not matches(answer_by_key[nkey], value, rel_tol, abs_tol):
                return False
        return True
    return bool(answer == target)


def _hashable_norm(value: object) -> object:
    if isinstance(value, str):
        return _norm_text(value)
    try:
        hash(value)
    except TypeError:
        return repr(value)
    return value


def _unordered_match(answer: list, target: list, rel_tol: float, abs_tol: float) -> bool:
    if len(answer) != len(target):
        return False
    unused = list(answer)
    for t in target:
        for i, a in enumerate(unused):
            if matches(a, t, rel_tol, abs_tol):
                del unused[i]
                break
        else:
            return False
    return True


def _matches_pandas(answer: object, target: object, rel_tol: float, abs_tol: float) -> bool:
    import pandas as pd  # only when a pandas answer is checked: keeps `import helpers.exercises` cheap

    kwargs = dict(check_dtype=False, check_names=False, check_index_type=False, rtol=rel_tol, atol=abs_tol)
    if isinstance(target, pd.DataFrame):
        if not isinstance(answer, pd.DataFrame):
            return False
        try:
            pd.testing.assert_frame_equal(answer, target, check_like=True, check_column_type=False, **kwargs)
        except (AssertionError, TypeError, ValueError):
            return False
        return True
    if isinstance(target, pd.Series):
        if isinstance(answer, dict):
            answer = pd.Series(answer)
        if not isinstance(answer, pd.Series) or len(answer) != len(target):
            return False
        if set(answer.index) != set(target.index) or not answer.index.is_unique:
            return False
        try:
            pd.testing.assert_series_equal(answer.reindex(target.index), target, **kwargs)
        except (AssertionError, TypeError, ValueError):
            return False
        return True
    return bool(answer == target)


# --------------------------------------------------------------------------- check

def _wrap(message: str, width: int = WIDTH) -> str:
    """Wrap each line of ``message`` at word boundaries; continuation lines are indented."""
    lines = []
    for line in message.splitlines() or [""]:
        lines.append(textwrap.fill(line, width=width, subsequent_indent="  ",
                                   break_long_words=False, break_on_hyphens=False) or line)
    return "\n".join(lines)


def _say(message: str) -> None:
    print(_wrap(message))


def check(exercise_id: str, answer: Any) -> None:
    """Print whether ``answer`` is right for ``exercise_id``. Never raises."""
    try:
        _check(exercise_id, answer)
    except Exception as exc:  # noqa: BLE001 - a learner's cell must never end in a traceback
        _say(f"✗ Could not check this answer ({type(exc).__name__}: {exc}). "
             "Look at what your answer contains, or ask for help.")


def _near_miss(answer: object, target: object, exercise: Exercise) -> str | None:
    """Why a wrong number is nearly right ('rounding' or 'scale'), or None. Numbers only."""
    if not (_is_number(answer) and _is_number(target)):
        return None
    a, t = float(answer), float(target)
    if not (math.isfinite(a) and math.isfinite(t)):
        return None
    rel_tol, abs_tol = exercise.tolerances()
    for factor in (100.0, 0.01):  # a percent where a proportion was asked, or the other way round
        if t != 0 and math.isclose(a, t * factor, rel_tol=max(rel_tol, 1e-9), abs_tol=abs_tol * factor):
            return "scale"
    # Rounded too coarsely: the expected value rounded to fewer decimals than asked (all of them
    # when full precision is asked). Or, at a declared precision, off by less than one unit of the
    # last decimal (truncated, or intermediate values rounded). A different method usually lands
    # further away, and gets the method hint instead.
    coarser = range(exercise.decimals) if exercise.decimals is not None else range(7)
    if any(math.isclose(a, round(t, k), rel_tol=1e-12, abs_tol=1e-12) for k in coarser):
        return "rounding"
    if exercise.decimals is not None and abs(a - t) < 10.0 ** -exercise.decimals:
        return "rounding"
    return None


def _check(exercise_id: object, answer: Any) -> None:
    try:
        exercise = _lookup(exercise_id)
    except ValueError as exc:
        _say(f"? {exc}")
        return
    label = f"exercise {str(exercise_id).strip()}"
    precision = exercise.precision()
    checked_to = f" (checked to {precision})" if precision else ""
    if answer is Ellipsis or answer is None:  # None: a chapter still written with the old placeholder
        _say(f"… {label}: not answered yet{checked_to}. Replace the `...` with your answer and run "
             "the cell again.")
        return
    try:
        target = exercise.expected()
    except Exception as exc:  # noqa: BLE001 - e.g. data/ missing: tell, don't crash
        _say(f"? {label}: the expected answer could not be computed "
             f"({type(exc).__name__}: {exc}). Is data/ complete? Try `make data`.")
        return
    rel_tol, abs_tol = exercise.tolerances()
    compare = exercise.compare or (lambda a, t: matches(a, t, rel_tol, abs_tol))
    try:
        ok = bool(compare(answer, target))
    except Exception:  # noqa: BLE001 - an answer that cannot even be compared is simply not right
        ok = False
    if ok:
        _say(f"✓ Correct — {label}{checked_to}. Well done.")
        return
    near = None if exercise.compare else _near_miss(answer, target, exercise)
    if near == "rounding":
        how = f"({precision})" if precision else "(keep full precision: do not round)"
        _say(f"✗ Close — {label}: your number is nearly right; check your rounding {how}.")
        return
    if near == "scale":
        _say(f"✗ Close — {label}{checked_to}: check the scale. Is the answer asked as a proportion "
             "(0 to 1) or as a percent (0 to 100)?")
        return
    kind_answer, kind_target = _describe(answer), _describe(target)
    shape_note = "" if kind_answer == kind_target else f" (your answer is {kind_answer}; expected {kind_target})"
    _say(f"✗ Not quite — {label}{checked_to}{shape_note}. Hint: {exercise.hint}")
