#!/usr/bin/env bash
# Drift benchmark: Ferry's drift report vs Evidently's DataDriftPreset. Run from anywhere; options are passed
# to bench.mjs (see --help); each also has a BENCH_* variable. Creates bench/drift/.venv (evidently 0.7.23)
# on first use unless --skip-evidently, --smoke or BENCH_DRIFT_PYTHON is given.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
if [[ ! -f dist/main.js || -n "${BENCH_BUILD:-}" ]]; then
  echo "bench: building Ferry (npm run build)" >&2
  npm run build --silent >&2 || { echo "bench: build reported errors; emitting anyway (tsc -p tsconfig.build.json)" >&2; npx tsc -p tsconfig.build.json >&2 || true; }
fi
skip=0
# A smoke run never installs Evidently: it runs it only where bench/drift/.venv already exists.
for arg in "$@"; do [[ "$arg" == "--skip-evidently" || "$arg" == "--help" || "$arg" == "--smoke" ]] && skip=1; done
[[ "${BENCH_SKIP_EVIDENTLY:-}" =~ ^(1|true|yes)$ || "${BENCH_SMOKE:-}" =~ ^(1|true|yes)$ ]] && skip=1
VENV="$ROOT/bench/drift/.venv"
if [[ $skip == 0 && -z "${BENCH_DRIFT_PYTHON:-}" && ! -x "$VENV/bin/python" ]]; then
  echo "bench: creating $VENV (pip install -r bench/drift/requirements.txt)" >&2
  "${PYTHON:-python3}" -m venv "$VENV"
  "$VENV/bin/pip" install -q -r "$ROOT/bench/drift/requirements.txt" >&2 || {
    echo "bench: could not install evidently; rerun with --skip-evidently for Ferry alone" >&2
    rm -rf "$VENV"
    exit 2
  }
fi
exec node "$ROOT/bench/drift/bench.mjs" "$@"
