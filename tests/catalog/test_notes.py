"""Notes in the catalog (SQLite and PostgreSQL, tests/catalog/conftest.py): written per collection, seen
by their author when private and by the collection when shared, changed and deleted in place."""

from __future__ import annotations

from dataclasses import replace

import pytest
from sqlalchemy import insert

from catalog import schema as t
from catalog.database import utcnow
from catalog.errors import NotFound
from catalog.notes import Region, can_see
from catalog.sql import SqlCatalog


def _document(catalog: SqlCatalog, doc_id: str) -> str:
    now = utcnow()
    with catalog.db.writer.begin() as conn:
        conn.execute(
            insert(t.documents).values(
                id=doc_id, sha256=doc_id.ljust(64, "0"), size=1, status="done", page_count=3,
                pdf_metadata="{}", created_at=now, updated_at=now,
            )
        )  # fmt: skip
    return doc_id


def test_a_note_reads_back_as_written_and_changes_in_place(catalog: SqlCatalog) -> None:
    a = catalog.productions.ensure_collection("matter-a").id
    doc = _document(catalog, "doc_notes1")
    box = Region(10.5, 20.0, 110.25, 60.0)
    written = catalog.notes.create(a, doc, 2, "alice", "Compare with p. 4", shared=False, region=box)
    assert written.id.startswith("note_")
    got = catalog.notes.get(written.id)
    assert got == written and got.region == box and not got.shared

    changed = catalog.notes.update(replace(got, text="Now shared", shared=True, region=None))
    assert (changed.text, changed.shared, changed.region) == ("Now shared", True, None)
    assert changed.created_at == written.created_at and changed.updated_at >= written.updated_at
    assert catalog.notes.get(written.id) == changed

    assert catalog.notes.delete(written.id) is True
    assert catalog.notes.delete(written.id) is False
    with pytest.raises(NotFound):
        catalog.notes.get(written.id)
    with pytest.raises(NotFound):
        catalog.notes.update(changed)


def test_private_notes_are_their_authors_and_shared_notes_their_collections(catalog: SqlCatalog) -> None:
    a = catalog.productions.ensure_collection("matter-a").id
    b = catalog.productions.ensure_collection("matter-b").id
    doc = _document(catalog, "doc_shared")
    other = _document(catalog, "doc_other")
    notes = catalog.notes
    alice_private = notes.create(a, doc, 1, "alice", "alice's own")
    alice_shared = notes.create(a, doc, 2, "alice", "for the team", shared=True)
    carol_private = notes.create(a, doc, 1, "carol", "carol's own")
    bob_shared = notes.create(b, doc, 1, "bob", "matter B's", shared=True)
    notes.create(a, other, 1, "alice", "on another document", shared=True)

    def ids(viewer: str, scope: list[str] | None) -> list[str]:
        return [n.id for n in notes.visible([doc], viewer, scope)]

    # Ordered by page, then time written.
    assert ids("alice", [a]) == [alice_private.id, alice_shared.id]
    assert ids("carol", [a]) == [carol_private.id, alice_shared.id]
    assert ids("bob", [b]) == [bob_shared.id]
    assert ids("alice", [b]) == [bob_shared.id]  # alice's notes are in matter A only
    assert ids("root", None) == [bob_shared.id, alice_shared.id]  # every collection: still no private note
    assert ids("alice", []) == []
    for note in notes.visible([doc], "root", None):
        assert can_see(note, "root", None)
    assert not can_see(carol_private, "alice", [a]) and can_see(carol_private, "carol", [a])
    assert not can_see(bob_shared, "alice", [a]) and can_see(bob_shared, "alice", None)

    on = notes.on_pages([(doc, 1), (doc, 3)], "alice", [a])
    assert on == {(doc, 1): [alice_private]}
    # What the index is built from: every note of the document, whoever and wherever.
    assert [n.id for n in notes.of_document(doc)] == [
        alice_private.id,
        carol_private.id,
        bob_shared.id,
        alice_shared.id,
    ]
