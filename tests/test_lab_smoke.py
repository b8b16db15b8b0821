"""`make lab` really starts JupyterLab and serves the fellow's working copy.

The Makefile's `lab` recipe runs tools/lab.py (checked below); the test runs tools/lab.py headless on a
free loopback port with a random token and a working copy in a temporary folder. Only 127.0.0.1 is
contacted. Jupyter's runtime/data folders point at a temporary directory, and tools/lab.py points the
config folder at the repo's jupyter/ and the per-user state into the working copy, so nothing is
left in the repo or in the home folder. The full session in a browser is tests/test_browser.py.
"""
from __future__ import annotations

import json
import os
import re
import secrets
import shlex
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from helpers.paths import PROJECT_ROOT

sys.path.insert(0, str(PROJECT_ROOT / "tools"))
import lab  # noqa: E402  (tools/lab.py: what `make lab` runs)

STARTUP_DEADLINE_S = 60  # usually ~3 s; generous because nbval kernels may run alongside (-n 2)


def lab_recipe() -> list[str]:
    """The `lab` target's recipe lines from the Makefile."""
    lines = (PROJECT_ROOT / "Makefile").read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if re.match(r"^lab\s*:", line))
    recipe = []
    for line in lines[start + 1:]:
        if not line.startswith("\t"):
            break
        recipe.append(line.strip().lstrip("@"))
    return recipe


def lab_command(work: Path, port: int, token: str) -> list[str]:
    """tools/lab.py, exactly as the Makefile's `lab` recipe runs it, plus the headless test options."""
    return [sys.executable, str(PROJECT_ROOT / "tools" / "lab.py"), "--work", str(work),
            "--port", str(port), "--headless", "--token", token]


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def isolated_env(tmp: Path) -> dict[str, str]:
    env = dict(os.environ)
    for var, sub in {
        "JUPYTER_RUNTIME_DIR": "runtime",
        "JUPYTER_DATA_DIR": "data",
        "IPYTHONDIR": "ipython",
    }.items():
        (tmp / sub).mkdir()
        env[var] = str(tmp / sub)
    env["JUPYTER_PLATFORM_DIRS"] = "1"
    env["NO_PROXY"] = env["no_proxy"] = "127.0.0.1,localhost"
    return env


def get_json(url: str):
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # never via a proxy
    with opener.open(url, timeout=3) as response:
        return json.loads(response.read().decode("utf-8"))


@pytest.mark.slow
@pytest.mark.skipif(Path("/usr/bin/chromium").exists() and not os.environ.get("LAB_SMOKE_ALWAYS"),
                    reason="tests/test_browser.py starts the same server and checks all of this (and more); "
                           "set LAB_SMOKE_ALWAYS=1 to run it anyway")
def test_make_lab_serves_the_working_copy(tmp_path):
    """Without Chromium (no browser test), at least check that the server starts and is configured."""
    token = secrets.token_hex(16)
    port = free_port()
    work = tmp_path / "my-notebooks"
    log_path = tmp_path / "lab.log"
    url = f"http://127.0.0.1:{port}/api/contents?token={token}"
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(
            lab_command(work, port, token), cwd=tmp_path, env=isolated_env(tmp_path),
            stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        )
        try:
            listing, last_error = None, None
            deadline = time.monotonic() + STARTUP_DEADLINE_S
            while time.monotonic() < deadline:
                if proc.poll() is not None:
                    break
                try:
                    listing = get_json(url)
                    settings = get_json(f"http://127.0.0.1:{port}/lab/api/settings/"
                                        f"@jupyterlab/apputils-extension:notification?token={token}")
                    css = urllib.request.build_opener(urllib.request.ProxyHandler({})).open(
                        f"http://127.0.0.1:{port}/custom/custom.css?token={token}", timeout=3).read().decode()
                    break
                except (urllib.error.URLError, ConnectionError, TimeoutError, OSError) as exc:
                    last_error = exc
                    time.sleep(0.25)
            if listing is None:
                state = f"exited with {proc.returncode}" if proc.poll() is not None else "did not answer"
                pytest.fail(
                    f"JupyterLab {state} within {STARTUP_DEADLINE_S} s (last error: {last_error}).\n"
                    f"command: {shlex.join(lab_command(work, port, '<token>'))}\n"
                    f"log:\n{log_path.read_text(errors='replace')[-3000:]}"
                )
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=15)

    # It serves the working copy (every shipped notebook copied), not notebooks/.
    assert listing["type"] == "directory" and listing["path"] == ""
    names = {item["name"] for item in listing["content"]}
    assert names >= {p.name for p in (PROJECT_ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb")}
    assert "00_index.ipynb" in names, f"notebooks listed: {sorted(names)}"
    # The URL it prints opens the index.
    assert re.search(r"http://127\.0\.0\.1:\d+/lab/tree/00_index\.ipynb\?token=", log_path.read_text(errors="replace"))
    # No news prompt: the repo's overrides reach JupyterLab, and the collapsed-solution CSS is served.
    defaults = {k: v.get("default") for k, v in settings["schema"]["properties"].items()}
    assert defaults["fetchNews"] == "false" and defaults["checkForUpdates"] is False, defaults
    assert ".jp-InputPlaceholder" in css
    # JupyterLab's per-user state stayed in the working copy.
    assert not (PROJECT_ROOT / "jupyter" / "lab-settings" / "workspaces").exists()


def test_make_lab_runs_tools_lab():
    recipe = lab_recipe()
    assert any("tools/lab.py" in line for line in recipe), f"the lab recipe should run tools/lab.py: {recipe}"
    assert not any("jupyter lab" in line for line in recipe), "start JupyterLab only through tools/lab.py"


def test_lab_command_serves_the_working_copy_at_the_index(tmp_path):
    argv = lab.lab_command(tmp_path / "w", 8888)
    assert argv[:3] == [sys.executable, "-m", "jupyterlab"]
    assert f"--ServerApp.root_dir={(tmp_path / 'w').resolve()}" in argv
    assert "--LabApp.default_url=/lab/tree/00_index.ipynb" in argv
    assert "--port=8888" in argv and "--LabApp.custom_css=True" in argv
    assert f"--LabApp.app_settings_dir={PROJECT_ROOT / 'jupyter' / 'lab-settings'}" in argv
    assert lab.lab_env({})["JUPYTER_CONFIG_DIR"] == str(PROJECT_ROOT / "jupyter")


# ---- the working copy and restore -----------------------------------------------------------

def _shipped(tmp_path: Path) -> Path:
    shipped = tmp_path / "shipped"
    shipped.mkdir()
    for name in ("00_index.ipynb", "03_response.ipynb", "05_toxicity.ipynb", "notes.ipynb"):
        (shipped / name).write_text(f"shipped {name}")
    return shipped


def test_working_copy_is_created_once_and_never_overwritten(tmp_path):
    shipped, work = _shipped(tmp_path), tmp_path / "work"
    created = lab.ensure_working_copy(work, shipped)
    assert sorted(p.name for p in created) == ["00_index.ipynb", "03_response.ipynb", "05_toxicity.ipynb"]
    (work / "03_response.ipynb").write_text("my answers")
    (work / "05_toxicity.ipynb").unlink()
    (shipped / "07_new.ipynb").write_text("shipped 07")
    created = lab.ensure_working_copy(work, shipped)
    assert sorted(p.name for p in created) == ["05_toxicity.ipynb", "07_new.ipynb"]
    assert (work / "03_response.ipynb").read_text() == "my answers"


def test_restore_one_chapter_keeps_a_backup(tmp_path):
    shipped, work = _shipped(tmp_path), tmp_path / "work"
    lab.ensure_working_copy(work, shipped)
    (work / "03_response.ipynb").write_text("my answers")
    (work / "05_toxicity.ipynb").write_text("other work")
    [(target, backup)] = lab.restore("3", work, shipped)
    assert target == work / "03_response.ipynb" and target.read_text() == "shipped 03_response.ipynb"
    assert backup.parent == work / "backups" and backup.read_text() == "my answers"
    assert (work / "05_toxicity.ipynb").read_text() == "other work"  # other chapters untouched


def test_restore_all_and_by_name(tmp_path):
    shipped, work = _shipped(tmp_path), tmp_path / "work"
    lab.ensure_working_copy(work, shipped)
    (work / "05_toxicity.ipynb").write_text("other work")
    done = lab.restore("all", work, shipped)
    assert [t.name for t, _ in done] == ["00_index.ipynb", "03_response.ipynb", "05_toxicity.ipynb"]
    assert [b is None for _, b in done] == [True, True, False]  # unchanged files need no backup
    assert lab.restore("05_toxicity", work, shipped)[0][0].name == "05_toxicity.ipynb"


@pytest.mark.parametrize("which", ["99", "07", "nonsense", "notes"])
def test_restore_rejects_unknown_chapters(tmp_path, which):
    with pytest.raises(ValueError, match=rf"which='{which}'.*accepted"):
        lab.restore(which, tmp_path / "work", _shipped(tmp_path))


def test_working_copy_is_git_ignored():
    ignored = (PROJECT_ROOT / ".gitignore").read_text(encoding="utf-8").splitlines()
    assert "my-notebooks/" in ignored and "build-artifacts/" in ignored
