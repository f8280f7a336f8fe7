"""A watchlist term `note:` counts the pages whose shared notes hold its words, as a search of the term by
any reader of the collection does; a private note is its author's and never counts in the collection's
report (the sample production in SQLite + tantivy, open mode)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest

from foia.asgi import install_screening
from tests.api.conftest import ApiStack


@pytest.fixture(scope="module")
def screened(api: ApiStack) -> Iterator[ApiStack]:
    install_screening(api.client.app, api.stack)  # type: ignore[arg-type]
    yield api


def _report(api: ApiStack, watchlist_id: str) -> dict[str, Any]:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        body: dict[str, Any] = api.client.get(f"/api/v1/watchlists/{watchlist_id}/report").json()
        if body["run"]["status"] in ("done", "failed"):
            return body
        time.sleep(0.2)
    raise AssertionError("the screening did not finish")


def test_note_terms_count_the_collections_shared_notes_only(screened: ApiStack) -> None:
    api = screened
    hit = api.client.get("/api/v1/search", params={"q": "clearview", "limit": 2}).json()["items"]
    first, second = hit[0]["document_id"], hit[1]["document_id"]
    made = [
        api.client.post(f"/api/v1/documents/{first}/pages/1/notes", json={"text": "Okapi pricing", "shared": True}),
        api.client.post(f"/api/v1/documents/{second}/pages/1/notes", json={"text": "Okapi private", "shared": False}),
    ]
    assert all(r.status_code == 201 for r in made), [r.text for r in made]
    terms = ["note:okapi", "note:private", 'note:"pricing okapi"']
    watchlist = api.client.post("/api/v1/watchlists", json={"name": "Notes", "terms": terms}).json()
    assert api.client.post(f"/api/v1/watchlists/{watchlist['id']}/screen", json={}).status_code == 202
    report = _report(api, watchlist["id"])
    assert report["run"]["status"] == "done", report["run"]
    assert [(i["term"], i["documents"], i["pages"]) for i in report["items"]] == [
        ("note:okapi", 1, 1),
        ("note:private", 0, 0),
        ('note:"pricing okapi"', 1, 1),
    ]
    # The author (here the open-mode reader) finds their private note; the collection's report never does.
    own = api.client.get("/api/v1/search", params={"q": "note:private"}).json()
    assert [i["document_id"] for i in own["items"]] == [second]
    for answer in made:
        assert api.client.delete(f"/api/v1/notes/{answer.json()['id']}").status_code == 204
    assert api.client.delete(f"/api/v1/watchlists/{watchlist['id']}").status_code == 204
