"""Entities: the gazetteer's and the detected ones, each named once by id (`type:slug`)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from sqlalchemy import insert, select, update

from catalog import schema as t
from catalog.database import Database
from catalog.errors import NotFound
from catalog.models import EntityRecord

CHUNK = 500  # ids per IN (...): well under SQLite's bound on parameters


class Entities:
    def __init__(self, db: Database) -> None:
        self._db = db

    def upsert_entities(self, records: Sequence[EntityRecord]) -> None:
        """Add new entities; a gazetteer entity already known is updated (its names may have grown)."""
        if not records:
            return
        with self._db.writer.begin() as conn:
            existing = {r[0] for r in conn.execute(select(t.entities.c.id)).all()}
            fresh = [_entity_row(e) for e in records if e.id not in existing]
            stale = [e for e in records if e.id in existing and e.source == "gazetteer"]
            if fresh:
                conn.execute(insert(t.entities), fresh)
            for e in stale:
                conn.execute(update(t.entities).where(t.entities.c.id == e.id).values(**_entity_row(e)))

    def get_entity(self, entity_id: str) -> EntityRecord:
        with self._db.reader.connect() as conn:
            r = conn.execute(select(t.entities).where(t.entities.c.id == entity_id)).first()
        if r is None:
            raise NotFound(f"no entity {entity_id}")
        return entity_of(r)

    def entities_by_ids(self, ids: Sequence[str]) -> dict[str, EntityRecord]:
        out: dict[str, EntityRecord] = {}
        unique = list(dict.fromkeys(ids))
        with self._db.reader.connect() as conn:
            for i in range(0, len(unique), CHUNK):
                for r in conn.execute(select(t.entities).where(t.entities.c.id.in_(unique[i : i + CHUNK]))).all():
                    out[r.id] = entity_of(r)
        return out

    def vendor_products(self, vendor_id: str) -> list[EntityRecord]:
        with self._db.reader.connect() as conn:
            rows = conn.execute(
                select(t.entities).where(t.entities.c.vendor_id == vendor_id).order_by(t.entities.c.name)
            ).all()
        return [entity_of(r) for r in rows]


def _entity_row(e: EntityRecord) -> dict[str, Any]:
    return {
        "id": e.id,
        "type": e.type,
        "name": e.name,
        "aliases": json.dumps(list(e.aliases)),
        "vendor_id": e.vendor_id,
        "source": e.source,
    }


def entity_of(r: Any) -> EntityRecord:
    return EntityRecord(
        id=r.id,
        type=r.type,
        name=r.name,
        aliases=tuple(json.loads(r.aliases or "[]")),
        vendor_id=r.vendor_id,
        source=r.source,
    )
