#!/usr/bin/env bash
# Tracking benchmark: Ferry vs Python MLflow vs mlflow-go-backend (peers.py). Run from anywhere; options are passed
# to peers.py (see --help). `run.sh --classic [options]` runs the earlier Ferry-vs-MLflow benchmark (bench.py);
# `run.sh --setup-go` only makes the Go peer's venv. A full run makes that venv on first use; --smoke installs nothing.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
PY="${BENCH_PYTHON:-$ROOT/.venv/bin/python}"
GO_VENV="${BENCH_GO_VENV:-$ROOT/bench/tracking/.venv-go}"

# The Go peer in a venv of its own: mlflow-go-backend 0.2.2 (built 2025-05-30) imports TraceInfoV2, which only
# mlflow 3.0/3.1 has, and that mlflow fails to import SQLAlchemy 2.1; psycopg2 for PostgreSQL.
setup_go() {
  if [[ ! -x "$GO_VENV/bin/mlflow-go" ]]; then
    echo "bench: creating $GO_VENV (mlflow-go-backend 0.2.2, mlflow 3.0.1)" >&2
    "${BENCH_GO_PYTHON:-python3.11}" -m venv "$GO_VENV"
    "$GO_VENV/bin/pip" install -q mlflow-go-backend==0.2.2 mlflow==3.0.1 "sqlalchemy>=2.0,<2.1" psycopg2-binary==2.9.13 >&2
  fi
  # The Linux wheel ships its library as libmlflow-go-backend.dylib, but its loader asks for .so (and otherwise tries to
  # build it with Go); MLFLOW_GO_LIBRARY_PATH points the loader at these links.
  local pkg
  pkg="$("$GO_VENV/bin/python" -c 'import mlflow_go_backend, os; print(os.path.dirname(mlflow_go_backend.__file__))')"
  mkdir -p "$GO_VENV/go-lib"
  ln -sf "$pkg/libmlflow-go-backend.dylib" "$GO_VENV/go-lib/libmlflow-go-backend.so"
  ln -sf "$pkg/libmlflow-go-backend.h" "$GO_VENV/go-lib/libmlflow-go-backend.h"
}

SCRIPT=peers.py
SMOKE="${BENCH_SMOKE:-}"
ARGS=()
for arg in "$@"; do
  case "$arg" in
    --classic) SCRIPT=bench.py ;;
    --setup-go) setup_go; exit 0 ;;
    --smoke) SMOKE=1; ARGS+=("$arg") ;;
    *) ARGS+=("$arg") ;;
  esac
done
if [[ ! -x "$PY" ]]; then
  echo "bench: no Python at $PY; create the venv with mlflow (full package) or set BENCH_PYTHON" >&2
  exit 2
fi
if [[ "$SCRIPT" == peers.py && -z "$SMOKE" && ",${BENCH_PEERS:-go}," == *,go,* ]]; then
  setup_go
fi
if [[ ! -f dist/main.js || -n "${BENCH_BUILD:-}" ]]; then
  echo "bench: building Ferry (npm run build)" >&2
  npm run build --silent >&2
fi
# MLflow 3.x's client telemetry sets and unsets an environment variable from its own thread while requests reads the
# environment for proxies: a 20-client run failed on KeyError '_MLFLOW_TELEMETRY_SESSION_ID'. No telemetry here.
export MLFLOW_DISABLE_TELEMETRY=true DO_NOT_TRACK=true
exec "$PY" "$ROOT/bench/tracking/$SCRIPT" "${ARGS[@]}"
