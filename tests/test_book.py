"""The book (book/conf.py, built by Sphinx) and its checker (tools/check_book.py).

The unit tests check what the build does to a notebook on the way in and what the checker counts as a
problem. The browser tests run the checker of `make check-book` on the built book (no problem allowed:
this is how `make test` checks the book, side by side with the other tests), and on a copy broken in one
place per check, in one Chromium session, showing that every check fails on its own breakage and that
nothing else in the copy is reported. The built book is build/html when `make book` (run by `make test`)
built it from the current sources, else one build for the whole run.
"""
from __future__ import annotations

import fcntl
import importlib.util
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from helpers.paths import PROJECT_ROOT

BOOK_DIR = PROJECT_ROOT / "book"
BUILT = PROJECT_ROOT / "build" / "html"
NOTEBOOKS = PROJECT_ROOT / "notebooks"


def _load(name: str, path: Path):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


conf = _load("book_conf", BOOK_DIR / "conf.py")
check_book = _load("check_book", PROJECT_ROOT / "tools" / "check_book.py")


def _nb(*cells):
    return {"cells": list(cells), "metadata": {}, "nbformat": 4, "nbformat_minor": 5}


def _md(text):
    return {"cell_type": "markdown", "metadata": {}, "source": text}


def _code(text, tags=(), outputs=()):
    return {"cell_type": "code", "metadata": {"tags": list(tags)} if tags else {}, "source": text,
            "outputs": list(outputs), "execution_count": 1}


# ---------------------------------------------------------------------------------------------------
# book/conf.py: what the build does on the way in

@pytest.mark.parametrize("heading, stem, expected", [
    ("1. The regimen and its doses", "01_regimen", "01 · The regimen and its doses"),
    ("03 · Response: composite CR", "03_response", "03 · Response: composite CR"),
    ("Survival, follow-up", "04_survival", "04 · Survival, follow-up"),
    ("6-month survival is not 12-month", "04_survival", "04 · 6-month survival is not 12-month"),
    ("1.5 mg/m² is a dose", "01_regimen", "01 · 1.5 mg/m² is a dose"),
])
def test_numbered_title(heading, stem, expected):
    assert conf.numbered_title(heading, stem) == expected


def test_fold_code_hides_sources_folds_solutions_keeps_removals_and_numbers_the_title():
    nb = _nb(_md("# 2. The cohort\n\nText."), _code("x = 1"), _code("check('02.1', x)", tags=["solution"]),
             _code("secret()", tags=["remove-cell"]), _code("1/0", tags=["raises-exception"]))
    out = conf.fold_code(nb, "02_cohort")
    assert out["cells"][0]["source"].startswith("# 02 · The cohort\n")
    assert out["cells"][1]["metadata"]["tags"] == ["hide-input"]
    solution = out["cells"][2]["metadata"]
    assert solution["tags"] == ["solution", "hide-cell"]
    assert solution["mystnb"] == {"code_prompt_show": "Show solution", "code_prompt_hide": "Hide solution"}
    assert out["cells"][3]["metadata"]["tags"] == ["remove-cell"]
    assert out["cells"][4]["metadata"]["tags"] == ["raises-exception", "hide-input"]


def test_fold_code_points_output_links_to_chapter_pages():
    html = '<td><a href="04_survival_hsct.ipynb">04</a> <a href="./05_tox.ipynb#s2">05</a> <a href="x.csv">d</a></td>'
    nb = _nb(_md("# T"), _code("t", outputs=[{"output_type": "execute_result", "data": {"text/html": [html]},
                                              "metadata": {}, "execution_count": 1}]))
    out = conf.fold_code(nb, "06_audit")["cells"][1]["outputs"][0]["data"]["text/html"]
    assert out == '<td><a href="04_survival_hsct.html">04</a> <a href="05_tox.html#s2">05</a> <a href="x.csv">d</a></td>'


INDEX_TABLE = """## Learning path

| # | Chapter | What you re-derive |
|---|---------|--------------------|
| 00 | [Index](00_index.ipynb) | This page: what the collection is, how to run it. |
| 01 | [Regimen](01_regimen.ipynb) | The Lipo-MIT + CLAG schedule, body-surface area and each patient's doses per cycle, in full. |
"""


def test_learning_path_descriptions_are_whole_table_cells():
    found = conf.learning_path_descriptions(_nb(_md(INDEX_TABLE)))
    assert found == {
        "00_index": "This page: what the collection is, how to run it.",
        "01_regimen": "The Lipo-MIT + CLAG schedule, body-surface area and each patient's doses per cycle, in full.",
    }


def test_first_sentence_skips_headings_and_lists():
    nb = _nb(_md("# 4. Survival\n\n- a list\n\nThe abstract gives a median follow-up (e.g. 9.1 months). More."))
    assert conf.first_sentence(nb) == "The abstract gives a median follow-up (e.g. 9.1 months)."
    assert conf.first_sentence(_nb(_md("# Title only"))) == ""
    assert conf.first_sentence(_nb(_md("# T\n\nNo full stop at the end"))) == "No full stop at the end"
    assert conf.first_sentence(_nb(_md("# T\n\nCR vs. CRi is one thing. Two."))) == "CR vs. CRi is one thing."


def _write_nb(path: Path, nb: dict) -> None:
    import json
    path.write_text(json.dumps(nb), encoding="utf-8")


def test_chapter_list_links_every_chapter_with_its_description(tmp_path):
    _write_nb(tmp_path / "00_index.ipynb", _nb(_md("# Re-deriving an abstract\n\n" + INDEX_TABLE)))
    _write_nb(tmp_path / "01_regimen.ipynb", _nb(_md("# 1. The regimen")))
    _write_nb(tmp_path / "02_cohort.ipynb", _nb(_md("# 2. The cohort\n\nTable 1 rebuilt from ADSL. Then more.")))
    (tmp_path / "notes.ipynb").write_text("{}")  # not a chapter
    listing = conf.chapter_list(tmp_path).splitlines()
    assert listing == [
        "- {doc}`00 · Re-deriving an abstract <notebooks/00_index>`  ",
        "  What the collection is, how to run it.",
        "- {doc}`01 · The regimen <notebooks/01_regimen>`  ",
        "  The Lipo-MIT + CLAG schedule, body-surface area and each patient's doses per cycle, in full.",
        "- {doc}`02 · The cohort <notebooks/02_cohort>`  ",
        "  Table 1 rebuilt from ADSL.",
    ]


def test_chapter_list_refuses_a_chapter_without_description(tmp_path):
    _write_nb(tmp_path / "03_response.ipynb", _nb(_md("# 3. Response\n\n- only a list")))
    with pytest.raises(ValueError, match=r"03_response.ipynb has no one-line description"):
        conf.chapter_list(tmp_path)
    with pytest.raises(ValueError, match=r"notebooks_dir=.* holds no NN_name.ipynb chapter"):
        conf.chapter_list(tmp_path / "empty")


def test_every_chapter_of_the_collection_has_a_description():
    listing = conf.chapter_list()
    chapters = conf.chapter_paths()
    assert len(chapters) >= 7
    for path in chapters:
        assert f"<notebooks/{path.stem}>`" in listing


def test_stage_sources_copies_index_and_chapters_and_refuses_project_folders(tmp_path):
    copies = conf.stage_sources(tmp_path / "src")
    names = sorted(p.relative_to(tmp_path / "src").as_posix() for p in copies)
    assert names == ["index.md"] + [f"notebooks/{p.name}" for p in conf.chapter_paths()]
    with pytest.raises(ValueError, match=r"srcdir=.* is a project folder"):
        conf.stage_sources(BOOK_DIR)


def test_style_shows_long_table_text_whole():
    import pandas as pd

    from helpers import style

    with pd.option_context("display.max_colwidth", 50):
        style.apply()
        assert pd.get_option("display.max_colwidth") is None
        text = "x" * 300
        assert text in pd.DataFrame({"abstract": [text]}).to_html()


# ---------------------------------------------------------------------------------------------------
# tools/check_book.py: what counts as a problem

@pytest.mark.parametrize("text, found", [
    (r"BSA = \(\sqrt{H W / 3600}\)", [r"\("]),
    ("the rate $p = k/n$ here", ["$p = k/n$"]),
    ("$$\\hat S(t)$$", ["$$\\hat S(t)$$"]),
    (r"a \frac{1}{2} left", [r"\frac"]),
    ("costs $5 and $10 each; 100 % of 27", []),
    ("[trial] exact CI 17/27 = 0.63 (0.42-0.81)", []),
])
def test_raw_tex(text, found):
    assert [p for p in found if not any(p in hit for hit in check_book.raw_tex(text))] == []
    if not found:
        assert check_book.raw_tex(text) == []


def test_broken_refs(tmp_path):
    (tmp_path / "notebooks").mkdir()
    (tmp_path / "index.html").write_text('<h1 id="top">x</h1>')
    (tmp_path / "notebooks" / "a.html").write_text('<p id="sec-1">a</p>')
    refs = ["../index.html", "../index.html#top", "a.html#sec-1", "#sec-1", "", "https://example.org/x",
            "b.html", "a.html#nope", "../../outside.html", "#gone"]
    assert check_book.broken_refs("notebooks/a.html", refs, tmp_path) == [
        "b.html", "a.html#nope", "../../outside.html", "#gone"]


def test_book_pages_skip_theme_templates(tmp_path):
    for rel in ("index.html", "search.html", "notebooks/01_a.html", "_static/webpack-macros.html"):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text("x")
    assert check_book.book_pages(tmp_path) == ["index.html", "notebooks/01_a.html", "search.html"]


def test_shots_inside_the_published_folder_are_refused(tmp_path):
    with pytest.raises(SystemExit):
        check_book.main(["--book", str(tmp_path), "--shots", str(tmp_path / "shots")])


# ---------------------------------------------------------------------------------------------------
# The whole book in Chromium: each check fails on its own breakage

HAS_CHROMIUM = bool(shutil.which("chromium") or Path("/usr/bin/chromium").exists())


BOOK_STAMP = BUILT / ".book-stamp"  # touched by `make book` after each successful build
VENV_STAMP = PROJECT_ROOT / ".venv" / ".installed-stamp"


def book_is_current(built: Path = BUILT, stamp: Path = BOOK_STAMP, book_dir: Path = BOOK_DIR) -> bool:
    """Did `make book` build ``built`` from the sources as they are now?

    Its stamp is newer than every source (book/, notebooks/*.ipynb, the installed packages), and it has
    one page per chapter, no more (a notebook added or removed since is caught too). Python's bytecode
    cache in book/ is no source: importing book/conf.py (as this module does) writes one wherever
    bytecode is written, and would otherwise make every later run build the book again.
    """
    if not stamp.is_file():
        return False
    sources = [*(p for p in book_dir.rglob("*") if p.is_file() and "__pycache__" not in p.parts),
               *NOTEBOOKS.glob("*.ipynb"), *([VENV_STAMP] if VENV_STAMP.exists() else [])]
    pages = {p.stem for p in (built / "notebooks").glob("*.html")}
    return (stamp.stat().st_mtime > max(p.stat().st_mtime for p in sources)
            and pages == {p.stem for p in conf.chapter_paths()})


@pytest.fixture(scope="session")
def built_book(tmp_path_factory) -> Path:
    """build/html if `make book` (which `make test` runs first) built it from the current sources; else one
    fresh build for the whole run, shared by the xdist workers (the first one builds, under a lock)."""
    if book_is_current():
        return BUILT
    shared = tmp_path_factory.getbasetemp().parent  # the same folder for every worker of this run
    root = shared / "book"
    with open(shared / "book.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (root / "html" / ".built").exists():
            shutil.rmtree(root, ignore_errors=True)
            (root / "src").mkdir(parents=True)
            run = subprocess.run([sys.executable, "-m", "sphinx", "-E", "-q", "-W", "--keep-going", "-b", "html",
                                  "-c", str(BOOK_DIR),
                                  "-d", str(root / "doctrees"), str(root / "src"), str(root / "html")],
                                 cwd=PROJECT_ROOT, capture_output=True, text=True)
            assert run.returncode == 0, f"the book did not build:\n{run.stdout[-2000:]}\n{run.stderr[-2000:]}"
            (root / "html" / ".built").touch()
    return root / "html"


def test_book_is_current_sees_a_changed_added_or_removed_chapter(tmp_path):
    built = tmp_path / "html"
    (built / "notebooks").mkdir(parents=True)
    for path in conf.chapter_paths():
        (built / "notebooks" / f"{path.stem}.html").touch()
    stamp = built / ".book-stamp"
    assert not book_is_current(built, stamp)  # never built
    stamp.touch()
    assert book_is_current(built, stamp)
    os.utime(stamp, (0, 0))  # a source is newer than the build
    assert not book_is_current(built, stamp)
    stamp.touch()
    (built / "notebooks" / "99_removed.html").touch()  # a chapter removed since the build
    assert not book_is_current(built, stamp)
    (built / "notebooks" / "99_removed.html").unlink()
    (built / "notebooks" / f"{conf.chapter_paths()[-1].stem}.html").unlink()  # a chapter added since
    assert not book_is_current(built, stamp)


def test_book_is_current_ignores_the_bytecode_cache_but_not_a_changed_source(tmp_path):
    book_dir, built = tmp_path / "book", tmp_path / "html"
    (book_dir / "__pycache__").mkdir(parents=True)
    (built / "notebooks").mkdir(parents=True)
    for path in conf.chapter_paths():
        (built / "notebooks" / f"{path.stem}.html").touch()
    (book_dir / "conf.py").touch()
    stamp = built / ".book-stamp"
    stamp.touch()
    os.utime(book_dir / "conf.py", (stamp.stat().st_mtime - 10,) * 2)
    assert book_is_current(built, stamp, book_dir)
    (book_dir / "__pycache__" / "conf.cpython-311.pyc").touch()  # written after the build: no source
    os.utime(book_dir / "__pycache__" / "conf.cpython-311.pyc", (stamp.stat().st_mtime + 10,) * 2)
    assert book_is_current(built, stamp, book_dir)
    os.utime(book_dir / "conf.py", (stamp.stat().st_mtime + 10,) * 2)  # a source changed after the build
    assert not book_is_current(built, stamp, book_dir)


def test_make_book_stamps_the_build_the_tests_trust():
    """The Makefile's book rule ends by touching the stamp book_is_current() reads, and checks the same sources."""
    makefile = (PROJECT_ROOT / "Makefile").read_text(encoding="utf-8")
    assert "BOOK_STAMP  := $(BOOK_OUT)/.book-stamp" in makefile and "BOOK_OUT    := build/html" in makefile
    rule = makefile.split("$(BOOK_STAMP):", 1)[1].split("\n\n", 1)[0]
    assert rule.splitlines()[0].split() == ["$(BOOK_INPUTS)", "build/book-inputs.txt", "$(STAMP)"]
    assert rule.rstrip().endswith("@touch $@"), rule
    inputs = makefile.split("BOOK_INPUTS := ", 1)[1].splitlines()[0]
    assert "book/*.py book/*.md book/_static/*" in inputs and "notebooks/*.ipynb" in inputs


@pytest.fixture(scope="module")
def chromium():
    """One headless Chromium for this module's browser tests (tests/conftest.py gives them to one worker
    together): each test opens its own browser contexts in it, so no test sees another's pages."""
    if not HAS_CHROMIUM:
        pytest.skip("headless Chromium not installed (make test installs it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = check_book.launch(pw)
        yield browser
        browser.close()


SHOTS = ("index.png", "04_survival_hsct.png", "04_survival_hsct-figure.png")


@pytest.mark.slow
@pytest.mark.skipif(not HAS_CHROMIUM, reason="headless Chromium not installed (make test installs it)")
def test_the_book_passes_every_check(built_book, chromium):
    """What `make check-book` runs: every page in Chromium, no problem; screenshots in build/screenshots."""
    shots = PROJECT_ROOT / "build" / "screenshots"
    for name in SHOTS:  # the screenshots must be this run's
        (shots / name).unlink(missing_ok=True)
    n, problems = check_book.check_book(built_book, shots=shots, browser=chromium)
    assert n >= 10 and problems == [], "\n".join(problems)
    assert {p.name for p in shots.glob("*.png")} >= set(SHOTS)


def _copy(book: Path, dest: Path) -> Path:
    def link_or_copy(src, dst):
        try:
            os.link(src, dst)
        except OSError:  # another file system
            shutil.copy2(src, dst)
    shutil.copytree(book, dest, copy_function=link_or_copy)
    return dest


def _edit(path: Path, old: str | re.Pattern, new: str) -> None:
    """Replace the first ``old`` in ``path`` (a fresh file, so a hard-linked original is untouched)."""
    text = path.read_text(encoding="utf-8")
    changed = old.sub(new, text, count=1) if isinstance(old, re.Pattern) else text.replace(old, new, 1)
    assert changed != text, f"the planted fault found nothing to change in {path.name}"
    path.unlink()
    path.write_text(changed, encoding="utf-8")


# The planted faults go into the book's three lightest chapters; the checker opens those, the two pages
# planted with nothing (index, genindex: they load the altered search index as every page does) and the
# search. The other chapters are the very files test_the_book_passes_every_check passes (hard links,
# asserted below) and load nothing that was altered, so opening them again could show nothing new.
PLANTED = ("notebooks/00_index.html", "notebooks/01_regimen_and_dosing.html", "notebooks/05_toxicity.html")
UNPLANTED_CHECKED = ("index.html", "genindex.html")


@pytest.mark.slow
@pytest.mark.skipif(not HAS_CHROMIUM, reason="headless Chromium not installed (make check-book installs it)")
def test_each_check_fails_on_its_own_planted_fault(built_book, chromium, tmp_path):
    book = _copy(built_book, tmp_path / "html")
    nb = book / "notebooks"
    # console: a script that logs an error; truncated: a table cell cut the way pandas cuts it
    _edit(nb / "00_index.html", "</body>", '<script>console.error("planted fault")</script></body>')
    _edit(nb / "00_index.html", "</article>", '<div class="cell_output"><table><tr><td>The 6-month RFS and OS '
          'rates of 6 patients who...</td></tr></table></div></article>')
    # network: a stylesheet from a CDN; link: a link to a chapter that is not there, and one to an anchor
    # that is not there
    _edit(nb / "00_index.html", "</head>", '<link rel="stylesheet" href="https://cdn.example.org/x.css"></head>')
    _edit(nb / "00_index.html", "</article>",
          '<a href="99_gone.html">gone</a><a href="03_response.html#no-such-section">x</a></article>')
    # raw-tex: the page's MathJax script taken away, so its \( … \) stay as typed; figure: one figure of the
    # chapter taken out of the page
    _edit(nb / "01_regimen_and_dosing.html", re.compile(r'<script[^>]*src="[^"]*mathjax/tex-chtml\.js[^"]*"[^>]*>'
                                                        r"</script>"), "")
    _edit(nb / "01_regimen_and_dosing.html", re.compile(r'<img[^>]*src="\.\./_images/[^"]+"[^>]*>'), "")
    # figure: one image file of the chapter deleted; code: a code cell shown open; prev-next: the "previous"
    # link removed
    image = re.search(r'<img[^>]*src="\.\./(_images/[^"]+)"', (nb / "05_toxicity.html").read_text()).group(1)
    (book / image).unlink()
    _edit(nb / "05_toxicity.html", '<details class="admonition hide above-input"',
          '<details open class="admonition hide above-input"')
    _edit(nb / "05_toxicity.html", re.compile(r'<a class="left-prev".*?</a>', re.S), "")
    # search: an empty search index
    (book / "searchindex.js").unlink()
    (book / "searchindex.js").write_text(
        'Search.setIndex({"alltitles":{},"docnames":[],"envversion":{},"filenames":[],"indexentries":{},'
        '"objects":{},"objnames":{},"objtypes":{},"terms":{},"titles":[],"titleterms":{}})')

    # The pages not opened below: the built book's own files, and none of them uses the deleted image.
    skipped = [p for p in check_book.book_pages(book) if p not in PLANTED + UNPLANTED_CHECKED + ("search.html",)]
    assert len(skipped) >= 4, skipped
    for page in skipped:
        assert os.path.samefile(book / page, built_book / page), f"{page} was changed but is not checked"
        assert Path(image).name not in (book / page).read_text(encoding="utf-8"), f"{page} shows {image}"

    n, problems = check_book.check_book(book, shots=None, browser=chromium, only=list(PLANTED + UNPLANTED_CHECKED))

    expected = {
        "notebooks/00_index.html": "console error: planted fault",
        "notebooks/01_regimen_and_dosing.html": "raw TeX in the rendered text",
        "notebooks/05_toxicity.html": "figure did not load",
        "search.html (file://)": "found no hit on notebooks/04_survival_hsct.html",
        "search.html (http://127.0.0.1)": "found no hit on notebooks/04_survival_hsct.html",
    }
    assert n == len(PLANTED + UNPLANTED_CHECKED)
    for page, message in expected.items():
        assert any(p.startswith(page + ":") and message in p for p in problems), (page, message, problems)
    for page, message in [
        ("notebooks/00_index.html", "table text cut short"),
        ("notebooks/00_index.html", "network request outside the book: https://cdn.example.org/x.css"),
        ("notebooks/00_index.html", "broken link '99_gone.html'"),
        ("notebooks/00_index.html", "broken link '03_response.html#no-such-section'"),
        ("notebooks/01_regimen_and_dosing.html", "figures shown, the notebook has"),
        ("notebooks/05_toxicity.html", "code cells shown open"),
        ("notebooks/05_toxicity.html", "no 'prev' link with a title"),
    ]:
        assert any(p.startswith(page + ":") and message in p for p in problems), (page, message, problems)
    assert any(p.startswith("notebooks/00_index.html: table text cut short") and "patients who..." in p
               for p in problems), problems
    # Nothing else: every problem is on a page where a fault was planted (index and genindex have none).
    strays = [p for p in problems if not any(p.startswith(page + ":") for page in expected)]
    assert strays == []


@pytest.mark.slow
@pytest.mark.skipif(not HAS_CHROMIUM, reason="headless Chromium not installed (make check-book installs it)")
def test_show_all_code_button_opens_and_folds_code_but_not_solutions(built_book, chromium):
    count_js = """() => {
      const open = sel => [...document.querySelectorAll(sel)].filter(d => d.open).length;
      return {code: document.querySelectorAll('div.cell:not(.tag_solution) > details.hide').length,
              codeOpen: open('div.cell:not(.tag_solution) > details.hide'),
              solutionsOpen: open('div.cell.tag_solution > details.hide')};
    }"""
    context = chromium.new_context()
    try:
        page = context.new_page()
        page.goto((built_book / "notebooks" / "03_response.html").as_uri())
        button = page.locator("button.book-code-toggle")
        before = page.evaluate(count_js)
        assert before["code"] > 5 and before["codeOpen"] == 0 and button.inner_text() == "Show all code"
        button.click()
        after = page.evaluate(count_js)
        assert after == {"code": before["code"], "codeOpen": before["code"], "solutionsOpen": 0}
        assert button.inner_text() == "Fold all code"
        button.click()
        assert page.evaluate(count_js)["codeOpen"] == 0
    finally:
        context.close()
