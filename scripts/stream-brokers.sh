#!/usr/bin/env bash
# Real message brokers for the streams tests (issue 22): Kafka in KRaft mode (its jars from Maven Central, cached
# outside the clone), and Debian's redis-server and nats-server.
#   scripts/stream-brokers.sh build    fetch the Kafka jars into the tools cache (reused when present) and
#                                      apt-get install redis-server and nats-server when missing
#   scripts/stream-brokers.sh path     print the Kafka jar folder (exit 1 when it is not there)
# Tests start the brokers themselves (test/helpers/brokers.ts) on free loopback ports in temp folders.
set -euo pipefail

KAFKA_VERSION=4.4.0
SLF4J_VERSION=1.7.36
TOOLS=${FERRY_TOOLS_DIR:-$HOME/.cache/ferry-tools}/kafka-v$KAFKA_VERSION
LIB=$TOOLS/lib

log() { echo "stream-brokers: $*" >&2; }

kafka() {
  if [ -f "$LIB/.complete" ]; then
    log "Kafka jars present: $LIB"
    return 0
  fi
  command -v mvn >/dev/null || { log "mvn is not installed: cannot fetch the Kafka jars"; return 1; }
  mkdir -p "$TOOLS"
  # slf4j-simple binds Kafka's logging (without a binding it logs nothing, not even a failure to start).
  cat >"$TOOLS/pom.xml" <<EOF
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>dev.ferry.test</groupId>
  <artifactId>kafka-broker</artifactId>
  <version>1</version>
  <packaging>pom</packaging>
  <dependencies>
    <dependency><groupId>org.apache.kafka</groupId><artifactId>kafka_2.13</artifactId><version>$KAFKA_VERSION</version></dependency>
    <dependency><groupId>org.slf4j</groupId><artifactId>slf4j-simple</artifactId><version>$SLF4J_VERSION</version></dependency>
  </dependencies>
</project>
EOF
  log "fetching Kafka $KAFKA_VERSION's jars (about 45 jars, 43 MB)"
  # Into a temporary folder then moved, so an interrupted fetch never leaves a folder that looks complete.
  rm -rf "$TOOLS/lib.tmp"
  (cd "$TOOLS" && mvn -q -B -Dmaven.repo.local="$TOOLS/m2" dependency:copy-dependencies -DoutputDirectory=lib.tmp -DincludeScope=runtime)
  rm -rf "$LIB"
  mv "$TOOLS/lib.tmp" "$LIB"
  touch "$LIB/.complete"
  # The local Maven repository is only a download cache: the jars are in lib/.
  rm -rf "$TOOLS/m2"
  log "Kafka jars in $LIB"
}

debian() {
  local missing=()
  command -v redis-server >/dev/null || [ -x /usr/bin/redis-server ] || missing+=(redis-server)
  command -v nats-server >/dev/null || [ -x /usr/sbin/nats-server ] || missing+=(nats-server)
  [ ${#missing[@]} -eq 0 ] && { log "redis-server and nats-server present"; return 0; }
  log "apt-get install ${missing[*]}"
  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"; } >/dev/null
}

case "${1:-}" in
  build)
    rc=0
    kafka || rc=1
    debian || rc=1
    exit $rc
    ;;
  path)
    [ -f "$LIB/.complete" ] || { log "not fetched: run '$0 build'"; exit 1; }
    echo "$LIB"
    ;;
  *)
    echo "usage: $0 build | path" >&2
    exit 2
    ;;
esac
