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
# names; none for a plan without one); a file of yours; DISBURSEMENTS= (empty) for none
DISBURSEMENTS ?= plan
# the plan: an id of data/raw/plans/ or a plan folder; default every plan of data/raw/plans/ ("all"),
# or the default plan when you give an input file of your own (an input file belongs to one plan)
PLAN ?= $(if $(strip $(OBSERVATIONS)$(SHEET)$(TASKS)$(filter-out plan,$(DISBURSEMENTS))),,all)
# every year of the plan period; YEAR=2018 for one
YEAR ?= all
LANGS ?= all
JOBS ?=
FORCE ?=
PYTEST_ARGS ?=

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

.PHONY: reports test lab bench venv clean-venv help

help:
	@echo "make reports   build every report of every plan in data/raw/plans/, over all its years, on the shipped data"
	@echo "               (OBSERVATIONS=file.csv|xlsx [SHEET=name], TASKS=, DISBURSEMENTS= to use your files;"
	@echo "               YEAR=2018 for one year; PLAN=jinan-2025-private-economy for one plan;"
	@echo "               only reports whose inputs changed are rebuilt, FORCE=1 rebuilds all)"
	@echo "make test      run the test suite"
	@echo "make lab       open JupyterLab on notebooks/ with the project's kernel"
	@echo "make bench     run the benchmarks (prints figures)"

venv: $(STAMP)

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "twocreate needs Python >= 3.11")'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,scale]'
	$(BIN)/python -m ipykernel install --sys-prefix --name twocreate --display-name "Python (twocreate)" >/dev/null
	touch $(STAMP)

reports: $(STAMP)
	$(BIN)/twocreate run $(RUN_ARGS)

test: $(STAMP)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lab: $(STAMP)
	$(BIN)/jupyter lab --notebook-dir=notebooks

bench: $(STAMP)
	$(BIN)/python benchmarks/bench_runner.py
	$(BIN)/python benchmarks/bench_enterprise.py

clean-venv:
	rm -rf $(VENV)
