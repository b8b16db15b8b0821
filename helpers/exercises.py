"""Self-check for the exercises in the notebooks.

In a notebook::

    from helpers.exercises import check
    check("03.2", my_answer)

``check`` prints one friendly line and never raises, whatever it is given: a learner's
half-finished cell must not end in a traceback. ``expected(exercise_id)`` returns the
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
from dataclasses import dataclass
from typing import Any, Callable

__all__ = ["Exercise", "check", "expected", "matches"]

_ID_RE = re.compile(r"^(\d{2})\.([0-9A-Za-z_]+)$")
_ACCEPTED_IDS = "a string like '03.2': two-digit chapter, a dot, then the exercise number"


@dataclass(frozen=True)
class Exercise:
    """One exercise: how to compute its answer, a hint, and how strictly to compare.

    expected: zero-argument function returning the expected answer.
    hint: shown when the answer is wrong.
    rel_tol, abs_tol: tolerance for numbers (also inside containers, Series and DataFrames).
    compare: optional ``compare(answer, expected) -> bool`` replacing the default comparison.
    """

    expected: Callable[[], object]
    hint: str
    rel_tol: float = 1e-6
    abs_tol: float = 1e-9
    compare: Callable[[object, object], bool] | None = None


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

def _say(message: str) -> None:
    print(message)


def check(exercise_id: str, answer: Any) -> None:
    """Print whether ``answer`` is right for ``exercise_id``. Never raises."""
    try:
        _check(exercise_id, answer)
    except Exception as exc:  # noqa: BLE001 - a learner's cell must never end in a traceback
        _say(f"✗ Could not check this answer ({type(exc).__name__}: {exc}). "
             "Look at what your answer contains, or ask for help.")


def _check(exercise_id: object, answer: Any) -> None:
    try:
        exercise = _lookup(exercise_id)
    except ValueError as exc:
        _say(f"? {exc}")
        return
    label = f"exercise {str(exercise_id).strip()}"
    if answer is None or answer is Ellipsis:
        _say(f"… {label}: not answered yet. Replace `None` (or `...`) with your answer and run the cell again.")
        return
    try:
        target = exercise.expected()
    except Exception as exc:  # noqa: BLE001 - e.g. data/ missing: tell, don't crash
        _say(f"? {label}: the expected answer could not be computed "
             f"({type(exc).__name__}: {exc}). Is data/ complete? Try `make data`.")
        return
    compare = exercise.compare or (lambda a, t: matches(a, t, exercise.rel_tol, exercise.abs_tol))
    try:
        ok = bool(compare(answer, target))
    except Exception:  # noqa: BLE001 - an answer that cannot even be compared is simply not right
        ok = False
    if ok:
        _say(f"✓ Correct — {label}. Well done.")
        return
    kind_answer, kind_target = _describe(answer), _describe(target)
    shape_note = "" if kind_answer == kind_target else f" (your answer is {kind_answer}; expected {kind_target})"
    _say(f"✗ Not quite — {label}{shape_note}. Hint: {exercise.hint}")
