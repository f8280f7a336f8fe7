"""Entity statistics in the collections a reader may see, as that reader's corrections show them.

A merged entity's mentions count under its target, hidden entities are left out, renamed and retyped
ones are listed with their new name and type. Without corrections the same queries are the raw counts:
mentions are grouped by the corrected id (a CASE over the few corrected ids, none when there are no
corrections), so counts stay distinct documents.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import and_, case, func, or_, select

from catalog import schema as t
from catalog.corrections import Correction, corrected, final_id
from catalog.database import Database
from catalog.documents import document_of
from catalog.entities import Entities, entity_of
from catalog.links import visible_documents
from catalog.models import Document, EntityRecord

Scope = Sequence[str] | None
Corrections = Mapping[str, Correction]


def _in_group(group: Sequence[str], scope: Scope) -> tuple[Any, Any]:
    return t.mentions.c.entity_id.in_(list(group)), t.mentions.c.document_id.in_(visible_documents(scope))


def _mapped(column: Any, mapping: Mapping[str, Any], key: Any = None) -> Any:
    return case(dict(mapping), value=key if key is not None else column, else_=column) if mapping else column


def _final_ids(corrections: Corrections) -> dict[str, str]:
    return {raw: final for raw in corrections if (final := final_id(raw, corrections)) != raw}


def _hidden(corrections: Corrections) -> list[str]:
    return sorted(i for i, c in corrections.items() if c.hidden)


def merged_group(entity_id: str, corrections: Corrections) -> list[str]:
    """The raw ids whose mentions count under `entity_id` (itself included)."""
    return sorted({entity_id} | {raw for raw in corrections if final_id(raw, corrections) == entity_id})


def _shown(entity: EntityRecord, corrections: Corrections) -> EntityRecord:
    c = corrections.get(entity.id)
    if c is None:
        return entity
    return EntityRecord(
        entity.id, c.type or entity.type, c.name or entity.name, entity.aliases, entity.vendor_id, entity.source
    )


class EntityStats:
    def __init__(self, db: Database, entities: Entities) -> None:
        self._db = db
        self._entities = entities

    def entity_document_counts(
        self,
        corrections: Corrections,
        entity_type: str | None,
        scope: Scope,
        prefix: str | None = None,
        limit: int = 100,
        after: tuple[int, str] | None = None,
    ) -> list[tuple[EntityRecord, int]]:
        """Entities with the number of visible documents mentioning them, most first, as corrected."""
        entity = _mapped(t.mentions.c.entity_id, _final_ids(corrections))
        documents = func.count(func.distinct(t.mentions.c.document_id)).label("documents")
        counted = (
            select(entity.label("entity_id"), documents)
            .where(t.mentions.c.document_id.in_(visible_documents(scope)), entity.not_in(_hidden(corrections)))
            .group_by(entity)
            .subquery()
        )
        name = _mapped(t.entities.c.name, {i: c.name for i, c in corrections.items() if c.name}, t.entities.c.id)
        kind = _mapped(t.entities.c.type, {i: c.type for i, c in corrections.items() if c.type}, t.entities.c.id)
        q = select(t.entities, counted.c.documents).join(counted, counted.c.entity_id == t.entities.c.id)
        if entity_type:
            q = q.where(kind == entity_type)
        if prefix:
            q = q.where(func.lower(name).startswith(prefix.lower(), autoescape=True))
        if after is not None:
            n, last_id = after
            q = q.where(or_(counted.c.documents < n, and_(counted.c.documents == n, t.entities.c.id > last_id)))
        q = q.order_by(counted.c.documents.desc(), t.entities.c.id).limit(limit)
        with self._db.reader.connect() as conn:
            rows = conn.execute(q).all()
        return [(_shown(entity_of(r), corrections), int(r.documents)) for r in rows]

    def entity_totals(self, group: Sequence[str], scope: Scope) -> tuple[int, int]:
        """(documents, mentions) of the raw ids counted as one entity, in the visible collections."""
        with self._db.reader.connect() as conn:
            row = conn.execute(
                select(func.count(func.distinct(t.mentions.c.document_id)), func.count()).where(
                    *_in_group(group, scope)
                )
            ).one()
        return int(row[0]), int(row[1])

    def co_mentioned(
        self, corrections: Corrections, group: Sequence[str], scope: Scope, limit: int = 20
    ) -> list[tuple[EntityRecord, int]]:
        """Entities most often found in the same visible documents, as corrected, with the documents shared."""
        entity = _mapped(t.mentions.c.entity_id, _final_ids(corrections))
        docs = select(t.mentions.c.document_id).where(*_in_group(group, scope)).distinct()
        shared = func.count(func.distinct(t.mentions.c.document_id))
        with self._db.reader.connect() as conn:
            rows = conn.execute(
                select(entity, shared)
                .where(
                    t.mentions.c.document_id.in_(docs),
                    t.mentions.c.entity_id.not_in(list(group)),
                    entity.not_in([*group, *_hidden(corrections)]),
                )
                .group_by(entity)
                .order_by(shared.desc(), entity)
                .limit(limit)
            ).all()
        names = self._entities.entities_by_ids([r[0] for r in rows])
        return [(_shown(names[r[0]], corrections), int(r[1])) for r in rows if r[0] in names]

    def top_documents(self, group: Sequence[str], scope: Scope, limit: int = 10) -> list[tuple[Document, int]]:
        """The visible documents mentioning the group most, with how many mentions."""
        count = func.count().label("mentions")
        counted = (
            select(t.mentions.c.document_id, count)
            .where(*_in_group(group, scope))
            .group_by(t.mentions.c.document_id)
            .subquery()
        )
        q = (
            select(t.documents, counted.c.mentions)
            .join(counted, counted.c.document_id == t.documents.c.id)
            .order_by(counted.c.mentions.desc(), t.documents.c.id)
            .limit(limit)
        )
        with self._db.reader.connect() as conn:
            rows = conn.execute(q).all()
        return [(document_of(r), int(r.mentions)) for r in rows]

    def findable_entities(
        self, corrections: Corrections, scope: Scope
    ) -> list[tuple[EntityRecord, tuple[str, ...], tuple[str, ...]]]:
        """Every entity a reader of `scope` can find (mentioned in a visible document) as the reader's
        `corrections` show it, with the other names it answers to (its names before the reader's rename,
        those of the entities merged into it) and the raw ids merged into it: what `vendor:…` values resolve
        through (search.query.entity_names). Another matter's documents and corrections add nothing."""
        with self._db.reader.connect() as conn:
            raw_ids = [
                r[0]
                for r in conn.execute(
                    select(t.mentions.c.entity_id)
                    .where(t.mentions.c.document_id.in_(visible_documents(scope)))
                    .distinct()
                ).all()
            ]
        groups: dict[str, list[str]] = {}
        for raw in raw_ids:
            groups.setdefault(final_id(raw, corrections), []).append(raw)
        records = self._entities.entities_by_ids(sorted(set(raw_ids) | set(groups)))
        out: list[tuple[EntityRecord, tuple[str, ...], tuple[str, ...]]] = []
        for final, members in sorted(groups.items()):
            target = records.get(final)
            shown = corrected(target, corrections) if target is not None else None
            if shown is None:  # hidden, or no entity record
                continue
            names: list[str] = []
            for member in sorted({final, *members}):
                if (r := records.get(member)) is not None:
                    names.extend((r.name, *r.aliases))
            others = tuple(n for n in dict.fromkeys(names) if n != shown.name)
            out.append((shown, others, tuple(sorted(set(members) - {final}))))
        return out
