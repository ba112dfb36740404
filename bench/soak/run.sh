#!/usr/bin/env bash
# The soak: a real `ferry server` under a mixed workload at half the rate it can sustain, for 30 minutes by default
# (`npm run test:soak`; `--minutes 3` is the version CI runs). Options are passed to soak.mjs (see --help).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
if [[ ! -f dist/main.js || -n "${BENCH_BUILD:-}" ]]; then
  echo "bench: building Ferry (npm run build)" >&2
  npm run build --silent >&2
fi
# The load on core 0 and the server on the others (soak.mjs pins it), so they do not fight for the same core.
if command -v taskset >/dev/null && [[ "$(nproc)" -ge 2 ]]; then
  exec taskset -c 0 node "$ROOT/bench/soak/soak.mjs" "$@"
fi
exec node "$ROOT/bench/soak/soak.mjs" "$@"
