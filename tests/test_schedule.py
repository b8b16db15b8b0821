"""tests/conftest.py: how pytest-xdist's work is split into units and in which order the units go out."""
from __future__ import annotations

import re

import conftest
import pytest

from helpers.paths import PROJECT_ROOT


@pytest.mark.parametrize("nodeid, unit", [
    ("tests/test_book.py::test_the_book_passes_every_check", "tests/test_book.py::chromium"),
    ("tests/test_book.py::test_each_check_fails_on_its_own_planted_fault[x]", "tests/test_book.py::chromium"),
    ("tests/test_book.py::test_show_all_code_button_opens_and_folds_code_but_not_solutions",
     "tests/test_book.py::chromium"),
    ("tests/test_book.py::test_numbered_title[a-b-c]", "tests/test_book.py"),
    ("tests/test_book.py::test_the_book_passes_every_check_again", "tests/test_book.py"),
    ("notebooks/03_response.ipynb::Cell 12", "notebooks/03_response.ipynb"),
    ("tests/test_x.py::TestClass::test_y", "tests/test_x.py::TestClass"),
])
def test_split_scope(nodeid, unit):
    assert conftest.split_scope(nodeid) == unit


def test_units_go_out_longest_first_and_in_collection_order_otherwise():
    queue = conftest._LongestFirstQueue()
    for unit, n_tests in [("tests/test_a.py", 10), ("tests/test_browser.py", 1), ("tests/test_b.py", 300),
                          ("notebooks/00_index.ipynb", 7), ("tests/test_c.py", 10)]:
        queue[unit] = {f"{unit}::t{i}": False for i in range(n_tests)}
    order = []
    while queue:
        order.append(queue.popitem(last=False)[0])
    assert order == ["tests/test_browser.py", "tests/test_b.py", "notebooks/00_index.ipynb",
                     "tests/test_a.py", "tests/test_c.py"]


def test_every_listed_unit_exists():
    """A renamed test or notebook must be renamed in conftest.py too, or its unit goes out late again."""
    groups = set(conftest.GROUPS.values())
    for unit in [*conftest.EXPECTED_S, *conftest.GROUPS]:
        path, _, name = unit.partition("::")
        assert (PROJECT_ROOT / path).is_file(), unit
        if name and unit not in groups:
            source = (PROJECT_ROOT / path).read_text(encoding="utf-8")
            assert re.search(rf"^def {re.escape(name)}\(", source, re.M), unit
    assert groups <= set(conftest.EXPECTED_S)
    for group in groups:  # a group is named after a fixture its tests share
        path, _, name = group.partition("::")
        assert re.search(rf"^def {re.escape(name)}\(", (PROJECT_ROOT / path).read_text(encoding="utf-8"), re.M), group


def test_the_scheduler_is_used_with_loadscope_only():
    pytest.importorskip("xdist")

    class Config:
        def __init__(self, dist):
            self.dist = dist

        def getvalue(self, name):
            return {"dist": self.dist}[name]

    assert conftest.pytest_xdist_make_scheduler(Config("load"), None) is None
    assert "--dist loadscope" in (PROJECT_ROOT / "pyproject.toml").read_text(encoding="utf-8")
