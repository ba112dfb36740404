#!/usr/bin/env bash
# Ferry vs MLflow tracking benchmark. Run from anywhere; options are passed to bench.py (see --help).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
PY="${BENCH_PYTHON:-$ROOT/.venv/bin/python}"
if [[ ! -x "$PY" ]]; then
  echo "bench: no Python at $PY; create the venv with mlflow (full package) or set BENCH_PYTHON" >&2
  exit 2
fi
if [[ ! -f dist/main.js || -n "${BENCH_BUILD:-}" ]]; then
  echo "bench: building Ferry (npm run build)" >&2
  npm run build --silent >&2
fi
exec "$PY" "$ROOT/bench/tracking/bench.py" "$@"
