# Each target sets up what it needs: a .venv in the checkout with the project installed (DESIGN §10).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
# The distribution (docs/distribution.md): PyInstaller comes with the `bundle` extra.
BUNDLE_STAMP := $(VENV)/.bundle-stamp
OUT    ?= out

.PHONY: demo run test lint bundle bundle-portable bundle-smoke bench screenshots clean

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed (PYTHON=$(PYTHON))")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	@touch $(STAMP)

demo: $(STAMP)
	$(BIN)/dti --data-dir $(OUT)/demo-data demo --out $(OUT)/demo

run: $(STAMP)
	$(BIN)/dti gui

lint: $(STAMP)
	$(BIN)/ruff check app tests benchmarks tools

test: lint
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -n auto --dist loadfile -p no:cacheprovider

# make bench: every DESIGN §9 budget beside its baseline (several minutes: it generates 161 communes first,
# and its last row builds the bundle).
# BENCH_ARGS=--quick for a small run (< 30 s); --work DIR keeps the generated world for the next run.
bench: $(BUNDLE_STAMP)
	$(BIN)/python benchmarks/run.py $(BENCH_ARGS)

$(BUNDLE_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev,bundle]'
	@touch $(BUNDLE_STAMP)

bundle: $(BUNDLE_STAMP)
	$(BIN)/python installer/build.py
	@du -sh dist/dti

bundle-portable: $(BUNDLE_STAMP)
	$(BIN)/python installer/build.py --portable

bundle-smoke: $(BUNDLE_STAMP)
	DTI_BUNDLE_TEST=1 QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -q -p no:cacheprovider tests/test_bundle_smoke.py

screenshots: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python tools/screenshots.py

clean:
	rm -rf $(VENV) build dist $(OUT) .pytest_cache .ruff_cache .hypothesis
