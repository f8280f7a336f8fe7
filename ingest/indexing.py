"""The search index as a projection of the catalog: page records built from catalog rows.

`reindex` rebuilds everything from the catalog without running OCR again.
"""

from __future__ import annotations

import threading
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from typing import Protocol

from catalog.corrections import EntityCorrections
from catalog.entity_reads import corrected_mentions
from catalog.models import Document, DocumentStatus, EntityRecord, MentionRecord, Page, Production
from catalog.sql import SqlCatalog
from catalog.titles import reader_title, shown_name
from search.records import ENTITY_FIELDS, LinkName, PageRecord


class PageIndex(Protocol):
    def index_pages(self, records: Iterable[PageRecord]) -> int: ...

    def delete_document(self, document_id: str) -> None: ...

    def commit(self) -> None: ...

    def drop(self) -> None: ...


def build_page_records(
    document: Document,
    pages: Sequence[Page],
    mentions: Sequence[MentionRecord],
    links: Sequence[tuple[Production, str]],
    entity_types: dict[str, str],
    entity_names: dict[str, str] | None = None,
) -> list[PageRecord]:
    """Pure: one record per page, each carrying its document's fields and every production link with
    the names that link gives it (`links`: production and original file name, oldest first)."""
    by_page: dict[int, list[str]] = defaultdict(list)
    for m in mentions:
        by_page[m.page_number].append(m.entity_id)
    document_entities = _group_by_type([m.entity_id for m in mentions], entity_types)
    names = tuple(
        LinkName(p.collection_id, p.id, p.name, shown_name(name), reader_title(document.title, [name]) or document.id)
        for p, name in links
    )
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
        )
        for page in pages
    ]


def _group_by_type(entity_ids: Iterable[str], entity_types: dict[str, str]) -> dict[str, tuple[str, ...]]:
    grouped: dict[str, list[str]] = {f: [] for f in ENTITY_FIELDS}
    for entity_id in dict.fromkeys(entity_ids):
        kind = entity_types.get(entity_id)
        if kind in grouped:
            grouped[kind].append(entity_id)
    return {k: tuple(v) for k, v in grouped.items() if v}


class Indexer:
    def __init__(self, catalog: SqlCatalog, index: PageIndex) -> None:
        self.catalog = catalog
        self.index = index
        # One writer per index: tantivy allows a single writer, and interleaved commits gain nothing.
        self._lock = threading.Lock()

    def records_for(self, document_id: str) -> list[PageRecord]:
        document = self.catalog.get_document(document_id)
        if document.status is not DocumentStatus.DONE:
            return []
        pages = self.catalog.pages(document_id)
        mentions, entities = self.corrected_mentions(document_id)
        return build_page_records(
            document,
            pages,
            mentions,
            self.catalog.links_of_document(document_id),
            {k: e.type for k, e in entities.items()},
            {k: e.name for k, e in entities.items()},
        )

    def corrected_mentions(self, document_id: str) -> tuple[list[MentionRecord], dict[str, EntityRecord]]:
        """The document's mentions as the corrections every collection holding it agrees on show them: a
        retyped entity moves to its new facet (catalog/corrections.py, catalog/entity_reads.py)."""
        corrections = EntityCorrections(self.catalog).of_document(document_id)
        return corrected_mentions(self.catalog, self.catalog.mentions(document_id), corrections)

    def index_document(self, document_id: str) -> int:
        records = self.records_for(document_id)
        with self._lock:
            self.index.delete_document(document_id)
            self.index.index_pages(records)
            self.index.commit()
        return len(records)

    def reindex_all(self, on_document: Callable[[Document, int], None] | None = None) -> tuple[int, int]:
        """Rebuild the index from the catalog (no OCR); returns (documents, pages).

        Engines that can build a new index behind an alias (OpenSearch, Elasticsearch) keep serving the
        old one until the swap; the embedded index is emptied and refilled."""
        with self._lock:
            rebuild = getattr(self.index, "rebuild", None)
            if callable(rebuild):
                with rebuild() as target:
                    return self._fill(target, on_document)
            self.index.drop()
            return self._fill(self.index, on_document)

    def _fill(self, target: PageIndex, on_document: Callable[[Document, int], None] | None) -> tuple[int, int]:
        documents = pages = 0
        batch: list[PageRecord] = []
        for document in self.catalog.iter_documents(DocumentStatus.DONE):
            records = self.records_for(document.id)
            batch.extend(records)
            documents += 1
            pages += len(records)
            if len(batch) >= 2000:
                target.index_pages(batch)
                batch = []
            if on_document:
                on_document(document, len(records))
        if batch:
            target.index_pages(batch)
        target.commit()
        return documents, pages
