# Two commands a newcomer needs:  make lab   (open the collection)   make test   (run every test)
# Both build .venv from the exact pins in requirements.lock the first time, and reuse it after.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-stamp
PORT   ?= 8888
# Extra JupyterLab options for `make lab`, e.g. LAB_FLAGS=--no-browser (tools/lab.py adds --allow-root as root).
LAB_FLAGS ?=
NB ?= all

.PHONY: setup lab restore test bench notebooks data book check-book clean FORCE

setup: $(STAMP)

# uv (its exact version pinned in requirements.lock, installed from PyPI by pip) installs the pins in
# parallel: about 20 s on a fresh machine where pip takes 2-4 minutes. The same exact versions either way;
# pip does it alone where uv cannot be installed. Bytecode is compiled at install (uv --compile-bytecode; pip
# does it by default): where PYTHONDONTWRITEBYTECODE is set, as on some machines, Python would otherwise
# recompile pandas, scipy, matplotlib... from source in every process, every run (about 100 CPU-seconds per
# `make test`).
$(STAMP): requirements.lock pyproject.toml
	@echo "setup: installing $$(grep -c '==' requirements.lock) pinned packages into $(VENV) (first time only; about a minute: download and install, then about 30 s of silence compiling bytecode, then the list of packages)..."
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@start=$$(date +%s); \
	if $(PY) -m pip install --quiet --disable-pip-version-check "$$(grep '^uv==' requirements.lock)"; then \
	  $(VENV)/bin/uv pip install --python $(PY) --compile-bytecode -r requirements.lock && \
	  $(VENV)/bin/uv pip install --python $(PY) --quiet --no-deps --no-build-isolation -e . ; \
	else \
	  echo "setup: uv could not be installed; pip installs the same pins instead (2-4 minutes)" && \
	  $(PY) -m pip install --progress-bar off --disable-pip-version-check -r requirements.lock && \
	  $(PY) -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e . ; \
	fi && echo "setup: done in $$(( $$(date +%s) - start )) s"
	@touch $(STAMP)

# Opens JupyterLab on your working copy my-notebooks/ (copied from notebooks/ the first time; your
# work there is never overwritten) at 00_index. The shipped notebooks/ stay exactly as tested.
lab: setup
	$(PY) tools/lab.py --port $(PORT) -- $(LAB_FLAGS)

# Put the shipped version of a chapter back into my-notebooks/ (yours moves to my-notebooks/backups/):
#   make restore NB=03     one chapter        make restore     all of them
restore:
	$(PYTHON) tools/lab.py --restore $(NB)

# Chromium first (installed if missing: tests/test_book.py and tests/test_browser.py drive it), then the book
# (rebuilt only if a source changed), then every test. The book check (what `make check-book` runs) is one of
# the tests (tests/test_book.py), so it runs side by side with the others instead of before them.
# The tests run with Python's own bytecode caches on, even where PYTHONDONTWRITEBYTECODE is set (as on
# some machines): pytest then keeps each test module's rewritten asserts (tests/__pycache__, checked
# against the source's hash) and Python the compiled helpers/ and tools/ (__pycache__, git-ignored),
# instead of every process compiling them again, every run: each test worker ~2.5 CPU-s, and about 20
# processes (notebook kernels, loading-cell cases, subprocesses) ~0.2 CPU-s each.
test: setup
	@$(PY) tools/check_book.py --install-chromium
	@$(MAKE) --no-print-directory book
	PYTHONDONTWRITEBYTECODE= $(PY) -m pytest

# The read-only book for readers without Python: stored notebooks → build/html (Sphinx + MyST-NB +
# sphinx-book-theme, configured in book/; executes nothing). book/conf.py stages the sources in build/book-src.
# Built whole (-E) when one of its sources (book/, notebooks/, the installed packages) changed since the last
# successful build, or a notebook was added or removed; otherwise left as it is (build/html/.book-stamp).
BOOK_OUT    := build/html
BOOK_STAMP  := $(BOOK_OUT)/.book-stamp
BOOK_INPUTS := $(sort $(wildcard book/*.py book/*.md book/_static/*) $(wildcard notebooks/*.ipynb))
book: setup $(BOOK_STAMP)
	@echo "book: open $(BOOK_OUT)/index.html"

$(BOOK_STAMP): $(BOOK_INPUTS) build/book-inputs.txt $(STAMP)
	@mkdir -p build/book-src
	$(PY) -m sphinx -E -q -W --keep-going -b html -c book -d build/doctrees build/book-src $(BOOK_OUT)
	@touch $@

# The list of the book's sources: rewritten (so the book rebuilt) only when a file is added or removed.
build/book-inputs.txt: FORCE
	@mkdir -p build
	@printf '%s\n' $(BOOK_INPUTS) | cmp -s - $@ || printf '%s\n' $(BOOK_INPUTS) > $@
FORCE:

# Open every page of the book in headless Chromium: no console error, no request outside build/html, no raw
# TeX, every figure, every link, previous/next, code folded, search; screenshots in build/screenshots.
check-book: book
	$(PY) tools/check_book.py --book $(BOOK_OUT) --shots build/screenshots

# One table against the speed targets: every notebook's Run All vs the floor, the nbval suite, the generator,
# the exact bounds and a warm `make test` (about 5 minutes). BEFORE=../other-checkout measures that one
# too, in the same run, as a "before" column. Details per part: benchmarks/bench_generator.py, bench_bounds.py.
BEFORE ?=
bench: setup
	$(PY) benchmarks/bench.py --make-test $(if $(BEFORE),--before $(BEFORE))

# Maintainers: re-run every notebook top to bottom and store the outputs (one clean Restart-and-Run-All).
notebooks: setup
	$(PY) tools/run_notebooks.py notebooks/*.ipynb

# Maintainers: the only command that writes into data/.
data: setup
	$(PY) -m helpers.engine.generator --seed 0 --out data --overwrite-data

clean:
	rm -rf $(VENV) build build-artifacts   # never my-notebooks/: that is your work
