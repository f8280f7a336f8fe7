"""Container health checks (run through entrypoint.sh, so secrets are read as in the service).

    healthcheck.py api     -> the API answers /api/v1/openapi.json on FOIA_PORT (any status below 500)
    healthcheck.py worker  -> the catalog database answers (a worker without it cannot claim jobs)
Exit 0 when healthy, 1 otherwise, with the reason on stderr.
"""

from __future__ import annotations

import os
import sys
import urllib.error
import urllib.request


def api() -> None:
    """Healthy when the API answers at all below 500 (with sign-in on, 401 is an answer)."""
    port = os.environ.get("FOIA_PORT", "8000")
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/openapi.json", timeout=5) as resp:
            status = resp.status
    except urllib.error.HTTPError as exc:
        status = exc.code
    if status >= 500:
        raise RuntimeError(f"API answered {status}")


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
