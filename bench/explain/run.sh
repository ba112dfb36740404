#!/usr/bin/env bash
# TreeSHAP benchmark: Ferry's interventional TreeSHAP on an ONNX GBDT against shap's TreeExplainer on the same model.
# Options are passed to bench.mjs (see --help); each also has a BENCH_* variable.
# Needs the repo's .venv with scikit-learn, skl2onnx and shap 0.51.0 (scripts/test.sh creates it).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
if [[ ! -f dist/main.js || -n "${BENCH_BUILD:-}" ]]; then
  echo "bench: building Ferry (npm run build)" >&2
  npm run build --silent >&2 || { echo "bench: build reported errors; emitting anyway (tsc -p tsconfig.build.json)" >&2; npx tsc -p tsconfig.build.json >&2 || true; }
fi
exec node "$ROOT/bench/explain/bench.mjs" "$@"
