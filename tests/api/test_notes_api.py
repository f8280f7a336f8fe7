"""Notes over the API on two real matters (tests/security/conftest.py, tantivy): private notes are their
author's, shared notes their matter's, never another matter's, even on the document both released; only
the author edits; notes on pages that do not exist, bad regions and blank texts are clear 4xx; each
change is audited."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import select

from catalog import schema as t
from ingest.indexing import Indexer
from tests.security.conftest import Matters, build_matters

API = "/api/v1"


@pytest.fixture(scope="module")
def m(tmp_path_factory: pytest.TempPathFactory, analyzer: object) -> Iterator[Matters]:
    for built in build_matters("tantivy", tmp_path_factory.mktemp("notes-api"), analyzer):
        store = built.catalog.tokens
        built.tokens["carol-a"] = store.create("carol", "reader", ["matter-a"]).secret
        built.tokens["reader-ab"] = store.create("dora", "reader", ["matter-a", "matter-b"]).secret
        yield built


def _post(m: Matters, who: str, doc: str, page: int, body: dict[str, Any]) -> Any:
    # Written as ASCII JSON: "\ud800" (half a UTF-16 pair) is what a client can send, and cannot be UTF-8.
    headers = {**m.as_(who), "Content-Type": "application/json"}
    return m.client.post(f"{API}/documents/{doc}/pages/{page}/notes", content=json.dumps(body), headers=headers)


def _listed(m: Matters, who: str, doc: str, **params: Any) -> list[dict[str, Any]]:
    answer = m.client.get(f"{API}/documents/{doc}/notes", params=params, headers=m.as_(who))
    assert answer.status_code == 200, answer.text
    items: list[dict[str, Any]] = answer.json()["items"]
    return items


def _audited(m: Matters, note_id: str) -> list[str]:
    with m.catalog.db.reader.connect() as conn:
        rows = conn.execute(
            select(t.audit_log.c.action).where(t.audit_log.c.target == note_id).order_by(t.audit_log.c.id)
        ).all()
    return [r[0] for r in rows]


def test_a_private_note_on_a_region_is_its_authors_alone(m: Matters) -> None:
    shared_doc = m.documents["shared"]
    box = {"x0": 72.0, "y0": 100.5, "x1": 300.0, "y1": 140.0}
    made = _post(m, "reader-a", shared_doc, 1, {"text": "  Who signed this?  ", "region": box})
    assert made.status_code == 201, made.text
    note = made.json()
    assert (note["text"], note["shared"], note["region"], note["mine"]) == ("Who signed this?", False, box, True)
    assert note["collection_id"] == m.collections["matter-a"] and note["author"].endswith(":alice")

    assert [n["id"] for n in _listed(m, "reader-a", shared_doc)] == [note["id"]]
    assert _listed(m, "carol-a", shared_doc) == []  # same matter, not the author: private
    assert _listed(m, "reader-b", shared_doc) == []  # the other matter, on the document both released
    for who in ("carol-a", "reader-b"):
        for method in ("PATCH", "DELETE"):
            answer = m.client.request(
                method,
                f"{API}/notes/{note['id']}",
                json={"text": "x"} if method == "PATCH" else None,
                headers=m.as_(who),
            )
            assert answer.status_code == 404, (who, method, answer.text)
            assert answer.json()["type"] == "/problems/not-found"
    nowhere = m.client.patch(f"{API}/notes/note_0000000000000000", json={"text": "x"}, headers=m.as_("carol-a"))
    assert nowhere.status_code == 404 and nowhere.json()["detail"] == "no note note_0000000000000000"
    malformed = m.client.delete(f"{API}/notes/note_%00'--", headers=m.as_("carol-a"))
    assert malformed.status_code == 404 and malformed.json()["type"] == "/problems/not-found"
    assert m.client.delete(f"{API}/notes/{note['id']}", headers=m.as_("reader-a")).status_code == 204


def test_a_shared_note_is_read_by_the_matter_and_changed_by_its_author_only(m: Matters) -> None:
    doc = m.documents["a"]
    note = _post(m, "reader-a", doc, 2, {"text": "Second page: the pilot", "shared": True}).json()
    seen = _listed(m, "carol-a", doc)
    assert [(n["id"], n["mine"], n["region"]) for n in seen] == [(note["id"], False, None)]
    assert _listed(m, "carol-a", doc, page=1) == [] and len(_listed(m, "carol-a", doc, page=2)) == 1
    for method in ("PATCH", "DELETE"):
        answer = m.client.request(
            method, f"{API}/notes/{note['id']}", json={"text": "mine now"} if method == "PATCH" else None,
            headers=m.as_("carol-a"),
        )  # fmt: skip
        assert answer.status_code == 403 and answer.json()["type"] == "/problems/forbidden", answer.text

    box = {"x0": 1, "y0": 2, "x1": 3, "y1": 4}
    changed = m.client.patch(
        f"{API}/notes/{note['id']}", json={"text": "Edited", "region": box}, headers=m.as_("reader-a")
    )
    assert changed.status_code == 200, changed.text
    body = changed.json()
    assert (body["text"], body["shared"], body["region"]) == ("Edited", True, {k: float(v) for k, v in box.items()})
    assert body["created_at"] == note["created_at"] and body["updated_at"] >= note["updated_at"]
    # Made private again, and the region dropped: carol no longer sees it.
    private = m.client.patch(
        f"{API}/notes/{note['id']}", json={"shared": False, "region": None}, headers=m.as_("reader-a")
    ).json()
    assert (private["text"], private["shared"], private["region"]) == ("Edited", False, None)
    assert _listed(m, "carol-a", doc) == []
    assert m.client.patch(f"{API}/notes/{note['id']}", json={"text": "x"}, headers=m.as_("carol-a")).status_code == 404

    assert m.client.delete(f"{API}/notes/{note['id']}", headers=m.as_("reader-a")).status_code == 204
    assert _listed(m, "reader-a", doc) == []
    assert m.client.delete(f"{API}/notes/{note['id']}", headers=m.as_("reader-a")).status_code == 404
    assert _audited(m, note["id"]) == ["note.create", "note.update", "note.update", "note.delete"]


def test_an_uploader_writes_notes_too_and_the_other_matter_reads_none_of_its_documents(m: Matters) -> None:
    made = _post(m, "uploader-a", m.documents["a"], 1, {"text": "uploader's note", "shared": True})
    assert made.status_code == 201, made.text
    theirs = _post(m, "reader-b", m.documents["a"], 1, {"text": "sneaky"})
    nothing = _post(m, "reader-b", "doc_000000000000000000000000", 1, {"text": "sneaky"})
    assert theirs.status_code == nothing.status_code == 404
    assert theirs.json()["detail"].replace(m.documents["a"], "D") == nothing.json()["detail"].replace(
        "doc_000000000000000000000000", "D"
    )
    listed = m.client.get(f"{API}/documents/{m.documents['a']}/notes", headers=m.as_("reader-b"))
    assert listed.status_code == 404
    assert m.client.delete(f"{API}/notes/{made.json()['id']}", headers=m.as_("uploader-a")).status_code == 204


@pytest.mark.parametrize(
    ("page", "body", "status", "problem"),
    [
        (99, {"text": "past the last page"}, 404, "/problems/not-found"),
        (0, {"text": "page zero"}, 422, "/problems/invalid-request"),
        (1, {"text": "   "}, 422, "/problems/invalid-request"),
        (1, {"text": "a NUL \x00 here"}, 422, "/problems/invalid-request"),
        (1, {"text": "half a pair \ud800"}, 422, "/problems/invalid-request"),
        (1, {"text": ""}, 422, "/problems/invalid-request"),
        (1, {"text": "x" * 10_001}, 422, "/problems/invalid-request"),
        (
            1,
            {"text": "upside down", "region": {"x0": 50, "y0": 10, "x1": 20, "y1": 30}},
            422,
            "/problems/invalid-request",
        ),
        (1, {"text": "no area", "region": {"x0": 5, "y0": 10, "x1": 5, "y1": 30}}, 422, "/problems/invalid-request"),
        (
            1,
            {"text": "off the page", "region": {"x0": -1, "y0": 0, "x1": 5, "y1": 5}},
            422,
            "/problems/invalid-request",
        ),
        (1, {"text": "huge", "region": {"x0": 0, "y0": 0, "x1": 99999, "y1": 5}}, 422, "/problems/invalid-request"),
        (1, {"text": "no", "unknown": 1, "collection": "col_nothing"}, 404, "/problems/not-found"),
    ],
)
def test_bad_notes_are_refused_with_a_problem_and_nothing_is_written(
    m: Matters, page: int, body: dict[str, Any], status: int, problem: str
) -> None:
    doc = m.documents["a"]
    before = _listed(m, "reader-a", doc)
    answer = _post(m, "reader-a", doc, page, body)
    assert answer.status_code == status, answer.text
    assert answer.headers["content-type"].startswith("application/problem+json")
    assert answer.json()["type"] == problem
    assert _listed(m, "reader-a", doc) == before


def test_a_document_in_two_of_the_readers_collections_needs_the_collection_named(m: Matters) -> None:
    doc = m.documents["shared"]
    ambiguous = _post(m, "reader-ab", doc, 1, {"text": "which matter?"})
    assert ambiguous.status_code == 400, ambiguous.text
    problem = ambiguous.json()
    assert problem["type"] == "/problems/collection-required"
    assert sorted(c["name"] for c in problem["choices"]) == ["matter-a", "matter-b"]
    b = m.collections["matter-b"]
    made = _post(m, "reader-ab", doc, 1, {"text": "for B", "shared": True, "collection": b})
    assert made.status_code == 201 and made.json()["collection_id"] == b
    assert [n["text"] for n in _listed(m, "reader-b", doc)] == ["for B"]
    assert "for B" not in [n["text"] for n in _listed(m, "reader-a", doc)]
    # A document only in one of the reader's collections needs no name.
    assert _post(m, "reader-ab", m.documents["b"], 1, {"text": "only B"}).status_code == 201


def _best_page_notes(m: Matters, who: str, q: str, doc: str) -> dict[int, list[str]]:
    body = m.client.get(f"{API}/search", params={"q": q}, headers=m.as_(who)).json()
    item = next(i for i in body["items"] if i["document_id"] == doc)
    return {p["page_number"]: [n["text"] for n in p["notes"]] for p in item["best_pages"]}


def test_hits_show_and_export_the_page_notes_the_reader_sees(m: Matters) -> None:
    doc, shared_doc = m.documents["a"], m.documents["shared"]
    ours = _post(m, "reader-a", doc, 1, {"text": "Results note", "shared": True}).json()
    box = {"x0": 1, "y0": 1, "x1": 9, "y1": 9}
    carols = _post(m, "carol-a", doc, 1, {"text": "=carol private", "region": box}).json()
    theirs = _post(m, "reader-b", shared_doc, 1, {"text": "B's shared note", "shared": True}).json()
    mine_on_shared = _post(m, "reader-a", shared_doc, 1, {"text": "A on the shared memo"}).json()

    assert _best_page_notes(m, "reader-a", "alphaword", doc) == {1: ["Results note"]}
    assert _best_page_notes(m, "carol-a", "alphaword", doc) == {1: ["Results note", "=carol private"]}
    assert _best_page_notes(m, "reader-a", "Microsoft", shared_doc)[1] == ["A on the shared memo"]
    assert "B's shared note" in _best_page_notes(m, "reader-b", "Microsoft", shared_doc)[1]
    assert "A on the shared memo" not in _best_page_notes(m, "reader-b", "Microsoft", shared_doc)[1]

    hits = m.client.get(f"{API}/documents/{doc}/hits", params={"q": "alphaword"}, headers=m.as_("carol-a")).json()
    assert [(p["page_number"], [n["id"] for n in p["notes"]]) for p in hits["pages"]] == [
        (1, [ours["id"], carols["id"]])
    ]
    assert hits["pages"][0]["notes"][1]["mine"] is True and hits["pages"][0]["notes"][0]["mine"] is False

    export = m.client.get(f"{API}/search/export", params={"q": "alphaword"}, headers=m.as_("carol-a"))
    assert export.status_code == 200
    rows = list(csv.DictReader(io.StringIO(export.text)))
    # The page's notes are one list cell (api/csv_cells.py): a cell that does not start with '=' is no formula.
    assert [r["notes"] for r in rows if r["document_id"] == doc and r["page_number"] == "1"] == [
        "Results note; =carol private"
    ]
    ndjson = m.client.get(
        f"{API}/search/export", params={"q": "Microsoft", "format": "ndjson"}, headers=m.as_("reader-a")
    )
    lines = [json.loads(line) for line in ndjson.text.splitlines()]
    assert [r["notes"] for r in lines if r["document_id"] == shared_doc] == [["A on the shared memo"]]
    for note, who in ((ours, "reader-a"), (carols, "carol-a"), (theirs, "reader-b"), (mine_on_shared, "reader-a")):
        assert m.client.delete(f"{API}/notes/{note['id']}", headers=m.as_(who)).status_code == 204


def _found(m: Matters, who: str, q: str) -> set[tuple[str, int]]:
    body = m.client.get(f"{API}/search", params={"q": q, "limit": 100}, headers=m.as_(who)).json()
    return {(i["document_id"], p["page_number"]) for i in body["items"] for p in i["best_pages"]}


def test_note_queries_find_the_notes_the_reader_may_see_at_once(m: Matters) -> None:
    doc, shared_doc = m.documents["a"], m.documents["shared"]
    private = _post(m, "reader-a", doc, 2, {"text": "Okapi budget question"}).json()
    shared = _post(m, "reader-a", shared_doc, 1, {"text": "Okapi follow-up for the team", "shared": True}).json()
    theirs = _post(m, "reader-b", shared_doc, 1, {"text": "Okapi in matter B", "shared": True}).json()
    # Searchable the moment the note is written (the index's marks follow the catalog before the answer).
    assert _found(m, "reader-a", "note:okapi") == {(doc, 2), (shared_doc, 1)}
    assert _found(m, "carol-a", "note:okapi") == {(shared_doc, 1)}  # alice's private note is hers
    assert _found(m, "reader-b", "note:okapi") == {(shared_doc, 1)}  # B's own note, not A's
    assert _found(m, "reader-b", "note:budget") == set()
    assert _found(m, "reader-a", "note:okapi note:team") == {(shared_doc, 1)}
    assert _found(m, "reader-a", "okapi") == set()  # a note's words are not the page's text
    # The document's hit pages and the batch counts follow the same rule.
    hits = m.client.get(f"{API}/documents/{doc}/hits", params={"q": "note:okapi"}, headers=m.as_("reader-a")).json()
    assert [p["page_number"] for p in hits["pages"]] == [2]
    carol_hits = m.client.get(f"{API}/documents/{doc}/hits", params={"q": "note:okapi"}, headers=m.as_("carol-a"))
    assert carol_hits.json()["pages"] == []
    batch = m.client.post(f"{API}/search/batch", json={"queries": ["note:okapi"]}, headers=m.as_("carol-a")).json()
    assert (batch["items"][0]["documents"], batch["items"][0]["pages"]) == (1, 1)

    # Edits and deletes reach the index as quickly.
    edited = m.client.patch(f"{API}/notes/{private['id']}", json={"text": "Tapir budget"}, headers=m.as_("reader-a"))
    assert edited.status_code == 200
    assert _found(m, "reader-a", "note:okapi") == {(shared_doc, 1)}
    assert _found(m, "reader-a", "note:tapir") == {(doc, 2)}
    m.client.patch(f"{API}/notes/{private['id']}", json={"shared": True}, headers=m.as_("reader-a"))
    assert _found(m, "carol-a", "note:tapir") == {(doc, 2)}
    for note, who in ((private, "reader-a"), (shared, "reader-a"), (theirs, "reader-b")):
        assert m.client.delete(f"{API}/notes/{note['id']}", headers=m.as_(who)).status_code == 204
    assert _found(m, "reader-a", "note:okapi OR note:tapir") == set()
    assert _found(m, "reader-b", "note:okapi") == set()


def test_a_reindex_from_the_catalog_keeps_the_notes_searchable(m: Matters) -> None:
    doc = m.documents["a"]
    note = _post(m, "reader-a", doc, 1, {"text": "Wombat timeline", "shared": True}).json()
    assert _found(m, "carol-a", "note:wombat") == {(doc, 1)}
    Indexer(m.catalog, m.search).reindex_all()
    m.search.refresh()
    assert _found(m, "carol-a", "note:wombat") == {(doc, 1)}
    assert _found(m, "reader-b", "note:wombat") == set()
    assert m.client.delete(f"{API}/notes/{note['id']}", headers=m.as_("reader-a")).status_code == 204
