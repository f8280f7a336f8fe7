"""The interactive API docs in a real browser with the internet cut off: every request the page makes that
is not to this server is refused, and Swagger UI still draws every operation of the OpenAPI document."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import httpx
import pytest
import uvicorn

from catalog.blobstore import LocalBlobStore
from catalog.sql import SqlCatalog
from foia.asgi import served_app
from search.tantivy_backend import TantivyBackend
from tests.browser.conftest import VIEWPORT, _free_port, _new_page


@pytest.fixture(scope="module")
def empty_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The app as `foia serve` builds it, over empty stores (the docs need no records), on a loopback port."""
    root = tmp_path_factory.mktemp("api-docs")
    catalog = SqlCatalog(f"sqlite:///{root / 'catalog.sqlite'}")
    catalog.create_schema()
    search = TantivyBackend(root / "index")
    services = SimpleNamespace(catalog=catalog, blobs=LocalBlobStore(root / "originals"), search=search)
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(served_app(services), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    base_url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.1)
    assert server.started, "the API did not start"
    yield base_url
    server.should_exit = True
    thread.join(timeout=10)
    search.close()
    catalog.close()


def test_the_docs_draw_every_operation_with_no_internet(
    browser: Any, empty_server: str, screenshot: Callable[..., Path]
) -> None:
    document = httpx.get(f"{empty_server}/api/v1/openapi.json").json()
    operations = sum(len(ops) for ops in document["paths"].values())
    context, tab, problems = _new_page(browser, empty_server, VIEWPORT)
    outside: list[str] = []

    def only_this_server(route: Any) -> None:
        if route.request.url.startswith(f"{empty_server}/"):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    tab.route("**/*", only_this_server)
    tab.goto("/api/v1/docs")
    tab.wait_for_selector(".opblock")
    drawn = tab.locator(".opblock").count()
    screenshot(tab, "offline")
    context.close()
    assert outside == []
    assert not problems.errors, problems.errors
    assert drawn == operations > 0
