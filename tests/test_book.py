"""tools/build_book.py and tools/check_book.py: solutions folded, links rewritten, checker catches faults.

The unit tests use small HTML snippets (no browser). One test renders a two-page toy book in headless
Chromium and checks that a broken link makes the checker fail (skipped when Chromium is not installed;
`make check-book` installs it).
"""
from __future__ import annotations

import importlib.util
import shutil
from pathlib import Path

import pytest

from helpers.paths import PROJECT_ROOT


def _load(name: str):
    spec = importlib.util.spec_from_file_location(name, PROJECT_ROOT / "tools" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


build_book = _load("build_book")
check_book = _load("check_book")

CELL = '<div class="jp-Cell jp-CodeCell jp-Notebook-cell{extra}" id="c{i}"><div class="jp-Cell-inputWrapper"><div>x</div></div></div>'


def test_collapse_solutions_wraps_only_solution_cells():
    page = CELL.format(extra="", i=1) + CELL.format(extra=" celltag_solution", i=2) + CELL.format(extra="", i=3)
    out = build_book.collapse_solutions(page)
    assert out.count("<details") == 1 and out.count("</details>") == 1
    inside = out[out.index("<details"):out.index("</details>")]
    assert 'id="c2"' in inside and 'id="c1"' not in inside and 'id="c3"' not in inside


def test_collapse_solutions_rejects_unbalanced_html():
    with pytest.raises(ValueError, match="unbalanced"):
        build_book.collapse_solutions('<div class="jp-Cell jp-CodeCell celltag_solution"><div>')


def test_rewrite_links_existing_and_missing():
    page = '<a href="03_response.ipynb#mrd">ch 3</a> and <a href="05_toxicity.ipynb">ch 5</a>'
    out = build_book.rewrite_links(page, {"03_response"})
    assert 'href="03_response.html#mrd"' in out
    assert "05_toxicity.ipynb" not in out and "ch 5" in out


def test_page_scan_finds_figures_links_and_errors():
    scan = check_book.PageScan()
    scan.feed('<img src="data:image/png;base64,AAA"><svg></svg><a href="x.html">x</a>'
              '<div data-mime-type="application/vnd.jupyter.stderr"><pre>Traceback (most recent call last)</pre></div>'
              '<div class="jp-Cell celltag_raises-exception"><div data-mime-type="application/vnd.jupyter.stderr">'
              '<pre>Traceback (expected)</pre></div></div>')
    assert scan.figures == 2
    assert "x.html" in scan.links
    assert len(scan.errors) == 1 and "most recent" in scan.errors[0]


def test_broken_links(tmp_path):
    (tmp_path / "a.html").write_text("a")
    page = tmp_path / "a.html"
    links = ["a.html", "a.html#top", "missing.html", "https://example.org/x", "#frag", "../outside.html"]
    assert check_book.broken_links(page, links, tmp_path) == ["missing.html", "../outside.html"]


@pytest.mark.slow
@pytest.mark.skipif(not (shutil.which("chromium") or Path("/usr/bin/chromium").exists()),
                    reason="headless Chromium not installed (make check-book installs it)")
def test_checker_fails_on_a_broken_link_in_a_browser(tmp_path):
    fig = '<img src="data:image/png;base64,iVBORw0KGgo=">'
    (tmp_path / "index.html").write_text('<html><body><a href="01_a.html">one</a></body></html>')
    (tmp_path / "01_a.html").write_text(f'<html><body>{fig}<a href="index.html">up</a></body></html>')
    n, problems = check_book.check_book(tmp_path, shots=False)
    assert (n, problems) == (2, [])
    (tmp_path / "01_a.html").write_text(f'<html><body>{fig}<a href="02_gone.html">next</a></body></html>')
    n, problems = check_book.check_book(tmp_path, shots=False)
    assert problems == ["01_a.html: broken link '02_gone.html'"]
