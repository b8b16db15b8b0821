"""A fellow's session in a real browser: JupyterLab started the way `make lab` starts it, driven by Playwright.

tools/lab.py (what `make lab` runs) starts JupyterLab headless on a free loopback port, with a working
copy in a temporary folder. Debian's Chromium (/usr/bin/chromium; `make test` and `make check-book`
install it if missing) is driven by Playwright: open the index, open a chapter from its link, Run All
through the menu, then check what the fellow sees:

- no error or warning output after Run All;
- every solution collapsed: neither its code nor its output (nor a preview of either) is visible, and
  no "✓ Correct" is visible anywhere before the fellow answers;
- no news pop-up, and no notebook marked modified just by opening it;
- typing the right answer into an exercise shows ✓, a wrong one ✗;
- after the session (answers typed and saved), the shipped notebooks/ are byte-identical and the
  fellow's answer is in the working copy.

Screenshots go to build-artifacts/browser/ (git-ignored, outside the book in build/). Skipped, not
failed, only when /usr/bin/chromium is missing (run `make check-book` or `make test`, which install it).
"""
from __future__ import annotations

import hashlib
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import nbformat
import pytest

from helpers.exercises import expected
from helpers.paths import PROJECT_ROOT

sys.path.insert(0, str(PROJECT_ROOT / "tools"))
import lab  # noqa: E402  (tools/lab.py: what `make lab` runs)

CHROMIUM = Path("/usr/bin/chromium")
SHOTS = PROJECT_ROOT / "build-artifacts" / "browser"
PROFILE = PROJECT_ROOT / "build-artifacts" / "chromium-profile"  # git-ignored browser cache
CHAPTER = "05_toxicity.ipynb"  # a quick chapter with exercises and collapsed solutions
EXERCISE = "05.2"  # an integer answer (patients with ANC recovery > 28 days)
STARTUP_S = 60
RUN_ALL_S = 120
ACTION_MS = 60_000
POLL_MS = 100  # page conditions polled on a timer: polling on animation frames missed changes in headless Chromium
WHOLE_TEST_S = 300  # hard bound on the whole session (typically 30-60 s; more on a loaded machine)
CHROME_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
               "--disable-background-networking", "--disable-component-update", "--disable-sync"]

pytestmark = pytest.mark.slow


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _digests(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.glob("*.ipynb"))}


def _isolated_env(tmp: Path) -> dict[str, str]:
    """Runtime, data and IPython folders in tmp; JUPYTER_CONFIG_DIR is set by tools/lab.py itself."""
    env = dict(os.environ)
    for var, sub in {"JUPYTER_RUNTIME_DIR": "runtime", "JUPYTER_DATA_DIR": "data", "IPYTHONDIR": "ipython"}.items():
        (tmp / sub).mkdir()
        env[var] = str(tmp / sub)
    env["JUPYTER_PLATFORM_DIRS"] = "1"
    env["NO_PROXY"] = env["no_proxy"] = "127.0.0.1,localhost"
    env["MPLBACKEND"] = "module://matplotlib_inline.backend_inline"
    return env


def _wait_for_server(proc: subprocess.Popen, url: str, log: Path) -> None:
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # never via a proxy
    deadline = time.monotonic() + STARTUP_S
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            break
        try:
            opener.open(url, timeout=3).read()
            return
        except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
            time.sleep(0.25)
    pytest.fail(f"JupyterLab did not answer within {STARTUP_S} s.\nlog:\n{log.read_text(errors='replace')[-3000:]}")


def _stop(proc: subprocess.Popen) -> None:
    """Stop JupyterLab and its kernels (its own process group: start_new_session=True).

    Killed outright: the session's work is saved already (the test waits for the save), and a graceful
    shutdown only spends ~2 s asking the kernels to stop.
    """
    try:  # kernels started by the server share its process group
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    proc.wait(timeout=20)


def _get(url: str) -> bytes:
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # never via a proxy
    with opener.open(url, timeout=10) as response:
        return response.read()


def _check_served_config(base: str, token: str, work: Path) -> None:
    """The server serves the working copy, with the repo's settings overrides and custom CSS."""
    listing = json.loads(_get(f"{base}/api/contents?token={token}"))
    names = {item["name"] for item in listing["content"]}
    shipped = {p.name for p in lab.shipped_notebooks()}
    assert names >= shipped, f"the working copy lacks {sorted(shipped - names)}"
    assert {p.name for p in work.glob("*.ipynb")} >= shipped
    schema = json.loads(_get(f"{base}/lab/api/settings/@jupyterlab/apputils-extension:notification?token={token}"))
    defaults = {k: v.get("default") for k, v in schema["schema"]["properties"].items()}
    assert defaults["fetchNews"] == "false" and defaults["checkForUpdates"] is False, (
        f"jupyter/lab-settings/overrides.json did not reach JupyterLab: {defaults}")
    css = _get(f"{base}/custom/custom.css?token={token}").decode()
    assert ".jp-InputPlaceholder" in css, "jupyter/custom/custom.css is not served"


def _solution_count(path: Path) -> int:
    nb = nbformat.read(path, as_version=4)
    return sum("solution" in c.metadata.get("tags", []) for c in nb.cells if c.cell_type == "code")


# JavaScript run in the page. "Visible" = rendered with a box and not hidden by CSS (checkVisibility).
VISIBLE_TEXTS_JS = """(sel) => [...document.querySelectorAll(sel)]
    .filter(e => e.checkVisibility({checkOpacity: true, checkVisibilityCSS: true}))
    .map(e => e.textContent)"""

NOTEBOOK = ".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook"  # the notebook in the current tab
SOLUTION_STATE_JS = """(nb) => [...document.querySelectorAll(nb + ' .jp-CodeCell')]
    .filter(c => c.querySelector('.jp-InputPlaceholder') || c.querySelector('.jp-OutputPlaceholder'))
    .map(c => {
        const vis = e => !!e && e.checkVisibility({checkOpacity: true, checkVisibilityCSS: true});
        const editor = c.querySelector('.jp-Cell-inputArea .jp-InputArea-editor');
        const outputs = [...c.querySelectorAll('.jp-Cell-outputWrapper .jp-OutputArea-output')];
        const previews = [...c.querySelectorAll('.jp-PlaceholderText')];
        return {
            inputPlaceholder: !!c.querySelector('.jp-InputPlaceholder'),
            outputPlaceholder: !!c.querySelector('.jp-OutputPlaceholder'),
            codeVisible: vis(editor),
            visibleOutputs: outputs.filter(vis).map(o => o.textContent.slice(0, 80)),
            visiblePreviews: previews.filter(p => vis(p) && p.textContent.trim()).map(p => p.textContent),
        };
    })"""


def _wait_idle_and_done(page, timeout_s: float) -> None:
    """Kernel idle and no cell still queued or running ([*])."""
    page.wait_for_function(
        """() => {
            const busy = [...document.querySelectorAll('.jp-Notebook .jp-InputPrompt')]
                .some(p => p.textContent.includes('*'));
            const idle = document.querySelector('.jp-Notebook-ExecutionIndicator[data-status="idle"]');
            return !busy && !!idle;
        }""",
        polling=POLL_MS, timeout=timeout_s * 1000,
    )


def _tab_is_dirty(page, name: str) -> bool:
    return page.locator(f".lm-DockPanel-tabBar .lm-TabBar-tab.jp-mod-dirty:has-text('{name}')").count() > 0


def _answer(page, exercise_id: str, value: object) -> str:
    """Replace the exercise cell's code with `answer = value` + check, run it, return its output."""
    cell = page.locator(".jp-Notebook .jp-CodeCell").filter(has_text=f'check("{exercise_id}"').filter(
        has_not=page.locator(".jp-InputPlaceholder")).first
    cell.scroll_into_view_if_needed()
    cell.locator(".cm-content").click()
    page.keyboard.press("Control+a")
    page.keyboard.insert_text(f'answer = {value!r}\ncheck("{exercise_id}", answer)')
    page.keyboard.press("Shift+Enter")
    output = cell.locator(".jp-OutputArea-output")
    page.wait_for_function(
        "(el) => el && /[✓✗]/.test(el.textContent)", arg=output.first.element_handle(timeout=ACTION_MS),
        timeout=ACTION_MS,
    )
    return output.first.inner_text()


class SessionTimeout(Exception):
    pass


@pytest.fixture
def time_bound():
    """Abort the test after WHOLE_TEST_S (its finally-blocks still stop the browser and the server)."""
    def expire(signum, frame):
        raise SessionTimeout(f"the browser session took more than {WHOLE_TEST_S} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.alarm(WHOLE_TEST_S)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, previous)


def test_a_fellows_session_in_jupyterlab(tmp_path, time_bound):
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} missing: `make test` (or `make check-book`) installs Debian's chromium")
    from playwright.sync_api import sync_playwright

    SHOTS.mkdir(parents=True, exist_ok=True)
    shipped_before = _digests(lab.SHIPPED_DIR)
    n_solutions = _solution_count(lab.SHIPPED_DIR / CHAPTER)
    assert n_solutions > 0, f"{CHAPTER} has no solution cells to check"

    t0 = time.monotonic()

    def lap(what: str) -> None:  # progress in the log (pytest -s), for the time budget
        print(f"[browser] {what}: {time.monotonic() - t0:.1f} s", flush=True)

    work = tmp_path / "my-notebooks"
    port, token = _free_port(), secrets.token_hex(16)
    log_path = tmp_path / "lab.log"
    command = [sys.executable, str(PROJECT_ROOT / "tools" / "lab.py"), "--work", str(work),
               "--port", str(port), "--headless", "--token", token]
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(command, cwd=tmp_path, env=_isolated_env(tmp_path), stdin=subprocess.DEVNULL,
                                stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        # Computed from the project's files (a few seconds in a fresh process): while JupyterLab starts.
        right = expected(EXERCISE)
        assert isinstance(right, int), f"{EXERCISE} must have an integer answer for this test, got {right!r}"
        with sync_playwright() as pw:
            # Chromium starts while JupyterLab does.
            # A persistent profile keeps Chromium's HTTP and compiled-JavaScript caches between runs
            # (JupyterLab's bundles are large): a warm run loads the page much faster.
            browser = pw.chromium.launch_persistent_context(
                str(PROFILE), executable_path=str(CHROMIUM), args=CHROME_ARGS,
                viewport={"width": 1400, "height": 1000})
            try:
                base = f"http://127.0.0.1:{port}"
                _wait_for_server(proc, f"{base}/api/status?token={token}", log_path)
                printed = log_path.read_text(errors="replace")
                assert f"/lab/tree/{lab.INDEX}?token=" in printed, f"the printed URL does not open the index:\n{printed}"
                _check_served_config(base, token, work)

                page = browser.new_page()
                page.set_default_timeout(ACTION_MS)
                page_errors: list[str] = []
                page.on("pageerror", lambda exc: page_errors.append(str(exc)))

                lap("server up")
                # 1. The URL `make lab` prints opens the index.
                page.goto(f"http://127.0.0.1:{port}/lab/tree/{lab.INDEX}?token={token}")
                page.wait_for_selector(".jp-Notebook .jp-RenderedMarkdown h1")
                page.screenshot(path=str(SHOTS / "1-index.png"))
                assert page.locator(".lm-TabBar-tab.jp-mod-current", has_text=lab.INDEX).count() == 1
                toasts = page.locator(".Toastify__toast").all_inner_texts()
                assert not toasts, f"a pop-up covers the page: {toasts}"

                lap("index loaded")
                # 2. Open a chapter from the index's link.
                page.locator(f".jp-RenderedMarkdown a[href*='{CHAPTER}']").first.click()
                page.wait_for_selector(f".lm-TabBar-tab.jp-mod-current:has-text('{CHAPTER}')")
                page.wait_for_selector(".jp-Notebook:visible .jp-RenderedMarkdown h1")
                _wait_idle_and_done(page, STARTUP_S)
                for name in (lab.INDEX, CHAPTER):
                    assert not _tab_is_dirty(page, name), f"{name} is marked modified just by opening it"

                lap("chapter opened")
                # 3. Run All through the menu.
                page.locator(".lm-MenuBar-itemLabel", has_text="Run").first.click()
                page.locator(".lm-Menu-itemLabel", has_text="Run All Cells").first.click()
                # Run All queues every cell at once, so a cell shows [*] (or the kernel shows busy) well before
                # the run ends (a kernel start and 20-odd cells take seconds): wait for that, then for the end.
                page.wait_for_function(
                    """() => [...document.querySelectorAll('.jp-Notebook .jp-InputPrompt')]
                                 .some(p => p.textContent.includes('*'))
                             || !!document.querySelector('.jp-Notebook-ExecutionIndicator[data-status="busy"]')""",
                    polling=POLL_MS, timeout=ACTION_MS)
                _wait_idle_and_done(page, RUN_ALL_S)
                lap("run all done")
                page.screenshot(path=str(SHOTS / "2-run-all.png"), full_page=True)
                lap("screenshot")

                errors = page.evaluate(VISIBLE_TEXTS_JS, f"{NOTEBOOK} .jp-OutputArea-output"
                                       "[data-mime-type='application/vnd.jupyter.stderr']")
                assert not errors, f"Run All left error/warning output: {[e[:300] for e in errors]}"

                # 4. Every solution collapsed; nothing of it visible, no answer visible anywhere.
                states = page.evaluate(SOLUTION_STATE_JS, NOTEBOOK)
                assert len(states) == n_solutions, (
                    f"{len(states)} collapsed cells in the browser, {n_solutions} solution cells in {CHAPTER}")
                for i, state in enumerate(states):
                    assert state["inputPlaceholder"] and not state["codeVisible"], f"solution {i}: code visible"
                    assert not state["visibleOutputs"], (
                        f"solution {i}: output visible: {state['visibleOutputs']}")
                    assert not state["visiblePreviews"], f"solution {i}: preview visible: {state['visiblePreviews']}"
                ticks = [t for t in page.evaluate(VISIBLE_TEXTS_JS, f"{NOTEBOOK} .jp-OutputArea-output") if "✓" in t]
                assert not ticks, f"an answer is visible before the fellow answers: {ticks}"

                # 5. Answer an exercise: right, then wrong.
                out = _answer(page, EXERCISE, right)
                page.screenshot(path=str(SHOTS / "3-right.png"))
                assert out.startswith("✓"), f"right answer {right!r}: {out}"
                out = _answer(page, EXERCISE, right + 1)
                page.screenshot(path=str(SHOTS / "4-wrong.png"))
                assert out.startswith("✗"), f"wrong answer {right + 1!r}: {out}"

                lap("answers checked")
                # 6. Save, as autosave would.
                page.keyboard.press("Control+s")
                page.wait_for_function(
                    "(name) => ![...document.querySelectorAll('.lm-TabBar-tab.jp-mod-dirty')]"
                    ".some(t => t.textContent.includes(name))", arg=CHAPTER)
                lap("saved")
                assert not page_errors, f"errors in the page: {page_errors}"
            finally:
                browser.close()
                lap("browser closed")
    finally:
        _stop(proc)
        lap("server stopped")

    # 7. The shipped notebooks are untouched; the fellow's work is in the working copy.
    assert _digests(lab.SHIPPED_DIR) == shipped_before, "a learner session changed the tracked notebooks/"
    saved = nbformat.read(work / CHAPTER, as_version=4)
    typed = f'answer = {right + 1!r}\ncheck("{EXERCISE}", answer)'
    assert any(c.source == typed for c in saved.cells), "the fellow's answer was not saved in the working copy"
