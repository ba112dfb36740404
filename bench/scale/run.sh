#!/usr/bin/env bash
# Scale benchmark (issue 18): predictions and log_batch through haproxy with 1, 2, 3 Ferry replicas on one
# PostgreSQL, and artifact throughput on a local folder vs S3. Run from anywhere; options are passed to bench.mjs
# (see --help); each also has a BENCH_* variable. Needs haproxy (apt-get install -y --no-install-recommends haproxy)
# and, for the S3 sides, versitygw (scripts/s3-test-server.sh build).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
if [[ ! -f dist/main.js || -n "${BENCH_BUILD:-}" ]]; then
  echo "bench: building Ferry (npm run build)" >&2
  npm run build --silent >&2 || { echo "bench: build reported errors; emitting anyway (tsc -p tsconfig.build.json)" >&2; npx tsc -p tsconfig.build.json >&2 || true; }
fi
exec node "$ROOT/bench/scale/bench.mjs" "$@"
