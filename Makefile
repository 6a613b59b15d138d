# reprints: the two commands a new user runs are `make demo` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
OUT ?= out/demo

.PHONY: demo test lint eval bench clean

$(BIN)/reprints: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e .
	touch $@

$(VENV)/.dev: $(BIN)/reprints
	$(BIN)/pip install -q -e '.[dev]'
	touch $@

demo: $(BIN)/reprints
	$(BIN)/reprints scan examples/seeds --out $(OUT) --level near
	@echo "--- $(OUT)/clusters.jsonl"; cat $(OUT)/clusters.jsonl
	@echo "--- $(OUT)/pairs.jsonl"; cat $(OUT)/pairs.jsonl

test: $(VENV)/.dev
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/python -m pytest

eval: $(BIN)/reprints
	for set in scraped reuse; do $(BIN)/reprints eval ../shared/eval/$$set --level near; done

clean:
	rm -rf $(VENV) out .pytest_cache .ruff_cache
