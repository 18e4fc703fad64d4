#!/usr/bin/env bash
# A fan-out `SELECT * FROM big ORDER BY k` over ROWS rows (10 million by default) through the
# proxy under each heap size in HEAPS, read as a stream by a client that keeps nothing. Prints,
# per heap, whether the scan completed with every row in order, the time, and the proxy's peak RSS;
# the smallest heap that completes is the proxy's heap ceiling for an ordered scan of any size.
#
#   bench/ordered-scan.sh            # ROWS=10000000 HEAPS="32m 64m 128m"
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
ROWS="${ROWS:-10000000}"
HEAPS="${HEAPS:-32m 64m 128m}"
TABLES_YAML="sharded-tables:
  - {name: big, shard-key: id, algorithm: mod, buckets: 4}"

require_tools
start_cluster
start_proxy
echo "Loading $ROWS rows (this takes a while) ..."
proxy_psql -c "create table big (id bigint primary key, k bigint, pad text)"
pids=()
for i in 0 1 2 3; do
  shard_psql "$i" -c "insert into big select g, (g::bigint * 7919) % $ROWS, 'padding-' || g from generate_series(1, $ROWS) g where abs(mod(g, 4)) = $i" \
    -c "create index on big (k)" -c "vacuum analyze big" &
  pids+=($!)
done
for p in "${pids[@]}"; do wait "$p"; done
kill -TERM "$PROXY_PID"; wait "$PROXY_PID" 2>/dev/null || true; PROXY_PID=""

CP="$ROOT/integration-tests/target/shardproxy-integration-tests-0.1.0-SNAPSHOT.jar:$(cat "$ROOT/integration-tests/target/classpath.txt")"
echo
printf '%-8s %-10s %12s %10s %s\n' heap result rows seconds "proxy peak RSS"
for heap in $HEAPS; do
  PROXY_JAVA_OPTS="-Xmx$heap -XX:+ExitOnOutOfMemoryError"
  start_proxy >/dev/null
  out="$(java -cp "$CP" io.shardproxy.cluster.StreamReader "$PROXY_PORT" bench "$DB" "select * from big order by k" 1 2>&1 || true)"
  rss="$(proxy_rss_mb)"
  rows="$(sed -n 's/.*rows=\([0-9]*\).*/\1/p' <<<"$out")"
  secs="$(sed -n 's/.*seconds=\([0-9.]*\).*/\1/p' <<<"$out")"
  if [[ "$out" == *"ordered=true"* && "$rows" == "$ROWS" ]] && kill -0 "$PROXY_PID" 2>/dev/null; then result=completed; else result="FAILED"; fi
  printf '%-8s %-10s %12s %10s %s MB\n' "$heap" "$result" "${rows:-0}" "${secs:--}" "$rss"
  [ "$result" = FAILED ] && echo "  $out" | head -3
  kill -TERM "$PROXY_PID" 2>/dev/null || true; wait "$PROXY_PID" 2>/dev/null || true; PROXY_PID=""
done
