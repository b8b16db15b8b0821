"""helpers.exercises: check() prints ✓ / ✗ + hint / not answered / unknown id, and never raises."""
from __future__ import annotations

import importlib
import math
import pkgutil
import sys
import types

import numpy as np
import pandas as pd
import pytest

import helpers.answers
from helpers import exercises
from helpers.exercises import Exercise, check, expected

FAKE_CHAPTER = "helpers.answers.ch98"


@pytest.fixture
def fake_chapter(monkeypatch):
    """A throw-away chapter 98 with one exercise per kind of answer."""
    module = types.ModuleType(FAKE_CHAPTER)
    module.EXERCISES = {
        "98.1": Exercise(expected=lambda: 17 / 27, hint="Divide responders by evaluable patients."),
        "98.2": Exercise(expected=lambda: 0.63, hint="Rounded.", abs_tol=0.005, rel_tol=0),
        "98.3": Exercise(expected=lambda: "Composite complete remission", hint="CRc."),
        "98.4": Exercise(expected=lambda: {"CEBPA", "TP53"}, hint="Two genes."),
        "98.5": Exercise(expected=lambda: [1, 2.5, "CR"], hint="In order."),
        "98.6": Exercise(expected=lambda: {"CR": 10, "CRi": 5}, hint="Counts per category."),
        "98.7": Exercise(expected=lambda: pd.Series({"HSCT": 1.0, "NO HSCT": 2 / 3}), hint="Series."),
        "98.8": Exercise(
            expected=lambda: pd.DataFrame({"n": [17, 19], "pct": [63.0, 70.4]}, index=["CRc", "ORR"]),
            hint="Table.", rel_tol=1e-3,
        ),
        "98.9": Exercise(expected=lambda: 3, hint="Odd.", compare=lambda a, t: a % 2 == 1),
        "98.10": Exercise(expected=lambda: 1 / 0, hint="Broken on purpose."),
        "98.11": Exercise(expected=lambda: True, hint="Yes or no."),
        "98.12": Exercise(expected=lambda: 0.14842, hint="Binomial CDF at p = 0.75.", decimals=3),
        "98.13": Exercise(expected=lambda: 44.2567, hint="Exact interval.", decimals=1),
        "98.14": Exercise(expected=lambda: pd.Series({"a": 0.1234, "b": 0.5}), hint="Series.", decimals=2),
        "98.15": Exercise(expected=lambda: 11.4723, hint="Reverse KM."),
        "98.16": Exercise(expected=lambda: 0.5, hint=" ".join(["supercalifragilistic"] * 12)),
    }
    monkeypatch.setitem(sys.modules, FAKE_CHAPTER, module)
    return module


def _out(capsys) -> str:
    return capsys.readouterr().out


def test_right_answer_prints_tick(fake_chapter, capsys):
    check("98.1", 17 / 27)
    out = _out(capsys)
    assert out.startswith("✓ Correct") and "98.1" in out


def test_wrong_answer_prints_cross_and_hint(fake_chapter, capsys):
    check("98.1", 0.5)
    out = _out(capsys)
    assert out.startswith("✗ Not quite")
    assert "Hint: Divide responders by evaluable patients." in out


def test_wrong_type_says_what_was_expected(fake_chapter, capsys):
    check("98.1", "0.63")
    out = _out(capsys)
    assert out.startswith("✗") and "a string" in out and "a number" in out


@pytest.mark.parametrize("unanswered", [None, ...])
def test_none_and_ellipsis_are_not_answered_yet(fake_chapter, capsys, unanswered):
    check("98.1", unanswered)
    out = _out(capsys)
    assert "not answered yet" in out
    assert "✓" not in out and "✗" not in out
    assert "`...`" in out and "None" not in out, "the message names the one placeholder, `...`"


# ---- precision, near misses, wrapping ---------------------------------------------------------

def test_declared_precision_is_stated(fake_chapter, capsys):
    check("98.12", ...)
    assert "checked to 3 decimals" in _out(capsys)
    check("98.12", 0.2)
    out = _out(capsys)
    assert out.startswith("✗ Not quite") and "3 decimals" in out
    check("98.13", 44.3)
    assert "(checked to 1 decimal)" in _out(capsys)
    check("98.1", 0.5)  # no precision declared: none stated
    assert "decimal" not in _out(capsys)


@pytest.mark.parametrize("right", [0.148, 0.1484, 0.14842, 0.1489, 0.14795, np.float64(0.148)])
def test_answers_that_round_to_the_expected_value_are_right(fake_chapter, capsys, right):
    check("98.12", right)
    assert _out(capsys).startswith("✓")


@pytest.mark.parametrize("answer, ex", [
    (0.15, "98.12"),  # rounded to 2 decimals (the example)
    (0.1, "98.12"),   # rounded to 1 decimal
    (0.149, "98.12"),  # off by one unit of the last decimal
    (44.0, "98.13"),  # a whole number where 1 decimal was asked
    (44.2, "98.13"),  # truncated instead of rounded
    (11.47, "98.15"),  # full precision asked, rounded to 2 decimals
    (11.0, "98.15"),
])
def test_rounding_near_miss_is_told_apart_from_a_wrong_method(fake_chapter, capsys, answer, ex):
    check(ex, answer)
    out = _out(capsys)
    assert out.startswith("✗ Close") and "check your rounding" in out, out
    assert "Hint:" not in out, "a rounding slip must not get the method hint"
    if ex == "98.12":
        assert "(3 decimals)" in out
    if ex == "98.15":
        assert "do not round" in out


@pytest.mark.parametrize("answer, ex", [(0.147, "98.12"), (0.16, "98.12"), (44.6, "98.13"), (45.3, "98.13"),
                                        (11.6, "98.15"), (12, "98.15")])
def test_a_different_number_gets_the_method_hint(fake_chapter, capsys, answer, ex):
    check(ex, answer)
    out = _out(capsys)
    assert out.startswith("✗ Not quite") and "Hint:" in out, out


@pytest.mark.parametrize("answer", [14.842, 14.8, 0.0014842])
def test_percent_for_proportion_is_a_scale_near_miss(fake_chapter, capsys, answer):
    check("98.12", answer)
    out = _out(capsys)
    assert out.startswith("✗ Close") and "proportion" in out and "percent" in out, out


def test_precision_applies_inside_containers(fake_chapter, capsys):
    check("98.14", {"a": 0.12, "b": 0.5})
    assert _out(capsys).startswith("✓")
    check("98.14", {"a": 0.13, "b": 0.5})
    assert _out(capsys).startswith("✗ Not quite")


def test_exact_tolerance_is_unchanged_without_decimals(fake_chapter, capsys):
    assert Exercise(expected=lambda: 1, hint="h").tolerances() == (1e-6, 1e-9)
    rel, abs_ = Exercise(expected=lambda: 1, hint="h", decimals=2).tolerances()
    assert rel == 0 and 0.005 <= abs_ < 0.0051


@pytest.mark.parametrize("bad", [-1, 13, 1.5, "3", True])
def test_bad_decimals_is_refused(bad):
    with pytest.raises(ValueError, match=r"decimals=.*expected None or an int from 0 to 12"):
        Exercise(expected=lambda: 1, hint="h", decimals=bad)


def test_messages_wrap_at_word_boundaries(fake_chapter, capsys):
    check("98.16", 0.1)
    lines = _out(capsys).splitlines()
    assert len(lines) > 1
    assert all(len(line) <= exercises.WIDTH for line in lines), lines
    words = " ".join(line.strip() for line in lines).split()
    assert words.count("supercalifragilistic") == 12, "a word was split across lines"
    assert all(line.startswith("  ") for line in lines[1:]), "continuation lines are indented"


def test_long_word_is_not_broken(capsys):
    exercises._say("x " + "a" * 200)
    assert "a" * 200 in _out(capsys)


@pytest.mark.parametrize("bad_id", ["98.999", "97.1", "3.2", "", "x", None, 3.2, ["98.1"]])
def test_unknown_or_malformed_id_prints_a_message(fake_chapter, capsys, bad_id):
    check(bad_id, 1)
    out = _out(capsys)
    assert out.strip(), "check must say something"
    assert "✓" not in out
    assert repr(bad_id) in out


def test_unknown_id_lists_the_chapters_exercises(fake_chapter, capsys):
    check("98.999", 1)
    assert "98.1" in _out(capsys)


class _Nasty:
    """An answer whose every operation raises."""

    def __eq__(self, other):
        raise RuntimeError("eq")

    def __bool__(self):
        raise RuntimeError("bool")

    def __repr__(self):
        raise RuntimeError("repr")

    __hash__ = None


@pytest.mark.parametrize("garbage", [
    _Nasty(), object(), float("nan"), float("inf"), -1, "", [], {}, set(), (None,),
    np.array([[1, 2], [3, 4]]), pd.DataFrame(), pd.Series(dtype=float), b"\xff", lambda: 1, type,
])
@pytest.mark.parametrize("exercise_id", [f"98.{i}" for i in range(1, 12)])
def test_never_raises_on_garbage(fake_chapter, capsys, exercise_id, garbage):
    check(exercise_id, garbage)
    out = _out(capsys)
    assert out.strip()
    assert "✓" not in out or exercise_id == "98.9"  # 98.9 accepts any odd number, e.g. -1


def test_expected_answer_that_cannot_be_computed_is_reported(fake_chapter, capsys):
    check("98.10", 1)
    out = _out(capsys)
    assert "could not be computed" in out and "ZeroDivisionError" in out


def test_relative_tolerance(fake_chapter, capsys):
    check("98.1", 0.6296296)  # 17/27 = 0.629629629...: rel. error 5e-8 < 1e-6
    assert _out(capsys).startswith("✓")
    check("98.1", 0.63)  # rounded to 2 decimals: rel. error 6e-4 > 1e-6
    assert _out(capsys).startswith("✗")


def test_absolute_tolerance(fake_chapter, capsys):
    for ok in (0.63, 0.634, 0.626, np.float64(0.63)):
        check("98.2", ok)
        assert _out(capsys).startswith("✓"), ok
    for wrong in (0.636, 0.62, 63.0):
        check("98.2", wrong)
        assert _out(capsys).startswith("✗"), wrong


def test_bool_is_not_a_number(fake_chapter, capsys):
    check("98.11", True)
    assert _out(capsys).startswith("✓")
    check("98.11", 1)
    assert _out(capsys).startswith("✗")


def test_strings_ignore_case_and_whitespace(fake_chapter, capsys):
    check("98.3", "  composite   COMPLETE\nremission ")
    assert _out(capsys).startswith("✓")
    check("98.3", "complete remission")
    assert _out(capsys).startswith("✗")


def test_sets_ignore_order_but_not_content(fake_chapter, capsys):
    for ok in ({"tp53", "CEBPA"}, ["TP53", "CEBPA"], ("cebpa", "tp53")):
        check("98.4", ok)
        assert _out(capsys).startswith("✓"), ok
    for wrong in ({"TP53"}, {"TP53", "CEBPA", "ASXL1"}, ["TP53", "TP53", "CEBPA"], "TP53, CEBPA"):
        check("98.4", wrong)
        assert _out(capsys).startswith("✗"), wrong


def test_lists_are_ordered_elementwise(fake_chapter, capsys):
    for ok in ([1, 2.5, "cr"], (1.0, 2.5000000001, "CR"), np.array([1, 2.5, "CR"], dtype=object)):
        check("98.5", ok)
        assert _out(capsys).startswith("✓"), ok
    for wrong in ([2.5, 1, "CR"], [1, 2.5], [1, 2.5, "CR", 4]):
        check("98.5", wrong)
        assert _out(capsys).startswith("✗"), wrong


def test_dicts(fake_chapter, capsys):
    check("98.6", {"cri": 5.0, "CR": 10})
    assert _out(capsys).startswith("✓")
    for wrong in ({"CR": 10}, {"CR": 10, "CRi": 6}, {"CR": 10, "CRh": 5}, [("CR", 10), ("CRi", 5)]):
        check("98.6", wrong)
        assert _out(capsys).startswith("✗"), wrong


def test_pandas_series(fake_chapter, capsys):
    for ok in (pd.Series({"NO HSCT": 0.6666667, "HSCT": 1}), {"HSCT": 1.0, "NO HSCT": 2 / 3}):
        check("98.7", ok)
        assert _out(capsys).startswith("✓"), ok
    for wrong in (pd.Series({"HSCT": 1.0, "NO HSCT": 0.5}), pd.Series({"HSCT": 1.0}), [1.0, 2 / 3]):
        check("98.7", wrong)
        assert _out(capsys).startswith("✗"), wrong


def test_pandas_dataframe(fake_chapter, capsys):
    reordered = pd.DataFrame({"pct": [70.4, 63.0], "n": [19, 17]}, index=["ORR", "CRc"])
    check("98.8", reordered)
    assert _out(capsys).startswith("✓")
    close = pd.DataFrame({"n": [17.0, 19.0], "pct": [63.0, 70.40001]}, index=["CRc", "ORR"])
    check("98.8", close)
    assert _out(capsys).startswith("✓")
    for wrong in (
        pd.DataFrame({"n": [17, 19], "pct": [63.0, 70.0]}, index=["CRc", "ORR"]),
        pd.DataFrame({"n": [17, 19]}, index=["CRc", "ORR"]),
        pd.Series({"CRc": 17, "ORR": 19}),
    ):
        check("98.8", wrong)
        assert _out(capsys).startswith("✗")


def test_custom_compare(fake_chapter, capsys):
    check("98.9", 7)
    assert _out(capsys).startswith("✓")
    check("98.9", 4)
    assert _out(capsys).startswith("✗")


def test_expected_returns_the_computed_answer(fake_chapter):
    assert math.isclose(expected("98.1"), 17 / 27)
    with pytest.raises(ValueError, match=r"exercise_id='98\.999'.*accepted ids: 98\.1"):
        expected("98.999")
    with pytest.raises(ValueError, match=r"exercise_id='nonsense'.*'03\.2'"):
        expected("nonsense")
    with pytest.raises(ValueError, match=r"exercise_id='97\.1'.*chapter 97"):
        expected("97.1")


# ---- the real answer modules (helpers/answers/chNN.py), whichever exist ----------------------

def _chapter_modules() -> list[str]:
    return sorted(m.name for m in pkgutil.iter_modules(helpers.answers.__path__) if m.name.startswith("ch"))


def test_index_chapter_has_answers():
    assert "ch00" in _chapter_modules()


@pytest.mark.parametrize("module_name", _chapter_modules())
def test_every_real_exercise_accepts_its_own_expected_answer(module_name, capsys):
    module = importlib.import_module(f"helpers.answers.{module_name}")
    chapter = module_name.removeprefix("ch")
    assert module.EXERCISES, f"{module_name} defines no exercises"
    for exercise_id, exercise in module.EXERCISES.items():
        assert exercise_id.startswith(f"{chapter}."), f"{exercise_id} is in {module_name}"
        assert isinstance(exercise, Exercise)
        assert callable(exercise.expected), f"{exercise_id}: expected must be a function, not a literal"
        assert exercise.hint.strip(), f"{exercise_id} has no hint"
        check(exercise_id, expected(exercise_id))
        out = _out(capsys)
        assert out.startswith("✓"), f"{exercise_id}: {out}"


def test_chapter_00_answers_follow_the_folder(monkeypatch, tmp_path, capsys):
    """00.1/00.3 are computed from notebooks/, not typed in: point them at another folder."""
    from helpers.answers import ch00

    for name in ("00_index.ipynb", "01_a.ipynb", "03_b.ipynb", "notes.ipynb", "1_bad.ipynb"):
        (tmp_path / name).write_text("{}")
    monkeypatch.setattr(ch00, "NOTEBOOKS_DIR", tmp_path)
    assert expected("00.1") == 3
    assert expected("00.3") == ["00", "01", "03"]
    check("00.3", ["00", "01", "03"])
    assert _out(capsys).startswith("✓")
    check("00.3", [0, 1, 3])
    assert "Hint:" in _out(capsys)


def test_importing_exercises_does_not_import_pandas():
    import subprocess

    code = "import sys, helpers.exercises; print('pandas' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"
    assert exercises.__name__ == "helpers.exercises"


def test_even_n_most_followed_beyond_hand_worked():
    from helpers.answers.ch06 import even_n_most_followed_beyond
    # 28 times, median (14th + 15th)/2 < 3.35, every time >= 0.35: the 15th is < 6.7 - 0.35 = 6.35 months,
    # so it can reach 6 months (14 patients: the 15th to 28th) but not 12 (13 patients: the 16th to 28th).
    assert even_n_most_followed_beyond(28, 3.35, 0.35, (6, 12)) == [14, 13]
    # 4 times, median < 1, shortest >= 0.5: the 3rd is < 1.5
    assert even_n_most_followed_beyond(4, 1.0, 0.5, (1.4, 1.6)) == [2, 1]
    with pytest.raises(ValueError, match="n=27"):
        even_n_most_followed_beyond(27, 3.35, 0.35, (6,))
