#!/usr/bin/env bash
# Serving throughput before/after a change, in one run:
#   bench/serving/compare.sh REV_A REV_B [compare.mjs options]     e.g. bench/serving/compare.sh 66ea63c HEAD
# Builds each revision in a git worktree under /tmp (tsc only: the benchmark needs no web UI; node_modules is this
# checkout's, linked), then runs bench/serving/compare.mjs on both: the records and v2 points, alternated round after
# round, and the B/A throughput ratios from the medians. A revision of "." means this checkout as it is (its dist/).
# The worktrees are removed at the end unless BENCH_KEEP=1. Options: node bench/serving/compare.mjs --help.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
if [[ $# -lt 2 || "$1" == --* || "$2" == --* ]]; then
  echo "usage: bench/serving/compare.sh REV_A REV_B [options]   (a revision of '.' is this checkout as it is)" >&2
  exit 2
fi
rev_a="$1" rev_b="$2"
shift 2

made=()
cleanup() {
  if [[ "${BENCH_KEEP:-}" =~ ^(1|true|yes)$ ]]; then
    ((${#made[@]})) && echo "compare: kept ${made[*]}" >&2
    return 0
  fi
  for dir in ${made[@]+"${made[@]}"}; do git -C "$ROOT" worktree remove --force "$dir" >/dev/null 2>&1 || true; done
}
trap cleanup EXIT

# Prints the checkout to run for a revision, building it first.
checkout() {
  local rev="$1"
  if [[ "$rev" == "." ]]; then
    [[ -f dist/main.js ]] || { echo "compare: building this checkout (npm run build)" >&2; npm run build --silent >&2; }
    echo "$ROOT"
    return
  fi
  local sha dir
  sha="$(git rev-parse --verify --short=10 "$rev^{commit}")"
  dir="/tmp/ferry-compare-$sha"
  if [[ ! -d "$dir" ]]; then
    echo "compare: git worktree add $dir ($rev = $sha)" >&2
    git worktree add --detach "$dir" "$sha" >/dev/null
    made+=("$dir")
  fi
  [[ -e "$dir/node_modules" ]] || ln -s "$ROOT/node_modules" "$dir/node_modules"
  if [[ ! -f "$dir/dist/main.js" ]]; then
    echo "compare: building $rev in $dir (tsc -p tsconfig.build.json)" >&2
    # Type errors still emit JavaScript (a revision may predate a dependency's types); a missing file is what fails.
    (cd "$dir" && "$ROOT/node_modules/.bin/tsc" -p tsconfig.build.json >&2) || true
    [[ -f "$dir/dist/main.js" ]] || { echo "compare: $rev did not build" >&2; exit 1; }
  fi
  echo "$dir"
}

# Not $(checkout …): a subshell would lose the worktrees made for cleanup.
checkout "$rev_a" >/tmp/ferry-compare-a.$$
dir_a="$(cat /tmp/ferry-compare-a.$$)"
checkout "$rev_b" >/tmp/ferry-compare-b.$$
dir_b="$(cat /tmp/ferry-compare-b.$$)"
rm -f /tmp/ferry-compare-a.$$ /tmp/ferry-compare-b.$$
label() { [[ "$1" == "." ]] && echo "work tree" || echo "$1 ($(git rev-parse --short "$1^{commit}"))"; }
node "$ROOT/bench/serving/compare.mjs" --a "$dir_a" --b "$dir_b" --label-a "$(label "$rev_a")" --label-b "$(label "$rev_b")" "$@"
