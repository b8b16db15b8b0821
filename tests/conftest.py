"""Test-run plumbing: the order in which pytest-xdist hands out the work. Nothing here changes what a test checks.

`pytest` runs on 2 workers with ``--dist loadscope`` (pyproject.toml): a notebook's nbval cells, and a
module's tests, go to one worker as one unit, in their order. xdist's own queue hands out the units with the
most tests first, which starts the slowest ones (the browser session: one test, ~30 s) last, when the other
worker has nothing left to take. The scheduler below hands out the longest units first (longest-processing-
time-first), so the wall time comes close to the total divided by the workers; and it makes the book's
Chromium tests one unit of their own (apart from the module's quick tests), so they share one Chromium
(the module-scoped fixture ``chromium`` in tests/test_book.py) instead of starting one each.

The seconds are only an order (measured with ``pytest --durations=0`` on the 2-core reference machine): a
wrong guess costs time, never a result. A unit not listed counts 0.02 s per test.
"""
from __future__ import annotations

from collections import OrderedDict

import pytest

# Work units that take long, with their approximate seconds on the reference machine (each unit's first test
# start to last test end on its worker, from a warm `make test` on the 2-core VM, November 2026).
EXPECTED_S = {
    "tests/test_browser.py": 32.0,
    "tests/test_book.py::chromium": 29.0,
    "tests/test_audit_equivalence.py": 14.5,
    "tests/test_loaders.py": 11.5,
    "notebooks/04_survival_hsct.ipynb": 8.5,
    "notebooks/06_abstract_audit.ipynb": 8.0,
    "tests/test_response.py": 7.5,
    "tests/test_bad_inputs.py": 7.0,
    "notebooks/03_response.ipynb": 6.0,
    "notebooks/02_cohort.ipynb": 6.0,
    "notebooks/01_regimen_and_dosing.ipynb": 6.0,
    "notebooks/05_toxicity.ipynb": 5.5,
    "tests/test_bounds_equivalence.py": 5.0,
    "tests/test_bounds.py": 4.0,
    "notebooks/00_index.ipynb": 4.0,
    "tests/test_exercises.py": 2.7,
    "tests/test_survival.py": 2.4,
    "tests/test_generator_fingerprints.py": 2.0,
    "tests/test_gen_skeleton.py": 1.8,
    "tests/test_book.py": 1.5,
    "tests/test_style.py": 1.4,
    "tests/test_notebook_hygiene.py": 1.4,
    "tests/test_gen_columns.py": 1.3,
    "tests/test_data.py": 1.2,
}
# Tests that form a unit of their own (instead of going with the rest of their module): {test: unit}.
BOOK_CHROMIUM = "tests/test_book.py::chromium"
GROUPS = {
    "tests/test_book.py::test_the_book_passes_every_check": BOOK_CHROMIUM,
    "tests/test_book.py::test_each_check_fails_on_its_own_planted_fault": BOOK_CHROMIUM,
    "tests/test_book.py::test_show_all_code_button_opens_and_folds_code_but_not_solutions": BOOK_CHROMIUM,
}
SECONDS_PER_TEST = 0.02


def expected_seconds(scope: str, n_tests: int) -> float:
    return EXPECTED_S.get(scope, SECONDS_PER_TEST * n_tests)


def split_scope(nodeid: str) -> str:
    """The work unit of a test: its group's for the tests in GROUPS, else xdist's loadscope unit (module or
    notebook)."""
    return GROUPS.get(nodeid.split("[", 1)[0]) or nodeid.rsplit("::", 1)[0]


class _LongestFirstQueue(OrderedDict):
    """xdist's queue of work units ({unit: {nodeid: done}}); it takes units with popitem(last=False)."""

    def popitem(self, last: bool = True):
        # max() keeps the first of equal units, i.e. collection order among the unlisted ones.
        scope = max(self, key=lambda s: expected_seconds(s, len(self[s])))
        return scope, self.pop(scope)


def _scheduler_class():
    from xdist.scheduler import LoadScopeScheduling

    class LongestFirstScheduling(LoadScopeScheduling):
        def __init__(self, config, log=None):
            super().__init__(config, log)
            self.workqueue = _LongestFirstQueue()

        def _split_scope(self, nodeid: str) -> str:
            return split_scope(nodeid)

    return LongestFirstScheduling


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config, log):
    if config.getvalue("dist") == "loadscope":
        return _scheduler_class()(config, log)
    return None
