# twocreate — the two commands: `make reports` and `make test`.
# Both create .venv (once; again only when pyproject.toml changes), install the project with
# its dependencies, and register the project's Jupyter kernel inside .venv.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.twocreate-installed
OBSERVATIONS ?=
SHEET ?=
TASKS ?=
# fund execution: "plan" = each plan's own shipped ILLUSTRATIVE disbursements (the file its plan.toml
# names; none for a plan without one); a file of yours; DISBURSEMENTS=none for none
DISBURSEMENTS ?= plan
# the plan: an id of data/raw/plans/ or a plan folder; default every plan of data/raw/plans/ ("all"),
# or the default plan when you give an input file of your own (an input file belongs to one plan)
PLAN ?= $(if $(strip $(OBSERVATIONS)$(SHEET)$(TASKS)$(filter-out plan none,$(DISBURSEMENTS))),,all)
# every year of the plan period; YEAR=2018 for one
YEAR ?= all
LANGS ?= all
JOBS ?=
FORCE ?=
PYTEST_ARGS ?=
LAB_ARGS ?=

RUN_ARGS := --lang $(LANGS)
ifneq ($(strip $(PLAN)),)
RUN_ARGS += --plan $(PLAN)
endif
ifneq ($(strip $(OBSERVATIONS)),)
RUN_ARGS += --observations $(OBSERVATIONS)
endif
ifneq ($(strip $(SHEET)),)
RUN_ARGS += --sheet $(SHEET)
endif
ifneq ($(strip $(TASKS)),)
RUN_ARGS += --tasks $(TASKS)
endif
ifneq ($(strip $(DISBURSEMENTS)),)
RUN_ARGS += --disbursements $(DISBURSEMENTS)
endif
ifneq ($(strip $(YEAR)),)
RUN_ARGS += --year $(YEAR)
endif
ifneq ($(strip $(JOBS)),)
RUN_ARGS += --jobs $(JOBS)
endif
ifneq ($(strip $(FORCE)),)
RUN_ARGS += --force
endif

.PHONY: reports test test-fast lab bench venv lock clean-venv help

help:
	@echo "make reports   build every report of every plan in data/raw/plans/, over all its years, on the shipped data"
	@echo "               (OBSERVATIONS=file.csv|xlsx [SHEET=name], TASKS=, DISBURSEMENTS= to use your files;"
	@echo "               YEAR=2018 for one year; PLAN=jinan-2025-private-economy for one plan;"
	@echo "               only reports whose inputs changed are rebuilt, FORCE=1 rebuilds all)"
	@echo "make test      run the test suite (all of it; make test-fast: the quick tier for the edit-test loop)"
	@echo "make lab       open JupyterLab on notebooks/ with the project's kernel"
	@echo "make bench     run the benchmarks (prints figures)"

venv: $(STAMP)

# The environment is the lock file's (every package pinned with its hashes, for Python 3.11), installed
# with uv when it can be had from PyPI, else with pip --require-hashes; then the project itself, without
# dependencies. pyproject.toml keeps the ranges (for installing the library elsewhere); README: updating the lock.
# --compile-bytecode: uv leaves the packages' .pyc files unwritten (pip writes them), and where
# PYTHONDONTWRITEBYTECODE is set (this machine) no process ever writes them: every interpreter then compiled
# pandas, matplotlib and the rest from source, 1.6 s of a 2.7 s no-op rebuild and of every kernel's start.
$(STAMP): pyproject.toml requirements.lock
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "twocreate needs Python >= 3.11")'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	@if $(BIN)/python -m pip install --quiet uv && $(BIN)/python -m uv --version >/dev/null 2>&1; then \
		echo "$(BIN)/python -m uv pip sync --compile-bytecode requirements.lock"; \
		$(BIN)/python -m uv pip sync --quiet --compile-bytecode --python $(BIN)/python requirements.lock; \
	else \
		echo "uv not available: $(BIN)/python -m pip install --require-hashes -r requirements.lock"; \
		$(BIN)/python -m pip install --quiet --require-hashes -r requirements.lock; \
	fi
	$(BIN)/python -m pip install --quiet --no-deps -e .
	$(BIN)/python -m ipykernel install --sys-prefix --name twocreate --display-name "Python (twocreate)" >/dev/null
	touch $(STAMP)

# rewrite the lock from pyproject.toml's ranges (the newest releases they admit), then `make venv`
lock: $(STAMP)
	$(BIN)/python -m uv pip compile pyproject.toml --extra test --extra scale --generate-hashes \
		--python-version 3.11 -o requirements.lock

reports: $(STAMP)
	$(BIN)/twocreate run $(RUN_ARGS)

test: $(STAMP)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# the edit-test loop: everything but the end-to-end, browser, fuzz and slow tests (markers in pyproject.toml),
# spread over the machine's cores by pytest-xdist (FAST_WORKERS=0 runs them in this process, for pdb)
FAST_WORKERS ?= auto
test-fast: $(STAMP)
	$(BIN)/python -m pytest -m "not e2e and not browser and not fuzz and not slow" -n $(FAST_WORKERS) $(PYTEST_ARGS)

# JupyterLab on notebooks/ with the project's kernel and settings (jupyter_server_config.py); as root (a
# container) with --allow-root, which Jupyter otherwise refuses; LAB_ARGS="--port=8899 --no-browser" for more
lab: $(STAMP)
	$(BIN)/jupyter lab --config=jupyter_server_config.py $(if $(filter 0,$(shell id -u)),--allow-root) $(LAB_ARGS)

bench: $(STAMP)
	$(BIN)/python benchmarks/bench_runner.py
	$(BIN)/python benchmarks/bench_enterprise.py

clean-venv:
	rm -rf $(VENV)
