#!/usr/bin/env bash
# A real Kubernetes control plane for tests, without Docker: etcd + kube-apiserver + kube-controller-manager +
# kube-scheduler built from Go modules, plus kwok for a fake node (pods are simulated, there are no containers).
#   scripts/k8s-test-cluster.sh build        install the binaries into the tools cache (reused when present)
#   scripts/k8s-test-cluster.sh start DIR    run the stack on 127.0.0.1; writes DIR/kubeconfig, DIR/token, DIR/server
#   scripts/k8s-test-cluster.sh stop DIR     stop what start DIR started
# Ports: FERRY_K8S_PORT_BASE (default 17300) + 0..6. The cache lives outside the clone (a cold build is ~15 min on 2 cores).
set -euo pipefail

K8S_VERSION=1.36.3
ETCD_VERSION=3.6.8
KWOK_VERSION=0.8.0
TOOLS=${FERRY_TOOLS_DIR:-$HOME/.cache/ferry-tools}/k8s-v$K8S_VERSION
BIN=$TOOLS/bin
BINARIES=(etcd kube-apiserver kube-controller-manager kube-scheduler kwok)

log() { echo "k8s-test-cluster: $*" >&2; }

have_all() {
  local b
  for b in "${BINARIES[@]}"; do [ -x "$BIN/$b" ] || return 1; done
}

build() {
  if have_all; then
    log "binaries present in $BIN"
    return 0
  fi
  command -v go >/dev/null || { log "go is not installed: cannot build the test cluster"; return 1; }
  mkdir -p "$BIN" "$TOOLS/src"
  # GOPATH/GOCACHE under the cache: the k8s modules and build cache stay out of the user's and the clone's way.
  export GOPATH=$TOOLS/gopath GOCACHE=$TOOLS/gocache GOFLAGS=-buildvcs=false GOTOOLCHAIN=local
  local nice=(nice -n 19)

  if [ ! -x "$BIN/etcd" ]; then
    log "building etcd v$ETCD_VERSION"
    # `go install go.etcd.io/etcd/server/v3@…` is refused (its go.mod has replace directives): build a wrapper.
    local d=$TOOLS/src/etcd
    rm -rf "$d" && mkdir -p "$d"
    cat >"$d/main.go" <<'GO'
package main

import (
	"os"

	"go.etcd.io/etcd/server/v3/etcdmain"
)

func main() { etcdmain.Main(os.Args) }
GO
    (cd "$d" && go mod init ferry.local/etcd >/dev/null 2>&1 && go get "go.etcd.io/etcd/server/v3@v$ETCD_VERSION" && go mod tidy &&
      "${nice[@]}" go build -o "$BIN/etcd.tmp" . && mv "$BIN/etcd.tmp" "$BIN/etcd")
  fi

  if [ ! -x "$BIN/kube-apiserver" ] || [ ! -x "$BIN/kube-controller-manager" ] || [ ! -x "$BIN/kube-scheduler" ]; then
    log "building kube-apiserver, kube-controller-manager, kube-scheduler v$K8S_VERSION"
    local d=$TOOLS/src/kube
    rm -rf "$d" && mkdir -p "$d"
    (cd "$d" && go mod init ferry.local/kube >/dev/null 2>&1)
    # k8s.io/kubernetes pins its staging modules at v0.0.0 and replaces them with local paths: a consumer must replace
    # every one of them with the published v0.X.Y, or the module graph does not resolve.
    GOFLAGS=-mod=mod go mod download -json "k8s.io/kubernetes@v$K8S_VERSION" >"$d/dl.json"
    local gomod
    gomod=$(sed -n 's/^[[:space:]]*"GoMod": "\(.*\)",$/\1/p' "$d/dl.json")
    {
      echo "module ferry.local/kube"
      echo
      echo "go $(sed -n 's/^go \([0-9.]*\).*/\1/p' "$gomod")"
      echo
      echo "require k8s.io/kubernetes v$K8S_VERSION"
      echo
      echo "replace ("
      sed -n '/^replace (/,/^)/p' "$gomod" | grep -o 'k8s.io/[a-z0-9./-]* => ./staging' | awk -v v="v0.${K8S_VERSION#1.}" '{print "\t" $1 " => " $1 " " v}'
      echo ")"
    } >"$d/go.mod"
    cat >"$d/tools.go" <<'GO'
//go:build tools

package tools

import (
	_ "k8s.io/kubernetes/cmd/kube-apiserver"
	_ "k8s.io/kubernetes/cmd/kube-controller-manager"
	_ "k8s.io/kubernetes/cmd/kube-scheduler"
)
GO
    # Without these, /version answers v0.0.0-master.
    local minor=${K8S_VERSION#*.}
    minor=${minor%%.*}
    local ldflags="-X k8s.io/component-base/version.gitVersion=v$K8S_VERSION -X k8s.io/component-base/version.gitMajor=1 -X k8s.io/component-base/version.gitMinor=$minor"
    (cd "$d" && go mod tidy -e >/dev/null && for c in kube-apiserver kube-controller-manager kube-scheduler; do
      [ -x "$BIN/$c" ] && continue
      log "go build $c"
      "${nice[@]}" go build -tags tools -ldflags "$ldflags" -o "$BIN/$c.tmp" "k8s.io/kubernetes/cmd/$c" && mv "$BIN/$c.tmp" "$BIN/$c" || exit 1
    done)
  fi

  if [ ! -x "$BIN/kwok" ]; then
    log "building kwok v$KWOK_VERSION"
    GOBIN=$BIN "${nice[@]}" go install "sigs.k8s.io/kwok/cmd/kwok@v$KWOK_VERSION"
  fi
  # kwok's stages (node heartbeat, pod lifecycle) ship in its module; keep a copy beside the binaries.
  if [ ! -d "$TOOLS/kwok-stage" ]; then
    local m
    m=$(GOFLAGS=-mod=mod go mod download -json "sigs.k8s.io/kwok@v$KWOK_VERSION" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
    cp -r "$m/kustomize/stage" "$TOOLS/kwok-stage.tmp" && chmod -R u+w "$TOOLS/kwok-stage.tmp" && mv "$TOOLS/kwok-stage.tmp" "$TOOLS/kwok-stage"
  fi
  have_all && log "built into $BIN"
}

# Ports, from FERRY_K8S_PORT_BASE: etcd client +0, etcd peer +1, apiserver +2, controller-manager +3, scheduler +4, kwok +5.
ports() {
  local base=${FERRY_K8S_PORT_BASE:-17300}
  ETCD_PORT=$base PEER_PORT=$((base + 1)) API_PORT=$((base + 2)) KCM_PORT=$((base + 3)) SCHED_PORT=$((base + 4)) KWOK_PORT=$((base + 5))
}

# Runs a program in its own session (so stop can end it and anything it started), logging to DIR/logs/NAME.log.
launch() {
  local dir=$1 name=$2
  shift 2
  setsid "$@" >"$dir/logs/$name.log" 2>&1 </dev/null &
  echo "$name $!" >>"$dir/pids"
}

wait_for() {
  local what=$1 tries=$2
  shift 2
  local i
  for ((i = 0; i < tries; i++)); do
    if "$@" >/dev/null 2>&1; then return 0; fi
    sleep 0.2
  done
  log "$what did not come up; its log:"
  return 1
}

# Pod stages for kwok: the module's node stages and pod ready/delete, and our own ends of a Job's pod, chosen by image:
# ferry-test/fail:* fails (exit code 3), ferry-test/hold:* keeps running (until deleted), any other image completes.
stages() {
  local s=$TOOLS/kwok-stage f
  for f in node/fast/node-initialize.yaml node/heartbeat/node-heartbeat.yaml pod/fast/pod-ready.yaml pod/fast/pod-delete.yaml; do
    cat "$s/$f"
    echo "---"
  done
  cat <<'YAML'
apiVersion: kwok.x-k8s.io/v1alpha1
kind: Stage
metadata:
  name: ferry-pod-complete
spec:
  resourceRef:
    apiGroup: v1
    kind: Pod
  selector:
    matchExpressions:
    - key: '.metadata.deletionTimestamp'
      operator: 'DoesNotExist'
    - key: '.status.phase'
      operator: 'In'
      values: ['Running']
    - key: '.metadata.ownerReferences.[].kind'
      operator: 'In'
      values: ['Job']
    - key: '.spec.containers.[0].image | split(":") | .[0]'
      operator: 'NotIn'
      values: ['ferry-test/fail', 'ferry-test/hold']
  next:
    statusTemplate: |
      {{ $now := Now }}
      containerStatuses:
      {{ range $index, $item := .spec.containers }}
      - image: {{ $item.image | Quote }}
        name: {{ $item.name | Quote }}
        ready: false
        restartCount: 0
        started: false
        state:
          terminated:
            exitCode: 0
            finishedAt: {{ $now | Quote }}
            reason: Completed
            startedAt: {{ $now | Quote }}
      {{ end }}
      phase: Succeeded
---
apiVersion: kwok.x-k8s.io/v1alpha1
kind: Stage
metadata:
  name: ferry-pod-fail
spec:
  resourceRef:
    apiGroup: v1
    kind: Pod
  selector:
    matchExpressions:
    - key: '.metadata.deletionTimestamp'
      operator: 'DoesNotExist'
    - key: '.status.phase'
      operator: 'In'
      values: ['Running']
    - key: '.spec.containers.[0].image | split(":") | .[0]'
      operator: 'In'
      values: ['ferry-test/fail']
  next:
    statusTemplate: |
      {{ $now := Now }}
      containerStatuses:
      {{ range $index, $item := .spec.containers }}
      - image: {{ $item.image | Quote }}
        name: {{ $item.name | Quote }}
        ready: false
        restartCount: 0
        started: false
        state:
          terminated:
            exitCode: 3
            finishedAt: {{ $now | Quote }}
            reason: Error
            message: "the training script exited with code 3"
            startedAt: {{ $now | Quote }}
      {{ end }}
      phase: Failed
YAML
}

start() {
  local dir=${1:?usage: $0 start DIR}
  have_all || { log "binaries missing in $BIN: run '$0 build' first"; return 1; }
  ports
  mkdir -p "$dir/logs" "$dir/etcd" "$dir/certs"
  dir=$(cd "$dir" && pwd)
  [ ! -s "$dir/pids" ] || { log "$dir/pids exists: stop it first"; return 1; }
  local token=ferry-test-token
  echo -n "$token" >"$dir/token"
  echo "$token,ferry-admin,1000,\"system:masters\"" >"$dir/tokens.csv"
  openssl genrsa -out "$dir/sa.key" 2048 2>/dev/null
  openssl rsa -in "$dir/sa.key" -pubout -out "$dir/sa.pub" 2>/dev/null
  local server=https://127.0.0.1:$API_PORT
  echo -n "$server" >"$dir/server"
  cat >"$dir/kubeconfig" <<KC
apiVersion: v1
kind: Config
clusters:
- name: test
  cluster: {server: "$server", insecure-skip-tls-verify: true}
users:
- name: admin
  user: {token: "$token"}
contexts:
- name: test
  context: {cluster: test, user: admin, namespace: default}
current-context: test
KC
  # The pods' log: kwok serves it (CRI log format) for every pod, through the API server's pods/log.
  printf '%s stdout F ferry-kwok: hello from the fake container\n%s stdout F ferry-kwok: a second line\n' \
    2026-01-01T00:00:00.000000000Z 2026-01-01T00:00:01.000000000Z >"$dir/pod.log"
  {
    stages
    echo "---"
    cat <<YAML
apiVersion: kwok.x-k8s.io/v1alpha1
kind: ClusterLogs
metadata:
  name: ferry-test-logs
spec:
  logs:
  - logsFile: $dir/pod.log
    follow: false
YAML
  } >"$dir/kwok.yaml"

  launch "$dir" etcd "$BIN/etcd" --name t1 --data-dir "$dir/etcd" \
    --listen-client-urls "http://127.0.0.1:$ETCD_PORT" --advertise-client-urls "http://127.0.0.1:$ETCD_PORT" \
    --listen-peer-urls "http://127.0.0.1:$PEER_PORT" --initial-advertise-peer-urls "http://127.0.0.1:$PEER_PORT" \
    --initial-cluster "t1=http://127.0.0.1:$PEER_PORT" --listen-metrics-urls "" --log-level warn
  wait_for etcd 150 curl -sf "http://127.0.0.1:$ETCD_PORT/health" || { tail -20 "$dir/logs/etcd.log" >&2; return 1; }

  # InternalIP first: the API server reaches the fake node's kubelet (kwok, on 127.0.0.1) for pods/log.
  launch "$dir" kube-apiserver "$BIN/kube-apiserver" --etcd-servers "http://127.0.0.1:$ETCD_PORT" \
    --bind-address 127.0.0.1 --advertise-address 127.0.0.1 --secure-port "$API_PORT" --cert-dir "$dir/certs" \
    --service-account-key-file "$dir/sa.pub" --service-account-signing-key-file "$dir/sa.key" \
    --service-account-issuer https://kubernetes.default.svc --service-cluster-ip-range 10.96.0.0/16 \
    --token-auth-file "$dir/tokens.csv" --authorization-mode Node,RBAC --kubelet-preferred-address-types InternalIP
  wait_for kube-apiserver 300 curl -skf -H "Authorization: Bearer $token" "$server/readyz" || { tail -30 "$dir/logs/kube-apiserver.log" >&2; return 1; }

  # nodelifecycle stays on: it lifts the node's not-ready taint; nodeipam needs a cluster CIDR we do not give.
  # A long node grace period: kwok's status heartbeat comes every 20-45 s, and on a loaded machine one late beat past
  # the default 50 s marked the node NotReady, for good (kwok's heartbeat stage only renews a Ready node), so every
  # pod after it stayed unscheduled (seen in CI: helm --wait timed out). kwok also renews the node's Lease (below).
  launch "$dir" kube-controller-manager "$BIN/kube-controller-manager" --kubeconfig "$dir/kubeconfig" --leader-elect=false \
    --bind-address 127.0.0.1 --secure-port "$KCM_PORT" --service-account-private-key-file "$dir/sa.key" --controllers '*,-nodeipam' \
    --node-monitor-grace-period 10m
  launch "$dir" kube-scheduler "$BIN/kube-scheduler" --kubeconfig "$dir/kubeconfig" --leader-elect=false \
    --bind-address 127.0.0.1 --secure-port "$SCHED_PORT"
  launch "$dir" kwok "$BIN/kwok" -c "$dir/kwok.yaml" --kubeconfig "$dir/kubeconfig" --manage-all-nodes=false \
    --manage-nodes-with-annotation-selector kwok.x-k8s.io/node=fake --cidr 10.244.0.0/16 --node-ip 127.0.0.1 \
    --node-port "$KWOK_PORT" --server-address "127.0.0.1:$KWOK_PORT" \
    --node-lease-duration-seconds 40

  # The fake node: kwok manages it (the annotation); allocatable is what the scheduler fits pods into.
  local node='{"apiVersion":"v1","kind":"Node","metadata":{"name":"kwok-node-0","annotations":{"kwok.x-k8s.io/node":"fake"},"labels":{"type":"kwok","kubernetes.io/hostname":"kwok-node-0"}},"status":{"allocatable":{"cpu":"32","memory":"256Gi","pods":"110","nvidia.com/gpu":"4"},"capacity":{"cpu":"32","memory":"256Gi","pods":"110","nvidia.com/gpu":"4"}}}'
  curl -skf -X POST -H "Authorization: Bearer $token" -H 'Content-Type: application/json' "$server/api/v1/nodes" -d "$node" >/dev/null
  # Ready once kwok has initialised the node and the controllers have made the namespace's default service account.
  wait_for "the fake node" 300 sh -c "curl -skf -H 'Authorization: Bearer $token' '$server/api/v1/nodes/kwok-node-0' | grep -q '\"type\": \"Ready\"'" ||
    { tail -20 "$dir/logs/kwok.log" >&2; return 1; }
  wait_for "the default service account" 300 curl -skf -H "Authorization: Bearer $token" "$server/api/v1/namespaces/default/serviceaccounts/default" ||
    { tail -20 "$dir/logs/kube-controller-manager.log" >&2; return 1; }
  log "up: $server (kubeconfig $dir/kubeconfig)"
}

stop() {
  local dir=${1:?usage: $0 stop DIR}
  [ -f "$dir/pids" ] || return 0
  local name pid i
  # kwok first, with SIGKILL: it hangs on SIGTERM once the API server is gone. Then the rest in reverse order.
  while read -r name pid; do
    if [ "$name" = kwok ]; then kill -KILL -- "-$pid" 2>/dev/null || true; fi
  done <"$dir/pids"
  while read -r name pid; do
    [ "$name" = kwok ] || kill -TERM -- "-$pid" 2>/dev/null || true
  done < <(tac "$dir/pids")
  for ((i = 0; i < 50; i++)); do
    local alive=0
    while read -r name pid; do if kill -0 -- "-$pid" 2>/dev/null; then alive=1; fi; done <"$dir/pids"
    [ $alive = 0 ] && break
    sleep 0.2
  done
  while read -r name pid; do kill -KILL -- "-$pid" 2>/dev/null || true; done <"$dir/pids"
  rm -f "$dir/pids"
}

case "${1:-}" in
  build) build ;;
  start) start "${2:-}" ;;
  stop) stop "${2:-}" ;;
  *) echo "usage: $0 build | start DIR | stop DIR" >&2; exit 2 ;;
esac
