"""Open every page of the built book in headless Chromium and check what a reader would see.

    .venv/bin/python tools/check_book.py            # what `make check-book` runs (after `make book`)
    .venv/bin/python tools/check_book.py --book DIR

For each build/*.html, Chromium renders the page (``--dump-dom``, file:// URL) and the rendered DOM is
checked for:
  * a figure: an <img> with a data: URI, or an <svg> (chapter pages; the contents page is exempt);
  * broken relative links: an href/src whose target file is missing from the book folder;
  * error outputs: nbconvert's stderr/error output holding a "Traceback" (cells tagged
    raises-exception, which show an error on purpose, are exempt).
It also saves screenshots of the contents page and one chapter (screenshot_*.png in the book folder).
Prints "book: N pages checked, K problems" and exits non-zero on any problem.

Chromium: /usr/bin/chromium (Debian package ``chromium``). If missing and running as root, it is
installed with apt-get; otherwise the script stops with a message saying how to install it.
"""
from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = Path("/usr/bin/chromium")
CHROME_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--hide-scrollbars"]
TIMEOUT_S = 120
EXEMPT_FROM_FIGURE = {"index.html"}


def ensure_chromium() -> Path:
    """Path of the chromium binary, installing the Debian package if missing and allowed."""
    found = shutil.which("chromium") or (str(CHROMIUM) if CHROMIUM.exists() else None)
    if found:
        return Path(found)
    if hasattr(os, "geteuid") and os.geteuid() == 0 and shutil.which("apt-get"):
        print("check-book: chromium missing; installing the Debian package (apt-get install chromium)")
        env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
        subprocess.run(["apt-get", "update", "-qq"], check=True, env=env)
        subprocess.run(["apt-get", "install", "-y", "-qq", "chromium"], check=True, env=env)
        if CHROMIUM.exists():
            return CHROMIUM
    sys.exit("check-book: headless Chromium is needed but /usr/bin/chromium is missing. Install it with\n"
             "    sudo apt-get update && sudo apt-get install -y chromium\n"
             "(Debian/Ubuntu package 'chromium'), then run `make check-book` again.")


class PageScan(HTMLParser):
    """Collects what the checks need from one rendered DOM."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.figures = 0
        self.links: list[str] = []
        self.errors: list[str] = []
        self._stack: list[tuple[str, bool, bool]] = []  # (tag, in expected-error cell, in error output)
        self._text: list[str] = []

    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        classes = (a.get("class") or "").split()
        if tag == "img" and (a.get("src") or "").startswith("data:"):
            self.figures += 1
        if tag == "svg":
            self.figures += 1
        for attr in ("href", "src"):
            if a.get(attr) and tag in ("a", "img", "link", "script", "iframe"):
                self.links.append(a[attr])
        expected = (self._stack[-1][1] if self._stack else False) or "celltag_raises-exception" in classes
        error = (self._stack[-1][2] if self._stack else False) or (
            a.get("data-mime-type") == "application/vnd.jupyter.stderr" or "jp-OutputArea-error" in classes)
        if tag not in self.VOID:
            self._stack.append((tag, expected, error))

    def handle_endtag(self, tag):
        for i in range(len(self._stack) - 1, -1, -1):
            if self._stack[i][0] == tag:
                del self._stack[i:]
                break

    def handle_data(self, data):
        if self._stack and self._stack[-1][2] and not self._stack[-1][1] and "Traceback" in data:
            self.errors.append(" ".join(data.split())[:160])


def broken_links(page: Path, links: list[str], book: Path) -> list[str]:
    """Relative links of ``page`` whose target is not a file inside ``book``."""
    bad = []
    for link in links:
        parts = urlsplit(link)
        if parts.scheme in ("http", "https", "data", "mailto", "javascript") or link.startswith("#") or not link:
            continue
        if parts.scheme == "file":
            target = Path(unquote(parts.path))
        elif parts.scheme:
            continue
        else:
            if not parts.path:
                continue
            target = (page.parent / unquote(parts.path)).resolve()
        if not target.is_file() or book.resolve() not in target.resolve().parents:
            bad.append(link)
    return bad


def dump_dom(chromium: Path, page: Path, profile: str) -> str:
    cmd = [str(chromium), *CHROME_FLAGS, f"--user-data-dir={profile}", "--virtual-time-budget=5000",
           "--dump-dom", page.resolve().as_uri()]
    res = subprocess.run(cmd, capture_output=True, text=True, timeout=TIMEOUT_S)
    if res.returncode != 0 or "<html" not in res.stdout.lower():
        raise RuntimeError(f"chromium could not render {page.name} (exit {res.returncode}): {res.stderr.strip()[-300:]}")
    return res.stdout


def screenshot(chromium: Path, page: Path, target: Path, profile: str) -> None:
    cmd = [str(chromium), *CHROME_FLAGS, f"--user-data-dir={profile}", "--virtual-time-budget=5000",
           f"--screenshot={target.resolve()}", "--window-size=1280,1600", page.resolve().as_uri()]
    subprocess.run(cmd, capture_output=True, text=True, timeout=TIMEOUT_S, check=True)


def check_book(book: Path, shots: bool = True) -> tuple[int, list[str]]:
    """(pages checked, problems) for every *.html in ``book``."""
    pages = sorted(book.glob("*.html"))
    if not pages:
        return 0, [f"no pages in {book.name}/: run `make book` first"]
    chromium = ensure_chromium()
    problems: list[str] = []
    with tempfile.TemporaryDirectory(prefix="check-book-") as profile:
        for page in pages:
            try:
                dom = dump_dom(chromium, page, profile)
            except (RuntimeError, subprocess.TimeoutExpired) as exc:
                problems.append(f"{page.name}: {exc}")
                continue
            scan = PageScan()
            scan.feed(dom)
            if page.name not in EXEMPT_FROM_FIGURE and scan.figures == 0:
                problems.append(f"{page.name}: no figure (no <img> with a data: URI, no <svg>)")
            for link in broken_links(page, scan.links, book):
                problems.append(f"{page.name}: broken link {link!r}")
            for err in scan.errors:
                problems.append(f"{page.name}: error output: {err}")
        if shots:
            chapters = [p for p in pages if p.name != "index.html"]
            targets = [("index", book / "index.html")] + ([("chapter", chapters[-1])] if chapters else [])
            for label, page in targets:
                if page.exists():
                    try:
                        screenshot(chromium, page, book / f"screenshot_{label}.png", profile)
                    except (subprocess.CalledProcessError, subprocess.TimeoutExpired) as exc:
                        problems.append(f"{page.name}: screenshot failed: {exc}")
    return len(pages), problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--book", type=Path, default=ROOT / "build", help="folder of the built book (default build/)")
    parser.add_argument("--no-screenshots", action="store_true", help="skip the two screenshots")
    args = parser.parse_args(argv)
    n, problems = check_book(args.book, shots=not args.no_screenshots)
    for p in problems:
        print("  ✗", p)
    print(f"book: {n} pages checked, {len(problems)} problems")
    return 1 if problems or n == 0 else 0


if __name__ == "__main__":
    sys.exit(main())
