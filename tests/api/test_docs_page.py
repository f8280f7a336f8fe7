"""The interactive API docs need no internet: the page names no other host, and every file it references is
served here, with its content type, from the package that ships Swagger UI."""

from __future__ import annotations

import re
from collections.abc import Iterator
from importlib.resources import files
from pathlib import Path
from types import SimpleNamespace

import pytest
from fastapi.testclient import TestClient

from api.docs_page import ASSET_PACKAGE
from catalog.blobstore import LocalBlobStore
from catalog.sql import SqlCatalog
from foia.asgi import served_app
from search.tantivy_backend import TantivyBackend

DOCS = "/api/v1/docs"
CONTENT_TYPES = {".js": "text/javascript", ".css": "text/css", ".png": "image/png", ".json": "application/json"}


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    root = tmp_path_factory.mktemp("docs")
    catalog = SqlCatalog(f"sqlite:///{root / 'catalog.sqlite'}")
    catalog.create_schema()
    search = TantivyBackend(root / "index")
    services = SimpleNamespace(catalog=catalog, blobs=LocalBlobStore(root / "originals"), search=search)
    # Open mode (no token) answers loopback host names only.
    with TestClient(served_app(services), base_url="http://127.0.0.1") as test_client:
        yield test_client
    search.close()
    catalog.close()


def _referenced(html: str) -> list[str]:
    """Every URL the page loads: src/href attributes and the OpenAPI document Swagger UI fetches."""
    return re.findall(r"""(?:src|href)="([^"]+)\"""", html) + re.findall(r"""url: '([^']+)'""", html)


def test_the_docs_page_names_no_other_host(client: TestClient) -> None:
    page = client.get(DOCS)
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert "SwaggerUIBundle(" in page.text
    assert re.findall(r"https?:|//[a-z]", page.text, flags=re.IGNORECASE) == []
    csp = page.headers["content-security-policy"]
    assert "http" not in csp and "cdn" not in csp, csp
    referenced = _referenced(page.text)
    assert len(referenced) == 4, referenced  # stylesheet, icon, script, OpenAPI document
    assert all(url.startswith("/api/v1/") for url in referenced), referenced


def test_every_referenced_file_is_served_with_its_type(client: TestClient) -> None:
    for url in _referenced(client.get(DOCS).text):
        answer = client.get(url)
        assert answer.status_code == 200, url
        expected = CONTENT_TYPES[Path(url).suffix]
        assert answer.headers["content-type"].split(";")[0] == expected, url
        assert answer.headers["x-content-type-options"] == "nosniff", url
        if url.startswith(f"{DOCS}/assets/"):
            shipped = files(ASSET_PACKAGE).joinpath(Path(url).name).read_bytes()
            assert answer.content == shipped, url
    script = client.get(f"{DOCS}/assets/swagger-ui-bundle.js").text
    assert "SwaggerUIBundle" in script


def test_assets_revalidate_and_only_the_named_files_are_served(client: TestClient) -> None:
    first = client.get(f"{DOCS}/assets/swagger-ui.css")
    assert first.headers["cache-control"] == "no-cache"
    again = client.get(f"{DOCS}/assets/swagger-ui.css", headers={"If-None-Match": first.headers["etag"]})
    assert again.status_code == 304
    for name in ("__init__.py", "index.html", "..%2F__init__.py", "%2E%2E%2Fdocs_page.py"):
        assert client.get(f"{DOCS}/assets/{name}").status_code == 404, name
