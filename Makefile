# Hongfan — the two commands: `make demo` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
SIZE   ?= hospital
BENCH_SIZE ?= large
HOST   ?= 127.0.0.1:8000
PYTEST_ARGS ?=
# xdist workers for make test (each has its own test database); PYTEST_WORKERS=0 runs serially.
PYTEST_WORKERS ?= 2
export PIP_DISABLE_PIP_VERSION_CHECK=1

.PHONY: demo test setup messages lint typecheck check-deploy bench clean

## demo: create the environment, install everything, migrate SQLite, load the demo hospital, serve it
demo: setup
	mkdir -p var
	$(BIN)/python manage.py migrate --no-input
	$(BIN)/python manage.py seed_demo --size $(SIZE)
	$(BIN)/python manage.py serve_demo --addr $(HOST)

## test: the whole suite (lint, migrations check, unit + integration + browser tests)
test: setup
	$(BIN)/ruff check .
	$(BIN)/python manage.py makemigrations --check --dry-run --settings=hongfan.test_settings
	$(BIN)/pytest -n $(PYTEST_WORKERS) --dist loadgroup $(PYTEST_ARGS)

setup: $(VENV)/.installed node_modules/.installed messages

$(VENV)/.installed: pyproject.toml
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e ".[dev]"
	touch $@

node_modules/.installed: package.json
	npm install --no-audit --no-fund
	touch $@

messages: $(VENV)/.installed
	$(BIN)/python manage.py compile_translations

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: setup
	$(BIN)/mypy hongfan

## check-deploy: Django's deployment checklist with production settings
check-deploy: setup
	HONGFAN_ENV=production SECRET_KEY=ci-$$(date +%s)-check-deploy-secret-key-long-enough-0123456789abcdef \
	  FIELD_ENCRYPTION_KEY=$$($(BIN)/python -c "import base64,os;print(base64.b64encode(os.urandom(32)).decode())") \
	  DATABASE_URL=sqlite:///var/check.sqlite3 ALLOWED_HOSTS=hongfan.example.org \
	  $(BIN)/python manage.py check --deploy --fail-level WARNING

## bench: the performance benchmarks (figures in docs/performance.md); BENCH_SIZE=hospital for a quicker run
bench: setup
	$(BIN)/python -m benchmarks.run_all --size $(BENCH_SIZE) $(BENCH_ARGS)

clean:
	rm -rf $(VENV) node_modules staticfiles var/test-media
