# Two entry points that work on a fresh machine with Python 3.11+ and git:
#   make demo  - create .venv, then validate, check and build the site of registry/
#   make test  - create .venv with the test extras, then run the test suite
PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin
STAMP   = $(VENV)/.installed

.PHONY: demo test venv clean lint bench

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

venv: $(STAMP)

# The main job on the demo registry: validate, show the policy findings without
# stopping on them (the demo plants some on purpose), build the site.
demo: $(STAMP)
	$(BIN)/itamctl validate --registry registry
	$(BIN)/itamctl check --registry registry --exit-zero
	$(BIN)/itamctl site build --registry registry --out site/build
	@echo "Site built in site/build: preview it with $(BIN)/itamctl site serve"

test: $(STAMP)
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check .

clean:
	rm -rf $(VENV) build dist .pytest_cache
