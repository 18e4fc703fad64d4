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

# ---- pgbench's TPC-B (tpcb.sh, all.sh) ----

TPCB_TABLES_YAML="  - {name: pgbench_accounts, shard-key: aid, algorithm: mod, buckets: 4}
  - {name: pgbench_tellers, shard-key: tid, algorithm: mod, buckets: 4}
  - {name: pgbench_branches, shard-key: bid, algorithm: mod, buckets: 4}
  - {name: pgbench_history, shard-key: aid, algorithm: mod, buckets: 4}"

# tpcb_setup : creates and loads pgbench's tables for SCALE, through the proxy and directly.
tpcb_setup() {
  [[ "$SCALE" =~ ^[1-9][0-9]*$ ]] || { echo "SCALE must be a positive integer, got '$SCALE'"; exit 2; }
  echo "Loading pgbench tables, scale $SCALE ($((100000 * SCALE)) accounts) ..."
  # pgbench's own schema (pgbench -i -I dtp), table names as pgbench requires them.
  create_table "create table pgbench_branches (bid int primary key, bbalance int, filler char(88))"
  create_table "create table pgbench_tellers (tid int primary key, bid int, tbalance int, filler char(84))"
  create_table "create table pgbench_accounts (aid int primary key, bid int, abalance int, filler char(84))"
  create_table "create table pgbench_history (tid int, bid int, aid int, delta int, mtime timestamp, filler char(22))"
  # The rows pgbench -i's server-side generation writes (load_rows vacuums and analyzes each table).
  load_rows pgbench_branches "$SCALE" "g, 0"
  load_rows pgbench_tellers "$((10 * SCALE))" "g, (g - 1) / 10 + 1, 0"
  load_rows pgbench_accounts "$((100000 * SCALE))" "g, (g - 1) / 100000 + 1, 0, ''"
  for i in 0 1 2 3; do shard_psql "$i" -c "vacuum analyze pgbench_history"; done
  direct_psql -c "vacuum analyze pgbench_history"
}

# tpcb_start : the cluster and the proxy with pgbench's tables sharded, loaded for SCALE (10 unless
# set): what tpcb.sh and tpcb-bound.sh start from.
tpcb_start() {
  SCALE="${SCALE:-10}"
  TABLES_YAML="sharded-tables:
$TPCB_TABLES_YAML"
  require_tools
  start_cluster
  start_proxy
  tpcb_setup
}

# tpcb_run port user seconds mode : pgbench's built-in tpcb-like script (it reads the scale from
# count(*) of pgbench_branches); -n as everywhere: no vacuum or truncate before the run.
# Prints the TPS; on an error, pgbench's error lines and exits.
tpcb_run() {
  local out="$WORK/tpcb.out"
  if ! pgbench -n -b tpcb-like -M "$4" -c "$C" -j "$J" -T "$3" -h 127.0.0.1 -p "$1" -U "$2" "$DB" > "$out" 2>&1 \
      || grep -q '^number of failed transactions: [1-9]' "$out"; then
    echo "pgbench -b tpcb-like -M $4 against port $1 failed:" >&2
    grep -iE 'error|abort|fatal|failed' "$out" | head -5 >&2
    exit 1
  fi
  tps < "$out"
}

# txn_counters : "one_phase two_phase" commit counters from the proxy's SHOW TRANSACTIONS, found
# by column name (or, should the command answer a row per counter, by row name); prints nothing
# when the proxy has no such command or its answer has neither shape.
txn_counters() {
  local out
  out="$(proxy_psql -F $'\t' -P tuples_only=off -P footer=off -c "show transactions" 2>/dev/null)" || return 0
  awk -F '\t' '
    NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
    NR == 2 && ("one_phase_commits" in col) && ("two_phase_commits" in col) {
      one = $col["one_phase_commits"]; two = $col["two_phase_commits"] }
    $1 == "one_phase_commits" { one = $NF }
    $1 == "two_phase_commits" { two = $NF }
    END { if (one ~ /^[0-9]+$/ && two ~ /^[0-9]+$/) print one, two }' <<<"$out"
}

# tpcb_check_balances : TPC-B's invariant through the proxy; exits 1 when it does not hold.
tpcb_check_balances() {
  # TPC-B's invariant: every committed transaction adds the same delta to an account, a teller and a
  # branch and records it in history, so the four sums agree unless a transaction half-committed.
  a="$(proxy_psql -c "select sum(abalance) from pgbench_accounts")"
  t="$(proxy_psql -c "select sum(tbalance) from pgbench_tellers")"
  b="$(proxy_psql -c "select sum(bbalance) from pgbench_branches")"
  h="$(proxy_psql -c "select sum(delta) from pgbench_history")"
  h="${h:-0}"   # null when no transaction was recorded at all
  if [ "$a" = "$t" ] && [ "$t" = "$b" ] && [ "$b" = "$h" ]; then
    echo "balances through the proxy agree (accounts = tellers = branches = history deltas = $a)"
  else
    echo "balances through the proxy disagree: accounts $a, tellers $t, branches $b, history deltas $h"
    exit 1
  fi
}

# ---- COPY (copy.sh, all.sh) ----

# copy_file rows file : rows of tbl(id, info, crt_time) in COPY text format.
copy_file() {
  direct_psql -c "copy (select g, md5(g::text), timestamp '2026-01-01' + g * interval '1 second'
                        from generate_series(1, $1) g) to stdout" > "$2"
}

# copy_load target table file : seconds to \copy the file into table through target (proxy or
# direct), after emptying it.
copy_load() {
  local run=(direct_psql)
  [ "$1" = proxy ] && run=(proxy_psql)
  "${run[@]}" -c "truncate $2" >/dev/null
  local start end
  start=$(date +%s.%N)
  "${run[@]}" -c "\\copy $2 from '$3'" >/dev/null
  end=$(date +%s.%N)
  awk -v s="$start" -v e="$end" 'BEGIN { printf "%.3f", e - s }'
}

# tpcb_share mode "one two" "one two" : the share of two-phase commits between two txn_counters.
tpcb_share() {
  if [ -n "$2" ] && [ -n "$3" ]; then
    awk -v m="$1" -v b="$2" -v a="$3" 'BEGIN {
      split(b, x, " "); split(a, y, " "); one = y[1] - x[1]; two = y[2] - x[2]
      if (one + two > 0) printf "2PC share, -M %s: %.1f%% (%d two-phase of %d commits)\n", m, 100 * two / (one + two), two, one + two
      else printf "2PC share, -M %s: n/a (no commits counted)\n", m }'
  else
    echo "2PC share, -M $1: n/a (SHOW TRANSACTIONS not available)"
  fi
}
