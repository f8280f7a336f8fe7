"""The interactive API docs (Swagger UI) served whole by this server, so they work with no internet.

FastAPI's own docs page loads Swagger UI from a CDN and its favicon from FastAPI's site; this page takes
the same HTML but points it at the Swagger UI files shipped in the `fastapi-swagger` package, served under
`<docs>/assets/`. Only the files named in ASSETS are served: the name is looked up, never joined onto a
path from the request.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

from fastapi import FastAPI, HTTPException, Request
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import FileResponse, HTMLResponse, Response

ASSET_PACKAGE = "fastapi_swagger.resources"

# File name in the package -> the content type it is served with.
ASSETS: dict[str, str] = {
    "swagger-ui-bundle.js": "text/javascript; charset=utf-8",
    "swagger-ui.css": "text/css; charset=utf-8",
    "favicon-32x32.png": "image/png",
}

# The file names stay the same across package upgrades: browsers revalidate (ETag) rather than trust a copy.
ASSET_HEADERS = {"Cache-Control": "no-cache", "X-Content-Type-Options": "nosniff"}


def install_docs(app: FastAPI, *, docs_path: str, openapi_url: str, title: str) -> None:
    """Serve the docs page at `docs_path` and its assets at `docs_path/assets/{name}` (out of the schema)."""
    assets_path = f"{docs_path}/assets"

    async def docs_page(request: Request) -> HTMLResponse:
        root = str(request.scope.get("root_path", "")).rstrip("/")
        return get_swagger_ui_html(
            openapi_url=root + openapi_url,
            title=f"{title} - API docs",
            swagger_js_url=f"{root}{assets_path}/swagger-ui-bundle.js",
            swagger_css_url=f"{root}{assets_path}/swagger-ui.css",
            swagger_favicon_url=f"{root}{assets_path}/favicon-32x32.png",
            # null: no badge image fetched from the online validator at swagger.io
            swagger_ui_parameters={"validatorUrl": None},
        )

    async def docs_asset(name: str, request: Request) -> Response:
        media_type = ASSETS.get(name)
        if media_type is None:
            raise HTTPException(status_code=404, detail="Not Found")
        path = Path(str(files(ASSET_PACKAGE).joinpath(name)))
        answer = FileResponse(path, media_type=media_type, headers=ASSET_HEADERS, stat_result=path.stat())
        etag = answer.headers["etag"]
        if request.headers.get("if-none-match") == etag:  # FileResponse alone always sends the whole file
            return Response(status_code=304, headers={**ASSET_HEADERS, "ETag": etag})
        return answer

    app.add_api_route(docs_path, docs_page, methods=["GET", "HEAD"], include_in_schema=False)
    app.add_api_route(f"{assets_path}/{{name}}", docs_asset, methods=["GET", "HEAD"], include_in_schema=False)
