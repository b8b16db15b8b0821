"""Open every page of the built book in headless Chromium and check what a reader would see.

    .venv/bin/python tools/check_book.py                 # what `make check-book` runs (after `make book`)
    .venv/bin/python tools/check_book.py --book DIR --shots DIR
    .venv/bin/python tools/check_book.py --install-chromium   # only that (what `make test` runs first)

Every HTML page of the book (build/html, theme templates under ``_*`` folders excepted) is opened from
``file://`` in headless Chromium (Playwright driving Debian's /usr/bin/chromium). A page fails on:
  * console   - a console error or an uncaught JavaScript exception;
  * network   - any request for something outside the built folder (it is blocked, and reported);
  * raw-tex   - TeX left in the rendered text ($…$, $$…$$, \\(…\\), \\[…\\], \\frac, \\begin{…}), code excepted;
  * figure    - an <img> that did not load, or a chapter with fewer images than its notebook's outputs;
  * link      - a relative link or resource whose file is missing, or whose #anchor is not in it;
  * prev-next - a page of the reading order without its previous/next link (with the title shown);
  * code      - a chapter's code cell shown open instead of folded, or a solution not folded;
  * truncated - a table cell whose text pandas cut to "..." (the abstract's sentences are shown whole).
And once for the book:
  * search    - search.html?q=WORD (a word from chapter 04) lists no hit on chapter 04, tried both from
                file:// and from a local http server (127.0.0.1, a port chosen by the OS).
Screenshots of the contents page, of one chapter's top and of its first figure (index.png,
04_survival_hsct.png, 04_survival_hsct-figure.png) go to --shots (default build/screenshots), outside
the published folder. Prints "book: N pages checked, K problems" and exits non-zero on any problem.

Chromium: /usr/bin/chromium (Debian package ``chromium``). If missing and running as root, it is
installed with apt-get; otherwise the script stops with a message saying how to install it.
"""
from __future__ import annotations

import argparse
import functools
import http.server
import json
import os
import re
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import unquote, urlsplit

ROOT = Path(__file__).resolve().parent.parent
BOOK = ROOT / "build" / "html"
SHOTS = ROOT / "build" / "screenshots"
NOTEBOOKS_DIR = ROOT / "notebooks"
CHROMIUM = Path("/usr/bin/chromium")
SEARCH_WORD = "immortal"          # chapter 04: immortal-time bias
SEARCH_CHAPTER = "notebooks/04_survival_hsct.html"
SHOT_CHAPTER = "notebooks/04_survival_hsct.html"
NOT_IN_READING_ORDER = {"search.html", "genindex.html"}
TIMEOUT_MS = 30_000
QUIET_MS = 500             # a page's late requests are over after this long without a request in flight
LATE_REQUESTS_MS = 5_000   # ... or after this long, whichever comes first
PAGES_AT_ONCE = 4
CHROME_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"]

# TeX that MathJax should have turned into math; searched in the page's text outside code.
RAW_TEX = re.compile(r"\$\$.+?\$\$|(?<![\w$])\$[^$\s][^$\n]{0,200}?(?<!\s)\$(?![\w$])|\\\(|\\\)|\\\[|\\\]"
                     r"|\\(?:frac|begin|end|mathrm|text|times|sqrt|sum|cdot|le|ge)\b", re.S)

# The page's visible text outside code, math already typeset, and <details> still closed.
_PAGE_TEXT_JS = """() => {
  const skip = new Set(['PRE', 'CODE', 'SCRIPT', 'STYLE', 'NOSCRIPT', 'MJX-CONTAINER', 'MJX-ASSISTIVE-MML', 'TEXTAREA']);
  const out = [];
  const walk = (node) => {
    for (const child of node.childNodes) {
      if (child.nodeType === 3) out.push(child.textContent);
      else if (child.nodeType === 1 && !skip.has(child.tagName)) walk(child);
    }
  };
  walk(document.body);
  return out.join('');
}"""

_PAGE_FACTS_JS = """() => {
  const imgs = [...document.querySelectorAll('img')];
  const cellImgs = [...document.querySelectorAll('div.cell_output img')];
  const refs = [];
  for (const el of document.querySelectorAll('a[href], link[href]')) refs.push(el.getAttribute('href'));
  for (const el of document.querySelectorAll('img[src], script[src], iframe[src], source[src]')) refs.push(el.getAttribute('src'));
  const prevNext = (cls) => {
    const a = document.querySelector('.prev-next-area a.' + cls);
    if (!a) return null;
    const t = a.querySelector('.prev-next-title');
    return {href: a.getAttribute('href'), title: t ? t.textContent.trim() : ''};
  };
  const openCode = [...document.querySelectorAll('div.cell_input')].filter(el => {
    const d = el.closest('details');
    return !d || d.open;
  }).length;
  const openSolutions = [...document.querySelectorAll('div.cell.tag_solution')].filter(el => {
    const d = el.querySelector('details');
    return !d || d.open;
  }).length;
  const truncated = [...document.querySelectorAll('div.cell_output table td, div.cell_output table th')]
    .map(td => td.textContent.trim()).filter(t => t.endsWith('...'));
  return {
    truncated: truncated,
    brokenImages: imgs.filter(i => !(i.complete && i.naturalWidth > 0)).map(i => i.getAttribute('src')),
    cellImages: cellImgs.length,
    refs: refs,
    prev: prevNext('left-prev'),
    next: prevNext('right-next'),
    codeCells: document.querySelectorAll('div.cell_input').length,
    openCode: openCode,
    openSolutions: openSolutions,
  };
}"""


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


def book_pages(book: Path) -> list[str]:
    """Relative paths ('index.html', 'notebooks/03_response.html') of the book's pages."""
    return sorted(p.relative_to(book).as_posix() for p in book.rglob("*.html")
                  if not any(part.startswith(("_", ".")) for part in p.relative_to(book).parts[:-1]))


def raw_tex(text: str) -> list[str]:
    """Pieces of ``text`` that look like TeX a browser shows raw."""
    return sorted({" ".join(m.group(0).split())[:60] for m in RAW_TEX.finditer(text)})


def notebook_images(stem: str, notebooks_dir: Path = NOTEBOOKS_DIR) -> int:
    """How many image outputs (png, jpeg, svg) the stored notebook ``stem`` holds."""
    path = notebooks_dir / f"{stem}.ipynb"
    if not path.exists():
        return 0
    nb = json.loads(path.read_text(encoding="utf-8"))
    return sum(1 for cell in nb["cells"] if cell["cell_type"] == "code"
               for out in cell.get("outputs", []) for mime in out.get("data", {})
               if mime in ("image/png", "image/jpeg", "image/svg+xml"))


@functools.lru_cache(maxsize=None)
def _ids_in(path: Path) -> frozenset[str]:
    return frozenset(re.findall(r'\bid="([^"]+)"', path.read_text(encoding="utf-8", errors="replace")))


def broken_refs(page: str, refs: list[str], book: Path) -> list[str]:
    """Relative hrefs/srcs of ``page`` (path relative to ``book``) whose file or #anchor is missing."""
    bad = []
    here = (book / page).resolve()
    for ref in refs:
        parts = urlsplit(ref)
        if not ref or parts.scheme in ("http", "https", "data", "mailto", "javascript", "blob") or parts.netloc:
            continue  # external links are the reader's choice; external *requests* are checked as network
        target = here if not parts.path else (here.parent / unquote(parts.path)).resolve()
        if book.resolve() not in target.parents or not target.is_file():
            bad.append(ref)
        elif parts.fragment and target.suffix == ".html" and unquote(parts.fragment) not in _ids_in(target):
            bad.append(ref)
    return bad


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


def _serve(book: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    handler = functools.partial(_QuietHandler, directory=str(book))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


def _outside(allowed: tuple[str, ...]) -> re.Pattern:
    """A pattern matching every URL that does not start with one of ``allowed``.

    Playwright hands it to the browser as a JavaScript RegExp: every ASCII character outside [A-Za-z0-9_]
    is escaped with a backslash, which means the character itself in both Python's and JavaScript's syntax.
    """
    def escape(text: str) -> str:
        return "".join("\\" + ch if ch.isascii() and not (ch.isalnum() or ch == "_") else ch for ch in text)
    return re.compile("^(?!" + "|".join(escape(prefix) for prefix in allowed) + ")")


class _Traffic:
    """A page's requests in flight, and when its last request started, finished or failed."""

    def __init__(self, page) -> None:
        self.pending = 0
        self.last = time.monotonic()
        page.on("request", self._started)
        page.on("requestfinished", self._ended)
        page.on("requestfailed", self._ended)

    def _started(self, _request) -> None:
        self.pending += 1
        self.last = time.monotonic()

    def _ended(self, _request) -> None:
        self.pending -= 1
        self.last = time.monotonic()


def _start(context, url: str, allowed_prefix: str, problems: list[str], name: str):
    """(page, its traffic) for a new page navigating to ``url`` (returns once the navigation has begun;
    :func:`_settle` waits for the rest); console errors and outside requests are appended to ``problems``."""
    page = context.new_page()
    page.on("console", lambda m: problems.append(f"{name}: console {m.type}: {m.text[:160]}")
            if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(f"{name}: console exception: {str(e)[:160]}"))

    allowed = (allowed_prefix, "data:", "blob:", "about:")

    def request(r):
        if not r.url.startswith(allowed):
            problems.append(f"{name}: network request outside the book: {r.url[:160]}")
    page.on("request", request)
    traffic = _Traffic(page)
    # ... and blocked. Only requests outside the book are routed through Python (a pattern that matches
    # nothing else): routing every request made each of the book's files wait for a round trip to Python.
    page.route(_outside(allowed), lambda r: r.abort())
    page.goto(url, wait_until="commit", timeout=TIMEOUT_MS)
    return page, traffic


def _settle(page, traffic: _Traffic):
    """Wait until ``page`` has loaded, its late requests are over and MathJax has typeset it.

    Late requests (fonts, the search index) are over when none of the page's requests has been in flight
    for QUIET_MS (the rule of Playwright's "networkidle"), counted from the page's own request events:
    Playwright's networkidle sometimes never came on a page whose requests had all finished, and each such
    page then waited the whole LATE_REQUESTS_MS for nothing. A page that keeps requesting is no failure:
    after LATE_REQUESTS_MS it is checked as it is (every request is checked as it starts, whenever).
    """
    page.wait_for_load_state("load", timeout=TIMEOUT_MS)
    deadline = time.monotonic() + LATE_REQUESTS_MS / 1000
    while True:
        now = time.monotonic()
        quiet_s = now - traffic.last
        if (traffic.pending <= 0 and quiet_s >= QUIET_MS / 1000) or now >= deadline:
            break
        # wait_for_timeout lets Playwright deliver the page's events meanwhile.
        page.wait_for_timeout(max(10, min(100, QUIET_MS - quiet_s * 1000, (deadline - now) * 1000)))
    # MathJax typesets after load: wait for it where a page has it.
    page.evaluate("() => (window.MathJax && MathJax.startup && MathJax.startup.promise) || null")
    return page


def _opened(context, names: list[str], base: str, problems: list[str], labels: list[str] | None = None):
    """(name, settled page) for each of ``names`` (relative to ``base``), in order.

    Up to PAGES_AT_ONCE pages load at the same time: a page mostly waits (for its files, for the network
    to be quiet 500 ms, for MathJax), so loading them side by side takes a fraction of loading them one
    after another. Each page is still its own tab with its own listeners, as when opened alone.
    """
    labels = labels or names
    waiting: list[tuple[str, object]] = []
    for name, label in zip(names, labels):
        waiting.append((name, *_start(context, base + name, base, problems, label)))
        if len(waiting) >= PAGES_AT_ONCE:
            name0, page0, traffic0 = waiting.pop(0)
            yield name0, _settle(page0, traffic0)
    for name0, page0, traffic0 in waiting:
        yield name0, _settle(page0, traffic0)


def _search_hits(page) -> list[str]:
    try:
        page.wait_for_function(
            """() => { const s = document.querySelector('#search-results');
                       return s && (s.querySelectorAll('li').length > 0 || /match|found/i.test(s.textContent)); }""",
            timeout=TIMEOUT_MS)
    except Exception:  # noqa: BLE001 - a search that never finishes is reported as no hit below
        pass
    hits = page.eval_on_selector_all("#search-results li a", "els => els.map(e => e.getAttribute('href'))")
    page.close()
    return hits


def launch(pw):
    """Headless Chromium (Debian's, installed if missing) started by Playwright ``pw``."""
    return pw.chromium.launch(executable_path=str(ensure_chromium()), headless=True, args=CHROME_ARGS)


def check_book(book: Path = BOOK, shots: Path | None = SHOTS, notebooks_dir: Path = NOTEBOOKS_DIR,
               search_word: str = SEARCH_WORD, browser=None, only: list[str] | None = None) -> tuple[int, list[str]]:
    """(pages checked, problems) for the book in ``book``.

    ``browser``: a Chromium from :func:`launch` to check in (tests checking several books share one;
    each check has its own browser contexts, so nothing of one check's pages is seen by another), else
    one is started for this check and closed after it. ``only``: check just these pages (paths as
    :func:`book_pages` gives them; the reading order is still the whole book's), and the search.
    """
    book = book.resolve()
    pages = book_pages(book)
    if "index.html" not in pages:
        return 0, [f"no index.html in {book}: run `make book` first"]
    if browser is None:
        from playwright.sync_api import sync_playwright  # imported here: `--help` works without it

        with sync_playwright() as pw:
            browser = launch(pw)
            try:
                return check_book(book, shots, notebooks_dir, search_word, browser, only)
            finally:
                browser.close()
    problems: list[str] = []
    book_url = book.as_uri() + "/"
    order_pages = [p for p in pages if p not in NOT_IN_READING_ORDER]
    if only is not None:
        unknown = sorted(set(only) - set(pages))
        if unknown:
            raise ValueError(f"only={unknown} are not pages of {book}; accepted: pages among {pages}")
        pages = [p for p in pages if p in only]
    context = browser.new_context(viewport={"width": 1280, "height": 900}, offline=True)
    for name, page in _opened(context, pages, book_url, problems):
        facts = page.evaluate(_PAGE_FACTS_JS)
        for piece in raw_tex(page.evaluate(_PAGE_TEXT_JS)):
            problems.append(f"{name}: raw TeX in the rendered text: {piece!r}")
        for cut in facts["truncated"]:
            problems.append(f"{name}: table text cut short (pandas display.max_colwidth): {cut[-60:]!r}")
        for src in facts["brokenImages"]:
            problems.append(f"{name}: figure did not load: {str(src)[:120]}")
        stem = Path(name).stem
        if name.startswith("notebooks/"):
            expected = notebook_images(stem, notebooks_dir)
            if facts["cellImages"] < expected:
                problems.append(f"{name}: {facts['cellImages']} figures shown, the notebook has {expected}")
            if facts["openCode"]:
                problems.append(f"{name}: {facts['openCode']} of {facts['codeCells']} code cells shown open")
            if facts["openSolutions"]:
                problems.append(f"{name}: {facts['openSolutions']} solutions not folded")
        for ref in broken_refs(name, facts["refs"], book):
            problems.append(f"{name}: broken link {ref!r}")
        if name in order_pages:
            position = order_pages.index(name)
            for side, needed in (("prev", position > 0), ("next", position < len(order_pages) - 1)):
                link = facts[side]
                if needed and not (link and link["href"] and link["title"]):
                    problems.append(f"{name}: no '{side}' link with a title at the bottom")
        if shots is not None and name in ("index.html", SHOT_CHAPTER):
            shots.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(shots / (stem + ".png")))
            figure = page.query_selector("div.cell_output img")
            if figure is not None:  # the chapter further down: folded code above a figure
                figure.scroll_into_view_if_needed()
                page.evaluate("() => window.scrollBy(0, -250)")
                page.screenshot(path=str(shots / (stem + "-figure.png")))
        page.close()
    context.close()
    # Search, from file:// and from a local server (the two ways a reader opens the book).
    server, http_url = _serve(book)
    try:
        context = browser.new_context(offline=False)
        ways = (("file://", book_url), ("http://127.0.0.1", http_url))
        searches = [_start(context, f"{base}search.html?q={search_word}", base, problems, f"search.html ({label})")
                    for label, base in ways]
        for (label, _), (page, traffic) in zip(ways, searches):
            hits = _search_hits(_settle(page, traffic))
            if not any(h.split("?")[0].split("#")[0].endswith(SEARCH_CHAPTER) for h in hits):
                problems.append(f"search.html ({label}): searching {search_word!r} found no hit on "
                                f"{SEARCH_CHAPTER} ({len(hits)} hits elsewhere)")
        context.close()
    finally:
        server.shutdown()
        server.server_close()
    return len(pages), problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--book", type=Path, default=BOOK, help="built book folder (default: build/html)")
    parser.add_argument("--shots", type=Path, default=SHOTS, help="screenshot folder (default: build/screenshots)")
    parser.add_argument("--install-chromium", action="store_true",
                        help="only make sure Chromium is there (installing Debian's package if missing), then stop")
    args = parser.parse_args(argv)
    if args.install_chromium:
        ensure_chromium()
        return 0
    if args.shots.resolve() == args.book.resolve() or args.book.resolve() in args.shots.resolve().parents:
        parser.error(f"--shots {args.shots} is inside the published folder {args.book}")
    n, problems = check_book(args.book, args.shots)
    for p in problems:
        print("  " + p)
    print(f"book: {n} pages checked, {len(problems)} problems")
    return 1 if problems or n == 0 else 0


if __name__ == "__main__":
    sys.exit(main())
