# Shortcuts for dev.py, which needs only Python 3.11+ and git:
#   make demo  = python3 dev.py demo   (validate, check and build the site of registry/)
#   make test  = python3 dev.py test   (the test suite)
PYTHON ?= python3

.PHONY: demo test setup lint clean

demo:
	$(PYTHON) dev.py demo

test:
	$(PYTHON) dev.py test

setup:
	$(PYTHON) dev.py setup

lint: setup
	.venv/bin/ruff check .

clean:
	rm -rf .venv build dist .pytest_cache site/build
