"""Entity statistics as a reader's corrections show them: a merged entity's mentions count under its
target, hidden entities are left out, renamed and retyped ones are listed with their new name and type.

Without corrections these are SqlCatalog's own reads; with some, the same queries group mentions by
the corrected id (a CASE over the few corrected ids), so counts stay distinct documents.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any

from sqlalchemy import and_, case, func, or_, select

from catalog import schema as t
from catalog.corrections import Correction, EntityCorrections, final_id, project
from catalog.models import Document, EntityRecord, MentionRecord
from catalog.sql import SqlCatalog, _entity

Scope = Sequence[str] | None


def _visible_documents(catalog: SqlCatalog, scope: Scope) -> Any:
    # The catalog's own rule (a document counts in a matter once the index shows it there), not a copy.
    return catalog._visible_documents(scope)


def _in_group(catalog: SqlCatalog, group: Sequence[str], scope: Scope) -> tuple[Any, Any]:
    return t.mentions.c.entity_id.in_(list(group)), t.mentions.c.document_id.in_(_visible_documents(catalog, scope))


def _mapped(column: Any, mapping: Mapping[str, Any], key: Any = None) -> Any:
    return case(dict(mapping), value=key if key is not None else column, else_=column) if mapping else column


def _final_ids(corrections: Mapping[str, Correction]) -> dict[str, str]:
    return {raw: final for raw in corrections if (final := final_id(raw, corrections)) != raw}


def _hidden(corrections: Mapping[str, Correction]) -> list[str]:
    return sorted(i for i, c in corrections.items() if c.hidden)


def merged_group(entity_id: str, corrections: Mapping[str, Correction]) -> list[str]:
    """The raw ids whose mentions count under `entity_id` (itself included)."""
    return sorted({entity_id} | {raw for raw in corrections if final_id(raw, corrections) == entity_id})


def _shown(entity: EntityRecord, corrections: Mapping[str, Correction]) -> EntityRecord:
    c = corrections.get(entity.id)
    if c is None:
        return entity
    return EntityRecord(
        entity.id, c.type or entity.type, c.name or entity.name, entity.aliases, entity.vendor_id, entity.source
    )


def entity_document_counts(
    catalog: SqlCatalog,
    corrections: Mapping[str, Correction],
    entity_type: str | None,
    scope: Scope,
    prefix: str | None = None,
    limit: int = 100,
    after: tuple[int, str] | None = None,
) -> list[tuple[EntityRecord, int]]:
    """Entities with the number of visible documents mentioning them, most first, as corrected."""
    if not corrections:
        return catalog.entity_document_counts(entity_type, scope, prefix, limit, after)
    entity = _mapped(t.mentions.c.entity_id, _final_ids(corrections))
    documents = func.count(func.distinct(t.mentions.c.document_id)).label("documents")
    counted = (
        select(entity.label("entity_id"), documents)
        .where(t.mentions.c.document_id.in_(_visible_documents(catalog, scope)), entity.not_in(_hidden(corrections)))
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
    with catalog.engine.connect() as conn:
        rows = conn.execute(q).all()
    return [(_shown(_entity(r), corrections), int(r.documents)) for r in rows]


def entity_totals(catalog: SqlCatalog, group: Sequence[str], scope: Scope) -> tuple[int, int]:
    """(documents, mentions) of the raw ids counted as one entity, in the visible collections."""
    with catalog.engine.connect() as conn:
        row = conn.execute(
            select(func.count(func.distinct(t.mentions.c.document_id)), func.count()).where(
                *_in_group(catalog, group, scope)
            )
        ).one()
    return int(row[0]), int(row[1])


def co_mentioned(
    catalog: SqlCatalog, corrections: Mapping[str, Correction], group: Sequence[str], scope: Scope, limit: int = 20
) -> list[tuple[EntityRecord, int]]:
    """Entities most often found in the same visible documents, as corrected, with the documents shared."""
    entity = _mapped(t.mentions.c.entity_id, _final_ids(corrections))
    docs = select(t.mentions.c.document_id).where(*_in_group(catalog, group, scope)).distinct()
    shared = func.count(func.distinct(t.mentions.c.document_id))
    with catalog.engine.connect() as conn:
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
    names = catalog.entities_by_ids([r[0] for r in rows])
    return [(_shown(names[r[0]], corrections), int(r[1])) for r in rows if r[0] in names]


def top_documents(
    catalog: SqlCatalog, group: Sequence[str], scope: Scope, limit: int = 10
) -> list[tuple[Document, int]]:
    count = func.count()
    with catalog.engine.connect() as conn:
        rows = conn.execute(
            select(t.mentions.c.document_id, count)
            .where(*_in_group(catalog, group, scope))
            .group_by(t.mentions.c.document_id)
            .order_by(count.desc(), t.mentions.c.document_id)
            .limit(limit)
        ).all()
    return [(catalog.get_document(r[0]), int(r[1])) for r in rows]


def corrected_names(catalog: SqlCatalog, scope: Scope) -> dict[str, str]:
    """Entity id -> the name a reader of `scope` sees, for every renamed entity: the one function a query
    resolver reads to match `vendor:"New name"` to its id (merged and hidden ids are left out)."""
    corrections = catalog_corrections(catalog, scope)
    return {i: c.name for i, c in corrections.items() if c.name and not c.hidden and not c.merged_into}


def catalog_corrections(catalog: SqlCatalog, scope: Scope) -> dict[str, Correction]:
    return EntityCorrections(catalog).of_collections(scope)


def corrected_mentions(
    catalog: SqlCatalog, raw: Sequence[MentionRecord], corrections: Mapping[str, Correction]
) -> tuple[list[MentionRecord], dict[str, EntityRecord]]:
    """Mentions as the corrections show them (a merged entity's under its target, a hidden one's left
    out) with the corrected entities they name. The stored mentions keep their raw detection."""
    ids = {m.entity_id for m in raw} | {final_id(m.entity_id, corrections) for m in raw}
    shown = project(ids, catalog.entities_by_ids(sorted(ids)), corrections)
    mentions: list[MentionRecord] = []
    for m in raw:
        if m.entity_id not in shown:  # no entity record: kept as detected
            mentions.append(m)
        elif (entity := shown[m.entity_id]) is not None:  # None: hidden
            mentions.append(replace(m, entity_id=entity.id))
    return mentions, {e.id: e for e in shown.values() if e is not None}


def indexed_mentions(catalog: SqlCatalog, document_id: str) -> tuple[list[MentionRecord], dict[str, EntityRecord]]:
    """The document's mentions as the index holds them: under the corrections every collection holding it
    agrees on (a retyped entity in its new facet). The worker indexes these, and the API evaluates field
    clauses over the same, so hits and search agree."""
    corrections = EntityCorrections(catalog).of_document(document_id)
    return corrected_mentions(catalog, catalog.mentions(document_id), corrections)
