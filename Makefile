# Options Room: `make run` to try it, `make test` to test it. Both set up what they need.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1:8000

.PHONY: run test test-fast bench clean

$(VENV)/.installed: requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

# The development server with the demo case and a demo facilitator account.
run: $(VENV)/.installed
	DEBUG=1 $(PY) manage.py migrate --no-input
	DEBUG=1 $(PY) manage.py createcachetable
	DEBUG=1 $(PY) manage.py setup_demo
	DEBUG=1 $(PY) manage.py runserver $(HOST)

# The whole suite: unit, client and browser tests (browser tests need /usr/bin/chromium).
test: $(VENV)/.installed
	SECRET_KEY=test-only-secret $(PY) manage.py check --fail-level WARNING
	SECRET_KEY=test-only-secret $(PY) manage.py makemigrations --check --dry-run
	SECRET_KEY=test-only-secret $(VENV)/bin/pytest

bench: $(VENV)/.installed
	for f in bench/bench_*.py; do SECRET_KEY=bench-only $(PY) $$f || exit 1; done

clean:
	rm -rf $(VENV) db.sqlite3* test-db.sqlite3* staticfiles .pytest_cache
