#!/usr/bin/env bash
# Stops the nodes that start.sh started (SIGTERM, the node closes cleanly; SIGKILL after 30 s).
#   scripts/search-nodes/stop.sh [opensearch|elasticsearch|all] [--clean]
# --clean also deletes the node's data under FOIA_SEARCH_NODES_DIR (default /tmp/foia-search-nodes).
set -euo pipefail
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

which=all clean=0
for a in "$@"; do
  case $a in
    --clean) clean=1 ;;
    *) which=$a ;;
  esac
done
flavors=$(flavors_of "$which")

for flavor in $flavors; do
  if pid=$(node_running_pid "$flavor"); then
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 60); do
      [[ -d /proc/$pid ]] || break
      sleep 0.5
    done
    if [[ -d /proc/$pid ]]; then
      echo "$flavor (pid $pid) did not stop in 30s, killing it" >&2
      kill -KILL "$pid" 2>/dev/null || true
    fi
    echo "stopped $flavor (pid $pid)"
  else
    echo "$flavor not running"
  fi
  rm -f "$(node_pidfile "$flavor")" "$STATE_DIR/$flavor.url" "$STATE_DIR/$flavor.started"
  if ((clean)); then rm -rf "${STATE_DIR:?}/$flavor"; fi
done
