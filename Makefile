# Garrison — the commands the README leads with: `make demo` and `make test`.
# Everything installs into .venv on first use (Python >= 3.11 and make are all you need).

PYTHON ?= $(shell for p in python3.13 python3.12 python3.11 python3; do \
            command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 11))' && { echo $$p; break; }; \
          done)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install demo test lint format bench train clean

$(STAMP): pyproject.toml
	@test -n "$(PYTHON)" || { echo "Garrison needs Python >= 3.11 (set PYTHON=/path/to/python3.11)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	@touch $(STAMP)

install: $(STAMP)

demo: install
	$(BIN)/garrison demo

test: install
	$(BIN)/python -m pytest -q

lint: install
	$(BIN)/ruff check src tests benchmarks scripts
	$(BIN)/ruff format --check src tests benchmarks scripts
	$(BIN)/mypy --strict src/

format: install
	$(BIN)/ruff format src tests benchmarks scripts
	$(BIN)/ruff check --fix src tests benchmarks scripts

bench: install
	$(BIN)/python -m pip install --quiet -e ".[dev,bench]"
	$(BIN)/python -m benchmarks

# Re-train the bundled classifier. torch is installed first on its own so that pip does not pull
# a CUDA build for the sentence-transformers dependency; torch never becomes a run-time dependency.
train: install
	$(BIN)/python -m pip install --quiet "torch>=2.2"
	$(BIN)/python -m pip install --quiet -e ".[dev,train]"
	$(BIN)/python scripts/detection_data/real_carriers.py   # wave 7: pinned Debian packages (apt-get)
	$(BIN)/python -m garrison.detect.train

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .hypothesis
