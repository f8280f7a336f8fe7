#!/usr/bin/env bash
# Starts a throwaway PostgreSQL cluster for tests and development (Debian's postgresql package):
# initdb under a state dir, pg_ctl start on 127.0.0.1, a role and a database with a generated password.
# Prints ONLY the catalog URL (postgresql+psycopg://...) on stdout; progress goes to stderr.
# Idempotent: started again while it runs, it prints the URL again. Run as root, the cluster runs as
# the `postgres` user (initdb refuses root). Stop it with scripts/postgres/stop.sh [--clean].
#
#   FOIA_POSTGRES_DIR   state dir (default /tmp/foia-postgres): data/, log, password, socket
#   FOIA_POSTGRES_PORT  port on 127.0.0.1 (default 5433)
#   FOIA_POSTGRES_DB    database and role name (default foia)
#   FOIA_POSTGRES_BIN   directory of initdb/pg_ctl (default: newest /usr/lib/postgresql/*/bin)
set -euo pipefail
dir=${FOIA_POSTGRES_DIR:-/tmp/foia-postgres}
port=${FOIA_POSTGRES_PORT:-5433}
db=${FOIA_POSTGRES_DB:-foia}
bin=${FOIA_POSTGRES_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)}
say() { echo "postgres: $*" >&2; }

if [[ -z $bin || ! -x $bin/initdb ]]; then
  say "initdb not found (install Debian's postgresql package: apt-get install -y postgresql)"
  exit 1
fi
if [[ ! $db =~ ^[a-z_][a-z0-9_]*$ ]]; then
  say "FOIA_POSTGRES_DB must be a plain lower-case identifier, got '$db'"
  exit 1
fi

as_owner() {
  if [[ $(id -u) == 0 ]]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

mkdir -p "$dir"
if [[ $(id -u) == 0 ]]; then
  chown postgres:postgres "$dir"
fi
chmod 700 "$dir"
data=$dir/data
log=$dir/postgres.log

if [[ ! -s $dir/password ]]; then
  (umask 077 && head -c 18 /dev/urandom | base64 | tr -d '/+=' >"$dir/password")
  [[ $(id -u) == 0 ]] && chown postgres:postgres "$dir/password"
fi
password=$(cat "$dir/password")

if [[ ! -f $data/PG_VERSION ]]; then
  say "initdb in $data"
  as_owner "$bin/initdb" -D "$data" -U postgres --auth-local=trust --auth-host=scram-sha-256 \
    -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 || {
    cat "$dir/initdb.log" >&2
    exit 1
  }
fi

if as_owner "$bin/pg_ctl" -D "$data" status >/dev/null 2>&1; then
  say "already running in $data"
else
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    say "port $port on 127.0.0.1 is taken by another process; set FOIA_POSTGRES_PORT"
    exit 1
  fi
  say "starting on 127.0.0.1:$port (log $log)"
  as_owner "$bin/pg_ctl" -D "$data" -l "$log" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c max_connections=200 -c fsync=off" start >&2 || {
    tail -n 20 "$log" >&2
    exit 1
  }
fi

psql=("$bin/psql" -X -q -v ON_ERROR_STOP=1 -h "$dir" -p "$port" -U postgres -d postgres)
if [[ $(as_owner "${psql[@]}" -tAc "SELECT 1 FROM pg_roles WHERE rolname = '$db'") != 1 ]]; then
  as_owner "${psql[@]}" -c "CREATE ROLE $db LOGIN PASSWORD '$password'" >&2
fi
if [[ $(as_owner "${psql[@]}" -tAc "SELECT 1 FROM pg_database WHERE datname = '$db'") != 1 ]]; then
  as_owner "${psql[@]}" -c "CREATE DATABASE $db OWNER $db" >&2
fi
echo "postgresql+psycopg://$db:$password@127.0.0.1:$port/$db"
