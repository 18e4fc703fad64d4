#!/usr/bin/env bash
# What idle client connections cost the proxy: its RSS before and while CLIENTS clients are
# connected and idle.
#
#   bench/idle-clients.sh        # CLIENTS=1000 HOLD=10
#
# Starts 4 shards and the proxy, then opens CLIENTS connections (psycopg2, Debian's
# python3-psycopg2), each authenticated and idle, holds them HOLD seconds and prints the proxy's
# RSS before, while they are open, and the difference. Everything it starts is stopped on exit.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
CLIENTS="${CLIENTS:-1000}"
HOLD="${HOLD:-10}"
TABLES_YAML=""
/usr/bin/python3 -c "import psycopg2" 2>/dev/null \
  || { echo "needs Debian's python3-psycopg2 (apt-get install python3-psycopg2)"; exit 2; }

require_tools
start_cluster
start_proxy
rss() { awk '/^VmRSS:/ {printf "%d", $2 / 1024}' "/proc/$PROXY_PID/status"; }
# warm the proxy up a little so the baseline is not a cold JVM
for _ in $(seq 1 20); do proxy_psql -c "select 1" >/dev/null; done
before="$(rss)"
ulimit -n $((CLIENTS + 256)) 2>/dev/null || true
/usr/bin/python3 - "$CLIENTS" "$PROXY_PORT" "$HOLD" "$DB" > "$WORK/idle.out" 2>&1 <<'PY' &
import sys, time, psycopg2
n, port, hold, db = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3]), sys.argv[4]
conns = [psycopg2.connect(host="127.0.0.1", port=port, user="bench", dbname=db) for _ in range(n)]
print("open", len(conns), flush=True)
time.sleep(hold)
for c in conns:
    c.close()
PY
CLIENT_PID=$!
for _ in $(seq 1 600); do
  grep -q '^open' "$WORK/idle.out" 2>/dev/null && break
  kill -0 "$CLIENT_PID" 2>/dev/null || { cat "$WORK/idle.out"; exit 1; }
  sleep 0.1
done
sleep 2
during="$(rss)"
wait "$CLIENT_PID"
echo "proxy RSS with no client: $before MB; with $CLIENTS idle clients: $during MB; difference $((during - before)) MB"
