#!/usr/bin/env bash
# A real S3-compatible server for tests: versitygw (Apache-2.0) built from its Go module, serving a plain folder.
#   scripts/s3-test-server.sh build    install the binary into the tools cache (reused when present)
#   scripts/s3-test-server.sh path     print the binary's path (exit 1 when it is not built)
# Tests start it themselves (test/helpers/s3-server.ts): `versitygw --access K --secret S --port 127.0.0.1:PORT posix DIR`.
# The cache lives outside the clone (a cold build is ~2-3 min on 2 cores).
set -euo pipefail

VERSITYGW_VERSION=1.8.0
TOOLS=${FERRY_TOOLS_DIR:-$HOME/.cache/ferry-tools}/versitygw-v$VERSITYGW_VERSION
BIN=$TOOLS/bin

log() { echo "s3-test-server: $*" >&2; }

build() {
  if [ -x "$BIN/versitygw" ]; then
    log "binary present: $BIN/versitygw"
    return 0
  fi
  command -v go >/dev/null || { log "go is not installed: cannot build versitygw"; return 1; }
  mkdir -p "$BIN"
  # GOPATH/GOCACHE under the cache: the modules and build cache stay out of the user's and the clone's way;
  # -modcacherw so the cache can be deleted without chmod.
  export GOPATH=$TOOLS/gopath GOCACHE=$TOOLS/gocache GOFLAGS=-modcacherw GOTOOLCHAIN=local
  log "building versitygw v$VERSITYGW_VERSION"
  # Installed under a temporary GOBIN and moved, so an interrupted build never leaves a half-written binary behind.
  rm -rf "$TOOLS/bin.tmp"
  GOBIN=$TOOLS/bin.tmp nice -n 19 go install "github.com/versity/versitygw/cmd/versitygw@v$VERSITYGW_VERSION"
  mv "$TOOLS/bin.tmp/versitygw" "$BIN/versitygw"
  rm -rf "$TOOLS/bin.tmp"
  log "built $BIN/versitygw"
}

case "${1:-}" in
  build) build ;;
  path)
    [ -x "$BIN/versitygw" ] || { log "not built: run '$0 build'"; exit 1; }
    echo "$BIN/versitygw"
    ;;
  *)
    echo "usage: $0 build | path" >&2
    exit 2
    ;;
esac
