#!/usr/bin/env bash
# A/B report benchmark: Ferry's report over N units and M outcome events on SQLite against pandas + gbstats.
# Options are passed to bench.mjs (see --help); each also has a BENCH_* variable.
# Needs the repo's .venv with pandas, pyarrow and gbstats 0.8.0 (scripts/test.sh creates it).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
if [[ ! -f dist/main.js || -n "${BENCH_BUILD:-}" ]]; then
  echo "bench: building Ferry (npm run build)" >&2
  npm run build --silent >&2 || { echo "bench: build reported errors; emitting anyway (tsc -p tsconfig.build.json)" >&2; npx tsc -p tsconfig.build.json >&2 || true; }
fi
exec node "$ROOT/bench/abtest/bench.mjs" "$@"
