"""An admin's corrections over the API, on the real stack (sample production, spaCy, tantivy): a retype
moves the entity to its new facet once the worker re-projects the documents, a merge counts under the
target, hiding removes it, errors are problem+json, every change is audited, and `foia reanalyze`
(mentions recomputed from the text) keeps every decision."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from catalog import schema as t
from ingest.indexing import Indexer
from ingest.reanalyze import reanalyze_all
from nlp import document_date
from tests.api.conftest import ApiStack


def _reproject(api: ApiStack) -> None:
    api.stack.run_until_idle()  # the queued re-indexing: no OCR, the worker only indexes
    api.stack.index.refresh()


def _facet(api: ApiStack, facet: str) -> dict[str, tuple[str, int]]:
    body = api.client.get("/api/v1/search", params={"q": "", "limit": 1}).json()
    return {b["value"]: (b["label"], b["count"]) for b in body["facets"].get(facet, [])}


def _organizations(api: ApiStack) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = api.client.get("/api/v1/entities", params={"type": "organization"}).json()["items"]
    return items


def _audited(api: ApiStack, action: str) -> list[str]:
    with api.stack.catalog.db.reader.connect() as conn:
        rows = conn.execute(select(t.audit_log.c.target).where(t.audit_log.c.action == action)).all()
    return [r[0] for r in rows]


def test_a_retyped_organization_moves_to_the_vendor_facet_and_survives_reanalysis(api: ApiStack, analyzer: Any) -> None:
    organization = _organizations(api)[0]
    entity_id = organization["id"]
    before = _facet(api, "organization")
    assert entity_id in before and entity_id not in _facet(api, "vendor")

    answer = api.client.patch(f"/api/v1/entities/{entity_id}", json={"type": "vendor", "name": "Renamed Vendor"})
    assert answer.status_code == 200, answer.text
    assert (answer.json()["type"], answer.json()["name"]) == ("vendor", "Renamed Vendor")
    _reproject(api)
    vendors = _facet(api, "vendor")
    assert vendors[entity_id] == ("Renamed Vendor", before[entity_id][1])
    assert entity_id not in _facet(api, "organization")
    shown = api.client.get(f"/api/v1/entities/{entity_id}").json()
    assert (shown["type"], shown["name"]) == ("vendor", "Renamed Vendor")
    filtered = api.client.get("/api/v1/search", params={"vendor": entity_id}).json()
    assert filtered["total_documents"] == before[entity_id][1]
    assert _audited(api, "entity.correct") == [entity_id]

    # Mentions recomputed from the text, then the index rebuilt: the decision still holds.
    assert reanalyze_all(api.stack.catalog, analyzer, document_date) > 0
    Indexer(api.stack.catalog, api.stack.index).reindex_all()
    api.stack.index.refresh()
    assert _facet(api, "vendor")[entity_id] == ("Renamed Vendor", before[entity_id][1])
    assert api.client.get(f"/api/v1/entities/{entity_id}").json()["type"] == "vendor"

    assert api.client.delete(f"/api/v1/entities/{entity_id}/correction").status_code == 204
    _reproject(api)
    assert _facet(api, "organization")[entity_id][1] == before[entity_id][1]
    assert _audited(api, "entity.uncorrect") == [entity_id]


def test_merge_counts_under_the_target_and_hiding_removes_it(api: ApiStack) -> None:
    first, second = _organizations(api)[:2]
    answer = api.client.post(f"/api/v1/entities/{first['id']}/merge", json={"into": second["id"]})
    assert answer.status_code == 200, answer.text
    _reproject(api)
    organizations = _facet(api, "organization")
    assert first["id"] not in organizations
    merged = api.client.get(f"/api/v1/entities/{second['id']}").json()
    assert merged["mentions"] >= first["documents"]  # each of its documents holds at least one mention
    assert first["id"] not in {e["id"] for e in _organizations(api)}
    cycle = api.client.post(f"/api/v1/entities/{second['id']}/merge", json={"into": first["id"]})
    assert cycle.status_code == 409 and cycle.headers["content-type"].startswith("application/problem+json")

    hidden = api.client.patch(f"/api/v1/entities/{second['id']}", json={"hidden": True})
    assert hidden.status_code == 200
    _reproject(api)
    assert second["id"] not in _facet(api, "organization")
    assert api.client.get(f"/api/v1/entities/{second['id']}").status_code == 404
    assert second["id"] not in {e["id"] for e in _organizations(api)}
    for entity_id in (first["id"], second["id"]):
        assert api.client.delete(f"/api/v1/entities/{entity_id}/correction").status_code == 204
    _reproject(api)
    assert {first["id"], second["id"]} <= set(_facet(api, "organization"))
    assert _audited(api, "entity.merge") == [first["id"]]


def test_bad_corrections_are_problems(api: ApiStack) -> None:
    entity_id = _organizations(api)[0]["id"]
    cases = [
        (api.client.patch("/api/v1/entities/organization:nobody-at-all", json={"type": "vendor"}), 404),
        (api.client.patch(f"/api/v1/entities/{entity_id}", json={"type": "spaceship"}), 422),
        (api.client.patch(f"/api/v1/entities/{entity_id}", json={}), 400),
        (api.client.patch(f"/api/v1/entities/{entity_id}", json={"name": "   "}), 400),
        (api.client.post(f"/api/v1/entities/{entity_id}/merge", json={"into": entity_id}), 400),
        (api.client.post(f"/api/v1/entities/{entity_id}/merge", json={"into": "vendor:nobody-at-all"}), 404),
        (api.client.delete(f"/api/v1/entities/{entity_id}/correction"), 404),
        (api.client.patch(f"/api/v1/entities/{entity_id}", json={"type": "vendor", "collection": "no such"}), 404),
    ]
    for answer, status in cases:
        assert answer.status_code == status, answer.text
        assert answer.headers["content-type"].startswith("application/problem+json"), answer.text
