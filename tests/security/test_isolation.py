"""No endpoint reveals anything of another collection: hits, facets, timelines, entities, exports,
page images and originals, on tantivy and on OpenSearch (when scripts/test.sh started the node)."""

from __future__ import annotations

import json

import pytest

from tests.security.conftest import Matters


def _entities_only_in_b(m: Matters) -> set[str]:
    def ids(label: str) -> set[str]:
        return {x.entity_id for x in m.catalog.documents.mentions(m.documents[label])}

    only_b = ids("b") - ids("a") - ids("shared")
    assert only_b, "matter B must mention entities matter A does not (Palantir, Cellebrite)"
    return only_b


def _visible_to_a(m: Matters) -> set[str]:
    return {m.documents["a"], m.documents["shared"]}


def test_without_a_token_nothing_is_served_once_tokens_exist(m: Matters) -> None:
    for headers in ({}, {"Authorization": "Bearer foia_wrong"}, {"Authorization": "Basic abc"}):
        r = m.client.get("/api/v1/search", headers=headers)
        assert r.status_code == 401, headers
        assert r.headers["content-type"] == "application/problem+json"
        assert r.headers["www-authenticate"].startswith("Bearer")
    assert m.client.get("/api/v1/productions", headers=m.as_("revoked")).status_code == 401


def test_search_hits_and_facets(m: Matters) -> None:
    assert (
        m.client.get("/api/v1/search", params={"q": "bravoword"}, headers=m.as_("reader-a")).json()["total_documents"]
        == 0
    )
    assert (
        m.client.get("/api/v1/search", params={"q": "bravoword"}, headers=m.as_("reader-b")).json()["total_documents"]
        == 1
    )
    body = m.client.get("/api/v1/search", params={"limit": 100}, headers=m.as_("reader-a")).json()
    assert {d["document_id"] for d in body["items"]} == _visible_to_a(m)
    a_production = m.productions["matter-a"]
    for item in body["items"]:
        assert [p["id"] for p in item["productions"]] == [a_production], item
    everything = json.dumps(body)
    assert m.productions["matter-b"] not in everything and "matter-b" not in everything
    for entity in _entities_only_in_b(m):
        assert entity not in everything
    assert {v["value"] for v in body["facets"].get("production", [])} <= {a_production}


def test_histogram(m: Matters) -> None:
    body = m.client.get("/api/v1/search/histogram", headers=m.as_("reader-a")).json()
    dated = {b["start"][:4]: b["documents"] for b in body["buckets"] if b["documents"]}
    assert "2020" not in dated
    assert sum(b["documents"] for b in body["buckets"]) + body["undated_documents"] == 2


def test_export(m: Matters) -> None:
    r = m.client.get("/api/v1/search/export", params={"format": "ndjson"}, headers=m.as_("reader-a"))
    assert r.status_code == 200
    rows = [json.loads(line) for line in r.text.splitlines()]
    assert {row["document_id"] for row in rows} == _visible_to_a(m)
    assert all(row["productions"] == ["matter-a release 1"] for row in rows)
    assert not _entities_only_in_b(m) & {e for row in rows for e in row["entities"]}
    csv = m.client.get("/api/v1/search/export", headers=m.as_("reader-a")).text
    assert "bravoword" not in csv and m.documents["b"] not in csv


def test_batch(m: Matters) -> None:
    r = m.client.post("/api/v1/search/batch", json={"queries": ["bravoword", "Palantir"]}, headers=m.as_("reader-a"))
    assert r.status_code == 200
    assert [(i["documents"], i["pages"]) for i in r.json()["items"]] == [(0, 0), (0, 0)]


def test_entities_list_page_and_timeline(m: Matters) -> None:
    only_b = _entities_only_in_b(m)
    listed = m.client.get("/api/v1/entities", params={"limit": 200}, headers=m.as_("reader-a")).json()["items"]
    assert not only_b & {e["id"] for e in listed}
    for entity_type in ("vendor", "organization"):
        narrowed = m.client.get(
            "/api/v1/entities", params={"type": entity_type, "q": "Clearview"}, headers=m.as_("reader-a")
        ).json()["items"]
        assert not only_b & {e["id"] for e in narrowed}
    for entity in only_b:
        page = m.client.get(f"/api/v1/entities/{entity}", headers=m.as_("reader-a"))
        # Gazetteer entries are public data (an empty page); entities read from B's text do not exist for A.
        assert page.status_code == 404 or (page.json()["documents"] == 0 and page.json()["top_documents"] == [])
        assert m.client.get(f"/api/v1/entities/{entity}", headers=m.as_("reader-b")).status_code == 200
        timeline = m.client.get(f"/api/v1/entities/{entity}/timeline", headers=m.as_("reader-a"))
        assert timeline.status_code == page.status_code  # the same answer as the entity's page
        assert timeline.status_code == 404 or timeline.json()["total"]["documents"] == 0
    shared_entities = {x.entity_id for x in m.catalog.documents.mentions(m.documents["a"])} & {
        x.entity_id for x in m.catalog.documents.mentions(m.documents["b"])
    }
    for entity in shared_entities:
        page = m.client.get(f"/api/v1/entities/{entity}", headers=m.as_("reader-a")).json()
        text = json.dumps(page)
        assert m.documents["b"] not in text and not any(e in text for e in only_b)
        timeline = m.client.get(f"/api/v1/entities/{entity}/timeline", headers=m.as_("reader-a")).json()
        assert timeline["total"]["documents"] <= 2


@pytest.mark.parametrize("suffix", ["", "/pages/1", "/pages/1/image", "/file", "/hits?q=bravoword", "/hits?q=Palantir"])
def test_documents_pages_images_originals(m: Matters, suffix: str) -> None:
    other = m.client.get(f"/api/v1/documents/{m.documents['b']}{suffix}", headers=m.as_("reader-a"))
    assert other.status_code == 404
    missing = m.client.get(f"/api/v1/documents/doc_{'0' * 24}{suffix}", headers=m.as_("reader-a"))
    assert missing.json()["title"] == other.json()["title"]  # the same answer as for nothing at all
    own = m.client.get(f"/api/v1/documents/{m.documents['a']}{suffix}", headers=m.as_("reader-a"))
    assert own.status_code == 200


@pytest.mark.parametrize(("reader", "other"), [("reader-a", "matter-b"), ("reader-b", "matter-a")])
def test_a_document_in_both_matters_shows_only_the_readers_productions_and_names(
    m: Matters, reader: str, other: str
) -> None:
    shared = m.documents["shared"]
    headers = m.as_(reader)
    body = m.client.get(f"/api/v1/documents/{shared}", headers=headers).json()
    mine = "matter-a" if other == "matter-b" else "matter-b"
    assert body["file_names"] == [f"shared-{mine}-name.pdf"]
    seen = [
        json.dumps(body),
        m.client.get("/api/v1/search", params={"q": "Microsoft"}, headers=headers).text,
        m.client.get("/api/v1/search/export", params={"q": "Microsoft", "format": "ndjson"}, headers=headers).text,
        m.client.get("/api/v1/search/export", params={"q": "Microsoft"}, headers=headers).text,
        m.client.get(f"/api/v1/documents/{shared}/file", headers=headers).headers["content-disposition"],
    ]
    for text in seen:
        assert other not in text and m.productions[other] not in text, text[:500]
    hit = m.client.get("/api/v1/search", params={"q": "Microsoft"}, headers=headers).json()["items"][0]
    assert hit["file_name"] == f"shared-{mine}-name.pdf"


def test_productions(m: Matters) -> None:
    listed = m.client.get("/api/v1/productions", headers=m.as_("reader-a")).json()["items"]
    assert [p["id"] for p in listed] == [m.productions["matter-a"]]
    b = m.productions["matter-b"]
    for path in (f"/api/v1/productions/{b}", f"/api/v1/productions/{b}/files"):
        assert m.client.get(path, headers=m.as_("reader-a")).status_code == 404
    pdf = ("files", ("x.pdf", b"%PDF-1.4 nothing", "application/pdf"))
    assert m.client.post(f"/api/v1/productions/{b}/files", files=[pdf], headers=m.as_("uploader-a")).status_code == 404
    assert m.client.post(f"/api/v1/productions/{b}/retry", headers=m.as_("uploader-a")).status_code == 404
    admin = m.client.get("/api/v1/productions", headers=m.as_("admin-all")).json()["items"]
    assert {p["id"] for p in admin} >= set(m.productions.values())


def test_roles(m: Matters) -> None:
    a = m.productions["matter-a"]
    create = {"name": "new release", "collection": "matter-a"}
    assert m.client.post("/api/v1/productions", json=create, headers=m.as_("reader-a")).status_code == 403
    assert m.client.post(f"/api/v1/productions/{a}/retry", headers=m.as_("reader-a")).status_code == 403
    made = m.client.post("/api/v1/productions", json=create, headers=m.as_("uploader-a"))
    assert made.status_code == 201
    into_b = {"name": "sneaky", "collection": "matter-b"}
    assert m.client.post("/api/v1/productions", json=into_b, headers=m.as_("uploader-a")).status_code == 403
    new = {"name": "sneaky", "collection": "matter-new"}
    assert m.client.post("/api/v1/productions", json=new, headers=m.as_("uploader-a")).status_code == 403
    assert "matter-new" not in {c.name for c in m.catalog.productions.list_collections()}  # refused without creating it


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/analytics/exemptions",
        "/api/v1/analytics/withheld",
        "/api/v1/analytics/density",
        "/api/v1/analytics/failed-redactions",
        "/api/v1/analytics/exemptions/b6/documents",
    ],
)
def test_analytics(m: Matters, path: str) -> None:
    r = m.client.get(path, headers=m.as_("reader-a"))
    assert r.status_code == 200, r.text
    text = r.text
    assert m.documents["b"] not in text and m.productions["matter-b"] not in text and "matter-b" not in text
    other = m.client.get(path, params={"production": m.productions["matter-b"]}, headers=m.as_("reader-a"))
    assert other.status_code in (404, 422) or m.documents["b"] not in other.text


@pytest.mark.parametrize("suffix", ["/redactions", "/rereleases"])
def test_analytics_of_a_document(m: Matters, suffix: str) -> None:
    assert m.client.get(f"/api/v1/documents/{m.documents['b']}{suffix}", headers=m.as_("reader-a")).status_code == 404
    assert m.client.get(f"/api/v1/documents/{m.documents['a']}{suffix}", headers=m.as_("reader-a")).status_code == 200


def test_vaughn_index_of_another_matter(m: Matters) -> None:
    b, a = m.productions["matter-b"], m.productions["matter-a"]
    assert m.client.get(f"/api/v1/productions/{b}/vaughn", headers=m.as_("reader-a")).status_code == 404
    assert m.client.get(f"/api/v1/productions/{a}/vaughn", headers=m.as_("reader-a")).status_code == 200


@pytest.fixture
def m(matters: Matters) -> Matters:
    return matters
