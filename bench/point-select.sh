#!/usr/bin/env bash
# Point select by shard key: ShardProxy over 4 shards versus one direct PostgreSQL, in one run.
#
#   bench/point-select.sh     # ROWS=200000 T=30 C=8 J=2 WARMUP=10 MODES="simple extended prepared"
#
# Loads ROWS rows of tbl(id, info, crt_time), then for each pgbench query mode in MODES runs
# pgbench (-M mode -c C -j J, T seconds) with `select * from tbl where id = :id` against the
# proxy and the direct server, and prints both TPS figures, their ratio and the proxy's peak RSS.
# Everything it starts is stopped on exit.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
ROWS="${ROWS:-200000}"
TABLES_YAML="sharded-tables:
  - {name: tbl, shard-key: id, algorithm: mod, buckets: 4}"

require_tools
start_cluster
start_proxy
echo "Loading $ROWS rows ..."
create_table "create table tbl (id int primary key, info text, crt_time timestamp)"
load_rows tbl "$ROWS" "g, md5(g::text), now()"

printf '\\set id random(1, %d)\nselect * from tbl where id = :id;\n' "$ROWS" > "$WORK/point.sql"
MODES="${MODES:-simple extended prepared}"
echo "Measuring (warm-up $WARMUP s, then $T s each, -c $C -j $J, $ROWS rows, modes: $MODES) ..."
echo
print_header
for mode in $MODES; do
  compare "W1 point select by key, -M $mode" "$WORK/point.sql" "$mode"
done
echo "proxy peak RSS: $(proxy_rss_mb) MB"
