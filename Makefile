# Two commands for a newcomer (README): `make demo` and `make test`. Everything else is a helper.
PYTHON ?= python3.11
VENV := .venv
VPY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-tests

DBT_VENV := .venv-dbt
DBT_STAMP := $(DBT_VENV)/.installed

.PHONY: demo analytics lint test test-fast container-test install wheels image clean

# Virtual environment with the connector and the sandbox (two distributions, both editable) and the test extras.
# Reinstalled only when either setup file changes.
$(STAMP): setup.py sandbox/setup.py
	@command -v $(PYTHON) >/dev/null || { echo "make: $(PYTHON) not found on PATH (Python 3.11 is required)"; exit 1; }
	@test -x $(VPY) || $(PYTHON) -m venv $(VENV) || { \
		echo "make: '$(PYTHON) -m venv' failed; on Debian install python3.11-venv first"; rm -rf $(VENV); exit 1; }
	@echo "make: installing the connector and its test tools into $(VENV) (a first install takes a few minutes)"
	@$(PYTHON) scripts/demo_install.py $(VPY) -e '.[tests]'
	@# The sandbox second: a venv from before the split loses the zendesk-sandbox script when the connector is reinstalled.
	@echo "make: installing the sandbox"
	@$(PYTHON) scripts/demo_install.py $(VPY) -e ./sandbox
	@touch $@

install: $(STAMP)

# Sandbox + spec/check/discover/full read/incremental read through the real entrypoint; output in .demo/
demo: $(STAMP)
	$(VPY) scripts/demo.py

# dbt and its adapters in a virtual environment of their own (analytics/requirements.txt): not connector dependencies.
$(DBT_STAMP): analytics/requirements.txt
	@test -x $(DBT_VENV)/bin/python || $(PYTHON) -m venv $(DBT_VENV)
	@echo "make: installing dbt into $(DBT_VENV)"
	@$(DBT_VENV)/bin/python -m pip install -q -r analytics/requirements.txt
	@touch $@

# Sync the demo account (or CONFIG=path) into DuckDB (.demo/zendesk.duckdb) or DESTINATION=postgresql://..., build
# fivetran/zendesk on it with dbt, print the headline figures and write .demo/report.html.
analytics: $(STAMP) $(DBT_STAMP)
	$(VPY) scripts/analytics.py --dbt $(DBT_VENV)/bin/dbt $(if $(CONFIG),--config $(CONFIG)) $(if $(DESTINATION),--destination '$(DESTINATION)')

# Whole suite except the container check, on every core (pytest-xdist). --dist loadfile keeps a module on one
# worker, so its module-scoped sandboxes start once and the dbt tests never share analytics/target. Files go out
# in collection order (not reordered by test count, which would leave the long analytics module for last).
# integration_tests after unit_tests: its modules import `conftest`, the last one loaded. pytest exits 5 when it
# collected nothing: that is a failure here.
test: lint $(DBT_STAMP)
	@$(VPY) -m pytest -n auto --dist loadfile --no-loadscope-reorder -m "not image_tests and not container" \
		unit_tests integration_tests bench; rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "make test: pytest collected no tests - failing"; exit 1; fi; exit $$rc

# Lint, format and types (pyproject.toml): ruff on everything, mypy on the connector and the sandbox.
lint: $(STAMP)
	@$(VENV)/bin/ruff check .
	@$(VENV)/bin/ruff format --check .
	@$(VENV)/bin/mypy

# The fast tier, for every commit: unit tests that start no process and open no socket (a test that tries fails
# under ZENDESK_TEST_TIER=fast, naming the `process` marker it lacks).
test-fast: lint
	@ZENDESK_TEST_TIER=fast $(VPY) -m pytest -q -m "not process and not image_tests and not container" unit_tests

# Builds the image (private dockerd, debootstrap base) and runs spec/check/discover/read in it. Needs root.
container-test: $(STAMP)
	@$(VPY) -m pytest -m container -rs integration_tests/test_container.py; rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "make container-test: pytest collected no tests - failing"; exit 1; fi; exit $$rc

wheels: $(STAMP)
	PYTHON=$(VPY) scripts/build_wheels.sh

clean:
	rm -rf .demo build dist wheels .tmp analytics/target analytics/dbt_packages analytics/logs
