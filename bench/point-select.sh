#!/usr/bin/env bash
# Point select by shard key: ShardProxy over 4 shards versus one direct PostgreSQL, in one run.
#
#   bench/point-select.sh            # ROWS=200000 T=30 C=8 J=2 WARMUP=10 by default
#
# Starts 4 embedded PostgreSQL shards plus one standalone server holding the same rows, starts
# ShardProxy over the shards, loads ROWS rows, then runs pgbench (simple protocol, -c C -j J,
# T seconds) with `select * from tbl where id = :id` against the proxy and against the direct
# server, and prints both TPS figures and their ratio. Everything it starts is stopped on exit.
set -euo pipefail

ROWS="${ROWS:-200000}"
T="${T:-30}"
C="${C:-8}"
J="${J:-2}"
WARMUP="${WARMUP:-10}"
MODE="${MODE:-simple}"
PROXY_PORT="${PROXY_PORT:-16432}"
PROXY_JAVA_OPTS="${PROXY_JAVA_OPTS:-}"   # e.g. -XX:StartFlightRecording=... to profile the proxy

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
WORK="$(mktemp -d /tmp/shardproxy-bench.XXXXXX)"
CLUSTER_PID=""
PROXY_PID=""

cleanup() {
  [ -n "$PROXY_PID" ] && kill -TERM "$PROXY_PID" 2>/dev/null && wait "$PROXY_PID" 2>/dev/null || true
  [ -n "$CLUSTER_PID" ] && kill -TERM "$CLUSTER_PID" 2>/dev/null && wait "$CLUSTER_PID" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT INT TERM

command -v pgbench >/dev/null || { echo "pgbench is needed (Debian: apt-get install postgresql-client)"; exit 2; }
"$ROOT/shardproxy" build >/dev/null

echo "Starting 4 shards and a direct server ..."
"$ROOT/shardproxy" cluster start --shards 4 --oracle > "$WORK/cluster.out" 2>"$WORK/cluster.err" &
CLUSTER_PID=$!
for _ in $(seq 1 600); do
  grep -q '^ready' "$WORK/cluster.out" 2>/dev/null && break
  kill -0 "$CLUSTER_PID" 2>/dev/null || { cat "$WORK/cluster.err"; exit 1; }
  sleep 0.1
done
mapfile -t PORTS < <(awk '$1 ~ /^shard-/ {print $2}' "$WORK/cluster.out")
DIRECT_PORT="$(awk '$1 == "oracle" {print $2}' "$WORK/cluster.out")"
DB=shardproxy

cat > "$WORK/proxy.yaml" <<YAML
listen: {host: 127.0.0.1, port: $PROXY_PORT}
users:
  - {name: bench, auth: trust, admin: true}
shards:
$(for i in 0 1 2 3; do echo "  - {name: s$i, url: 'jdbc:postgresql://127.0.0.1:${PORTS[$i]}/$DB', user: postgres, pool-size: 16}"; done)
sharded-tables:
  - {name: tbl, shard-key: id, algorithm: mod, buckets: 4}
YAML

echo "Starting ShardProxy on 127.0.0.1:$PROXY_PORT ..."
SHARDPROXY_JAVA_OPTS="${PROXY_JAVA_OPTS:-}" "$ROOT/shardproxy" run --config "$WORK/proxy.yaml" > "$WORK/proxy.log" 2>&1 &
PROXY_PID=$!
for _ in $(seq 1 300); do
  psql -qAt -h 127.0.0.1 -p "$PROXY_PORT" -U bench -d "$DB" -c "select 1" >/dev/null 2>&1 && break
  kill -0 "$PROXY_PID" 2>/dev/null || { cat "$WORK/proxy.log"; exit 1; }
  sleep 0.1
done

TABLE="create table tbl (id int primary key, info text, crt_time timestamp)"
echo "Loading $ROWS rows ..."
psql -qAt -h 127.0.0.1 -p "$PROXY_PORT" -U bench -d "$DB" -c "$TABLE"
LOADS=()
for i in 0 1 2 3; do
  # Each shard gets its own bucket's rows directly (the CHECK constraint the proxy installed guards it).
  psql -qAt -h 127.0.0.1 -p "${PORTS[$i]}" -U postgres -d "$DB" \
    -c "insert into tbl select g, md5(g::text), now() from generate_series(1, $ROWS) g where abs(mod(g, 4)) = $i" \
    -c "vacuum analyze tbl" &
  LOADS+=($!)
done
psql -qAt -h 127.0.0.1 -p "$DIRECT_PORT" -U postgres -d "$DB" -c "$TABLE" \
  -c "insert into tbl select g, md5(g::text), now() from generate_series(1, $ROWS) g" -c "vacuum analyze tbl" &
LOADS+=($!)
for p in "${LOADS[@]}"; do wait "$p"; done

printf '\\set id random(1, %d)\nselect * from tbl where id = :id;\n' "$ROWS" > "$WORK/point.sql"

run() { # name port user seconds
  pgbench -n -M "$MODE" -c "$C" -j "$J" -T "$4" -f "$WORK/point.sql" -h 127.0.0.1 -p "$2" -U "$3" "$DB" 2>&1
}
tps() { sed -n 's/^tps = \([0-9.]*\) .*/\1/p' | tail -1; }

echo "Warming up ($WARMUP s each) ..."
run proxy "$PROXY_PORT" bench "$WARMUP" >/dev/null
run direct "$DIRECT_PORT" postgres "$WARMUP" >/dev/null
echo "Measuring ($T s each, -M $MODE -c $C -j $J) ..."
DIRECT_TPS="$(run direct "$DIRECT_PORT" postgres "$T" | tps)"
PROXY_TPS="$(run proxy "$PROXY_PORT" bench "$T" | tps)"
RSS_KB="$(ps -o rss= -p "$PROXY_PID" 2>/dev/null | tr -d ' ' || echo 0)"

echo
echo "W1 point select by shard key, $ROWS rows, pgbench -M $MODE -c $C -j $J -T $T"
printf '%-28s %12s\n' target TPS
printf '%-28s %12.0f\n' "direct PostgreSQL" "$DIRECT_TPS"
printf '%-28s %12.0f\n' "ShardProxy (4 shards)" "$PROXY_TPS"
awk -v p="$PROXY_TPS" -v d="$DIRECT_TPS" 'BEGIN { printf "%-28s %12.2f\n", "ratio proxy/direct", p / d }'
echo "proxy RSS: $((RSS_KB / 1024)) MB"
