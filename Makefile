# Two commands do all set-up on a fresh machine: `make build` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: build test install install-test clean ace check-a11y

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/python pyproject.toml
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

install: $(VENV)/.installed

install-test: $(VENV)/.installed-test

build: install
	$(BIN)/anthology build .

test: install-test build
	$(BIN)/python -m pytest -q

clean:
	rm -rf build

# Ace by DAISY (the EPUB accessibility checker) in tools/ace/, run by `build --validate` and the
# tests when present. It needs node and npm, and Debian's chromium (installed with apt-get when
# missing: run as root); puppeteer's own browser download is skipped.
ACE := tools/ace/node_modules/.bin/ace-puppeteer
ace: $(ACE)

$(ACE): tools/ace/package.json tools/ace/package-lock.json
	test -x /usr/bin/chromium || (apt-get update -qq && apt-get install -y -qq chromium)
	cd tools/ace && PUPPETEER_SKIP_DOWNLOAD=1 ELECTRON_SKIP_BINARY_DOWNLOAD=1 npm ci --ignore-scripts --no-audit --no-fund --silent
	touch $@

check-a11y: install ace
	$(BIN)/anthology build . --validate

# Benchmarks (benchmarks/README.md): the full size (~1,000 A5 pages) and a quick one (~200 pages).
.PHONY: bench bench-quick
bench: install
	$(BIN)/python benchmarks/run.py

bench-quick: install
	$(BIN)/python benchmarks/run.py --quick
