"""Entity corrections: an admin's rename, retype, merge or hiding of a detected entity, per collection.

Mentions keep their raw detection (so `foia reanalyze`, which recomputes mentions from the text, keeps
every decision: the decisions are keyed by entity id, not stored on the mentions). A correction belongs
to one collection: a reader sees the corrections of their own collections only, and a shared document is
projected into the index with a correction only where every collection holding it made the same one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import Connection, delete, insert, select, update

from catalog import schema as t
from catalog.database import Database
from catalog.errors import Conflict
from catalog.job_states import request_indexing
from catalog.links import visible_documents
from catalog.models import EntityRecord
from catalog.productions import Productions


@dataclass(frozen=True)
class Correction:
    collection_id: str
    entity_id: str
    name: str | None = None
    type: str | None = None
    merged_into: str | None = None
    hidden: bool = False
    updated_at: str = ""
    updated_by: str = ""

    @property
    def decision(self) -> tuple[str | None, str | None, str | None, bool]:
        return (self.name, self.type, self.merged_into, self.hidden)


def final_id(entity_id: str, corrections: Mapping[str, Correction]) -> str:
    """Where an entity's mentions count: followed along merges (a cycle, refused on writing, stops)."""
    seen = {entity_id}
    current = entity_id
    while (c := corrections.get(current)) is not None and c.merged_into and c.merged_into not in seen:
        current = c.merged_into
        seen.add(current)
    return current


def makes_cycle(entity_id: str, into: str, corrections: Mapping[str, Correction]) -> bool:
    """Would merging `entity_id` into `into` lead back to itself (merging into itself included)?"""
    current: str | None = into
    seen: set[str] = set()
    while current is not None and current not in seen:
        if current == entity_id:
            return True
        seen.add(current)
        c = corrections.get(current)
        current = c.merged_into if c is not None else None
    return False


def corrected(entity: EntityRecord, corrections: Mapping[str, Correction]) -> EntityRecord | None:
    """Pure: the entity as the corrections show it (its own name and type overridden), None when hidden.
    Call it on the final entity of a merge (final_id)."""
    c = corrections.get(entity.id)
    if c is None:
        return entity
    if c.hidden:
        return None
    return replace(entity, name=c.name or entity.name, type=c.type or entity.type)


def project(
    entity_ids: Iterable[str], entities: Mapping[str, EntityRecord], corrections: Mapping[str, Correction]
) -> dict[str, EntityRecord | None]:
    """Pure: each raw entity id -> the corrected entity its mentions count under (None: hidden); ids of
    no known entity are left out."""
    out: dict[str, EntityRecord | None] = {}
    for raw in dict.fromkeys(entity_ids):
        target = entities.get(final_id(raw, corrections))
        if target is not None:
            out[raw] = corrected(target, corrections)
    return out


def _row(r: Any) -> Correction:
    return Correction(
        collection_id=r.collection_id,
        entity_id=r.entity_id,
        name=r.name,
        type=r.type,
        merged_into=r.merged_into,
        hidden=bool(r.hidden),
        updated_at=r.updated_at,
        updated_by=r.updated_by,
    )


class EntityCorrections:
    """The corrections table over the catalog's own database (SQLite or PostgreSQL)."""

    def __init__(self, db: Database, productions: Productions) -> None:
        self._db = db
        self._productions = productions

    def of_collections(self, collection_ids: Sequence[str] | None) -> dict[str, Correction]:
        """The corrections a reader of these collections sees (None: every collection); where two of the
        reader's collections decided differently about one entity, the newest decision counts."""
        q = select(t.entity_corrections).order_by(t.entity_corrections.c.updated_at)
        if collection_ids is not None:
            q = q.where(t.entity_corrections.c.collection_id.in_(list(collection_ids)))
        with self._db.reader.connect() as conn:
            return {r.entity_id: _row(r) for r in conn.execute(q).all()}

    def of_document(self, document_id: str) -> dict[str, Correction]:
        """The corrections every collection holding the document agrees on: what its index records carry,
        so that one matter's decision never changes what another matter's readers find."""
        holders = self._productions.document_collections(document_id)
        if not holders:
            return {}
        with self._db.reader.connect() as conn:
            rows = conn.execute(
                select(t.entity_corrections).where(t.entity_corrections.c.collection_id.in_(sorted(holders)))
            ).all()
        by_entity: dict[str, list[Correction]] = {}
        for r in rows:
            by_entity.setdefault(r.entity_id, []).append(_row(r))
        return {
            entity_id: found[0]
            for entity_id, found in by_entity.items()
            if len(found) == len(holders) and len({c.decision for c in found}) == 1
        }

    def corrected_names(self, collection_ids: Sequence[str] | None) -> dict[str, str]:
        """Entity id -> the name a reader of these collections sees, for every renamed entity: the one
        function a query resolver reads to match `vendor:"New name"` to its id (merged and hidden ids are
        left out)."""
        corrections = self.of_collections(collection_ids)
        return {i: c.name for i, c in corrections.items() if c.name and not c.hidden and not c.merged_into}

    def get(self, collection_id: str, entity_id: str) -> Correction | None:
        with self._db.reader.connect() as conn:
            r = conn.execute(
                select(t.entity_corrections).where(
                    t.entity_corrections.c.collection_id == collection_id,
                    t.entity_corrections.c.entity_id == entity_id,
                )
            ).first()
        return _row(r) if r is not None else None

    def save(self, correction: Correction) -> Correction:
        """Write (or replace) a collection's decision about an entity and queue the documents it touches
        for re-indexing. A merge that would make a cycle is a Conflict."""
        saved = replace(correction, updated_at=dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds"))
        with self._db.writer.begin() as conn:
            current = self._collection_rows(conn, correction.collection_id)
            current[correction.entity_id] = saved
            if saved.merged_into and makes_cycle(saved.entity_id, saved.merged_into, current):
                raise Conflict(f"merging {saved.entity_id} into {saved.merged_into} would make a cycle")
            values = {
                "name": saved.name,
                "type": saved.type,
                "merged_into": saved.merged_into,
                "hidden": int(saved.hidden),
                "updated_at": saved.updated_at,
                "updated_by": saved.updated_by,
            }
            key = (
                t.entity_corrections.c.collection_id == saved.collection_id,
                t.entity_corrections.c.entity_id == saved.entity_id,
            )
            if conn.execute(update(t.entity_corrections).where(*key).values(**values)).rowcount == 0:
                conn.execute(
                    insert(t.entity_corrections).values(
                        collection_id=saved.collection_id, entity_id=saved.entity_id, **values
                    )
                )
            self._queue_reindex(conn, saved.collection_id, self._touched(current, saved.entity_id))
        return saved

    def remove(self, collection_id: str, entity_id: str) -> bool:
        """Undo a collection's decision about an entity; True if there was one."""
        with self._db.writer.begin() as conn:
            current = self._collection_rows(conn, collection_id)
            touched = self._touched(current, entity_id)
            gone = conn.execute(
                delete(t.entity_corrections).where(
                    t.entity_corrections.c.collection_id == collection_id,
                    t.entity_corrections.c.entity_id == entity_id,
                )
            ).rowcount
            if gone:
                self._queue_reindex(conn, collection_id, touched)
        return bool(gone)

    def _collection_rows(self, conn: Connection, collection_id: str) -> dict[str, Correction]:
        rows = conn.execute(
            select(t.entity_corrections).where(t.entity_corrections.c.collection_id == collection_id)
        ).all()
        return {r.entity_id: _row(r) for r in rows}

    @staticmethod
    def _touched(corrections: Mapping[str, Correction], entity_id: str) -> set[str]:
        """The entity, what it is merged into, and every entity merged into it (their mentions move)."""
        touched = {entity_id, final_id(entity_id, corrections)}
        touched |= {raw for raw in corrections if final_id(raw, corrections) in touched}
        return touched

    def _queue_reindex(self, conn: Connection, collection_id: str, entity_ids: set[str]) -> None:
        """Re-project the collection's documents mentioning these entities: their done jobs go back to the
        queue's indexing state, which a worker finishes by indexing from the catalog (no OCR). A document
        whose link the index does not show yet is being indexed anyway, under the corrections as they are."""
        documents = select(t.mentions.c.document_id).where(
            t.mentions.c.entity_id.in_(sorted(entity_ids)),
            t.mentions.c.document_id.in_(visible_documents([collection_id])),
        )
        request_indexing(conn, t.jobs.c.document_id.in_(documents))
