#!/usr/bin/env bash
# Starts single-node search engines on 127.0.0.1, built from Maven Central artifacts (no Docker):
#   OpenSearch 2.19.6      http://127.0.0.1:9200  (FOIA_OPENSEARCH_PORT, transport FOIA_OPENSEARCH_TRANSPORT_PORT=9300)
#   Elasticsearch 8.19.21  http://127.0.0.1:9201  (FOIA_ELASTICSEARCH_PORT, transport FOIA_ELASTICSEARCH_TRANSPORT_PORT=9301)
#
#   scripts/search-nodes/start.sh [opensearch|elasticsearch|all]     (default: all)
#
# Builds the launcher(s) with Maven (offline from ~/.m2 when it has everything, else online), starts each
# node in the background (log, pid and data under FOIA_SEARCH_NODES_DIR, default /tmp/foia-search-nodes),
# waits for cluster health yellow/green (FOIA_SEARCH_NODES_TIMEOUT seconds, default 180), and prints
# "<flavor> <url>" per node. A node that is already running is only reported. Stop with stop.sh.
# Heap per node: FOIA_SEARCH_NODES_HEAP (default 512m); extra JVM options: FOIA_SEARCH_NODES_JAVA_OPTS;
# extra launcher arguments (e.g. -Eaction.destructive_requires_name=false): FOIA_OPENSEARCH_ARGS,
# FOIA_ELASTICSEARCH_ARGS.
set -euo pipefail
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

flavors=$(flavors_of "${1:-all}")
timeout_s=${FOIA_SEARCH_NODES_TIMEOUT:-180}
heap=${FOIA_SEARCH_NODES_HEAP:-512m}
mkdir -p "$STATE_DIR"
# one start.sh at a time per state dir (the nodes must not inherit this descriptor: see 9>&- below)
if command -v flock >/dev/null; then exec 9>"$STATE_DIR/.start.lock"; flock 9; fi

java_bin() {
  if [[ -n ${FOIA_SEARCH_NODES_JAVA_HOME:-} ]]; then echo "$FOIA_SEARCH_NODES_JAVA_HOME/bin/java"
  elif [[ -n ${JAVA_HOME:-} && -x ${JAVA_HOME}/bin/java ]]; then echo "$JAVA_HOME/bin/java"
  else command -v java || { echo "start.sh: no java (need a JDK 17+)" >&2; exit 1; }
  fi
}

# Build the launcher unless its jar is newer than the pom and the sources.
build() {
  local flavor=$1 dir jar log
  dir=$(node_project "$flavor")
  jar="$dir/target/$flavor-launcher.jar"
  if [[ -f $jar && -d $dir/target/lib ]] && [[ -z $(find "$dir/pom.xml" "$dir/src" -newer "$jar" -print -quit) ]]; then
    return 0
  fi
  command -v mvn >/dev/null || { echo "start.sh: mvn not found (apt-get install maven)" >&2; exit 1; }
  log="$STATE_DIR/build-$flavor.log"
  echo "building $flavor launcher (log: $log)" >&2
  # -o first: after the first online build everything comes from ~/.m2
  if ! mvn -B -q -o -f "$dir/pom.xml" package >"$log" 2>&1; then
    echo "offline build incomplete, resolving from Maven Central" >&2
    if ! mvn -B -q -f "$dir/pom.xml" package >>"$log" 2>&1; then
      echo "start.sh: building the $flavor launcher failed:" >&2
      tail -n 30 "$log" >&2
      exit 1
    fi
  fi
}

launch() {
  local flavor=$1 dir port tport pid extra_args
  dir=$(node_project "$flavor")
  if [[ $flavor == opensearch ]]; then extra_args=${FOIA_OPENSEARCH_ARGS:-}; else extra_args=${FOIA_ELASTICSEARCH_ARGS:-}; fi
  port=$(node_http_port "$flavor")
  tport=$(node_transport_port "$flavor")
  for p in "$port" "$tport"; do
    if port_in_use "$p"; then
      echo "start.sh: port $p on 127.0.0.1 is already in use by another process, so $flavor cannot start." >&2
      echo "  Stop that process, or pick other ports, e.g. FOIA_$(echo "$flavor" | tr a-z A-Z)_PORT=..., FOIA_$(echo "$flavor" | tr a-z A-Z)_TRANSPORT_PORT=..." >&2
      return 1
    fi
  done
  mkdir -p "$STATE_DIR/$flavor/tmp"
  # shellcheck disable=SC2086 # FOIA_SEARCH_NODES_JAVA_OPTS and extra_args are lists of words
  nohup "$(java_bin)" -Xms"$heap" -Xmx"$heap" -Xss1m -XX:MaxDirectMemorySize=256m \
    -XX:+UseG1GC -XX:+ExitOnOutOfMemoryError -Djava.awt.headless=true -Dfile.encoding=UTF-8 \
    -Djava.io.tmpdir="$STATE_DIR/$flavor/tmp" -Dlog4j2.disable.jmx=true -Dlog4j.shutdownHookEnabled=false \
    ${FOIA_SEARCH_NODES_JAVA_OPTS:-} \
    -cp "$dir/target/$flavor-launcher.jar:$dir/target/lib/*" "$(node_main_class "$flavor")" \
    --home "$STATE_DIR/$flavor" --http-port "$port" --transport-port "$tport" --cluster-name "foia-$flavor" $extra_args \
    >"$(node_log "$flavor")" 2>&1 </dev/null 9>&- &
  pid=$!
  echo "$pid" >"$(node_pidfile "$flavor")"
  date +%s >"$STATE_DIR/$flavor.started"
}

wait_healthy() {
  local flavor=$1 t0=$2 how=$3 pid
  while :; do
    if node_healthy "$flavor"; then
      echo "$(node_url "$flavor")" >"$STATE_DIR/$flavor.url"
      if [[ $how == started ]]; then how="started in $(($(date +%s) - t0))s"; fi
      echo "$flavor $(node_url "$flavor"): $how, pid $(node_running_pid "$flavor"), log $(node_log "$flavor")" >&2
      return 0
    fi
    if ! pid=$(node_running_pid "$flavor"); then
      echo "start.sh: $flavor exited during start-up; last lines of $(node_log "$flavor"):" >&2
      tail -n 40 "$(node_log "$flavor")" >&2
      rm -f "$(node_pidfile "$flavor")"
      return 1
    fi
    if (($(date +%s) - t0 >= timeout_s)); then
      echo "start.sh: $flavor (pid $pid) not yellow/green after ${timeout_s}s (left running: stop.sh $flavor stops it); last lines of $(node_log "$flavor"):" >&2
      tail -n 40 "$(node_log "$flavor")" >&2
      return 1
    fi
    sleep 1
  done
}

rc=0
to_wait=()
declare -A how
to_start=()
for flavor in $flavors; do
  if node_running_pid "$flavor" >/dev/null; then
    to_wait+=("$flavor")  # already running (maybe still starting): only report it once healthy
    how[$flavor]="already running"
  else
    to_start+=("$flavor")
  fi
done
for flavor in "${to_start[@]}"; do build "$flavor"; done
for flavor in "${to_start[@]}"; do
  if launch "$flavor"; then
    to_wait+=("$flavor")
    how[$flavor]=started
  else
    rc=1
  fi
done

ok=()
for flavor in "${to_wait[@]}"; do
  if wait_healthy "$flavor" "$(cat "$STATE_DIR/$flavor.started" 2>/dev/null || date +%s)" "${how[$flavor]}"; then
    ok+=("$flavor")
  else
    rc=1
  fi
done
for flavor in "${ok[@]}"; do echo "$flavor $(node_url "$flavor")"; done
exit $rc
