#!/usr/bin/env bash
# Benchmarks: every bench/bench_*.py, or the ones named (make bench ONLY="search cases").
# They run on real data volumes and are never part of `make test`. Results go to bench-results/.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p bench-results
names=${ONLY:-}
if [ -z "$names" ]; then
  names=$(ls bench/bench_*.py 2>/dev/null | sed 's#bench/bench_##; s#\.py$##')
fi
for name in $names; do
  printf '\n\033[1m== benchmark: %s\033[0m\n' "$name"
  .venv/bin/python "bench/bench_${name}.py" "$@"
done
