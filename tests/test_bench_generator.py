"""benchmarks/bench_generator.py: measure() reports what the one-table benchmark needs, and counts right."""
from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

_PATH = Path(__file__).resolve().parents[1] / "benchmarks" / "bench_generator.py"


@pytest.fixture(scope="module")
def bench():
    spec = importlib.util.spec_from_file_location("bench_generator", _PATH)
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_generator"] = module          # the worker function is pickled by module name
    spec.loader.exec_module(module)
    return module


def test_measure_counts_every_cohort(bench):
    m = bench.measure(6, 2)
    assert set(m) == {"n_cohorts", "workers", "distinct", "passing_audit", "passing_plausibility", "wall_s",
                      "cpu_s", "ms_per_cohort"}
    assert (m["n_cohorts"], m["workers"], m["distinct"], m["passing_audit"], m["passing_plausibility"]) == (6, 2, 6, 6, 6)
    assert m["wall_s"] > 0 and m["cpu_s"] > 0
    assert m["ms_per_cohort"] == pytest.approx(1000 * m["wall_s"] / 6)


def test_split_parts_add_up(bench):
    s = bench.split(3)
    parts = s["skeleton_ms"] + s["rest_of_generation_ms"] + s["audit_ms"] + s["plausibility_ms"]
    assert s["skeleton_ms"] > 0 and s["total_ms"] == pytest.approx(parts)


@pytest.mark.parametrize("kwargs, name", [({"n_cohorts": 0}, "n_cohorts"), ({"workers": True}, "workers"),
                                          ({"n_cohorts": 2.5}, "n_cohorts")])
def test_measure_refuses_bad_arguments(bench, kwargs, name):
    with pytest.raises(ValueError, match=name):
        bench.measure(**kwargs)
