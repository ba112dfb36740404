#!/usr/bin/env bash
# Jobs benchmark: the durable queue on SQLite and PostgreSQL, and Ferry's added latency per job over a real Ray
# head's own job submission. Run from anywhere; options are passed to bench.mjs (see --help); each also has a
# BENCH_* variable. Needs the repo's .venv with ray[default] for part 2 (scripts/test.sh creates it).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
if [[ ! -f dist/main.js || -n "${BENCH_BUILD:-}" ]]; then
  echo "bench: building Ferry (npm run build)" >&2
  npm run build --silent >&2 || { echo "bench: build reported errors; emitting anyway (tsc -p tsconfig.build.json)" >&2; npx tsc -p tsconfig.build.json >&2 || true; }
fi
exec node "$ROOT/bench/jobs/bench.mjs" "$@"
