#!/usr/bin/env bash
# Stops the cluster scripts/postgres/start.sh started (fast shutdown); --clean also deletes its state dir.
set -euo pipefail
dir=${FOIA_POSTGRES_DIR:-/tmp/foia-postgres}
bin=${FOIA_POSTGRES_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)}
as_owner() {
  if [[ $(id -u) == 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi
}
if [[ -f $dir/data/PG_VERSION ]] && as_owner "$bin/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then
  as_owner "$bin/pg_ctl" -D "$dir/data" -m fast -w -t 60 stop >&2
else
  echo "postgres: not running in $dir/data" >&2
fi
if [[ ${1:-} == --clean ]]; then
  rm -rf "$dir"
fi
