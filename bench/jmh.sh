#!/usr/bin/env bash
# JMH benchmarks of the proxy's per-statement CPU (router and merge operators); see bench/README.md.
# Builds bench/jmh/target/benchmarks.jar when it is missing or older than the sources, then runs it
# with every argument passed to JMH. SHARDPROXY_MVN_OFFLINE=1 builds offline, as ./shardproxy does.
#
#   bench/jmh.sh                                 every benchmark, the annotated warmup and measurement
#   bench/jmh.sh -f 1 -wi 3 -i 5 -w 1 -r 1       the run in bench/README.md
#   bench/jmh.sh RouterBench.pointSelect -prof gc
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
JAR="bench/jmh/target/benchmarks.jar"
MVN=(mvn -B -q -Dstyle.color=never)
[ -n "${SHARDPROXY_MVN_OFFLINE:-}" ] && MVN+=(-o)

needs_build() {
  [ -f "$JAR" ] || return 0
  [ -n "$(find pom.xml config merge-engine sql-router bench/jmh -newer "$JAR" -type f \
      \( -name pom.xml -o -path '*/src/*' \) -print -quit 2>/dev/null)" ]
}

if needs_build; then
  echo "Building $JAR ..." >&2
  log="$(mktemp)"
  if ! "${MVN[@]}" -DskipTests -pl bench/jmh -am package > "$log" 2>&1; then
    cat "$log" >&2
    rm -f "$log"
    echo "Build failed." >&2
    exit 1
  fi
  rm -f "$log"
  touch "$JAR"
fi

exec java -jar "$JAR" "$@"
