#!/usr/bin/env bash
# The main job on the embedded engines: set up, generate the sample production, ingest it, serve the
# API and UI on http://127.0.0.1:8000 (FOIA_PORT to change). Run again: it reuses what is there.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
scripts/setup.sh
export FOIA_DATA_DIR=${FOIA_DATA_DIR:-./data}
sample="$FOIA_DATA_DIR/sample-production"
[[ -f $sample/truth.json ]] || .venv/bin/foia sample "$sample"
.venv/bin/foia ingest "$sample"/*.pdf --production "Sample production"
exec .venv/bin/foia serve
