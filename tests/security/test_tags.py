"""Review tags over the API, on every engine: set on documents and pages, found by `tag:`, the tag filter
and facet right after the call, invisible to another matter (even on the shared document), kept by a
reindex from the catalog, and refused clearly when the tag, page, document or collection is not the
principal's."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, cast

from sqlalchemy import select

from catalog import schema as t
from catalog.protocols import IndexSource
from ingest.indexing import Indexer, records_of
from tests.security.conftest import Matters
from tests.security.test_rate_costs import _client

API = "/api/v1"


def _search(m: Matters, who: str, **params: Any) -> dict[str, Any]:
    r = m.client.get(f"{API}/search", params={"limit": 100, **params}, headers=m.as_(who))
    assert r.status_code == 200, r.text
    body: dict[str, Any] = r.json()
    return body


def _found(m: Matters, who: str, **params: Any) -> set[str]:
    return {d["document_id"] for d in _search(m, who, **params)["items"]}


def _tag_facet(m: Matters, who: str) -> dict[str, int]:
    return {v["value"]: v["count"] for v in _search(m, who)["facets"].get("tag", [])}


def test_a_document_tag_is_searchable_at_once_and_only_in_its_matter(matters: Matters) -> None:
    m = matters
    shared = m.documents["shared"]
    r = m.client.put(f"{API}/documents/{shared}/tags/hot", headers=m.as_("reader-a"))
    assert r.status_code == 200, r.text
    assert r.json() | {"changed": True} == r.json()
    assert r.json()["collection_id"] == m.collections["matter-a"]

    assert _found(m, "reader-a", q="tag:hot") == {shared}
    assert _found(m, "reader-a", tag="hot") == {shared}
    assert _tag_facet(m, "reader-a") == {"hot": 1}
    # Matter B holds the same document: it sees no tag of matter A's, by any path.
    assert _found(m, "reader-b", q="tag:hot") == set()
    assert _found(m, "reader-b", tag="hot") == set()
    assert _tag_facet(m, "reader-b") == {}
    tags_b = m.client.get(f"{API}/documents/{shared}/tags", headers=m.as_("reader-b")).json()
    assert tags_b["tags"] == [] and tags_b["pages"] == {}
    tags_a = m.client.get(f"{API}/documents/{shared}/tags", headers=m.as_("reader-a")).json()
    assert tags_a["tags"] == [{"collection_id": m.collections["matter-a"], "tag": "hot"}]

    again = m.client.put(f"{API}/documents/{shared}/tags/hot", headers=m.as_("reader-a"))
    assert again.status_code == 200 and again.json()["changed"] is False

    r = m.client.delete(f"{API}/documents/{shared}/tags/hot", headers=m.as_("reader-a"))
    assert r.status_code == 204
    assert _found(m, "reader-a", q="tag:hot") == set()
    assert _tag_facet(m, "reader-a") == {}


def test_a_page_tag_marks_that_page_only(matters: Matters) -> None:
    m = matters
    a = m.documents["a"]
    r = m.client.put(f"{API}/documents/{a}/pages/2/tags/relevant", headers=m.as_("reader-a"))
    assert r.status_code == 200, r.text
    body = _search(m, "reader-a", q="tag:relevant")
    assert [d["document_id"] for d in body["items"]] == [a]
    assert body["total_pages"] == 1
    assert [p["page_number"] for p in body["items"][0]["best_pages"]] == [2]
    # The words of page 1 and the tag of page 2 are on different pages.
    assert _found(m, "reader-a", q="alphaword AND tag:relevant") == set()
    assert _found(m, "reader-a", q="clearview AND tag:relevant") == {a}
    tags = m.client.get(f"{API}/documents/{a}/tags", headers=m.as_("reader-a")).json()
    assert tags["pages"] == {"2": [{"collection_id": m.collections["matter-a"], "tag": "relevant"}]}

    assert m.client.delete(f"{API}/documents/{a}/pages/2/tags/relevant", headers=m.as_("reader-a")).status_code == 204
    assert _found(m, "reader-a", q="tag:relevant") == set()


def test_a_shared_document_names_its_collection_for_a_principal_of_both(matters: Matters) -> None:
    m = matters
    shared = m.documents["shared"]
    r = m.client.put(f"{API}/documents/{shared}/tags/privileged", headers=m.as_("admin-all"))
    assert r.status_code == 400
    assert r.json()["type"] == "/problems/collection-required"
    assert sorted(r.json()["choices"]) == sorted(m.collections.values())
    b = m.collections["matter-b"]
    r = m.client.put(f"{API}/documents/{shared}/tags/privileged", params={"collection": b}, headers=m.as_("admin-all"))
    assert r.status_code == 200, r.text
    assert _found(m, "reader-b", q="tag:privileged") == {shared}
    assert _found(m, "reader-a", q="tag:privileged") == set()
    assert _found(m, "admin-all", tag="privileged") == {shared}
    # Reader A may not tag in matter B's name, and cannot tell the document is there.
    r = m.client.put(f"{API}/documents/{shared}/tags/hot", params={"collection": b}, headers=m.as_("reader-a"))
    assert r.status_code == 404
    m.client.delete(f"{API}/documents/{shared}/tags/privileged", params={"collection": b}, headers=m.as_("admin-all"))
    assert _found(m, "reader-b", q="tag:privileged") == set()


def test_bad_tags_pages_and_documents_are_clear_refusals(matters: Matters) -> None:
    m = matters
    a, b = m.documents["a"], m.documents["b"]
    r = m.client.put(f"{API}/documents/{a}/tags/smoking-gun", headers=m.as_("reader-a"))
    assert r.status_code == 404
    assert r.json()["known"][:4] == ["hot", "needs-review", "privileged", "relevant"]
    assert "hot" in r.json()["detail"]
    r = m.client.put(f"{API}/documents/{a}/pages/3/tags/hot", headers=m.as_("reader-a"))
    assert r.status_code == 404 and "no page 3" in r.json()["detail"]
    # Another matter's document answers as one that does not exist.
    theirs = m.client.put(f"{API}/documents/{b}/tags/hot", headers=m.as_("reader-a"))
    nothing = m.client.put(f"{API}/documents/doc_{'0' * 24}/tags/hot", headers=m.as_("reader-a"))
    assert theirs.status_code == nothing.status_code == 404
    assert theirs.json()["detail"].replace(b, "X") == nothing.json()["detail"].replace(f"doc_{'0' * 24}", "X")
    assert _found(m, "reader-b", q="tag:hot") == set()


def test_a_matters_own_tag_is_created_then_used_and_stays_its_own(matters: Matters) -> None:
    m = matters
    r = m.client.post(f"{API}/tags", json={"name": "key-witness", "label": "Key witness"}, headers=m.as_("reader-a"))
    assert r.status_code == 201, r.text
    assert r.json() == r.json() | {"name": "key-witness", "label": "Key witness", "built_in": False}
    again = m.client.post(f"{API}/tags", json={"name": "key-witness"}, headers=m.as_("reader-a"))
    assert again.status_code == 409
    bad = m.client.post(f"{API}/tags", json={"name": "Key Witness!"}, headers=m.as_("reader-a"))
    assert bad.status_code == 422
    built_in = m.client.post(f"{API}/tags", json={"name": "hot"}, headers=m.as_("reader-a"))
    assert built_in.status_code == 409
    names_a = {t["name"] for t in m.client.get(f"{API}/tags", headers=m.as_("reader-a")).json()["tags"]}
    names_b = {t["name"] for t in m.client.get(f"{API}/tags", headers=m.as_("reader-b")).json()["tags"]}
    assert "key-witness" in names_a and "key-witness" not in names_b
    a = m.documents["a"]
    assert m.client.put(f"{API}/documents/{a}/tags/key-witness", headers=m.as_("reader-a")).status_code == 200
    assert _found(m, "reader-a", q="tag:key-witness") == {a}
    assert _found(m, "reader-a", q='tag:"Key Witness"') == {a}  # matched by its key, like every keyword field
    # Matter B has no such tag: 404 naming B's own tags.
    b = m.documents["b"]
    r = m.client.put(f"{API}/documents/{b}/tags/key-witness", headers=m.as_("reader-b"))
    assert r.status_code == 404 and "key-witness" not in r.json()["known"]
    admin = m.client.post(f"{API}/tags", json={"name": "escalate"}, headers=m.as_("admin-all"))
    assert admin.status_code == 400 and admin.json()["type"] == "/problems/collection-required"
    m.client.delete(f"{API}/documents/{a}/tags/key-witness", headers=m.as_("reader-a"))


def test_a_reindex_from_the_catalog_keeps_every_tag(matters: Matters) -> None:
    m = matters
    a, shared = m.documents["a"], m.documents["shared"]
    assert m.client.put(f"{API}/documents/{a}/tags/needs-review", headers=m.as_("reader-a")).status_code == 200
    assert m.client.put(f"{API}/documents/{shared}/pages/1/tags/hot", headers=m.as_("reader-b")).status_code == 200
    Indexer(m.catalog, m.search).reindex_all()
    m.search.refresh()
    assert _found(m, "reader-a", q="tag:needs-review") == {a}
    assert _found(m, "reader-b", tag="hot") == {shared}
    assert _found(m, "reader-a", tag="hot") == set()
    m.client.delete(f"{API}/documents/{a}/tags/needs-review", headers=m.as_("reader-a"))
    m.client.delete(f"{API}/documents/{shared}/pages/1/tags/hot", headers=m.as_("reader-b"))
    assert _found(m, "reader-b", tag="hot") == set()


def test_every_change_is_audited(matters: Matters) -> None:
    m = matters
    a = m.documents["a"]
    m.client.put(f"{API}/documents/{a}/tags/hot", headers=m.as_("reader-a"))
    m.client.delete(f"{API}/documents/{a}/tags/hot", headers=m.as_("reader-a"))
    log = t.audit_log.c
    with m.catalog.db.reader.connect() as conn:
        rows = conn.execute(
            select(log.actor, log.action, log.detail)
            .where(log.target == a, log.action.in_(["tag.add", "tag.remove"]))
            .order_by(log.id)
        ).all()
    assert [r.action for r in rows[-2:]] == ["tag.add", "tag.remove"]
    assert all(r.actor.endswith(":alice") for r in rows[-2:])
    assert json.loads(rows[-1].detail) == json.loads(rows[-1].detail) | {"tag": "hot", "changed": True}


def _bulk(m: Matters, who: str, tag: str, search: dict[str, Any], **body: Any) -> Any:
    return m.client.post(f"{API}/tags/{tag}/bulk", params=search, json=body, headers=m.as_(who))


def test_bulk_tagging_a_search_confirms_its_count_and_stays_in_its_matter(matters: Matters) -> None:
    m = matters
    search = {"q": "clearview"}
    shown = _search(m, "reader-a", **search)
    expected = {d["document_id"] for d in shown["items"]}
    assert expected == {m.documents["a"], m.documents["shared"]}
    stale = _bulk(m, "reader-a", "hot", search, level="document", action="add", expected_count=5)
    assert stale.status_code == 409 and stale.json()["count"] == len(expected)
    assert _found(m, "reader-a", q="tag:hot") == set()  # nothing changed

    r = _bulk(m, "reader-a", "hot", search, level="document", action="add", expected_count=len(expected))
    assert r.status_code == 200, r.text
    assert r.json() == r.json() | {"count": 2, "changed": 2, "level": "document", "action": "add"}
    assert r.json()["indexed_pages"] == sum(d["page_count"] for d in shown["items"])
    assert _found(m, "reader-a", q="tag:hot") == expected
    assert _found(m, "reader-b", q="tag:hot") == set()  # the shared record carries A's tag for A only
    again = _bulk(m, "reader-a", "hot", search, level="document", action="add", expected_count=2)
    assert again.json()["changed"] == 0 and again.json()["indexed_pages"] == 0

    # Pages: the hit pages only, with the filters as /search takes them.
    pages = _search(m, "reader-a", q="clearview", tag="hot")["total_pages"]
    r = _bulk(m, "reader-a", "needs-review", {"q": "clearview", "tag": "hot"}, level="page", expected_count=pages)
    assert r.status_code == 200, r.text
    assert _search(m, "reader-a", q="tag:needs-review")["total_pages"] == pages == r.json()["count"]

    for tag, level, n in (("hot", "document", 2), ("needs-review", "page", pages)):
        r = _bulk(m, "reader-a", tag, {"q": f"tag:{tag}"}, level=level, action="remove", expected_count=n)
        assert r.status_code == 200 and r.json()["changed"] == n, r.text
    assert _found(m, "reader-a", q="tag:hot OR tag:needs-review") == set()


def test_bulk_refusals(matters: Matters) -> None:
    m = matters
    r = _bulk(m, "admin-all", "hot", {"q": "memo"}, expected_count=1)
    assert r.status_code == 400 and sorted(r.json()["choices"]) == sorted(m.collections.values())
    r = _bulk(m, "reader-a", "no-such", {"q": "memo"}, expected_count=1)
    assert r.status_code == 404 and "hot" in r.json()["known"]
    r = _bulk(m, "reader-a", "hot", {"q": "memo"}, expected_count=1, level="shelf")
    assert r.status_code == 422
    r = _bulk(m, "reader-a", "hot", {"q": "memo AND ("}, expected_count=1)
    assert r.status_code == 400 and r.json()["type"] == "/problems/query-syntax"
    r = _bulk(m, "reader-a", "hot", {"q": "memo"}, expected_count=1, collection=m.collections["matter-b"])
    assert r.status_code == 404
    assert _found(m, "reader-a", q="tag:hot") == set() and _found(m, "reader-b", q="tag:hot") == set()


def test_bulk_tagging_is_rate_limited(tantivy_matters: Matters, tmp_path: Path) -> None:
    client, _ = _client(tantivy_matters, tmp_path, rate_limit_bulk_per_minute=1, rate_limit_bulk_burst=1)
    headers = tantivy_matters.as_("reader-a")
    first = client.post(
        f"{API}/tags/hot/bulk", params={"q": "nothing-matches-this"}, json={"expected_count": 0}, headers=headers
    )
    assert first.status_code == 200, first.text
    second = client.post(
        f"{API}/tags/hot/bulk", params={"q": "nothing-matches-this"}, json={"expected_count": 0}, headers=headers
    )
    assert second.status_code == 429 and int(second.headers["retry-after"]) >= 1
    # Counting for the confirmation is a search, not a bulk change: it still answers.
    dry = client.post(
        f"{API}/tags/hot/bulk", params={"q": "nothing-matches-this"}, json={"dry_run": True}, headers=headers
    )
    assert dry.status_code == 200 and dry.json()["count"] == 0
    assert client.get(f"{API}/search", headers=headers).status_code == 200  # searches have their own bucket


def test_records_read_ahead_for_many_documents_are_the_records_of_each(matters: Matters) -> None:
    """The bulk path reads the rows of many documents at once (SqlCatalog.prefetched): the page records it
    builds are exactly those the catalog gives one document at a time (tags, links, mentions included)."""
    m = matters
    a, shared = m.documents["a"], m.documents["shared"]
    assert m.client.put(f"{API}/documents/{shared}/tags/hot", headers=m.as_("reader-b")).status_code == 200
    assert m.client.put(f"{API}/documents/{a}/pages/2/tags/relevant", headers=m.as_("reader-a")).status_code == 200
    ids = sorted(m.documents.values())
    # The read-ahead answers only the reads a page record is built from (not all of IndexSource).
    source = cast(IndexSource, m.catalog.prefetched(ids))
    indexer = Indexer(m.catalog, m.search)
    for document_id in ids:
        assert records_of(source, document_id) == indexer.records_for(document_id), document_id
    assert any(r.marks for r in records_of(source, a))
    m.client.delete(f"{API}/documents/{shared}/tags/hot", headers=m.as_("reader-b"))
    m.client.delete(f"{API}/documents/{a}/pages/2/tags/relevant", headers=m.as_("reader-a"))


def test_a_dry_run_counts_exactly_and_changes_nothing(matters: Matters) -> None:
    m = matters
    for level, key in (("document", "total_documents"), ("page", "total_pages")):
        r = _bulk(m, "reader-a", "hot", {"q": "clearview"}, level=level, dry_run=True)
        assert r.status_code == 200, r.text
        assert r.json()["count"] == _search(m, "reader-a", q="clearview")[key]
        assert r.json()["dry_run"] is True and r.json()["changed"] == 0
    assert _found(m, "reader-a", q="tag:hot") == set()
    missing = _bulk(m, "reader-a", "hot", {"q": "clearview"}, level="document")
    assert missing.status_code == 422 and "expected_count" in missing.json()["detail"]
