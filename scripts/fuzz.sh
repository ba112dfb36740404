#!/usr/bin/env bash
# Fuzzes the live API from its own OpenAPI description with schemathesis: a real `ferry server` (built dist/)
# with the contract check on, an admin token, every operation, a bounded number of examples each.
# Passes when there is no 5xx, no answer that violates its schema (status, content type, body), and the
# server is still healthy afterwards. Prints one summary line; writes a JUnit report when $1 is given.
#   FERRY_FUZZ_EXAMPLES  examples per operation (default 8; the nightly-sized run uses more)
#   FERRY_FUZZ_STORE     a postgres:// URL to fuzz on PostgreSQL (default: SQLite in a temp data dir)
set -uo pipefail
cd "$(dirname "$0")/.."
junit=${1:-}
examples=${FERRY_FUZZ_EXAMPLES:-8}
data=$(mktemp -d)
token="fry_fuzz_$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')"
store_args=()
[ -n "${FERRY_FUZZ_STORE:-}" ] && store_args=(--store "$FERRY_FUZZ_STORE")
FERRY_ADMIN_TOKEN=$token FERRY_CONTRACT_CHECK=1 FERRY_ALERT_EVAL_SECONDS=3600 \
  node bin/ferry.js server --port 0 --data-dir "$data" "${store_args[@]}" >"$data/server.log" 2>&1 &
pid=$!
cleanup() { kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; rm -rf "$data"; }
trap cleanup EXIT
url=""
for _ in $(seq 1 120); do
  url=$(grep -oE 'Ferry listening on http://[^ ]+' "$data/server.log" | head -n1 | sed 's/Ferry listening on //')
  [ -n "$url" ] && break
  kill -0 "$pid" 2>/dev/null || break
  sleep 0.5
done
if [ -z "$url" ]; then
  echo "fuzz: the server did not start"; cat "$data/server.log"; exit 1
fi

report=$(mktemp -d)
.venv/bin/schemathesis run "$url/openapi.json" \
  -H "Authorization: Bearer $token" \
  --checks not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance \
  --max-examples "$examples" --seed 20261206 --workers 2 --no-color \
  --generation-database none \
  --report junit --report-junit-path "$report/fuzz.xml" >"$report/out.txt" 2>&1
rc=$?
[ -n "$junit" ] && cp "$report/fuzz.xml" "$junit"

healthy=0
curl -fsS "$url/health" >/dev/null && curl -fsS "$url/ready" >/dev/null && healthy=1
violations=$(grep -c 'response violates the contract' "$data/server.log")
errors=$(grep -c '"unhandled error"' "$data/server.log")
tail -n 40 "$report/out.txt"
# What the server itself saw: 500s and schema violations, with the route (never the token).
grep -E '"unhandled error"|response violates the contract' "$data/server.log" | head -n 20 | cut -c1-600
ops=$(grep -oE '[0-9]+ (selected|operations)' "$report/out.txt" | head -n1 | grep -oE '^[0-9]+')
cases=$(grep -oE '[0-9]+ generated' "$report/out.txt" | head -n1 | grep -oE '^[0-9]+')
echo "schemathesis: ${ops:-?} operations, ${cases:-?} test cases, exit $rc; server: $errors unhandled errors, $violations contract violations, healthy=$healthy"
rm -rf "$report"
[ "$rc" -eq 0 ] && [ "$healthy" -eq 1 ] && [ "$errors" -eq 0 ] && [ "$violations" -eq 0 ]
