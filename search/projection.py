"""The page records of one document, built from what the catalog holds about it.

Pure, and shared by every side that must see pages exactly as the index holds them: the worker that
indexes them and the API that evaluates a query over them (hits and highlights). It lives in `search`
so that neither of those imports the other; the catalog's rows are read through the Protocols below
(search imports nothing of ours), which the catalog's dataclasses satisfy as they are.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from typing import Protocol

from search.records import ENTITY_FIELDS, LinkName, Mark, PageRecord


class DocumentFacts(Protocol):
    @property
    def id(self) -> str: ...
    @property
    def document_date(self) -> dt.date | None: ...
    @property
    def bates_begin(self) -> str | None: ...
    @property
    def bates_end(self) -> str | None: ...
    @property
    def page_count(self) -> int | None: ...


class PageFacts(Protocol):
    @property
    def number(self) -> int: ...
    @property
    def text(self) -> str: ...
    @property
    def bates(self) -> str | None: ...
    @property
    def exemptions(self) -> tuple[str, ...]: ...


class MentionFacts(Protocol):
    @property
    def page_number(self) -> int: ...
    @property
    def entity_id(self) -> str: ...


class LinkFacts(Protocol):
    """One production link of the document with the names that link gives it."""

    @property
    def collection_id(self) -> str: ...
    @property
    def production_id(self) -> str: ...
    @property
    def production_name(self) -> str: ...
    @property
    def file_name(self) -> str: ...
    @property
    def title(self) -> str: ...


def build_page_records(
    document: DocumentFacts,
    pages: Sequence[PageFacts],
    mentions: Sequence[MentionFacts],
    links: Sequence[LinkFacts],
    entity_types: dict[str, str],
    entity_names: dict[str, str] | None = None,
    keywords: dict[int, dict[str, tuple[str, ...]]] | None = None,
    marks: Mapping[int, tuple[Mark, ...]] | None = None,
) -> list[PageRecord]:
    """One record per page, each carrying its document's fields and every production link with the
    names that link gives it (`links`: oldest first). `keywords`: page number -> the values of the
    registry's "values" fields that the record does not carry otherwise (search.fields). `marks`: page
    number -> the reviewers' marks on it, its document's included (catalog.tags.TagStore.marks_of).

    Raises UnknownEntityType for a mention whose entity type the registry does not declare."""
    by_page: dict[int, list[str]] = defaultdict(list)
    for m in mentions:
        by_page[m.page_number].append(m.entity_id)
    document_entities = _group_by_type([m.entity_id for m in mentions], entity_types)
    names = tuple(LinkName(x.collection_id, x.production_id, x.production_name, x.file_name, x.title) for x in links)
    return [
        PageRecord(
            document_id=document.id,
            page_number=page.number,
            text=page.text,
            links=names,
            document_date=document.document_date,
            bates=page.bates,
            bates_begin=document.bates_begin,
            bates_end=document.bates_end,
            page_count=document.page_count or len(pages),
            exemptions=page.exemptions,
            entities=_group_by_type(by_page.get(page.number, []), entity_types),
            document_entities=document_entities,
            mention_counts=dict(Counter(by_page.get(page.number, []))),
            entity_names={k: v for k, v in (entity_names or {}).items() if k in by_page.get(page.number, ())},
            keywords=(keywords or {}).get(page.number, {}),
            marks=(marks or {}).get(page.number, ()),
        )
        for page in pages
    ]


class UnknownEntityType(ValueError):
    """An entity whose type the field registry does not declare: indexing it would drop it from every
    facet, filter and query field, so the document is refused instead (with this reason)."""

    def __init__(self, entity_id: str, entity_type: str | None) -> None:
        self.entity_id = entity_id
        self.entity_type = entity_type
        super().__init__(
            f"entity {entity_id} has type {entity_type!r}, which the search field registry does not declare "
            f"(known: {', '.join(ENTITY_FIELDS)}); add the type to search/fields.py"
        )


def _group_by_type(entity_ids: Iterable[str], entity_types: dict[str, str]) -> dict[str, tuple[str, ...]]:
    grouped: dict[str, list[str]] = {f: [] for f in ENTITY_FIELDS}
    for entity_id in dict.fromkeys(entity_ids):
        kind = entity_types.get(entity_id)
        if kind not in grouped:
            raise UnknownEntityType(entity_id, kind)
        grouped[kind].append(entity_id)
    return {k: tuple(v) for k, v in grouped.items() if v}
