#!/usr/bin/env bash
# COPY FROM STDIN of ROWS rows: ShardProxy over 4 shards versus one direct PostgreSQL, in one run.
#
#   bench/copy.sh            # ROWS=1000000 RUNS=3
#
# Writes ROWS rows of tbl(id, info, crt_time) in COPY text format to a file once, then RUNS times
# empties the table and loads the file with psql's \copy, through the proxy (every row routed to
# its shard by id) and into the direct server, and prints the best rows per second of each and
# their ratio. Everything it starts is stopped on exit.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
ROWS="${ROWS:-1000000}"
RUNS="${RUNS:-3}"
TABLES_YAML="sharded-tables:
  - {name: tbl, shard-key: id, algorithm: mod, buckets: 4}"

require_tools
start_cluster
start_proxy
create_table "create table tbl (id int primary key, info text, crt_time timestamp)"
echo "Writing $ROWS rows ..."
copy_file "$ROWS" "$WORK/rows.copy"
echo "file: $(du -m "$WORK/rows.copy" | cut -f1) MB"

best_direct=""
best_proxy=""
for run in $(seq 1 "$RUNS"); do
  d=$(copy_load direct tbl "$WORK/rows.copy")
  p=$(copy_load proxy tbl "$WORK/rows.copy")
  echo "run $run: direct ${d}s, proxy ${p}s"
  best_direct=$(awk -v a="$best_direct" -v b="$d" 'BEGIN { print (a == "" || b < a) ? b : a }')
  best_proxy=$(awk -v a="$best_proxy" -v b="$p" 'BEGIN { print (a == "" || b < a) ? b : a }')
done
count=$(proxy_psql -c "select count(*) from tbl")
[ "$count" = "$ROWS" ] || { echo "proxy holds $count rows, expected $ROWS"; exit 1; }
echo
printf '%-34s %14s %14s %8s\n' workload "direct rows/s" "proxy rows/s" ratio
awk -v n="$ROWS" -v d="$best_direct" -v p="$best_proxy" \
  'BEGIN { printf "%-34s %14.0f %14.0f %8.2f\n", "COPY FROM STDIN, " n " rows", n / d, n / p, d / p }'
echo "proxy peak RSS: $(proxy_rss_mb) MB"
