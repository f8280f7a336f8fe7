"""What the worker needs from nlp/, as a Protocol, and how nlp's facts become catalog records."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Protocol

from catalog.models import EntityRecord, MentionRecord
from nlp.exemptions import ordered_codes
from nlp.types import DocumentDate, EntityInfo, PageFacts


class PageAnalyzer(Protocol):
    def analyze(self, texts: Sequence[str], batch_size: int = 64) -> list[PageFacts]: ...

    def entities(self) -> list[EntityInfo]: ...


class DocumentDater(Protocol):
    def __call__(self, page_texts: Sequence[str], pdf_metadata: Mapping[str, str]) -> DocumentDate: ...


def gazetteer_records(entries: Sequence[EntityInfo]) -> list[EntityRecord]:
    return [
        EntityRecord(id=e.id, type=e.type, name=e.name, aliases=tuple(e.aliases), vendor_id=e.vendor_id)
        for e in entries
    ]


def mention_records(document_id: str, page_number: int, facts: PageFacts) -> list[MentionRecord]:
    return [
        MentionRecord(
            document_id=document_id,
            page_number=page_number,
            entity_id=m.entity_id,
            start=m.start,
            end=m.end,
            text=m.text,
        )
        for m in facts.mentions
    ]


def discovered_entities(facts: Sequence[PageFacts], known_ids: frozenset[str]) -> list[EntityRecord]:
    """Entities found on the pages that the gazetteer does not list (organizations and people from the
    statistical NER, state and local agencies recognised by their form), for the catalog to know."""
    seen: dict[str, EntityRecord] = {}
    for page in facts:
        for m in page.mentions:
            if m.entity_id not in known_ids and m.entity_id not in seen:
                seen[m.entity_id] = EntityRecord(id=m.entity_id, type=m.entity_type, name=m.name, source="ner")
    return list(seen.values())


def page_fact_json(facts: PageFacts) -> dict[str, Any]:
    out: dict[str, Any] = {
        "exemptions": [
            {"code": e.code, "kind": e.kind, "start": e.start, "end": e.end, "text": e.text} for e in facts.exemptions
        ],
        "dates": [{"iso": d.iso, "start": d.start, "end": d.end, "text": d.text} for d in facts.dates],
    }
    # Which agency an office named on the page belongs to ("FDA's Center for ..."): kept with the page
    # until the entity table has a parent column, so a search for an agency can take in its offices.
    parents = {m.entity_id: m.parent_id for m in facts.mentions if m.parent_id}
    if parents:
        out["entity_parents"] = dict(sorted(parents.items()))
    return out


def exemption_codes(facts: PageFacts, tied: Iterable[str] = ()) -> tuple[str, ...]:
    """The page's one set of codes, in the canonical order: stamped or cited in its text, or tied to one of
    its redaction boxes (a stamp printed on the image beside a box). Every screen reads this set."""
    return ordered_codes([*(e.code for e in facts.exemptions), *tied])


def parse_iso_date(value: str | None) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        return None
