#!/usr/bin/env bash
# Every check Tongban has, in the order a failure is cheapest to find: lint, types, import contracts,
# then the whole pytest suite on SQLite and again on PostgreSQL. Benchmarks are not part of this.
#   TONGBAN_TEST_PG_URL  PostgreSQL server for the second run (default: the local server, user postgres).
#   CI=true              the PostgreSQL run is mandatory: an unreachable server fails the run.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=.venv/bin
step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

step "ruff"
$VENV/ruff check .
$VENV/ruff format --check .
step "mypy (strict, django-stubs)"
$VENV/mypy src
step "import-linter (context map)"
$VENV/lint-imports
step "migrations are complete"
$VENV/tongban makemigrations --check --dry-run >/dev/null

pg_url=${TONGBAN_TEST_PG_URL:-postgres://postgres@127.0.0.1:5432/tongban}
pg_reachable() {
  $VENV/python - "$pg_url" <<'PY'
import sys, psycopg, dj_database_url
c = dj_database_url.parse(sys.argv[1])
try:
    psycopg.connect(host=c["HOST"] or None, port=c["PORT"] or None, user=c["USER"] or None,
                    password=c["PASSWORD"] or None, dbname="postgres", connect_timeout=5).close()
except Exception as exc:
    print(f"PostgreSQL at {c['HOST']}:{c['PORT']} is not reachable: {exc}", file=sys.stderr)
    sys.exit(1)
PY
}
run_pg=1
if ! pg_reachable; then
  if [ "${CI:-}" = "true" ]; then
    echo "CI=true: the PostgreSQL run is mandatory and the server is not reachable." >&2
    exit 1
  fi
  echo "Skipping the PostgreSQL run (set TONGBAN_TEST_PG_URL, or start PostgreSQL)." >&2
  run_pg=0
fi

step "pytest on SQLite"
DATABASE_URL= $VENV/pytest "$@"

if [ "$run_pg" = 1 ]; then
  step "pytest on PostgreSQL ($pg_url)"
  DATABASE_URL="$pg_url" $VENV/pytest "$@"
fi
