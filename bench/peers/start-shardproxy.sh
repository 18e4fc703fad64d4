#!/usr/bin/env bash
# Start ShardProxy as a target of the peers benchmark (../shared/peers): 127.0.0.1:6543 over the
# peers' shards db0..db3 on 127.0.0.1:55432, config bench/peers/shardproxy.yaml, heap -Xmx512m.
# Runs a copy of the built jar (proxy-server/target/shardproxy.jar; build it first), so that a
# rebuild during a benchmark does not change classes under the running proxy. Writes the PID to
# /tmp/peers/run/shardproxy.pid (run_bench.sh samples RSS/CPU of that PID) and returns once
# `select 1` works through the proxy. Log: /tmp/peers/log/shardproxy.log.
# Env: DATA_ROOT=/tmp/peers PG_PORT=55432 SHARDPROXY_PORT=6543 SHARDPROXY_JAR SHARDPROXY_JAVA_OPTS
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
DATA_ROOT="${DATA_ROOT:-/tmp/peers}"
RUN_DIR="$DATA_ROOT/run"
PG_PORT="${PG_PORT:-55432}"
SHARDPROXY_PORT="${SHARDPROXY_PORT:-6543}"
JAR="${SHARDPROXY_JAR:-$ROOT/proxy-server/target/shardproxy.jar}"
PIDF="$RUN_DIR/shardproxy.pid"
LOG="$DATA_ROOT/log/shardproxy.log"
export PG_PORT SHARDPROXY_PORT   # substituted into shardproxy.yaml

if [ -f "$PIDF" ] && kill -0 "$(cat "$PIDF")" 2>/dev/null; then echo "ShardProxy already running pid $(cat "$PIDF")"; exit 0; fi
[ -f "$JAR" ] || { echo "no $JAR: build ShardProxy first (./shardproxy build)"; exit 1; }
command -v psql >/dev/null || { echo "psql is needed (apt-get install postgresql-client)"; exit 1; }
# Multi-shard writes (W5) commit in two phases; with 0 they fail. The peers' pg_start.sh sets it
# for new data dirs; an older one needs ALTER SYSTEM SET max_prepared_transactions = 100 + restart.
mpt="$(psql -X -At -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres -c 'show max_prepared_transactions')" \
  || { echo "PostgreSQL on 127.0.0.1:$PG_PORT is not reachable: run the peers' ./start_all.sh"; exit 1; }
[ "$mpt" -gt 0 ] || echo "WARNING: max_prepared_transactions = 0 on :$PG_PORT, W5 through ShardProxy will fail" \
  "(psql -p $PG_PORT -U postgres -c 'alter system set max_prepared_transactions = 100', then restart PG)"

mkdir -p "$RUN_DIR" "$DATA_ROOT/log" "$DATA_ROOT/shardproxy"
cp "$JAR" "$DATA_ROOT/shardproxy/shardproxy.jar"
nohup java -Xmx512m ${SHARDPROXY_JAVA_OPTS:-} -jar "$DATA_ROOT/shardproxy/shardproxy.jar" \
  run --config "$ROOT/bench/peers/shardproxy.yaml" > "$LOG" 2>&1 < /dev/null &
echo $! > "$PIDF"
echo "ShardProxy pid $(cat "$PIDF"), waiting for port $SHARDPROXY_PORT ..."
for i in $(seq 1 120); do
  if psql -X -At -h 127.0.0.1 -p "$SHARDPROXY_PORT" -U postgres -d bench -c 'select 1' >/dev/null 2>&1; then
    echo "ShardProxy ready on 127.0.0.1:$SHARDPROXY_PORT (after ${i}s)"; exit 0; fi
  kill -0 "$(cat "$PIDF")" 2>/dev/null || { echo "ShardProxy died; see $LOG"; tail -30 "$LOG"; rm -f "$PIDF"; exit 1; }
  sleep 1
done
echo "ShardProxy did not become ready; see $LOG"; tail -30 "$LOG"; exit 1
