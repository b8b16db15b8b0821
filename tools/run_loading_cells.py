"""Run the loading cells of notebooks against given data folders, without starting a kernel per case.

    .venv/bin/python tools/run_loading_cells.py < cases.json > results.json

Used by tests/test_loaders.py. ``cases.json`` is a list of
``{"id": ..., "notebook": "notebooks/02_cohort.ipynb", "data_dir": "/tmp/.../corrupted"}``. For each case
the notebook's cells up to and including its first code cell (the cell that loads the data) are read
from the notebook file itself and run, one by one, in an IPython ``InteractiveShell`` (the shell class
that ipykernel's kernel subclasses: same cell transformation, magics, display hook), with
``LIPOMIT_DATA_DIR`` set to the case's folder and the working directory set to the notebook's folder,
as a kernel started by nbclient/nbval would have them.

Why not one kernel per case (what the tests did before): a kernel start plus the stack's imports cost
2-5 s per case, the loading itself a few milliseconds. Here the third-party modules the cells (and the
helpers package) import are imported once, and each case runs in a child made with ``os.fork()``: a
fresh copy of that process, so no case sees another's state (the ``helpers`` package itself is imported
in the child, under the case's data folder, as a fresh kernel would import it).

Prints a JSON list, one entry per case: ``{"id", "cells": [{"index", "error": null | {"ename",
"evalue"}}], "stdout"}``, where ``index`` is the cell's position in the notebook.
"""
from __future__ import annotations

import ast
import importlib
import json
import os
import signal
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR_ENV = "LIPOMIT_DATA_DIR"
PROJECT_PACKAGES = {"helpers"}
CASE_TIMEOUT_S = 120  # as the kernel-based version's nbclient timeout


def loading_cells(notebook: Path) -> list[tuple[int, str]]:
    """(index, source) of the code cells up to and including the notebook's first code cell."""
    nb = json.loads(Path(notebook).read_text(encoding="utf-8"))
    cells = nb["cells"]
    first = next(i for i, c in enumerate(cells) if c["cell_type"] == "code")
    return [(i, "".join(c["source"]) if isinstance(c["source"], list) else c["source"])
            for i, c in enumerate(cells[: first + 1]) if c["cell_type"] == "code"]


def _top_level_imports(source: str) -> set[str]:
    try:
        tree = ast.parse(source)
    except SyntaxError:  # IPython syntax (a magic): the shell will say so in the case itself
        return set()
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def third_party_imports(sources: list[str]) -> list[str]:
    """Modules imported by ``sources`` and by the helpers package, the project's own excepted."""
    names = set()
    for src in sources + [p.read_text(encoding="utf-8") for p in (ROOT / "helpers").rglob("*.py")]:
        names |= _top_level_imports(src)
    return sorted(n for n in names if n.split(".")[0] not in PROJECT_PACKAGES)


def _preload(modules: list[str]) -> None:
    for name in modules:
        try:
            importlib.import_module(name)
        except Exception:  # noqa: BLE001 - only a speed-up; the case's own import reports any failure
            pass


def _shell():
    from IPython.core.interactiveshell import InteractiveShell
    from traitlets.config import Config

    config = Config()
    config.HistoryManager.enabled = False  # no history database; a kernel's history plays no part here
    return InteractiveShell.instance(config=config)


def _run_case_in_child(shell, case: dict, cells: list[tuple[int, str]], out_fd: int, log_path: str) -> None:
    """In the forked child: run the cells, write the result as JSON to ``out_fd``, never return."""
    status = 0
    try:
        signal.alarm(CASE_TIMEOUT_S)
        os.environ[DATA_DIR_ENV] = case["data_dir"]
        os.chdir(Path(case["notebook"]).resolve().parent)
        log = os.open(log_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        os.dup2(log, 1)
        os.dup2(log, 2)
        results = []
        for index, source in cells:
            result = shell.run_cell(source, store_history=False)
            exc = result.error_before_exec or result.error_in_exec
            results.append({"index": index, "error": None if exc is None else
                            {"ename": type(exc).__name__, "evalue": str(exc)}})
        sys.stdout.flush()
        sys.stderr.flush()
        os.write(out_fd, json.dumps(results).encode())
    except BaseException as exc:  # noqa: BLE001 - reported to the parent as the case's failure
        os.write(out_fd, json.dumps({"runner_error": f"{type(exc).__name__}: {exc}"}).encode())
        status = 1
    finally:
        os.close(out_fd)
        os._exit(status)


def run_cases(cases: list[dict]) -> list[dict]:
    os.environ.setdefault("MPLBACKEND", "Agg")
    cells_of = {c["notebook"]: loading_cells(Path(c["notebook"])) for c in cases}
    _preload(third_party_imports([src for cells in cells_of.values() for _, src in cells]))
    shell = _shell()
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        for n, case in enumerate(cases):
            log_path = os.path.join(tmp, f"case{n}.log")
            read_fd, write_fd = os.pipe()
            pid = os.fork()
            if pid == 0:
                os.close(read_fd)
                _run_case_in_child(shell, case, cells_of[case["notebook"]], write_fd, log_path)
            os.close(write_fd)
            with os.fdopen(read_fd, "rb") as pipe:
                payload = pipe.read()
            os.waitpid(pid, 0)
            output = Path(log_path).read_text(errors="replace") if os.path.exists(log_path) else ""
            try:
                cells = json.loads(payload)
            except ValueError:
                cells = {"runner_error": f"the case's process ended without a result: {payload[:200]!r}"}
            if isinstance(cells, dict):
                results.append({"id": case["id"], "cells": [], "stdout": output, **cells})
            else:
                results.append({"id": case["id"], "cells": cells, "stdout": output})
    return results


def main() -> int:
    cases = json.load(sys.stdin)
    json.dump(run_cases(cases), sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
