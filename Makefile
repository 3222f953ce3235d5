# The two set-up commands of the README. Each makes its own virtual environment on first use.
PYTHON ?= python3
VENV := .venv
STAMP := $(VENV)/.installed

.PHONY: demo test bench bench-service quality services screenshots clean

demo: $(STAMP)  ## screen the shipped examples (no service needed): a readable report, verdicts in verdicts.jsonl
	$(VENV)/bin/modscreen screen examples/posts.jsonl --pretty --output verdicts.jsonl

test: $(STAMP)  ## run the test suite (service tests need PostgreSQL and redis-server; see scripts/services.sh)
	MODSCREEN_TEST_POSTGRES="$$(bash scripts/services.sh)" $(VENV)/bin/python -m pytest

bench: $(STAMP)  ## throughput of the engine on 10,000 posts
	$(VENV)/bin/python -m bench.throughput

bench-service: $(STAMP)  ## the whole service end to end (Redis, PostgreSQL, 2 worker processes)
	$(VENV)/bin/python -m bench.service

quality: $(STAMP)  ## shipped models against the published baselines
	$(VENV)/bin/python -m bench.quality

services:  ## install (as root) and start PostgreSQL and Redis for the service tests
	bash scripts/services.sh --install

$(STAMP): pyproject.toml
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(VENV)/bin/python -m pip install --quiet --upgrade pip
	$(VENV)/bin/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis

screenshots: $(STAMP)  ## retake the README's screenshots (docs/screenshots) with the browser tests
	MODSCREEN_SCREENSHOTS=docs/screenshots MODSCREEN_TEST_POSTGRES="$$(bash scripts/services.sh)" \
	  $(VENV)/bin/python -m pytest -q tests/modscreen/review/test_review_browser.py tests/modscreen/review/test_analytics_browser.py
