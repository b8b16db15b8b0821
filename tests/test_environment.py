"""pyproject.toml, requirements.lock and environment.yml pin the same packages at the same versions.

nbval compares printed numbers and DataFrame HTML, which move between library versions, so the
pip route (`make setup`, from requirements.lock) and the conda/Binder route (environment.yml) must
install exactly what pyproject.toml declares.
"""
from __future__ import annotations

import re
import tomllib

import pytest
import yaml  # PyYAML is in requirements.lock (a jupyter-events dependency)

from helpers.paths import PROJECT_ROOT

PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([A-Za-z0-9][A-Za-z0-9._+!-]*)$")
CONDA_PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)=([A-Za-z0-9][A-Za-z0-9._+!-]*)$")

# conda-forge package -> the PyPI distribution it provides (the lean builds; see environment.yml).
CONDA_TO_PYPI = {
    "matplotlib-base": "matplotlib",
    "seaborn-base": "seaborn",
    "nbconvert-core": "nbconvert",
    "playwright-python": "playwright",
}
CONDA_ONLY = {"python", "pip"}


def normalise(name: str) -> str:
    """Compare names the way pip does, near enough: lowercase, '_' and '.' become '-'."""
    return re.sub(r"[-_.]+", "-", name).lower()


def _pyproject() -> dict:
    return tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def pyproject_requirements() -> list[str]:
    """Every requirement string: [project].dependencies, all optional groups, all dependency-groups."""
    data = _pyproject()
    project = data["project"]
    reqs = list(project.get("dependencies", []))
    for group in project.get("optional-dependencies", {}).values():
        reqs.extend(group)
    for group in data.get("dependency-groups", {}).values():
        reqs.extend(r for r in group if isinstance(r, str))  # skip {include-group = ...} tables
    return reqs


def pyproject_pins() -> dict[str, str]:
    pins = {}
    for req in pyproject_requirements():
        match = PIN.match(req.strip())
        assert match, f"pyproject.toml requirement {req!r} is not an exact `name==version` pin"
        name, version = normalise(match.group(1)), match.group(2)
        assert pins.get(name, version) == version, f"{name} pinned twice with different versions"
        pins[name] = version
    return pins


def lock_pins() -> dict[str, str]:
    pins = {}
    for number, raw in enumerate((PROJECT_ROOT / "requirements.lock").read_text(encoding="utf-8").splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        match = PIN.match(line)
        assert match, f"requirements.lock line {number} is not `name==version`: {raw!r}"
        name = normalise(match.group(1))
        assert name not in pins, f"requirements.lock lists {name} twice"
        pins[name] = match.group(2)
    return pins


def environment_yml() -> dict:
    return yaml.safe_load((PROJECT_ROOT / "environment.yml").read_text(encoding="utf-8"))


def conda_pins() -> dict[str, str]:
    """PyPI-normalised name -> version, for environment.yml's conda packages (python and pip excluded)."""
    pins = {}
    for dep in environment_yml()["dependencies"]:
        if isinstance(dep, dict):  # the `- pip: [...]` section
            continue
        name = dep.split("=")[0].strip()
        if name in CONDA_ONLY:
            continue
        match = CONDA_PIN.match(dep.strip())
        assert match, f"environment.yml dependency {dep!r} is not an exact `name=version` pin"
        pins[normalise(CONDA_TO_PYPI.get(match.group(1), match.group(1)))] = match.group(2)
    return pins


def test_pyproject_pins_are_exact():
    pins = pyproject_pins()
    for must in ("numpy", "pandas", "pytest", "nbval", "jupyterlab"):
        assert must in pins, f"{must} missing from pyproject.toml"


def test_lock_has_only_exact_pins():
    assert len(lock_pins()) > 20  # a full `pip freeze`, not just the top-level packages


def test_every_pyproject_pin_is_in_the_lock_at_the_same_version():
    lock = lock_pins()
    missing = sorted(set(pyproject_pins()) - set(lock))
    assert not missing, f"in pyproject.toml but not in requirements.lock: {missing}"
    differ = {n: (v, lock[n]) for n, v in pyproject_pins().items() if lock[n] != v}
    assert not differ, f"pyproject.toml vs requirements.lock versions differ: {differ}"


def test_environment_yml_pins_equal_pyproject():
    conda, pyproject = conda_pins(), pyproject_pins()
    assert set(conda) == set(pyproject), (
        f"only in environment.yml: {sorted(set(conda) - set(pyproject))}; "
        f"only in pyproject.toml: {sorted(set(pyproject) - set(conda))}"
    )
    differ = {n: (conda[n], pyproject[n]) for n in conda if conda[n] != pyproject[n]}
    assert not differ, f"environment.yml vs pyproject.toml versions differ: {differ}"


def test_environment_yml_is_binder_ready():
    env = environment_yml()
    assert env["name"] == "lipomit-clag"
    assert env["channels"] == ["conda-forge"]
    deps = env["dependencies"]
    assert "python=3.11" in deps and "pip" in deps
    pip_sections = [d["pip"] for d in deps if isinstance(d, dict) and "pip" in d]
    assert pip_sections == [["-e ."]], "the pip section must install this project (helpers) with `-e .`"


def test_python_version_agrees():
    requires = _pyproject()["project"]["requires-python"]
    assert requires == ">=3.11"
    assert "python=3.11" in environment_yml()["dependencies"]


@pytest.mark.parametrize("raw, expected", [
    ("Jinja2", "jinja2"), ("typing_extensions", "typing-extensions"), ("ruamel.yaml", "ruamel-yaml"),
    ("jupyter_server-terminals", "jupyter-server-terminals"),
])
def test_normalise(raw, expected):
    assert normalise(raw) == expected


@pytest.mark.parametrize("bad", ["numpy>=2", "numpy", "numpy==2.*; python_version>'3'", "numpy == 2.4.6"])
def test_pin_pattern_rejects_loose_requirements(bad):
    assert not PIN.match(bad)
