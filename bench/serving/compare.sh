#!/usr/bin/env bash
# Serving throughput before/after a change, in one run:
#   bench/serving/compare.sh REV_A REV_B [compare.mjs options]     e.g. bench/serving/compare.sh 66ea63c HEAD
# Builds each revision in a git worktree under /tmp (tsc only: the benchmark needs no web UI), then runs
# bench/serving/compare.mjs on both: the records and v2 points, alternated round after round, and the B/A throughput
# ratios from the medians. A revision of "." means this checkout as it is (its dist/). The worktrees are removed at
# the end unless BENCH_KEEP=1. Options: node bench/serving/compare.mjs --help.
# A worktree's node_modules links this checkout's packages (nothing is installed). A revision that depends on a
# package this checkout no longer has is named before the run; BENCH_EXTRA_MODULES=DIR[:DIR2] (node_modules folders
# holding such packages) fills the gaps.
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

# A node_modules folder of links: this checkout's packages first, then the extra folders' for what it lacks (scopes
# merged package by package). Node resolves a linked package's own dependencies from where it really lives.
link_modules() {
  local dest="$1" src entry name pkg
  shift
  mkdir -p "$dest"
  for src in "$@"; do
    [[ -d "$src" ]] || continue
    for entry in "$src"/* "$src"/.bin; do
      [[ -e "$entry" ]] || continue
      name="$(basename "$entry")"
      if [[ "$name" == @* ]]; then
        mkdir -p "$dest/$name"
        for pkg in "$entry"/*; do
          [[ -e "$pkg" && ! -e "$dest/$name/$(basename "$pkg")" ]] && ln -s "$pkg" "$dest/$name/$(basename "$pkg")"
        done
      elif [[ ! -e "$dest/$name" ]]; then
        ln -s "$entry" "$dest/$name"
      fi
    done
  done
  return 0
}

# Sets CHECKOUT to the folder to run for a revision, building it first. (Not $(checkout …): a subshell would lose
# the worktrees recorded for cleanup.)
checkout() {
  local rev="$1"
  if [[ "$rev" == "." ]]; then
    [[ -f dist/main.js ]] || { echo "compare: building this checkout (npm run build)" >&2; npm run build --silent >&2; }
    CHECKOUT="$ROOT"
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
  if [[ ! -e "$dir/node_modules" ]]; then
    local extra=()
    IFS=: read -r -a extra <<<"${BENCH_EXTRA_MODULES:-}"
    link_modules "$dir/node_modules" "$ROOT/node_modules" ${extra[@]+"${extra[@]}"}
  fi
  local missing
  missing="$(cd "$dir" && node -e 'const fs = require("fs"); const deps = Object.keys(require("./package.json").dependencies ?? {}); console.log(deps.filter((d) => !fs.existsSync(`node_modules/${d}/package.json`)).join(" "))')"
  if [[ -n "$missing" ]]; then
    echo "compare: $rev depends on packages this checkout's node_modules lacks: $missing" >&2
    echo "compare: install them into a folder of their own and set BENCH_EXTRA_MODULES=<that folder>/node_modules" >&2
    exit 1
  fi
  if [[ ! -f "$dir/dist/main.js" ]]; then
    echo "compare: building $rev in $dir (tsc -p tsconfig.build.json)" >&2
    # Type errors still emit JavaScript (a revision may predate a dependency's types); a missing file is what fails.
    (cd "$dir" && "$ROOT/node_modules/.bin/tsc" -p tsconfig.build.json >&2) || true
    [[ -f "$dir/dist/main.js" ]] || { echo "compare: $rev did not build" >&2; exit 1; }
  fi
  CHECKOUT="$dir"
}

checkout "$rev_a"
dir_a="$CHECKOUT"
checkout "$rev_b"
dir_b="$CHECKOUT"
# The revision as given, with its commit when the name is not one already.
label() {
  local sha
  [[ "$1" == "." ]] && { echo "work tree"; return; }
  sha="$(git rev-parse --short "$1^{commit}")"
  [[ "$sha" == "$1"* || "$1" == "$sha"* ]] && echo "$sha" || echo "$1 ($sha)"
}
node "$ROOT/bench/serving/compare.mjs" --a "$dir_a" --b "$dir_b" --label-a "$(label "$rev_a")" --label-b "$(label "$rev_b")" "$@"
