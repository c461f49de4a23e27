# One entry point for people and CI. See README.md.
#   make book [YEAR=2025] [FOCUS=Horsens] [COMPARE="Randers Silkeborg Vejle Hele landet"]
#                           validate data, execute notebooks (papermill), build _build/html
#   make pdf [YEAR=…] [FOCUS=…] [COMPARE=…]
#                           the same edition (cached as make book), then its A4 print edition
#                           in _build/pdf/<title>-<year>.pdf (needs Chromium; docs/publishing.md)
#   make test               unit, data, backtest, nbval and build tests (as CI)
#   make check              the quick tier while working: validation, fast tests, changed notebooks
#   make notebook NB=name   one notebook re-validated as CI does, differences said in words
#   make notebooks [NB=name]  re-execute the committed notebooks (or only NB) in place
#   make plan YEAR=2025     what an edition needs, what data/ has, what it will show
#   make bench [YEAR=2024]  cold, no-change and one-notebook build times, beside Jupyter Book's cache mode
# Unset YEAR, FOCUS and COMPARE default to edition.yml, the one place that declares them.
# NB names a notebook (its file stem) for every target that takes one.
YEAR ?=
FOCUS ?=
COMPARE ?=
NB ?=

# A variable given on the command line that no target reads is refused before anything runs
# (a typo would otherwise be ignored in silence: `make notebooks NOTEBOOK=x` ran all nine).
KNOWN_VARIABLES := YEAR FOCUS COMPARE NB DATASET DRY_RUN INCOMING_ONLY ALLOW_LOSS PYTHON
GIVEN_VARIABLES := $(foreach w,$(MAKEOVERRIDES),$(if $(findstring =,$(w)),$(firstword $(subst +, ,$(subst :, ,$(subst =, ,$(w)))))))
UNKNOWN_VARIABLES := $(filter-out $(KNOWN_VARIABLES),$(GIVEN_VARIABLES))
ifneq ($(filter NOTEBOOK,$(UNKNOWN_VARIABLES)),)
$(error NOTEBOOK= is now NB=, as for make notebook: make notebooks NB=$(NOTEBOOK))
endif
ifneq ($(UNKNOWN_VARIABLES),)
$(error unknown variable $(UNKNOWN_VARIABLES): make reads $(KNOWN_VARIABLES) (docs/working.md))
endif
NOTEBOOK_NAMES := $(sort $(basename $(notdir $(wildcard notebooks/*.ipynb))))
ifneq ($(filter-out $(NOTEBOOK_NAMES),$(NB)),)
$(error no notebook $(filter-out $(NOTEBOOK_NAMES),$(NB)) in notebooks/: NB is one of $(NOTEBOOK_NAMES))
endif
BUILD_ARGS = $(if $(YEAR),--year $(YEAR)) $(if $(FOCUS),--focus "$(FOCUS)") \
	$(if $(COMPARE),--compare $(foreach a,$(subst Hele landet,Hele_landet,$(COMPARE)),"$(subst _, ,$(a))"))
PYTHON ?= $(shell command -v python3.11 || command -v python3)
# Python keeps the package's and the tests' compiled bytecode (in __pycache__/, ignored by
# git) even where the environment says not to: every build, kernel and test worker would
# otherwise compile them again (docs/speed.md).
unexport PYTHONDONTWRITEBYTECODE
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp

.PHONY: book pdf test check notebook bench validate checksums notebooks data plan clean

# Create the virtual environment and install the pinned requirements and the package.
$(STAMP): requirements.txt pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps -e .
	@touch $(STAMP)

book: $(STAMP)
	$(PY) -m labour_market_book build $(BUILD_ARGS)

# The print edition: the edition's site (as make book), printed to A4 by Chromium.
pdf: $(STAMP)
	$(PY) -m labour_market_book pdf $(BUILD_ARGS)

# On every core (pytest-xdist): a test file's tests stay on one worker (a notebook's nbval
# cells share its kernel; a module's fixtures are made once), and each edition the tests
# read is built once per run for all workers (tests/conftest.py).
XDIST = -n auto --dist loadfile
test: $(STAMP)
	$(PY) -m pytest $(XDIST)

# The quick tier while working (seconds): data validation, the tests that need no book build
# and start no kernel, and nbval of the notebooks changed since the last commit only.
CHANGED_NOTEBOOKS = $(shell git status --porcelain -- notebooks/*.ipynb 2>/dev/null | awk '{print $$2}')
check: $(STAMP)
	$(PY) -m labour_market_book validate > /dev/null
	$(PY) -m pytest tests -m "not slow" -q $(XDIST) $(CHANGED_NOTEBOOKS)

# One notebook re-validated as CI does, with what differs said in words:
#   make notebook NB=ledigheden
notebook: $(STAMP)
	$(if $(filter 1,$(words $(NB))),,$(error make notebook checks one notebook: make notebook NB=<name>, one of $(NOTEBOOK_NAMES)))
	$(PY) -m labour_market_book check-notebook $(NB)

bench: $(STAMP)
	$(PY) -m labour_market_book bench $(if $(YEAR),--year $(YEAR))

# What an edition needs, what data/ has of it, and what it will show; writes nothing.
#   make plan YEAR=2025 [FOCUS=Horsens] [COMPARE="Randers Vejle Hele landet"]
plan: $(STAMP)
	$(PY) -m labour_market_book plan $(BUILD_ARGS)

validate: $(STAMP)
	$(PY) -m labour_market_book validate

# After an intended change to a data file: re-validate it and seal its new checksum.
#   make checksums [ALLOW_LOSS=1]   (ALLOW_LOSS: seal even when a dataset stops serving the
#                                    default edition's periods; refused otherwise)
checksums: $(STAMP)
	$(PY) -m labour_market_book checksums $(if $(ALLOW_LOSS),--allow-lost-editions)

# Fetch the datasets whose sidecars declare a query from Statistikbanken / Jobindsats, and
# read CSV files saved by hand into data/incoming/.
#   make data YEAR=2025 [DATASET=unemployment_aus08] [DRY_RUN=1] [INCOMING_ONLY=1]
data: $(STAMP)
	$(PY) -m labour_market_book data $(if $(YEAR),--year $(YEAR)) $(if $(DRY_RUN),--dry-run) \
		$(if $(DATASET),--dataset $(DATASET)) $(if $(INCOMING_ONLY),--incoming-only)

# Re-execute the committed notebooks in place (default parameters), for nbval; with NB only
# those (several: NB="ledigheden indkomstoverfoersler").
#   make notebooks [NB=ledigheden]
notebooks: $(STAMP)
	$(PY) -m labour_market_book execute-committed $(NB)

clean:
	rm -rf _build
