"""The browser UI: static HTML, CSS and ES modules served at `/`, reading only the public /api/v1.

There is no build step. `mount_frontend(app)` serves the assets under `/static/` and the one page,
index.html, for `/` and for every client-side route (the JavaScript router renders the screen from the
URL), with a Content-Security-Policy that forbids inline scripts and styles.
"""

from __future__ import annotations

import os
from os import PathLike
from pathlib import Path

from fastapi import FastAPI
from fastapi.responses import Response
from fastapi.staticfiles import StaticFiles
from starlette.types import Scope

STATIC_DIR = Path(__file__).resolve().parent / "static"

# The same policy as api.security.UI_CSP (which api.app adds to every response that has none), so the
# page is as strict when the UI is mounted on an app without that middleware.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
    "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
    "frame-ancestors 'none'"
)

# Client-side routes; each answers with index.html and the router in static/js/router.js takes over.
UI_ROUTES: tuple[str, ...] = (
    "/",
    "/search",
    "/batch",
    "/documents/{rest:path}",
    "/entities",
    "/entities/{rest:path}",
    "/productions",
    "/productions/{rest:path}",
    "/saved",
    "/alerts",
    "/watchlists",
    "/watchlists/{rest:path}",
)

PAGE_HEADERS: dict[str, str] = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Cache-Control": "no-cache",
}


class RevalidatedStaticFiles(StaticFiles):
    """Static assets that browsers revalidate (ETag) on every use, so an upgrade is never half-applied:
    without a build step the module file names carry no content hash."""

    def file_response(
        self, full_path: PathLike[str] | str, stat_result: os.stat_result, scope: Scope, status_code: int = 200
    ) -> Response:
        response = super().file_response(full_path, stat_result, scope, status_code)
        response.headers["Cache-Control"] = "no-cache"
        response.headers["X-Content-Type-Options"] = "nosniff"
        return response


def mount_frontend(app: FastAPI) -> None:
    """Serve the UI: index.html at `/` and at client routes, assets under `/static/`."""
    index_html = (STATIC_DIR / "index.html").read_bytes()

    async def ui_page() -> Response:
        return Response(index_html, media_type="text/html; charset=utf-8", headers=PAGE_HEADERS)

    for path in UI_ROUTES:
        app.add_api_route(path, ui_page, methods=["GET", "HEAD"], include_in_schema=False)
    app.mount("/static", RevalidatedStaticFiles(directory=STATIC_DIR), name="static")


__all__ = ["CONTENT_SECURITY_POLICY", "STATIC_DIR", "mount_frontend"]
