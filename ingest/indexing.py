"""The search index as a projection of the catalog: page records built from catalog rows.

`reindex` rebuilds everything from the catalog without running OCR again.
"""

from __future__ import annotations

import itertools
import threading
from collections.abc import Callable, Iterable, Sequence
from contextlib import AbstractContextManager
from typing import Protocol

import structlog

from catalog.entity_reads import indexed_mentions
from catalog.models import Document, DocumentStatus
from catalog.protocols import IndexSource
from catalog.titles import document_links
from search.marks import tag_marks
from search.note_marks import note_marks
from search.projection import UnknownEntityType, build_page_records
from search.records import Mark, PageRecord

log = structlog.get_logger(__name__)


class PageIndex(Protocol):
    def index_pages(self, records: Iterable[PageRecord]) -> int: ...

    def update_marks(self, records: Iterable[PageRecord]) -> int: ...

    def delete_document(self, document_id: str) -> None: ...

    def commit(self) -> None: ...

    def drop(self) -> None: ...

    def rebuild(self) -> AbstractContextManager[PageIndex] | None:
        """A fresh index swapped in at the end (search.backend.SearchBackend.rebuild); None: not supported."""
        ...


def catalog_marks(catalog: IndexSource, document_id: str, page_numbers: list[int]) -> dict[int, tuple[Mark, ...]]:
    """Page number -> every reviewer's mark on it in every collection: tags (its document's included) and
    notes. What the index holds and what api.highlight evaluates queries over."""
    marks: dict[int, tuple[Mark, ...]] = dict(tag_marks(catalog.tags.applied(document_id, None), page_numbers))
    for number, notes in note_marks(catalog.notes.of_document(document_id), page_numbers).items():
        marks[number] = (*marks.get(number, ()), *notes)
    return marks


PREFETCH_DOCUMENTS = 400  # documents whose rows are read at once when marks are refreshed


def records_of(source: IndexSource, document_id: str) -> list[PageRecord]:
    """A document's page records built from `source` (the catalog, or rows of it read ahead)."""
    document = source.documents.get_document(document_id)
    if document.status is not DocumentStatus.DONE:
        return []
    pages = source.documents.pages(document_id)
    mentions, entities = indexed_mentions(source, document_id)
    return build_page_records(
        document,
        pages,
        mentions,
        document_links(document_id, document.title, source.productions.links_of_document(document_id)),
        {k: e.type for k, e in entities.items()},
        {k: e.name for k, e in entities.items()},
        # The reviewers' marks: the catalog is their source of truth, so `foia reindex` rebuilds them too.
        marks=catalog_marks(source, document_id, [p.number for p in pages]),
    )


class Indexer:
    def __init__(self, catalog: IndexSource, index: PageIndex) -> None:
        self.catalog = catalog
        self.index = index
        # One writer per index: tantivy allows a single writer, and interleaved commits gain nothing.
        self._lock = threading.Lock()

    def records_for(self, document_id: str) -> list[PageRecord]:
        """The document's page records; raises UnknownEntityType when a mention's entity type is not in
        the search field registry (never indexed without it: the worker fails the document)."""
        return records_of(self.catalog, document_id)

    def refresh_marks(self, pages: dict[str, set[int] | None]) -> int:
        """Bring the index's marks of these pages (document id -> page numbers, None: every page) to what
        the catalog holds, visible to searches on return. The records are built from the catalog (never
        OCR); each engine updates only the marks where it can (SearchBackend.update_marks)."""
        # A catalog that reads many documents at once (SqlCatalog.prefetched) saves a round trip per table
        # per document; the records are the same.
        prefetch: Callable[[Sequence[str]], IndexSource] | None = getattr(self.catalog, "prefetched", None)
        ids = list(pages)
        updated = 0
        with self._lock:
            for start in range(0, len(ids), PREFETCH_DOCUMENTS):
                chunk = ids[start : start + PREFETCH_DOCUMENTS]
                source = prefetch(chunk) if prefetch is not None else self.catalog
                batch: list[PageRecord] = []
                for document_id in chunk:
                    numbers = pages[document_id]
                    try:
                        records = records_of(source, document_id)
                    except UnknownEntityType as exc:
                        log.error("marks_not_indexed", document_id=document_id, reason=str(exc))
                        continue
                    batch.extend(r for r in records if numbers is None or r.page_number in numbers)
                if batch:
                    updated += self.index.update_marks(batch)
            self.index.commit()
        log.info("marks_refreshed", documents=len(pages), pages=updated)
        return updated

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
            live = self.index.rebuild()
            if live is not None:
                with live as target:
                    return self._fill(target, on_document)
            self.index.drop()
            return self._fill(self.index, on_document)

    def _fill(self, target: PageIndex, on_document: Callable[[Document, int], None] | None) -> tuple[int, int]:
        documents = pages = 0
        batch: list[PageRecord] = []
        # A catalog that reads many documents at once (SqlCatalog.prefetched) gives the same records with a
        # few queries per chunk instead of about ten per document.
        prefetch: Callable[[Sequence[str]], IndexSource] | None = getattr(self.catalog, "prefetched", None)
        done = self.catalog.documents.iter_documents(DocumentStatus.DONE)
        while chunk := list(itertools.islice(done, PREFETCH_DOCUMENTS)):
            source = prefetch([d.id for d in chunk]) if prefetch is not None else self.catalog
            for document in chunk:
                try:
                    records = records_of(source, document.id)
                except UnknownEntityType as exc:
                    # The rest of the index is still rebuilt; this document is named, with its reason.
                    log.error("document_not_indexed", document_id=document.id, reason=str(exc))
                    continue
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
