"""Review tags, per collection: the tag names a matter has, and the tags applied to documents and pages.

The built-in tags (BUILT_IN) exist in every collection without a row; a matter adds its own (`define`).
A tag applied to a document is carried by each of its pages in the index, a page tag by that page
(`applied` is what the indexer projects, search.marks.tag_marks). Every row belongs to one collection, and every
read takes the collections it may look at: one matter's tags never show in another's, even on a shared
document.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy import Table, and_, delete, select, tuple_

from catalog import schema as t
from catalog.database import Database, utcnow
from catalog.errors import Conflict
from catalog.links import insert_new

# name -> label: every collection has them, created by nobody.
BUILT_IN: dict[str, str] = {
    "hot": "Hot",
    "relevant": "Relevant",
    "privileged": "Privileged",
    "needs-review": "Needs review",
}
TAG_NAME = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$")
TAG_NAME_RULE = "lowercase letters, digits and inner hyphens, at most 40 characters (needs-review)"
_CHUNK = 500  # rows per statement of a bulk write or read (PostgreSQL and SQLite parameter limits)


@dataclass(frozen=True)
class TagDefinition:
    collection_id: str
    name: str
    label: str
    built_in: bool
    created_at: str | None = None
    created_by: str | None = None


@dataclass(frozen=True)
class AppliedTags:
    """A document's tags in the collections asked about: its own, and its pages' (page -> tags)."""

    document: tuple[tuple[str, str], ...]  # (collection id, tag name), sorted
    pages: dict[int, tuple[tuple[str, str], ...]]


_Item = TypeVar("_Item")


def _chunks(items: Sequence[_Item], size: int = _CHUNK) -> Iterable[Sequence[_Item]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


class TagStore:
    """The tag tables over the catalog's own database (SQLite or PostgreSQL)."""

    def __init__(self, db: Database) -> None:
        self._db = db

    # -- definitions ----------------------------------------------------------------------------------

    def definitions(self, collection_ids: Sequence[str]) -> list[TagDefinition]:
        """Every tag of these collections: the built-in ones first, then the matter's own by name."""
        out = [TagDefinition(c, name, label, True) for c in sorted(collection_ids) for name, label in BUILT_IN.items()]
        if not collection_ids:
            return out
        with self._db.reader.connect() as conn:
            rows = conn.execute(
                select(t.tags)
                .where(t.tags.c.collection_id.in_(sorted(collection_ids)))
                .order_by(t.tags.c.collection_id, t.tags.c.name)
            ).all()
        out += [TagDefinition(r.collection_id, r.name, r.label, False, r.created_at, r.created_by) for r in rows]
        return sorted(out, key=lambda d: (d.collection_id, not d.built_in, d.name))

    def names(self, collection_id: str) -> list[str]:
        """The tag names a collection knows, built-in first."""
        return [d.name for d in self.definitions([collection_id])]

    def define(self, collection_id: str, name: str, label: str, by: str) -> TagDefinition:
        """A matter's own tag; Conflict when the collection already has a tag of that name."""
        if not TAG_NAME.match(name):
            raise ValueError(f"a tag name is {TAG_NAME_RULE}")
        if name in BUILT_IN:
            raise Conflict(f"'{name}' is a built-in tag of every collection")
        now = utcnow()
        with self._db.writer.begin() as conn:
            stmt = insert_new(conn, t.tags).values(
                collection_id=collection_id, name=name, label=label, created_at=now, created_by=by
            )
            if conn.execute(stmt).rowcount == 0:
                raise Conflict(f"the collection already has a tag '{name}'")
        return TagDefinition(collection_id, name, label, False, now, by)

    # -- applying -------------------------------------------------------------------------------------

    def tag_documents(self, collection_id: str, tag: str, document_ids: Sequence[str], by: str) -> int:
        """Apply `tag` to documents (those already tagged stay as they are); returns how many are new."""
        rows = [
            {"collection_id": collection_id, "document_id": d, "tag": tag, "tagged_at": utcnow(), "tagged_by": by}
            for d in dict.fromkeys(document_ids)
        ]
        return self._insert(t.document_tags, rows)

    def untag_documents(self, collection_id: str, tag: str, document_ids: Sequence[str]) -> int:
        """Remove `tag` from documents; returns how many had it."""
        c = t.document_tags.c
        removed = 0
        with self._db.writer.begin() as conn:
            for chunk in _chunks(list(dict.fromkeys(document_ids))):
                where = (c.collection_id == collection_id, c.tag == tag, c.document_id.in_(chunk))
                removed += conn.execute(delete(t.document_tags).where(*where)).rowcount
        return removed

    def tag_pages(self, collection_id: str, tag: str, pages: Sequence[tuple[str, int]], by: str) -> int:
        """Apply `tag` to pages (document id, page number); returns how many are new."""
        now = utcnow()
        rows = [
            {
                "collection_id": collection_id,
                "document_id": d,
                "page_number": n,
                "tag": tag,
                "tagged_at": now,
                "tagged_by": by,
            }
            for d, n in dict.fromkeys(pages)
        ]
        return self._insert(t.page_tags, rows)

    def untag_pages(self, collection_id: str, tag: str, pages: Sequence[tuple[str, int]]) -> int:
        c = t.page_tags.c
        removed = 0
        with self._db.writer.begin() as conn:
            for chunk in _chunks(list(dict.fromkeys(pages))):
                removed += conn.execute(
                    delete(t.page_tags).where(
                        c.collection_id == collection_id,
                        c.tag == tag,
                        tuple_(c.document_id, c.page_number).in_(list(chunk)),
                    )
                ).rowcount
        return removed

    def _insert(self, table: Table, rows: Sequence[dict[str, Any]]) -> int:
        added = 0
        with self._db.writer.begin() as conn:
            for chunk in _chunks(rows):
                added += conn.execute(insert_new(conn, table), list(chunk)).rowcount
        return added

    # -- reading --------------------------------------------------------------------------------------

    def applied(self, document_id: str, collection_ids: Sequence[str] | None) -> AppliedTags:
        """The document's tags in these collections (None: every collection)."""
        doc_c, page_c = t.document_tags.c, t.page_tags.c
        doc_q = select(doc_c.collection_id, doc_c.tag).where(doc_c.document_id == document_id)
        page_q = select(page_c.page_number, page_c.collection_id, page_c.tag).where(page_c.document_id == document_id)
        if collection_ids is not None:
            doc_q = doc_q.where(doc_c.collection_id.in_(list(collection_ids)))
            page_q = page_q.where(page_c.collection_id.in_(list(collection_ids)))
        with self._db.reader.connect() as conn:
            document = sorted((r.collection_id, r.tag) for r in conn.execute(doc_q))
            pages: dict[int, list[tuple[str, str]]] = defaultdict(list)
            for r in conn.execute(page_q):
                pages[int(r.page_number)].append((r.collection_id, r.tag))
        return AppliedTags(tuple(document), {n: tuple(sorted(v)) for n, v in sorted(pages.items())})

    def document_tags_of(
        self, document_ids: Sequence[str], collection_ids: Sequence[str] | None
    ) -> dict[str, list[tuple[str, str]]]:
        """Each document's own tags in these collections (a result list shows many at once)."""
        c = t.document_tags.c
        out: dict[str, list[tuple[str, str]]] = {}
        with self._db.reader.connect() as conn:
            for chunk in _chunks(list(dict.fromkeys(document_ids))):
                q = select(c.document_id, c.collection_id, c.tag).where(c.document_id.in_(chunk))
                if collection_ids is not None:
                    q = q.where(c.collection_id.in_(list(collection_ids)))
                for r in conn.execute(q.order_by(c.collection_id, c.tag)):
                    out.setdefault(r.document_id, []).append((r.collection_id, r.tag))
        return out

    def documents_with(self, collection_id: str, tag: str, document_ids: Sequence[str]) -> set[str]:
        """Those of the documents that carry `tag` of this collection themselves."""
        c = t.document_tags.c
        found: set[str] = set()
        with self._db.reader.connect() as conn:
            for chunk in _chunks(list(dict.fromkeys(document_ids))):
                q = select(c.document_id).where(
                    c.collection_id == collection_id, c.tag == tag, c.document_id.in_(chunk)
                )
                found |= {r.document_id for r in conn.execute(q)}
        return found

    def pages_with(self, collection_id: str, tag: str, pages: Sequence[tuple[str, int]]) -> set[tuple[str, int]]:
        """Those of the pages that carry `tag` of this collection themselves."""
        c = t.page_tags.c
        wanted = set(pages)
        found: set[tuple[str, int]] = set()
        with self._db.reader.connect() as conn:
            for chunk in _chunks(sorted({d for d, _ in wanted})):
                q = select(c.document_id, c.page_number).where(
                    c.collection_id == collection_id, c.tag == tag, c.document_id.in_(chunk)
                )
                found |= {(r.document_id, int(r.page_number)) for r in conn.execute(q)} & wanted
        return found

    def tagged_pages(self, collection_id: str, tag: str) -> list[tuple[str, int]]:
        """The pages carrying `tag` of this collection themselves (not through their document)."""
        c = t.page_tags.c
        with self._db.reader.connect() as conn:
            rows = conn.execute(
                select(c.document_id, c.page_number)
                .where(and_(c.collection_id == collection_id, c.tag == tag))
                .order_by(c.document_id, c.page_number)
            ).all()
        return [(r.document_id, int(r.page_number)) for r in rows]
