#!/usr/bin/env bash
# Fan-out reads that the proxy merges, versus one direct PostgreSQL with the same rows:
#   W3 count/sum/avg over every row, W4 top-10 by a timestamp, W6 GROUP BY with HAVING.
#
#   bench/merge.sh                   # ROWS=1000000 T=30 C=8 J=2 WARMUP=10
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
ROWS="${ROWS:-1000000}"
NGROUPS="${NGROUPS:-10000}"
TABLES_YAML="sharded-tables:
  - {name: events, shard-key: id, algorithm: mod, buckets: 4}"

require_tools
start_cluster
start_proxy
echo "Loading $ROWS rows ..."
create_table "create table events (id bigint primary key, grp int, ts timestamptz, amount numeric(12,2), name text)"
load_rows events "$ROWS" "g, g % $NGROUPS, timestamptz '2026-01-01' + g * interval '1 second', (g % 1000) / 10.0, 'n' || (g % 97)"
proxy_psql -c "create index on events (ts)"
direct_psql -c "create index on events (ts)"

echo 'select count(*), sum(amount), avg(amount) from events;' > "$WORK/w3.sql"
echo 'select * from events order by ts desc limit 10;' > "$WORK/w4.sql"
echo "select grp, count(*), avg(amount) from events group by grp having count(*) > 99 order by grp;" > "$WORK/w6.sql"

echo "Measuring (warm-up $WARMUP s, then $T s each, -M $MODE -c $C -j $J) ..."
echo
print_header
compare "W3 count/sum/avg, $ROWS rows" "$WORK/w3.sql"
compare "W4 top-10 by timestamp" "$WORK/w4.sql"
compare "W6 GROUP BY $NGROUPS groups + HAVING" "$WORK/w6.sql"
echo "proxy peak RSS: $(proxy_rss_mb) MB"
