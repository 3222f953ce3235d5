# The two set-up commands of the README. Each makes its own virtual environment on first use.
PYTHON ?= python3
VENV := .venv
STAMP := $(VENV)/.installed

.PHONY: demo test bench quality clean

demo: $(STAMP)  ## screen the shipped examples (no service needed)
	$(VENV)/bin/modscreen screen examples/posts.jsonl

test: $(STAMP)  ## run the test suite
	$(VENV)/bin/python -m pytest

bench: $(STAMP)  ## throughput of the engine on 10,000 posts
	$(VENV)/bin/python bench/throughput.py

quality: $(STAMP)  ## shipped models against the published baselines
	$(VENV)/bin/python bench/quality.py

$(STAMP): pyproject.toml
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(VENV)/bin/python -m pip install --quiet --upgrade pip
	$(VENV)/bin/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis
