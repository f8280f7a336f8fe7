#!/bin/sh
# Turns Docker secrets into FOIA_* settings, then runs the command (foia serve / foia worker / ...).
#   FOIA_<NAME>_FILE=/run/secrets/x      ->  FOIA_<NAME> = content of that file (e.g. FOIA_SEARCH_PASSWORD)
#   FOIA_DATABASE_PASSWORD_FILE=/run/secrets/postgres_password
#                                        ->  FOIA_DATABASE_URL = postgresql+psycopg://USER:PASSWORD@HOST:PORT/NAME
#      from FOIA_DATABASE_USER (foia), FOIA_DATABASE_HOST (postgres), FOIA_DATABASE_PORT (5432),
#      FOIA_DATABASE_NAME (foia); the password is URL-encoded.
# A secret named but missing or empty stops the container: no service starts with a default secret.
set -eu

read_secret() {
  if [ ! -s "$2" ]; then
    echo "entrypoint: $1 names $2, which is missing or empty: create the secret (see docs/SCALE.md)" >&2
    exit 78
  fi
  # Trailing newlines are dropped by the command substitution, as editors add one.
  cat "$2"
}

if [ -n "${FOIA_DATABASE_PASSWORD_FILE:-}" ]; then
  password=$(read_secret FOIA_DATABASE_PASSWORD_FILE "$FOIA_DATABASE_PASSWORD_FILE")
  encoded=$(python -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1], safe=""))' "$password")
  FOIA_DATABASE_URL="postgresql+psycopg://${FOIA_DATABASE_USER:-foia}:${encoded}@${FOIA_DATABASE_HOST:-postgres}:${FOIA_DATABASE_PORT:-5432}/${FOIA_DATABASE_NAME:-foia}"
  export FOIA_DATABASE_URL
  unset FOIA_DATABASE_PASSWORD_FILE password encoded
fi

for var in $(env | sed -n 's/^\(FOIA_[A-Z0-9_]*\)_FILE=.*/\1/p'); do
  file=$(printenv "${var}_FILE")
  value=$(read_secret "${var}_FILE" "$file")
  export "$var=$value"
  unset "${var}_FILE"
done

exec "$@"
