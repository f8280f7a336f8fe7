"""What each consumer needs of the catalog, as narrow Protocols.

The repositories (catalog/jobs.py, productions.py, documents.py, entities.py, entity_stats.py,
corrections.py, audit.py) implement them over one shared Database; SqlCatalog (catalog/sql.py) only puts
them together. A consumer names the few it uses: the worker a job queue, the entity routes entity
statistics, the indexer the reads a page record is built from.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Any, Protocol

from catalog.analytics import StoredBox
from catalog.blobstore import StoredBlob
from catalog.corrections import Correction
from catalog.models import (
    Collection,
    Document,
    DocumentResult,
    DocumentStatus,
    EntityRecord,
    Job,
    MentionRecord,
    Page,
    Production,
    ProductionFile,
    Progress,
)
from catalog.notes import Note
from catalog.tags import AppliedTags

Scope = Sequence[str] | None


class JobQueue(Protocol):
    """The worker's side of the queue: claim, hold, store, index, fail."""

    def claim_job(self, worker_id: str, lease_seconds: float) -> Job | None: ...
    def renew_lease(self, job_id: str, worker_id: str, lease_seconds: float) -> bool: ...
    def complete_document(self, job_id: str, worker_id: str, document_id: str, result: DocumentResult) -> None: ...
    def complete_page_retry(
        self, job_id: str, worker_id: str, document_id: str, result: DocumentResult, retried: Sequence[int]
    ) -> None: ...
    def fail_document(
        self, job_id: str, worker_id: str, document_id: str, reason: str, retryable: bool = True
    ) -> None: ...
    def links_to_index(self, document_id: str) -> list[str]: ...
    def finish_indexing(self, job_id: str, indexed_links: Sequence[str]) -> bool: ...
    def postpone_indexing(self, job_id: str, worker_id: str, seconds: float) -> None: ...


class DocumentReader(Protocol):
    def get_document(self, document_id: str) -> Document: ...
    def iter_documents(self, status: DocumentStatus | None = None, batch: int = 500) -> Iterator[Document]: ...
    def pages(self, document_id: str) -> list[Page]: ...
    def page_bates(self, document_id: str) -> list[str | None]: ...
    def page(self, document_id: str, number: int) -> Page: ...
    def mentions(self, document_id: str) -> list[MentionRecord]: ...


class DocumentAnalysis(DocumentReader, Protocol):
    """A done document's analysis rewritten in place (`foia reanalyze`)."""

    def replace_analysis(self, document_id: str, result: DocumentResult) -> None: ...
    def relabel_boxes(self, relabel: Callable[[str, str], str]) -> int: ...


class ProductionReader(Protocol):
    def list_collections(self) -> list[Collection]: ...
    def list_productions(self, collection_ids: Sequence[str] | None = None) -> list[Production]: ...
    def get_production(self, production_id: str) -> Production: ...
    def progress(self, production_id: str) -> Progress: ...
    def productions_of_document(self, document_id: str, shown_only: bool = False) -> list[Production]: ...
    def links_of_document(self, document_id: str) -> list[tuple[Production, str]]: ...
    def file_names_of(
        self, document_ids: Sequence[str], production_ids: Sequence[str] | None
    ) -> dict[str, list[str]]: ...


class FileIntake(Protocol):
    def add_file(self, production_id: str, original_name: str, blob: StoredBlob) -> ProductionFile: ...
    def reject_file(self, production_id: str, original_name: str, reason: str) -> ProductionFile: ...


class EntityWriter(Protocol):
    def upsert_entities(self, records: Sequence[EntityRecord]) -> None: ...


class EntityReader(Protocol):
    def get_entity(self, entity_id: str) -> EntityRecord: ...
    def entities_by_ids(self, ids: Sequence[str]) -> dict[str, EntityRecord]: ...
    def vendor_products(self, vendor_id: str) -> list[EntityRecord]: ...


class EntityStatistics(Protocol):
    """Counts over the collections a reader may see, as the reader's corrections show them."""

    def entity_document_counts(
        self,
        corrections: Mapping[str, Correction],
        entity_type: str | None,
        scope: Scope,
        prefix: str | None = None,
        limit: int = 100,
        after: tuple[int, str] | None = None,
    ) -> list[tuple[EntityRecord, int]]: ...
    def entity_totals(self, group: Sequence[str], scope: Scope) -> tuple[int, int]: ...
    def co_mentioned(
        self, corrections: Mapping[str, Correction], group: Sequence[str], scope: Scope, limit: int = 20
    ) -> list[tuple[EntityRecord, int]]: ...
    def top_documents(self, group: Sequence[str], scope: Scope, limit: int = 10) -> list[tuple[Document, int]]: ...


class CorrectionReader(Protocol):
    def of_collections(self, collection_ids: Scope) -> dict[str, Correction]: ...
    def of_document(self, document_id: str) -> dict[str, Correction]: ...


class NoteReader(Protocol):
    """The notes a reader sees on given pages (catalog/notes.py)."""

    def on_pages(
        self, pages: Iterable[tuple[str, int]], viewer: str, scope: Scope
    ) -> dict[tuple[str, int], list[Note]]: ...


class AuditTrail(Protocol):
    def record(
        self, actor: str, action: str, target: str | None = None, detail: dict[str, Any] | None = None
    ) -> None: ...


class MentionCatalog(Protocol):
    """What the corrected mentions of a document are read from (catalog/entity_reads.py)."""

    @property
    def documents(self) -> DocumentReader: ...
    @property
    def entities(self) -> EntityReader: ...
    @property
    def corrections(self) -> CorrectionReader: ...


class TagReader(Protocol):
    def applied(self, document_id: str, collection_ids: Scope) -> AppliedTags: ...


class NoteSource(Protocol):
    def of_document(self, document_id: str) -> list[Note]: ...


class IndexSource(MentionCatalog, Protocol):
    """What a document's page records are built from (ingest/indexing.py, api/highlight.py)."""

    @property
    def productions(self) -> ProductionReader: ...
    @property
    def tags(self) -> TagReader: ...
    @property
    def notes(self) -> NoteSource: ...


class IntakeCatalog(Protocol):
    """What intake (catalog/intake.py) records arrivals in."""

    @property
    def productions(self) -> FileIntake: ...
    @property
    def documents(self) -> DocumentReader: ...


class BoxReader(Protocol):
    """The stored redaction boxes of documents (catalog/analytics.py)."""

    def boxes(self, document_ids: Sequence[str]) -> list[StoredBox]: ...


class ReanalysisCatalog(Protocol):
    """What `foia reanalyze` reads and rewrites (ingest/reanalyze.py); the stored boxes' codes stay in
    their pages' sets of codes."""

    @property
    def documents(self) -> DocumentAnalysis: ...
    @property
    def entities(self) -> EntityWriter: ...
    @property
    def analytics(self) -> BoxReader: ...


class WorkerCatalog(Protocol):
    """The ingest worker's catalog: its job queue, the documents it reads and the entities it finds."""

    @property
    def jobs(self) -> JobQueue: ...
    @property
    def documents(self) -> DocumentReader: ...
    @property
    def entities(self) -> EntityWriter: ...
