#!/usr/bin/env bash
# Serving benchmark: raw onnxruntime-node vs Ferry vs MLServer, BentoML and `mlflow models serve`. Run from anywhere;
# options are passed to bench.mjs (see --help); each also has a BENCH_* variable.
# A full run creates the peers' venv (bench/serving/.venv-peers, from peers-requirements.txt) on first use; a smoke
# run (--smoke or BENCH_SMOKE=1) installs nothing and leaves out a peer whose venv is missing.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
if [[ ! -f dist/main.js || -n "${BENCH_BUILD:-}" ]]; then
  echo "bench: building Ferry (npm run build)" >&2
  npm run build --silent >&2
fi
smoke=0
[[ " $* " == *" --smoke "* || "${BENCH_SMOKE:-}" =~ ^(1|true|yes)$ ]] && smoke=1
peers="${BENCH_PEERS_VENV:-bench/serving/.venv-peers}"
python="${BENCH_PYTHON:-.venv/bin/python}"
if [[ $smoke == 0 && ! -x "$peers/bin/mlserver" && ! " $* " == *" --help "* ]]; then
  if [[ -x "$python" ]]; then
    echo "bench: creating $peers (MLServer, BentoML: bench/serving/peers-requirements.txt; a few minutes, once)" >&2
    # The venv's Python is the repo venv's, so the model file trained there loads here.
    if ! { "$python" -m venv "$peers" && "$peers/bin/pip" install --quiet -r bench/serving/peers-requirements.txt >&2; }; then
      echo "bench: installing the peers failed; MLServer and BentoML will be left out" >&2
      rm -rf "$peers"
    fi
  else
    echo "bench: no $python to create $peers from; MLServer and BentoML will be left out" >&2
  fi
fi
exec node "$ROOT/bench/serving/bench.mjs" "$@"
