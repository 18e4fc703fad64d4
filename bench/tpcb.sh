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
SCALE="${SCALE:-10}"
[[ "$SCALE" =~ ^[1-9][0-9]*$ ]] || { echo "SCALE must be a positive integer, got '$SCALE'"; exit 2; }
TABLES_YAML="sharded-tables:
  - {name: pgbench_accounts, shard-key: aid, algorithm: mod, buckets: 4}
  - {name: pgbench_tellers, shard-key: tid, algorithm: mod, buckets: 4}
  - {name: pgbench_branches, shard-key: bid, algorithm: mod, buckets: 4}
  - {name: pgbench_history, shard-key: aid, algorithm: mod, buckets: 4}"

require_tools
start_cluster
start_proxy
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
  if [ -n "$before" ] && [ -n "$after" ]; then
    shares+=("$(awk -v m="$mode" -v b="$before" -v a="$after" 'BEGIN {
      split(b, x, " "); split(a, y, " "); one = y[1] - x[1]; two = y[2] - x[2]
      if (one + two > 0) printf "2PC share, -M %s: %.1f%% (%d two-phase of %d commits)", m, 100 * two / (one + two), two, one + two
      else printf "2PC share, -M %s: n/a (no commits counted)", m }')")
  else
    shares+=("2PC share, -M $mode: n/a (SHOW TRANSACTIONS not available)")
  fi
done
printf '%s\n' "${shares[@]}"
echo "proxy peak RSS: $(proxy_rss_mb) MB"

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
