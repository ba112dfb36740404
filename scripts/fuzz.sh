#!/usr/bin/env bash
# Fuzzes the live API from its own OpenAPI description with schemathesis: a real `ferry server` (built dist/)
# with the contract check on, an admin token, every operation, a bounded number of examples each.
# Passes when there is no 5xx, no answer that violates its schema (status, content type, body), and the
# server is still healthy afterwards. Prints one summary line; writes a JUnit report when $1 is given (the
# schemathesis test cases plus three for the server's own view: no 5xx, no contract violation, healthy).
#   FERRY_FUZZ_EXAMPLES  examples per operation (default 8; npm test uses 50, the nightly-sized run 100)
#   FERRY_FUZZ_STORE     a postgres:// URL to fuzz on PostgreSQL (default: SQLite in a temp data dir)
#   FERRY_FUZZ_SEED      the generation seed (default fixed, so a run is reproducible)
#   FERRY_FUZZ_LOG       a folder to keep schemathesis's full output and the server log in
set -uo pipefail
cd "$(dirname "$0")/.."
root=$PWD
junit=${1:-}
examples=${FERRY_FUZZ_EXAMPLES:-8}
seed=${FERRY_FUZZ_SEED:-20261206}
data=$(mktemp -d)
report=$(mktemp -d)
token="fry_fuzz_$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')"
store_args=()
[ -n "${FERRY_FUZZ_STORE:-}" ] && store_args=(--store "$FERRY_FUZZ_STORE")
store_name=sqlite
[ -n "${FERRY_FUZZ_STORE:-}" ] && store_name=postgres
started=$(date +%s)
FERRY_ADMIN_TOKEN=$token FERRY_CONTRACT_CHECK=1 FERRY_ALERT_EVAL_SECONDS=3600 \
  node bin/ferry.js server --port 0 --data-dir "$data" "${store_args[@]}" >"$data/server.log" 2>&1 &
pid=$!
cleanup() {
  kill "$pid" 2>/dev/null
  wait "$pid" 2>/dev/null
  if [ -n "${FERRY_FUZZ_LOG:-}" ]; then
    mkdir -p "$FERRY_FUZZ_LOG" && cp "$report/out.txt" "$report/schemathesis.toml" "$data/server.log" "$FERRY_FUZZ_LOG/" 2>/dev/null
  fi
  rm -rf "$data" "$report"
}
trap cleanup EXIT
url=""
for _ in $(seq 1 240); do
  url=$(grep -oE 'Ferry listening on http://[^ ]+' "$data/server.log" | head -n1 | sed 's/Ferry listening on //')
  [ -n "$url" ] && break
  kill -0 "$pid" 2>/dev/null || break
  sleep 0.5
done
if [ -z "$url" ]; then
  echo "fuzz: the server did not start"
  cat "$data/server.log"
  exit 1
fi

# Test data: the quickstart's demo project (a dataset, runs, a registered model, a deployment with traffic, a
# suite, alert rules), loaded through the public API. Half the generated names, versions and run ids then name
# its objects, so requests get past "not found" into the handlers; operations that delete or rename are left
# to generate their own, so the objects last the whole run.
if ! node --input-type=module -e '
  import { writeFileSync } from "node:fs";
  import { FerryClient } from "./dist/sdk/index.js";
  import { loadDemo } from "./dist/cli/demo/index.js";
  const [url, token, out] = process.argv.slice(1);
  const demo = await loadDemo(new FerryClient({ url, token, timeoutMs: 120000 }), { replaySeconds: 5 });
  const list = (xs) => `[${[...new Set(xs)].map((x) => JSON.stringify(String(x))).join(", ")}]`;
  const names = [demo.dataset.name, demo.model.name, demo.deployment.name, demo.dataset.suite];
  const versions = demo.model.versions.map((v) => v.version);
  const refs = [...demo.dataset.versions.map((v) => v.ref), "1", "2"];
  const bind = { names: ["path.name", "body.name", "query.name", "query.deployment", "body.deployment"], versions: ["path.version", "body.version", "query.version"],
    refs: ["path.ref", "body.dataset"], runs: ["body.run_id", "query.run_id", "body.run_uuid", "query.run_uuid"], experiments: ["body.experiment_id", "query.experiment_id"] };
  const params = Object.entries(bind).flatMap(([dict, keys]) => keys.map((k) => `"${k}" = { dictionary = "${dict}", probability = 0.5 }`));
  writeFileSync(out, [
    `[dictionaries.names]\nvalues = ${list(names)}`, `[dictionaries.versions]\nvalues = ${list(versions)}`, `[dictionaries.refs]\nvalues = ${list(refs)}`,
    `[dictionaries.runs]\nvalues = ${list(demo.experiment.runs.map((r) => r.run_id))}`, `[dictionaries.experiments]\nvalues = ${list([demo.experiment.id])}`,
    `[[operations]]\nexclude-method = ["DELETE"]\nexclude-path-regex = "/(delete|rename)$"\nparameters = { ${params.join(", ")} }`, "",
  ].join("\n"));
' "$url" "$token" "$report/schemathesis.toml" >"$report/seed.txt" 2>&1; then
  echo "fuzz: loading the test data failed"
  cat "$report/seed.txt"
  exit 1
fi

# One worker: with a fixed seed the same requests arrive in the same order, so a failure replays exactly.
# Run from the report folder, so schemathesis's own cache (.schemathesis/) never carries over between runs.
(cd "$report" && "$root/.venv/bin/schemathesis" --config-file schemathesis.toml run "$url/openapi.json" \
  -H "Authorization: Bearer $token" \
  --checks not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance \
  --max-examples "$examples" --seed "$seed" --workers 1 --no-color \
  --generation-database none \
  --report junit --report-junit-path "$report/fuzz.xml") >"$report/out.txt" 2>&1
rc=$?

healthy=0
curl -fsS "$url/health" >/dev/null && curl -fsS "$url/ready" >/dev/null && healthy=1
# What the server itself saw: every answer is logged with its status; 5xx, unhandled errors and answers
# that broke their schema (the contract check) are each a failure.
server_errors=$(grep -c '"res":{"statusCode":5' "$data/server.log")
unhandled=$(grep -c '"unhandled error"' "$data/server.log")
violations=$(grep -c 'response violates the contract' "$data/server.log")
elapsed=$(($(date +%s) - started))

if [ "$rc" -ne 0 ]; then
  # The findings, each with the request that reproduces it (curl), then the summary.
  sed -n '/^=* \(ERRORS\|FAILURES\) =*$/,/^=* WARNINGS =*$/p' "$report/out.txt" | head -n 300
fi
sed -n '/^Test Phases:/,/^Test cases:/p' "$report/out.txt" | grep -v '^ *- '
grep -A1 '^Test cases:' "$report/out.txt" | tail -n 1
grep -E '"unhandled error"|response violates the contract' "$data/server.log" | head -n 20 | cut -c1-600

ops=$(grep -oE '^ *Tested: [0-9]+' "$report/out.txt" | grep -oE '[0-9]+' | head -n1)
total=$(sed -nE 's/.*Operations: +[0-9]+ selected \/ ([0-9]+) total.*/\1/p' "$report/out.txt" | head -n1)
cases=$(grep -oE '[0-9]+ generated' "$report/out.txt" | head -n1 | grep -oE '^[0-9]+')
state=$([ "$healthy" -eq 1 ] && echo healthy || echo UNHEALTHY)
echo "fuzz ($store_name, $examples examples/operation, seed $seed): ${ops:-?}/${total:-?} operations covered, ${cases:-?} test cases, schemathesis exit $rc; $server_errors server errors (5xx), $unhandled unhandled, $violations contract violations; server $state afterwards; ${elapsed}s"

if [ -n "$junit" ]; then
  # schemathesis's report plus the server's own view as three more test cases, so `npm test` counts them.
  node -e '
    const fs = require("fs");
    const [src, dst, errors, violations, healthy] = process.argv.slice(1);
    let xml = fs.existsSync(src) ? fs.readFileSync(src, "utf8") : "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<testsuites>\n</testsuites>\n";
    const cases = [
      ["no 5xx answers", Number(errors) === 0, `${errors} answers were 5xx (see the server log)`],
      ["no answer violates its contract", Number(violations) === 0, `${violations} answers broke their response schema`],
      ["healthy afterwards (/health, /ready)", healthy === "1", "/health or /ready failed after the run"],
    ];
    const failed = cases.filter((c) => !c[1]).length;
    const body = cases.map(([name, ok, why]) => `    <testcase name="${name}">${ok ? "" : `<failure message="${why}" />`}</testcase>`).join("\n");
    const suite = `  <testsuite name="ferry server under fuzzing" errors="0" failures="${failed}" skipped="0" tests="3">\n${body}\n  </testsuite>\n`;
    fs.writeFileSync(dst, xml.replace(/<\/testsuites>\s*$/, `${suite}</testsuites>\n`));
  ' "$report/fuzz.xml" "$junit" "$server_errors" "$violations" "$healthy"
fi
[ "$rc" -eq 0 ] && [ "$healthy" -eq 1 ] && [ "$server_errors" -eq 0 ] && [ "$unhandled" -eq 0 ] && [ "$violations" -eq 0 ]
