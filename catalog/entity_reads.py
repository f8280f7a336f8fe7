"""Mentions as a reader's (or the index's) corrections show them: a merged entity's under its target, a
hidden one's left out. The stored mentions keep their raw detection (catalog/corrections.py)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace

from catalog.corrections import Correction, final_id, project
from catalog.models import EntityRecord, MentionRecord
from catalog.protocols import CorrectionReader, EntityReader, MentionCatalog


def corrected_mentions(
    entities: EntityReader, raw: Sequence[MentionRecord], corrections: Mapping[str, Correction]
) -> tuple[list[MentionRecord], dict[str, EntityRecord]]:
    """Mentions as the corrections show them with the corrected entities they name."""
    ids = {m.entity_id for m in raw} | {final_id(m.entity_id, corrections) for m in raw}
    shown = project(ids, entities.entities_by_ids(sorted(ids)), corrections)
    mentions: list[MentionRecord] = []
    for m in raw:
        if m.entity_id not in shown:  # no entity record: kept as detected
            mentions.append(m)
        elif (entity := shown[m.entity_id]) is not None:  # None: hidden
            mentions.append(replace(m, entity_id=entity.id))
    return mentions, {e.id: e for e in shown.values() if e is not None}


def indexed_mentions(catalog: MentionCatalog, document_id: str) -> tuple[list[MentionRecord], dict[str, EntityRecord]]:
    """The document's mentions as the index holds them: under the corrections every collection holding it
    agrees on (a retyped entity in its new facet). The worker indexes these, and the API evaluates field
    clauses over the same, so hits and search agree."""
    corrections: CorrectionReader = catalog.corrections
    return corrected_mentions(
        catalog.entities, catalog.documents.mentions(document_id), corrections.of_document(document_id)
    )
