"""mount_frontend: index.html at / and at client routes with the CSP header, assets under /static/,
the API untouched. No browser needed."""

from __future__ import annotations

import asyncio
import re
from concurrent.futures import ThreadPoolExecutor

import httpx
from fastapi import FastAPI

from frontend import CONTENT_SECURITY_POLICY, STATIC_DIR, mount_frontend


def _app() -> FastAPI:
    app = FastAPI()

    @app.get("/api/v1/ping")
    def ping() -> dict[str, str]:
        return {"pong": "yes"}

    mount_frontend(app)
    return app


def _get(*paths: str) -> list[httpx.Response]:
    async def fetch() -> list[httpx.Response]:
        transport = httpx.ASGITransport(app=_app())
        async with httpx.AsyncClient(transport=transport, base_url="http://ui.test") as client:
            return [await client.get(path) for path in paths]

    # Playwright's sync API may already run an event loop in this thread (same pytest session).
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, fetch()).result()


def test_index_is_served_for_client_routes_with_a_csp():
    paths: tuple[str, ...] = ("/", "/search", "/batch", "/documents/doc_1", "/entities", "/entities/vendor:amazon")
    paths += ("/productions", "/productions/prd_1")
    for path, answer in zip(paths, _get(*paths), strict=True):
        assert answer.status_code == 200, path
        assert answer.headers["content-type"].startswith("text/html")
        assert answer.headers["content-security-policy"] == CONTENT_SECURITY_POLICY
        assert '<script type="module" src="/static/js/main.js">' in answer.text


def test_assets_and_api_are_not_shadowed():
    ping, missing, script, css, no_asset = _get(
        "/api/v1/ping", "/api/v1/nothing-here", "/static/js/main.js", "/static/css/app.css", "/static/nothing.js"
    )
    assert ping.json() == {"pong": "yes"}
    assert missing.status_code == 404
    assert script.status_code == 200
    assert "javascript" in script.headers["content-type"]
    assert css.status_code == 200
    assert no_asset.status_code == 404


def test_the_ui_obeys_its_csp():
    """No inline scripts, styles or handlers anywhere, no eval, no innerHTML, no external URLs."""
    html = (STATIC_DIR / "index.html").read_text(encoding="utf-8")
    assert not re.search(r"<script(?![^>]*\bsrc=)", html)
    assert not re.search(r"\son[a-z]+=", html)
    assert " style=" not in html and "<style" not in html
    for path in STATIC_DIR.rglob("*.js"):
        if "vendor" in path.parts:
            continue
        source = path.read_text(encoding="utf-8")
        assert "innerHTML" not in source, path
        assert "eval(" not in source and "new Function" not in source, path
        assert 'setAttribute("style"' not in source, path
    for path in [*STATIC_DIR.rglob("*.js"), *STATIC_DIR.rglob("*.css"), STATIC_DIR / "index.html"]:
        assert not re.search(r"https?://(?!www\.w3\.org/2000/svg)", path.read_text(encoding="utf-8")), path
