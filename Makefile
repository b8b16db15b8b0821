# Two commands a newcomer needs:  make lab   (open the collection)   make test   (run every test)
# Both build .venv from the exact pins in requirements.lock the first time, and reuse it after.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-stamp
PORT   ?= 8888
# Jupyter refuses to run as root unless told; containers and CI often are root.
LAB_FLAGS ?= $(if $(filter 0,$(shell id -u)),--allow-root,)

.PHONY: setup lab test bench notebooks data book check-book clean

setup: $(STAMP)

$(STAMP): requirements.lock pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	@touch $(STAMP)

lab: setup
	$(VENV)/bin/jupyter lab --ServerApp.root_dir=. --port=$(PORT) $(LAB_FLAGS) notebooks/00_index.ipynb

# The book check runs first: it installs Chromium if missing, which tests/test_book.py then uses too.
test: setup
	$(MAKE) check-book
	$(PY) -m pytest

# The read-only book for readers without Python: stored notebooks → build/*.html (executes nothing).
book: setup
	$(PY) tools/build_book.py

# Open every page of the book in headless Chromium: figures present, no broken links, no errors.
check-book: book
	$(PY) tools/check_book.py

bench: setup
	$(PY) benchmarks/bench_notebooks.py
	$(PY) benchmarks/bench_generator.py

# Maintainers: re-run every notebook top to bottom and store the outputs (one clean Restart-and-Run-All).
notebooks: setup
	$(PY) tools/run_notebooks.py notebooks/*.ipynb

# Maintainers: the only command that writes into data/.
data: setup
	$(PY) -m helpers.engine.generator --seed 0 --out data --overwrite-data

clean:
	rm -rf $(VENV) build
