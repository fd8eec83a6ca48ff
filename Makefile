# Two commands for a newcomer: `make run` and `make test`. Everything else is called by them.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
HOST ?= 127.0.0.1
PORT ?= 8000
MANAGE := $(BIN)/python manage.py

.PHONY: run test serve lint format install setup demo browser-deps clean

$(STAMP): pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.lock
	touch $(STAMP)

install: $(STAMP)

setup: install
	mkdir -p var/outbox
	$(MANAGE) compile_locales
	$(MANAGE) migrate --noinput
	$(MANAGE) createcachetable

demo: setup
	$(MANAGE) load_demo
	$(MANAGE) sync_site

# Every absolute link (e-mails, feeds, canonical) uses the address `make run` serves on, unless SITE_URL is set.
run demo: export SITE_URL ?= http://$(HOST):$(PORT)

run: demo
	@echo ""
	@echo "  Transiscope portal: http://$(HOST):$(PORT)/  (English: http://$(HOST):$(PORT)/en/, admin: /admin/)"
	@echo "  Demo accounts, password 'transiscope-demo':"
	@$(MANAGE) shell -c "from accounts.demo import DEMO_ACCOUNTS; [print(f'    {a[0]:<42} {a[1]}') for a in DEMO_ACCOUNTS]"
	@echo "  E-mails sent by the portal are printed here and kept in var/outbox/."
	@echo ""
	@$(MANAGE) qcluster & QPID=$$!; \
	trap 'kill $$QPID 2>/dev/null; wait $$QPID 2>/dev/null' EXIT INT TERM; \
	$(MANAGE) runserver $(HOST):$(PORT)

test: install
	$(MANAGE) compile_locales
	$(BIN)/pytest -n 2 $(PYTEST_ARGS)

# Production (README, "Production"): production settings, set-up, gunicorn + worker in the foreground.
serve: install
	HOST=$(HOST) PORT=$(PORT) DJANGO_SETTINGS_MODULE=portal.settings.production $(BIN)/python bin/serve

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/djlint templates */templates --lint

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf var .pytest_cache
