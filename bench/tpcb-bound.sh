#!/usr/bin/env bash
# What bounds W5 (TPC-B with two-phase commit) on this machine, measured in one run.
#
#   bench/tpcb-bound.sh                 # SCALE=10 T=30 WARMUP=10 C=8 J=2, simple protocol
#
# Loads pgbench's tables as bench/tpcb.sh does, then runs three pgbench scripts:
#   block     TPC-B's transaction (BEGIN, five statements, END), as pgbench -b tpcb-like
#   auto      the same five statements without BEGIN/END: each commits alone, on one shard, and
#             goes through the proxy's relay (no worker hand-off, no two-phase commit)
#   prepared  on the direct server only: TPC-B's transaction ended by PREPARE TRANSACTION and
#             COMMIT PREPARED instead of END, what two-phase commit costs one participant
# and prints each one's TPS through the proxy and directly, with ratios to direct TPC-B.
# docs/performance.md ("What limits each number", W5) reads these figures.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
tpcb_start

statements='UPDATE pgbench_accounts SET abalance = abalance + :delta WHERE aid = :aid;
SELECT abalance FROM pgbench_accounts WHERE aid = :aid;
UPDATE pgbench_tellers SET tbalance = tbalance + :delta WHERE tid = :tid;
UPDATE pgbench_branches SET bbalance = bbalance + :delta WHERE bid = :bid;
INSERT INTO pgbench_history (tid, bid, aid, delta, mtime) VALUES (:tid, :bid, :aid, :delta, CURRENT_TIMESTAMP);'
variables='\set aid random(1, 100000 * :scale)
\set bid random(1, 1 * :scale)
\set tid random(1, 10 * :scale)
\set delta random(-5000, 5000)'
printf '%s\nBEGIN;\n%s\nEND;\n' "$variables" "$statements" > "$WORK/block.sql"
printf '%s\n%s\n' "$variables" "$statements" > "$WORK/auto.sql"
# A random gid per transaction; pgbench substitutes :g inside the quotes (simple protocol).
printf '%s\n\\set g random(1, 4000000000000)\nBEGIN;\n%s\nPREPARE TRANSACTION '"'"'bound:g'"'"';\nCOMMIT PREPARED '"'"'bound:g'"'"';\n' \
  "$variables" "$statements" > "$WORK/prepared.sql"

# run script port user seconds : prints the TPS
run() {
  pgbench -n -s "$SCALE" -M simple -c "$C" -j "$J" -T "$4" -f "$WORK/$1.sql" -h 127.0.0.1 -p "$2" -U "$3" "$DB" \
    2>&1 | tps
}

echo "Warming up ($WARMUP s each) ..."
for s in block auto; do
  run "$s" "$PROXY_PORT" bench "$WARMUP" >/dev/null
  run "$s" "$DIRECT_PORT" postgres "$WARMUP" >/dev/null
done
run prepared "$DIRECT_PORT" postgres "$WARMUP" >/dev/null

echo "Measuring ($T s each, -c $C -j $J, scale $SCALE) ..."
block_direct="$(run block "$DIRECT_PORT" postgres "$T")"
block_proxy="$(run block "$PROXY_PORT" bench "$T")"
auto_direct="$(run auto "$DIRECT_PORT" postgres "$T")"
auto_proxy="$(run auto "$PROXY_PORT" bench "$T")"
prepared_direct="$(run prepared "$DIRECT_PORT" postgres "$T")"
echo
printf '%-52s %10s %10s %s\n' script "direct" "proxy" "ratio to direct TPC-B"
awk -v bd="$block_direct" -v bp="$block_proxy" -v ad="$auto_direct" -v ap="$auto_proxy" -v pd="$prepared_direct" 'BEGIN {
  printf "%-52s %10.1f %10.1f %.2f\n", "TPC-B (BEGIN, five statements, END)", bd, bp, bp / bd
  printf "%-52s %10.1f %10.1f %.2f\n", "the five statements in autocommit (relayed)", ad, ap, ap / bd
  printf "%-52s %10.1f %10s %.2f (direct)\n", "TPC-B ended by PREPARE + COMMIT PREPARED", pd, "-", pd / bd
}'
