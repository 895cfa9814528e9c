# Shortcuts; each calls dev.py, which needs only Python 3.11 (make itself is optional).
.PHONY: run test lint typecheck check messages lock smoke bench bench-data

run:            ## serve the portal with demo data at http://127.0.0.1:8000 (embedded PostgreSQL + Valkey)
	python3 dev.py run

test:           ## run the whole test suite (embedded PostgreSQL + Valkey unless DATABASE_URL/REDIS_URL are set)
	python3 dev.py test

lint:           ## ruff, as CI runs it
	.venv/bin/ruff check . && .venv/bin/ruff format --check .

typecheck:      ## mypy over the services, selectors and workflows, as CI runs it ([tool.mypy] in pyproject.toml)
	.venv/bin/mypy

check:          ## Django system checks, migrations up to date, OpenAPI schema valid
	.venv/bin/python manage.py check && .venv/bin/python manage.py makemigrations --check --dry-run && \
	.venv/bin/python manage.py spectacular --validate --fail-on-warn --file /dev/null

messages:       ## refresh and compile the Chinese catalogue (needs GNU gettext)
	.venv/bin/python manage.py makemessages -l zh_Hans --ignore=.venv --ignore=var --ignore=static/vendor --no-obsolete
	.venv/bin/python manage.py compilemessages --ignore=.venv

lock:           ## re-pin all dependencies from pyproject.toml
	bash scripts/lock.sh

smoke:          ## what CI does to the embedded default: start, health, sign in, Ctrl-C, nothing left
	python3 scripts/smoke_embedded.py

bench-data:     ## fill BENCH_DATABASE_URL's database (empty, migrated) with 20,000 enterprises and their history
	DATABASE_URL=$(BENCH_DATABASE_URL) .venv/bin/python manage.py migrate --no-input -v 0
	DATABASE_URL=$(BENCH_DATABASE_URL) .venv/bin/python bench/generate.py --enterprises 20000

bench:          ## p50/p95 server time and query count of the heavy pages on BENCH_DATABASE_URL (bench/README.md)
	DATABASE_URL=$(BENCH_DATABASE_URL) .venv/bin/python bench/run.py --repeat 30
