#!/usr/bin/env bash
# Serving benchmark: raw onnxruntime-node vs Ferry vs `mlflow models serve`. Run from anywhere; options are
# passed to bench.mjs (see --help); each also has a BENCH_* variable.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
if [[ ! -f dist/main.js || -n "${BENCH_BUILD:-}" ]]; then
  echo "bench: building Ferry (npm run build)" >&2
  npm run build --silent >&2
fi
exec node "$ROOT/bench/serving/bench.mjs" "$@"
