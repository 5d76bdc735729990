# Each target sets up what it needs: a .venv in the checkout with the project installed (DESIGN §10).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
OUT    ?= out

.PHONY: demo run test lint bundle bench screenshots clean

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

bench: $(STAMP)
	$(BIN)/python benchmarks/run.py

bundle: $(STAMP)
	@echo "make bundle: the PyInstaller application is not built yet (distribution issue)"; exit 1

screenshots: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python tools/screenshots.py

clean:
	rm -rf $(VENV) build dist $(OUT) .pytest_cache .ruff_cache .hypothesis
