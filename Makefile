# Two commands: `make demo` and `make test` (`make eval` runs the whole eval suite). Each
# creates .venv when it is missing and installs the pinned set (constraints.txt) when
# pyproject.toml or the pins change.

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# The browser tests drive Debian's Chromium: Playwright downloads no browser here.
CHROMIUM ?= /usr/bin/chromium
# The JS SDK and Agent Chat UI tests run node; npm fetches their packages at test time.
NODE ?= /usr/bin/node

.PHONY: demo test eval lint typecheck unit install lock clean audit

demo: $(STAMP)
	$(BIN)/sales-agent demo

# pytest includes the eval gate: the test split of evals/datasets against evals/thresholds.toml.
test: $(STAMP) lint typecheck $(CHROMIUM) $(NODE)
	$(BIN)/pytest

# Every case of every dataset (both splits), then the results written into docs/EVALS.md.
EVAL_DATASETS := $(wildcard evals/datasets/scenarios.jsonl evals/datasets/replies*.jsonl)
eval: $(STAMP)
	$(BIN)/sales-agent eval run $(foreach d,$(EVAL_DATASETS),--dataset $(d)) || status=$$?; \
	  $(BIN)/sales-agent eval report && exit $${status:-0}

# Known vulnerabilities in the pinned set (constraints.txt), from the advisory service pip-audit
# asks; exit 1 on a finding, or when the service cannot be reached.
audit: $(STAMP)
	$(BIN)/pip-audit --requirement constraints.txt --no-deps --disable-pip --progress-spinner off

lint: $(STAMP)
	$(BIN)/ruff check src tests scripts
	$(BIN)/ruff format --check src tests scripts

typecheck: $(STAMP)
	$(BIN)/mypy

install: $(STAMP)

# Only when it is missing (CI's clean machine): apt-get as root, or through sudo.
$(CHROMIUM):
	@command -v apt-get >/dev/null || { echo "error: $(CHROMIUM) is missing and there is no apt-get: install Chromium (Debian's chromium package) for the browser tests" >&2; exit 1; }
	@sudo=$$([ "$$(id -u)" = 0 ] || echo sudo); \
	  { $$sudo apt-get update -q && DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -q chromium; } \
	  || { echo "error: could not install chromium with apt-get (it needs root or sudo and the Debian package index): install it, then run make test again" >&2; exit 1; }
	@test -x $(CHROMIUM) || { echo "error: chromium installed but $(CHROMIUM) is missing: set CHROMIUM=<path> or fix the install" >&2; exit 1; }

$(NODE):
	@command -v apt-get >/dev/null || { echo "error: $(NODE) is missing and there is no apt-get: install Node.js and npm for the JS client tests" >&2; exit 1; }
	@sudo=$$([ "$$(id -u)" = 0 ] || echo sudo); \
	  { $$sudo apt-get update -q && DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -q nodejs npm; } \
	  || { echo "error: could not install nodejs and npm with apt-get: install them, then run make test again" >&2; exit 1; }

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): $(BIN)/python pyproject.toml constraints.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c constraints.txt -e ".[dev]"
	touch $(STAMP)

# Re-pin after changing dependencies in pyproject.toml: resolve fresh, then freeze.
lock:
	rm -rf .lock-venv && $(PYTHON) -m venv .lock-venv
	# The CPU build first: left to the resolver, torch comes with GBs of CUDA packages.
	.lock-venv/bin/python -m pip install --quiet torch==2.13.0
	.lock-venv/bin/python -m pip install --quiet -e ".[dev]"
	.lock-venv/bin/python -m pip freeze --exclude-editable | grep -v '^-e ' > constraints.txt
	rm -rf .lock-venv

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache
