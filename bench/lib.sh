#!/usr/bin/env bash
# Shared pieces of the benchmark scripts: start 4 embedded shards and one direct server, start
# ShardProxy over the shards, run pgbench against both, clean up. Source it; set TABLES_YAML (the
# sharded-tables and reference-tables sections of the proxy config) before calling start_proxy.
set -euo pipefail

T="${T:-30}"
C="${C:-8}"
J="${J:-2}"
WARMUP="${WARMUP:-10}"
MODE="${MODE:-simple}"
PROXY_PORT="${PROXY_PORT:-16432}"
PROXY_JAVA_OPTS="${PROXY_JAVA_OPTS:-}"   # e.g. -Xmx64m, or -XX:StartFlightRecording=... to profile
DB=shardproxy

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
WORK="$(mktemp -d /tmp/shardproxy-bench.XXXXXX)"
CLUSTER_PID=""
PROXY_PID=""
PORTS=()
DIRECT_PORT=""

cleanup() {
  local rc=$?
  if [ "$rc" -ne 0 ] && [ -s "$WORK/proxy.log" ]; then
    echo "--- the proxy's log, last 60 lines ---"
    tail -60 "$WORK/proxy.log"
  fi
  [ -n "$PROXY_PID" ] && kill -TERM "$PROXY_PID" 2>/dev/null && wait "$PROXY_PID" 2>/dev/null || true
  [ -n "$CLUSTER_PID" ] && kill -TERM "$CLUSTER_PID" 2>/dev/null && wait "$CLUSTER_PID" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT INT TERM

require_tools() {
  command -v pgbench >/dev/null && command -v psql >/dev/null \
    || { echo "pgbench and psql are needed (Debian: apt-get install postgresql-client)"; exit 2; }
  "$ROOT/shardproxy" build >/dev/null
}

start_cluster() {
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
}

start_proxy() {
  cat > "$WORK/proxy.yaml" <<YAML
listen: {host: 127.0.0.1, port: $PROXY_PORT}
users:
  - {name: bench, auth: trust, admin: true}
shards:
$(for i in 0 1 2 3; do echo "  - {name: s$i, url: 'jdbc:postgresql://127.0.0.1:${PORTS[$i]}/$DB', user: postgres, pool-size: 16}"; done)
$TABLES_YAML
YAML
  echo "Starting ShardProxy on 127.0.0.1:$PROXY_PORT ${PROXY_JAVA_OPTS:+($PROXY_JAVA_OPTS)} ..."
  SHARDPROXY_JAVA_OPTS="$PROXY_JAVA_OPTS" "$ROOT/shardproxy" run --config "$WORK/proxy.yaml" > "$WORK/proxy.log" 2>&1 &
  PROXY_PID=$!
  for _ in $(seq 1 300); do
    proxy_psql -c "select 1" >/dev/null 2>&1 && return
    kill -0 "$PROXY_PID" 2>/dev/null || { cat "$WORK/proxy.log"; exit 1; }
    sleep 0.1
  done
}

proxy_psql() { psql -X -qAt -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$PROXY_PORT" -U bench -d "$DB" "$@"; }
shard_psql() { local i="$1"; shift; psql -X -qAt -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "${PORTS[$i]}" -U postgres -d "$DB" "$@"; }
direct_psql() { psql -X -qAt -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$DIRECT_PORT" -U postgres -d "$DB" "$@"; }

# create_table "ddl" : through the proxy (every shard gets its CHECK) and on the direct server.
create_table() {
  proxy_psql -c "$1"
  direct_psql -c "$1"
}

# load_rows table rows "select list over g" : each shard loads its own buckets (mod 4 on the first
# column), the direct server loads all rows; in parallel.
load_rows() {
  local table="$1" rows="$2" select="$3" pids=()
  for i in 0 1 2 3; do
    shard_psql "$i" -c "insert into $table select $select from generate_series(1, $rows) g where abs(mod(g, 4)) = $i" \
      -c "vacuum analyze $table" &
    pids+=($!)
  done
  direct_psql -c "insert into $table select $select from generate_series(1, $rows) g" -c "vacuum analyze $table" &
  pids+=($!)
  for p in "${pids[@]}"; do wait "$p"; done
}

# pgbench_run port user seconds script [mode] : prints pgbench's output
pgbench_run() {
  pgbench -n -M "${5:-$MODE}" -c "$C" -j "$J" -T "$3" -f "$4" -h 127.0.0.1 -p "$1" -U "$2" "$DB" 2>&1
}
tps() { sed -n 's/^tps = \([0-9.]*\) .*/\1/p' | tail -1; }

# compare name script [mode] : warms both targets, measures both, prints one result line
compare() {
  local name="$1" script="$2" mode="${3:-$MODE}" direct proxy
  pgbench_run "$PROXY_PORT" bench "$WARMUP" "$script" "$mode" >/dev/null
  pgbench_run "$DIRECT_PORT" postgres "$WARMUP" "$script" "$mode" >/dev/null
  direct="$(pgbench_run "$DIRECT_PORT" postgres "$T" "$script" "$mode" | tps)"
  proxy="$(pgbench_run "$PROXY_PORT" bench "$T" "$script" "$mode" | tps)"
  awk -v n="$name" -v d="$direct" -v p="$proxy" 'BEGIN { printf "%-34s %12.1f %12.1f %8.2f\n", n, d, p, p / d }'
}

print_header() {
  printf '%-34s %12s %12s %8s\n' workload "direct TPS" "proxy TPS" ratio
}

proxy_rss_mb() {
  awk '/^VmHWM:/ {printf "%d", $2 / 1024}' "/proc/$PROXY_PID/status" 2>/dev/null || echo 0
}
