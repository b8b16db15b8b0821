"""Open the collection in JupyterLab on the fellow's own working copy (what `make lab` runs).

    .venv/bin/python tools/lab.py                # make lab: copy new notebooks into my-notebooks/, open 00_index
    python3 tools/lab.py --restore 03            # make restore NB=03: chapter 03 back to the shipped version
    python3 tools/lab.py --restore all           # make restore: every chapter back to the shipped version

The shipped notebooks in notebooks/ are what the tests check; a fellow never works in them. The first
`make lab` copies them into my-notebooks/ (git-ignored); later runs copy only chapters that are new
there and never overwrite a fellow's file. JupyterLab serves my-notebooks/ only, so autosave cannot
reach the shipped files. A restore first moves the fellow's file to my-notebooks/backups/.

Jupyter's configuration comes from jupyter/ in this repository (JUPYTER_CONFIG_DIR): settings
overrides in jupyter/lab-settings/ (no news or update pop-up) and jupyter/custom/custom.css (a
collapsed solution shows no preview of its code or output). The per-user state (settings changed in
the UI, open tabs) stays in my-notebooks/.lab/, so nothing outside the repository is read for
settings or changed.

Only the standard library is imported at the top: `make restore` needs no virtual environment.
"""
from __future__ import annotations

import argparse
import os
import re
import shutil
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHIPPED_DIR = ROOT / "notebooks"
WORK_DIR = ROOT / "my-notebooks"
CONFIG_DIR = ROOT / "jupyter"  # JUPYTER_CONFIG_DIR for the lab: custom/custom.css
SETTINGS_DIR = CONFIG_DIR / "lab-settings"
INDEX = "00_index.ipynb"
BACKUPS = "backups"
STATE = ".lab"  # hidden: JupyterLab's file browser does not list it
_CHAPTER_RE = re.compile(r"^(\d{2})_.+\.ipynb$")


def shipped_notebooks(shipped: Path = SHIPPED_DIR) -> list[Path]:
    """The chapter notebooks (NN_name.ipynb) in ``shipped``, sorted."""
    return sorted(p for p in Path(shipped).glob("*.ipynb") if _CHAPTER_RE.match(p.name))


def ensure_working_copy(work: Path = WORK_DIR, shipped: Path = SHIPPED_DIR) -> list[Path]:
    """Copy every shipped notebook that ``work`` does not have yet; never overwrite. Returns the copies made."""
    work = Path(work)
    work.mkdir(parents=True, exist_ok=True)
    created = []
    for source in shipped_notebooks(shipped):
        target = work / source.name
        if target.exists():
            continue
        shutil.copyfile(source, target)  # contents only: the copy gets a fresh mtime, no read-only bits
        created.append(target)
    return created


def _select(which: str, shipped: Path) -> list[Path]:
    """Shipped notebooks matching ``which``: 'all', a chapter number ('3', '03') or a file name."""
    notebooks = shipped_notebooks(shipped)
    which = str(which).strip()
    if which.lower() == "all":
        return notebooks
    if which.isdigit():
        chosen = [p for p in notebooks if p.name.startswith(f"{int(which):02d}_")]
    else:
        name = which if which.endswith(".ipynb") else f"{which}.ipynb"
        chosen = [p for p in notebooks if p.name == Path(name).name]
    if not chosen:
        accepted = ", ".join(p.name[:2] for p in notebooks)
        raise ValueError(f"which={which!r} matches no shipped notebook; accepted: 'all', a chapter number "
                         f"({accepted}) or a file name such as {notebooks[0].name if notebooks else INDEX!r}.")
    return chosen


def restore(which: str = "all", work: Path = WORK_DIR, shipped: Path = SHIPPED_DIR) -> list[tuple[Path, Path | None]]:
    """Put the shipped version of ``which`` back into ``work``. The fellow's file is moved to backups/ first.

    Returns (restored notebook, backup or None) pairs. Raises ValueError for an unknown ``which``.
    """
    work = Path(work)
    chosen = _select(which, Path(shipped))
    work.mkdir(parents=True, exist_ok=True)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    done = []
    for source in chosen:
        target = work / source.name
        backup = None
        if target.exists():
            if target.read_bytes() == source.read_bytes():
                done.append((target, None))
                continue
            backup = work / BACKUPS / f"{target.stem}.{stamp}.ipynb"
            backup.parent.mkdir(exist_ok=True)
            shutil.move(target, backup)
        shutil.copyfile(source, target)
        done.append((target, backup))
    return done


def lab_command(work: Path = WORK_DIR, port: int = 8888, *, token: str | None = None,
                headless: bool = False, extra: list[str] | None = None) -> list[str]:
    """The JupyterLab command line: this interpreter, serving ``work``, opening its 00_index.

    ``headless`` (tests): no browser, loopback only, fail instead of moving to another port.
    """
    work = Path(work).resolve()
    argv = [
        sys.executable, "-m", "jupyterlab",
        f"--ServerApp.root_dir={work}",
        f"--port={int(port)}",
        # The URL JupyterLab prints (and opens) shows the index, not the Launcher.
        f"--LabApp.default_url=/lab/tree/{INDEX}",
        # Settings overrides from this repo (no news pop-up); per-user state inside the working copy.
        f"--LabApp.app_settings_dir={SETTINGS_DIR}",
        f"--LabApp.user_settings_dir={work / STATE / 'user-settings'}",
        f"--LabApp.workspaces_dir={work / STATE / 'workspaces'}",
        # jupyter/custom/custom.css: collapsed solutions show no preview of their code or output.
        "--LabApp.custom_css=True",
        # Nothing that reaches the internet.
        "--LabApp.news_url=None",
        "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
    ]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        argv.append("--allow-root")  # containers and CI often run as root; Jupyter refuses without it
    if token is not None:
        argv.append(f"--IdentityProvider.token={token}")
    if headless:
        argv += ["--no-browser", "--ServerApp.ip=127.0.0.1", "--ServerApp.port_retries=0"]
    return argv + list(extra or [])


def lab_env(base: dict[str, str] | None = None) -> dict[str, str]:
    """The environment for JupyterLab: Jupyter's configuration from this repo's jupyter/ folder only."""
    env = dict(os.environ if base is None else base)
    env["JUPYTER_CONFIG_DIR"] = str(CONFIG_DIR)
    return env


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--restore", metavar="WHICH",
                        help="'all', a chapter number (03) or a file name: put the shipped version back")
    parser.add_argument("--work", type=Path, default=WORK_DIR, help="the working copy (default my-notebooks/)")
    parser.add_argument("--port", type=int, default=8888)
    parser.add_argument("--headless", action="store_true", help="tests: no browser, 127.0.0.1, fixed port")
    parser.add_argument("--token", help="tests: a fixed token instead of a random one")
    parser.add_argument("extra", nargs="*", help="further JupyterLab options (after --)")
    args = parser.parse_args(argv)
    shown = os.path.relpath(args.work.resolve(), Path.cwd())

    if args.restore is not None:
        try:
            done = restore(args.restore, args.work)
        except ValueError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 2
        for target, backup in done:
            rel = os.path.relpath(target, Path.cwd())
            if backup is None:
                print(f"restored  {rel}")
            else:
                print(f"restored  {rel}  (your version moved to {os.path.relpath(backup, Path.cwd())})")
        print("Reload the notebook in JupyterLab (File > Reload Notebook from Disk) if it is open.")
        return 0

    created = ensure_working_copy(args.work)
    if created:
        print(f"Your working copy: {shown}/ ({len(created)} notebook(s) copied from notebooks/). "
              "Your answers are saved there, never in notebooks/.")
    else:
        print(f"Your working copy: {shown}/ (your existing work is kept).")
    print(f"Start over with one chapter: make restore NB=03   (all: make restore; old versions go to "
          f"{shown}/{BACKUPS}/)")
    print("JupyterLab starts in a few seconds; open the http://127.0.0.1:… URL it prints below.",
          flush=True)
    command = lab_command(args.work, args.port, token=args.token, headless=args.headless, extra=args.extra)
    os.execve(command[0], command, lab_env())  # JupyterLab replaces this process: Ctrl-C stops it directly
    return 0  # not reached


if __name__ == "__main__":
    sys.exit(main())
