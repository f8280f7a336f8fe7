"""Watchlists over the real stack (the sample production in SQLite + tantivy): the report's figures are
those of searching each term in the production, terms that do not parse are 422s naming them, the CSV is
formula-safe, and every change is audited."""

from __future__ import annotations

import csv
import io
import time
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import select

from catalog import schema as t
from foia.asgi import install_screening
from tests.api.conftest import ApiStack

TERMS = [
    "Clearview AI",
    "cellebrite",
    '"face recognition"',
    "vendor:clearview",
    "contract -cellebrite",
    "surveil*",
    "rekognition w/20 police",
    "qzxwvunmatched",
]


@pytest.fixture(scope="module")
def watch(api: ApiStack) -> Iterator[ApiStack]:
    install_screening(api.client.app, api.stack)  # type: ignore[arg-type]
    yield api


def _wait_done(api: ApiStack, watchlist_id: str, **params: str) -> dict[str, Any]:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        response = api.client.get(f"/api/v1/watchlists/{watchlist_id}/report", params=params)
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        if body["run"]["status"] in ("done", "failed"):
            return body
        time.sleep(0.2)
    raise AssertionError("the screening did not finish")


def _hit_pages(api: ApiStack, q: str, production: str) -> set[tuple[str, str]]:
    response = api.client.get("/api/v1/search/export", params={"q": q, "production": production, "format": "csv"})
    assert response.status_code == 200, response.text
    return {(row["document_id"], row["page_number"]) for row in csv.DictReader(io.StringIO(response.text))}


def test_the_report_counts_what_searching_each_term_finds(watch: ApiStack) -> None:
    api = watch
    created = api.client.post("/api/v1/watchlists", json={"name": "Vendors", "terms": TERMS})
    assert created.status_code == 201, created.text
    watchlist = created.json()
    assert watchlist["terms"] == TERMS and watchlist["term_count"] == len(TERMS) and watchlist["latest_run"] is None
    started = api.client.post(f"/api/v1/watchlists/{watchlist['id']}/screen", json={"production": api.production_id})
    assert started.status_code == 202, started.text
    assert started.json()["status"] in ("queued", "running", "done")
    report = _wait_done(api, watchlist["id"], production=api.production_id)
    run = report["run"]
    assert run["status"] == "done", run
    assert run["progress"]["pages_total"] == run["progress"]["pages_screened"] > 0
    assert run["progress"]["terms_total"] == len(TERMS)

    hits = {term: _hit_pages(api, term, api.production_id) for term in TERMS}
    assert sum(1 for pages in hits.values() if pages) >= 5, "the terms must hit something to test anything"
    everywhere = [key for pages in hits.values() for key in pages]
    assert [i["term"] for i in report["items"]] == TERMS
    for item in report["items"]:
        term = item["term"]
        found = api.client.get("/api/v1/search", params={"q": term, "production": api.production_id, "limit": 1})
        assert (item["documents"], item["pages"]) == (
            found.json()["total_documents"],
            found.json()["total_pages"],
        ), term
        assert item["unique_pages"] == sum(1 for key in hits[term] if everywhere.count(key) == 1), term
        assert item["link"].startswith("/search?") and f"production={api.production_id}" in item["link"]
    assert run["hit_pages"] == len(set(everywhere))
    assert run["hit_documents"] == len({d for d, _ in everywhere})
    latest = api.client.get(f"/api/v1/watchlists/{watchlist['id']}").json()["latest_run"]
    assert latest["id"] == run["id"]


def test_terms_that_do_not_parse_are_named_with_their_position(watch: ApiStack) -> None:
    api = watch
    terms = ["palantir", "face AND", "(clearview", "palantir", "   "]
    response = api.client.post("/api/v1/watchlists", json={"name": "Broken", "terms": terms})
    assert response.status_code == 422, response.text
    body = response.json()
    assert body["type"].endswith("/problems/invalid-terms")
    assert (body["term_number"], body["term"], body["position"]) == (2, "face AND", 5)
    assert "face AND" in body["detail"] and "AND" in body["hint"]
    assert [(e["term_number"], e["position"]) for e in body["errors"]] == [(2, 5), (3, 0), (4, 0), (5, 0)]
    assert "term 1" in body["errors"][2]["detail"]  # the repeated term names the first one
    listed = api.client.get("/api/v1/watchlists").json()["items"]
    assert "Broken" not in [w["name"] for w in listed]  # nothing kept


def test_edit_delete_and_audit(watch: ApiStack) -> None:
    api = watch
    created = api.client.post("/api/v1/watchlists", json={"name": "Edit me", "terms": ["palantir"]}).json()
    again = api.client.post("/api/v1/watchlists", json={"name": "Edit me", "terms": ["x"]})
    assert again.status_code == 409
    bad = api.client.put(f"/api/v1/watchlists/{created['id']}", json={"name": "Edited", "terms": ["ok", "vendor:"]})
    assert bad.status_code == 422 and bad.json()["term_number"] == 2
    assert api.client.get(f"/api/v1/watchlists/{created['id']}").json()["terms"] == ["palantir"]
    edited = api.client.put(f"/api/v1/watchlists/{created['id']}", json={"name": "Edited", "terms": [" axon ", "nec"]})
    assert edited.status_code == 200 and edited.json()["terms"] == ["axon", "nec"]
    no_report = api.client.get(f"/api/v1/watchlists/{created['id']}/report")
    assert no_report.status_code == 404
    assert api.client.delete(f"/api/v1/watchlists/{created['id']}").status_code == 204
    assert api.client.get(f"/api/v1/watchlists/{created['id']}").status_code == 404
    assert api.client.delete(f"/api/v1/watchlists/{created['id']}").status_code == 404
    with api.stack.catalog.db.reader.connect() as conn:
        actions = [r.action for r in conn.execute(select(t.audit_log).where(t.audit_log.c.target == created["id"]))]
    assert actions == ["watchlist.create", "watchlist.update", "watchlist.delete"]


def test_the_csv_report_is_formula_safe(watch: ApiStack) -> None:
    api = watch
    terms = ["-cellebrite contract", "clearview"]
    created = api.client.post("/api/v1/watchlists", json={"name": "CSV", "terms": terms}).json()
    assert api.client.post(f"/api/v1/watchlists/{created['id']}/screen").status_code == 202
    report = _wait_done(api, created["id"])
    assert report["run"]["production_id"] is None and report["run"]["status"] == "done"
    response = api.client.get(f"/api/v1/watchlists/{created['id']}/report", params={"format": "csv"})
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.text)))
    assert rows[0] == ["position", "term", "documents", "pages", "unique_pages", "link"]
    assert rows[1][1] == "'-cellebrite contract" and rows[2][1] == "clearview"
    by_json = [
        [str(i[c]) for c in ("position", "term", "documents", "pages", "unique_pages", "link")] for i in report["items"]
    ]
    by_json[0][1] = "'" + by_json[0][1]
    assert rows[1:] == by_json


def test_a_production_of_no_such_collection_is_not_found(watch: ApiStack) -> None:
    api = watch
    created = api.client.post("/api/v1/watchlists", json={"name": "Scope", "terms": ["palantir"]}).json()
    for path in ("screen", "report"):
        method = api.client.post if path == "screen" else api.client.get
        kwargs: dict[str, Any] = (
            {"json": {"production": "prod_0000000000000000"}}
            if path == "screen"
            else {"params": {"production": "prod_0000000000000000"}}
        )
        response = method(f"/api/v1/watchlists/{created['id']}/{path}", **kwargs)
        assert response.status_code == 404, response.text
