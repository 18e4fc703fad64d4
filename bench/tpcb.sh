#!/usr/bin/env bash
# pgbench's built-in TPC-B-like transaction: ShardProxy over 4 shards versus one direct
# PostgreSQL, in one run.
#
#   bench/tpcb.sh             # SCALE=10 T=30 C=8 J=2 WARMUP=10 MODES="simple prepared"
#   T=5 WARMUP=2 SCALE=1 bench/tpcb.sh   # a quick look
#
# Creates pgbench's four tables through the proxy (accounts sharded by aid, tellers by tid,
# branches by bid, history by aid) and on the direct server, loads them as `pgbench -i -s SCALE`
# would (each shard its own rows, the direct server all of them), then for each pgbench query mode
# in MODES runs `pgbench -b tpcb-like -n` (-M mode -c C -j J, T seconds) against the proxy and the
# direct server. Every transaction updates an account, a teller and a branch and inserts a history
# row inside BEGIN..END, usually on several shards. Prints both TPS figures, their ratio, the
# share of the proxy's commits that were two-phase (from SHOW TRANSACTIONS, when the proxy has
# it), the proxy's peak RSS, and checks the balances still add up through the proxy. Everything it
# starts is stopped on exit.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
tpcb_start

MODES="${MODES:-simple prepared}"
echo "Measuring (warm-up $WARMUP s, then $T s each, -c $C -j $J, scale $SCALE, modes: $MODES) ..."
echo
print_header
shares=()
for mode in $MODES; do
  tpcb_run "$PROXY_PORT" bench "$WARMUP" "$mode" >/dev/null
  tpcb_run "$DIRECT_PORT" postgres "$WARMUP" "$mode" >/dev/null
  direct="$(tpcb_run "$DIRECT_PORT" postgres "$T" "$mode")"
  before="$(txn_counters)"
  proxy="$(tpcb_run "$PROXY_PORT" bench "$T" "$mode")"
  after="$(txn_counters)"
  awk -v n="TPC-B-like, scale $SCALE, -M $mode" -v d="$direct" -v p="$proxy" \
    'BEGIN { printf "%-34s %12.1f %12.1f %8.2f\n", n, d, p, p / d }'
  shares+=("$(tpcb_share "$mode" "$before" "$after")")
done
printf '%s\n' "${shares[@]}"
echo "proxy peak RSS: $(proxy_rss_mb) MB"

tpcb_check_balances
