"""Render the stored notebooks into a static HTML "book" in build/ — executes nothing.

    .venv/bin/python tools/build_book.py            # what `make book` runs
    .venv/bin/python tools/build_book.py --out DIR

One page per notebooks/NN_*.ipynb (nbconvert's HTMLExporter, lab template, from the outputs stored
in the file, which the tests have already checked), plus index.html with the learning path. On each page:
figures stay inline (data: URIs); cells tagged "solution" are wrapped in
<details><summary>Solution</summary>…</details> so they start collapsed; links to ``NN_x.ipynb`` become
``NN_x.html`` when that notebook exists, and plain text otherwise (no dangling links in the book).
"""
from __future__ import annotations

import argparse
import html
import re
import sys
from pathlib import Path

import nbformat
from nbconvert import HTMLExporter

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS_DIR = ROOT / "notebooks"
CHAPTER_RE = re.compile(r"^\d{2}_[\w-]+\.ipynb$")
_DIV_RE = re.compile(r"<div\b|</div>")
_NB_LINK_RE = re.compile(r'<a\s+([^>]*?)href="(?:\./)?(\d{2}_[\w-]+)\.ipynb(#[^"]*)?"([^>]*)>(.*?)</a>', re.S)


def chapter_paths(notebooks_dir: Path = NOTEBOOKS_DIR) -> list[Path]:
    """The chapter notebooks (NN_name.ipynb), sorted by name."""
    return sorted(p for p in notebooks_dir.glob("*.ipynb") if CHAPTER_RE.match(p.name))


def _matching_close(page: str, start: int) -> int:
    """Index just after the </div> closing the <div that starts at ``start``."""
    depth = 0
    for m in _DIV_RE.finditer(page, start):
        depth += 1 if m.group(0) == "<div" else -1
        if depth == 0:
            return m.end()
    raise ValueError(f"unbalanced <div> starting at character {start}")


def collapse_solutions(page: str, tag: str = "solution") -> str:
    """Wrap every cell div carrying class ``celltag_<tag>`` in <details> (closed by default)."""
    cell_re = re.compile(r'<div class="jp-Cell [^"]*\bcelltag_' + re.escape(tag) + r'\b[^"]*"')
    out, pos = [], 0
    for m in cell_re.finditer(page):
        if m.start() < pos:  # nested inside a cell already wrapped
            continue
        end = _matching_close(page, m.start())
        out += [page[pos:m.start()], '<details class="book-solution"><summary>Solution</summary>',
                page[m.start():end], "</details>"]
        pos = end
    out.append(page[pos:])
    return "".join(out)


def rewrite_links(page: str, existing: set[str]) -> str:
    """``href="NN_x.ipynb"`` → ``NN_x.html`` if NN_x is in ``existing``; else keep only the link text."""
    def repl(m: re.Match) -> str:
        before, stem, anchor, after, text = m.groups()
        if stem in existing:
            return f'<a {before}href="{stem}.html{anchor or ""}"{after}>{text}</a>'
        return f'<span class="book-missing-chapter" title="chapter not in this build">{text}</span>'
    return _NB_LINK_RE.sub(repl, page)


def title_of(nb: nbformat.NotebookNode, fallback: str) -> str:
    """The first '# ' heading of the notebook's first markdown cell."""
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                if line.startswith("# "):
                    # drop a leading chapter number ("06 · ", "1. "): the contents page shows it already
                    return re.sub(r"^\d{1,2}\s*[·.:\-–]\s*", "", line[2:].strip())
            break
    return fallback


BOOK_CSS = """
<style>
details.book-solution { border: 1px solid #ccc; border-radius: 4px; margin: 0.5em 0; padding: 0.2em 0.6em; }
details.book-solution > summary { cursor: pointer; font-weight: bold; color: #0072b2; }
nav.book-nav { font-family: sans-serif; padding: 0.6em 1em; border-bottom: 1px solid #ddd; }
nav.book-nav a { margin-right: 1.2em; }
</style>
"""


def _nav(prev_stem: str | None, next_stem: str | None) -> str:
    links = ['<a href="index.html">Contents</a>']
    if prev_stem:
        links.append(f'<a href="{prev_stem}.html">← {html.escape(prev_stem)}</a>')
    if next_stem:
        links.append(f'<a href="{next_stem}.html">{html.escape(next_stem)} →</a>')
    return '<nav class="book-nav">' + "".join(links) + "</nav>"


def render_page(path: Path, existing: set[str], prev_stem: str | None, next_stem: str | None) -> tuple[str, str]:
    """(title, HTML) of one notebook, from its stored outputs (no execution)."""
    nb = nbformat.read(path, as_version=4)
    exporter = HTMLExporter(template_name="lab")
    body, _ = exporter.from_notebook_node(nb)
    body = collapse_solutions(body)
    body = rewrite_links(body, existing)
    body = body.replace("</head>", BOOK_CSS + "</head>", 1)
    body = re.sub(r"(<body[^>]*>)", lambda m: m.group(1) + _nav(prev_stem, next_stem), body, count=1)
    return title_of(nb, path.stem), body


def render_index(entries: list[tuple[str, str, str]]) -> str:
    """index.html: the learning path, one link per chapter. ``entries``: (stem, title, first paragraph)."""
    items = "\n".join(
        f'<li><a href="{stem}.html"><strong>{html.escape(stem[:2])}</strong> · {html.escape(title)}</a>'
        f"<br><span class=\"blurb\">{html.escape(blurb)}</span></li>"
        for stem, title, blurb in entries)
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>Re-deriving an abstract: Lipo-MIT + CLAG in R/R AML</title>
<style>
body {{ font-family: sans-serif; max-width: 52em; margin: 2em auto; line-height: 1.5; color: #222; }}
ul.path {{ list-style: none; padding-left: 0; }} li {{ margin-bottom: 0.9em; }} .blurb {{ color: #555; font-size: 0.92em; }}
.notice {{ background: #fff3cd; border: 1px solid #e0c36a; padding: 0.6em 1em; border-radius: 4px; }}
</style></head>
<body>
<h1>Re-deriving an abstract: Lipo-MIT + CLAG in R/R AML</h1>
<p class="notice"><strong>Synthetic data.</strong> No patient-level data was published; the cohort in these
pages was generated so that every figure of the abstract comes out as printed. It is not the trial's data.</p>
<p>This is the read-only version of the notebook collection, for readers without Python: every page shows
the code and its stored, tested output. Solutions to the exercises are folded; click <em>Solution</em> to open.
To run and change the code, use <code>make lab</code>.</p>
<h2>Learning path</h2>
<ul class="path">
{items}
</ul>
</body></html>
"""


def _first_paragraph(nb: nbformat.NotebookNode) -> str:
    """First prose paragraph of the title cell (headings, lists and short lines skipped)."""
    for cell in nb.cells[:1]:
        for para in cell.source.split("\n\n"):
            para = para.strip()
            if para.startswith(("#", "-", "*", "1.", ">", "|")) or len(para) < 60:
                continue
            text = re.sub(r"[*_`]", "", " ".join(para.split()))
            return text[:240] + ("…" if len(text) > 240 else "")
    return ""


def build(out: Path, notebooks_dir: Path = NOTEBOOKS_DIR) -> list[Path]:
    """Write index.html and one page per chapter into ``out``; return the written paths."""
    paths = chapter_paths(notebooks_dir)
    if not paths:
        raise ValueError(f"notebooks_dir={notebooks_dir.name!r} holds no NN_name.ipynb notebooks")
    out.mkdir(parents=True, exist_ok=True)
    stems = [p.stem for p in paths]
    existing = set(stems)
    written, entries = [], []
    for i, path in enumerate(paths):
        prev_stem = stems[i - 1] if i > 0 else None
        next_stem = stems[i + 1] if i + 1 < len(stems) else None
        title, page = render_page(path, existing, prev_stem, next_stem)
        target = out / f"{path.stem}.html"
        target.write_text(page, encoding="utf-8")
        written.append(target)
        entries.append((path.stem, title, _first_paragraph(nbformat.read(path, as_version=4))))
    index = out / "index.html"
    index.write_text(render_index(entries), encoding="utf-8")
    return [index] + written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "build", help="output folder (default: build/)")
    parser.add_argument("--notebooks", type=Path, default=NOTEBOOKS_DIR, help="folder of NN_*.ipynb")
    args = parser.parse_args(argv)
    written = build(args.out, args.notebooks)
    print(f"book: {len(written)} pages written to {args.out.name}/ (index + {len(written) - 1} chapters)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
