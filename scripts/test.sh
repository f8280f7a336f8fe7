#!/usr/bin/env bash
# Sets up everything the tests need, starts the services they use (OpenSearch, Elasticsearch, PostgreSQL),
# runs ruff, mypy and the whole test suite, and stops the services. Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
started=$(date +%s)
scripts/setup.sh --test
source .venv/bin/activate

echo "== ruff" >&2
ruff check .
ruff format --check .
echo "== mypy" >&2
mypy

services=()
cleanup() {
  for s in "${services[@]}"; do "$s" >/dev/null 2>&1 || true; done
}
trap cleanup EXIT
if [[ -x scripts/search-nodes/start.sh && ${FOIA_TEST_SEARCH_NODES:-1} == 1 ]]; then
  echo "== starting search nodes" >&2
  services+=(scripts/search-nodes/stop.sh)
  scripts/search-nodes/start.sh all >&2
  export FOIA_TEST_OPENSEARCH_URL=http://127.0.0.1:${FOIA_OPENSEARCH_PORT:-9200}
  export FOIA_TEST_ELASTICSEARCH_URL=http://127.0.0.1:${FOIA_ELASTICSEARCH_PORT:-9201}
fi
if [[ -x scripts/postgres/start.sh && ${FOIA_TEST_POSTGRES:-1} == 1 ]]; then
  echo "== starting PostgreSQL" >&2
  services+=(scripts/postgres/stop.sh)
  FOIA_TEST_DATABASE_URL=$(scripts/postgres/start.sh)
  export FOIA_TEST_DATABASE_URL
fi

echo "== pytest" >&2
status=0
# One test process per core (pytest-xdist): the tests keep their own data dirs, ports, index names and
# PostgreSQL schemas, so two run side by side; FOIA_TEST_PROCESSES=0 runs them in this one process.
python -m pytest -p no:cacheprovider -n "${FOIA_TEST_PROCESSES:-$(nproc)}" "$@" || status=$?
echo "test.sh: finished in $(($(date +%s) - started))s with status $status" >&2
exit $status
