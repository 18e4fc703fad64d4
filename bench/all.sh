#!/usr/bin/env bash
# Every workload of the performance targets in one run, ShardProxy over 4 shards versus one direct
# PostgreSQL holding the same rows, on this machine:
#
#   bench/all.sh              # ROWS=1000000 SCALE=10 COPY_ROWS=1000000 T=30 C=8 J=2 WARMUP=10
#   T=5 WARMUP=2 ROWS=100000 SCALE=1 COPY_ROWS=100000 bench/all.sh   # a quick look
#   WORKLOADS="w1 w5" bench/all.sh                                     # some of them
#
# W1 point select by key (simple, extended, prepared), W2 single-row insert by key (simple,
# prepared), W3 fan-out count/sum/avg over ROWS rows, W4 fan-out top-10 by an indexed timestamp,
# W5 pgbench's TPC-B (simple, prepared; two-phase commit where a transaction writes on several
# shards), COPY FROM STDIN of COPY_ROWS rows (best of 3). Prints a table of TPS (rows/s for COPY),
# the ratio to direct and the target for each, the proxy's peak RSS, and writes the same table to
# RESULTS (default bench/results/<time>.md). Everything it starts is stopped on exit.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
ROWS="${ROWS:-1000000}"
SCALE="${SCALE:-10}"
COPY_ROWS="${COPY_ROWS:-1000000}"
WORKLOADS="${WORKLOADS:-w1 w2 w3 w4 w5 copy}"
RESULTS="${RESULTS:-$ROOT/bench/results/$(date -u +%Y%m%d-%H%M%S).md}"
TABLES_YAML="sharded-tables:
  - {name: tbl, shard-key: id, algorithm: mod, buckets: 4}
  - {name: copy_tbl, shard-key: id, algorithm: mod, buckets: 4}
$TPCB_TABLES_YAML"

wants() { [[ " $WORKLOADS " == *" $1 "* ]]; }

require_tools
start_cluster
start_proxy
echo "Loading $ROWS rows of tbl ..."
create_table "create table tbl (id bigint primary key, info text, crt_time timestamp)"
load_rows tbl "$ROWS" "g, md5(g::text), timestamp '2026-01-01' + g * interval '1 second'"
create_table "create index tbl_crt_time on tbl (crt_time)"
if wants w5; then tpcb_setup; fi
if wants copy; then
  create_table "create table copy_tbl (id int primary key, info text, crt_time timestamp)"
  copy_file "$COPY_ROWS" "$WORK/rows.copy"
fi

printf '\\set id random(1, %d)\nselect * from tbl where id = :id;\n' "$ROWS" > "$WORK/w1.sql"
# new ids far above the loaded range; removed after each run
printf '\\set id random(1000000000000, 9000000000000000000)\ninsert into tbl (id, info, crt_time) values (:id, %s, now());\n' \
  "'x'" > "$WORK/w2.sql"
echo 'select count(*), sum(id), avg(id) from tbl;' > "$WORK/w3.sql"
echo 'select * from tbl order by crt_time desc limit 10;' > "$WORK/w4.sql"

ROWS_OUT=()
# row name mode direct proxy target : one line of the table
row() {
  ROWS_OUT+=("$(awk -v n="$1" -v m="$2" -v d="$3" -v p="$4" -v t="$5" 'BEGIN {
    r = p / d; printf "| %s | %s | %.1f | %.1f | %.2f | %s %.2f |", n, m, d, p, r, (r >= t ? "met" : "missed"), t }')")
  echo "${ROWS_OUT[-1]}"
}

# measure name script mode target : warm both up, measure direct then proxy
measure() {
  local d p
  pgbench_run "$PROXY_PORT" bench "$WARMUP" "$2" "$3" >/dev/null
  pgbench_run "$DIRECT_PORT" postgres "$WARMUP" "$2" "$3" >/dev/null
  d="$(pgbench_run "$DIRECT_PORT" postgres "$T" "$2" "$3" | tps)"
  p="$(pgbench_run "$PROXY_PORT" bench "$T" "$2" "$3" | tps)"
  row "$1" "$3" "$d" "$p" "$4"
}

echo "Measuring (warm-up $WARMUP s, then $T s each, -c $C -j $J) ..."
echo "| workload | mode | direct | ShardProxy | ratio | target |"
echo "|---|---|---|---|---|---|"
if wants w1; then
  for mode in simple extended prepared; do measure "W1 point select by key" "$WORK/w1.sql" "$mode" 0.85; done
fi
if wants w2; then
  for mode in simple prepared; do
    measure "W2 single-row insert by key" "$WORK/w2.sql" "$mode" 0.8
    proxy_psql -c "delete from tbl where id > $ROWS" >/dev/null
    direct_psql -c "delete from tbl where id > $ROWS" >/dev/null
  done
fi
if wants w3; then measure "W3 fan-out count/sum/avg, $ROWS rows" "$WORK/w3.sql" simple 1.5; fi
if wants w4; then measure "W4 fan-out top-10" "$WORK/w4.sql" simple 0.25; fi
SHARES=()
if wants w5; then
  for mode in simple prepared; do
    tpcb_run "$PROXY_PORT" bench "$WARMUP" "$mode" >/dev/null
    tpcb_run "$DIRECT_PORT" postgres "$WARMUP" "$mode" >/dev/null
    d="$(tpcb_run "$DIRECT_PORT" postgres "$T" "$mode")"
    before="$(txn_counters)"
    p="$(tpcb_run "$PROXY_PORT" bench "$T" "$mode")"
    after="$(txn_counters)"
    row "W5 pgbench TPC-B, scale $SCALE" "$mode" "$d" "$p" 0.5
    SHARES+=("$(tpcb_share "$mode" "$before" "$after")")
  done
fi
if wants copy; then
  best_d=""
  best_p=""
  for run in 1 2 3; do
    d=$(copy_load direct copy_tbl "$WORK/rows.copy")
    p=$(copy_load proxy copy_tbl "$WORK/rows.copy")
    best_d=$(awk -v a="$best_d" -v b="$d" 'BEGIN { print (a == "" || b < a) ? b : a }')
    best_p=$(awk -v a="$best_p" -v b="$p" 'BEGIN { print (a == "" || b < a) ? b : a }')
  done
  row "COPY FROM STDIN, $COPY_ROWS rows (rows/s)" "psql \\copy" \
    "$(awk -v n="$COPY_ROWS" -v s="$best_d" 'BEGIN { print n / s }')" \
    "$(awk -v n="$COPY_ROWS" -v s="$best_p" 'BEGIN { print n / s }')" 0.8
fi
RSS="$(proxy_rss_mb)"
echo "proxy peak RSS: $RSS MB"
for s in "${SHARES[@]}"; do echo "$s"; done
if wants w5; then tpcb_check_balances; fi

mkdir -p "$(dirname "$RESULTS")"
{
  echo "# ShardProxy versus direct PostgreSQL"
  echo
  echo "$(date -u '+%Y-%m-%d %H:%M UTC'), commit $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?'),"
  echo "$(nproc) cores, $(awk '/MemTotal/ {printf "%d GiB", $2 / 1048576}' /proc/meminfo), proxy and 4 shards and the direct server on this machine;"
  echo "pgbench -c $C -j $J, $T s measured after $WARMUP s of warm-up; ROWS=$ROWS SCALE=$SCALE COPY_ROWS=$COPY_ROWS."
  echo
  echo "| workload | mode | direct | ShardProxy | ratio | target |"
  echo "|---|---|---|---|---|---|"
  printf '%s\n' "${ROWS_OUT[@]}"
  echo
  echo "Proxy peak RSS: $RSS MB."
  for s in "${SHARES[@]}"; do echo "$s."; done
} > "$RESULTS"
echo "results: $RESULTS"
