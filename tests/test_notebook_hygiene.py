"""Every notebooks/*.ipynb is saved from one clean run and follows the collection's conventions.

These read the JSON only (no kernel): nbval separately re-executes each notebook and compares outputs.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

import nbformat
import pytest

from helpers.paths import NOTEBOOKS_DIR

NOTEBOOKS = sorted(NOTEBOOKS_DIR.glob("*.ipynb"))

# An absolute path on somebody's machine: /root, /home, /tmp, /work, /opt, /Users, C:\Users.
# The look-behind keeps "and/or", "https://x.org/home" and similar from matching.
MACHINE_PATH = re.compile(
    r"(?<![\w.~/+-])/(?:root|home|tmp|work|opt|Users)(?![\w.-])"
    r"|\b[A-Za-z]:\\{1,2}Users\b",
    re.IGNORECASE,
)
ANSI_ESCAPE = re.compile(r"\x1b\[[0-9;]*m")
TEXT_MIME_PREFIXES = ("text/", "application/json", "application/javascript")


def _load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def _source(cell: dict) -> str:
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else src


def _text(value) -> str:
    return "".join(value) if isinstance(value, list) else str(value)


def _code_cells(nb: dict) -> list[tuple[int, dict]]:
    return [(i, c) for i, c in enumerate(nb["cells"]) if c["cell_type"] == "code"]


def _tags(cell: dict) -> list[str]:
    return cell.get("metadata", {}).get("tags", [])


def _output_texts(output: dict) -> list[str]:
    """Every text an output would show; images and other binary payloads are skipped."""
    kind = output.get("output_type")
    if kind == "stream":
        return [_text(output.get("text", ""))]
    if kind == "error":  # tracebacks are ANSI-coloured: "\x1b[32m/work/..." would hide the path from the regex
        traceback = ANSI_ESCAPE.sub("", "\n".join(output.get("traceback", [])))
        return [output.get("ename", ""), output.get("evalue", ""), traceback]
    texts = []
    for mime, value in output.get("data", {}).items():
        if not mime.startswith(TEXT_MIME_PREFIXES):
            continue
        if isinstance(value, str):
            texts.append(value)
        elif isinstance(value, list) and all(isinstance(v, str) for v in value):
            texts.append("".join(value))
        else:  # structured JSON payload
            texts.append(json.dumps(value))
    return texts


params = pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])


def test_the_index_notebook_exists():
    assert (NOTEBOOKS_DIR / "00_index.ipynb") in NOTEBOOKS


@params
def test_is_valid_nbformat(path):
    nbformat.validate(nbformat.read(path, as_version=nbformat.NO_CONVERT))


# What JupyterLab 4 + ipykernel write on open: any other kernelspec marks the notebook modified
# as soon as a fellow opens it. tools/run_notebooks.py sets exactly this.
KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}


@params
def test_kernelspec_is_python3(path):
    kernelspec = _load(path).get("metadata", {}).get("kernelspec", {})
    assert kernelspec == KERNELSPEC, (
        f"kernelspec is {kernelspec!r}, expected {KERNELSPEC!r}: store the notebook with tools/run_notebooks.py"
    )


@params
def test_first_cell_is_a_markdown_title(path):
    first = _load(path)["cells"][0]
    assert first["cell_type"] == "markdown", "the first cell must be markdown"
    assert _source(first).startswith("# "), f"the first cell must start with '# ': {_source(first)[:60]!r}"


@params
def test_synthetic_data_notice_near_the_top(path):
    top = [c for c in _load(path)["cells"][:3] if c["cell_type"] == "markdown"]
    assert any("synthetic" in _source(c).lower() for c in top), (
        "one of the first 3 cells must be markdown saying the cohort is synthetic"
    )


@params
def test_saved_with_outputs(path):
    """Saved after running: at least one output stored (cells without output, e.g. imports, are fine)."""
    cells = [c for _, c in _code_cells(_load(path)) if _source(c).strip()]
    assert cells, "a notebook without code has nothing to test"
    assert any(c.get("outputs") for c in cells), "no outputs stored: run `make notebooks` and save"


@params
def test_execution_counts_are_1_to_n(path):
    """One clean top-to-bottom run: non-empty code cells numbered 1..n in order; empty ones not run."""
    cells = _code_cells(_load(path))
    counts = [c.get("execution_count") for _, c in cells if _source(c).strip()]
    assert counts == list(range(1, len(counts) + 1)), (
        f"execution counts {counts}: re-run with `make notebooks` (Restart & Run All)"
    )
    for index, cell in cells:
        if not _source(cell).strip():
            assert cell.get("execution_count") is None and not cell.get("outputs"), f"empty cell {index} was run"
        for output in cell.get("outputs", []):
            if "execution_count" in output:
                assert output["execution_count"] == cell["execution_count"], f"cell {index}: stale output"


@params
def test_no_errors_unless_tagged(path):
    for index, cell in _code_cells(_load(path)):
        errors = [o for o in cell.get("outputs", []) if o.get("output_type") == "error"]
        if errors and "raises-exception" not in _tags(cell):
            e = errors[0]
            pytest.fail(f"cell {index} raised {e.get('ename')}: {e.get('evalue')} (not tagged raises-exception)")


@params
def test_no_warnings_on_stderr(path):
    for index, cell in _code_cells(_load(path)):
        for output in cell.get("outputs", []):
            if output.get("output_type") == "stream" and output.get("name") == "stderr":
                text = _text(output.get("text", ""))
                assert "warning" not in text.lower(), f"cell {index} printed a warning: {text.strip()[:300]}"


@params
def test_no_machine_paths_in_outputs(path):
    for index, cell in _code_cells(_load(path)):
        for output in cell.get("outputs", []):
            for text in _output_texts(output):
                match = MACHINE_PATH.search(text)
                assert not match, (
                    f"cell {index} output shows a machine path {match.group(0)!r}: "
                    f"...{text[max(0, match.start() - 60):match.end() + 60]}..."
                )


@params
def test_solutions_are_collapsed(path):
    """Code and output of every solution hidden (JupyterLab 4 reads both keys; run_notebooks.py sets them)."""
    for index, cell in enumerate(_load(path)["cells"]):
        if "solution" in _tags(cell):
            jupyter = cell.get("metadata", {}).get("jupyter", {})
            assert jupyter.get("source_hidden") is True, (
                f"solution cell {index} must have metadata.jupyter.source_hidden = true")
            if cell["cell_type"] == "code":
                assert jupyter.get("outputs_hidden") is True, (
                    f"solution cell {index} must have metadata.jupyter.outputs_hidden = true")


CHECK_CALL = re.compile(r"""\bcheck\(\s*["'](\d{2}\.\w+)["']""")
NONE_PLACEHOLDER = re.compile(r"^\s*\w+\s*=\s*None\b", re.MULTILINE)


@params
def test_exercise_cells_use_the_ellipsis_placeholder(path):
    """An exercise cell (calls check, not a solution) holds `...`, never None (GUIDE: one convention)."""
    exercises = [(i, c) for i, c in _code_cells(_load(path))
                 if CHECK_CALL.search(_source(c)) and "solution" not in _tags(c)]
    for index, cell in exercises:
        source = _source(cell)
        assert not NONE_PLACEHOLDER.search(source), f"exercise cell {index} uses None as placeholder: {source!r}"
        assert "..." in source, f"exercise cell {index} has no `...` placeholder: {source!r}"


@params
def test_every_exercise_has_a_collapsed_solution(path):
    """Each exercise id checked in an exercise cell is checked again in a solution cell."""
    asked, solved = set(), set()
    for _, cell in _code_cells(_load(path)):
        ids = set(CHECK_CALL.findall(_source(cell)))
        (solved if "solution" in _tags(cell) else asked).update(ids)
    assert asked <= solved, f"exercises without a solution cell: {sorted(asked - solved)}"


# ---- the checks themselves can fail --------------------------------------------------------

@pytest.mark.parametrize("source, is_none", [
    ("answer = None\ncheck('03.1', answer)", True),
    ("answer = None  # an integer\ncheck(\"04.1\", answer)", True),
    ("answer = ...  # your code here\ncheck(\"03.1\", answer)", False),
    ("answer = compute(None)\ncheck(\"03.1\", answer)", False),
])
def test_none_placeholder_pattern(source, is_none):
    assert bool(NONE_PLACEHOLDER.search(source)) is is_none
    assert CHECK_CALL.search(source)


@pytest.mark.parametrize("text", [
    "/root/x", "saved to /home/ana/data.csv", "/tmp", "(/work/main/notebooks)", "'/opt/conda/lib'",
    "/Users/bob", r"C:\Users\bob", "C:\\\\Users\\\\bob", "at /TMP/abc",
])
def test_machine_path_pattern_catches(text):
    assert MACHINE_PATH.search(text)


@pytest.mark.parametrize("text", [
    "and/or", "https://example.org/home/page", "data/tmp_file", "./tmp", "notebooks/work.ipynb",
    "~/work", "rate/optimal", "25 /rootless", "CR/CRh/CRi",
])
def test_machine_path_pattern_ignores(text):
    assert not MACHINE_PATH.search(text)


# ---- tools/run_notebooks.py normalises what it stores ----------------------------------------

def _run_notebooks_module():
    import importlib.util

    from helpers.paths import PROJECT_ROOT

    spec = importlib.util.spec_from_file_location("run_notebooks", PROJECT_ROOT / "tools" / "run_notebooks.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_run_notebooks_collapses_solutions_and_sets_the_kernelspec(tmp_path):
    rn = _run_notebooks_module()
    nb = nbformat.v4.new_notebook(metadata={"kernelspec": {"name": "python3", "display_name": "Python 3",
                                                           "language": "python"}})
    nb.cells = [
        nbformat.v4.new_code_cell('answer = ...\ncheck("98.1", answer)'),
        nbformat.v4.new_code_cell('check("98.1", 1)', metadata={"tags": ["solution"]}),
        nbformat.v4.new_code_cell("x = 1", metadata={"jupyter": {"source_hidden": True}}),  # not a solution
        nbformat.v4.new_markdown_cell("text", metadata={"tags": ["solution"]}),
    ]
    path = tmp_path / "nb.ipynb"
    nbformat.write(nb, path)
    assert rn.normalise_file(path) is True
    assert rn.normalise_file(path) is False, "normalising twice changes nothing"
    out = _load(path)
    assert out["metadata"]["kernelspec"] == KERNELSPEC == rn.KERNELSPEC
    cells = out["cells"]
    assert cells[0]["metadata"] == {}
    assert cells[1]["metadata"]["jupyter"] == {"source_hidden": True, "outputs_hidden": True}
    assert cells[2]["metadata"]["jupyter"] == {"source_hidden": True}
    assert cells[3]["metadata"]["jupyter"] == {"source_hidden": True}
    with pytest.raises(ValueError, match="is not an existing notebook"):
        rn.normalise_file(tmp_path / "missing.ipynb")


def test_machine_path_in_a_coloured_traceback_is_caught():
    coloured = {"output_type": "error", "ename": "ValueError", "evalue": "bad",
                "traceback": ["\x1b[36mFile \x1b[39m\x1b[32m/work/main/helpers/dosing.py:151\x1b[39m, in bsa()"]}
    assert any(MACHINE_PATH.search(text) for text in _output_texts(coloured))


_CHECK_CALL = re.compile(r'check\("(\d\d\.\d+)"')


def _visible_text(cell: dict) -> str:
    """What a fellow sees of a cell without expanding anything: markdown, or the outputs' text."""
    if cell["cell_type"] == "markdown":
        return "".join(cell["source"])
    return "\n".join(t for out in cell.get("outputs", []) for t in _output_texts(out))


def answer_leaks(cells: list[dict], expected_of) -> list[str]:
    """Exercises whose answer can be read in a visible cell after the exercise, before the next exercise or
    section: a number asked to n decimals (n >= 1) printed to n decimals, or every string of a list answer
    in its order in one cell. Solution cells are skipped (hidden until expanded). ``expected_of(id)`` gives
    (answer, decimals). Whole numbers are not checked: they are everywhere in a chapter's text."""
    leaks = []
    for i, cell in enumerate(cells):
        found = _CHECK_CALL.search("".join(cell["source"])) if cell["cell_type"] == "code" else None
        if not found or "solution" in _tags(cell):
            continue
        exercise_id = found.group(1)
        answer, decimals = expected_of(exercise_id)
        if isinstance(answer, float) and decimals:
            pattern = re.compile(rf"(?<![\d.]){re.escape(f'{answer:.{decimals}f}')}(?![\d])")
        elif isinstance(answer, list) and answer and all(isinstance(a, str) for a in answer):
            pattern = re.compile(r"\b" + r"\b.*?\b".join(re.escape(a) for a in answer) + r"\b", re.S)
        else:
            continue
        for j in range(i + 1, len(cells)):
            later = cells[j]
            source = "".join(later["source"])
            if later["cell_type"] == "markdown" and (source.startswith("## ") or re.match(r"\*\*(Exercise )?\d\d\.\d", source)):
                break  # the next section or the next exercise's prompt
            if "solution" in _tags(later):
                continue
            if pattern.search(_visible_text(later)):
                leaks.append(f"exercise {exercise_id}: its answer is visible in cell {j}")
    return leaks


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_no_answer_is_visible_before_its_solution_is_expanded(path):
    from helpers.exercises import _lookup
    def expected_of(exercise_id):
        exercise = _lookup(exercise_id)
        return exercise.expected(), exercise.decimals
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    assert answer_leaks(cells, expected_of) == []


def test_answer_leaks_finds_a_printed_answer_and_a_worked_list():
    def md(text):
        return {"cell_type": "markdown", "source": [text], "metadata": {}}
    def code(src, text="", tags=()):
        return {"cell_type": "code", "source": [src], "metadata": {"tags": list(tags)},
                "outputs": [{"output_type": "stream", "name": "stdout", "text": [text]}] if text else []}
    answers = {"04.2": (11.4723, 1), "03.6": (["CRi", "CRh", "PR", "NR"], None), "04.1": (2, None)}
    cells = [md("**04.2** Compute it."), code('check("04.2", answer)'),
             code('check("04.2", answer)', "11.5 months", tags=["solution"]),   # hidden: fine
             code("mix", "RFS  11.5  (reverse KM)"),                            # visible: a leak
             md("**03.6** Classify."), code('check("03.6", answer)'),
             md("Why: A is **CRi**, B **CRh**, C **PR**, D **NR**."),           # a leak
             md("**04.1** Count."), code('check("04.1", answer)'), code("x", "2 events"),  # integers: not checked
             md("## Reported vs re-derived"), code("table", "11.5")]            # next section: not checked
    assert answer_leaks(cells, answers.__getitem__) == [
        "exercise 04.2: its answer is visible in cell 3", "exercise 03.6: its answer is visible in cell 6"]
    assert answer_leaks(cells[:3] + cells[4:], answers.__getitem__) == [
        "exercise 03.6: its answer is visible in cell 5"]
