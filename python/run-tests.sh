#!/usr/bin/env bash
# Runs the mlflow-client interop tests against a freshly started Ferry (needs `npm run build` first).
# Extra arguments go to pytest, e.g. `python/run-tests.sh -k registry -x`.
set -u
cd "$(dirname "$0")/.." || exit 2
PY=.venv/bin/python
if [ ! -x "$PY" ]; then
  echo "run-tests.sh: no venv at .venv; create it with: python3 -m venv .venv && .venv/bin/pip install -r python/requirements-test.txt" >&2
  exit 2
fi
if [ ! -f dist/cli/main.js ]; then
  echo "run-tests.sh: dist/ missing; run npm run build first" >&2
  exit 2
fi
# -rfE: list failures and errors in the summary; the server log is printed only when a test fails.
"$PY" -m pytest python/tests -q -rfE "$@"
exit $?
