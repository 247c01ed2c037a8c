# netbox_librenms.sync: one entry point for the toolchain, the real-service harness and the tests.
# `make test` on a fresh machine installs what it needs (Python venv, Debian packages, NetBox) by itself.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

ROOT := $(CURDIR)
VENV := $(ROOT)/.venv
PY := $(VENV)/bin/python
COLLECTION_LINK := $(ROOT)/collections/ansible_collections/netbox_librenms/sync
# Two pytest-xdist workers, each with its own services (tests/integration/conftest.py): on 2 cores one
# run of the suite keeps about one core busy.
INTEGRATION_WORKERS ?= 2

# The checkout is the collection: Ansible finds it through the gitignored collections/ tree, and runs
# modules with the venv's Python (pyenv shims break Ansible's interpreter discovery here).
export ANSIBLE_COLLECTIONS_PATH := $(ROOT)/collections
export ANSIBLE_PYTHON_INTERPRETER := $(PY)
export PATH := $(VENV)/bin:$(PATH)

.PHONY: help setup demo test ruff units integration sanity package ansible-lint molecule services-up services-down services-status bench lock clean

help:  ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-16s %s\n", $$1, $$2}'

setup: $(VENV)/.installed $(COLLECTION_LINK)  ## create .venv from the pinned requirements and the collections tree

$(VENV)/.installed: requirements.txt requirements-dev.txt constraints.txt
	@py=$$(python3 -m harness python312) && rm -rf $(VENV) && "$$py" -m venv $(VENV)
	@echo "installing the pinned toolchain into .venv (log: .venv/pip.log)"
	@$(VENV)/bin/pip install -r requirements-dev.txt -c constraints.txt > $(VENV)/pip.log 2>&1 \
	  || { tail -n 5 $(VENV)/pip.log; echo "make: pip install failed, see .venv/pip.log" >&2; exit 1; }
	@touch $@

$(COLLECTION_LINK):
	@mkdir -p $(dir $@) && ln -sfn ../../.. $@

demo: setup  ## the main job: services up, NetBox seeded, playbooks/import.yml run twice (services keep running)
	$(PY) -m harness.demo

test: setup  ## everything CI runs: ruff, units, sanity, package and ansible-lint while the services start, then integration and molecule
	hacking/test.sh

ruff: setup  ## lint Python with ruff
	ruff check .

units: setup  ## unit tests (pure functions, no services) and the harness's own tests
	pytest -q tests/unit tests/harness

integration: setup  ## integration tests against real NetBox, PostgreSQL, Redis and the LibreNMS simulator
	pytest -q -n $(INTEGRATION_WORKERS) --dist loadfile tests/integration

sanity: setup  ## ansible-test sanity from a real ansible_collections tree
	hacking/sanity.sh

package: setup  ## build the tarball into build/, install it offline, ansible-doc, docs lint, EE requirements (ansible-builder)
	$(PY) hacking/package.py

ansible-lint: setup  ## ansible-lint, production profile, offline
	ansible-lint

molecule: setup  ## the worker and import roles' molecule scenarios (converge, idempotence, verify) against the harness
	molecule test -s worker && molecule test -s import

services-up: setup  ## start the services (NetBox, PostgreSQL, Redis, LibreNMS simulator) and leave them running
	$(PY) -m harness up

services-down:  ## stop the services and drop their data (the NetBox install and snapshot stay cached)
	@if [ -x $(PY) ]; then $(PY) -m harness down; fi

services-status:  ## show which services answer
	$(PY) -m harness status

bench: setup  ## benchmarks against raw NetBox/LibreNMS and netbox.netbox; writes BENCHMARKS.md (not part of test)
	$(PY) -m bench

lock: setup  ## re-pin constraints.txt from what .venv resolved
	$(VENV)/bin/pip freeze --all --exclude pip --exclude-editable | grep -v "^-e" > constraints.txt

clean: services-down  ## remove generated files (keeps the NetBox cache in .cache)
	rm -rf $(VENV) build collections tests/output .pytest_cache .ruff_cache
