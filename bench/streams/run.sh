#!/usr/bin/env bash
# Streams benchmark: rows/s end to end through Kafka and Redis Streams bindings vs HTTP (bench/streams/bench.mjs).
# Starts one Kafka node (KRaft; jars from scripts/stream-brokers.sh build) and a redis-server on free ports in a temp
# folder, on the load cores with the clients; Ferry runs on the server cores. Options go to bench.mjs (--help).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
[[ -f dist/main.js && -z "${BENCH_BUILD:-}" ]] || { echo "bench: building Ferry (npm run build)" >&2; npm run build --silent >&2; }
LIB="$(scripts/stream-brokers.sh path)" || { echo "bench: no Kafka jars; run scripts/stream-brokers.sh build" >&2; exit 1; }
command -v redis-server >/dev/null || { echo "bench: no redis-server; run scripts/stream-brokers.sh build" >&2; exit 1; }
LOAD=()
if command -v taskset >/dev/null && [[ "$(nproc)" -ge 2 && "${BENCH_PIN:-auto}" == auto ]]; then LOAD=(taskset -c 0); fi

DIR="$(mktemp -d /tmp/ferry-bench-brokers-XXXXXX)"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
KPORT=$(free_port); CPORT=$(free_port); RPORT=$(free_port)
cleanup() { [[ -n "${KPID:-}" ]] && kill "$KPID" 2>/dev/null; [[ -n "${RPID:-}" ]] && kill "$RPID" 2>/dev/null; wait 2>/dev/null; rm -rf "$DIR"; }
trap cleanup EXIT
cat >"$DIR/server.properties" <<PROPS
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$CPORT
listeners=PLAINTEXT://127.0.0.1:$KPORT,CONTROLLER://127.0.0.1:$CPORT
advertised.listeners=PLAINTEXT://127.0.0.1:$KPORT
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
log.dirs=$DIR/kafka
offsets.topic.replication.factor=1
offsets.topic.num.partitions=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
PROPS
ID=$(java -cp "$LIB/*" kafka.tools.StorageTool random-uuid)
java -cp "$LIB/*" kafka.tools.StorageTool format -t "$ID" -c "$DIR/server.properties" >/dev/null
"${LOAD[@]}" java -Xms256m -Xmx512m -XX:+UseSerialGC -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "$LIB/*" kafka.Kafka "$DIR/server.properties" >"$DIR/kafka.log" 2>&1 &
KPID=$!
"${LOAD[@]}" redis-server --port "$RPORT" --bind 127.0.0.1 --save '' --appendonly no --dir "$DIR" >"$DIR/redis.log" 2>&1 &
RPID=$!
for _ in $(seq 1 300); do (echo >/dev/tcp/127.0.0.1/$KPORT) 2>/dev/null && break; sleep 0.2; done
# bench.mjs pins itself to the load cores and Ferry to the server cores (bench/lib cpuPlan).
node "$ROOT/bench/streams/bench.mjs" --kafka "127.0.0.1:$KPORT" --redis "redis://127.0.0.1:$RPORT" "$@"
