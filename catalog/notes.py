"""Notes: a reviewer's note on a page, or on a region of it, in one collection; private or shared.

A note belongs to the collection it was written in (a matter's work product: another matter never sees
it, even on a shared document) and to its author (the principal's name). A shared note is seen by every
reader of its collection, a private one by its author only: `visible_clause` is that rule as SQL, and
`can_see` the same rule for one note in hand, so that no read path decides it differently.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, and_, delete, insert, or_, select, update

from catalog import schema as t
from catalog.database import Database, new_id, utcnow
from catalog.errors import NotFound

Scope = Sequence[str] | None  # collection ids, None: every collection


@dataclass(frozen=True)
class Region:
    """A box on the page in PDF points from its top-left corner (x to the right, y down)."""

    x0: float
    y0: float
    x1: float
    y1: float


@dataclass(frozen=True)
class Note:
    id: str
    collection_id: str
    document_id: str
    page_number: int
    author: str
    text: str
    shared: bool
    region: Region | None
    created_at: str
    updated_at: str


def can_see(note: Note, viewer: str, scope: Scope) -> bool:
    """Pure: does this reader (name, collections) see the note? Shared in a collection of theirs, or theirs."""
    in_scope = scope is None or note.collection_id in scope
    return in_scope and (note.shared or note.author == viewer)


def visible_clause(viewer: str, scope: Scope) -> ColumnElement[bool]:
    """can_see as SQL over the notes table."""
    mine_or_shared = or_(t.notes.c.shared == 1, t.notes.c.author == viewer)
    if scope is None:
        return mine_or_shared
    return and_(t.notes.c.collection_id.in_(sorted(scope)), mine_or_shared)


def _row(r: Any) -> Note:
    region = None if r.x0 is None else Region(r.x0, r.y0, r.x1, r.y1)
    return Note(
        id=r.id,
        collection_id=r.collection_id,
        document_id=r.document_id,
        page_number=r.page_number,
        author=r.author,
        text=r.text,
        shared=bool(r.shared),
        region=region,
        created_at=r.created_at,
        updated_at=r.updated_at,
    )


def _region_values(region: Region | None) -> dict[str, float | None]:
    if region is None:
        return {"x0": None, "y0": None, "x1": None, "y1": None}
    return {"x0": region.x0, "y0": region.y0, "x1": region.x1, "y1": region.y1}


# Ties in time (notes made in the same instant) break by text before the random id, so one matter sees its notes
# in the same order whatever else the catalog holds.
_ORDER = (t.notes.c.document_id, t.notes.c.page_number, t.notes.c.created_at, t.notes.c.text, t.notes.c.id)


class Notes:
    """The notes table over the catalog's own database (SQLite or PostgreSQL)."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def create(
        self,
        collection_id: str,
        document_id: str,
        page_number: int,
        author: str,
        text: str,
        *,
        shared: bool = False,
        region: Region | None = None,
    ) -> Note:
        now = utcnow()
        note = Note(new_id("note"), collection_id, document_id, page_number, author, text, shared, region, now, now)
        with self._db.writer.begin() as conn:
            conn.execute(
                insert(t.notes).values(
                    id=note.id,
                    collection_id=collection_id,
                    document_id=document_id,
                    page_number=page_number,
                    author=author,
                    text=text,
                    shared=int(shared),
                    created_at=now,
                    updated_at=now,
                    **_region_values(region),
                )
            )
        return note

    def get(self, note_id: str) -> Note:
        with self._db.reader.connect() as conn:
            r = conn.execute(select(t.notes).where(t.notes.c.id == note_id)).first()
        if r is None:
            raise NotFound(f"no note {note_id}")
        return _row(r)

    def update(self, note: Note) -> Note:
        """Write the note's text, sharing and region (the rest never changes); its updated time is now."""
        now = utcnow()
        with self._db.writer.begin() as conn:
            changed = conn.execute(
                update(t.notes)
                .where(t.notes.c.id == note.id)
                .values(text=note.text, shared=int(note.shared), updated_at=now, **_region_values(note.region))
            ).rowcount
        if not changed:
            raise NotFound(f"no note {note.id}")
        return self.get(note.id)

    def delete(self, note_id: str) -> bool:
        with self._db.writer.begin() as conn:
            return bool(conn.execute(delete(t.notes).where(t.notes.c.id == note_id)).rowcount)

    def visible(self, document_ids: Iterable[str], viewer: str, scope: Scope) -> list[Note]:
        """The notes on these documents this reader sees, by document, page and time written."""
        ids = sorted(set(document_ids))
        if not ids:
            return []
        query = select(t.notes).where(t.notes.c.document_id.in_(ids), visible_clause(viewer, scope)).order_by(*_ORDER)
        with self._db.reader.connect() as conn:
            return [_row(r) for r in conn.execute(query).all()]

    def on_pages(
        self, pages: Iterable[tuple[str, int]], viewer: str, scope: Scope
    ) -> dict[tuple[str, int], list[Note]]:
        """(document id, page number) -> the notes on it this reader sees (pages without any left out)."""
        wanted = set(pages)
        found: dict[tuple[str, int], list[Note]] = {}
        for note in self.visible({d for d, _ in wanted}, viewer, scope):
            key = (note.document_id, note.page_number)
            if key in wanted:
                found.setdefault(key, []).append(note)
        return found

    def of_document(self, document_id: str) -> list[Note]:
        """Every note on the document, whoever wrote it in whichever collection: what its index records
        carry, each qualified by collection (and author when private), so a reader matches only theirs."""
        query = select(t.notes).where(t.notes.c.document_id == document_id).order_by(*_ORDER)
        with self._db.reader.connect() as conn:
            return [_row(r) for r in conn.execute(query).all()]
