"""Sphinx configuration of the book: the stored notebooks as a static site for readers without Python.

    make book      # what it runs:
    mkdir -p build/book-src && .venv/bin/python -m sphinx -E -q -W --keep-going -b html -c book -d build/doctrees build/book-src build/html

Sphinx + MyST-NB + sphinx-book-theme (the stack of QuantEcon-style lecture sites and Jupyter Book 1).
The configuration lives here in book/; the source folder Sphinx reads is a staging copy (build/book-src),
which ``setup()`` below fills with ``book/index.md`` and every chapter ``notebooks/NN_name.ipynb``. (A symlink
would not do: Sphinx resolves it, and links between chapters then point outside the source folder.)
Chapters are rendered from the outputs stored in the files (``nb_execution_mode = "off"``), which the
tests have already checked; nothing is executed.

What the build changes on the way in (the ``source-read`` hook below; the notebooks on disk are untouched):
  * every code cell's source is folded behind a "Show code" toggle (readers who do not read Python see the
    prose, figures and tables); outputs stay visible;
  * cells tagged ``solution`` are folded whole, source and output, behind "Show solution";
  * each chapter's first heading is numbered the same way ("03 · Response: …") for the sidebar and the
    previous/next links;
  * links to ``NN_x.ipynb`` inside HTML outputs (a table's source column) point to the chapter's page;
  * the contents page (``index.md``) gets one entry per chapter: its title and its one-line description
    from the learning-path table of ``00_index.ipynb`` (whole sentences, never cut).
Offline: MathJax 3 comes from the ``sphinx-mathjax-offline`` package and is copied into ``_static/``;
no page loads anything from outside the built folder (``tools/check_book.py`` checks this in Chromium).
"""
from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

BOOK_DIR = Path(__file__).resolve().parent
NOTEBOOKS_DIR = BOOK_DIR.parent / "notebooks"
CHAPTER_RE = re.compile(r"^\d{2}_[\w-]+$")
CHAPTER_LIST_MARKER = "CHAPTER-LIST"
INDEX_NOTEBOOK = "00_index"

project = "Re-deriving an abstract: Lipo-MIT + CLAG in R/R AML"
author = "the lipomit-clag-teaching authors"
copyright = "the lipomit-clag-teaching authors; text and figures CC-BY 4.0, code MIT"
html_title = "Re-deriving an abstract: Lipo-MIT + CLAG"
language = "en"

extensions = ["myst_nb", "sphinx.ext.mathjax", "sphinx-mathjax-offline"]
root_doc = "index"
exclude_patterns = ["_build", "**/.ipynb_checkpoints", "**/.virtual_documents"]

# MyST-NB: render the stored outputs, never execute; no widget JavaScript from a CDN.
nb_execution_mode = "off"
nb_ipywidgets_js: dict = {}
nb_code_prompt_show = "Show code"
nb_code_prompt_hide = "Hide code"
nb_merge_streams = True
myst_enable_extensions = ["dollarmath", "amsmath", "colon_fence"]
myst_heading_anchors = 3

html_theme = "sphinx_book_theme"
html_theme_options = {
    "home_page_in_toc": True,
    "show_toc_level": 2,
    "use_download_button": False,
    "use_fullscreen_button": False,
    "use_repository_button": False,
    "navigation_with_keys": False,
}
html_static_path = ["_static"]
html_css_files = ["book.css"]
html_js_files = ["book.js"]
html_copy_source = False
html_show_sourcelink = False
html_last_updated_fmt = None
html_permalinks_icon = "#"
html_context = {"default_mode": "light"}  # else the theme's script logs "invalid theme mode" on a first visit
# Search results without page snippets: the snippets are fetched, which a browser refuses from file://.
html_show_search_summary = False


# ---------------------------------------------------------------------------------------------------
# What the build does to each notebook and to the contents page (pure functions, tested in tests/test_book.py)

def _text(source) -> str:
    return "".join(source) if isinstance(source, list) else source


def numbered_title(heading: str, stem: str) -> str:
    """'1. The regimen …' or '03 · Response …' in chapter ``stem`` → '01 · The regimen …'."""
    bare = re.sub(r"^\d{1,2}\s*[·.:\-–—]\s+", "", heading.strip())  # not the "6-" of "6-month"
    return f"{stem[:2]} · {bare}"


def chapter_title(nb: dict, stem: str) -> str:
    """The chapter's first '# ' heading, numbered; the file name if it has none."""
    for cell in nb["cells"]:
        if cell["cell_type"] == "markdown":
            for line in _text(cell["source"]).splitlines():
                if line.startswith("# "):
                    return numbered_title(line[2:], stem)
    return stem


def fold_code(nb: dict, stem: str) -> dict:
    """Fold every code cell's source; fold solution cells whole; number the first heading. Returns ``nb``."""
    for cell in nb["cells"]:
        meta = cell.setdefault("metadata", {})
        tags = list(meta.get("tags", []))
        if cell["cell_type"] == "code":
            if "solution" in tags:
                tags = [t for t in tags if t not in ("hide-input", "hide-output")] + ["hide-cell"]
                meta.setdefault("mystnb", {}).update(code_prompt_show="Show solution",
                                                     code_prompt_hide="Hide solution")
            elif not any(t.startswith(("hide", "remove")) for t in tags):
                tags.append("hide-input")
            meta["tags"] = tags
            for out in cell.get("outputs", []):
                if "text/html" in out.get("data", {}):
                    out["data"]["text/html"] = link_chapters(_text(out["data"]["text/html"]))
    for cell in nb["cells"]:
        if cell["cell_type"] == "markdown":
            lines = _text(cell["source"]).splitlines(keepends=True)
            for i, line in enumerate(lines):
                if line.startswith("# "):
                    lines[i] = "# " + numbered_title(line[2:], stem) + "\n"
                    cell["source"] = "".join(lines)
                    return nb
    return nb


_OUTPUT_LINK = re.compile(r'href="(?:\./)?(\d{2}_[\w-]+)\.ipynb(#[^"]*)?"')


def link_chapters(html: str) -> str:
    """Links to ``NN_x.ipynb`` in an HTML output (a pandas table's source column) → ``NN_x.html``.

    MyST resolves such links in markdown; inside an output's raw HTML the build has to do it.
    """
    return _OUTPUT_LINK.sub(lambda m: f'href="{m.group(1)}.html{m.group(2) or ""}"', html)


def learning_path_descriptions(index_nb: dict) -> dict[str, str]:
    """{chapter stem: one-line description} from the learning-path table of the index notebook.

    A row looks like ``| 03 | [Response](03_response.ipynb) | ELN 2022 response categories, … |``.
    """
    row = re.compile(r"^\|\s*\d{2}\s*\|\s*\[[^\]]*\]\((?:\./)?(\d{2}_[\w-]+)\.ipynb\)\s*\|\s*(.+?)\s*\|\s*$")
    found = {}
    for cell in index_nb["cells"]:
        if cell["cell_type"] == "markdown":
            for line in _text(cell["source"]).splitlines():
                m = row.match(line)
                if m:
                    found[m.group(1)] = m.group(2)
    return found


def first_sentence(nb: dict) -> str:
    """First sentence of the first prose paragraph of the title cell ('' if there is none)."""
    for para in _text(nb["cells"][0]["source"]).split("\n\n"):
        para = " ".join(para.split())
        if para and not para.startswith(("#", "-", "*", ">", "|", "1.")):
            return _first_sentence_of(para)
    return ""


def _first_sentence_of(para: str) -> str:
    """Up to the first '.', '!' or '?' outside parentheses that a capital letter follows (or the end)."""
    depth = 0
    for i, ch in enumerate(para):
        depth += (ch == "(") - (ch == ")")
        if ch in ".!?" and depth <= 0 and re.match(r"\s+[A-Z“\"(*]|\s*$", para[i + 1:]):
            if ch == "." and re.search(r"\b(?:vs|e\.g|i\.e|cf|al|approx|Dr|Fig)$", para[:i]):
                continue
            return para[:i + 1]
    return para


def chapter_paths(notebooks_dir: Path = NOTEBOOKS_DIR) -> list[Path]:
    return sorted(p for p in notebooks_dir.glob("*.ipynb") if CHAPTER_RE.match(p.stem))


def chapter_list(notebooks_dir: Path = NOTEBOOKS_DIR) -> str:
    """The contents page's list: one entry per chapter, its title linked, its description in full."""
    paths = chapter_paths(notebooks_dir)
    if not paths:
        raise ValueError(f"notebooks_dir={str(notebooks_dir)!r} holds no NN_name.ipynb chapter")
    index = notebooks_dir / f"{INDEX_NOTEBOOK}.ipynb"
    table = learning_path_descriptions(json.loads(index.read_text(encoding="utf-8"))) if index.exists() else {}
    entries = []
    for path in paths:
        nb = json.loads(path.read_text(encoding="utf-8"))
        description = table.get(path.stem) or first_sentence(nb)
        # The index's own row speaks of itself as "This page: …"; on the contents page that is the chapter.
        description = re.sub(r"^This page:\s*(\w)", lambda m: m.group(1).upper(), description)
        if not description:
            raise ValueError(
                f"chapter {path.name} has no one-line description: add a row for it to the learning-path "
                f"table of {INDEX_NOTEBOOK}.ipynb, or a first paragraph under its title")
        entries.append(f"- {{doc}}`{chapter_title(nb, path.stem)} <notebooks/{path.stem}>`  \n  {description}")
    return "\n".join(entries)


def _source_read(app, docname: str, source: list[str]) -> None:
    if docname == root_doc:
        if CHAPTER_LIST_MARKER not in source[0]:
            raise ValueError(f"book/index.md lost its {CHAPTER_LIST_MARKER} line")
        source[0] = source[0].replace(CHAPTER_LIST_MARKER, chapter_list())
    elif docname.startswith("notebooks/") and CHAPTER_RE.match(docname.split("/", 1)[1]):
        nb = json.loads(source[0])
        source[0] = json.dumps(fold_code(nb, docname.split("/", 1)[1]))


def stage_sources(srcdir: Path, notebooks_dir: Path = NOTEBOOKS_DIR) -> list[Path]:
    """Copy ``book/index.md`` and every chapter notebook into ``srcdir`` (emptied first); the copies."""
    srcdir = Path(srcdir)
    if srcdir.resolve() in (BOOK_DIR, BOOK_DIR.parent, notebooks_dir.resolve()):
        raise ValueError(f"srcdir={str(srcdir)!r} is a project folder; give a staging folder like build/book-src")
    shutil.rmtree(srcdir, ignore_errors=True)
    (srcdir / "notebooks").mkdir(parents=True)
    copies = [Path(shutil.copy2(BOOK_DIR / "index.md", srcdir / "index.md"))]
    copies += [Path(shutil.copy2(p, srcdir / "notebooks" / p.name)) for p in chapter_paths(notebooks_dir)]
    return copies


def setup(app):
    stage_sources(Path(app.srcdir))
    app.connect("source-read", _source_read)
    return {"parallel_read_safe": True}
