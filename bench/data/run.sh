#!/usr/bin/env bash
# Profiling benchmark: Ferry's profileTable vs pandas (read_csv + describe + value_counts) vs whylogs, on generated
# CSVs (default 1M and 5M rows × 20 columns, cached in bench/data/.cache). Run from anywhere; options are passed to
# bench.mjs (see --help); each also has a BENCH_* variable. Builds Ferry when dist/ is missing or older than a
# source file (BENCH_BUILD=1 forces it); creates bench/data/.venv (pandas<3, whylogs 1.6.4) on first use unless
# --skip-python or BENCH_DATA_PYTHON is given. A smoke run (--smoke, BENCH_SMOKE=1) builds only when dist/ is missing
# and never creates the venv: it checks that the benchmark works, and its peers run only where already installed.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
skip=0
smoke=0
for arg in "$@"; do [[ "$arg" == "--skip-python" || "$arg" == "--help" ]] && skip=1; [[ "$arg" == "--smoke" ]] && smoke=1; done
[[ "${BENCH_SKIP_PYTHON:-}" =~ ^(1|true|yes)$ ]] && skip=1
[[ "${BENCH_SMOKE:-}" =~ ^(1|true|yes)$ ]] && smoke=1
[[ $smoke == 1 ]] && skip=1
if [[ " $* " != *" --help "* ]]; then
  stale=""
  # The entry point resolves only when the file it names was built.
  [[ -f dist/main.js ]] && node -e 'require.resolve("ferry/data/table")' 2>/dev/null || stale="dist/ is missing"
  [[ -z "$stale" && $smoke == 0 ]] && newer="$(find src -name '*.ts' ! -name '*.test.ts' -newer dist/main.js -print -quit)" && [[ -n "$newer" ]] && stale="$newer is newer than dist/"
  [[ -n "${BENCH_BUILD:-}" ]] && stale="BENCH_BUILD is set"
  if [[ -n "$stale" ]]; then
    echo "bench: building Ferry (npm run build): $stale" >&2
    npm run build --silent >&2 || { echo "bench: build reported errors; emitting anyway (tsc -p tsconfig.build.json)" >&2; npx tsc -p tsconfig.build.json >&2 || true; }
  fi
fi
VENV="$ROOT/bench/data/.venv"
if [[ $skip == 0 && -z "${BENCH_DATA_PYTHON:-}" && ! -x "$VENV/bin/python" ]]; then
  echo "bench: creating $VENV (pip install -r bench/data/requirements.txt)" >&2
  "${PYTHON:-python3}" -m venv "$VENV"
  if ! "$VENV/bin/pip" install -q -r "$ROOT/bench/data/requirements.txt" >&2; then
    # Keep what did install (pandas alone is still a baseline); bench.mjs probes each import and prints what is missing.
    echo "bench: pip could not install everything in bench/data/requirements.txt; the tools that fail to import are left out and named in the output" >&2
  fi
fi
exec node "$ROOT/bench/data/bench.mjs" "$@"
