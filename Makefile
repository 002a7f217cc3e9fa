# Two commands on a fresh machine: `make run` and `make test`.
# Both create .venv/ when it is missing and install the project with its test extras.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PLAYGROUND := tests/playground
PLAYGROUND_STAMP := $(VENV)/.playground

.PHONY: run test test-teams bench lint venv clean

venv: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/passback serve

test: $(STAMP)
	$(BIN)/python -m pytest

# Microsoft's Teams client (the Agents Playground) against a real `passback serve`, drawn in
# Debian's Chromium: installs Chromium (apt-get, when /usr/bin/chromium is missing), the pinned
# npm package and the pinned Playwright; never `playwright install`.
test-teams: $(STAMP) $(PLAYGROUND_STAMP)
	$(BIN)/python -m pytest -m playground $(PLAYGROUND)

$(PLAYGROUND_STAMP): $(STAMP) $(PLAYGROUND)/requirements.txt $(PLAYGROUND)/package-lock.json
	test -x /usr/bin/chromium || { apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }
	cd $(PLAYGROUND) && npm ci --no-audit --no-fund --loglevel=error
	$(BIN)/python -m pip install --quiet -r $(PLAYGROUND)/requirements.txt
	touch $@

bench: $(STAMP)
	$(BIN)/python -m benchmarks

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/hadolint deploy/Dockerfile

clean:
	rm -rf $(VENV) $(PLAYGROUND)/node_modules $(PLAYGROUND)/screenshots .pytest_cache .ruff_cache .mypy_cache .hypothesis
