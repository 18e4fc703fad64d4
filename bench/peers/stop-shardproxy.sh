#!/usr/bin/env bash
# Stop the ShardProxy started by start-shardproxy.sh: SIGTERM the PID recorded in
# /tmp/peers/run/shardproxy.pid, wait up to 15 s, then SIGKILL. Never kills by name.
set -euo pipefail
DATA_ROOT="${DATA_ROOT:-/tmp/peers}"
PIDF="$DATA_ROOT/run/shardproxy.pid"
[ -f "$PIDF" ] || { echo "shardproxy: no pid file"; exit 0; }
PID="$(cat "$PIDF")"
if kill -0 "$PID" 2>/dev/null; then
  kill "$PID"
  for _ in $(seq 1 30); do kill -0 "$PID" 2>/dev/null || break; sleep 0.5; done
  if kill -0 "$PID" 2>/dev/null; then kill -9 "$PID"; fi
  echo "shardproxy (pid $PID) stopped"
else
  echo "shardproxy (pid $PID) was not running"
fi
rm -f "$PIDF"
