# reprints: the two commands a new user runs are `make demo` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
OUT ?= out/demo

.PHONY: demo test lint eval bench bench-deps clean

$(BIN)/reprints: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	# with the sentence embedders (models inside the packages: USE v3, multilingual-e5): the
	# rewrite level finds translations; a plain `pip install reprints` runs on words alone
	$(BIN)/pip install -q -e '.[embed,e5]'
	# compile the numba kernels now (about 8 s, once) so that the first scan starts at once
	$(BIN)/python -m reprints.precompile
	touch $@

$(VENV)/.dev: $(BIN)/reprints
	$(BIN)/pip install -q -e '.[dev]'
	touch $@

demo: $(BIN)/reprints
	$(BIN)/reprints scan examples/seeds --out $(OUT) --level rewrite
	@echo "--- $(OUT)/clusters.jsonl"; cat $(OUT)/clusters.jsonl
	@echo "--- $(OUT)/pairs.jsonl"; cat $(OUT)/pairs.jsonl
	@echo "--- open $(OUT)/report.html in a browser to see the clusters and the aligned passages"

test: $(VENV)/.dev
	# headless Chromium for the report's browser tests (Debian's package; a no-op once there)
	bash scripts/install-browser.sh || echo "could not install chromium: the browser tests will be skipped"
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/python -m pytest
	# the numpy fallback, end to end (as on a machine without numba)
	REPRINTS_BACKEND=numpy $(BIN)/python -m pytest -q tests/test_scan.py tests/test_cli.py

eval: $(BIN)/reprints
	for set in scraped reuse; do $(BIN)/reprints eval ../shared/eval/$$set --level near; done
	for set in scraped reuse rewrites events; do $(BIN)/reprints eval ../shared/eval/$$set --level rewrite; done

bench-deps: $(BIN)/reprints
	$(BIN)/pip install -q -e '.[bench]'

bench: bench-deps
	test -f benchmarks/data/100k/docs.jsonl || $(BIN)/python benchmarks/corpus.py --docs 100000 --out benchmarks/data/100k
	$(BIN)/python benchmarks/bench.py benchmarks/data/100k

clean:
	rm -rf $(VENV) out .pytest_cache .ruff_cache
