"""Re-execute notebooks in place, top to bottom in a fresh kernel (one clean Restart-and-Run-All).

    .venv/bin/python tools/run_notebooks.py notebooks/*.ipynb      # what `make notebooks` runs

Each notebook runs with nbclient in a new "python3" kernel whose working directory is the
notebook's own folder, so execution counts come out 1..n. The "python3" kernel spec must launch
*this* interpreter (the .venv's); the script checks that before running anything. A cell that
raises stops the run and leaves that notebook file untouched, unless the cell is tagged
``raises-exception``. Output on stderr (warnings) is reported and makes the exit status non-zero.

Every notebook this script stores is also normalised (``normalise``), so it opens clean in JupyterLab:

- cells tagged ``solution`` get ``metadata.jupyter.source_hidden`` and ``outputs_hidden`` = true
  (JupyterLab 4 and the book show them collapsed: neither the code nor its printed answer is
  visible until the fellow expands the cell; nbval still runs and compares them);
- one kernelspec, exactly what JupyterLab writes on open (``KERNELSPEC``), so no notebook is
  marked modified just by opening it.

    .venv/bin/python tools/run_notebooks.py --metadata-only notebooks/*.ipynb   # normalise, run nothing
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import nbformat
from jupyter_client.kernelspec import KernelSpecManager
from nbclient import NotebookClient
from nbconvert.preprocessors import CoalesceStreamsPreprocessor
from nbclient.exceptions import CellExecutionError

KERNEL_NAME = "python3"
# What JupyterLab 4 + ipykernel write into metadata.kernelspec when a notebook is opened.
KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": KERNEL_NAME}
SOLUTION_TAG = "solution"
TIMEOUT_S = 300
_SYS_EXECUTABLE_ALIASES = {"python", f"python{sys.version_info[0]}", "python%d.%d" % sys.version_info[:2]}


def check_kernel_is_this_interpreter(kernel_name: str = KERNEL_NAME) -> str:
    """Return the kernel's interpreter; raise RuntimeError if it is not ``sys.executable``.

    jupyter_client replaces a bare "python"/"python3" in the spec's argv with sys.executable;
    an absolute path must point at this same interpreter (e.g. a stale user-level kernel spec
    in ~/.local/share/jupyter would otherwise run the notebooks in another environment).
    """
    spec = KernelSpecManager().get_kernel_spec(kernel_name)
    exe = spec.argv[0]
    if exe in _SYS_EXECUTABLE_ALIASES:
        return sys.executable
    if Path(exe).absolute() != Path(sys.executable).absolute():
        raise RuntimeError(
            f"kernel {kernel_name!r} ({spec.resource_dir}) launches {exe}, not this interpreter "
            f"{sys.executable}; remove that kernel spec or reinstall ipykernel into .venv."
        )
    return exe


def stderr_outputs(nb: nbformat.NotebookNode) -> list[tuple[int, str]]:
    """(cell index, text) of every stderr stream output."""
    found = []
    for index, cell in enumerate(nb.cells):
        for output in cell.get("outputs", []):
            if output.get("output_type") == "stream" and output.get("name") == "stderr":
                found.append((index, output.get("text", "")))
    return found


def normalise(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Collapse every ``solution`` cell (input and output) and set the one kernelspec. In place; returns nb."""
    nb.metadata["kernelspec"] = nbformat.from_dict(dict(KERNELSPEC))
    for cell in nb.cells:
        if SOLUTION_TAG in cell.get("metadata", {}).get("tags", []):
            jupyter = cell.metadata.setdefault("jupyter", nbformat.from_dict({}))
            jupyter["source_hidden"] = True
            if cell.cell_type == "code":
                jupyter["outputs_hidden"] = True
    return nb


def normalise_file(path: Path) -> bool:
    """Normalise ``path`` in place without running it. Returns True if the file changed."""
    path = Path(path)
    if path.suffix != ".ipynb" or not path.is_file():
        raise ValueError(f"path={str(path)!r} is not an existing notebook; expected an existing .ipynb file.")
    before = path.read_text(encoding="utf-8")
    nb = normalise(nbformat.read(path, as_version=4))
    nbformat.validate(nb)
    after = nbformat.writes(nb) + "\n"  # nbformat.write adds the final newline too
    if after != before:
        path.write_text(after, encoding="utf-8")
    return after != before


def run_notebook(path: Path) -> list[tuple[int, str]]:
    """Execute ``path`` in place. Returns the stderr outputs (empty when clean).

    Raises ValueError if ``path`` is not an existing .ipynb file, and CellExecutionError
    (file left unchanged) if a cell not tagged ``raises-exception`` fails.
    """
    path = Path(path)
    if path.suffix != ".ipynb" or not path.is_file():
        raise ValueError(f"path={str(path)!r} is not an existing notebook; expected an existing .ipynb file.")
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(
        nb,
        timeout=TIMEOUT_S,
        kernel_name=KERNEL_NAME,
        resources={"metadata": {"path": str(path.parent.resolve())}},
        record_timing=False,  # no per-cell timestamps in the saved file
    )
    # CurveZMQ between client and kernel: encrypted, and no "running over TCP without encryption" warning.
    client.execute(transport_encryption="auto")
    # one stream output per name, however the kernel happened to flush it (byte-stable files)
    nb, _ = CoalesceStreamsPreprocessor().preprocess(nb, {})
    normalise(nb)
    nbformat.validate(nb)
    nbformat.write(nb, path)
    return stderr_outputs(nb)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="+", type=Path, help=".ipynb files to execute in place")
    parser.add_argument("--metadata-only", action="store_true",
                        help="only normalise the metadata (collapsed solutions, kernelspec); run nothing")
    args = parser.parse_args(argv)

    if args.metadata_only:
        status = 0
        for path in sorted(args.notebooks):
            try:
                changed = normalise_file(path)
            except ValueError as exc:
                print(f"error: {exc}", file=sys.stderr)
                status = 2
                continue
            print(f"{'normalised' if changed else 'unchanged '} {path}")
        return status

    try:
        check_kernel_is_this_interpreter()
    except RuntimeError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2

    status = 0
    for path in sorted(args.notebooks):
        start = time.perf_counter()
        try:
            warnings = run_notebook(path)
        except ValueError as exc:
            print(f"error: {exc}", file=sys.stderr)
            status = 2
            continue
        except CellExecutionError as exc:
            print(f"FAILED {path} (file not rewritten):\n{exc}", file=sys.stderr)
            status = 1
            continue
        elapsed = time.perf_counter() - start
        if warnings:
            status = 1
            print(f"WARN   {path} ({elapsed:.1f} s): stderr output in cell(s) "
                  f"{', '.join(str(i) for i, _ in warnings)}:", file=sys.stderr)
            for index, text in warnings:
                print(f"  cell {index}: {text.strip()[:500]}", file=sys.stderr)
        else:
            print(f"ok     {path} ({elapsed:.1f} s)")
    return status


if __name__ == "__main__":
    sys.exit(main())
