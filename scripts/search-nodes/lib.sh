# Shared by start.sh and stop.sh (sourced, not run).
# shellcheck shell=bash

SEARCH_NODES_SRC=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
STATE_DIR=${FOIA_SEARCH_NODES_DIR:-/tmp/foia-search-nodes}

# flavor -> settings (ports overridable through the environment)
node_http_port() {
  case $1 in
    opensearch) echo "${FOIA_OPENSEARCH_PORT:-9200}" ;;
    elasticsearch) echo "${FOIA_ELASTICSEARCH_PORT:-9201}" ;;
  esac
}
node_transport_port() {
  case $1 in
    opensearch) echo "${FOIA_OPENSEARCH_TRANSPORT_PORT:-9300}" ;;
    elasticsearch) echo "${FOIA_ELASTICSEARCH_TRANSPORT_PORT:-9301}" ;;
  esac
}
node_main_class() {
  case $1 in
    opensearch) echo org.foiadiscovery.searchnodes.OpenSearchLauncher ;;
    elasticsearch) echo org.foiadiscovery.searchnodes.ElasticsearchLauncher ;;
  esac
}
node_project() { echo "$SEARCH_NODES_SRC/$1-launcher"; }
node_url() { echo "http://127.0.0.1:$(node_http_port "$1")"; }
node_pidfile() { echo "$STATE_DIR/$1.pid"; }
node_log() { echo "$STATE_DIR/$1.log"; }

# which flavors an argument names
flavors_of() {
  case ${1:-all} in
    all) echo opensearch elasticsearch ;;
    opensearch | os) echo opensearch ;;
    elasticsearch | es) echo elasticsearch ;;
    *) echo "unknown node '$1' (expected opensearch, elasticsearch or all)" >&2; return 2 ;;
  esac
}

# pid of our running node of this flavor, or nothing (checks the pid still is our launcher)
node_running_pid() {
  local pidfile pid
  pidfile=$(node_pidfile "$1")
  [[ -f $pidfile ]] || return 1
  pid=$(cat "$pidfile" 2>/dev/null) || return 1
  [[ $pid =~ ^[0-9]+$ ]] || return 1
  [[ -r /proc/$pid/cmdline ]] || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" | grep -q -- "$(node_main_class "$1")" || return 1
  echo "$pid"
}

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# GET a URL, print the body; fails on connection errors and non-2xx
http_get() {
  if command -v curl >/dev/null 2>&1; then
    curl -sf -m "${2:-5}" "$1"
  else
    python3 - "$1" "${2:-5}" <<'PY'
import sys, urllib.request
try:
    with urllib.request.urlopen(sys.argv[1], timeout=float(sys.argv[2])) as r:
        sys.stdout.write(r.read().decode())
except Exception:
    sys.exit(1)
PY
  fi
}

node_healthy() { # yellow or green within ~1s
  http_get "$(node_url "$1")/_cluster/health?wait_for_status=yellow&timeout=1s" 5 2>/dev/null |
    grep -qE '"status":"(green|yellow)"'
}
