"""Container health checks (run through entrypoint.sh, so secrets are read as in the service).

    healthcheck.py api     -> the API answers /api/v1/openapi.json on FOIA_PORT
    healthcheck.py worker  -> the catalog database answers (a worker without it cannot claim jobs)
Exit 0 when healthy, 1 otherwise, with the reason on stderr.
"""

from __future__ import annotations

import os
import sys
import urllib.request


def api() -> None:
    port = os.environ.get("FOIA_PORT", "8000")
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/openapi.json", timeout=5) as resp:
        if resp.status != 200:
            raise RuntimeError(f"API answered {resp.status}")


def worker() -> None:
    from sqlalchemy import create_engine, text

    from foia.settings import Settings

    engine = create_engine(Settings().catalog_url)
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    finally:
        engine.dispose()


if __name__ == "__main__":
    try:
        {"api": api, "worker": worker}[sys.argv[1]]()
    except Exception as exc:
        print(f"unhealthy: {exc}", file=sys.stderr)
        sys.exit(1)
