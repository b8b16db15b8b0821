"""`make lab` really starts JupyterLab and serves the notebooks.

The command is read from the Makefile's `lab` recipe (so a broken recipe breaks this test), then run
headless on a free loopback port with a random token. Only 127.0.0.1 is contacted. Jupyter's
runtime/config/data/settings folders point at a temporary directory, so nothing is left in the repo
or in the home folder.
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

STARTUP_DEADLINE_S = 60  # usually ~3 s; generous because nbval kernels may run alongside (-n 2)


def lab_recipe() -> list[str]:
    """The `lab` target's command from the Makefile, as argv, with $(VENV) and $(PORT) left in."""
    lines = (PROJECT_ROOT / "Makefile").read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if re.match(r"^lab\s*:", line))
    recipe = []
    for line in lines[start + 1:]:
        if not line.startswith("\t"):
            break
        recipe.append(line.strip().lstrip("@"))
    commands = [c for c in recipe if "jupyter" in c and " lab" in c]
    assert len(commands) == 1, f"expected one `jupyter lab` command in the Makefile's lab recipe, got {recipe}"
    return shlex.split(commands[0])


def lab_command(port: int, token: str) -> list[str]:
    """The Makefile's command for this interpreter's venv, plus headless/test-only options."""
    bindir = Path(sys.executable).parent  # .venv/bin (not resolved: that would leave the venv)
    argv = []
    for arg in lab_recipe():
        if arg == "$(LAB_FLAGS)":  # only --allow-root when root, which `extra` below adds too
            continue
        arg = arg.replace("$(VENV)/bin", str(bindir)).replace("$(PORT)", str(port))
        if arg == "--ServerApp.root_dir=.":  # relative to make's cwd, the repo root
            arg = f"--ServerApp.root_dir={PROJECT_ROOT}"
        assert "$(" not in arg, f"unexpanded make variable in {arg!r}; teach lab_command about it"
        argv.append(arg)
    extra = [
        "--no-browser",
        f"--IdentityProvider.token={token}",  # (ServerApp.token is deprecated)
        "--ServerApp.ip=127.0.0.1",
        "--ServerApp.port_retries=0",  # fail loudly instead of silently moving to another port
        # Nothing that could reach the internet (these only fetch when a browser asks, but be explicit).
        "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
        "--LabApp.news_url=None",
        "--LabApp.extension_manager=readonly",
    ]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        extra.append("--allow-root")  # containers/CI often run as root; Jupyter refuses without it
    return argv + extra


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def isolated_env(tmp: Path) -> dict[str, str]:
    env = dict(os.environ)
    for var, sub in {
        "JUPYTER_RUNTIME_DIR": "runtime",
        "JUPYTER_CONFIG_DIR": "config",
        "JUPYTER_DATA_DIR": "data",
        "JUPYTERLAB_SETTINGS_DIR": "lab-settings",
        "JUPYTERLAB_WORKSPACES_DIR": "lab-workspaces",
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
def test_make_lab_serves_the_notebooks(tmp_path):
    token = secrets.token_hex(16)
    port = free_port()
    log_path = tmp_path / "lab.log"
    url = f"http://127.0.0.1:{port}/api/contents/notebooks?token={token}"
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(
            lab_command(port, token), cwd=PROJECT_ROOT, env=isolated_env(tmp_path),
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
                    break
                except (urllib.error.URLError, ConnectionError, TimeoutError, OSError) as exc:
                    last_error = exc
                    time.sleep(0.25)
            if listing is None:
                state = f"exited with {proc.returncode}" if proc.poll() is not None else "did not answer"
                pytest.fail(
                    f"JupyterLab {state} within {STARTUP_DEADLINE_S} s (last error: {last_error}).\n"
                    f"command: {shlex.join(lab_command(port, '<token>'))}\n"
                    f"log:\n{log_path.read_text(errors='replace')[-3000:]}"
                )
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=15)

    assert listing["type"] == "directory" and listing["path"] == "notebooks"
    names = {item["name"] for item in listing["content"]}
    assert "00_index.ipynb" in names, f"notebooks listed: {sorted(names)}"
    assert all(item["type"] == "notebook" for item in listing["content"] if item["name"].endswith(".ipynb"))


def test_lab_command_is_the_makefile_recipe():
    argv = lab_command(8888, "t")
    assert Path(argv[0]) == Path(sys.executable).parent / "jupyter"
    assert argv[1] == "lab"
    assert "notebooks/00_index.ipynb" in argv, "make lab should open the index"
    assert "--port=8888" in argv
    assert f"--ServerApp.root_dir={PROJECT_ROOT}" in argv, "the lab must serve the repo root"
